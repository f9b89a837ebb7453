//! Awkward input: files that a careless loader misreads (byte order marks,
//! CRLF, versions that look like numbers) and files that would make it panic,
//! hang, overflow its stack or eat all memory (alias bombs, deep nesting,
//! huge files, symlink loops).
//!
//! These tests use the command-line contract only (see
//! tests/conformance/README.md): `upgrade-atlas --root DIR check` exits 0
//! when clean and 1 with errors on stderr, one error a line, starting with
//! `path:line:column:` (path relative to DIR), possibly followed by indented
//! lines (snippets, hints); `path FROM TO --json` prints one JSON object.
//!
//! Every run of the binary is watched (tests/it/common/guarded.rs): it is
//! killed, and the test fails, if it uses more than [`CPU_LIMIT`] of
//! processor time, waits past [`TIMEOUT`], or its resident memory grows past
//! [`MAX_RSS_KIB`]: guards against runaway work, hangs and runaway
//! allocation, not speed measurements.

use crate::common;

use std::fmt::Write as _;
use std::fs;

use common::guarded::*;
use serde_json::{Value, json};

/// A valid product with two versions.
const PRODUCT_A: &str = "name: A\nversions:\n  - id: \"1.0\"\n  - id: \"2.0\"\n";

// ---------------------------------------------------------------------------
// Read correctly

#[test]
fn byte_order_mark_is_ignored() {
    let kb = Kb::new();
    kb.write(
        "content/products/a.yaml",
        format!("\u{feff}{PRODUCT_A}upgrades:\n  policy: sequential\n"),
    );
    assert_exit(&kb.check(), 0);
    kb.assert_path("a@1.0", "a@2.0", &json!(["a@1.0", "a@2.0"]));
}

#[test]
fn crlf_line_ends_are_read_like_lf() {
    let kb = Kb::new();
    let product = "name: A\n\
                   summary: |\n  First line.\n  Second line.\n\
                   versions:\n  - id: \"1.0\"\n  - id: 2.0\n  - id: \"3.0\"\n";
    let scenario = "from: a@1.0\n\
                    to: a@3.0\n\
                    direct: supported\n\
                    steps:\n  - Back up.\n  - Upgrade.\n\
                    issues:\n  - title: Mind the gap\n    severity: info\n    body: |\n      Two\n      lines.\n";
    kb.write("content/products/a.yaml", product.replace('\n', "\r\n"));
    kb.write("content/scenarios/s.yaml", scenario.replace('\n', "\r\n"));
    assert_exit(&kb.check(), 0);
    let value = kb.assert_path("a@1.0", "a@3.0", &json!(["a@1.0", "a@3.0"]));
    let issues = value["issues"].as_array().expect("issues");
    assert_eq!(issues.len(), 1, "issues in {value}");
    assert_eq!(issues[0]["title"], json!("Mind the gap"), "in {value}");
    assert_eq!(issues[0]["severity"], json!("info"), "in {value}");
    assert_eq!(issues[0]["scenario"], json!("s"), "in {value}");
    // 2.0 (unquoted, before a CR) must still be the version "2.0", and no
    // rule links the versions: the only route is the scenario.
    kb.assert_path("a@1.0", "a@2.0", &Value::Null);
}

#[test]
fn unquoted_versions_keep_their_text() {
    let kb = Kb::new();
    kb.write(
        "content/products/a.yaml",
        "name: A\n\
         versions:\n  - id: 1.9\n  - id: 1.10\n  - id: 1.100\n\
         upgrades: { policy: sequential }\n",
    );
    assert_exit(&kb.check(), 0);
    kb.assert_path("a@1.9", "a@1.100", &json!(["a@1.9", "a@1.10", "a@1.100"]));
}

