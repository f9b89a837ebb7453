//! What one fuzz input does, shared by the fuzz target
//! (`fuzz/fuzz_targets/check.rs`) and the tests that replay its findings
//! (`tests/it/fuzz_loader.rs`): the input is cut into content files, checked
//! in memory (load -> resolve -> graph), and then either every problem is
//! printed or paths are searched from every version. Whatever comes in,
//! nothing may panic, and nothing printed may hold a control character.

use std::path::PathBuf;

use upgrade_atlas::graph::UpgradeGraph;
use upgrade_atlas::model::Facts;

/// Where the parts of an input go, in order; parts are separated by a line
/// `%%`. More parts than names start over at the first name's folder
/// with a number (`products/a.yaml`, then `products/a1.yaml`, ...).
const FILES: &[&str] = &[
    "products/a.yaml",
    "scenarios/s.yaml",
    "products/b.yaml",
    "site.yaml",
    "components/c.yaml",
    "scenarios/t/u.yaml",
    "components/d.yaml",
    "static/files/x.txt",
];

/// The content files an input stands for.
pub fn files(data: &[u8]) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    for (index, part) in split(data, b"\n%%\n").into_iter().enumerate() {
        let name = FILES[index % FILES.len()];
        let round = index / FILES.len();
        let name = match (round, name.rsplit_once('.')) {
            (0, _) | (_, None) => name.to_owned(),
            (_, Some((stem, extension))) => format!("{stem}{round}.{extension}"),
        };
        if !part.is_empty() {
            files.push((PathBuf::from(name), part.to_vec()));
        }
    }
    files
}

fn split<'a>(data: &'a [u8], separator: &[u8]) -> Vec<&'a [u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some(at) = rest.windows(separator.len()).position(|w| w == separator) {
        parts.push(&rest[..at]);
        rest = &rest[at + separator.len()..];
    }
    parts.push(rest);
    parts
}

/// The most versions whose paths are searched, so that one input stays quick.
const SEARCHED: usize = 64;

/// Checks the input; panics on any fault it finds.
pub fn exercise(data: &[u8]) {
    let files = files(data);
    match upgrade_atlas::check_files(&files) {
        Ok(checked) => {
            let model = &checked.model;
            assert_no_control_characters(&format!("{model:?}"));
            for warning in &checked.warnings {
                assert_printable(&warning.render(&model.sources));
            }
            let graph = UpgradeGraph::new(model);
            let mut fact_sets = vec![Facts::none()];
            if !model.site.conditions.is_empty() {
                fact_sets.push(Facts((0..model.site.conditions.len()).collect()));
            }
            for facts in &fact_sets {
                let edges = graph.edges(facts);
                for from in 0..model.nodes.len().min(SEARCHED) {
                    let tree = edges.paths_from(from);
                    for to in tree.reached() {
                        let path = tree.path_to(to).expect("a reached version has a path");
                        assert_eq!(path.first(), Some(&from));
                        assert_eq!(path.last(), Some(&to));
                        for hop in path.windows(2) {
                            assert!(edges.has(hop[0], hop[1]), "a path takes only edges");
                        }
                        let answer = edges.answer(&path, from);
                        assert_eq!(answer.hops.len(), path.len() - 1);
                    }
                }
            }
        }
        Err(failure) => {
            assert!(
                failure.diagnostics.iter().any(|d| d.is_error()),
                "a failure has an error"
            );
            for diagnostic in &failure.diagnostics {
                assert_printable(&diagnostic.render(&failure.sources));
                assert_in_our_words(&diagnostic.to_string(), data);
            }
        }
    }
}

/// What the parser's messages say to programmers, not to writers: the
/// names of our Rust types and of its functions, its budget's field names.
const LEAKS: &[&str] = &[
    "span-aware",
    "from_str",
    "struct Raw",
    "enum Raw",
    "budget breached",
    "(used;",
    "Spanned",
];

/// A diagnostic speaks of the content, not of the code that read it
/// (unless the content itself says those words, and it is quoted).
fn assert_in_our_words(diagnostic: &str, input: &[u8]) {
    let written = |words: &str| input.windows(words.len()).any(|w| w == words.as_bytes());
    for leak in LEAKS.iter().filter(|leak| !written(leak)) {
        assert!(
            !diagnostic.contains(leak),
            "`{leak}` in a diagnostic: {diagnostic}"
        );
    }
}

/// A checked model holds no control character but tab, line feed and
/// carriage return in any of its texts, which pages would carry. Read
/// from its `Debug` form, where they show as escapes (`\u{1b}`, `\0`)
/// after an odd number of backslashes (an even number is a backslash of
/// the text itself).
pub fn assert_no_control_characters(debug: &str) {
    let bytes = debug.as_bytes();
    for (at, _) in debug.match_indices('\\') {
        let backslashes = bytes[..=at]
            .iter()
            .rev()
            .take_while(|b| **b == b'\\')
            .count();
        if backslashes % 2 == 0 || bytes.get(at + 1) == Some(&b'\\') {
            continue;
        }
        let rest = &debug[at + 1..];
        let escaped = if rest.starts_with('0') {
            Some('\0')
        } else {
            rest.strip_prefix("u{")
                .and_then(|hex| hex.split_once('}'))
                .and_then(|(hex, _)| u32::from_str_radix(hex, 16).ok())
                .and_then(char::from_u32)
        };
        if let Some(c) = escaped {
            assert!(
                !c.is_control(),
                "the model holds the control character {c:?}: {}",
                &debug[at.saturating_sub(80)..(at + 40).min(debug.len())]
            );
        }
    }
}

/// Text for a terminal holds no control character but line feeds and tabs.
fn assert_printable(text: &str) {
    assert!(
        !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "a control character reaches the terminal: {text:?}"
    );
}
