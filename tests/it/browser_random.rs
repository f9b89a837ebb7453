//! The path finder against the engine on random knowledge bases with
//! conditions: the property tests' bases (tests/it/plan_properties.rs:
//! conditional scenarios and issues, `originally`, requirements) go through
//! the same Chromium oracle as the fixed bases of tests/it/browser.rs, so
//! that what the brute force checks of the engine, the browser's port
//! answers too. A few bases from a fixed seed keep it quick (some seconds)
//! and the same on every run.

use crate::browser::cross_check;
use crate::common;
use crate::plan_properties::random_bases_with_conditions;

use common::chromium::chromium;

/// How many random bases; each is built and asked every pair of versions
/// under every set of its two conditions, from every start.
const BASES: usize = 4;

#[test]
fn path_finder_agrees_with_the_engine_on_random_bases_with_conditions() {
    let Some(chromium) = chromium() else { return };
    let mut differences = Vec::new();
    for files in random_bases_with_conditions(BASES) {
        let kb = tempfile::tempdir().unwrap();
        for (path, bytes) in &files {
            let path = kb.path().join("content").join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        differences.extend(cross_check(&chromium, kb.path()));
    }
    assert!(
        differences.is_empty(),
        "{} differences, the first:\n{}",
        differences.len(),
        differences
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