#[test]
fn unquoted_float_and_alphanumeric_version_ids() {
    let kb = Kb::new();
    kb.write(
        "content/products/a.yaml",
        "name: A\n\
         versions:\n  - id: 4.0\n  - id: 2012r2\n    name: 2012 R2\n\
         upgrades: { policy: sequential }\n",
    );
    assert_exit(&kb.check(), 0);
    kb.assert_path("a@4.0", "a@2012r2", &json!(["a@4.0", "a@2012r2"]));
}

// ---------------------------------------------------------------------------
// Clear, located errors

#[test]
fn empty_product_file() {
    let kb = Kb::new();
    kb.write("content/products/b.yaml", PRODUCT_A.replace('A', "B"));
    kb.write("content/products/a.yaml", "");
    assert_error(&kb.check(), "content/products/a.yaml", Some(1), &[]);
}

#[test]
fn product_file_that_is_a_list() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", "- id: \"1.0\"\n- id: \"2.0\"\n");
    assert_error(&kb.check(), "content/products/a.yaml", Some(1), &[]);
}

#[test]
fn tab_indentation() {
    let kb = Kb::new();
    kb.write(
        "content/products/a.yaml",
        "name: A\nversions:\n\t- id: \"1.0\"\n\t- id: \"2.0\"\n",
    );
    assert_error(&kb.check(), "content/products/a.yaml", Some(3), &[]);
}

#[test]
fn duplicate_key_names_the_second() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", format!("{PRODUCT_A}name: B\n"));
    assert_error(&kb.check(), "content/products/a.yaml", Some(5), &["name"]);
}

#[test]
fn non_utf8_bytes() {
    let kb = Kb::new();
    let mut bytes = b"name: A\xff\n".to_vec();
    bytes.extend_from_slice(b"versions:\n  - id: \"1.0\"\n  - id: \"2.0\"\n");
    kb.write("content/products/a.yaml", bytes);
    assert_error(&kb.check(), "content/products/a.yaml", Some(1), &["utf"]);
}

#[test]
fn ten_megabyte_file() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT_A);
    let summary = "x".repeat(10 * 1024 * 1024);
    kb.write(
        "content/scenarios/big.yaml",
        format!("from: a@1.0\nto: a@2.0\ndirect: supported\nsummary: {summary}\n"),
    );
    let run = kb.check();
    // Never read, so never shown: named alone, with no made-up line.
    assert_error_at_path(&run, "content/scenarios/big.yaml", &["too large"]);
    assert!(
        run.stderr.len() < 1024 * 1024,
        "the error output echoes the huge file back ({} bytes)",
        run.stderr.len()
    );
}

#[test]
fn alias_bomb() {
    // Billion laughs: nine levels of nine aliases, 9^9 copies of "lol" when
    // expanded.
    let mut text = format!("{PRODUCT_A}l0: &l0 lol\n");
    for level in 1..=9 {
        let aliases = vec![format!("*l{}", level - 1); 9].join(", ");
        writeln!(text, "l{level}: &l{level} [{aliases}]").expect("write to a String");
    }
    text.push_str("summary: *l9\n");
    let kb = Kb::new();
    kb.write("content/products/a.yaml", text);
    assert_error(&kb.check(), "content/products/a.yaml", None, &[]);
}

#[test]
fn deep_nesting_in_a_value() {
    let kb = Kb::new();
    kb.write(
        "content/products/a.yaml",
        format!(
            "{PRODUCT_A}summary: {}{}\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ),
    );
    assert_error(&kb.check(), "content/products/a.yaml", Some(5), &[]);
}

#[test]
fn deep_nesting_at_top_level() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT_A);
    kb.write(
        "content/products/deep.yaml",
        format!("{}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
    );
    assert_error(&kb.check(), "content/products/deep.yaml", Some(1), &[]);
}

#[cfg(unix)]
#[test]
fn symlink_loop() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT_A);
    let scenarios = kb.mkdir("content/scenarios");
    // content/scenarios/loop -> content/, so content/scenarios/loop/scenarios/loop/...
    std::os::unix::fs::symlink("..", scenarios.join("loop")).expect("create a symlink");
    assert_names(&kb.check(), "content/scenarios/loop");
}

