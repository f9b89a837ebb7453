//! Support lifecycle (issue 13): dates checked where they are written, the
//! status each version page states, the route to a supported version, the
//! `path` command's answers about support, and the example knowledge base of
//! PostgreSQL's major versions.

use crate::common;

use std::path::{Path, PathBuf};

use common::{copy_tree, run, sel, text, text_of};
use scraper::Html;

fn project() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The knowledge base with one version for each status on 2025-01-15.
fn statuses() -> PathBuf {
    project().join("tests/lifecycle/ok/statuses")
}

fn postgresql() -> PathBuf {
    project().join("examples/postgresql")
}

/// A copy of a knowledge base's content, to change.
fn copy(root: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    copy_tree(&root.join("content"), &dir.path().join("content"));
    dir
}

fn page(out: &tempfile::TempDir, path: &str) -> Html {
    let file = out.path().join("site").join(path);
    Html::parse_document(&std::fs::read_to_string(&file).expect("the page"))
}

fn all_text(html: &Html, css: &str) -> Vec<String> {
    html.select(&sel(css)).map(text_of).collect()
}

fn one_text(html: &Html, css: &str) -> Option<String> {
    html.select(&sel(css)).next().map(text_of)
}

#[test]
fn each_status_in_words_on_the_fixed_day() {
    let out = common::build_site(&statuses(), &[]);
    let status = |v: &str| {
        one_text(
            &page(&out, &format!("products/os/{v}/index.html")),
            ".support-status",
        )
    };
    assert_eq!(
        status("1").as_deref(),
        Some("Out of support since 1 January 2020")
    );
    assert_eq!(
        status("2").as_deref(),
        Some("Security support only, until 1 January 2027")
    );
    assert_eq!(status("3").as_deref(), Some("Supported until 1 March 2025"));
    assert_eq!(status("4").as_deref(), Some("Supported until 1 March 2030"));
    assert_eq!(
        status("5").as_deref(),
        Some("Supported; no end of support announced")
    );
    assert_eq!(
        status("6"),
        None,
        "a version without dates says nothing about support"
    );
    assert_eq!(
        status("7").as_deref(),
        Some("Not released yet: due 1 March 2026")
    );
    let db = page(&out, "products/db/index.html");
    // A single-version product's page is its version's page.
    let db = if one_text(&db, ".support-status").is_some() {
        db
    } else {
        page(&out, "products/db/1/index.html")
    };
    assert_eq!(
        one_text(&db, ".support-status").as_deref(),
        Some("Extended support only, until 1 January 2026"),
        "the site's default names of the phases"
    );
    for v in ["1", "2", "3", "4", "5", "7"] {
        let html = page(&out, &format!("products/os/{v}/index.html"));
        assert!(
            html.select(&sel(
                "script[src$='lifecycle.js'], [data-support], [data-mark-key]"
            ))
            .next()
            .is_none(),
            "a fixed day needs no script ({v})"
        );
    }
}

#[test]
fn out_of_support_and_ending_soon_lead_with_the_way_out() {
    let out = common::build_site(&statuses(), &[]);
    let routes = |v: &str| {
        all_text(
            &page(&out, &format!("products/os/{v}/index.html")),
            ".route-to-support h3",
        )
    };
    // Out of support: the nearest supported version, then the newest LTS.
    assert_eq!(
        routes("1"),
        [
            "Get to a supported version: 2 hops",
            "Get to the newest LTS release: 3 hops"
        ]
    );
    // Extended support only counts as out of (mainstream) support.
    assert_eq!(
        routes("2"),
        [
            "Get to a supported version: 1 hop",
            "Get to the newest LTS release: 2 hops"
        ]
    );
    // Ends 45 days after the fixed day, within the default 180: warned.
    assert_eq!(routes("3"), ["Get to a supported version: 1 hop"]);
    // Far from its end, not announced, or without dates: no route.
    for v in ["4", "5", "6", "7"] {
        assert_eq!(routes(v), Vec::<String>::new(), "version {v}");
    }
    let one = page(&out, "products/os/1/index.html");
    let first_route = one_text(&one, ".route-to-support p").unwrap();
    assert!(
        first_route.contains("Example OS 3 (Example OS 3: Supported until 1 March 2025)"),
        "{first_route}"
    );
    // The section comes before the answers for every version.
    let html = std::fs::read_to_string(out.path().join("site/products/os/1/index.html")).unwrap();
    assert!(html.find("route-to-support").unwrap() < html.find("id=\"upgrade-from\"").unwrap());
    // Issues on the way come with the route.
    let db = page(&out, "products/db/1/index.html");
    assert_eq!(
        all_text(&db, ".route-to-support .issue strong"),
        ["Export the data first", "Export the data first"],
        "once on the route to the nearest supported version, once on the route to the newest LTS"
    );
}

