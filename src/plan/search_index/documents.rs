//! What the index keeps of each document for the results: the documents
//! files, a few documents each, and the facets a search can be narrowed by.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{encode_set, to_json};

/// A documents file holds this many documents, by number: `d<n / 4>`. A
/// query loads one file a result it shows, so a small file keeps a page of
/// scattered results small; a fixed count lets the script find a
/// document's file without a list of where each file starts.
pub const DOCUMENTS_PER_FILE: usize = 4;

/// A document's text is searched whole, but only its first this many
/// characters are kept for the results' snippets: a scenario's full text
/// would make the documents files as large as the scenario pages. A
/// snippet is cut around the first match, so a match within these
/// characters shows; a later one shows the text's beginning.
pub const SHOWN_BODY_CHARS: usize = 900;

/// One searchable entry: title, URL (from the site root), kind, text,
/// context. Serialized as the search script shows it; `facets` (products
/// and severity it can be narrowed by, as facet keys: see `Facets`) go
/// to files of their own.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct SearchDocument {
    pub t: String,
    pub u: String,
    pub k: &'static str,
    pub b: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub c: String,
    #[serde(skip)]
    pub facets: Vec<String>,
}

impl SearchDocument {
    /// The document as its documents file holds it: its text cut after
    /// [`SHOWN_BODY_CHARS`] characters, between words, marked with "…".
    pub fn shown(&self) -> SearchDocument {
        SearchDocument {
            t: self.t.clone(),
            u: self.u.clone(),
            k: self.k,
            b: shown_body(&self.b),
            c: self.c.clone(),
            facets: Vec::new(),
        }
    }

    /// The text whose words count as the body: what the script always searched.
    pub(super) fn body_text(&self) -> String {
        format!("{} {} {}", self.b, self.c, self.k)
    }

    /// Every facet key of the document: its kind's, then its own.
    pub(super) fn facet_keys(&self) -> impl Iterator<Item = String> + '_ {
        std::iter::once(kind_facet(self.k)).chain(self.facets.iter().cloned())
    }
}

/// The facet key of a kind: `kissue` for "Issue".
pub fn kind_facet(kind: &str) -> String {
    format!("k{}", kind.to_ascii_lowercase())
}

pub(super) fn shown_body(body: &str) -> String {
    let Some((cut, _)) = body.char_indices().nth(SHOWN_BODY_CHARS) else {
        return body.to_owned();
    };
    let kept = &body[..cut];
    let kept = kept.rfind(' ').map_or(kept, |space| &kept[..space]);
    format!("{}…", kept.trim_end())
}

/// The documents files, `d0`, `d1`...: each a JSON array of `per_file`
/// documents in number order (the last may hold fewer).
pub(super) struct DocumentsFiles {
    per_file: usize,
    files: Vec<(String, String)>,
    /// The file being filled, and how many documents it holds.
    current: String,
    held: usize,
}

impl DocumentsFiles {
    pub(super) fn new(per_file: usize) -> Self {
        DocumentsFiles {
            per_file: per_file.max(1),
            files: Vec::new(),
            current: String::new(),
            held: 0,
        }
    }

    /// Adds the next document, as JSON.
    pub(super) fn push(&mut self, json: &str) {
        self.current.push(if self.held == 0 { '[' } else { ',' });
        self.current.push_str(json);
        self.held += 1;
        if self.held == self.per_file {
            self.close();
        }
    }

    fn close(&mut self) {
        if self.held > 0 {
            self.current.push(']');
            let name = format!("d{}", self.files.len());
            self.files.push((name, std::mem::take(&mut self.current)));
            self.held = 0;
        }
    }

    pub(super) fn finish(mut self) -> Vec<(String, String)> {
        self.close();
        self.files
    }
}

/// The documents of each facet key (`kissue`, `sblocking`, `p12`...), in
/// a file of their own, `f<key>`: what a filter loads. A key is made of
/// letters and digits, chosen by the site, never by content.
#[derive(Default)]
pub(super) struct Facets {
    documents: BTreeMap<String, Vec<u32>>,
}

impl Facets {
    pub(super) fn add(&mut self, number: u32, document: &SearchDocument) {
        for key in document.facet_keys() {
            self.documents.entry(key).or_default().push(number);
        }
    }

    pub(super) fn finish(self) -> impl Iterator<Item = (String, String)> {
        self.documents
            .into_iter()
            .map(|(key, numbers)| (format!("f{key}"), to_json(&encode_set(&numbers))))
    }
}
