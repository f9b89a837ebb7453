//! The search index split into small files, so that a query loads only what
//! its terms need. The format is described in the module doc of `data`;
//! `templates/assets/search.js` reads it.
//!
//! The words here must be the words the script sees: [`fold`] and [`words`]
//! do what its `fold()` and `words()` do, and the browser tests compare
//! them on awkward strings.

use std::cell::RefCell;
use std::collections::HashMap;

use rayon::prelude::*;
use rust_stemmers::{Algorithm, Stemmer};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// A documents file takes documents in number order until the next would
/// take it past this size (a larger document gets a file of its own). A
/// query shows at most 50 results, so it loads at most 50 of these whatever
/// the size of the knowledge base.
pub const DOCUMENTS_FILE_BYTES: usize = 8 * 1024;

/// A words file is split by the next letter of its words once it would pass
/// this size. A single word's postings can pass it: they are at most about a
/// third of a byte a document (see [`encode_set`]).
pub const WORDS_FILE_BYTES: usize = 48 * 1024;

/// A document's text is searched whole, but only its first this many
/// characters are kept for the results' snippets: a scenario's full text
/// would make the documents files as large as the scenario pages (25 MB
/// of the 37 MB of search data at 10,000 scenarios). A snippet is cut
/// around the first match, 60 characters before it and 180 in all, so a
/// match within the first 240 characters shows as it would from the full
/// text; a later one shows the text's beginning.
pub const SHOWN_BODY_CHARS: usize = 320;

/// Where the index splits its files. The defaults suit a knowledge base of
/// any size; tests make them small to split a small base as deep as a large.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchLimits {
    /// See [`WORDS_FILE_BYTES`].
    pub words_file_bytes: usize,
    /// See [`DOCUMENTS_FILE_BYTES`].
    pub documents_file_bytes: usize,
}

impl Default for SearchLimits {
    fn default() -> Self {
        SearchLimits {
            words_file_bytes: WORDS_FILE_BYTES,
            documents_file_bytes: DOCUMENTS_FILE_BYTES,
        }
    }
}

/// One searchable entry: title, URL (from the site root), kind, text,
/// context. Serialized as the search script shows it.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct SearchDocument {
    pub t: String,
    pub u: String,
    pub k: &'static str,
    pub b: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub c: String,
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
        }
    }

    /// The text whose words count as the body: what the script always searched.
    fn body_text(&self) -> String {
        format!("{} {} {}", self.b, self.c, self.k)
    }
}

fn shown_body(body: &str) -> String {
    let Some((cut, _)) = body.char_indices().nth(SHOWN_BODY_CHARS) else {
        return body.to_owned();
    };
    let kept = &body[..cut];
    let kept = kept.rfind(' ').map_or(kept, |space| &kept[..space]);
    format!("{}…", kept.trim_end())
}

/// Case and accents do not matter: canonical decomposition, the combining
/// marks U+0300..U+036F dropped, lower case. Exactly the script's `fold()`:
/// `normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()`.
pub fn fold(text: &str) -> String {
    // ASCII has no decomposition and no context-dependent case.
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let stripped: String = text
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .collect();
    // Like toLowerCase(), to_lowercase() maps a final capital sigma to ς.
    stripped.to_lowercase()
}

/// Letters (`\p{L}`), digits (`\p{N}`) and dots make words.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '.';
    }
    matches!(
        c.general_category_group(),
        GeneralCategoryGroup::Letter | GeneralCategoryGroup::Number
    )
}

/// The words of a text as the script's `words()` finds them: folded, split
/// on anything but letters, digits and dots, dots trimmed from both ends.
pub fn words(text: &str) -> Vec<String> {
    split_words(&fold(text)).map(str::to_owned).collect()
}

fn split_words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !is_word_char(c))
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty())
}