#[cfg(unix)]
#[test]
fn symlink_out_of_content() {
    let outside = tempfile::tempdir().expect("create a temporary folder");
    let target = outside.path().join("b.yaml");
    fs::write(&target, PRODUCT_A.replace('A', "B")).expect("write a file");
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT_A);
    let products = kb.mkdir("content/products");
    std::os::unix::fs::symlink(&target, products.join("b.yaml")).expect("create a symlink");
    assert_names(&kb.check(), "content/products/b.yaml");
}

#[test]
fn unknown_field_in_a_version_suggests_the_known_one() {
    let kb = Kb::new();
    kb.write(
        "content/products/a.yaml",
        "name: A\nversions:\n  - id: \"1.0\"\n    nmae: x\n  - id: \"2.0\"\n",
    );
    let run = kb.check();
    assert_error(&run, "content/products/a.yaml", Some(4), &["nmae"]);
    let hinted = diagnostics(&run.stderr).iter().any(|d| {
        let lower = d.to_lowercase();
        located_at(d, "content/products/a.yaml", Some(4))
            && lower
                .split_once("did you mean")
                .is_some_and(|(_, hint)| hint.contains("name"))
    });
    assert!(
        hinted,
        "expected the error on line 4 to say \"did you mean `name`\"; stderr:\n{}",
        excerpt(&run.stderr)
    );
}

#[test]
fn unsupported_value_of_direct_lists_the_choices() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT_A);
    kb.write(
        "content/scenarios/s.yaml",
        "from: a@1.0\nto: a@2.0\ndirect: maybe\n",
    );
    let run = kb.check();
    assert_error(&run, "content/scenarios/s.yaml", Some(3), &["unsupported"]);
    // Both choices: "supported" on its own as well as inside "unsupported".
    let listed = diagnostics(&run.stderr).iter().any(|d| {
        located_at(d, "content/scenarios/s.yaml", Some(3))
            && d.to_lowercase().matches("supported").count() >= 2
    });
    assert!(
        listed,
        "expected the error on line 3 to list `supported` and `unsupported`; stderr:\n{}",
        excerpt(&run.stderr)
    );
}

#[test]
fn every_broken_file_is_reported_at_once() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT_A);
    kb.write(
        "content/products/b.yaml",
        "name: B\nversions:\n\t- id: \"1.0\"\n",
    );
    kb.write(
        "content/products/c.yaml",
        b"name: C\xff\nversions:\n  - id: \"1.0\"\n",
    );
    kb.write("content/products/e.yaml", "");
    kb.write(
        "content/scenarios/x/s1.yaml",
        "from: a@1.0\nto: a@2.0\ndirect: maybe\n",
    );
    kb.write(
        "content/scenarios/s2.yaml",
        "from: a@1.0\nto: a@2.0\ndirect: supported\nsumary: typo\n",
    );
    let run = kb.check();
    for path in [
        "content/products/b.yaml",
        "content/products/c.yaml",
        "content/products/e.yaml",
        "content/scenarios/x/s1.yaml",
        "content/scenarios/s2.yaml",
    ] {
        assert_error(&run, path, None, &[]);
    }
}

#[test]
fn uppercase_product_id() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT_A);
    kb.write("content/products/Upper.yaml", PRODUCT_A.replace('A', "U"));
    assert_names(&kb.check(), "content/products/Upper.yaml");
}

#[test]
fn product_id_starting_with_a_dash() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT_A);
    kb.write("content/products/-bad.yaml", PRODUCT_A.replace('A', "Bad"));
    assert_names(&kb.check(), "content/products/-bad.yaml");
}

#[test]
fn missing_content_folder() {
    let kb = Kb::new();
    kb.write("README.md", "Not a knowledge base.\n");
    let run = kb.check();
    assert_exit(&run, 1);
    assert!(
        run.stderr.to_lowercase().contains("content"),
        "expected stderr to say that content/ is missing; stderr:\n{}",
        excerpt(&run.stderr)
    );
}
