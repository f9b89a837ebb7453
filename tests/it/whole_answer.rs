//! A version page gives the whole answer: for every target, every set of
//! declared conditions and every version the server may have started as,
//! each hop of the route `path` finds has its section on the page, and each
//! issue `path` returns is listed in that section.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{sel, text_of as text};
use scraper::Html;
use upgrade_atlas::Rendered;
use upgrade_atlas::graph::UpgradeGraph;
use upgrade_atlas::model::{Facts, Model, NodeId};
use upgrade_atlas::plan::{PlanOptions, Urls};

/// Every set of the declared conditions.
fn all_fact_sets(model: &Model) -> Vec<Facts> {
    let count = model.site.conditions.len();
    (0..1u32 << count)
        .map(|bits| Facts((0..count).filter(|c| bits & (1 << c) != 0).collect()))
        .collect()
}

/// Every version an issue's `applies_if.originally` names.
fn named_origins(model: &Model) -> Vec<NodeId> {
    let issues = model.scenarios.iter().flat_map(|s| s.issues.iter()).chain(
        model
            .products
            .iter()
            .flat_map(|p| p.versions.iter().flat_map(|v| v.issues.iter())),
    );
    let mut nodes: Vec<NodeId> = issues
        .filter_map(|i| i.originally.clone())
        .flatten()
        .collect();
    nodes.sort_unstable();
    nodes.dedup();
    nodes
}

