//! Browser tests: the built site opened from file:// in Debian's Chromium.
//!
//! Chromium, Node.js packages (tests/browser/node_modules) and Java are
//! installed by .ci/run. Where one is missing these tests fail under CI
//! (CI set) and elsewhere pass with a SKIPPED line in `cargo test`'s output
//! (common::missing), so that `cargo test` still runs on a machine with
//! only Rust.

use crate::common;

use common::{copy_tree, node_package, require, runs};

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{LazyLock, OnceLock};

use upgrade_atlas::graph::UpgradeGraph;
use upgrade_atlas::model::Facts;
use upgrade_atlas::plan::search_index::SearchLimits;

use common::chromium::{chromium, dump_dom, dump_dom_with};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build(root: &Path, extra: &[&str]) -> tempfile::TempDir {
    common::build_site(root, extra)
}

fn select(html: &str, css: &str) -> Vec<scraper::ElementRef<'static>> {
    let document: &'static scraper::Html = Box::leak(Box::new(scraper::Html::parse_document(html)));
    let selector = scraper::Selector::parse(css).unwrap();
    document.select(&selector).collect()
}

fn text(element: &scraper::ElementRef) -> String {
    element.text().collect::<String>()
}

#[test]
fn search_finds_example_terms_with_working_links() {
    let Some(chromium) = chromium() else { return };
    let out = build(&manifest(), &[]);
    let site = out.path().join("site");
    let page = site.join("search/index.html");
    let html = dump_dom(&chromium, &page, "?q=fax");
    let results = select(&html, ".search-results li a");
    let titles: Vec<String> = results.iter().map(text).collect();
    assert!(
        titles.iter().any(|t| t == "Fax Service"),
        "results: {titles:?}"
    );
    assert!(
        titles
            .iter()
            .any(|t| t.contains("Fax Service no longer supported")),
        "results: {titles:?}"
    );
    // Title hits rank above body hits: the first result has the term in its title.
    assert!(
        titles[0].to_lowercase().contains("fax"),
        "first result {:?}",
        titles[0]
    );
    assert!(
        !select(&html, ".search-results mark").is_empty(),
        "terms are highlighted"
    );
    for link in &results {
        let href = link.value().attr("href").unwrap();
        let target = site
            .join("search")
            .join(href.split(['#', '?']).next().unwrap());
        assert!(target.is_file(), "result link {href} does not resolve");
    }
    // Accents and case do not matter; prefixes match.
    let html = dump_dom(&chromium, &page, "?q=SÍTE%20serv");
    let titles: Vec<String> = select(&html, ".search-results li a")
        .iter()
        .map(text)
        .collect();
    assert!(
        titles.contains(&"Site Server".to_owned()),
        "results: {titles:?}"
    );
    let html = dump_dom(&chromium, &page, "?q=zzqqxx");
    let status = select(&html, ".search-status")
        .iter()
        .map(text)
        .collect::<String>();
    assert!(status.starts_with("No results"), "status: {status}");
    search_counts_pages_corrects_filters_and_marks(&chromium, &site);
}

/// The search page's count and first page, its typo fallback, its filters,
/// issue hits that link to the issue, the words marked on the page a
/// result opens, and the page driven by keyboard; on the example site the
/// test above built.
fn search_counts_pages_corrects_filters_and_marks(chromium: &Path, site: &Path) {
    let page = site.join("search/index.html");
    let status = |html: &str| texts(html, ".search-status").concat();
    // The count is of every match; a page shows ten, and a button the rest.
    let html = dump_dom(chromium, &page, "?q=backoffice");
    let count: usize = status(&html)
        .split(' ')
        .next()
        .and_then(|n| n.replace(',', "").parse().ok())
        .unwrap_or_else(|| panic!("no count in {:?}", status(&html)));
    assert!(count > 10, "{}", status(&html));
    assert_eq!(select(&html, ".search-results > li").len(), 10);
    let more = texts(&html, "button.show-more").concat();
    assert!(more.contains(&format!("10 of {count}")), "{more}");
    // A misspelt word is replaced by a word one edit away, and says so.
    let html = dump_dom(chromium, &page, "?q=backofice");
    assert!(
        status(&html).starts_with("No results for “backofice”; showing “backoffice”."),
        "{}",
        status(&html)
    );
    assert_eq!(select(&html, ".search-results > li").len(), 10);
    // A number that is absent finds nothing, not a number near it.
    let html = dump_dom(chromium, &page, "?q=13.7");
    assert!(
        status(&html).starts_with("No results for “13.7”."),
        "{}",
        status(&html)
    );
    assert!(select(&html, ".search-results").is_empty());
    // A filter by kind keeps that kind alone, and its choice shows.
    let html = dump_dom(chromium, &page, "?q=server&kind=kissue");
    let kinds = texts(&html, ".search-results .kind");
    assert!(!kinds.is_empty());
    assert!(kinds.iter().all(|k| k.starts_with("Issue · ")), "{kinds:?}");
    assert!(
        select(&html, "#search-filters select[name=kind]").len() == 1
            && select(&html, "#search-filters select[name=severity]").len() == 1,
        "filters: {:?}",
        texts(&html, "#search-filters")
    );
    // An issue hit links to the issue itself, with the query for marking.
    let links = attrs(&html, ".search-results li > a", "href");
    let issue = links
        .iter()
        .find(|l| l.contains("#issue-"))
        .unwrap_or_else(|| panic!("no issue anchor in {links:?}"));
    let (file, anchor) = issue.split_once('#').unwrap();
    let (file, query) = file.split_once('?').unwrap();
    assert_eq!(query, "q=server");
    let target = site.join("search").join(file);
    let html = dump_dom(chromium, &target, &format!("?{query}#{anchor}"));
    assert_eq!(select(&html, &format!("li#{anchor}.issue")).len(), 1);
    // The page marks the query's words in its main text, and only there.
    let marked = texts(&html, "main mark");
    assert!(!marked.is_empty());
    assert!(
        marked
            .iter()
            .all(|m| m.to_lowercase().starts_with("server")),
        "{marked:?}"
    );
    assert!(select(&html, "header mark, footer mark").is_empty());
    // Driven by keyboard on a phone's width: Show more, the filters opened,
    // chosen, kept for a new query and cleared (tests/browser/search-page.mjs).
    let Some(_) = node_package("playwright-core") else {
        return;
    };
    node_with(
        "search-page.mjs",
        &[site.as_os_str().to_owned()],
        chromium,
        "the search page driven by keyboard",
        &[("SEARCH_TERM", "server")],
    );
}

/// The titles of the search page's results for a query.
fn search_titles(chromium: &Path, site: &Path, query: &str) -> Vec<String> {
    let html = dump_dom(chromium, &site.join("search/index.html"), query);
    select(&html, ".search-results li a")
        .iter()
        .map(text)
        .collect()
}