/// Whether the index stems English words: for a site whose `language` is
/// English (`en`, `en-GB`...); other languages keep their words whole.
pub fn stems_english(language: &str) -> bool {
    let language = language.to_ascii_lowercase();
    language == "en" || language.starts_with("en-")
}

/// The English stem of a folded word: Porter2 (Snowball's English
/// stemmer, from the `rust-stemmers` crate), so that "status" and
/// "statuses", "copy" and "copied", "stop" and "stopped" share a stem. A
/// word that is not all plain letters a to z ("8.4", "naïve") is kept
/// whole: Snowball defines no stems for it, and the script, which stems
/// queries with its own port of the algorithm (`stem()` in
/// templates/assets/search.js), must give the same answer for every word.
/// tests/fixtures/porter2 holds Snowball's words on which both are tested.
pub fn stem(word: &str) -> String {
    if !plain_letters(word) {
        return word.to_owned();
    }
    Stemmer::create(Algorithm::English).stem(word).into_owned()
}

fn plain_letters(word: &str) -> bool {
    word.bytes().all(|b| b.is_ascii_lowercase())
}

/// How many stems a thread keeps before it starts over, so that a
/// long-lived `serve` does not grow without end.
const REMEMBERED_STEMS: usize = 100_000;

/// [`stem`], remembered by each thread: Porter2 costs about ten times the
/// light stemmer it replaced (0.7 µs a word; docs/performance.md), and a
/// site's documents share most of their words, so most calls become one
/// look-up. Words kept whole ("8.4.12") are not worth remembering.
fn remembered_stem(word: &str) -> String {
    if !plain_letters(word) {
        return word.to_owned();
    }
    thread_local! {
        static STEMS: RefCell<HashMap<String, String>> = RefCell::default();
    }
    STEMS.with_borrow_mut(|stems| {
        if let Some(known) = stems.get(word) {
            return known.clone();
        }
        if stems.len() >= REMEMBERED_STEMS {
            stems.clear();
        }
        let made = stem(word);
        stems.insert(word.to_owned(), made.clone());
        made
    })
}

/// The words a text is found by: its words, and each hyphenated word also
/// joined ("Wi-Fi" is found by "wifi" too), each stemmed if `english`.
pub fn index_words(text: &str, english: bool) -> Vec<String> {
    let folded = fold(text);
    let all = split_words(&folded)
        .map(str::to_owned)
        .chain(joined_words(&folded));
    if english {
        all.map(|w| stem(&w)).collect()
    } else {
        all.collect()
    }
}

/// Each hyphenated word of a folded text, joined: "wi-fi" gives "wifi".
fn joined_words(folded: &str) -> impl Iterator<Item = String> + '_ {
    folded
        .split(|c: char| c != '-' && !is_word_char(c))
        .filter(|chunk| chunk.contains('-'))
        .filter_map(|chunk| {
            let parts: Vec<&str> = chunk
                .split('-')
                .map(|w| w.trim_matches('.'))
                .filter(|w| !w.is_empty())
                .collect();
            (parts.len() > 1).then(|| parts.concat())
        })
}

/// The distinct words a text is found by, sorted: the set of
/// [`index_words`], each distinct word stemmed once (a scenario's text
/// repeats its words).
fn word_set(text: &str, english: bool) -> Vec<String> {
    let folded = fold(text);
    let mut plain: Vec<&str> = split_words(&folded).collect();
    plain.sort_unstable();
    plain.dedup();
    let index_form = |word: &str| {
        if english {
            remembered_stem(word)
        } else {
            word.to_owned()
        }
    };
    let mut words: Vec<String> = plain.into_iter().map(index_form).collect();
    words.extend(joined_words(&folded).map(|w| index_form(&w)));
    words.sort_unstable();
    words.dedup();
    words
}

/// The search files: the manifest (`data/search.js`) and the parts, each
/// with its name (`w3`, `p0`, `d12`: `data/search/<name>.js`), as JSON.
pub struct SearchFiles {
    pub manifest: String,
    pub parts: Vec<(String, String)>,
}

