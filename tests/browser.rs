//! Browser tests: the built site opened from file:// in Debian's Chromium.
//!
//! Chromium, Node.js packages (tests/browser/node_modules) and Java are
//! installed by .ci/run. Where one is missing these tests fail under CI
//! (CI set) and are skipped with a message elsewhere, so that `cargo test`
//! still runs on a machine with only Rust.

mod common;

use common::copy_tree;

use std::path::{Path, PathBuf};
use std::process::Command;

use upgrade_atlas::graph::UpgradeGraph;
use upgrade_atlas::model::Facts;
use upgrade_atlas::plan::search_index::SearchLimits;

const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The tool, or `None` after saying why the test is skipped; panics under CI.
fn require(what: &str, found: Option<PathBuf>) -> Option<PathBuf> {
    if found.is_some() {
        return found;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{what} is missing: .ci/run should have installed it");
    }
    eprintln!("skipped: {what} is not installed here (run .ci/run to install it)");
    None
}

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| "/usr/bin/chromium".into());
    require("chromium", path.is_file().then_some(path))
}

fn build(root: &Path, extra: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let status = Command::new(env!("CARGO_BIN_EXE_upgrade-atlas"))
        .args([
            "--root",
            root.to_str().unwrap(),
            "build",
            "--output",
            site.to_str().unwrap(),
        ])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    out
}

/// The DOM after scripts ran, of a page opened from file:// with a query.
fn dump_dom(chromium: &Path, file: &Path, query: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}{}", file.display(), query);
    let out = Command::new(chromium)
        .args(CHROMIUM_FLAGS)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--virtual-time-budget=5000", "--dump-dom", &url])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
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
        let target = site.join("search").join(href.split('#').next().unwrap());
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
    // The choice is kept in the form.
    let chosen = select(&html, "#from option[selected], #from option");
    assert!(!chosen.is_empty());
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

/// A page that asks the path finder's engine for every pair of versions under
/// every set of facts given, and prints the answers as JSON.
const HARNESS: &str = r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>harness</title></head>
<body data-root=""><pre id="out"></pre>
<script src="data/graph.js"></script><script src="assets/paths.js"></script>
<script>
var data = window.UPGRADE_ATLAS_GRAPH, api = window.UpgradeAtlasPaths, out = [];
var originals = ORIGINALS;
FACT_SETS.forEach(function (names) {
  var facts = {};
  names.forEach(function (n) { data.conditions.forEach(function (c, i) { if (c.name === n) facts[i] = true; }); });
  var edges = api.edges(facts);
  data.nodes.forEach(function (a, from) {
    data.nodes.forEach(function (b, to) {
      var route = api.path(edges, from, to);
      [-1].concat(originals).forEach(function (originally) {
        var issues = route ? [].concat.apply([], api.hopDetails(route, facts, originally).map(function (h) {
          return h.issues.map(function (i) { return data.issues[i.issue].title; });
        })) : [];
        out.push({ facts: names, from: a.ref, to: b.ref, originally: originally < 0 ? null : data.nodes[originally].ref,
                   path: route && route.map(function (n) { return data.nodes[n].ref; }), issues: issues });
      });
    });
  });
});
document.getElementById("out").textContent = JSON.stringify(out);
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

