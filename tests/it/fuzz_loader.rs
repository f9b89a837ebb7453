//! Fuzzing the loader on stable Rust: random YAML-like text and random bytes
//! in every kind of content file. Whatever comes in, `check` must answer
//! with diagnostics or a model, never panic. The coverage-guided target
//! (`fuzz/`, cargo-fuzz) shares [`exercise`] with these tests: its seeds and
//! every input it found a fault with (`fuzz/regressions/`) replay here, and
//! a short random run of it is part of `cargo test`.

use std::path::Path;

use proptest::prelude::*;

#[path = "../../fuzz/exercise.rs"]
mod exercise;

/// Every file of a folder of fuzz inputs, by name.
fn inputs(folder: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(folder);
    let mut found: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("a readable entry").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).expect("a readable input"))
        })
        .filter(|(name, _)| !name.starts_with('.'))
        .collect();
    found.sort();
    found
}

#[test]
fn the_fuzz_seeds_replay_and_the_full_one_checks_clean() {
    let seeds = inputs("seeds");
    assert!(seeds.len() >= 5, "the fuzz target needs its seeds");
    for (name, bytes) in &seeds {
        eprintln!("seed {name}");
        exercise::exercise(bytes);
    }
    let (_, full) = seeds
        .iter()
        .find(|(name, _)| name == "full")
        .expect("fuzz/seeds/full");
    let checked = upgrade_atlas::check_files(&exercise::files(full))
        .expect("the full seed is a clean knowledge base, so that fuzzing starts deep");
    assert!(checked.model.scenarios.len() == 2 && checked.model.components.len() == 2);
}

/// Every input the fuzz target found a fault with, once fixed.
#[test]
fn fuzz_findings_stay_fixed() {
    for (name, bytes) in inputs("regressions") {
        eprintln!("regression {name}");
        exercise::exercise(&bytes);
    }
}

/// Text built from YAML's own punctuation, keywords of the format and ids,
/// so that the parser gets deep into documents instead of failing at once.
fn yamlish() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("\n".to_owned()),
        Just("  ".to_owned()),
        Just("- ".to_owned()),
        Just(": ".to_owned()),
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just(", ".to_owned()),
        Just("\"".to_owned()),
        Just("'".to_owned()),
        Just("&a ".to_owned()),
        Just("*a".to_owned()),
        Just("<<: ".to_owned()),
        Just("|\n".to_owned()),
        Just("# c\n".to_owned()),
        Just("\t".to_owned()),
        Just("\u{feff}".to_owned()),
        Just("\r\n".to_owned()),
        Just("!!str ".to_owned()),
        Just("---\n".to_owned()),
        Just("~".to_owned()),
        prop::sample::select(vec![
            "name",
            "versions",
            "id",
            "from",
            "to",
            "direct",
            "supported",
            "unsupported",
            "upgrades",
            "policy",
            "any-newer",
            "sequential",
            "required_stops",
            "when",
            "unless",
            "issues",
            "title",
            "severity",
            "component",
            "applies_if",
            "originally",
            "via",
            "summary",
            "links",
            "url",
            "a",
            "a@1",
            "a@*",
            "a@>1,<3",
            "a@1.*",
            "a@1|2",
            "1.10",
            "4.0",
            "@a@1",
            "[x](@a)",
            "javascript:x",
            "depends_on",
            "conditions",
            "clustered",
            "released",
            "1998-12-01",
        ])
        .prop_map(str::to_owned),
        "[ -~]{0,6}",
    ];
    prop::collection::vec(pieces, 0..60).prop_map(|p| p.concat())
}

fn check_does_not_panic(files: &[(&str, Vec<u8>)]) {
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in files {
        let path = dir.path().join("content").join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    // A panic fails the property; errors are a fine answer.
    let _ = upgrade_atlas::check(dir.path());
}

const VALID_PRODUCT: &str =
    "name: A\nversions: [{id: \"1\"}, {id: \"2\"}, {id: \"3\"}]\nupgrades: {policy: sequential}\n";

proptest! {
    #![proptest_config(ProptestConfig { cases: crate::common::proptest_cases(300), ..ProptestConfig::default() })]

    #[test]
    fn yaml_like_text_never_panics(product in yamlish(), scenario in yamlish(), site in yamlish(), component in yamlish()) {
        check_does_not_panic(&[
            ("products/a.yaml", product.into_bytes()),
            ("products/b.yaml", VALID_PRODUCT.as_bytes().to_vec()),
            ("scenarios/s.yaml", scenario.into_bytes()),
            ("site.yaml", site.into_bytes()),
            ("components/c.yaml", component.into_bytes()),
        ]);
    }

    #[test]
    fn scenarios_against_a_valid_product_never_panic(scenario in yamlish()) {
        let scenario = format!("from: a@1\nto: a@3\ndirect: supported\n{scenario}");
        check_does_not_panic(&[
            ("products/a.yaml", VALID_PRODUCT.as_bytes().to_vec()),
            ("scenarios/s.yaml", scenario.into_bytes()),
        ]);
    }

    /// A short run of the coverage-guided target's own harness: parts of
    /// YAML-like text as content files, checked in memory, then every path.
    #[test]
    fn the_fuzz_harness_on_random_files(parts in prop::collection::vec(yamlish(), 1..9)) {
        exercise::exercise(parts.join("\n%%\n").as_bytes());
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        check_does_not_panic(&[
            ("products/a.yaml", bytes.clone()),
            ("scenarios/s.yaml", bytes),
        ]);
    }
}

/// The harness's look into the model catches a control character however
/// it is escaped in the model's `Debug` form, and only a real one.
#[test]
#[should_panic(expected = "control character")]
fn the_model_check_sees_escaped_control_characters() {
    exercise::assert_no_control_characters(r#"Product { name: "a\u{1b}b" }"#);
}

#[test]
#[should_panic(expected = "control character")]
fn the_model_check_sees_nul() {
    exercise::assert_no_control_characters(r#"Product { name: "a\\\0" }"#);
}

#[test]
fn the_model_check_lets_written_backslashes_be() {
    exercise::assert_no_control_characters(r#"Product { name: "C:\\u{1b}\\0 \t\n\r \u{200b}" }"#);
}
