//! The second example knowledge base, `examples/nextcloud`: Nextcloud majors
//! and the PHP releases each runs on (format 1.2). It must check and build,
//! and a plan from its oldest state to its newest must exist, keep every
//! requirement the product file states, and interleave the two products,
//! which is the point of the example.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{build_site, run, text};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/nextcloud")
}

/// `plan FROM... --to TO... --json` on the example: the exit code and the answer.
fn plan(from: &[&str], to: &[&str]) -> (i32, serde_json::Value) {
    let root = example();
    let mut args = vec!["--root", root.to_str().unwrap(), "plan"];
    args.extend_from_slice(from);
    args.push("--to");
    args.extend_from_slice(to);
    args.push("--json");
    let out = run(&args);
    let answer = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("plan printed no JSON ({e}): {}", text(&out.stderr)));
    (out.status.code().expect("an exit code"), answer)
}

/// The PHP releases each Nextcloud version accepts, read from the YAML
/// itself (not through the engine), so that the plan is checked against
/// what the writer stated.
fn php_windows() -> BTreeMap<String, Vec<String>> {
    let file = example().join("content/products/nextcloud.yaml");
    let yaml = std::fs::read_to_string(file).unwrap();
    let product: serde_json::Value = serde_saphyr::from_str(&yaml).unwrap();
    let mut windows = BTreeMap::new();
    for version in product["versions"].as_array().unwrap() {
        let id = version["id"].as_str().unwrap().to_owned();
        let requires = version["requires"].as_array().unwrap();
        assert_eq!(requires.len(), 1, "nextcloud@{id}: one requirement, on PHP");
        let selector = requires[0].as_str().unwrap();
        let alternatives = selector.strip_prefix("php@").expect("a requirement on PHP");
        windows.insert(id, alternatives.split('|').map(str::to_owned).collect());
    }
    windows
}

/// The version ids of a plan's states, as (nextcloud, php) pairs.
fn states(answer: &serde_json::Value) -> Vec<(String, String)> {
    let id = |r: &serde_json::Value, product: &str| {
        let r = r.as_str().unwrap();
        r.strip_prefix(&format!("{product}@"))
            .unwrap_or_else(|| panic!("{r} is not a version of {product}"))
            .to_owned()
    };
    (answer["states"].as_array().expect("a plan").iter())
        .map(|s| (id(&s[0], "nextcloud"), id(&s[1], "php")))
        .collect()
}

#[test]
fn the_example_checks_and_builds() {
    let root = example();
    let checked = run(&["--root", root.to_str().unwrap(), "check"]);
    assert!(checked.status.success(), "{}", text(&checked.stderr));
    assert!(
        text(&checked.stdout).contains("2 products"),
        "{}",
        text(&checked.stdout)
    );
    let site = build_site(&root, &[]);
    let nextcloud_30 = site.path().join("site/products/nextcloud/30/index.html");
    assert!(nextcloud_30.is_file(), "no page for Nextcloud 30");
}

#[test]
fn the_oldest_state_reaches_the_newest_by_interleaving_the_products() {
    let (code, answer) = plan(&["nextcloud@23", "php@7.3"], &["nextcloud@30", "php@8.3"]);
    assert_eq!(code, 0, "no plan: {answer}");
    let states = states(&answer);
    let windows = php_windows();
    assert_eq!(states.first().unwrap(), &("23".into(), "7.3".into()));
    assert_eq!(states.last().unwrap(), &("30".into(), "8.3".into()));
    for (nextcloud, php) in &states {
        assert!(
            windows[nextcloud].contains(php),
            "Nextcloud {nextcloud} on PHP {php}: outside its window {:?}",
            windows[nextcloud]
        );
    }
    // Which product each move takes; a Nextcloud move is one major only.
    let mut movers = Vec::new();
    for pair in states.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        match (a.0 != b.0, a.1 != b.1) {
            (true, false) => {
                let (from, to): (u32, u32) = (a.0.parse().unwrap(), b.0.parse().unwrap());
                assert_eq!(to, from + 1, "Nextcloud skipped a major: {a:?} -> {b:?}");
                movers.push("nextcloud");
            }
            (false, true) => movers.push("php"),
            _ => panic!("a move must take exactly one member: {a:?} -> {b:?}"),
        }
    }
    // 7.3 only runs with 23 and 8.3 only from 28 on, and no PHP release
    // spans 23 to 30: PHP moves before the first Nextcloud move and again
    // later, so the products alternate, and two PHP moves are the fewest.
    assert_eq!(movers.first(), Some(&"php"), "{movers:?}");
    assert!(
        movers.windows(2).filter(|w| w[0] != w[1]).count() >= 2,
        "the moves do not interleave: {movers:?}"
    );
    assert_eq!(
        movers.len(),
        9,
        "7 Nextcloud majors and 2 PHP moves: {movers:?}"
    );
}

#[test]
fn a_start_outside_the_window_has_no_plan_and_says_why() {
    let (code, answer) = plan(&["nextcloud@30", "php@7.4"], &["nextcloud@30", "php@8.3"]);
    assert_eq!(code, 1, "{answer}");
    assert!(answer["states"].is_null(), "{answer}");
    let stopped = answer["stopped_by"].to_string();
    assert!(
        stopped.contains("nextcloud@30") && stopped.contains("php@7.4"),
        "{stopped}"
    );
}

/// The Markdown runbook is meant for a change ticket: what it says after a
/// move's issues ("No scenario describes this upgrade ...") must stand on
/// its own, not be read into the last issue's bullet. Move 2 of this plan
/// (PHP 7.4 -> 8.1) has one issue and no scenario: the sentence follows the
/// bullet with no blank line, so Markdown continues the bullet with it.
#[test]
fn the_markdown_runbook_keeps_each_sentence_out_of_the_issue_bullets() {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let root = example();
    let out = run(&[
        "--root",
        root.to_str().unwrap(),
        "plan",
        "nextcloud@24",
        "php@7.4",
        "--to",
        "nextcloud@30",
        "php@8.3",
        "--format",
        "markdown",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let markdown = text(&out.stdout);
    let mut depth = 0usize;
    for event in Parser::new(&markdown) {
        match event {
            Event::Start(Tag::Item) => depth += 1,
            Event::End(TagEnd::Item) => depth -= 1,
            Event::Text(words) if words.contains("No scenario describes") => {
                assert_eq!(depth, 0, "read as part of a list item: {words}");
            }
            _ => {}
        }
    }
}