#[test]
fn a_narrower_window_leaves_versions_further_from_their_end_alone() {
    let kb = copy(&statuses());
    let site = kb.path().join("content/site.yaml");
    std::fs::write(
        &site,
        "title: Lifecycle statuses\ntoday: 2025-01-15\nsupport_warning_days: 30\n",
    )
    .unwrap();
    let out = common::build_site(kb.path(), &[]);
    let three = page(&out, "products/os/3/index.html");
    assert_eq!(
        all_text(&three, ".route-to-support h3"),
        Vec::<String>::new()
    );
    let one = page(&out, "products/os/1/index.html");
    assert_eq!(all_text(&one, ".route-to-support h3").len(), 2);
}

#[test]
fn without_a_fixed_day_pages_state_dates_and_carry_every_status() {
    let kb = copy(&statuses());
    std::fs::write(
        kb.path().join("content/site.yaml"),
        "title: Lifecycle statuses\n",
    )
    .unwrap();
    let out = common::build_site(kb.path(), &[]);
    let two = page(&out, "products/os/2/index.html");
    assert_eq!(
        one_text(&two, ".support-status").as_deref(),
        Some("Active support ends 30 June 2021; security support ends 1 January 2027"),
        "without JavaScript the page still says the dates"
    );
    let marks: Vec<(String, String, String)> = two
        .select(&sel("[data-mark-key]"))
        .map(|m| {
            let at = |a| m.value().attr(a).unwrap_or_default().to_owned();
            (at("data-mark-from"), at("data-mark-key"), text_of(m))
        })
        .collect();
    assert_eq!(
        marks,
        [
            (
                "".into(),
                "unreleased".into(),
                "Not released yet: due 1 March 2017".into()
            ),
            (
                "2017-03-01".into(),
                "supported".into(),
                "Supported until 30 June 2021".into()
            ),
            (
                "2021-06-30".into(),
                "extended".into(),
                "Security support only, until 1 January 2027".into()
            ),
            (
                "2027-01-01".into(),
                "ended".into(),
                "Out of support since 1 January 2027".into()
            ),
        ]
    );
    assert_eq!(two.select(&sel("script[src$='lifecycle.js']")).count(), 1);
    // The route section starts 180 days before mainstream support ends, in
    // stretches over which the answer stays the same.
    let routes = two
        .select(&sel("[data-route-from]"))
        .next()
        .expect("a route section");
    assert_eq!(routes.value().attr("data-route-from"), Some("2021-01-01"));
    let stretches: Vec<(Option<&str>, Option<&str>)> = two
        .select(&sel(".stretch"))
        .map(|s| (s.value().attr("data-from"), s.value().attr("data-until")))
        .collect();
    assert_eq!(
        stretches,
        [
            (Some("2021-01-01"), Some("2022-03-01")),
            (Some("2022-03-01"), Some("2025-03-01")),
            (Some("2025-03-01"), Some("2030-03-01")),
            (Some("2030-03-01"), None),
        ],
        "the answer changes when the LTS release 4 comes out, and when 3, then 4 leave support"
    );
    let whens = all_text(&two, ".stretch-when");
    assert_eq!(whens[0], "From 1 January 2021 until 28 February 2022:");
    assert_eq!(whens[3], "From 1 March 2030 on:");
}

#[test]
fn builds_do_not_depend_on_the_day() {
    // Nothing in a build reads the clock: two builds of a knowledge base
    // without `today:` are byte-identical, and so are their pages' dates.
    let kb = copy(&postgresql());
    let (a, b) = (
        common::build_site(kb.path(), &[]),
        common::build_site(kb.path(), &[]),
    );
    assert_eq!(
        common::files(&a.path().join("site")),
        common::files(&b.path().join("site"))
    );
}

fn write_product(yaml: &str) -> tempfile::TempDir {
    let kb = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(kb.path().join("content/products")).unwrap();
    std::fs::write(kb.path().join("content/products/p.yaml"), yaml).unwrap();
    kb
}

fn check_errors(kb: &Path) -> String {
    let result = run(&["--root", kb.to_str().unwrap(), "check"]);
    assert_eq!(result.status.code(), Some(1), "check must fail");
    text(&result.stderr)
}

