//! The search index split into small files, so that a query loads only what
//! its terms need. The format is described in the module doc of `data`;
//! `templates/assets/search.js` reads it.
//!
//! The words here must be the words the script sees: [`fold`] and [`words`]
//! do what its `fold()` and `words()` do, and the browser tests compare
//! them on awkward strings.

use std::collections::HashMap;

use rayon::prelude::*;
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
    /// The text whose words count as the body: what the script always searched.
    fn body_text(&self) -> String {
        format!("{} {} {}", self.b, self.c, self.k)
    }
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

/// The distinct words of a text, sorted.
fn word_set(text: &str) -> Vec<String> {
    let folded = fold(text);
    let mut words: Vec<&str> = split_words(&folded).collect();
    words.sort_unstable();
    words.dedup();
    words.into_iter().map(str::to_owned).collect()
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
    documents: usize,
    groups: String,
    leaves: &'a [String],
    splits: &'a [String],
}

/// The index of `documents`, given in the order the site lists them.
pub fn index(documents: &[SearchDocument], limits: SearchLimits) -> SearchFiles {
    let order = ranking_order(documents);
    let postings = postings(documents, &order);
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
        documents: documents.len(),
        ..Shards::default()
    };
    shards.split("", &entries);
    let mut parts = Vec::new();
    for (i, leaf) in shards.leaf_files.into_iter().enumerate() {
        parts.push((format!("w{i}"), leaf));
    }
    for (i, split) in shards.split_files.into_iter().enumerate() {
        parts.push((format!("p{i}"), split));
    }
    let (groups, files) = documents_files(documents, &order, limits.documents_file_bytes);
    parts.extend(files);
    let manifest = to_json(&Manifest {
        documents: documents.len(),
        groups: encode_set(&groups),
        leaves: &shards.leaves,
        splits: &shards.splits,
    });
    SearchFiles { manifest, parts }
}

/// The documents files, `d0`, `d1`...: each a JSON array of documents in
/// number order, with the number of the first document of each.
fn documents_files(
    documents: &[SearchDocument],
    order: &[usize],
    split_past: usize,
) -> (Vec<u32>, Vec<(String, String)>) {
    let json: Vec<String> = order.par_iter().map(|&d| to_json(&documents[d])).collect();
    let mut starts = Vec::new();
    let mut bytes = 0;
    for (number, document) in json.iter().enumerate() {
        if starts.is_empty() || bytes + document.len() > split_past {
            starts.push(number as u32);
            bytes = 0;
        }
        bytes += document.len() + 1;
    }
    let ends = starts
        .iter()
        .skip(1)
        .map(|&s| s as usize)
        .chain([json.len()]);
    let files = starts
        .iter()
        .zip(ends)
        .enumerate()
        .map(|(i, (&start, end))| {
            (
                format!("d{i}"),
                format!("[{}]", json[start as usize..end].join(",")),
            )
        })
        .collect();
    (starts, files)
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).expect("search data serialize")
}

/// Documents numbered so that the search's last tie-breakers, a shorter title
/// first (in UTF-16 units, as JavaScript counts) and then the site's order,
/// are the number alone: `order[number]` is the document's place in the site.
fn ranking_order(documents: &[SearchDocument]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..documents.len()).collect();
    order.sort_by_cached_key(|&d| (documents[d].t.encode_utf16().count(), d));
    order
}

