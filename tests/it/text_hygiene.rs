//! Terminal and text hygiene (the hardening issue, item 6): control
//! characters never reach pages, since a content file may not hold them
//! (raw or as escapes: a located error at load), and never reach the
//! reader's terminal, since everything printed escapes them, with the
//! bidirectional overrides. See "Text hygiene" in docs/security.md.

use crate::common;

use common::guarded::*;

const PRODUCT: &str =
    "name: A\nversions: [{id: \"1\"}, {id: \"2\"}]\nupgrades: {policy: sequential}\n";

/// What a terminal would act on: any control character but line feed and tab.
fn assert_inert(text: &str) {
    let found: Vec<char> = text
        .chars()
        .filter(|c| c.is_control() && *c != '\n' && *c != '\t')
        .collect();
    assert!(found.is_empty(), "{found:?} reach the terminal in:\n{text}");
    for bidi in ['\u{202e}', '\u{2066}'] {
        assert!(
            !text.contains(bidi),
            "{bidi:?} reaches the terminal in:\n{text}"
        );
    }
}

/// `from: "\e]0;PWNED\a\e[2J"` retitled the window and cleared the screen
/// of whoever ran `check`; NUL, BEL and ESC went into the HTML.
#[test]
fn escapes_that_make_control_characters_are_refused_where_they_are() {
    let cases = [
        (
            "from: \"\\e]0;PWNED\\a\\e[2J\"\nto: a@2\ndirect: supported\n",
            1,
            7,
            "U+001B (ESC)",
        ),
        (
            "from: a@1\nto: a@2\ndirect: supported\nsummary: \"ring \\a\"\n",
            4,
            10,
            "U+0007 (BEL)",
        ),
        (
            "from: a@1\nto: a@2\ndirect: supported\nsteps: [\"a\\0b\"]\n",
            4,
            9,
            "U+0000 (NUL)",
        ),
        (
            "from: a@1\nto: a@2\ndirect: supported\ntitle: \"x\\x9b31m\"\n",
            4,
            8,
            "U+009B",
        ),
        (
            "from: a@1\nto: a@2\ndirect: supported\nnotes: \"\\u007f\"\n",
            4,
            8,
            "U+007F (DEL)",
        ),
        (
            "from: a@1\nto: a@2\ndirect: supported\ntitle: !!binary GwA=\n",
            4,
            17,
            "U+001B (ESC)",
        ),
    ];
    for (scenario, line, column, character) in cases {
        let kb = Kb::new();
        kb.write("content/products/a.yaml", PRODUCT);
        kb.write("content/scenarios/s.yaml", scenario);
        let run = kb.check();
        assert_error_with_hint(
            &run,
            "content/scenarios/s.yaml",
            Some(line),
            &[character, "written as an escape or a `!!binary` value"],
        );
        assert!(
            run.stderr.contains(&format!("s.yaml:{line}:{column}:")),
            "at column {column}: {}",
            run.stderr
        );
        assert_inert(&run.stderr);
        let site = kb.root().join("site");
        let run = kb.run(&["build", "--output", site.to_str().unwrap()]);
        assert_exit(&run, 1);
        assert!(!site.exists(), "no page is written");
    }
}

#[test]
fn control_characters_written_raw_are_refused_at_their_place() {
    for (text, line, column, character) in [
        (
            "name: A\u{1b}[2J\nversions: [{id: \"1\"}]\n",
            1,
            8,
            "U+001B (ESC)",
        ),
        (
            "name: A\nversions: [{id: \"1\"}]\n# ring \u{7}\n",
            3,
            8,
            "U+0007 (BEL)",
        ),
        ("name: A\0\nversions: [{id: \"1\"}]\n", 1, 8, "U+0000 (NUL)"),
        // Columns count characters, not bytes.
        (
            "name: A\nsummary: Élan ü\u{1b}\nversions: [{id: \"1\"}]\n",
            2,
            16,
            "U+001B (ESC)",
        ),
        (
            "name: A\nsummary: x\u{85}y\nversions: [{id: \"1\"}]\n",
            2,
            11,
            "U+0085",
        ),
    ] {
        let kb = Kb::new();
        kb.write("content/products/a.yaml", text);
        let run = kb.check();
        assert_error_with_hint(
            &run,
            "content/products/a.yaml",
            Some(line),
            &[character, "in the file"],
        );
        assert!(
            run.stderr.contains(&format!("a.yaml:{line}:{column}:")),
            "at column {column}: {}",
            run.stderr
        );
        assert_inert(&run.stderr);
    }
}

/// Tabs and line breaks are text, written raw or as escapes.
#[test]
fn tabs_and_line_breaks_are_text() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT);
    kb.write(
        "content/scenarios/s.yaml",
        "from: a@1\nto: a@2\ndirect: supported\nsummary: \"one\\ttab\\nand a line\"\r\nnotes: |\n  \ttabbed\r\n",
    );
    assert_exit(&kb.check(), 0);
}

/// A bidirectional override in a content file shows text in another order
/// than it is written (a command could read one way and copy another): it
/// is left out of the site with a warning at its place, never an error,
/// since earlier releases published it.
#[test]
fn bidirectional_controls_are_left_out_with_a_warning() {
    let kb = Kb::new();
    kb.write(
        "content/products/a.yaml",
        "name: \"Alpha \u{202e}evil\"\nversions: [{id: \"1\"}, {id: \"2\"}]\nupgrades: {policy: sequential}\n",
    );
    let run = kb.check();
    assert_exit(&run, 0);
    assert!(
        run.stderr.contains(
            "content/products/a.yaml:1:14: warning: bidirectional control character U+202E"
        ),
        "{}",
        run.stderr
    );
    assert_inert(&run.stderr);
    let site = kb.root().join("site");
    assert_exit(&kb.run(&["build", "--output", site.to_str().unwrap()]), 0);
    let page = std::fs::read_to_string(site.join("products/a/index.html")).unwrap();
    assert!(page.contains("Alpha evil") && !page.contains('\u{202e}'));
}

/// Names that no check refuses (a file name, a command-line argument) are
/// escaped when printed.
#[test]
fn what_is_printed_is_escaped() {
    let kb = Kb::new();
    kb.write(
        "content/products/a.yaml",
        PRODUCT.replace("name: A", "name: Alpha evil"),
    );
    kb.write("content/products/b\u{1b}[2J.yaml", PRODUCT);
    let run = kb.check();
    assert_error_with_hint(
        &run,
        "content/products/b\\u{1b}[2J.yaml",
        Some(1),
        &["not a valid product id"],
    );
    assert_inert(&run.stderr);
    std::fs::remove_file(kb.root().join("content/products/b\u{1b}[2J.yaml")).unwrap();

    let run = kb.run(&["path", "a@1", "a@2"]);
    assert_exit(&run, 0);
    assert!(run.stdout.contains("Alpha evil 1 -> "), "{}", run.stdout);
    assert_inert(&run.stdout);

    let run = kb.run(&["path", "a@1", "a@2", "--json"]);
    assert_exit(&run, 0);
    assert_inert(&run.stdout);
    let answer: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(answer["path"], serde_json::json!(["a@1", "a@2"]));

    let run = kb.run(&["path", "a@1", "\u{1b}]0;PWNED\u{7}"]);
    assert_exit(&run, 2);
    assert!(
        run.stderr.contains("\\u{1b}]0;PWNED\\u{7}"),
        "{}",
        run.stderr
    );
    assert_inert(&run.stderr);

    let run = kb.run(&["build", "--base-url", "https://x\u{1b}[2J"]);
    assert_exit(&run, 1);
    assert_inert(&run.stderr);
}
