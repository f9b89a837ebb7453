//! Support dates for a series (format 1.2, writers' issue 23, item 6): a
//! product states support dates for several versions at once with a
//! `support` rule that names them by `versions`; a version's own dates
//! win. And the warning window on a version page never starts before the
//! version was released.

use crate::common;

use std::path::Path;

use common::{run, sel, text, text_of};
use scraper::Html;

/// Proxmox VE as its FAQ states support: per major series, the newest
/// point release patched. 8.2 states a date of its own.
const PROXMOX: &str = r#"name: Proxmox VE
versions:
  - { id: "7.0", released: 2021-07-06 }
  - { id: "7.1", released: 2021-11-17 }
  - { id: "7.4", released: 2023-03-23 }
  - { id: "8.0", released: 2023-06-22 }
  - { id: "8.1", released: 2023-11-23 }
  - { id: "8.2", released: 2024-04-24, support_ends: 2026-09-30 }
upgrades:
  policy: any-newer
support:
  - versions: "7.*"
    support_ends: 2024-07-31
  - versions: ">=8.0"
    support_ends: 2026-08-31
"#;

/// A knowledge base of one product file, with site.yaml's `site` text.
fn base(site: &str, product: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let products = dir.path().join("content/products");
    std::fs::create_dir_all(&products).unwrap();
    std::fs::write(dir.path().join("content/site.yaml"), site).unwrap();
    std::fs::write(products.join("proxmox-ve.yaml"), product).unwrap();
    dir
}

fn run_in(root: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--root", root.to_str().unwrap()];
    all.extend_from_slice(args);
    run(&all)
}

fn page(out: &tempfile::TempDir, path: &str) -> Html {
    let file = out.path().join("site").join(path);
    Html::parse_document(&std::fs::read_to_string(&file).expect("the page"))
}