/// Every word with the documents that hold it, by document number.
fn postings(documents: &[SearchDocument], order: &[usize]) -> Vec<(String, Postings)> {
    let per_document: Vec<(Vec<String>, Vec<String>)> = order
        .par_iter()
        .map(|&d| {
            let document = &documents[d];
            let title = word_set(&document.t);
            let mut body = word_set(&document.body_text());
            body.retain(|w| title.binary_search(w).is_err());
            (title, body)
        })
        .collect();
    let mut all: HashMap<String, Postings> = HashMap::new();
    for (number, (title, body)) in per_document.into_iter().enumerate() {
        let number = number as u32;
        for word in title {
            all.entry(word).or_default().title.push(number);
        }
        for word in body {
            all.entry(word).or_default().body.push(number);
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

/// The words split into files by their first letters.
#[derive(Default)]
struct Shards {
    split_past: usize,
    documents: usize,
    /// Prefixes whose file holds every word that starts with them.
    leaves: Vec<String>,
    leaf_files: Vec<String>,
    /// Prefixes split further; their file holds the postings of the prefix
    /// as a word, and of all longer words that start with it, merged.
    splits: Vec<String>,
    split_files: Vec<String>,
}

impl Shards {
    /// `entries`: the words that start with `prefix`, sorted.
    fn split(&mut self, prefix: &str, entries: &[Entry]) {
        let size: usize = entries.iter().map(Entry::size).sum();
        if size <= self.split_past || entries.len() <= 1 {
            let words: Vec<[&str; 3]> = entries
                .iter()
                .map(|e| [e.word.as_str(), &e.title, &e.body])
                .collect();
            self.leaves.push(prefix.to_owned());
            self.leaf_files.push(to_json(&words));
            return;
        }
        let (exact, longer) = match entries.first() {
            Some(first) if first.word == prefix => (Some(first), &entries[1..]),
            _ => (None, entries),
        };
        // A term is never empty: the root needs no file of its own.
        if !prefix.is_empty() {
            let (title, body) = merged(longer, self.documents);
            let file = [
                exact.map_or("", |e| e.title.as_str()),
                exact.map_or("", |e| e.body.as_str()),
                &title,
                &body,
            ];
            self.splits.push(prefix.to_owned());
            self.split_files.push(to_json(&file));
        }
        let depth = prefix.len();
        let mut rest = longer;
        while let Some(first) = rest.first() {
            let next = first.word[depth..].chars().next().expect("longer words");
            let child = format!("{prefix}{next}");
            let count = rest
                .iter()
                .take_while(|e| e.word.starts_with(&child))
                .count();
            self.split(&child, &rest[..count]);
            rest = &rest[count..];
        }
    }
}

/// The documents that hold any of these words in their title, and those
/// that hold one in their body only, encoded.
fn merged(entries: &[Entry], documents: usize) -> (String, String) {
    const TITLE: u8 = 2;
    const BODY: u8 = 1;
    let mut found = vec![0u8; documents];
    for entry in entries {
        for n in decode_set(&entry.title) {
            found[n as usize] = TITLE;
        }
        for n in decode_set(&entry.body) {
            found[n as usize] = found[n as usize].max(BODY);
        }
    }
    let with = |mark: u8| -> Vec<u32> {
        (0..documents as u32)
            .filter(|&n| found[n as usize] == mark)
            .collect()
    };
    (encode_set(&with(TITLE)), encode_set(&with(BODY)))
}

/// The numbers of an [`encode_set`] string.
pub fn decode_set(code: &str) -> Vec<u32> {
    let value = |c: u8| DIGITS.iter().position(|&d| d == c).expect("a digit") as u32;
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
mod tests {
    use super::*;

    fn document(title: &str, body: &str) -> SearchDocument {
        SearchDocument {
            t: title.into(),
            u: String::new(),
            k: "Issue",
            b: body.into(),
            c: String::new(),
        }
    }

    #[test]
    fn words_fold_case_accents_and_trim_dots() {
        assert_eq!(
            words("Résumé: SQL-Server 4.5... ..x. ÅNGSTRÖM"),
            ["resume", "sql", "server", "4.5", "x", "angstrom"]
        );
        assert_eq!(words("ΟΔΟΣ ΣΑΣ"), ["οδος", "σας"]);
        // Marks outside U+0300..U+036F stay and split words, as in the script.
        assert_eq!(words("a\u{0483}b"), ["a", "b"]);
        assert!(words(" -- ... ").is_empty());
    }

    #[test]
    fn sets_round_trip_in_both_encodings() {
        let sparse = vec![0, 5, 31, 32, 1000, 40_000, 1 << 20];
        let dense: Vec<u32> = (0..600).filter(|n| n % 3 != 0).collect();
        for set in [sparse, dense, vec![], vec![0], vec![7]] {
            let code = encode_set(&set);
            assert_eq!(decode_set(&code), set, "{code}");
            assert!(code.bytes().all(|b| b == b'~' || DIGITS.contains(&b)));
        }
        assert!(!encode_set(&[0, 5, 1000]).starts_with(BITMAP));
        let dense: Vec<u32> = (0..600).collect();
        assert!(encode_set(&dense).starts_with(BITMAP));
        assert_eq!(encode_set(&dense).len(), 101);
    }

    #[test]
    fn documents_are_numbered_by_title_length_then_site_order() {
        let documents = [
            document("Longer title", ""),
            document("Short", ""),
            document("Élan", ""),
            document("Small", ""),
            // One letter outside the BMP: two UTF-16 units, as JavaScript counts.
            document("\u{1D400}bc", ""),
        ];
        assert_eq!(ranking_order(&documents), [2, 4, 1, 3, 0]);
    }

    #[test]
    fn a_body_word_in_the_title_counts_for_the_title_only() {
        let documents = [
            document("Fax service", "The fax service"),
            document("Other", "fax"),
        ];
        let postings = postings(&documents, &ranking_order(&documents));
        let fax = &postings.iter().find(|(w, _)| w == "fax").unwrap().1;
        assert_eq!(
            (fax.title.as_slice(), fax.body.as_slice()),
            (&[1][..], &[0][..])
        );
        // The kind is part of the body.
        let issue = &postings.iter().find(|(w, _)| w == "issue").unwrap().1;
        assert_eq!(issue.body, [0, 1]);
    }

    /// Large enough to need several words files.
    fn many_documents() -> Vec<SearchDocument> {
        (0..3000)
            .map(|i| {
                document(
                    &format!("Upgrade {i} of release r{}", i % 97),
                    &format!("reboot restart rebuild w{i} x{} y{}", i % 13, i % 389),
                )
            })
            .collect()
    }

    /// Words files split past 2 KB.
    fn small_files() -> SearchFiles {
        let limits = SearchLimits {
            words_file_bytes: 2048,
            ..SearchLimits::default()
        };
        index(&many_documents(), limits)
    }

    #[test]
    fn large_indexes_are_split_into_bounded_files() {
        let files = small_files();
        let manifest: serde_json::Value = serde_json::from_str(&files.manifest).unwrap();
        let leaves = manifest["leaves"].as_array().unwrap();
        assert!(leaves.len() > 3, "{manifest}");
        assert!(!manifest["splits"].as_array().unwrap().is_empty());
        let words_files = files.parts.iter().filter(|(n, _)| !n.starts_with('d'));
        for (name, json) in words_files {
            // A word's postings alone can pass the limit: 2 bitmaps of 3000 documents.
            assert!(json.len() < 2048 + 1100, "{name}: {}", json.len());
        }
        let documents_files: Vec<&String> = files
            .parts
            .iter()
            .filter(|(n, _)| n.starts_with('d'))
            .map(|(_, json)| json)
            .collect();
        let groups = decode_set(manifest["groups"].as_str().unwrap());
        assert_eq!(groups.len(), documents_files.len());
        assert!(documents_files.len() > 10);
        let mut titles = Vec::new();
        for (file, &start) in documents_files.iter().zip(&groups) {
            assert!(file.len() <= DOCUMENTS_FILE_BYTES, "{}", file.len());
            assert_eq!(start as usize, titles.len());
            let held: Vec<serde_json::Value> = serde_json::from_str(file).unwrap();
            titles.extend(held.iter().map(|d| d["t"].as_str().unwrap().to_owned()));
        }
        let mut expected: Vec<String> = many_documents().into_iter().map(|d| d.t).collect();
        expected.sort_by_key(|t| t.len()); // stable: site order within a length
        assert_eq!(titles, expected);
    }

    #[test]
    fn every_word_is_in_the_leaf_of_its_longest_listed_prefix() {
        let files = small_files();
        let manifest: serde_json::Value = serde_json::from_str(&files.manifest).unwrap();
        let leaves: Vec<&str> = manifest["leaves"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        for (i, leaf) in leaves.iter().enumerate() {
            let json = &files
                .parts
                .iter()
                .find(|(n, _)| *n == format!("w{i}"))
                .unwrap()
                .1;
            let words: Vec<[String; 3]> = serde_json::from_str(json).unwrap();
            for [word, ..] in &words {
                assert!(word.starts_with(leaf), "{word} in leaf {leaf:?}");
                let deeper = leaves
                    .iter()
                    .any(|l| l.len() > leaf.len() && word.starts_with(l));
                assert!(!deeper, "{word} in {leaf:?} and a deeper leaf");
            }
        }
    }

    #[test]
    fn a_split_prefix_file_merges_its_longer_words() {
        let files = small_files();
        let manifest: serde_json::Value = serde_json::from_str(&files.manifest).unwrap();
        let splits: Vec<&str> = manifest["splits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        let r = splits.iter().position(|s| *s == "r").expect("r is split");
        let json = &files
            .parts
            .iter()
            .find(|(n, _)| *n == format!("p{r}"))
            .unwrap()
            .1;
        let [exact_title, exact_body, title, body]: [String; 4] =
            serde_json::from_str(json).unwrap();
        assert_eq!((exact_title.as_str(), exact_body.as_str()), ("", ""));
        // Every title has "release" and every body "reboot".
        assert_eq!(decode_set(&title).len(), 3000);
        assert!(decode_set(&body).is_empty());
    }

    #[test]
    fn the_index_is_the_same_every_time() {
        let a = small_files();
        let b = small_files();
        assert_eq!(a.manifest, b.manifest);
        assert!(a.parts == b.parts);
    }
}