#[test]
fn bad_lifecycle_fields_are_located_errors_with_hints() {
    let kb = write_product(
        "name: P\n\
         support_phases: { mainstream: \"\" }\n\
         versions:\n\
         \x20 - { id: \"1\", released: 2020-01-01, support_ends: true }\n\
         \x20 - { id: \"2\", support_ends: false, extended_support_ends: 2030-01-01 }\n\
         \x20 - { id: \"3\", latest_released: 2024-13-01 }\n\
         \x20 - { id: \"4\", released: 2021-05-01, support_ends: 2026-01-01, latest: \"4.1\", latest_released: 2021-04-01 }\n",
    );
    std::fs::write(kb.path().join("content/site.yaml"), "today: 2025-02-29\n").unwrap();
    let errors = check_errors(kb.path());
    for expected in [
        "content/site.yaml:1:8: error: `2025-02-29` is not a date; write a day of the calendar as YYYY-MM-DD",
        "content/products/p.yaml:2:31: error: a phase label is one line of text",
        "content/products/p.yaml:4:52: error: `support_ends: true` says no date",
        "content/products/p.yaml:5:60: error: extended support ends, but the end of mainstream support is not announced",
        "content/products/p.yaml:6:33: error: `2024-13-01` is not a date",
        "content/products/p.yaml:6:33: error: `latest_released` without `latest`",
        "content/products/p.yaml:7:96: error: the latest patch was released on 2021-04-01, before the version itself on 2021-05-01",
    ] {
        assert!(errors.contains(expected), "no `{expected}` in:\n{errors}");
    }
}

#[test]
fn path_prints_the_support_of_both_ends() {
    let root = postgresql();
    let result = run(&[
        "--root",
        root.to_str().unwrap(),
        "path",
        "postgresql@12",
        "postgresql@14",
        "--on",
        "2025-01-01",
    ]);
    assert!(result.status.success());
    let out = text(&result.stdout);
    assert!(
        out.contains("Support on 2025-01-01: postgresql@12: Out of support since 21 November 2024; postgresql@14: Supported until 12 November 2026"),
        "{out}"
    );
    // Knowledge bases without dates answer as before.
    let example = run(&[
        "--root",
        project().to_str().unwrap(),
        "path",
        "backoffice-server@2.5",
        "windows-xp-server",
    ]);
    assert!(!text(&example.stdout).contains("Support on"));
}

#[test]
fn path_to_supported_finds_the_nearest_version_in_support_on_the_day() {
    let root = postgresql();
    let root = root.to_str().unwrap();
    let ask = |from: &str, on: &str| {
        run(&[
            "--root",
            root,
            "path",
            "--to-supported",
            from,
            "--on",
            on,
            "--json",
        ])
    };
    let answer = |from: &str, on: &str| -> serde_json::Value {
        serde_json::from_slice(&ask(from, on).stdout).expect("JSON")
    };
    // Every later major version is one hop away: the one supported longest wins.
    let twelve = answer("postgresql@12", "2025-01-01");
    assert_eq!(
        twelve["path"],
        serde_json::json!(["postgresql@12", "postgresql@17"])
    );
    assert_eq!(twelve["support"]["from"]["eol"], "2024-11-21");
    assert_eq!(twelve["support"]["from"]["status"], "ended");
    assert_eq!(twelve["support"]["to"]["releaseDate"], "2024-09-26");
    assert_eq!(twelve["support"]["to"]["status"], "supported");
    assert_eq!(twelve["issues"][0]["version"], "postgresql@15");
    // Before 17 was released, 16.
    let earlier = answer("postgresql@11", "2024-09-25");
    assert_eq!(
        earlier["path"],
        serde_json::json!(["postgresql@11", "postgresql@16"])
    );
    // In support already: no hop.
    let current = answer("postgresql@17", "2025-01-01");
    assert_eq!(current["path"], serde_json::json!(["postgresql@17"]));
    // Nothing in support any more: exit 1, with the answer.
    let late = ask("postgresql@9.6", "2031-01-01");
    assert_eq!(late.status.code(), Some(1));
    let late: serde_json::Value = serde_json::from_slice(&late.stdout).unwrap();
    assert_eq!(late["path"], serde_json::Value::Null);
    // A bad day is an error, as is asking for both a TO and --to-supported.
    assert_eq!(ask("postgresql@12", "2025-02-30").status.code(), Some(2));
    let both = run(&[
        "--root",
        root,
        "path",
        "postgresql@12",
        "postgresql@13",
        "--to-supported",
    ]);
    assert_eq!(both.status.code(), Some(2));
}

