//! The theme's scripts (templates/assets/*.js) pass ESLint, with the flat
//! config in tests/browser/eslint.config.mjs and the version pinned in
//! tests/browser/package.json. `.ci/run` runs the same command; this test
//! makes `cargo test` say so too where `npm ci` has been run, and says what
//! is missing where it has not (failing only under CI).

use crate::common;

use std::path::PathBuf;
use std::process::Command;

use common::{require, runs};

#[test]
fn scripts_pass_eslint() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if require("node (Node.js)", runs("node").then_some(())).is_none() {
        return;
    }
    let eslint = root.join("tests/browser/node_modules/eslint/bin/eslint.js");
    let what = "tests/browser/node_modules/eslint (npm ci in tests/browser)";
    let Some(eslint) = require(what, eslint.exists().then_some(eslint)) else {
        return;
    };
    let out = Command::new("node")
        .arg(eslint)
        .args([
            "--config",
            "tests/browser/eslint.config.mjs",
            "templates/assets",
        ])
        .current_dir(&root)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "ESLint finds problems in templates/assets:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
