//! The search index split into small files, so that a query loads only what
//! its terms need. The format is described in the module doc of `data`;
//! `templates/assets/search.js` reads it.
//!
//! The words here must be the words the script sees: `language` makes
//! them, and the browser tests compare them with the script's.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

mod documents;
mod language;
mod sets;
mod vocabulary;

pub use documents::{DOCUMENTS_PER_FILE, SHOWN_BODY_CHARS, SearchDocument, kind_facet};
use documents::{DocumentsFiles, Facets};
pub use language::{Stemming, fold, index_words, stem, stem_in, stems_english, words};
use language::{adjacent_pairs, word_counts, word_set};
pub use sets::{decode_set, encode_set};
use vocabulary::Vocabulary;

/// A words file is split by the next letter of its words once it would pass
/// this size. A single word's postings can pass it: they are at most about
/// half a byte a document (three sets; see [`encode_set`]). A query for a
/// word that is absent loads the manifest and one file of several words,
/// so this keeps it under 25 KB.
pub const WORDS_FILE_BYTES: usize = 16 * 1024;

/// Where the index splits its files. The defaults suit a knowledge base of
/// any size; tests make them small to split a small base as deep as a large.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchLimits {
    /// See [`WORDS_FILE_BYTES`].
    pub words_file_bytes: usize,
    /// See [`DOCUMENTS_PER_FILE`].
    pub documents_per_file: usize,
}

impl Default for SearchLimits {
    fn default() -> Self {
        SearchLimits {
            words_file_bytes: WORDS_FILE_BYTES,
            documents_per_file: DOCUMENTS_PER_FILE,
        }
    }
}

/// The search files: the manifest (`data/search.js`) and the parts, each
/// with its name (`w3`, `p0`, `d12`: `data/search/<name>.js`), as JSON.
pub struct SearchFiles {
    pub manifest: String,
    pub parts: Vec<(String, String)>,
}

/// A body word that a document holds this many times or more ranks it
/// higher: the cheapest measure of term frequency, one more set a word.
pub const FREQUENT: usize = 3;

/// Which documents hold a word in their title, which hold it in their body
/// but not in their title, and which of those hold it there [`FREQUENT`]
/// times or more. Each sorted, by document number.
#[derive(Default)]
struct Postings {
    title: Vec<u32>,
    body: Vec<u32>,
    frequent: Vec<u32>,
}

/// A word with its postings encoded.
struct Entry {
    word: String,
    title: String,
    body: String,
    frequent: String,
}

impl Entry {
    /// About the bytes it takes in a words file.
    fn size(&self) -> usize {
        self.word.len() + self.title.len() + self.body.len() + self.frequent.len() + 20
    }
}

#[derive(Serialize)]
struct Manifest<'a> {
    /// The stemmer's language when words are stemmed ("en", "de", "fr",
    /// "es"): the script stems its terms alike.
    #[serde(skip_serializing_if = "Option::is_none")]
    stem: Option<&'static str>,
    documents: usize,
    /// Documents a documents file: document `n` is in `d<n / per_file>`.
    per_file: usize,
    leaves: &'a [String],
    splits: &'a [[String; 2]],
    /// The groups of the typo fallback's vocabulary files (`v<ab>`), a set
    /// of numbers (`aa` 0, `ab` 1...).
    vocabulary: String,
}

/// The documents to index, numbered in the order the site lists them and
/// each made when asked for, so that their whole texts need not all be in
/// memory at once.
pub trait Documents: Sync {
    fn count(&self) -> usize;
    /// The kind and title of a document: what ranks it.
    fn heading(&self, d: usize) -> (&'static str, String);
    fn document(&self, d: usize) -> SearchDocument;
}

impl Documents for [SearchDocument] {
    fn count(&self) -> usize {
        self.len()
    }

    fn heading(&self, d: usize) -> (&'static str, String) {
        (self[d].k, self[d].t.clone())
    }

