//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test crate uses its own part of them

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output};

/// Runs the real binary with these arguments.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_upgrade-atlas"))
        .args(args)
        .output()
        .expect("run upgrade-atlas")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Copies a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.expect("a readable entry");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create a folder");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

/// A copy of the example knowledge base's `content/` in a temp folder.
pub fn copy_of_example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &dir.path().join("content"),
    );
    dir
}

/// The folders of conformance cases kept in this repository, each a copy of
/// the folder of the same name in `../shared/`: the format's 1.0 cases and
/// its 1.1 additions.
pub const CONFORMANCE_SUITES: [&str; 2] = ["conformance", "conformance-1.1"];

/// Every conformance case of one kind (`ok` or `bad`) in every suite, sorted.
pub fn conformance_cases(kind: &str) -> Vec<std::path::PathBuf> {
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cases: Vec<std::path::PathBuf> = CONFORMANCE_SUITES
        .iter()
        .flat_map(|suite| {
            std::fs::read_dir(project.join("tests").join(suite).join(kind))
                .unwrap_or_else(|e| panic!("tests/{suite}/{kind}: {e}"))
                .map(|e| e.expect("a readable entry").path())
        })
        .filter(|p| p.join("content").is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no conformance cases in {kind}/");
    cases
}

/// A test that needs something this machine lacks: outside CI it says so
/// and passes; under CI (where `.ci/run` installs everything) it fails.
pub fn missing(what: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{what} is missing, and CI must have it");
    }
    eprintln!("SKIPPED: {what} is missing (this would fail under CI)");
}

/// Every file below `dir` (relative, `/`-separated) with its bytes.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("a readable entry"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                relative(dir, e.path()),
                std::fs::read(e.path()).expect("read a file"),
            )
        })
        .collect()
}

/// Names of everything (files and folders) directly inside `dir`.
pub fn entries(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .expect("a readable folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect()
}

/// `path` relative to `dir`, `/`-separated.
pub fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .expect("inside the folder")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