#[test]
fn the_postgresql_example_has_a_source_for_every_date() {
    let checked = upgrade_atlas::check(&postgresql()).expect("the example checks");
    let model = &checked.model;
    assert_eq!(model.nodes.len(), 10);
    for node in 0..model.nodes.len() {
        let version = model.version(node);
        assert!(version.lifecycle.support_ends.is_some(), "{}", version.id);
        assert!(
            !version.sources.is_empty(),
            "{} states dates without a source",
            version.id
        );
    }
    // The example in content/ states no support dates: its sources give none.
    let example = upgrade_atlas::check(project()).expect("the example checks");
    assert!(
        (0..example.model.nodes.len()).all(|n| !example.model.version(n).lifecycle.is_stated())
    );
}

#[test]
fn the_json_api_uses_endoflife_dates_field_names() {
    let out = common::build_site(&statuses(), &[]);
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("site/api/v1/graph.json")).unwrap(),
    )
    .unwrap();
    let node = |r: &str| {
        json["versions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["ref"] == r)
            .unwrap()
            .clone()
    };
    assert_eq!(
        node("os@2")["lifecycle"],
        serde_json::json!({
            "releaseDate": "2017-03-01", "support": "2021-06-30", "eol": "2027-01-01",
            "extendedSupport": "2027-01-01", "lts": true
        })
    );
    assert_eq!(node("os@5")["lifecycle"]["eol"], false);
    assert_eq!(node("os@4")["lifecycle"]["latest"], "4.2.1");
    assert_eq!(node("os@4")["lifecycle"]["latestReleaseDate"], "2024-12-01");
    assert!(node("os@6").get("lifecycle").is_none());
}

#[test]
fn the_product_page_has_a_lifecycle_table_and_a_timeline() {
    let out = common::build_site(&statuses(), &[]);
    let product = page(&out, "products/os/index.html");
    let headers = all_text(&product, "table.lifecycle thead th");
    assert_eq!(
        headers,
        [
            "Version",
            "Released",
            "Active support ends",
            "Security support ends",
            "LTS",
            "Latest patch",
            "Status"
        ]
    );
    let rows: Vec<Vec<String>> = product
        .select(&sel("table.lifecycle tbody tr"))
        .map(|row| row.select(&sel("th, td")).map(text_of).collect())
        .collect();
    assert_eq!(rows.len(), 7);
    assert_eq!(
        rows[1],
        [
            "Example OS 2",
            "2017-03-01",
            "2021-06-30",
            "2027-01-01",
            "yes",
            "—",
            "Security support only, until 1 January 2027"
        ]
    );
    assert_eq!(rows[3][5], "4.2.1");
    assert_eq!(rows[4][2], "not announced");
    assert_eq!(rows[5][1..6], ["—", "—", "—", "—", "—"]);
    // The timeline: a bar for each version with a release and an end, in
    // SVG with its own fills (it prints), a title for screen readers, and
    // the fixed day marked.
    let svg = product
        .select(&sel("figure.timeline svg"))
        .next()
        .expect("a timeline");
    assert_eq!(svg.value().attr("role"), Some("img"));
    assert_eq!(product.select(&sel("svg rect.mainstream")).count(), 6);
    assert_eq!(product.select(&sel("svg rect.extended")).count(), 2);
    assert_eq!(product.select(&sel("svg line.today")).count(), 1);
    assert!(product.select(&sel("svg rect.mainstream[fill]")).count() == 6);
    // On the fixed day: what is out of support now, and the today line
    // with its date; a legend names each phase and the line in words; every
    // label is at least 12 px at the SVG's own size, which a narrow screen
    // scrolls (a focusable region) rather than shrinks.
    assert_eq!(
        all_text(&product, ".out-of-support .ended-list li"),
        ["Example OS 1 since 1 January 2020"]
    );
    assert_eq!(all_text(&product, "svg text.today"), ["15 January 2025"]);
    assert_eq!(
        all_text(&product, "svg text.legend"),
        ["Active support", "Security support", "Today"]
    );
    for text in product.select(&sel("svg.timeline text")) {
        let size: f64 = text.value().attr("font-size").unwrap().parse().unwrap();
        assert!(size >= 12.0, "{size} px: {}", text_of(text));
    }
    let scroll = product
        .select(&sel(
            "figure.timeline .timeline-scroll[tabindex='0'][role=region]",
        ))
        .next()
        .expect("the timeline in a scrolling region");
    assert!(scroll.select(&sel("svg")).next().is_some());
    // A product without dates has neither.
    let example = common::build_site(project(), &[]);
    let backoffice = page(&example, "products/backoffice-server/index.html");
    assert!(
        backoffice
            .select(&sel("table.lifecycle, figure.timeline"))
            .next()
            .is_none()
    );
}

