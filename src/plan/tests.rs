//! What pages say, checked on their contexts without rendering: version
//! page answers, matrix cells, listing pages, links and the answers that
//! change under a condition. Each test plans a small knowledge base given
//! in memory.

use std::path::PathBuf;

use serde_json::Value;

use super::answers::Because;
use super::*;
use crate::model::Facts;

/// Products `a` (1.0, 2.0, 3.0, in sequence) and `b` (1.0), a scenario from
/// a@3.0 to b@1.0 with a warning, and a blocking issue when the server is
/// a replica; the site declares `replicated` and `large`.
const BASE: &[(&str, &str)] = &[
    (
        "site.yaml",
        "title: Test\nconditions:\n  replicated: The server is a replica.\n  large: The data is large.\n",
    ),
    (
        "products/a.yaml",
        "name: A\nversions:\n  - id: \"1.0\"\n  - id: \"2.0\"\n    aliases: [two]\n  - id: \"3.0\"\n\
         upgrades: { policy: sequential }\n",
    ),
    ("products/b.yaml", "name: B\nversions:\n  - id: \"1.0\"\n"),
    (
        "scenarios/a-to-b.yaml",
        "from: a@3.0\nto: b@1.0\ndirect: supported\ntitle: A to B\nissues:\n  \
         - title: Mind the gap\n    severity: warning\n  \
         - title: Replicas stop\n    severity: blocking\n    when: replicated\n",
    ),
];

fn model(files: &[(&str, &str)]) -> Model {
    let files: Vec<(PathBuf, Vec<u8>)> = files
        .iter()
        .map(|(path, text)| (PathBuf::from(path), text.as_bytes().to_vec()))
        .collect();
    crate::check_files(&files)
        .expect("the knowledge base checks")
        .model
}

/// The node of `product@version`.
fn node(model: &Model, reference: &str) -> NodeId {
    let (product, version) = reference.split_once('@').expect("product@version");
    let p = model.product_index(product).expect("a known product");
    model.products[p]
        .versions
        .iter()
        .find(|v| v.id == version)
        .expect("a known version")
        .node
}

/// The `page` part of the context of the page at `path`.
fn page_of(planner: &Planner, path: &str) -> Value {
    let page = planner
        .page(path)
        .unwrap_or_else(|| panic!("no page {path}"));
    match page.context {
        crate::plan::Context::Template(view) => {
            serde_json::to_value(view.context().get("page")).expect("template values serialize")
        }
        crate::plan::Context::Json(_) => panic!("{path} is a JSON file"),
    }
}

fn texts(values: &Value, field: &str) -> Vec<String> {
    values
        .as_array()
        .expect("a list")
        .iter()
        .map(|v| v[field].as_str().unwrap_or_default().to_owned())
        .collect()
}

// ---- version pages