/// The site path a link on the page at `page` leads to.
fn resolve(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in href.split(['#', '?']).next().unwrap_or_default().split('/') {
        match part {
            ".." => drop(parts.pop()),
            "." | "" => {}
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// A version page's hop sections: (from page, to page), from the links
/// of its heading -> the titles of the issues it lists, with those of the
/// sections on the same page it links to (a version's own issues are
/// listed once, and each hop that reaches or passes it links there).
fn hop_sections(page: &Html, path: &str) -> BTreeMap<(String, String), Vec<String>> {
    let titles = |element: scraper::ElementRef| -> Vec<String> {
        element
            .select(&sel("li.issue > strong"))
            .map(text)
            .collect()
    };
    page.select(&sel("section.hop"))
        .map(|section| {
            let ends: Vec<String> = section
                .select(&sel("h4 a"))
                .map(|a| resolve(path, a.value().attr("href").unwrap_or_default()))
                .collect();
            let mut issues = titles(section);
            for link in section.select(&sel("a[href^='#']")) {
                let id = &link.value().attr("href").unwrap_or_default()[1..];
                if let Some(target) = page.select(&sel(&format!("[id=\"{id}\"]"))).next() {
                    issues.extend(titles(target));
                }
            }
            let key = (
                ends.first().cloned().unwrap_or_default(),
                ends.get(1).cloned().unwrap_or_default(),
            );
            (key, issues)
        })
        .collect()
}

/// Checks one knowledge base; returns what is missing from its pages.
fn missing_from_pages(root: &Path) -> Vec<String> {
    let site = upgrade_atlas::render_site(root, &PlanOptions::default())
        .unwrap_or_else(|_| panic!("{} does not render", root.display()));
    missing_from_pages_of(root, &site, 1)
}

/// Checks the pages of every `step`-th version (the first included) of
/// `site`, the knowledge base at `root` rendered.
fn missing_from_pages_of(root: &Path, site: &Rendered, step: usize) -> Vec<String> {
    let checked = upgrade_atlas::check(root)
        .unwrap_or_else(|failure| panic!("{} does not check:\n{failure}", root.display()));
    let model = &checked.model;
    let pages: BTreeMap<&str, &[u8]> = site
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.bytes.as_slice()))
        .collect();
    let graph = UpgradeGraph::new(model);
    let fact_sets = all_fact_sets(model);
    let edges: Vec<_> = fact_sets.iter().map(|f| graph.edges(f)).collect();
    let origins = named_origins(model);
    let mut missing = Vec::new();
    for from in (0..model.nodes.len()).step_by(step) {
        let path = Urls::version(model, from);
        let html = String::from_utf8_lossy(pages[path.as_str()]).into_owned();
        let page = Html::parse_document(&html);
        let sections = hop_sections(&page, &path);
        for to in (0..model.nodes.len()).filter(|to| *to != from) {
            let row = format!("[id=\"{}\"]", Urls::answer_anchor(model, to));
            let has_row = page.select(&sel(&row)).next().is_some();
            for (facts, edges) in fact_sets.iter().zip(&edges) {
                let Some(route) = edges.path(from, to) else {
                    continue;
                };
                let question = format!(
                    "{path}: {} -> {} if {:?}",
                    model.node_ref(from),
                    model.node_ref(to),
                    facts.0
                );
                if !has_row {
                    missing.push(format!("{question}: no answer row"));
                    continue;
                }
                for originally in std::iter::once(from).chain(origins.iter().copied()) {
                    let answer = edges.answer(&route, originally);
                    for hop in &answer.hops {
                        let heading =
                            (Urls::version(model, hop.from), Urls::version(model, hop.to));
                        let Some(listed) = sections.get(&heading) else {
                            missing.push(format!("{question}: no section for hop {heading:?}"));
                            continue;
                        };
                        for found in &hop.issues {
                            if !listed.contains(&found.issue.title) {
                                missing.push(format!(
                                    "{question} originally {}: hop {heading:?} lacks {:?}",
                                    model.node_ref(originally),
                                    found.issue.title
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    missing
}

fn project() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_issue_path_returns_is_on_the_version_page() {
    let mut roots = vec![project(), project().join("tests/fixtures/conditions")];
    roots.extend(common::conformance_cases("ok"));
    let missing: Vec<String> = roots.iter().flat_map(|r| missing_from_pages(r)).collect();
    assert!(
        missing.is_empty(),
        "{} answers are not whole:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

/// The page says in words what a condition or an original version changes.
#[test]
fn changes_are_said_once_in_words() {
    let root = project().join("tests/fixtures/conditions");
    let site = upgrade_atlas::render_site(&root, &PlanOptions::default()).expect("renders");
    let page = |path: &str| {
        let file = site.files.iter().find(|f| f.path == path).expect(path);
        Html::parse_document(&String::from_utf8_lossy(&file.bytes))
    };
    // What the conditions change, said once for the page.
    let changes_text = |page: &Html| {
        page.select(&sel("ul.tree-changes"))
            .next()
            .map(text)
            .unwrap_or_else(|| panic!("no list of changes"))
    };

    // A condition that only adds issues says so, with the issues.
    let mysql_57 = page("products/mysql/5.7/index.html");
    let said = changes_text(&mysql_57);
    assert!(
        said.contains("If the server is a replication source or replica: 2 more issues"),
        "{said}"
    );
    assert!(said.contains("Upgrade the replicas first"), "{said}");

    // A condition that changes the route names the new stop and the targets.
    let mysql_56 = page("products/mysql/5.6/index.html");
    let said = changes_text(&mysql_56);
    assert!(
        said.contains("If the database holds more than 1 TB: also stop at MariaDB Server 10.3 on the way to 5.7–8.4 LTS"),
        "{said}"
    );
    // A combination that does not add up is said, as what it changes
    // besides each condition alone; one that adds up is not.
    assert!(
        said.contains("If the server is a replication source or replica and the database holds more than 1 TB, besides what each changes alone: 1 issue fewer"),
        "{said}"
    );
    assert!(
        !said.contains("non-free firmware"),
        "needs-firmware changes nothing: {said}"
    );

    // An issue for servers that began elsewhere is said for the start it needs.
    assert!(
        said.contains("If the server was originally MySQL Community Server 5.5: 1 more issue"),
        "{said}"
    );

    // A version nobody's condition touches says so once.
    let debian_12 = page("products/debian/12/index.html");
    let note = debian_12
        .select(&sel(
            "#upgrade-from + p.note, section[aria-labelledby=upgrade-from] p.note",
        ))
        .next()
        .map(text)
        .unwrap_or_default();
    assert!(
        note.contains("None of the declared conditions changes these answers"),
        "{note}"
    );
}

/// On a hop, an issue lists a dependent component only where a version of
/// the hop ships it; a source's address is listed once, with every quote.
#[test]
fn hops_name_shipped_components_and_sources_once() {
    let root = project().join("tests/fixtures/conditions");
    let site = upgrade_atlas::render_site(&root, &PlanOptions::default()).expect("renders");
    let file = site
        .files
        .iter()
        .find(|f| f.path == "products/mysql/5.7/index.html")
        .expect("the 5.7 page");
    let page = Html::parse_document(&String::from_utf8_lossy(&file.bytes));
    let issue = page
        .select(&sel("li.issue"))
        .find(|li| text(*li).contains("Upgrade the replicas first"))
        .expect("the replicas issue");
    let affects = text(issue);
    assert!(affects.contains("Affects: Group Replication"), "{affects}");
    assert!(!affects.contains("InnoDB Cluster"), "{affects}");

    let sources: Vec<String> = page.select(&sel("ul.sources > li")).map(text).collect();
    assert_eq!(sources.len(), 1, "{sources:?}");
    assert!(
        sources[0].contains("Upgrade the replicas first.")
            && sources[0].contains("Check for removed SQL modes."),
        "{sources:?}"
    );
}

/// A version is found by its aliases (format 1.1): its search document
/// holds them.
#[test]
fn aliases_are_searchable() {
    let root = project().join("tests/fixtures/conditions");
    let checked = upgrade_atlas::check(&root).expect("checks");
    let documents = upgrade_atlas::plan::search_documents(&checked.model);
    let stretch = documents
        .iter()
        .find(|d| d.k == "Version" && d.t == "Debian 9 \"stretch\"")
        .expect("the Debian 9 document");
    assert!(
        stretch.b.split_whitespace().any(|w| w == "stretch"),
        "{stretch:?}"
    );
    let lts = documents
        .iter()
        .find(|d| d.k == "Version" && d.t.ends_with("8.4 LTS"))
        .expect("the MySQL 8.4 document");
    assert!(lts.b.split_whitespace().any(|w| w == "lts"), "{lts:?}");
}

/// The same on a long-lived product (132 releases, required stops, five
/// conditions: every combination of them), whose pages now say each route
/// once as a tree of stops: every third version's page (44, the largest
/// among them), every target, every combination: about 50 s in CI.
#[test]
#[ignore = "big input (a product of 132 releases and 5 conditions): CI runs it; locally `cargo test -- --ignored`"]
fn every_issue_path_returns_is_on_a_long_lived_products_pages() {
    let missing = missing_from_pages_of(&common::long_lived_root(), common::long_lived_site(), 3);
    assert!(
        missing.is_empty(),
        "{} answers are not whole:\n{}",
        missing.len(),
        missing
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