/// What readers typed and missed: stems, hyphens, a version named, a
/// component by its id; and snippets that start between words.
#[test]
fn search_finds_what_readers_type() {
    let Some(chromium) = chromium() else { return };
    let generated = tempfile::tempdir().unwrap();
    common::generate_reading_base(generated.path());
    let out = build(generated.path(), &[]);
    let site = out.path().join("site");
    let found = search_titles(&chromium, &site, "?q=downgrade");
    assert!(
        found.contains(&"Downgrading needs a logical dump".to_owned()),
        "{found:?}"
    );
    let found = search_titles(&chromium, &site, "?q=wifi");
    assert!(found.contains(&"Wi-Fi firmware".to_owned()), "{found:?}");
    let found = search_titles(&chromium, &site, "?q=usrmerge");
    assert_eq!(
        found.first().map(String::as_str),
        Some("Merged /usr"),
        "{found:?}"
    );
    let found = search_titles(&chromium, &site, "?q=database%208.4");
    assert_eq!(
        found.first().map(String::as_str),
        Some("Relational Database Community Server 8.4 LTS"),
        "{found:?}"
    );
    // A snippet cut from a longer text starts where a word of it starts.
    let checked = upgrade_atlas::check(generated.path()).expect("checks");
    let bodies: Vec<String> = upgrade_atlas::plan::search_documents(&checked.model)
        .into_iter()
        .map(|d| d.b.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let html = dump_dom(
        &chromium,
        &site.join("search/index.html"),
        "?q=authentication",
    );
    let snippets = texts(&html, ".search-results .snippet");
    assert!(!snippets.is_empty());
    for snippet in snippets.iter().filter(|s| s.starts_with('…')) {
        let start: String = snippet.trim_start_matches('…').chars().take(12).collect();
        assert!(
            bodies
                .iter()
                .any(|b| b.starts_with(&start) || b.contains(&format!(" {start}"))),
            "snippet {snippet:?} starts inside a word"
        );
    }
}

/// The path finder's answer in a page: its path (`data-path`) and the
/// titles of its issues.
fn answer_of(html: &str) -> (Option<String>, Vec<String>) {
    let path = select(html, "#answer")
        .first()
        .and_then(|answer| answer.value().attr("data-path"))
        .map(str::to_owned);
    let issues = select(html, "#answer li.issue")
        .iter()
        .filter_map(|i| i.value().attr("data-title"))
        .map(str::to_owned)
        .collect();
    (path, issues)
}

#[test]
fn path_finder_answers_the_seed_cases() {
    let Some(chromium) = chromium() else { return };
    let out = build(&manifest(), &[]);
    let page = out.path().join("site/paths/index.html");
    let html = dump_dom(
        &chromium,
        &page,
        "?from=backoffice-server@2.5&to=windows-xp-server@xp",
    );
    let (path, issues) = answer_of(&html);
    assert_eq!(
        path.as_deref(),
        Some("backoffice-server@2.5 backoffice-server@4.5 windows-xp-server@xp")
    );
    assert_eq!(
        issues,
        [
            "Site Server cannot be installed",
            "Web Administration is not supported"
        ]
    );

    let html = dump_dom(
        &chromium,
        &page,
        "?from=small-business-server@4.0&to=windows-xp-server@xp",
    );
    let (path, issues) = answer_of(&html);
    assert_eq!(
        path.as_deref(),
        Some("small-business-server@4.0 backoffice-server@4.5 windows-xp-server@xp")
    );
    assert!(
        issues
            .iter()
            .any(|i| i == "Fax Service no longer supported"),
        "{issues:?}"
    );
    // The choice is kept in the form: each side's list holds the version
    // asked about, selected.
    assert_eq!(
        attrs(&html, "#from option[selected]", "value"),
        ["small-business-server@4.0"]
    );
    assert_eq!(
        attrs(&html, "#to option[selected]", "value"),
        ["windows-xp-server@xp"]
    );
}

fn texts(html: &str, css: &str) -> Vec<String> {
    select(html, css)
        .iter()
        .map(|e| text(e).split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

fn attrs(html: &str, css: &str, attr: &str) -> Vec<String> {
    select(html, css)
        .iter()
        .filter_map(|e| e.value().attr(attr))
        .map(str::to_owned)
        .collect()
}

/// The whole answer of format 1.1: the conditions that change it, issue
/// texts and steps, aliases, and where the server began.
#[test]
fn path_finder_offers_conditions_and_shows_issue_texts_and_steps() {
    let Some(chromium) = chromium() else { return };
    let out = build(&manifest().join("tests/fixtures/conditions"), &[]);
    let page = out.path().join("site/paths/index.html");

    let html = dump_dom(&chromium, &page, "?from=mysql@5.7&to=mysql@lts");
    let (path, issues) = answer_of(&html);
    assert_eq!(path.as_deref(), Some("mysql@5.7 mysql@8.0 mysql@8.4"));
    assert_eq!(
        issues,
        [
            "Check for removed SQL modes",
            "The default authentication plugin changes"
        ]
    );
    // Only the conditions that change something here, each box with its
    // description as its label, on one line.
    assert_eq!(
        attrs(&html, "#finder p.check input[name=if]", "value"),
        ["replication", "large"]
    );
    assert_eq!(
        texts(&html, "#finder p.check label"),
        [
            "The server is a replication source or replica.",
            "The database holds more than 1 TB."
        ]
    );
    assert!(
        select(&html, "#originally").is_empty(),
        "no issue depends on it"
    );
    let answer = texts(&html, "#answer").concat();
    assert!(
        answer.contains("Older clients may fail to log in"),
        "{answer}"
    );
    assert_eq!(
        texts(&html, "#answer ol.steps li"),
        [
            "Run the upgrade checker.",
            "Replace the binaries and restart."
        ]
    );
    assert_eq!(
        texts(&html, "#answer .verdict"),
        ["2 hops."],
        "said without conditions"
    );
    // The search loaded the part of MySQL alone.
    let parts: Vec<String> = attrs(&html, "script[src]", "src")
        .into_iter()
        .filter(|src| src.contains("data/graph/"))
        .collect();
    assert_eq!(parts, ["../data/graph/mysql.js"]);

    // With a condition ticked: said in words, and its issues are there.
    let html = dump_dom(
        &chromium,
        &page,
        "?from=mysql@5.7&to=mysql@8.0&if=replication",
    );
    assert_eq!(
        texts(&html, "#answer .given"),
        ["If the server is a replication source or replica:"]
    );
    // Its blocking issues are counted in the verdict, never a clear "yes".
    assert_eq!(
        texts(&html, "#answer .verdict"),
        ["A direct upgrade, 2 blocking issues to resolve first."]
    );
    assert_eq!(
        attrs(&html, "#answer .verdict", "class"),
        ["verdict blocked"]
    );
    let (_, issues) = answer_of(&html);
    assert_eq!(
        issues,
        [
            "Upgrade the replicas first",
            "Replicas must run 8.0 before the source does",
            "Check for removed SQL modes",
            "The default authentication plugin changes"
        ]
    );
    assert_eq!(
        attrs(&html, "#finder input[name=if][checked]", "value"),
        ["replication"]
    );
    assert!(
        texts(&html, "#answer")
            .concat()
            .contains("Only if the server is a replication source or replica."),
        "issue conditions in words"
    );

    // A version named by its alias.
    let html = dump_dom(&chromium, &page, "?from=debian@stretch&to=debian@bookworm");
    let (path, _) = answer_of(&html);
    assert_eq!(
        path.as_deref(),
        Some("debian@9 debian@10 debian@11 debian@12")
    );
    assert_eq!(
        attrs(&html, "#finder input[name=if]", "value"),
        ["needs-firmware"]
    );

    // Where the server began: asked only where an issue depends on it.
    let html = dump_dom(&chromium, &page, "?from=mysql@5.6&to=mariadb@10.3");
    assert_eq!(
        attrs(&html, "#originally option", "value"),
        ["", "mysql@5.5"]
    );
    assert!(answer_of(&html).1.is_empty());
    let html = dump_dom(
        &chromium,
        &page,
        "?from=mysql@5.6&to=mariadb@10.3&originally=mysql@5.5",
    );
    assert_eq!(
        answer_of(&html).1,
        ["Servers that began as MySQL 5.5 keep the old password hashes"]
    );
    assert_eq!(
        texts(&html, "#answer .given"),
        ["If the server was originally MySQL Community Server 5.5:"]
    );
}

/// Past five declared conditions the finder tries each alone and each
/// added to or taken from those ticked; a ticked one stays offered.
#[test]
fn path_finder_offers_conditions_that_matter_together_past_five() {
    let Some(chromium) = chromium() else { return };
    let kb = tempfile::tempdir().unwrap();
    let content = kb.path().join("content");
    std::fs::create_dir_all(content.join("products")).unwrap();
    std::fs::create_dir_all(content.join("scenarios")).unwrap();
    let conditions: String = (1..=6)
        .map(|c| format!("  c{c}: Condition {c} holds.\n"))
        .collect();
    std::fs::write(
        content.join("site.yaml"),
        format!("title: Six conditions\nconditions:\n{conditions}"),
    )
    .unwrap();
    std::fs::write(
        content.join("products/db.yaml"),
        "name: DB\nversions: [{ id: \"1\" }, { id: \"2\" }, { id: \"3\" }]\nupgrades: { policy: sequential }\n",
    )
    .unwrap();
    std::fs::write(
        content.join("scenarios/skip.yaml"),
        "from: db@1\nto: db@3\ndirect: supported\nwhen: c6\n",
    )
    .unwrap();
    std::fs::write(
        content.join("scenarios/first.yaml"),
        "from: db@1\nto: db@2\ndirect: supported\nissues:\n  - title: Both\n    when: [c2, c3]\n",
    )
    .unwrap();
    let out = build(kb.path(), &[]);
    let page = out.path().join("site/paths/index.html");
    let offered = |query: &str| {
        let html = dump_dom(&chromium, &page, query);
        attrs(&html, "#finder input[name=if]", "value")
    };
    assert_eq!(offered("?from=db@1&to=db@3"), ["c6"]);
    assert_eq!(offered("?from=db@1&to=db@3&if=c2"), ["c2", "c3", "c6"]);
    let html = dump_dom(&chromium, &page, "?from=db@1&to=db@3&if=c2&if=c3");
    assert_eq!(answer_of(&html).1, ["Both"]);
}

/// Markup in every text the finder shows comes out as text.
#[test]
fn path_finder_shows_hostile_text_as_text() {
    let Some(chromium) = chromium() else { return };
    // A YAML block scalar holding markup, indented by `indent`. Were it
    // inserted as HTML, its handler would throw (`hit` is not defined)
    // rather than block the page as `alert` would.
    let hostile = |code: u32, indent: usize| {
        format!(
            "|-\n{}<script>hit({code})</script> \"><img src=x onerror=hit({code})> </textarea>",
            " ".repeat(indent)
        )
    };
    let kb = tempfile::tempdir().unwrap();
    let content = kb.path().join("content");
    let write = |path: &str, text: String| {
        let path = content.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "site.yaml",
        format!("title: Hostile\nconditions:\n  evil: {}\n", hostile(1, 4)),
    );
    write(
        "products/evil.yaml",
        format!(
            "name: {}\nversions:\n  - id: \"1\"\n    name: {}\n  - id: \"2\"\n",
            hostile(2, 2),
            hostile(3, 6)
        ),
    );
    write("components/part.yaml", format!("name: {}\n", hostile(4, 2)));
    write(
        "scenarios/up.yaml",
        format!(
            "from: evil@1\nto: evil@2\ndirect: supported\ntitle: {}\nsteps:\n  - {}\n\
             issues:\n  - title: {}\n    body: {}\n    component: part\n    when: evil\n",
            hostile(5, 2),
            hostile(6, 4),
            hostile(7, 6),
            hostile(8, 6)
        ),
    );
    let out = build(kb.path(), &[]);
    let html = dump_dom(
        &chromium,
        &out.path().join("site/paths/index.html"),
        "?from=evil@1&to=evil@2&if=evil",
    );
    assert_eq!(answer_of(&html).0.as_deref(), Some("evil@1 evil@2"));
    assert!(
        select(&html, "main img, main script:not([src]), main textarea").is_empty(),
        "markup from the content became elements"
    );
    let shown = texts(&html, "main").concat();
    for code in 1..=8 {
        assert!(
            shown.contains(&format!("hit({code})")),
            "text {code} is not shown: {shown}"
        );
    }
}

#[test]
fn path_finder_works_with_pretty_urls_under_a_sub_path() {
    let Some(chromium) = chromium() else { return };
    let kb = tempfile::tempdir().unwrap();
    copy_tree(&manifest().join("content"), &kb.path().join("content"));
    let site_yaml = kb.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&site_yaml).unwrap() + "pretty_urls: true\n";
    std::fs::write(&site_yaml, text).unwrap();
    let out = build(kb.path(), &["--base-url", "https://example.com/docs/kb/"]);
    let html = dump_dom(
        &chromium,
        &out.path().join("site/paths/index.html"),
        "?from=backoffice-server@4.0&to=windows-xp-server@xp",
    );
    let answer = &select(&html, "#answer")[0];
    assert_eq!(
        answer.value().attr("data-path"),
        Some("backoffice-server@4.0 backoffice-server@4.5 windows-xp-server@xp")
    );
    let links: Vec<&str> = select(&html, "#answer a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        links.iter().all(|l| !l.ends_with("index.html")),
        "{links:?}"
    );
    let html = dump_dom(
        &chromium,
        &out.path().join("site/search/index.html"),
        "?q=starter",
    );
    assert!(
        !select(&html, ".search-results a").is_empty(),
        "search works with pretty URLs"
    );
}

/// A page that asks the path finder's engine for every pair of versions
/// (named by id, and by alias where a version has one) under every set of
/// facts given, and prints the answers as JSON. Each answer starts a fresh
/// engine, which loads only the parts of the data its search reaches.
const HARNESS: &str = r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>harness</title></head>
<body data-root=""><pre id="out"></pre>
<script src="assets/common.js"></script><script src="data/graph.js"></script><script src="assets/paths.js"></script>
<script>
(async function () {
  var api = window.UpgradeAtlasPaths, out = [];
  var names = NAMES, refs = REFS, originals = ORIGINALS, factSets = FACT_SETS;
  try {
    for (var facts of factSets) {
      for (var from of names) {
        for (var to of names) {
          var byId = refs.indexOf(from) >= 0 && refs.indexOf(to) >= 0;
          for (var originally of byId ? [null].concat(originals) : [null]) {
            var answer = await api.answer(from, to, facts, originally);
            out.push({ facts: facts, from: from, to: to, originally: originally,
                       path: answer && answer.path, issues: answer ? answer.issues : ["unknown version"] });
          }
        }
      }
    }
    document.getElementById("out").textContent = JSON.stringify(out);
  } catch (error) {
    document.getElementById("out").textContent = "harness failed: " + error;
  }
})();
</script></body></html>"#;

#[derive(serde::Deserialize, Debug)]
struct BrowserAnswer {
    facts: Vec<String>,
    from: String,
    to: String,
    originally: Option<String>,
    path: Option<Vec<String>>,
    issues: Vec<String>,
}

/// Every set of the declared conditions while there are few; otherwise
/// none, each alone, and all.
fn fact_sets(model: &upgrade_atlas::model::Model) -> Vec<Vec<String>> {
    let names: Vec<String> = model
        .site
        .conditions
        .iter()
        .map(|c| c.name.clone())
        .collect();
    if names.len() <= 4 {
        return (0..1usize << names.len())
            .map(|bits| {
                (0..names.len())
                    .filter(|c| bits & (1 << c) != 0)
                    .map(|c| names[c].clone())
                    .collect()
            })
            .collect();
    }
    let mut sets = vec![Vec::new()];
    sets.extend(names.iter().map(|n| vec![n.clone()]));
    sets.push(names);
    sets
}

/// For every pair of versions, the path finder's answer equals the engine's.
pub(crate) fn cross_check(chromium: &Path, root: &Path) -> Vec<String> {
    let checked = upgrade_atlas::check(root)
        .unwrap_or_else(|failure| panic!("{} does not check:\n{failure}", root.display()));
    let model = &checked.model;
    let fact_sets = fact_sets(model);
    let out = build(root, &[]);
    let site = out.path().join("site");
    let refs: Vec<String> = (0..model.nodes.len()).map(|n| model.node_ref(n)).collect();
    let mut names = refs.clone();
    for product in &model.products {
        for version in &product.versions {
            names.extend(
                version
                    .aliases
                    .iter()
                    .map(|a| format!("{}@{a}", product.id)),
            );
        }
    }
    // Small knowledge bases are also asked for every version a server may
    // have started as; larger ones only for the default, the path's start.
    let originals: Vec<String> = if model.nodes.len() <= 12 {
        refs.clone()
    } else {
        Vec::new()
    };
    let json = |value: &Vec<String>| serde_json::to_string(value).unwrap();
    let harness = HARNESS
        .replace("FACT_SETS", &serde_json::to_string(&fact_sets).unwrap())
        .replace("NAMES", &json(&names))
        .replace("REFS", &json(&refs))
        .replace("ORIGINALS", &json(&originals));
    std::fs::write(site.join("harness.html"), harness).unwrap();
    let html = dump_dom(chromium, &site.join("harness.html"), "");
    let json = select(&html, "#out").iter().map(text).collect::<String>();
    let answers: Vec<BrowserAnswer> =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    let by_id = refs.len() * refs.len() * (originals.len() + 1);
    let by_alias = names.len() * names.len() - refs.len() * refs.len();
    assert_eq!(answers.len(), fact_sets.len() * (by_id + by_alias));

    let graph = UpgradeGraph::new(model);
    let mut differences = Vec::new();
    for answer in answers {
        let facts = Facts(
            answer
                .facts
                .iter()
                .map(|n| model.condition_index(n).unwrap())
                .collect(),
        );
        let edges = graph.edges(&facts);
        let from = upgrade_atlas::selector::select_one(model, &answer.from).unwrap();
        let to = upgrade_atlas::selector::select_one(model, &answer.to).unwrap();
        let originally = answer.originally.as_deref().map_or(from, |o| {
            upgrade_atlas::selector::select_one(model, o).unwrap()
        });
        let path = edges.path(from, to);
        let want_path = path
            .as_ref()
            .map(|p| p.iter().map(|n| model.node_ref(*n)).collect::<Vec<_>>());
        let want_issues: Vec<String> = path
            .as_deref()
            .map(|p| {
                edges
                    .path_issues(p, originally)
                    .iter()
                    .map(|i| i.issue.title.clone())
                    .collect()
            })
            .unwrap_or_default();
        if want_path != answer.path || want_issues != answer.issues {
            differences.push(format!(
                "{}: {} -> {} if {:?} originally {:?}: engine {:?} {:?}, browser {:?} {:?}",
                root.display(),
                answer.from,
                answer.to,
                answer.facts,
                answer.originally,
                want_path,
                want_issues,
                answer.path,
                answer.issues
            ));
        }
    }
    differences
}

#[test]
#[ignore = "slow (an oracle of every answer through Chromium): CI runs it; locally `cargo test -- --ignored`"]
fn path_finder_agrees_with_the_engine_on_every_pair() {
    let Some(chromium) = chromium() else { return };
    // The example, every conformance case (format 1.0 and 1.1: issue
    // conditions, `originally`, aliases) and the fixture with conditions.
    let mut roots = vec![manifest(), manifest().join("tests/fixtures/conditions")];
    roots.extend(common::conformance_cases("ok"));
    let differences: Vec<String> = roots
        .iter()
        .flat_map(|root| cross_check(&chromium, root))
        .collect();
    assert!(
        differences.is_empty(),
        "{} differences:\n{}",
        differences.len(),
        differences.join("\n")
    );
}

/// The form itself: a product, then a version, on each side; the
/// conditions offered follow the pair; submitting asks the question. And
/// what an answer says besides its route: why there is no path (a refusal
/// with what it offers instead, or nothing leading there at all), and the
/// notes of the products at both ends.
#[test]
fn path_finder_form_picks_a_product_then_a_version() {
    let Some(chromium) = chromium() else { return };
    let browser_tests = manifest().join("tests/browser");
    let Some(_) = node_package("playwright-core") else {
        return;
    };
    let out = build(&manifest().join("tests/fixtures/conditions"), &[]);
    let example = build(&manifest(), &[]);
    let refused = tempfile::tempdir().unwrap();
    write_refused_base(refused.path());
    let refused_site = build(refused.path(), &[]);
    let run = Command::new("node")
        .current_dir(&browser_tests)
        .arg("finder.mjs")
        .arg(out.path().join("site"))
        .arg(example.path().join("site"))
        .arg(refused_site.path().join("site"))
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    assert!(
        run.status.success(),
        "the finder's form does not work:\n{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

/// A base where a scenario refuses the only upgrade there is, so that no
/// path exists and the refusal is the whole answer: it offers an
/// alternative instead, with Markdown in its body, and the product has notes.
fn write_refused_base(root: &Path) {
    let content = root.join("content");
    std::fs::create_dir_all(content.join("products")).unwrap();
    std::fs::create_dir_all(content.join("scenarios")).unwrap();
    std::fs::write(content.join("site.yaml"), "title: Refused\n").unwrap();
    std::fs::write(
        content.join("products/app.yaml"),
        "name: App\nversions:\n  - id: \"1.0\"\n  - id: \"2.0\"\nupgrades: { policy: sequential }\n\
         notes: International versions **differ**; ask your local representative.\n",
    )
    .unwrap();
    std::fs::write(
        content.join("scenarios/app-1-to-2.yaml"),
        "from: app@1.0\nto: app@2.0\ndirect: unsupported\ntitle: App 1.0 cannot be upgraded\n\
         alternatives:\n  - title: Install 2.0 beside it and move the data\n    \
         body: Export with `app dump`, then import into [2.0](@app@2.0).\n",
    )
    .unwrap();
}

/// The node modules of tests/browser the page tests use, or `None` after
/// saying why not.
fn browser_modules() -> Option<PathBuf> {
    node_package("axe-core")?;
    node_package("playwright-core")
}

/// Runs `node SCRIPT ARGS...` in tests/browser with the word the keyboard
/// check searches for (one with two results or more on the site); panics
/// with its report on failure.
fn node_searching(
    script: &str,
    args: &[std::ffi::OsString],
    chromium: &Path,
    what: &str,
    search_term: &str,
) {
    node_with(
        script,
        args,
        chromium,
        what,
        &[("SEARCH_TERM", search_term)],
    )
}

/// Runs `node SCRIPT ARGS...` in tests/browser with these variables in
/// its environment; panics with its report on failure.
fn node_with(
    script: &str,
    args: &[std::ffi::OsString],
    chromium: &Path,
    what: &str,
    env: &[(&str, &str)],
) {
    let run = Command::new("node")
        .current_dir(manifest().join("tests/browser"))
        .arg(script)
        .args(args)
        .env("CHROMIUM", chromium)
        .envs(env.iter().copied())
        .output()
        .expect("node runs");
    assert!(
        run.status.success(),
        "{what}:\n{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

/// Every page of a built site, relative and `/`-separated.
fn every_page(site: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(site)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("a readable entry"))
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| common::relative(site, e.path()))
        .collect();
    pages.sort();
    pages
}

/// The sites the reading tests build: the example, the fixture with
/// conditions, a larger generated base, and two with support dates; each with the pages read at
/// every width (the screenshots' subjects) and the pages that need a query.
struct ReadSite {
    name: &'static str,
    source: Source,
    read: &'static [&'static str],
    queries: &'static [&'static str],
    /// A word with two results or more, for the keyboard check.
    search_term: &'static str,
    /// The most A4 pages a read page may print to, when bounded.
    max_printed_pages: Option<usize>,
    /// Whether axe reads every page of the site in full, or `read` in full
    /// and every third other page with its target-size rule alone (a
    /// long-lived product's 180 pages share a few shapes).
    axe_every_page: bool,
    /// The built site, made on first use (see [`ReadSite::built`]).
    built: OnceLock<tempfile::TempDir>,
}

/// Where a read site's knowledge base comes from.
enum Source {
    /// A folder of this repository.
    Folder(&'static str),
    /// The generated base of [`common::generate_reading_base`].
    Generated,
    /// The example with its `language:` set to this.
    Example(&'static str),
}

impl ReadSite {
    /// The built site's folder. Each site is built once per test process
    /// and kept to its end (a static is never dropped, so it is made in
    /// [`common::process_scratch`], which the next run clears): the reading, axe and Nu
    /// checker tests read the same output, where each built it again, and
    /// the long-lived base alone took some 30 s of CPU to build in a debug
    /// build. A test that asks while another builds waits for it.
    fn built(&self) -> PathBuf {
        let out = self.built.get_or_init(|| self.build());
        out.path().join("site")
    }

    fn build(&self) -> tempfile::TempDir {
        let copy = match self.source {
            Source::Folder(_) => None,
            Source::Generated => {
                let dir = tempfile::tempdir().unwrap();
                common::generate_reading_base(dir.path());
                Some(dir)
            }
            Source::Example(language) => Some(common::example_in(language)),
        };
        let root = match (&self.source, &copy) {
            (Source::Folder(path), _) => manifest().join(path),
            (_, copy) => copy.as_ref().expect("a copy").path().to_owned(),
        };
        let out = tempfile::tempdir_in(common::process_scratch()).unwrap();
        let built = common::build_into(&root, &out.path().join("site"), &[]);
        assert!(
            built.status.success(),
            "build of {} failed: {}",
            self.name,
            common::text(&built.stderr)
        );
        out
    }
}

/// The read sites, each built on first use.
fn read_sites() -> &'static [ReadSite] {
    static SITES: LazyLock<Vec<ReadSite>> = LazyLock::new(read_site_list);
    &SITES
}

fn read_site_list() -> Vec<ReadSite> {
    vec![
        ReadSite {
            name: "example",
            source: Source::Folder(""),
            read: &[
                "index.html",
                "products/backoffice-server/index.html",
                "products/backoffice-server/4.0/index.html",
                "products/small-business-server/4.0/index.html",
                "scenarios/backoffice/4.0-to-xp/index.html",
                "components/site-server/index.html",
                "matrix/index.html",
                "paths/index.html?from=small-business-server@4.0&to=windows-xp-server@xp",
                "search/index.html?q=fax",
            ],
            search_term: "server",
            max_printed_pages: None,
            axe_every_page: true,
            built: OnceLock::new(),
            queries: &[
                "search/index.html?q=site",
                "paths/index.html?from=small-business-server@4.0&to=windows-xp-server@xp",
                "paths/index.html?from=backoffice-server@4.5&to=windows-xp-server@xp",
            ],
        },
        ReadSite {
            name: "conditions",
            source: Source::Folder("tests/fixtures/conditions"),
            read: &[
                "products/mysql/index.html",
                "products/mysql/5.7/index.html",
                "products/debian/9/index.html",
                "scenarios/mysql/5.7-to-8.0/index.html",
                "matrix/index.html",
                "paths/index.html?from=mysql@5.7&to=mysql@lts&if=replication",
            ],
            search_term: "server",
            max_printed_pages: None,
            axe_every_page: true,
            built: OnceLock::new(),
            queries: &[
                "paths/index.html?from=mysql@5.7&to=mysql@lts",
                "paths/index.html?from=mysql@5.7&to=mysql@8.0&if=replication&if=large",
            ],
        },
        ReadSite {
            name: "generated",
            source: Source::Generated,
            read: &[
                "index.html",
                "products/database/index.html",
                "products/distribution/index.html",
                "products/database/5.0/index.html",
                "products/distribution/1/index.html",
                "products/database/7.1/index.html",
                "scenarios/database-8/index.html",
                "scenarios/database-skip/index.html",
                "components/usrmerge/index.html",
                "matrix/index.html",
                "paths/index.html?from=directory@1&to=database@8.4&if=replica",
                "search/index.html?q=downgrade",
            ],
            queries: &["search/index.html?q=usrmerge"],
            search_term: "database",
            max_printed_pages: None,
            axe_every_page: true,
            built: OnceLock::new(),
        },
        // Support statuses, routes to support, the lifecycle table and timeline.
        ReadSite {
            name: "lifecycle",
            source: Source::Folder("tests/lifecycle/ok/statuses"),
            read: &[
                "index.html",
                "products/os/index.html",
                "products/os/1/index.html",
                "products/os/2/index.html",
            ],
            queries: &[],
            search_term: "example",
            max_printed_pages: None,
            axe_every_page: true,
            built: OnceLock::new(),
        },
        ReadSite {
            name: "postgresql",
            source: Source::Folder("examples/postgresql"),
            read: &[
                "index.html",
                "products/postgresql/index.html",
                "products/postgresql/13/index.html",
            ],
            queries: &[],
            search_term: "postgresql",
            max_printed_pages: None,
            axe_every_page: true,
            built: OnceLock::new(),
        },
        // Format 1.2: a stack of two products, its page, a version page that
        // says what it needs beside it, and a plan as a runbook.
        ReadSite {
            name: "nextcloud",
            source: Source::Folder("examples/nextcloud"),
            read: &[
                "stacks/nextcloud-on-php/index.html",
                "products/nextcloud/29/index.html",
                "paths/index.html?stack=nextcloud-on-php&at=nextcloud@24&at=php@7.4&goal=nextcloud@30&goal=php@8.3",
            ],
            queries: &[],
            search_term: "nextcloud",
            max_printed_pages: None,
            axe_every_page: true,
            built: OnceLock::new(),
        },
        // The example in German and in Japanese (issue 27): the pages of each
        // kind that say most in the built-in words, the path finder's and
        // the search's answers; axe reads them in full and a third of the
        // others with its target-size rule.
        language_site("example-de", "de"),
        language_site("example-ja", "ja"),
        // A long-lived product (132 releases, required stops, conditions):
        // its largest version page, read at 320 px, without JavaScript and
        // printed to at most 20 A4 pages.
        ReadSite {
            name: LONG_LIVED,
            source: Source::Folder("tests/fixtures/longlived"),
            read: &[
                "products/product-1/12.0/index.html",
                "products/product-1/17.11/index.html",
                "products/product-1/index.html",
                "matrix/product-1/index.html",
                "matrix/product-1/5/index.html",
                "paths/index.html?from=product-1@12.0&to=product-1@22.11&if=cond-1",
            ],
            queries: &[],
            search_term: "migrations",
            max_printed_pages: Some(20),
            axe_every_page: false,
            built: OnceLock::new(),
        },
    ]
}

/// The example built in `language`.
fn language_site(name: &'static str, language: &'static str) -> ReadSite {
    ReadSite {
        name,
        source: Source::Example(language),
        read: &[
            "index.html",
            "products/backoffice-server/index.html",
            "products/backoffice-server/4.0/index.html",
            "paths/index.html?from=small-business-server@4.0&to=windows-xp-server@xp",
            "search/index.html?q=fax",
        ],
        queries: &["paths/index.html?from=backoffice-server@4.5&to=windows-xp-server@xp"],
        search_term: "server",
        max_printed_pages: None,
        axe_every_page: false,
        built: OnceLock::new(),
    }
}

/// The generated base of the reading tests passes `check`. With
/// READING_BASE_OUT set it is written there, to build and look at by hand:
/// `READING_BASE_OUT=/tmp/base cargo test --test browser the_reading_base`.
#[test]
fn the_reading_base_passes_check() {
    let scratch = tempfile::tempdir().unwrap();
    let out = std::env::var_os("READING_BASE_OUT")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| scratch.path().join("base"));
    common::generate_reading_base(&out);
    let root = out.to_str().expect("a UTF-8 path");
    let checked = common::run(&["check", "--root", root]);
    assert!(
        checked.status.success(),
        "{}",
        common::text(&checked.stderr)
    );
}

/// Representative pages of each site read at 320, 390 and 1280 px, light
/// and dark, with JavaScript on and off, and printed (tests/browser/
/// reading.mjs): no sideways scrolling, every issue printed, no anchor
/// lands in a closed <details>, the matrix's newest column in view, axe
/// clean at 390 px. Screenshots go to target/screenshots/<site>/ (none
/// under CI, where no one looks at them, unless SCREENSHOTS=1).
///
/// Split in two, the long-lived base and the others, so that the test
/// harness runs the halves of this and the axe test side by side and CI's
/// two cores stay busy to the end.
#[test]
#[ignore = "slow (minutes of Chromium): CI runs it; locally `cargo test -- --ignored`"]
fn pages_read_at_every_width_in_print_and_without_javascript() {
    pages_read_at_every_width(|site| site.name != LONG_LIVED);
}

#[test]
#[ignore = "slow (minutes of Chromium): CI runs it; locally `cargo test -- --ignored`"]
fn the_long_lived_bases_pages_read_at_every_width_in_print_and_without_javascript() {
    pages_read_at_every_width(|site| site.name == LONG_LIVED);
}

/// The name of the long-lived base among [`read_sites`].
const LONG_LIVED: &str = "longlived";

fn pages_read_at_every_width(take: impl Fn(&ReadSite) -> bool) {
    let Some(chromium) = chromium() else { return };
    let Some(_) = browser_modules() else { return };
    let shots = manifest().join("target/screenshots");
    for site in read_sites().iter().filter(|site| take(site)) {
        let mut args: Vec<std::ffi::OsString> =
            vec![site.built().into(), shots.join(site.name).into()];
        args.extend(site.read.iter().map(|p| p.into()));
        let most = site
            .max_printed_pages
            .map(|n| n.to_string())
            .unwrap_or_default();
        node_with(
            "reading.mjs",
            &args,
            &chromium,
            &format!("pages of {} do not read well", site.name),
            &[("MAX_PRINTED_PAGES", most.as_str())],
        );
    }
}

/// axe-core on every page of every site the browser tests read (each page
/// light, and every third page and the read ones dark, with the rules that
/// read colours; of the long-lived base, the pages it reads in full and
/// a third of its other pages with the target-size rule at 390 px), no request
/// leaving file://, and search by keyboard.
/// Split in three (the long-lived base; the other sites in two halves of
/// about a hundred pages each), so that the harness's threads share the
/// work: as one test, the other sites' half was CI's longest test alone.
#[test]
#[ignore = "slow (minutes of Chromium): CI runs it; locally `cargo test -- --ignored`"]
fn every_page_passes_axe_makes_no_outside_requests_and_search_works_by_keyboard() {
    axe_on_every_page(|site| AXE_FIRST_HALF.contains(&site.name));
}

#[test]
#[ignore = "slow (minutes of Chromium): CI runs it; locally `cargo test -- --ignored`"]
fn every_page_of_the_other_sites_passes_axe_makes_no_outside_requests_and_search_works() {
    axe_on_every_page(|site| site.name != LONG_LIVED && !AXE_FIRST_HALF.contains(&site.name));
}

/// The sites of the first axe test: about half the pages of all but the
/// long-lived base (127 pages; the generated base and the example in
/// German and Japanese are the other 114).
const AXE_FIRST_HALF: [&str; 5] = [
    "example",
    "conditions",
    "lifecycle",
    "postgresql",
    "nextcloud",
];

#[test]
#[ignore = "slow (minutes of Chromium): CI runs it; locally `cargo test -- --ignored`"]
fn the_long_lived_bases_pages_pass_axe_make_no_outside_requests_and_search_works() {
    axe_on_every_page(|site| site.name == LONG_LIVED);
}

fn axe_on_every_page(take: impl Fn(&ReadSite) -> bool) {
    let Some(chromium) = chromium() else { return };
    let Some(_) = browser_modules() else { return };
    for site in read_sites().iter().filter(|site| take(site)) {
        let built = site.built();
        let mut args: Vec<std::ffi::OsString> = vec![built.clone().into()];
        if site.axe_every_page {
            // Dark colours on every third page and the read ones (each kind
            // of page among them): the dark pass checks only colours,
            // which a kind of page shares, and took a third of the time.
            let pages = every_page(&built).into_iter().enumerate();
            args.extend(pages.map(|(i, page)| {
                let dark = i % 3 == 0 || site.read.contains(&page.as_str());
                if dark { page } else { format!("light:{page}") }.into()
            }));
            args.extend(site.queries.iter().map(|p| p.into()));
        } else {
            // Its read pages in full; a third of the others with the rule
            // that follows how much a page holds (targets that crowd): the
            // long-lived base's 180 pages share a few shapes, a full read
            // would take CI some 8 minutes and the rule alone on all of
            // them 2.5, where CI has no room left.
            let read: Vec<&str> = site
                .read
                .iter()
                .copied()
                .filter(|p| !p.contains('?'))
                .collect();
            args.extend(read.iter().map(|p| p.into()));
            args.extend(site.queries.iter().map(|p| p.into()));
            args.push("--target-size-only".into());
            args.extend(
                every_page(&built)
                    .into_iter()
                    .filter(|p| !read.contains(&p.as_str()))
                    .step_by(3)
                    .map(Into::into),
            );
        }
        node_searching(
            "a11y.mjs",
            &args,
            &chromium,
            &format!("accessibility or network problems in {}", site.name),
            site.search_term,
        );
    }
}

/// The Nu HTML Checker on every page and stylesheet of the read sites
/// and of what `init` starts. Beside the reading and axe tests, which
/// read the same built sites: alone it built them all again (the long-lived
/// base some 30 s of CPU), and was `cargo test`'s longest test (37 s alone).
#[test]
#[ignore = "slow (every read site built, then the Nu checker's JVM): CI runs it; locally `cargo test -- --ignored`"]
fn html_and_css_pass_the_nu_checker() {
    let jar = manifest().join("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar");
    let Some(jar) = require(
        "the Nu HTML Checker, tests/browser/node_modules/vnu-jar (npm ci in tests/browser)",
        jar.is_file().then_some(jar),
    ) else {
        return;
    };
    if require(
        "java, to run the Nu HTML Checker",
        runs("java").then_some(()),
    )
    .is_none()
    {
        return;
    }
    // What `init` starts must be valid too, as a new writer first sees it.
    let started = tempfile::tempdir().unwrap();
    let init = Command::new(env!("CARGO_BIN_EXE_upgrade-atlas"))
        .arg("init")
        .arg(started.path())
        .status()
        .expect("init runs");
    assert!(init.success(), "init failed");
    let init = build(started.path(), &["--base-url", "https://kb.example.com/"]);
    let mut sites: Vec<(&str, PathBuf)> = read_sites()
        .iter()
        .map(|read| (read.name, read.built()))
        .collect();
    sites.push(("init", init.path().join("site")));
    // One checker for every site, and one for every stylesheet: a start
    // of the checker's JVM took most of this test's time when it ran twice
    // a site (150 s for the eight sites).
    let roots: Vec<PathBuf> = sites.iter().map(|(_, root)| root.clone()).collect();
    let which = || {
        (sites.iter())
            .map(|(name, root)| format!("{name}: {}", root.display()))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let nu = |args: &[&str], paths: Vec<PathBuf>| {
        Command::new("java")
            .args(["-jar", jar.to_str().unwrap(), "--errors-only"])
            .args(args)
            .args(paths)
            .output()
            .expect("java runs")
    };
    let html = nu(&["--skip-non-html"], roots.clone());
    assert!(
        html.status.success(),
        "HTML errors:\n{}\nin the sites\n{}",
        String::from_utf8_lossy(&html.stderr),
        which()
    );
    let stylesheets = roots.iter().map(|r| r.join("assets/style.css")).collect();
    let css = nu(&["--css"], stylesheets);
    assert!(
        css.status.success(),
        "CSS errors:\n{}\nin the sites\n{}",
        String::from_utf8_lossy(&css.stderr),
        which()
    );
}

/// A page that runs every query through the search's engine and through the
/// plain scan it replaced (tests/browser/search-reference.js, over every
/// document in site order), and folds awkward strings with the engine's
/// `words()`; it prints all of it as JSON.
const SEARCH_HARNESS: &str = r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>harness</title></head>
<body data-root=""><pre id="out"></pre>
<script src="reference-documents.js"></script><script src="search-reference.js"></script><script src="assets/common.js"></script><script src="assets/search.js"></script>
<script src="assets/stem-en.js"></script><script src="assets/stem-de.js"></script><script src="assets/stem-fr.js"></script><script src="assets/stem-es.js"></script>
<script>
var queries = QUERIES, strings = STRINGS, api = window.UpgradeAtlasSearch;
var out = { words: strings.map(function (s) { return api.words(s); }),
  indexed: [null, "en", "de", "fr", "es"].map(function (code) {
    return strings.map(function (s) { return api.indexWords(s, api.language(code)); });
  }),
  stems: STEMS.map(function (s) { return api.stem(s); }), answers: [] };
function pick(hits, shown) { return hits.map(function (h) { return [JSON.stringify(shown ? shown(h.doc) : h.doc), h.inTitle, h.score]; }); }
/* The reference ranks by every document's whole text; the documents files keep the beginning of it. */
function shownByReference(doc) { return REFERENCE_SHOWN[REFERENCE_DOCUMENTS.indexOf(doc)]; }
queries.reduce(function (done, query) {
  return done.then(function () {
    return api.search(query).then(function (answer) {
      /* A misspelt word is searched as the word it was replaced by. */
      var replaced = {};
      answer.corrections.forEach(function (c) { replaced[c[0]] = c[1]; });
      var asked = api.words(query).map(function (w) { return replaced[w] || w; }).join(" ");
      return api.page(answer, 0, 50).then(function (hits) {
        out.answers.push({ query: query, engine: pick(hits), reference: pick(referenceSearch(REFERENCE_DOCUMENTS, asked, ENGLISH), shownByReference),
          corrected: asked === api.words(query).join(" ") ? null : asked,
          typed_found: answer.corrections.length ? referenceSearch(REFERENCE_DOCUMENTS, query, ENGLISH).length : 0,
          total: answer.total });
      });
    });
  });
}, Promise.resolve()).then(function () {
  document.getElementById("out").textContent = JSON.stringify(out);
}, function (error) {
  document.getElementById("out").textContent = "failed: " + error;
});
</script></body></html>"#;

/// Strings on which the script's `words()` and the index's must agree:
/// accents, final sigma, dotted capitals, ligatures, other scripts, marks
/// outside U+0300..U+036F, letter-like symbols, dots.
const AWKWARD: &[&str] = &[
    "Résumé CAFÉ naïve Ærø Straße STRASSE ẞ",
    "ΟΔΟΣ ΣΑΣ ΑΣ1 ΑΣ.Β Σ ΣΣ Σ.Σ οδός Σίσυφος ΐ",
    "İstanbul İİ ı I\u{307} ǅemal ǈ",
    "ÅNGSTRÖM Ångström \u{212b} \u{2126}hm \u{212a}elvin e\u{301}te\u{301} e\u{301}\u{327}",
    "ﬁle ﬃ Ⓐlpha ⓐ Ⅻ ⅻ ½ ١٢٣ ٣ ʰ 𝐀𝐁𝐂 ﾊﾝｶｸ 한국어 日本語 Москва",
    "a\u{483}b a\u{345}b x\u{200d}y x\u{ad}y a\u{3000}b \u{1f600}smile",
    "4.5 4.5. .4.5 ...dots... v2.0.1 x.y.z TLS1.2 a.b-c_d o'clock C++ e-mail",
    "tab\tnew\nline\u{2028}sep",
    "Übergänge größer ÄRGER Noël Ça aiguë NIÑO pingüino haciéndolo l'été E\u{301}TE\u{301} ŒUVRE",
    "日本語のガイド Windows版の更新 ガイド ｶﾞｲﾄﾞ 本 X-日本 a-本-b 한국어-판 5.0版 々",
];

/// Queries for the comparison: fixed awkward ones, every letter and digit,
/// each word of the base's documents with its first two and three
/// letters, alone and in pairs, and pairs of words titles say side by side.
fn search_queries(documents: &[upgrade_atlas::plan::search_index::SearchDocument]) -> Vec<String> {
    use upgrade_atlas::plan::search_index::words;
    let mut queries: Vec<String> = [
        "fax",
        "site serv",
        "SÍTE serv",
        "zzqqxx",
        "4.5",
        "4",
        "4.",
        ".5",
        "v2.0.1",
        "2.0",
        "résumé",
        "RESUME",
        "cafe",
        "naive",
        "ærø",
        "strasse",
        "straße",
        "istanbul",
        "ΟΔΟΣ",
        "οδοσ",
        "σισυφος",
        "москва",
        "日本語",
        "ﬁle",
        "file",
        "angstrom",
        "å",
        "ete",
        "été",
        "tls1.2",
        "ipv6",
        "ⓐlpha",
        "lpha",
        "xii",
        "ⅻ",
        "½",
        "١٢٣",
        "e-mail",
        "mail e",
        "server server",
        "upgrade server",
        "up se",
        "the to",
        "the a an",
        "issue",
        "scenario",
        "version product",
        "component",
        "",
        "   ",
        "...",
        "zzqqxx server",
        "server zzqqxx",
    ]
    .map(String::from)
    .to_vec();
    queries.extend(('a'..='z').chain('0'..='9').map(String::from));
    let mut vocabulary: Vec<String> = documents
        .iter()
        .flat_map(|d| words(&format!("{} {}", d.t, d.b)))
        .collect();
    vocabulary.sort();
    vocabulary.dedup();
    // A sample, so that the page runs in seconds.
    let step = vocabulary.len().div_ceil(150).max(1);
    for (i, word) in vocabulary.iter().step_by(step).enumerate() {
        let letters: Vec<char> = word.chars().collect();
        queries.push(word.clone());
        queries.extend(
            [2, 3]
                .iter()
                .filter(|&&n| letters.len() > n)
                .map(|&n| letters[..n].iter().collect()),
        );
        let other = &vocabulary[(i * 7919) % vocabulary.len()];
        queries.push(format!("{word} {other}"));
    }
    // Words a title says side by side, in its order and the other way
    // round: the ranking adds to documents whose title has them adjacent.
    let step = documents.len().div_ceil(60).max(1);
    for document in documents.iter().step_by(step) {
        let title = words(&document.t);
        if let [first, second, ..] = &title[..] {
            queries.push(format!("{first} {second}"));
            queries.push(format!("{second} {first}"));
        }
    }
    queries
}

/// JSON to paste into a script: no `</script>` can close it.
fn script_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap()
        .replace('<', "\\u003c")
}

#[derive(serde::Deserialize)]
struct SearchAnswer {
    query: String,
    engine: Vec<(String, usize, usize)>,
    reference: Vec<(String, usize, usize)>,
    /// The query as searched when a misspelt word was replaced.
    corrected: Option<String>,
    /// What the reference finds for the query as typed, when corrected.
    typed_found: usize,
    total: usize,
}

#[derive(serde::Deserialize)]
struct SearchHarnessOut {
    words: Vec<Vec<String>>,
    indexed: Vec<Vec<Vec<String>>>,
    stems: Vec<String>,
    answers: Vec<SearchAnswer>,
}

/// Words on which the script's `stem()` and the index's must agree, here
/// beside the other comparisons: words too short or not plain letters, and
/// some of each kind of suffix. tests/it/search_stems.rs compares them on
/// 3,000 words of Snowball's vocabulary.
const STEMS: &[&str] = &[
    "downgrade",
    "downgrades",
    "downgraded",
    "downgrading",
    "libraries",
    "library",
    "classes",
    "class",
    "glass",
    "using",
    "uses",
    "use",
    "notes",
    "based",
    "ies",
    "tries",
    "replicas",
    "bullseye",
    "firmware",
    "8.4",
    "v2.0.1",
    "resumes",
    "naïve",
    "wifi",
    "e-mail",
    "running",
    "status",
    "statuses",
    "copied",
    "stopped",
    "generously",
    "s",
    "",
    "ss",
    "sssss",
    "eeeee",
    "ededed",
    "inging",
    "straße",
    "İstanbul",
];

/// Each hit as its title, terms found in the title and score.
fn titles(hits: &[(String, usize, usize)]) -> Vec<String> {
    hits.iter()
        .map(|(doc, in_title, score)| {
            let doc: serde_json::Value = serde_json::from_str(doc).unwrap();
            format!("{} ({in_title}, {score})", doc["t"].as_str().unwrap())
        })
        .collect()
}

/// The manifest of a built site's search index.
fn search_manifest(site: &Path) -> serde_json::Value {
    let script = std::fs::read_to_string(site.join("data/search.js")).unwrap();
    let literal = script
        .strip_prefix("window.UPGRADE_ATLAS_SEARCH = JSON.parse(")
        .and_then(|s| s.strip_suffix(");\n"))
        .expect("the manifest script");
    serde_json::from_str(&common::js::string(literal)).unwrap()
}

/// Builds `root` with these limits, runs the search harness on it and
/// returns every way the engine and the reference (or the two `words()`)
/// disagree, and the index's manifest.
fn search_differences(
    chromium: &Path,
    root: &Path,
    limits: SearchLimits,
) -> (Vec<String>, serde_json::Value) {
    let checked = upgrade_atlas::check(root)
        .unwrap_or_else(|failure| panic!("{} does not check:\n{failure}", root.display()));
    let documents = upgrade_atlas::plan::search_documents(&checked.model);
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let options = upgrade_atlas::plan::PlanOptions {
        search_limits: limits,
        ..Default::default()
    };
    upgrade_atlas::build(root, &site, &options, upgrade_atlas::write::WhenBusy::Wait)
        .expect("builds");
    let queries = search_queries(&documents);
    std::fs::write(
        site.join("reference-documents.js"),
        format!(
            "window.REFERENCE_DOCUMENTS = {};\nwindow.REFERENCE_SHOWN = {};\n",
            script_json(&documents),
            script_json(&documents.iter().map(|d| d.shown()).collect::<Vec<_>>())
        ),
    )
    .unwrap();
    std::fs::copy(
        manifest().join("tests/browser/search-reference.js"),
        site.join("search-reference.js"),
    )
    .unwrap();
    let english = upgrade_atlas::plan::search_index::stems_english(&checked.model.site.language);
    let harness = SEARCH_HARNESS
        .replace("QUERIES", &script_json(&queries))
        .replace("STRINGS", &script_json(&AWKWARD))
        .replace("STEMS", &script_json(&STEMS))
        .replace("ENGLISH", if english { "true" } else { "false" });
    std::fs::write(site.join("harness.html"), harness).unwrap();
    let html = dump_dom(chromium, &site.join("harness.html"), "");
    let json = select(&html, "#out").iter().map(text).collect::<String>();
    let out: SearchHarnessOut =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert_eq!(out.answers.len(), queries.len());
    let mut differences = Vec::new();
    for (text, browser) in AWKWARD.iter().zip(&out.words) {
        let rust = upgrade_atlas::plan::search_index::words(text);
        if &rust != browser {
            differences.push(format!(
                "words({text:?}): index {rust:?}, script {browser:?}"
            ));
        }
    }
    // Each language's words, from the same strings.
    use upgrade_atlas::plan::search_index::Stemming;
    let languages = [
        Stemming::None,
        Stemming::English,
        Stemming::German,
        Stemming::French,
        Stemming::Spanish,
    ];
    assert_eq!(out.indexed.len(), languages.len());
    for (stemming, indexed) in languages.iter().zip(&out.indexed) {
        for (text, browser) in AWKWARD.iter().zip(indexed) {
            let rust = upgrade_atlas::plan::search_index::index_words(text, *stemming);
            if &rust != browser {
                differences.push(format!(
                    "index_words({text:?}, {stemming:?}): index {rust:?}, script {browser:?}"
                ));
            }
        }
    }
    for (word, browser) in STEMS.iter().zip(&out.stems) {
        let rust = upgrade_atlas::plan::search_index::stem(word);
        if &rust != browser {
            differences.push(format!(
                "stem({word:?}): index {rust:?}, script {browser:?}"
            ));
        }
    }
    for answer in &out.answers {
        // A word is replaced only when the query as typed finds nothing.
        if answer.corrected.is_some() && answer.typed_found > 0 {
            differences.push(format!(
                "query {:?} was corrected to {:?} though it finds {}",
                answer.query, answer.corrected, answer.typed_found
            ));
        }
        // The count is of every match, of which the engine shows 50.
        if answer.engine.len() != answer.total.min(50) {
            differences.push(format!(
                "query {:?}: {} results counted, {} shown",
                answer.query,
                answer.total,
                answer.engine.len()
            ));
        }
        if answer.engine != answer.reference {
            differences.push(format!(
                "{} ({limits:?}), query {:?}:\n  engine    {:?}\n  reference {:?}",
                root.display(),
                answer.query,
                titles(&answer.engine),
                titles(&answer.reference),
            ));
        }
    }
    let found = out
        .answers
        .iter()
        .filter(|a| !a.reference.is_empty())
        .count();
    assert!(
        found * 2 > out.answers.len(),
        "most queries should find something: {found} of {}",
        out.answers.len()
    );
    (differences, search_manifest(&site))
}

#[test]
#[ignore = "slow (an oracle of every answer through Chromium): CI runs it; locally `cargo test -- --ignored`"]
fn split_search_answers_as_the_plain_scan_did() {
    let Some(chromium) = chromium() else { return };
    let generated = tempfile::tempdir().unwrap();
    common::generate_base(generated.path(), 24, 6, 300);
    // Tiny files: every word its own file, prefixes split letter by letter.
    let tiny = SearchLimits {
        words_file_bytes: 200,
        documents_per_file: 1,
    };
    let mut differences = Vec::new();
    for root in [manifest(), generated.path().to_owned()] {
        for limits in [SearchLimits::default(), tiny] {
            let (found, index) = search_differences(&chromium, &root, limits);
            differences.extend(found);
            if root != manifest() && limits == tiny {
                // The deep paths ran: leaves below splits, and a split whose
                // words share more than its key ("u": "upgrade", "upgrades"...).
                let leaves: Vec<String> = serde_json::from_value(index["leaves"].clone()).unwrap();
                let splits: Vec<[String; 2]> =
                    serde_json::from_value(index["splits"].clone()).unwrap();
                assert!(leaves.iter().any(|l| l.chars().count() >= 3), "{leaves:?}");
                assert!(
                    splits.iter().any(|[key, prefix]| key != prefix),
                    "{splits:?}"
                );
            }
        }
    }
    assert!(
        differences.is_empty(),
        "{} differences:\n{}",
        differences.len(),
        differences.join("\n")
    );
}

/// A script that fixes the page's clock at `day` (noon, local time) before
/// any other script runs: what a reader on that day sees.
fn fixed_clock(day: &str) -> String {
    format!(
        "<script>(function () {{ var Real = Date, fixed = new Real(\"{day}T12:00:00\").getTime();\n\
         function Fixed() {{ if (arguments.length === 0) return new Real(fixed);\n\
         return new (Function.prototype.bind.apply(Real, [null].concat([].slice.call(arguments))))(); }}\n\
         Fixed.now = function () {{ return fixed; }}; Fixed.UTC = Real.UTC; Fixed.parse = Real.parse;\n\
         Fixed.prototype = Real.prototype; window.Date = Fixed; }})();</script>"
    )
}

#[test]
fn the_support_status_follows_the_readers_clock_and_reads_without_javascript() {
    let Some(chromium) = chromium() else { return };
    // The statuses case without its fixed day: the script decides.
    let kb = tempfile::tempdir().unwrap();
    copy_tree(
        &manifest().join("tests/lifecycle/ok/statuses/content"),
        &kb.path().join("content"),
    );
    std::fs::write(
        kb.path().join("content/site.yaml"),
        "title: Lifecycle statuses\n",
    )
    .unwrap();
    let out = build(kb.path(), &[]);
    let page = out.path().join("site/products/os/2/index.html");
    let built = std::fs::read_to_string(&page).unwrap();
    let on = |day: &str| {
        let file = page.with_file_name(format!("on-{day}.html"));
        std::fs::write(
            &file,
            built.replacen("<head>", &format!("<head>{}", fixed_clock(day)), 1),
        )
        .unwrap();
        dump_dom(&chromium, &file, "")
    };
    let status = |dom: &str| {
        select(dom, ".support-status")
            .iter()
            .map(text)
            .collect::<String>()
    };
    let visible_stretches = |dom: &str| {
        select(
            dom,
            ".route-to-support:not([hidden]) .stretch:not([hidden])",
        )
        .iter()
        .map(|s| s.value().attr("data-from").unwrap_or_default().to_owned())
        .collect::<Vec<_>>()
    };

    let before = on("2020-06-01");
    assert_eq!(status(&before), "Supported until 30 June 2021");
    assert_eq!(
        visible_stretches(&before),
        Vec::<String>::new(),
        "too early for a route"
    );
    assert_eq!(select(&before, "section.support.status-supported").len(), 1);

    let extended = on("2025-01-15");
    assert_eq!(
        status(&extended),
        "Security support only, until 1 January 2027"
    );
    assert_eq!(visible_stretches(&extended), ["2022-03-01"]);
    assert_eq!(
        select(&extended, "section.support[data-status=extended]").len(),
        1
    );

    let after = on("2028-01-01");
    assert_eq!(status(&after), "Out of support since 1 January 2027");
    assert_eq!(visible_stretches(&after), ["2025-03-01"]);

    // Without JavaScript (the page with its script taken out, as dump_dom
    // needs scripts on): the dates, and every stretch with its days.
    let file = page.with_file_name("no-script.html");
    let script = "<script src=\"../../../assets/lifecycle.js\" defer></script>";
    assert!(built.contains(script));
    std::fs::write(&file, built.replace(script, "")).unwrap();
    let off = dump_dom(&chromium, &file, "");
    assert_eq!(
        status(&off),
        "Active support ends 30 June 2021; security support ends 1 January 2027"
    );
    assert_eq!(
        select(&off, ".stretch:not([hidden]) .stretch-when").len(),
        4
    );

    // The home page's list keeps the next few events from the reader's day.
    let home = out.path().join("site/index.html");
    let home_built = std::fs::read_to_string(&home).unwrap();
    let file = home.with_file_name("on-2025-01-15.html");
    std::fs::write(
        &file,
        home_built.replacen("<head>", &format!("<head>{}", fixed_clock("2025-01-15")), 1),
    )
    .unwrap();
    let dom = dump_dom(&chromium, &file, "");
    let shown: Vec<String> = select(&dom, ".leaving li:not([hidden]) time")
        .iter()
        .map(|t| t.value().attr("datetime").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        shown.first().map(String::as_str),
        Some("2025-03-01"),
        "{shown:?}"
    );
    assert!(shown.iter().all(|d| d.as_str() >= "2025-01-15"));

    product_page_follows_the_readers_clock(&chromium, &out.path().join("site"));
}

/// The product page of the statuses case without its fixed day, on
/// 2025-01-15: each row's status, what is out of support, and the today
/// line where a build with that day fixed draws it; in dark mode the
/// timeline's labels keep their contrast.
fn product_page_follows_the_readers_clock(chromium: &Path, site: &Path) {
    let page = site.join("products/os/index.html");
    let built = std::fs::read_to_string(&page).unwrap();
    // Writes what the reader sees of the timeline's colours into the page,
    // for dump_dom to return.
    let colours = "<script>addEventListener('load', function () { var svg = document.querySelector('svg.timeline');\n\
        svg.setAttribute('data-seen', [getComputedStyle(svg.querySelector('text.version')).fill, getComputedStyle(document.body).backgroundColor,\n\
        svg.getBoundingClientRect().width / svg.width.baseVal.value].join(';')); });</script>";
    let file = page.with_file_name("on-2025-01-15.html");
    std::fs::write(
        &file,
        built
            .replacen("<head>", &format!("<head>{}", fixed_clock("2025-01-15")), 1)
            .replacen("</body>", &format!("{colours}</body>"), 1),
    )
    .unwrap();
    let dom = dump_dom(chromium, &file, "");
    let statuses: Vec<String> = select(&dom, "table.lifecycle td.status [data-support-status]")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        statuses,
        [
            "Out of support since 1 January 2020",
            "Security support only, until 1 January 2027",
            "Supported until 1 March 2025",
            "Supported until 1 March 2030",
            "Supported; no end of support announced",
            "—",
            "Not released yet: due 1 March 2026",
        ]
    );
    assert_eq!(select(&dom, "table.lifecycle tr.status-ended").len(), 1);
    let ended: Vec<String> = select(&dom, ".out-of-support:not([hidden]) li:not([hidden])")
        .iter()
        .map(|li| text(li).split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(ended, ["Example OS 1 since 1 January 2020"]);
    // The line the script placed, against the one a build on that day draws.
    let placed = select(&dom, "svg.timeline g.today:not([visibility]) line.today");
    let placed_x: i64 = placed[0].value().attr("x1").unwrap().parse().unwrap();
    let fixed = build(&manifest().join("tests/lifecycle/ok/statuses"), &[]);
    let fixed_page =
        std::fs::read_to_string(fixed.path().join("site/products/os/index.html")).unwrap();
    let drawn = select(&fixed_page, "svg.timeline line.today");
    let drawn_x: i64 = drawn[0].value().attr("x1").unwrap().parse().unwrap();
    assert!((placed_x - drawn_x).abs() <= 1, "{placed_x} vs {drawn_x}");
    assert_eq!(
        texts(&dom, "svg.timeline text.today"),
        texts(&fixed_page, "svg.timeline text.today")
    );

    // On a phone (320 px), dark: the labels keep their 12 px (the drawing
    // scrolls rather than shrinks) and their contrast.
    let dark = dump_dom_with(
        chromium,
        &file,
        "",
        &["--force-dark-mode", "--window-size=320,900"],
    );
    let seen = select(&dark, "svg.timeline[data-seen]")[0]
        .value()
        .attr("data-seen")
        .unwrap()
        .to_owned();
    let [label, background, scale] = seen.split(';').collect::<Vec<_>>()[..] else {
        panic!("{seen}")
    };
    let ratio = contrast(label, background);
    assert!(
        ratio >= 4.5,
        "timeline labels in dark mode: {label} on {background}, contrast {ratio:.2}"
    );
    let scale: f64 = scale.parse().unwrap();
    assert!(
        scale >= 0.99,
        "at 320 px the timeline is drawn at {scale:.2} of its size: 12 px labels become {:.1} px",
        12.0 * scale
    );
}

/// The WCAG contrast ratio of two CSS `rgb(r, g, b)` colours.
fn contrast(a: &str, b: &str) -> f64 {
    let luminance = |css: &str| {
        let inside = css.trim_start_matches("rgba(").trim_start_matches("rgb(");
        let channels: Vec<f64> = inside
            .trim_end_matches(')')
            .split(',')
            .take(3)
            .map(|c| c.trim().parse::<f64>().unwrap() / 255.0)
            .map(|c| {
                if c <= 0.039_28 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            })
            .collect();
        0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
    };
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}
