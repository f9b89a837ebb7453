//! The path finder against the engine on random knowledge bases with
//! conditions: the property tests' bases (tests/it/plan_properties.rs:
//! conditional scenarios and issues, `originally`, requirements) go through
//! the same Chromium oracles as the fixed bases of tests/it/browser.rs
//! (paths) and tests/it/browser_plans.rs (plans), so that what the brute
//! force checks of the engine, the browser's port answers too. A few bases
//! from a fixed seed keep it quick (some seconds) and the same on every run.

use std::path::PathBuf;

use crate::browser::cross_check;
use crate::browser_plans;
use crate::common;
use crate::plan_properties::{files, kb};

use common::chromium::chromium;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// How many random bases; each is built and asked every pair of versions
/// under every set of its two conditions, from every start.
const BASES: usize = 4;
/// How many of them are asked for plans, which are many more questions
/// (every pair of combinations of every product's versions).
const PLAN_BASES: usize = 2;

/// `count` random bases of plan_properties' kind, as their files below
/// `content/`, each with a scenario or an issue under a condition (`when:`
/// or `unless:` in its YAML): the same bases on every run (a fixed seed).
fn random_bases_with_conditions(count: usize) -> Vec<Vec<(PathBuf, Vec<u8>)>> {
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[25; 32]);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let conditional = |text: &[u8]| {
        let text = String::from_utf8_lossy(text);
        text.contains("when: ") || text.contains("unless: ")
    };
    let mut bases = Vec::new();
    while bases.len() < count {
        let base = files(
            &kb()
                .new_tree(&mut runner)
                .expect("bases generate")
                .current(),
        );
        let any_condition = base.iter().any(|(_, text)| conditional(text));
        if any_condition && upgrade_atlas::check_files(&base).is_ok() {
            bases.push(base);
        }
    }
    bases
}

/// The bases written out, each a folder with its `content/`.
fn written(count: usize) -> Vec<tempfile::TempDir> {
    let write = |files: Vec<(PathBuf, Vec<u8>)>| {
        let kb = tempfile::tempdir().unwrap();
        for (path, bytes) in &files {
            let path = kb.path().join("content").join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, bytes).unwrap();
        }
        kb
    };
    random_bases_with_conditions(count)
        .into_iter()
        .map(write)
        .collect()
}

fn assert_none(differences: &[String]) {
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

#[test]
fn path_finder_agrees_with_the_engine_on_random_bases_with_conditions() {
    let Some(chromium) = chromium() else { return };
    let bases = written(BASES);
    let differences: Vec<String> = (bases.iter())
        .flat_map(|kb| cross_check(&chromium, kb.path()))
        .collect();
    assert_none(&differences);
}

/// Their plans too (stacks.js against `Edges::plan`): every product is
/// one stack, every pair of combinations, every set of conditions.
#[test]
fn finder_plans_agree_with_the_engine_on_random_bases_with_conditions() {
    let Some(chromium) = chromium() else { return };
    let bases = written(PLAN_BASES);
    let differences: Vec<String> = (bases.iter())
        .flat_map(|kb| browser_plans::cross_check(&chromium, kb.path()))
        .collect();
    assert_none(&differences);
}
