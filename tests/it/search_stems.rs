//! The page's stemmer (`stem()` in templates/assets/search.js, a port of
//! Porter2) and the index's (`search_index::stem`, the rust-stemmers
//! crate) give the same stem for every word of Snowball's published
//! English vocabulary sample (tests/fixtures/porter2), in Debian's Chromium
//! from file://. A query's stem that differs from the index's by one letter
//! finds nothing, so one disagreement fails the test.

use crate::common;

use std::path::Path;

use common::chromium::{chromium, dump_dom};
use common::{sel, text_of};
use upgrade_atlas::plan::search_index::stem;

/// Loads the search script alone and prints the stem of every word of
/// `words.js` as JSON.
const HARNESS: &str = r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>harness</title></head>
<body data-root=""><pre id="out"></pre>
<script src="words.js"></script><script src="search.js"></script>
<script>
var out = document.getElementById("out");
try {
  out.textContent = JSON.stringify(window.WORDS.map(window.UpgradeAtlasSearch.stem));
} catch (error) {
  out.textContent = "harness failed: " + error;
}
</script></body></html>"#;

/// Words outside Snowball's sample on which the two must agree too: words
/// of upgrade notes, the exceptional forms Snowball's old vocabulary lacks,
/// and words the script keeps whole (not all letters a to z).
const MORE: &[&str] = &[
    "upgrade",
    "upgrades",
    "upgraded",
    "upgrading",
    "downgrade",
    "downgrading",
    "statuses",
    "database",
    "databases",
    "replication",
    "replicated",
    "installation",
    "configured",
    "skis",
    "howe",
    "atlas",
    "cosmos",
    "inning",
    "outing",
    "herring",
    "arsenal",
    "arsenic",
    "kiwis",
    "sayyid",
    "yyyy",
    "ayyy",
    "ied",
    "ies",
    "s",
    "",
    "by",
    "8.4",
    "v2.0.1",
    "naïve",
    "résumés",
    "straße",
    "x86s",
];

/// The sample's words (the first column of `word stem` lines), then MORE.
fn words() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/porter2/sample.txt");
    let sample = std::fs::read_to_string(path).unwrap();
    let mut words: Vec<String> = sample
        .lines()
        .filter_map(|line| line.split(' ').next())
        .map(str::to_owned)
        .collect();
    assert!(words.len() > 3000, "the sample has {} words", words.len());
    words.extend(MORE.iter().map(|w| w.to_string()));
    words
}

/// The script's stem of each word, from the harness page in Chromium.
fn script_stems(chromium: &Path, words: &[String]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/assets/search.js");
    std::fs::copy(script, dir.path().join("search.js")).unwrap();
    // `<` escaped: the list sits in a script element.
    let list = serde_json::to_string(words)
        .unwrap()
        .replace('<', "\\u003c");
    std::fs::write(
        dir.path().join("words.js"),
        format!("window.WORDS = {list};\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("harness.html"), HARNESS).unwrap();
    let html = dump_dom(chromium, &dir.path().join("harness.html"), "");
    let document = scraper::Html::parse_document(&html);
    let json = document
        .select(&sel("#out"))
        .map(text_of)
        .collect::<String>();
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

#[test]
fn search_script_stems_as_the_index_does() {
    let Some(chromium) = chromium() else { return };
    let words = words();
    let script = script_stems(&chromium, &words);
    assert_eq!(script.len(), words.len());
    let differences: Vec<String> = words
        .iter()
        .zip(&script)
        .filter(|(word, script)| stem(word) != **script)
        .map(|(word, script)| format!("{word:?}: index {:?}, script {script:?}", stem(word)))
        .collect();
    assert!(
        differences.is_empty(),
        "{} of {} words stem differently, first:\n{}",
        differences.len(),
        words.len(),
        differences[..differences.len().min(10)].join("\n")
    );
}