#[test]
fn a_version_page_answers_every_reachable_version_with_its_hops() {
    let model = model(BASE);
    let planner = Planner::new(&model, &PlanOptions::default());
    let page = page_of(&planner, "products/a/1.0/index.html");
    let answers = page["answers"].as_array().expect("answers");
    let hops: Vec<(String, u64)> = answers
        .iter()
        .map(|a| {
            (
                a["target"]["url"].as_str().unwrap().to_owned(),
                a["hops"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        hops,
        [
            ("../2.0/index.html".to_owned(), 1),
            ("../3.0/index.html".to_owned(), 2),
            ("../../b/1.0/index.html".to_owned(), 3),
        ]
    );
    // The scenario's warning is on the way to b; the blocking issue only
    // when the server is a replica, as a change.
    let to_b = &answers[2];
    assert_eq!(to_b["blocking"], 0, "{to_b}");
    let changes = to_b["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 1, "{to_b}");
    let change = &changes[0];
    assert!(
        change["condition"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("replica"),
        "{change}"
    );
    assert!(
        change["issues"].as_str().unwrap().contains("Replicas stop"),
        "{change}"
    );
    assert_eq!(page["any_changes"], true);
    // Neighbours in the product, and no answers from the last version.
    assert_eq!(page["previous"], Value::Null);
    assert_eq!(page["next"]["url"], "../2.0/index.html");
    let last = page_of(&planner, "products/b/1.0/index.html");
    assert_eq!(last["answers"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        texts(&last["reached_from"], "title").len(),
        3,
        "{}",
        last["reached_from"]
    );
}

#[test]
fn hops_on_a_version_page_name_their_scenario_or_rule() {
    let model = model(BASE);
    let planner = Planner::new(&model, &PlanOptions::default());
    let page = page_of(&planner, "products/a/1.0/index.html");
    let hops = page["hops"].as_array().expect("hops");
    // a@1.0 -> a@2.0 -> a@3.0 by the product's rule, then the scenario.
    assert_eq!(hops.len(), 3, "{}", page["hops"]);
    let by_rule: Vec<bool> = hops.iter().map(|h| !h["rule"].is_null()).collect();
    assert_eq!(by_rule, [true, true, false]);
    let scenario_hop = &hops[2];
    let sources = texts(&scenario_hop["groups"], "source");
    assert_eq!(sources.len(), 1, "{scenario_hop}");
    assert_eq!(
        scenario_hop["groups"][0]["source"]["url"],
        "../../../scenarios/a-to-b/index.html"
    );
}

// ---- the matrix

#[test]
fn matrix_cells_say_same_direct_hops_or_none() {
    let model = model(BASE);
    let planner = Planner::new(&model, &PlanOptions::default());
    let page = page_of(&planner, urls::MATRIX);
    let tables = page["tables"].as_array().expect("tables");
    assert_eq!(tables.len(), 1, "a small base has one table");
    let rows = tables[0]["rows"].as_array().expect("rows");
    let kinds: Vec<Vec<String>> = rows.iter().map(|r| texts(&r["cells"], "kind")).collect();
    // Rows and columns: a@1.0, a@2.0, a@3.0, b@1.0.
    assert_eq!(
        kinds,
        [
            ["same", "direct", "hops", "hops"],
            ["none", "same", "direct", "hops"],
            ["none", "none", "same", "direct"],
            ["none", "none", "none", "same"],
        ]
    );
    let first = &rows[0]["cells"];
    assert_eq!(first[1]["label"], "✓");
    assert_eq!(first[3]["label"], "3");
    assert_eq!(first[0]["url"], Value::Null);
    assert_eq!(first[3]["url"], "../products/a/1.0/index.html#to-b-1.0");
    assert_eq!(rows[3]["cells"][0]["url"], Value::Null, "no path, no link");
    // The product heads its first row only.
    let groups: Vec<bool> = rows.iter().map(|r| !r["group"].is_null()).collect();
    assert_eq!(groups, [true, false, false, true]);
}

#[test]
fn a_large_matrix_is_split_into_an_index_and_a_table_a_product() {
    let mut files: Vec<(String, String)> = Vec::new();
    for p in 0..21 {
        files.push((
            format!("products/p{p:02}.yaml"),
            format!(
                "name: P{p}\nversions:\n  - id: \"1\"\n  - id: \"2\"\n\
                 upgrades: {{ policy: sequential }}\n"
            ),
        ));
    }
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let model = model(&borrowed);
    assert!(model.nodes.len() > 40);
    let planner = Planner::new(&model, &PlanOptions::default());
    let index = page_of(&planner, urls::MATRIX);
    assert_eq!(index["tables"].as_array().map(Vec::len), Some(0));
    assert_eq!(texts(&index["index"], "url").len(), 21);
    assert_eq!(index["index"][0]["url"], "p00/index.html");
    let table = page_of(&planner, "matrix/p00/index.html");
    let rows = table["tables"][0]["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 2, "the versions that reach p00, and its own");
    assert!(planner.page("matrix/nope/index.html").is_none());
    assert!(planner.page("matrix/p00/2/index.html").is_none());
}

// ---- listings

#[test]
fn listing_paths_and_numbers_round_trip() {
    for number in 0..12 {
        let path = listing_path("products", number);
        assert_eq!(listing_number(&path, "products"), Some(number), "{path}");
    }
    assert_eq!(listing_path("products", 0), "products/index.html");
    assert_eq!(listing_path("products", 1), "products/index-2.html");
    for not_a_listing in [
        "products/index-1.html",
        "products/index-02.html",
        "products/index-x.html",
        "products/a/index.html",
        "matrix/index.html",
        "productsindex.html",
    ] {
        assert_eq!(
            listing_number(not_a_listing, "products"),
            None,
            "{not_a_listing}"
        );
    }
}

#[test]
fn the_product_index_pages_by_a_hundred() {
    let files: Vec<(String, String)> = (0..PRODUCTS_PER_PAGE + 1)
        .map(|p| {
            (
                format!("products/p{p:03}.yaml"),
                format!("name: P{p:03}\nversions:\n  - id: \"1\"\n"),
            )
        })
        .collect();
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let model = model(&borrowed);
    let planner = Planner::new(&model, &PlanOptions::default());
    let first = page_of(&planner, "products/index.html");
    assert_eq!(first["products"].as_array().map(Vec::len), Some(100));
    assert_eq!(first["count"], 101);
    let pages = first["pages"].as_array().expect("pages");
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0]["url"], Value::Null, "the page shown has no link");
    assert_eq!(pages[1]["url"], "index-2.html");
    let second = page_of(&planner, "products/index-2.html");
    assert_eq!(second["products"].as_array().map(Vec::len), Some(1));
    assert_eq!(second["pages"][0]["url"], "index.html");
    assert!(planner.page("products/index-3.html").is_none());
    let paths = planner.page_paths();
    assert!(paths.contains(&"products/index-2.html".to_owned()));
    assert!(!paths.contains(&"products/index-3.html".to_owned()));
}

// ---- links (every link climbs to the site root, then down: see urls.rs)

#[test]
fn references_resolve_to_pages_relative_to_the_page_that_shows_them() {
    let model = model(BASE);
    let planner = Planner::new(&model, &PlanOptions::default());
    let links = Links::new(&model, planner.urls);
    let from = "products/b/1.0/index.html";
    assert_eq!(
        links.resolve(from, "@a").as_deref(),
        Some("../../a/index.html")
    );
    assert_eq!(
        links.resolve(from, "@a@2.0#notes").as_deref(),
        Some("../../a/2.0/index.html#notes")
    );
    // An alias names the same version page.
    assert_eq!(
        links.resolve(from, "@a@two").as_deref(),
        Some("../../a/2.0/index.html")
    );
    assert_eq!(
        links.resolve("index.html", "@scenario:a-to-b").as_deref(),
        Some("scenarios/a-to-b/index.html")
    );
    assert_eq!(links.resolve(from, "@a@9.9"), None);
    assert_eq!(links.resolve(from, "a@2.0"), None, "not a reference");
}

/// A link from the site root (`/files/a.pdf`) broke under a sub-path and
/// from disk; it is made relative to the page as `files/a.pdf` is. A
/// link to another host (`//host/x`) stays.
#[test]
fn links_from_the_site_root_are_made_relative_to_the_page() {
    let model = model(BASE);
    let planner = Planner::new(&model, &PlanOptions::default());
    let links = Links::new(&model, planner.urls);
    let from = "products/b/1.0/index.html";
    let html = links.markdown(
        from,
        "[a](/files/a.pdf) [b](files/a.pdf) [home](/) [q](/paths/index.html?from=a) \
         [far](//example.org/x) ![i](/img/d.png)",
    );
    for expected in [
        "href=\"../../../files/a.pdf\">a<",
        "href=\"../../../files/a.pdf\">b<",
        "href=\"../../../index.html\">home<",
        "href=\"../../../paths/index.html?from=a\">q<",
        "href=\"//example.org/x\">far<",
        "src=\"../../../img/d.png\"",
    ] {
        assert!(html.contains(expected), "no {expected} in {html}");
    }
    assert_eq!(
        planner.urls.written(from, "/files/a.pdf"),
        "../../../files/a.pdf",
        "links and sources lists too"
    );
}

#[test]
fn page_links_follow_pretty_urls() {
    let mut files = BASE.to_vec();
    files[0] = (
        "site.yaml",
        "title: Test\npretty_urls: true\nconditions:\n  replicated: The server is a replica.\n",
    );
    let model = model(&files);
    let planner = Planner::new(&model, &PlanOptions::default());
    let page = page_of(&planner, "products/a/1.0/index.html");
    assert_eq!(page["next"]["url"], "../2.0/");
    assert_eq!(page["product"]["url"], "../");
}

// ---- answers under conditions

#[test]
fn an_answer_changes_only_for_the_smallest_set_of_facts_that_changes_it() {
    let model = model(BASE);
    let planner = Planner::new(&model, &PlanOptions::default());
    let analysis = &planner.analysis;
    // Two conditions: {replicated}, {large} and both.
    assert_eq!(analysis.variants.len(), 3);
    assert!(analysis.every_combination);
    let (from, to) = (node(&model, "a@1.0"), node(&model, "b@1.0"));
    let answer = analysis.target_answer(&analysis.trees(from), from, to);
    let default = answer.default.as_ref().expect("a default path");
    assert_eq!(
        default.path,
        [from, node(&model, "a@2.0"), node(&model, "a@3.0"), to]
    );
    // {large} changes nothing; {replicated, large} says what {replicated} does.
    assert_eq!(answer.changes.len(), 1);
    let change = &answer.changes[0];
    let replicated = model
        .site
        .conditions
        .iter()
        .position(|c| c.name == "replicated")
        .expect("declared");
    assert_eq!(
        change.because,
        Because::Facts(Facts([replicated].into_iter().collect()))
    );
    assert!(!change.route_changed);
    let added: Vec<&str> = change
        .added
        .iter()
        .map(|i| i.issue.title.as_str())
        .collect();
    assert_eq!(added, ["Replicas stop"]);
    assert!(change.removed.is_empty());
    // Within the product, no condition changes anything.
    let within = analysis.target_answer(&analysis.trees(from), from, node(&model, "a@3.0"));
    assert!(within.changes.is_empty());
}

#[test]
fn a_stack_is_found_by_its_name_and_its_members() {
    let model = model(&[
        (
            "products/app.yaml",
            "name: Shopfront\nversions: [{ id: \"1\" }]\n",
        ),
        (
            "products/php.yaml",
            "name: PHP\nversions: [{ id: \"8.2\" }]\n",
        ),
        (
            "stacks/web.yaml",
            "name: The web tier\nsummary: What the shop runs on.\nmembers: [app, php]\n",
        ),
    ]);
    let documents = data::SiteDocuments::new(&model, Urls { pretty: false }).all();
    let stack = (documents.iter())
        .find(|d| d.k == "Stack")
        .expect("a document for the stack");
    assert_eq!(stack.t, "The web tier");
    assert_eq!(stack.u, "stacks/web/index.html");
    assert!(stack.b.contains("Shopfront PHP"), "{}", stack.b);
    assert!(stack.b.contains("What the shop runs on."), "{}", stack.b);
}