/// For every pair of versions, the path finder's answer equals the engine's.
fn cross_check(chromium: &Path, root: &Path) -> Vec<String> {
    let checked =
        upgrade_atlas::check(root).unwrap_or_else(|_| panic!("{} does not check", root.display()));
    let model = &checked.model;
    let mut fact_sets: Vec<Vec<String>> = vec![Vec::new()];
    fact_sets.extend(model.site.conditions.iter().map(|c| vec![c.name.clone()]));
    if model.site.conditions.len() > 1 {
        fact_sets.push(
            model
                .site
                .conditions
                .iter()
                .map(|c| c.name.clone())
                .collect(),
        );
    }
    let out = build(root, &[]);
    let site = out.path().join("site");
    // Small knowledge bases are also asked for every version a server may
    // have started as; larger ones only for the default, the path's start.
    let originals: Vec<usize> = if model.nodes.len() <= 12 {
        (0..model.nodes.len()).collect()
    } else {
        Vec::new()
    };
    let harness = HARNESS
        .replace("FACT_SETS", &serde_json::to_string(&fact_sets).unwrap())
        .replace("ORIGINALS", &serde_json::to_string(&originals).unwrap());
    std::fs::write(site.join("harness.html"), harness).unwrap();
    let html = dump_dom(chromium, &site.join("harness.html"), "");
    let json = select(&html, "#out").iter().map(text).collect::<String>();
    let answers: Vec<BrowserAnswer> =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert_eq!(
        answers.len(),
        fact_sets.len() * model.nodes.len() * model.nodes.len() * (originals.len() + 1)
    );

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
        let from = upgrade_atlas::resolve::select_one(model, &answer.from).unwrap();
        let to = upgrade_atlas::resolve::select_one(model, &answer.to).unwrap();
        let originally = answer.originally.as_deref().map_or(from, |o| {
            upgrade_atlas::resolve::select_one(model, o).unwrap()
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
fn path_finder_agrees_with_the_engine_on_every_pair() {
    let Some(chromium) = chromium() else { return };
    let mut roots = vec![manifest()];
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

#[test]
fn pages_pass_axe_make_no_outside_requests_and_search_by_keyboard() {
    let Some(chromium) = chromium() else { return };
    let browser_tests = manifest().join("tests/browser");
    let modules = browser_tests.join("node_modules/playwright-core");
    let Some(_) = require(
        "tests/browser/node_modules (npm ci)",
        modules.is_dir().then_some(modules),
    ) else {
        return;
    };
    let out = build(&manifest(), &[]);
    let site = out.path().join("site");
    let pages = [
        "index.html",
        "products/backoffice-server/index.html",
        "products/backoffice-server/4.0/index.html",
        "scenarios/backoffice/4.0-to-xp/index.html",
        "components/site-server/index.html",
        "matrix/index.html",
        "search/index.html?q=site",
        "paths/index.html?from=small-business-server@4.0&to=windows-xp-server@xp",
        "404.html",
    ];
    let run = Command::new("node")
        .current_dir(&browser_tests)
        .arg("a11y.mjs")
        .arg(&site)
        .args(pages)
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    assert!(
        run.status.success(),
        "accessibility or network problems:\n{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn html_and_css_pass_the_nu_checker() {
    let jar = manifest().join("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar");
    let Some(jar) = require(
        "the Nu HTML Checker (npm ci in tests/browser)",
        jar.is_file().then_some(jar),
    ) else {
        return;
    };
    let out = build(&manifest(), &[]);
    let site = out.path().join("site");
    let html = Command::new("java")
        .args([
            "-jar",
            jar.to_str().unwrap(),
            "--errors-only",
            "--skip-non-html",
        ])
        .arg(&site)
        .output()
        .expect("java runs");
    assert!(
        html.status.success(),
        "HTML errors:\n{}",
        String::from_utf8_lossy(&html.stderr)
    );
    let css = Command::new("java")
        .args(["-jar", jar.to_str().unwrap(), "--errors-only", "--css"])
        .arg(site.join("assets/style.css"))
        .output()
        .expect("java runs");
    assert!(
        css.status.success(),
        "CSS errors:\n{}",
        String::from_utf8_lossy(&css.stderr)
    );
}

/// A page that runs every query through the search's engine and through the
/// plain scan it replaced (tests/browser/search-reference.js, over every
/// document in site order), and folds awkward strings with the engine's
/// `words()`; it prints all of it as JSON.
const SEARCH_HARNESS: &str = r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>harness</title></head>
<body data-root=""><pre id="out"></pre>
<script src="reference-documents.js"></script><script src="search-reference.js"></script><script src="assets/search.js"></script>
<script>
var queries = QUERIES, strings = STRINGS, api = window.UpgradeAtlasSearch;
var out = { words: strings.map(function (s) { return api.words(s); }), answers: [] };
function pick(hits) { return hits.map(function (h) { return [JSON.stringify(h.doc), h.inTitle, h.score]; }); }
queries.reduce(function (done, query) {
  return done.then(function () {
    return api.search(query).then(function (hits) {
      out.answers.push({ query: query, engine: pick(hits), reference: pick(referenceSearch(REFERENCE_DOCUMENTS, query)) });
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
];

/// Queries for the comparison: fixed awkward ones, every letter and digit,
/// and each word of the base's documents with its first two and three
/// letters, alone and in pairs.
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
}

#[derive(serde::Deserialize)]
struct SearchHarnessOut {
    words: Vec<Vec<String>>,
    answers: Vec<SearchAnswer>,
}

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
    let json: String = serde_json::from_str(literal).unwrap();
    serde_json::from_str(&json).unwrap()
}

/// Builds `root` with these limits, runs the search harness on it and
/// returns every way the engine and the reference (or the two `words()`)
/// disagree, and the index's manifest.
fn search_differences(
    chromium: &Path,
    root: &Path,
    limits: SearchLimits,
) -> (Vec<String>, serde_json::Value) {
    let checked =
        upgrade_atlas::check(root).unwrap_or_else(|_| panic!("{} does not check", root.display()));
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
            "window.REFERENCE_DOCUMENTS = {};\n",
            script_json(&documents)
        ),
    )
    .unwrap();
    std::fs::copy(
        manifest().join("tests/browser/search-reference.js"),
        site.join("search-reference.js"),
    )
    .unwrap();
    let harness = SEARCH_HARNESS
        .replace("QUERIES", &script_json(&queries))
        .replace("STRINGS", &script_json(&AWKWARD));
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
    for answer in &out.answers {
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
fn split_search_answers_as_the_plain_scan_did() {
    let Some(chromium) = chromium() else { return };
    let generated = tempfile::tempdir().unwrap();
    common::generate_base(generated.path(), 24, 6, 300);
    // Tiny files: every word its own file, prefixes split letter by letter.
    let tiny = SearchLimits {
        words_file_bytes: 200,
        documents_file_bytes: 300,
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