/// Without a fixed day, a product page carries for the script what its
/// lifecycle says on any day: each row's statuses with their first days
/// (and the dates in words until the script picks one), every version
/// whose support ends with the day it does, and the timeline's scale with
/// a today line to place.
#[test]
fn without_a_fixed_day_the_product_page_carries_every_status_and_end() {
    let kb = copy(&statuses());
    std::fs::write(
        kb.path().join("content/site.yaml"),
        "title: Lifecycle statuses\n",
    )
    .unwrap();
    let out = common::build_site(kb.path(), &[]);
    let product = page(&out, "products/os/index.html");
    let rows: Vec<_> = product.select(&sel("table.lifecycle tbody tr")).collect();
    assert_eq!(rows.len(), 7);
    let status = |row: &scraper::ElementRef| {
        row.select(&sel("td.status [data-support-status]"))
            .next()
            .map(text_of)
    };
    assert_eq!(
        status(&rows[1]).as_deref(),
        Some("Active support ends 30 June 2021; security support ends 1 January 2027")
    );
    let keys: Vec<&str> = rows[1]
        .select(&sel("td.status [data-mark-key][hidden]"))
        .map(|m| m.value().attr("data-mark-key").unwrap())
        .collect();
    assert_eq!(keys, ["unreleased", "supported", "extended", "ended"]);
    assert!(
        rows.iter()
            .take(5)
            .all(|r| r.value().attr("data-support").is_some())
    );
    assert_eq!(status(&rows[5]).as_deref(), Some("—"), "6 states no dates");
    let ended: Vec<&str> = product
        .select(&sel(
            ".out-of-support[data-ended-list][hidden] li[data-ended]",
        ))
        .map(|li| li.value().attr("data-ended").unwrap())
        .collect();
    assert_eq!(
        ended,
        [
            "2031-03-01",
            "2030-03-01",
            "2027-01-01",
            "2025-03-01",
            "2020-01-01"
        ],
        "every version with an end but 5 (none announced), latest first"
    );
    let svg = product
        .select(&sel("figure.timeline svg"))
        .next()
        .expect("a timeline");
    assert_eq!(svg.value().attr("data-scale-start"), Some("2015-01-01"));
    assert_eq!(svg.value().attr("data-plot-width"), Some("600"));
    assert_eq!(
        product
            .select(&sel("svg g.today[visibility=hidden] line.today"))
            .count(),
        1
    );
    assert_eq!(
        product.select(&sel("script[src$='lifecycle.js']")).count(),
        1
    );
}