/// Which documents hold a word in their title, and which hold it in their
/// body but not in their title. Both sorted, by document number.
#[derive(Default)]
struct Postings {
    title: Vec<u32>,
    body: Vec<u32>,
}

/// A word with its postings encoded.
struct Entry {
    word: String,
    title: String,
    body: String,
}

impl Entry {
    /// About the bytes it takes in a words file.
    fn size(&self) -> usize {
        self.word.len() + self.title.len() + self.body.len() + 16
    }
}

#[derive(Serialize)]
struct Manifest<'a> {
    /// "en" when words are stemmed (the script stems its terms alike).
    #[serde(skip_serializing_if = "Option::is_none")]
    stem: Option<&'static str>,
    documents: usize,
    groups: String,
    leaves: &'a [String],
    splits: &'a [[String; 2]],
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
/// [`stems_english`]).
pub fn index(
    documents: &(impl Documents + ?Sized),
    limits: SearchLimits,
    language: &str,
) -> SearchFiles {
    let english = stems_english(language);
    let count = documents.count();
    let order = ranking_order(documents);
    let mut files = DocumentsFiles::new(limits.documents_file_bytes);
    let postings = postings(documents, &order, english, &mut files);
    let entries: Vec<Entry> = postings
        .into_par_iter()
        .map(|(word, p)| Entry {
            title: encode_set(&p.title),
            body: encode_set(&p.body),
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
    let (groups, files) = files.finish();
    parts.extend(files);
    let manifest = to_json(&Manifest {
        stem: english.then_some("en"),
        documents: count,
        groups: encode_set(&groups),
        leaves: &shards.leaves,
        splits: &shards.splits,
    });
    SearchFiles { manifest, parts }
}

/// The documents files, `d0`, `d1`...: each a JSON array of documents in
/// number order, with the number of the first document of each. A file
/// takes documents until the next would take it past `split_past` bytes.
struct DocumentsFiles {
    split_past: usize,
    /// The number of the first document of each file.
    starts: Vec<u32>,
    files: Vec<(String, String)>,
    /// The file being filled, and about its size.
    current: String,
    bytes: usize,
    documents: u32,
}

impl DocumentsFiles {
    fn new(split_past: usize) -> Self {
        DocumentsFiles {
            split_past,
            starts: Vec::new(),
            files: Vec::new(),
            current: String::new(),
            bytes: 0,
            documents: 0,
        }
    }

    /// Adds the next document, as JSON.
    fn push(&mut self, json: &str) {
        if self.starts.is_empty() || self.bytes + json.len() > self.split_past {
            self.close();
            self.starts.push(self.documents);
            self.bytes = 0;
            self.current.push('[');
        } else {
            self.current.push(',');
        }
        self.current.push_str(json);
        self.bytes += json.len() + 1;
        self.documents += 1;
    }

    fn close(&mut self) {
        if !self.current.is_empty() {
            self.current.push(']');
            let name = format!("d{}", self.files.len());
            self.files.push((name, std::mem::take(&mut self.current)));
        }
    }

    fn finish(mut self) -> (Vec<u32>, Vec<(String, String)>) {
        self.close();
        (self.starts, self.files)
    }
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

/// How many documents [`postings`] splits into words at once.
const POSTINGS_CHUNK: usize = 2048;

/// Every word with the documents that hold it, by document number; each
/// document goes to `files` as it shows there. Documents are made a chunk
/// at a time in number order, their words found in parallel, and each
/// text dropped once its words are taken. With every document's words
/// held at once, the index took 1.8 GB at 100,000 scenarios.
fn postings(
    documents: &(impl Documents + ?Sized),
    order: &[usize],
    english: bool,
    files: &mut DocumentsFiles,
) -> Vec<(String, Postings)> {
    let mut all: HashMap<String, Postings> = HashMap::new();
    for (chunk_number, chunk) in order.chunks(POSTINGS_CHUNK).enumerate() {
        let words: Vec<(Vec<String>, Vec<String>, String)> = chunk
            .par_iter()
            .map(|&d| {
                let document = documents.document(d);
                let title = word_set(&document.t, english);
                let mut body = word_set(&document.body_text(), english);
                body.retain(|w| title.binary_search(w).is_err());
                (title, body, to_json(&document.shown()))
            })
            .collect();
        let first = chunk_number * POSTINGS_CHUNK;
        for (number, (title, body, json)) in (first as u32..).zip(words) {
            for word in title {
                all.entry(word).or_default().title.push(number);
            }
            for word in body {
                all.entry(word).or_default().body.push(number);
            }
            files.push(&json);
        }
    }
    let mut all: Vec<(String, Postings)> = all.into_iter().collect();
    all.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    all
}

/// 64 characters that need no escaping in JSON or in a script.
const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
/// Starts a bitmap; a list of gaps starts with a digit.
const BITMAP: char = '~';

/// A sorted set of document numbers as a string, whichever is shorter of:
/// the gaps between numbers (the first counted from -1), less one, each in
/// base 32, most significant digit first, with 32 added to every digit but
/// the last; or `~` and a bitmap, six documents a digit, the lowest bit first.
pub fn encode_set(numbers: &[u32]) -> String {
    let Some(&last) = numbers.last() else {
        return String::new();
    };
    let mut gaps = String::new();
    let mut previous: i64 = -1;
    let mut digits = Vec::new();
    for &n in numbers {
        let mut gap = (i64::from(n) - previous - 1) as u64;
        previous = i64::from(n);
        digits.clear();
        digits.push(DIGITS[(gap & 31) as usize]);
        gap >>= 5;
        while gap > 0 {
            digits.push(DIGITS[(32 + (gap & 31)) as usize]);
            gap >>= 5;
        }
        gaps.extend(digits.iter().rev().map(|&d| d as char));
    }
    let bitmap_length = 1 + last as usize / 6 + 1;
    if gaps.len() <= bitmap_length {
        return gaps;
    }
    let mut bits = vec![0u8; bitmap_length - 1];
    for &n in numbers {
        bits[n as usize / 6] |= 1 << (n % 6);
    }
    std::iter::once(BITMAP)
        .chain(bits.into_iter().map(|b| DIGITS[b as usize] as char))
        .collect()
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
        let words: Vec<[&str; 3]> = entries
            .iter()
            .map(|e| [e.word.as_str(), &e.title, &e.body])
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
        let file = [
            exact.map_or("", |e| e.title.as_str()),
            exact.map_or("", |e| e.body.as_str()),
            &title,
            &body,
        ];
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

/// The value of a digit of [`DIGITS`].
fn digit_value(c: u8) -> u32 {
    u32::from(match c {
        b'0'..=b'9' => c - b'0',
        b'A'..=b'Z' => c - b'A' + 10,
        b'a'..=b'z' => c - b'a' + 36,
        b'-' => 62,
        _ => 63,
    })
}

/// The numbers of an [`encode_set`] string.
pub fn decode_set(code: &str) -> Vec<u32> {
    let value = digit_value;
    let mut numbers = Vec::new();
    if let Some(bitmap) = code.strip_prefix(BITMAP) {
        for (i, c) in bitmap.bytes().enumerate() {
            let bits = value(c);
            numbers.extend(
                (0..6)
                    .filter(|b| bits & (1 << b) != 0)
                    .map(|b| i as u32 * 6 + b),
            );
        }
        return numbers;
    }
    let mut next: i64 = -1;
    let mut gap: i64 = 0;
    for c in code.bytes() {
        let digit = value(c);
        gap = gap * 32 + i64::from(digit & 31);
        if digit < 32 {
            next += gap + 1;
            numbers.push(next as u32);
            gap = 0;
        }
    }
    numbers
}

#[cfg(test)]
mod tests;
