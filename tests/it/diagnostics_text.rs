//! What `check` prints for every bad conformance case (every suite), kept
//! as one insta snapshot (tests/it/snapshots/): the conformance test holds
//! where each problem is, this holds the words, excerpts, hints and notes
//! a writer reads, so that a change to any of them shows in review.

use crate::common;

/// `check` on each bad case, without colour: the case's name, the exit
/// code and everything printed.
#[test]
fn check_says_the_same_of_every_bad_case() {
    let mut all = String::new();
    for case in common::conformance_cases("bad") {
        let run = common::run(&[
            "--root",
            case.to_str().unwrap(),
            "check",
            "--color",
            "never",
        ]);
        let name = case.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
        all.push_str(&format!(
            "=== {} (exit {})\n{}{}\n",
            name.display(),
            run.status.code().unwrap_or(-1),
            common::text(&run.stdout),
            common::text(&run.stderr)
        ));
    }
    insta::assert_snapshot!("check_on_bad_cases", all);
}