    fn document(&self, d: usize) -> SearchDocument {
        self[d].clone()
    }
}

/// The index of `documents` for a site in `language` (see
/// [`Stemming::of`]).
pub fn index(
    documents: &(impl Documents + ?Sized),
    limits: SearchLimits,
    language: &str,
) -> SearchFiles {
    let stemming = Stemming::of(language);
    let count = documents.count();
    let order = ranking_order(documents);
    let mut files = DocumentsFiles::new(limits.documents_per_file);
    let mut facets = Facets::default();
    let postings = postings(documents, &order, stemming, &mut files, &mut facets);
    let mut vocabulary = Vocabulary::default();
    for (word, p) in &postings {
        vocabulary.add(word, p.title.len() + p.body.len());
    }
    let (vocabulary_groups, vocabulary_files) = vocabulary.finish();
    let entries: Vec<Entry> = postings
        .into_par_iter()
        .map(|(word, p)| Entry {
            title: encode_set(&p.title),
            body: encode_set(&p.body),
            frequent: encode_set(&p.frequent),
            word,
        })
        .collect();
    let mut shards = Shards {
        split_past: limits.words_file_bytes,
        ..Shards::default()
    };
    shards.split_all(&entries);
    let mut parts = Vec::new();
    for (i, leaf) in shards.leaf_files.into_iter().enumerate() {
        parts.push((format!("w{i}"), leaf));
    }
    for (i, split) in shards.split_files.into_iter().enumerate() {
        parts.push((format!("p{i}"), split));
    }
    parts.extend(files.finish());
    parts.extend(facets.finish());
    parts.extend(vocabulary_files);
    let manifest = to_json(&Manifest {
        stem: stemming.code(),
        documents: count,
        per_file: limits.documents_per_file.max(1),
        leaves: &shards.leaves,
        splits: &shards.splits,
        vocabulary: vocabulary_groups,
    });
    SearchFiles { manifest, parts }
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).expect("search data serialize")
}

/// Documents numbered so that the search's last tie-breakers are the number
/// alone: a product or version page first (a query that names one is
/// looking for it), then a shorter title (in UTF-16 units, as JavaScript
/// counts), then the site's order. `order[number]` is the document's place
/// in the site.
fn ranking_order(documents: &(impl Documents + ?Sized)) -> Vec<usize> {
    let mut order: Vec<usize> = (0..documents.count()).collect();
    order.sort_by_cached_key(|&d| {
        let (kind, title) = documents.heading(d);
        let page = matches!(kind, "Product" | "Version");
        (!page, title.encode_utf16().count(), d)
    });
    order
}

/// A document's title words (with its adjacent pairs, see
/// [`adjacent_pairs`]), its body words with how often each comes, and the
/// document.
type DocumentWords = (Vec<String>, Vec<(String, usize)>, SearchDocument);

/// A document's words: those of its title with the title's
/// [`adjacent_pairs`], and those of its body that its title does not hold,
/// with how often the body holds them. The body's pairs are left out: on
/// the 10,000-scenario corpus they made the words files 3.9 times larger
/// (3.5 MB to 13.6 MB; the title's pairs add 1.0 MB, docs/performance.md).
fn document_words(document: SearchDocument, stemming: Stemming) -> DocumentWords {
    let mut title = word_set(&document.t, stemming);
    title.extend(adjacent_pairs(&document.t, stemming));
    title.sort_unstable();
    let body_text = document.body_text();
    let mut body = word_counts(&body_text, stemming);
    body.retain(|(w, _)| title.binary_search(w).is_err());
    (title, body, document)
}

/// How many documents [`postings`] splits into words at once.
const POSTINGS_CHUNK: usize = 2048;

/// Every word with the documents that hold it, by document number; each
/// document goes to `files` as it shows there, and to its `facets`. Documents are made a chunk
/// at a time in number order, their words found in parallel, and each
/// text dropped once its words are taken. With every document's words
/// held at once, the index took 1.8 GB at 100,000 scenarios.
fn postings(
    documents: &(impl Documents + ?Sized),
    order: &[usize],
    stemming: Stemming,
    files: &mut DocumentsFiles,
    facets: &mut Facets,
) -> Vec<(String, Postings)> {
    let mut all: HashMap<String, Postings> = HashMap::new();
    for (chunk_number, chunk) in order.chunks(POSTINGS_CHUNK).enumerate() {
        let words: Vec<DocumentWords> = chunk
            .par_iter()
            .map(|&d| document_words(documents.document(d), stemming))
            .collect();
        let first = chunk_number * POSTINGS_CHUNK;
        for (number, (title, body, document)) in (first as u32..).zip(words) {
            for word in title {
                all.entry(word).or_default().title.push(number);
            }
            for (word, times) in body {
                let postings = all.entry(word).or_default();
                postings.body.push(number);
                if times >= FREQUENT {
                    postings.frequent.push(number);
                }
            }
            files.push(&to_json(&document.shown()));
            facets.add(number, &document);
        }
    }
    let mut all: Vec<(String, Postings)> = all.into_iter().collect();
    all.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    all
}

