//! The command line's human answers on the example knowledge base.

mod common;

use common::{run, text};

fn example() -> String {
    env!("CARGO_MANIFEST_DIR").to_owned()
}

#[test]
fn path_prints_hops_issues_by_hop_files_and_why_not_direct() {
    let out = run(&[
        "--root",
        &example(),
        "path",
        "small-business-server@4.0",
        "windows-xp-server",
    ]);
    assert!(out.status.success());
    let answer = text(&out.stdout);
    let expected_order = [
        "2 hops",
        "small-business-server@4.0 -> backoffice-server@4.5 -> windows-xp-server@xp",
        "1. small-business-server@4.0 -> backoffice-server@4.5",
        "from content/scenarios/small-business/to-backoffice-4.5.yaml",
        "2. backoffice-server@4.5 -> windows-xp-server@xp",
        "[blocking] Site Server cannot be installed",
        "[warning] Fax Service no longer supported",
        "from content/scenarios/backoffice/4.5-to-xp.yaml",
        "Not supported directly, says content/scenarios/small-business/to-xp.yaml",
    ];
    let mut at = 0;
    for line in expected_order {
        let found = answer[at..]
            .find(line)
            .unwrap_or_else(|| panic!("{line:?} missing or out of order in:\n{answer}"));
        at += found + line.len();
    }
}

#[test]
fn path_says_when_there_is_none_and_refuses_unknown_input() {
    let out = run(&[
        "--root",
        &example(),
        "path",
        "windows-xp-server",
        "backoffice-server@2.5",
    ]);
    assert!(out.status.success());
    assert!(text(&out.stdout).starts_with(
        "No supported upgrade path from Windows XP Server to Microsoft BackOffice Server 2.5."
    ));

    let out = run(&[
        "--root",
        &example(),
        "path",
        "backoffice-server",
        "windows-xp-server",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("ambiguous"),
        "{}",
        text(&out.stderr)
    );

    let out = run(&[
        "--root",
        &example(),
        "path",
        "backoffice-server@2.5",
        "windows-xp-server",
        "--if",
        "clustered",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("unknown condition `clustered`"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn check_summarises_a_clean_knowledge_base() {
    let out = run(&["--root", &example(), "check"]);
    assert!(out.status.success());
    assert_eq!(
        text(&out.stdout).trim(),
        "ok: 3 products, 6 versions, 4 components, 5 scenarios"
    );
}

#[test]
fn build_refuses_a_base_url_without_scheme() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("out");
    let out = run(&[
        "--root",
        &example(),
        "build",
        "--output",
        output.to_str().unwrap(),
        "--base-url",
        "kb.example.com",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!output.exists());
}
