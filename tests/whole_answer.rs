//! A version page gives the whole answer: for every target, every set of
//! declared conditions and every version the server may have started as,
//! each hop of the route `path` finds has its section on the page, and each
//! issue `path` returns is listed in that section.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{sel, text_of as text};
use scraper::Html;
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

/// A version page's hop sections: "From title → To title" -> issue titles.
fn hop_sections(page: &Html) -> BTreeMap<String, Vec<String>> {
    page.select(&sel("section.hop"))
        .map(|section| {
            let heading = section
                .select(&sel("h4"))
                .next()
                .map(text)
                .unwrap_or_default();
            let issues = section
                .select(&sel(".issue-head strong"))
                .map(text)
                .collect();
            (heading, issues)
        })
        .collect()
}

/// Checks one knowledge base; returns what is missing from its pages.
fn missing_from_pages(root: &Path) -> Vec<String> {
    let checked =
        upgrade_atlas::check(root).unwrap_or_else(|_| panic!("{} does not check", root.display()));
    let model = &checked.model;
    let site = upgrade_atlas::render_site(root, &PlanOptions::default())
        .unwrap_or_else(|_| panic!("{} does not render", root.display()));
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
    for from in 0..model.nodes.len() {
        let path = Urls::version(model, from);
        let html = String::from_utf8_lossy(pages[path.as_str()]).into_owned();
        let page = Html::parse_document(&html);
        let sections = hop_sections(&page);
        for to in (0..model.nodes.len()).filter(|to| *to != from) {
            let row = format!("tr[id=\"{}\"]", Urls::answer_anchor(model, to));
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
                        let heading = format!(
                            "{} → {}",
                            model.node_title(hop.from),
                            model.node_title(hop.to)
                        );
                        let Some(listed) = sections.get(&heading) else {
                            missing.push(format!("{question}: no section for hop {heading}"));
                            continue;
                        };
                        for found in &hop.issues {
                            if !listed.contains(&found.issue.title) {
                                missing.push(format!(
                                    "{question} originally {}: hop {heading} lacks {:?}",
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
fn changes_are_said_in_words_on_the_row() {
    let root = project().join("tests/fixtures/conditions");
    let site = upgrade_atlas::render_site(&root, &PlanOptions::default()).expect("renders");
    let page = |path: &str| {
        let file = site.files.iter().find(|f| f.path == path).expect(path);
        Html::parse_document(&String::from_utf8_lossy(&file.bytes))
    };
    let row_text = |page: &Html, anchor: &str| {
        page.select(&sel(&format!("tr[id=\"{anchor}\"]")))
            .next()
            .map(text)
            .unwrap_or_else(|| panic!("no row {anchor}"))
    };

    // A condition that only adds issues shows on the row, with the issues.
    let mysql_57 = page("products/mysql/5.7/index.html");
    let row = row_text(&mysql_57, "to-mysql-8.4");
    assert!(
        row.contains(
            "If the server is a replication source or replica: 2 more issues (2 blocking)"
        ),
        "{row}"
    );
    assert!(row.contains("Upgrade the replicas first"), "{row}");

    // A condition that changes the route names the new route.
    let mysql_56 = page("products/mysql/5.6/index.html");
    let row = row_text(&mysql_56, "to-mysql-8.0");
    assert!(
        row.contains("If the database holds more than 1 TB: another route, 3 hops"),
        "{row}"
    );

    // An issue for servers that began elsewhere is said for the start it needs.
    let mysql_56 = page("products/mysql/5.6/index.html");
    let row = row_text(&mysql_56, "to-mariadb-10.3");
    assert!(
        row.contains("If the server was originally MySQL Community Server 5.5: 1 more issue"),
        "{row}"
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
