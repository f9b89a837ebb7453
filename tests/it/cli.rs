//! The command line's human answers on the example knowledge base.

use crate::common;

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
    assert_eq!(out.status.code(), Some(1), "no path exits 1");
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
    assert_eq!(out.status.code(), Some(2), "an error exits 2");
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
    assert_eq!(out.status.code(), Some(2), "an error exits 2");
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

#[test]
fn own_templates_get_the_url_function_and_markdown_filter() {
    let kb = tempfile::tempdir().unwrap();
    common::copy_tree(
        &std::path::Path::new(&example()).join("content"),
        &kb.path().join("content"),
    );
    std::fs::create_dir_all(kb.path().join("templates")).unwrap();
    std::fs::write(
        kb.path().join("templates/404.html"),
        r#"{% extends "base.html" %}{% block main %}<h1>Lost</h1><a id="u" href="{{ url(ref="backoffice-server@4.5") }}">4.5</a>{{ "See [Site Server](@component:site-server)." | markdown }}{% endblock main %}"#,
    )
    .unwrap();
    std::fs::write(
        kb.path().join("templates/component.html"),
        r#"{% extends "base.html" %}{% block main %}<h1>{{ page.name }}</h1><a href="{{ url(ref="@scenario:backoffice/4.5-to-xp") }}">x</a>{% endblock main %}"#,
    )
    .unwrap();
    let out = kb.path().join("out");
    let built = run(&[
        "--root",
        kb.path().to_str().unwrap(),
        "build",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(built.status.success(), "{}", text(&built.stderr));
    let lost = std::fs::read_to_string(out.join("404.html")).unwrap();
    assert!(
        lost.contains(r#"href="products/backoffice-server/4.5/index.html""#),
        "{lost}"
    );
    assert!(
        lost.contains(r#"<a href="components/site-server/index.html">Site Server</a>"#),
        "{lost}"
    );
    let component = std::fs::read_to_string(out.join("components/fax-service/index.html")).unwrap();
    assert!(
        component.contains(r#"href="../../scenarios/backoffice/4.5-to-xp/index.html""#),
        "{component}"
    );

    // A reference to nothing fails the build with the template named.
    std::fs::write(
        kb.path().join("templates/404.html"),
        r#"{{ url(ref="nothing@1") }}"#,
    )
    .unwrap();
    let failed = run(&[
        "--root",
        kb.path().to_str().unwrap(),
        "build",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(failed.status.code(), Some(1));
    let stderr = text(&failed.stderr);
    assert!(
        stderr.contains("templates/404.html") && stderr.contains("nothing@1"),
        "{stderr}"
    );
}

fn fixture() -> String {
    format!("{}/tests/fixtures/conditions", env!("CARGO_MANIFEST_DIR"))
}

/// The header repeats the question; each issue says where it comes from,
/// and a version's issue names the product file.
#[test]
fn path_repeats_conditions_and_originally_and_names_each_issues_file() {
    let out = run(&[
        "--root",
        &fixture(),
        "path",
        "mysql@5.7",
        "mysql@lts",
        "--if",
        "replication",
        "--originally",
        "mysql@5.5",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let answer = text(&out.stdout);
    assert!(
        answer.starts_with(
            "MySQL Community Server 5.7 -> MySQL Community Server 8.4 LTS (if replication, originally mysql@5.5): 2 hops"
        ),
        "{answer}"
    );
    assert!(
        answer.contains(
            "[blocking] Upgrade the replicas first (content/scenarios/mysql/5.7-to-8.0.yaml)"
        ),
        "{answer}"
    );
    assert!(
        answer.contains("[blocking] Replicas must run 8.0 before the source does (content/products/mysql.yaml, moving past mysql@8.0)"),
        "{answer}"
    );
}

/// JSON issues carry the index of their hop; their order is the spec's.
#[test]
fn path_json_issues_carry_their_hop() {
    let out = run(&[
        "--root",
        &fixture(),
        "path",
        "mysql@5.6",
        "mysql@8.0",
        "--json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hops: Vec<(String, u64)> = answer["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["title"].as_str().unwrap().to_owned(),
                i["hop"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        hops,
        [
            ("Check for removed SQL modes".to_owned(), 1),
            ("The default authentication plugin changes".to_owned(), 1),
        ]
    );
}

/// A scenario that spans several versions of a sequential product is warned about.
#[test]
fn check_warns_about_a_scenario_that_skips_a_sequential_stop() {
    let out = run(&["--root", &fixture(), "check"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let warnings = text(&out.stderr);
    assert!(
        warnings.contains("content/scenarios/debian/firmware.yaml:2:5: warning: scenario `debian/firmware` supports debian@9 -> debian@11 directly, skipping debian@10"),
        "{warnings}"
    );
}

/// `build` shows its warnings as `check` does: the same text, line and caret.
#[test]
fn build_shows_warnings_with_their_lines_as_check_does() {
    let out_dir = tempfile::tempdir().unwrap();
    let output = out_dir.path().join("site");
    let built = run(&[
        "--root",
        &fixture(),
        "build",
        "--output",
        output.to_str().unwrap(),
    ]);
    assert!(built.status.success(), "{}", text(&built.stderr));
    let checked = run(&["--root", &fixture(), "check"]);
    let warning = |stderr: &[u8]| {
        let shown = text(stderr);
        let start = shown
            .find("firmware.yaml:2:5: warning")
            .expect("the warning");
        let block: String = shown[start..].split("\n\n").next().unwrap().to_owned();
        block
    };
    let from_build = warning(&built.stderr);
    assert!(from_build.lines().count() > 2, "{from_build}");
    assert_eq!(from_build, warning(&checked.stderr));
}

/// Two scenarios that contradict each other are one error, shown at both files.
#[test]
fn a_contradiction_is_one_error_at_both_places() {
    let case = format!(
        "{}/tests/conformance/bad/contradiction",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = run(&["--root", &case, "check"]);
    let errors = text(&out.stderr);
    assert!(errors.ends_with("1 error found\n"), "{errors}");
    assert!(
        errors.contains("content/scenarios/no.yaml:3:9: error:"),
        "{errors}"
    );
    assert!(
        errors.contains("content/scenarios/yes.yaml:3:9: note:"),
        "{errors}"
    );
}

/// While other errors stand, `via` waits, and check says so.
#[test]
fn check_says_when_via_waits_for_other_errors() {
    let dir = common::copy_of_example();
    std::fs::write(
        dir.path().join("content/scenarios/broken.yaml"),
        "from: nosuch@1\nto: windows-xp-server\ndirect: supported\n",
    )
    .unwrap();
    let out = run(&["--root", dir.path().to_str().unwrap(), "check"]);
    let errors = text(&out.stderr);
    assert!(errors.contains("unknown product `nosuch`"), "{errors}");
    assert!(
        errors.contains("warning: `via` routes are checked once the other errors are fixed"),
        "{errors}"
    );
}