fn api(out: &tempfile::TempDir, version: &str) -> serde_json::Value {
    let file = out
        .path()
        .join(format!("site/api/v1/products/proxmox-ve/{version}.json"));
    serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

#[test]
fn a_series_rule_gives_its_versions_support_dates_and_a_versions_own_win() {
    let kb = base("title: T\ntoday: 2024-05-01\n", PROXMOX);
    let check = run_in(kb.path(), &["check"]);
    assert!(check.status.success(), "{}", text(&check.stderr));
    let out = common::build_site(kb.path(), &[]);
    for (version, ends) in [
        ("7.0", "2024-07-31"),
        ("7.4", "2024-07-31"),
        ("8.0", "2026-08-31"),
        ("8.2", "2026-09-30"),
    ] {
        assert_eq!(
            api(&out, version)["lifecycle"]["support"],
            ends,
            "{version}"
        );
    }
    let status = |version: &str| {
        let html = page(&out, &format!("products/proxmox-ve/{version}/index.html"));
        let section = html.select(&sel("section.support")).next().map(text_of);
        section.unwrap_or_else(|| panic!("{version} has no support section"))
    };
    // 7.0 is within 180 days of the series' end: it leads with the way to
    // 8.x, and never says that nothing it can reach is in support.
    let seven = status("7.0");
    assert!(seven.contains("Supported until 31 July 2024"), "{seven}");
    assert!(seven.contains("Get to a supported version"), "{seven}");
    assert!(!seven.contains("No version this one can reach"), "{seven}");
    assert!(status("8.1").contains("Supported until 31 August 2026"));

    let after = run_in(
        kb.path(),
        &[
            "path",
            "--to-supported",
            "proxmox-ve@7.1",
            "--on",
            "2024-08-15",
        ],
    );
    assert_eq!(after.status.code(), Some(0), "{}", text(&after.stderr));
    assert!(
        text(&after.stdout).contains("proxmox-ve@8."),
        "{}",
        text(&after.stdout)
    );
}

#[test]
fn series_rules_are_checked_where_they_are_written() {
    for (rule, expected) in [
        (
            "  - versions: \"9.*\"\n    support_ends: 2027-01-01\n",
            "`versions: 9.*`: matches no version",
        ),
        (
            "  - versions: \"7.0\"\n    support_ends: 2024-01-01\n",
            "version 7.0 is named by two `support` rules",
        ),
        ("  - versions: \"8.1\"\n", "a `support` rule states no date"),
        (
            "  - versions: \"8.1\"\n    support_ends: 2023-01-01\n",
            "before the version was released",
        ),
        (
            "  - versions: \"8.1\"\n    support_ends: 2025-02-30\n",
            "2025-02-30",
        ),
    ] {
        let product = PROXMOX.replace("support:\n", &format!("support:\n{rule}"));
        let kb = base("title: T\n", &product);
        let out = run_in(kb.path(), &["check"]);
        let said = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{rule}: {said}");
        assert!(said.contains(expected), "{rule}: no `{expected}` in {said}");
        assert!(
            said.contains("content/products/proxmox-ve.yaml:12:")
                || said.contains("content/products/proxmox-ve.yaml:13:"),
            "{rule}: not at the rule: {said}"
        );
    }
}

/// 7.0 was released on 6 July 2021 and its support ended 30 days later:
/// the route to support (to Debian 12, out since 2020 here) started "From
/// 21 May 2021", before the release.
#[test]
fn the_warning_window_starts_no_earlier_than_the_release() {
    let product = "name: Proxmox VE\nversions:\n  - { id: \"7.0\", released: 2021-07-06, support_ends: 2021-08-05 }\n";
    let kb = base("title: T\n", product);
    std::fs::write(
        kb.path().join("content/products/debian.yaml"),
        "name: Debian\nversions:\n  - { id: \"12\", released: 2020-01-01, support_ends: false }\n",
    )
    .unwrap();
    std::fs::create_dir_all(kb.path().join("content/scenarios")).unwrap();
    std::fs::write(
        kb.path().join("content/scenarios/pve-to-debian.yaml"),
        "from: proxmox-ve@7.0\nto: debian@12\ndirect: supported\n",
    )
    .unwrap();
    let out = common::build_site(kb.path(), &[]);
    let html = page(&out, "products/proxmox-ve/7.0/index.html");
    let route = html
        .select(&sel(".route-to-support"))
        .next()
        .expect("a route to support");
    assert_eq!(route.value().attr("data-route-from"), Some("2021-07-06"));
    let first = html
        .select(&sel(".route-to-support .stretch"))
        .next()
        .expect("a stretch");
    assert_eq!(first.value().attr("data-from"), Some("2021-07-06"));
    let when = text_of(first.select(&sel(".stretch-when")).next().unwrap());
    assert!(when.starts_with("From 6 July 2021"), "{when}");
}

/// Point releases whose support ends when the next is out (the way to say
/// it before series rules): while a version is itself in support and
/// nothing it reaches outlasts it, its page said "No version this one can
/// reach is in support then", on every point release. Now the route to
/// support starts when there is one to take; with nothing to take, it
/// says so from the day support ends.
#[test]
fn nothing_to_head_for_is_said_only_once_support_has_ended() {
    let product = "name: Proxmox VE\nversions:\n  - { id: \"7.0\", released: 2021-07-06, support_ends: 2021-11-17 }\n  - { id: \"7.1\", released: 2021-11-17, support_ends: 2022-04-28 }\n  - { id: \"7.2\", released: 2022-04-28, support_ends: false }\n  - { id: \"9.0\", released: 2030-01-01, support_ends: 2030-03-01 }\nupgrades:\n  - { policy: any-newer, versions: \"7.*\" }\n";
    let kb = base("title: T\n", product);
    let out = common::build_site(kb.path(), &[]);
    let stretches = |version: &str| -> Vec<(String, String)> {
        let html = page(&out, &format!("products/proxmox-ve/{version}/index.html"));
        html.select(&sel(".route-to-support .stretch"))
            .map(|s| {
                let from = s.value().attr("data-from").unwrap_or_default().to_owned();
                (from, text_of(s))
            })
            .collect()
    };
    let seven = stretches("7.0");
    assert_eq!(seven[0].0, "2021-11-17", "{seven:?}");
    assert!(
        seven
            .iter()
            .all(|(_, text)| !text.contains("No version this one can reach")),
        "{seven:?}"
    );
    let html = page(&out, "products/proxmox-ve/7.0/index.html");
    let route = html.select(&sel(".route-to-support")).next().unwrap();
    assert_eq!(route.value().attr("data-route-from"), Some("2021-11-17"));
    // 9.0 reaches nothing: said from the day its support ends.
    let nine = stretches("9.0");
    assert_eq!(nine.len(), 1, "{nine:?}");
    assert_eq!(nine[0].0, "2030-03-01");
    assert!(nine[0].1.starts_with("From 1 March 2030 on"), "{nine:?}");
    assert!(
        nine[0]
            .1
            .contains("No version this one can reach is in support then")
    );
}