/// The words split into files by their first letters: a trie whose nodes
/// are files. A node's words all start with its key (its parent's prefix
/// and one more letter); a leaf's file holds them all. A split node's
/// prefix is the longest all its words share (so a chain of single letters
/// takes one node), its file holds the prefix as a word and its longer words
/// merged, and its children's keys are its prefix and one more letter.
#[derive(Default)]
struct Shards {
    split_past: usize,
    /// The keys of the leaves, with their files.
    leaves: Vec<String>,
    leaf_files: Vec<String>,
    /// `[key, prefix]` of the split nodes, with their files.
    splits: Vec<[String; 2]>,
    split_files: Vec<String>,
}

impl Shards {
    /// Splits `entries` (sorted) into files, the root first, depth first.
    fn split_all(&mut self, entries: &[Entry]) {
        // (key, its words); a stack, not recursion: a chain can be as long
        // as a word.
        let mut nodes: Vec<(String, &[Entry])> = vec![(String::new(), entries)];
        while let Some((key, entries)) = nodes.pop() {
            let size: usize = entries.iter().map(Entry::size).sum();
            if size <= self.split_past || entries.len() <= 1 {
                self.leaf(key, entries);
                continue;
            }
            // The root keeps the empty prefix: no term is empty, so it
            // needs no file and is not listed.
            let prefix = if key.is_empty() {
                key
            } else {
                let prefix = common_prefix(&entries[0].word, &entries[entries.len() - 1].word);
                self.split_file(key, prefix.to_owned(), entries);
                prefix.to_owned()
            };
            let longer = match entries.first() {
                Some(first) if first.word == prefix => &entries[1..],
                _ => entries,
            };
            let mut children = Vec::new();
            let mut rest = longer;
            while let Some(first) = rest.first() {
                let next = first.word[prefix.len()..]
                    .chars()
                    .next()
                    .expect("a longer word");
                let child = format!("{prefix}{next}");
                let count = rest
                    .iter()
                    .take_while(|e| e.word.starts_with(&child))
                    .count();
                children.push((child, &rest[..count]));
                rest = &rest[count..];
            }
            nodes.extend(children.into_iter().rev());
        }
    }

    fn leaf(&mut self, key: String, entries: &[Entry]) {
        // `[word, title, body]`, and the frequent set when there is one.
        let words: Vec<Vec<&str>> = entries
            .iter()
            .map(|e| {
                let mut entry = vec![e.word.as_str(), &e.title, &e.body];
                if !e.frequent.is_empty() {
                    entry.push(&e.frequent);
                }
                entry
            })
            .collect();
        self.leaves.push(key);
        self.leaf_files.push(to_json(&words));
    }

    fn split_file(&mut self, key: String, prefix: String, entries: &[Entry]) {
        let (exact, longer) = match entries.first() {
            Some(first) if first.word == prefix => (Some(first), &entries[1..]),
            _ => (None, entries),
        };
        let (title, body) = merged(longer);
        let mut file = vec![
            exact.map_or("", |e| e.title.as_str()),
            exact.map_or("", |e| e.body.as_str()),
            &title,
            &body,
        ];
        // The prefix's own frequent set, when there is one.
        if let Some(frequent) = exact.map(|e| e.frequent.as_str()).filter(|f| !f.is_empty()) {
            file.push(frequent);
        }
        self.splits.push([key, prefix]);
        self.split_files.push(to_json(&file));
    }
}

/// The longest prefix two words share, in whole letters.
fn common_prefix<'a>(a: &'a str, b: &str) -> &'a str {
    let end = a
        .char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i);
    &a[..end]
}

/// The documents that hold any of these words in their title, and those
/// that hold one in their body only, encoded.
fn merged(entries: &[Entry]) -> (String, String) {
    let numbers = |code: fn(&Entry) -> &str| {
        let mut all: Vec<u32> = entries.iter().flat_map(|e| decode_set(code(e))).collect();
        all.sort_unstable();
        all.dedup();
        all
    };
    let title = numbers(|e| &e.title);
    let mut body = numbers(|e| &e.body);
    body.retain(|n| title.binary_search(n).is_err());
    (encode_set(&title), encode_set(&body))
}

#[cfg(test)]
mod tests;
