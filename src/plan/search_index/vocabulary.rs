//! The vocabulary the typo fallback searches: every whole word of plain
//! letters, grouped by its first two letters, most documents first. A
//! misspelt word ("strech") is replaced by a word one edit away that keeps
//! its first letter; the candidates mostly share its first two letters
//! too, so a query that finds nothing loads the manifest and a file or
//! three of bare words (a few KB), not the words files of their postings
//! (about 30 KB on the 10,000-scenario corpus; issue 24 allows 25 KB).

use super::sets::encode_set;
use super::to_json;

/// The letters of a group key.
const LETTERS: u32 = 26;

/// Words shorter than this are never a correction: the script replaces
/// words of four letters or more, and one edit takes a letter away.
const SHORTEST: usize = 3;

/// Words grouped by their first two letters.
#[derive(Default)]
pub(super) struct Vocabulary {
    /// (group number, document count, word)
    words: Vec<(u32, usize, String)>,
}

impl Vocabulary {
    /// Adds an index word held by `documents` documents, if it is one a
    /// correction may offer: plain letters a to z, three or more.
    pub(super) fn add(&mut self, word: &str, documents: usize) {
        if let Some(group) = group_number(word) {
            self.words.push((group, documents, word.to_owned()));
        }
    }

    /// The set of groups (for the manifest) and a file a group: `v<ab>`,
    /// its words space-separated, most documents first, then in order.
    pub(super) fn finish(mut self) -> (String, Vec<(String, String)>) {
        self.words
            .sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let mut groups = Vec::new();
        let mut files = Vec::new();
        for chunk in self.words.chunk_by(|a, b| a.0 == b.0) {
            let group = chunk[0].0;
            let words: Vec<&str> = chunk.iter().map(|(_, _, w)| w.as_str()).collect();
            groups.push(group);
            files.push((format!("v{}", &chunk[0].2[..2]), to_json(&words.join(" "))));
        }
        (encode_set(&groups), files)
    }
}

/// The group of a word: its first two letters as a number (`aa` 0, `ab` 1,
/// `ba` 26), if it is all letters a to z and long enough.
fn group_number(word: &str) -> Option<u32> {
    let bytes = word.as_bytes();
    if bytes.len() < SHORTEST || !bytes.iter().all(u8::is_ascii_lowercase) {
        return None;
    }
    let letter = |b: u8| u32::from(b - b'a');
    Some(letter(bytes[0]) * LETTERS + letter(bytes[1]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::search_index::decode_set;

    #[test]
    fn groups_words_by_two_letters_most_documents_first() {
        let mut vocabulary = Vocabulary::default();
        for (word, documents) in [
            ("stretch", 3),
            ("status", 9),
            ("stop", 9),
            ("bullseye", 2),
            ("st", 50),
            ("8.4", 50),
            ("naïve", 4),
            ("stage", 1),
        ] {
            vocabulary.add(word, documents);
        }
        let (groups, files) = vocabulary.finish();
        assert_eq!(decode_set(&groups), vec![26 + 20, 18 * 26 + 19]);
        assert_eq!(
            files,
            vec![
                ("vbu".to_owned(), "\"bullseye\"".to_owned()),
                ("vst".to_owned(), "\"status stop stretch stage\"".to_owned()),
            ]
        );
    }
}