#[test]
fn the_home_page_lists_what_leaves_support_next() {
    let out = common::build_site(&statuses(), &[]);
    let home = page(&out, "index.html");
    let items = all_text(&home, ".leaving li");
    assert_eq!(
        items[..3],
        [
            "1 March 2025 · Example OS 3 leaves support",
            "1 January 2026 · Example DB leaves extended support",
            "1 January 2027 · Example OS 2 leaves security support",
        ]
    );
    // Without a fixed day every event is there, for the script to choose.
    let kb = copy(&statuses());
    std::fs::write(
        kb.path().join("content/site.yaml"),
        "title: Lifecycle statuses\n",
    )
    .unwrap();
    let out = common::build_site(kb.path(), &[]);
    let home = page(&out, "index.html");
    let days: Vec<&str> = home
        .select(&sel(".leaving li[data-on]"))
        .map(|li| li.value().attr("data-on").unwrap())
        .collect();
    assert_eq!(days.first(), Some(&"2018-03-01"));
    assert_eq!(
        days.len(),
        9,
        "two events for 1, 2 and DB, one for 3, 4 and 7"
    );
    assert!(days.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn the_support_feed_parses_as_atom() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let root = statuses();
    let result = run(&[
        "--root",
        root.to_str().unwrap(),
        "build",
        "--output",
        site.to_str().unwrap(),
        "--base-url",
        "https://kb.example.com/docs/",
    ]);
    assert!(result.status.success(), "{}", text(&result.stderr));
    let xml = std::fs::read_to_string(site.join("support.xml")).expect("the feed");
    let feed = atom_syndication::Feed::read_from(xml.as_bytes()).expect("valid Atom");
    assert_eq!(feed.title().as_str(), "Lifecycle statuses: support events");
    assert!(
        feed.entries()
            .iter()
            .all(|e| e.id().starts_with("https://kb.example.com/docs/products/"))
    );
    assert!(feed.entries().iter().all(|e| {
        e.links()[0]
            .href()
            .starts_with("https://kb.example.com/docs/products/")
    }));
    // With today fixed (2025-01-15): what happened, and what comes within
    // the 180-day window; the latest first.
    let titles: Vec<&str> = feed.entries().iter().map(|e| e.title().as_str()).collect();
    assert_eq!(
        titles,
        [
            "Example OS 3 leaves support on 1 March 2025",
            "Example OS 2 leaves active support on 30 June 2021",
            "Example DB leaves mainstream support on 1 January 2021",
            "Example OS 1 leaves security support on 1 January 2020",
            "Example OS 1 leaves active support on 1 March 2018",
        ]
    );
    // Without a base URL, no feed (Atom needs absolute ids).
    let plain = common::build_site(&statuses(), &[]);
    assert!(!plain.path().join("site/support.xml").exists());
}

#[test]
fn check_warns_when_a_scenario_was_updated_after_its_target_left_support() {
    // os@2 leaves every support on 2027-01-01.
    let kb = copy(&statuses());
    let scenario = kb.path().join("content/scenarios/db-to-os.yaml");
    let original = std::fs::read_to_string(&scenario).unwrap();
    let check_with = |yaml: &str| {
        std::fs::write(&scenario, yaml).unwrap();
        let result = run(&["--root", kb.path().to_str().unwrap(), "check"]);
        assert_eq!(result.status.code(), Some(0), "{}", text(&result.stderr));
        text(&result.stderr)
    };

    let stale = check_with(&format!("{original}updated: 2027-06-01\n"));
    let line = original.lines().count() + 1;
    assert!(
        stale.contains(&format!("db-to-os.yaml:{line}:")),
        "the warning points at the date: {stale}"
    );
    assert!(
        stale.contains("warning: this scenario was updated on 1 June 2027, when"),
        "{stale}"
    );
    assert!(
        stale.contains("already out of support (since 1 January 2027)"),
        "{stale}"
    );
    assert!(stale.contains("point `to` at it"), "{stale}");
    assert_eq!(
        stale.matches("warning: this scenario was updated").count(),
        1,
        "{stale}"
    );

    let fresh = check_with(&format!("{original}updated: 2026-06-01\n"));
    assert!(!fresh.contains("out of support"), "{fresh}");

    // A scenario that advises against the upgrade recommends nothing.
    let refusal = original.replace("direct: supported", "direct: unsupported");
    let refused = check_with(&format!("{refusal}updated: 2027-06-01\n"));
    assert!(!refused.contains("out of support"), "{refused}");
}

/// One `updated` on a scenario of five targets gave five identical warnings
/// on one line, and advised to "point `to` at a supported version" when the
/// hop was a required stop with no alternative: one warning names the
/// targets, and a stop every route must make is not one of them.
#[test]
fn a_stale_scenario_warns_once_and_never_for_a_required_stop() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("products")).unwrap();
    std::fs::create_dir_all(content.join("scenarios")).unwrap();
    let versions: String = (1..=6)
        .map(|v| format!("  - id: \"{v}\"\n    support_ends: 2020-0{v}-01\n"))
        .collect();
    std::fs::write(
        content.join("products/p.yaml"),
        format!("name: P\nversions:\n{versions}upgrades:\n  policy: any-newer\n  required_stops: [\"3\"]\n"),
    )
    .unwrap();
    std::fs::write(
        content.join("scenarios/s.yaml"),
        "from: p@1\nto: p@>=2\ndirect: supported\nupdated: 2024-01-01\n",
    )
    .unwrap();
    let result = run(&["--root", dir.path().to_str().unwrap(), "check"]);
    let stderr = text(&result.stderr);
    assert_eq!(result.status.code(), Some(0), "{stderr}");
    assert_eq!(
        stderr.matches("warning: this scenario was updated").count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("4 of its targets were already out of support (P 2, 4, 5, 6)"),
        "{stderr}"
    );
}
