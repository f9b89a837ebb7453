//! The site's data for programs, under `api/v1/`, every thing named by its
//! id (products, components, scenarios, conditions) or its selector
//! (`product@version`), never by a position in a list:
//!
//! - `api/v1/index.json`: the site and its products, with the files below;
//! - `api/v1/products/PRODUCT.json`: a product, its versions and its rules;
//! - `api/v1/products/PRODUCT/VERSION.json`: a version and the versions it
//!   reaches under no conditions, each with its path as `upgrade-atlas path
//!   --json` gives it, and the direct upgrades those paths take, once each,
//!   with their issues: all of them up to
//!   [`super::FULL_ANSWERS_LIMIT`], past that the newest of each product,
//!   as on the version's page. These are pages of the plan, built when
//!   rendered ([`JSON_PAGE`]), so that a build never holds them all;
//! - `api/v1/graph.json`: every version, scenario and direct upgrade.
//!
//! Each file has a JSON Schema in `docs/api/`; docs/api.md describes them.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use rayon::prelude::*;
use serde_json::{Value, json};

use super::DataFile;
use super::data::site_url;
use super::urls::Urls;
use crate::graph::{Edges, Origin, PathIssue, UpgradeGraph, affected_components, count_blocking};
use crate::layout::SitePath;
use crate::lifecycle::{Date, Lifecycle, SupportEnds};
use crate::model::{Condition, Facts, Issue, Model, NodeId, Policy};

pub const INDEX_JSON: &str = "api/v1/index.json";
/// The template name of a page that is its context as JSON, not HTML.
pub const JSON_PAGE: &str = "(json)";
pub const GRAPH_JSON: &str = "api/v1/graph.json";
/// Format 1.2: the pages that moved, when some did.
pub const REDIRECTS_JSON: &str = "api/v1/redirects.json";

/// Where a product's file is.
pub fn product_path(model: &Model, product: usize) -> String {
    format!("api/v1/products/{}.json", model.products[product].id)
}

/// Where a version's file is.
pub fn version_path(model: &Model, node: NodeId) -> String {
    SitePath::VersionApi {
        product: &model.product_of(node).id,
        version: &model.version(node).id,
    }
    .path()
}

/// The API files other than the versions' (those are pages: see
/// [`version`]). They grow with the products, not with the pairs.
pub fn files(model: &Model, urls: Urls) -> Vec<DataFile> {
    let mut files = vec![
        file(INDEX_JSON.to_owned(), &index(model, urls)),
        graph_file(model, urls),
    ];
    files.par_extend(
        (0..model.products.len())
            .into_par_iter()
            .map(|p| file(product_path(model, p), &product(model, urls, p))),
    );
    // Only when something moved, so that a site without moves keeps its files.
    if !model.redirects.is_empty() {
        files.push(file(REDIRECTS_JSON.to_owned(), &redirects(model, urls)));
    }
    files
}

/// Each old address and the page there now, as site URLs.
fn redirects(model: &Model, urls: Urls) -> Value {
    let moved: Vec<Value> = (model.redirects.iter())
        .map(|r| {
            json!({
                "from": site_url(urls, &r.path),
                "to": site_url(urls, &Urls::target(model, r.to)),
            })
        })
        .collect();
    json!({ "redirects": moved })
}

fn file(path: String, value: &Value) -> DataFile {
    let mut bytes = serde_json::to_vec(value).expect("JSON values serialize");
    bytes.push(b'\n');
    DataFile {
        path,
        bytes,
        fragments: None,
    }
}

fn index(model: &Model, urls: Urls) -> Value {
    let products: Vec<Value> = (0..model.products.len())
        .map(|p| {
            let product = &model.products[p];
            json!({
                "id": product.id,
                "name": product.name,
                "api": product_path(model, p),
                "url": site_url(urls, &Urls::product(model, p)),
            })
        })
        .collect();
    json!({
        "api_version": 1,
        "title": model.site.title,
        "graph": GRAPH_JSON,
        "products": products,
    })
}

/// `when` and `unless` by condition name.
fn condition(model: &Model, condition: &Condition) -> Value {
    let names = |ids: &[usize]| -> Vec<&str> {
        ids.iter()
            .map(|c| model.site.conditions[*c].name.as_str())
            .collect()
    };
    json!({ "when": names(&condition.when), "unless": names(&condition.unless) })
}

fn policy_word(policy: Policy) -> &'static str {
    match policy {
        Policy::None => "none",
        Policy::Sequential => "sequential",
        Policy::AnyNewer => "any-newer",
    }
}

/// An issue as written, with what it applies to.
fn issue(model: &Model, urls: Option<Urls>, issue: &Issue) -> Value {
    let components: Vec<Value> = affected_components(model, issue)
        .into_iter()
        .map(|c| {
            let component = &model.components[c];
            let mut value = json!({ "id": component.id, "name": component.name });
            if let Some(urls) = urls {
                value["url"] = json!(site_url(urls, &Urls::component(model, c)));
            }
            value
        })
        .collect();
    json!({
        "title": issue.title,
        "severity": issue.severity.word(),
        "body": issue.body,
        "components": components,
        "originally": issue.originally.as_ref().map(|nodes| refs(model, nodes)),
        "condition": condition(model, &issue.condition),
    })
}

/// Adds a version's support dates under `lifecycle`, in endoflife.date's
/// field names, when the writer gave any: a knowledge base without dates
/// gets the same files as before.
fn with_lifecycle(mut value: Value, model: &Model, node: NodeId) -> Value {
    let lifecycle = lifecycle_json(&model.version(node).lifecycle);
    if !lifecycle.is_empty() {
        value["lifecycle"] = Value::Object(lifecycle);
    }
    value
}

fn refs(model: &Model, nodes: &[NodeId]) -> Vec<String> {
    nodes.iter().map(|n| model.node_ref(*n)).collect()
}

fn product(model: &Model, urls: Urls, p: usize) -> Value {
    let product = &model.products[p];
    let versions: Vec<Value> = product
        .versions
        .iter()
        .map(|version| {
            let issues: Vec<Value> = version
                .issues
                .iter()
                .map(|i| issue(model, Some(urls), i))
                .collect();
            let components: Vec<&str> = version
                .components
                .iter()
                .map(|c| model.components[*c].id.as_str())
                .collect();
            let value = json!({
                "id": version.id,
                "ref": model.node_ref(version.node),
                "name": version.name,
                "aliases": version.aliases,
                "released": version.released,
                "summary": version.summary,
                "components": components,
                "issues": issues,
                "api": version_path(model, version.node),
                "url": site_url(urls, &Urls::version(model, version.node)),
            });
            with_lifecycle(value, model, version.node)
        })
        .collect();
    let rules: Vec<Value> = product
        .rules
        .iter()
        .map(|rule| {
            let stops: Vec<Value> = rule
                .stops
                .iter()
                .map(|stop| {
                    json!({
                        "version": product.versions[stop.version].id,
                        "condition": condition(model, &stop.condition),
                    })
                })
                .collect();
            let members: Vec<&str> = rule
                .members
                .iter()
                .map(|v| product.versions[*v].id.as_str())
                .collect();
            json!({
                "policy": policy_word(rule.policy),
                "versions": rule.versions_spec,
                "members": members,
                "stops": stops,
                "condition": condition(model, &rule.condition),
            })
        })
        .collect();
    json!({
        "id": product.id,
        "name": product.name,
        "vendor": product.vendor,
        "summary": product.summary,
        "url": site_url(urls, &Urls::product(model, p)),
        "versions": versions,
        "rules": rules,
    })
}

/// An issue met on a path, as `upgrade-atlas path --json` prints it.
pub fn path_issue(model: &Model, found: &PathIssue) -> Value {
    let (scenario, version) = match found.origin {
        Origin::Scenario(s) => (Some(model.scenarios[s].id.clone()), None),
        Origin::Version(v) => (None, Some(model.node_ref(v))),
    };
    let components: Vec<&str> = affected_components(model, found.issue)
        .into_iter()
        .map(|c| model.components[c].id.as_str())
        .collect();
    json!({
        "title": found.issue.title,
        "severity": found.issue.severity.word(),
        "scenario": scenario,
        "version": version,
        "components": components,
        "hop": found.hop,
    })
}

/// A version and the versions it reaches, each with the path `path`
/// answers for a server that began as this version: every one of them, or
/// when they are more than `limit`, those `pick` keeps. The direct upgrades
/// those paths take are listed once each, with the scenarios behind them
/// and their issues, so that the file grows with the upgrades, not with
/// the targets times their paths' issues.
pub fn version(
    model: &Model,
    urls: Urls,
    edges: &Edges,
    node: NodeId,
    limit: usize,
    pick: impl Fn(&[NodeId]) -> Vec<NodeId>,
) -> Value {
    let tree = edges.paths_from(node);
    let mut reached: Vec<NodeId> = tree.reached().into_iter().filter(|n| *n != node).collect();
    reached.sort_unstable();
    let reachable = reached.len();
    let complete = reachable <= limit;
    let listed = if complete { reached } else { pick(&reached) };
    let paths: Vec<Vec<NodeId>> = listed
        .into_iter()
        .filter_map(|to| tree.path_to(to))
        .collect();
    // Each direct upgrade once, in the order the paths first take it, with
    // its issues and how many of them are blocking.
    let mut upgrades: Vec<((NodeId, NodeId), Vec<PathIssue>)> = Vec::new();
    let mut blocking_on: HashMap<(NodeId, NodeId), usize> = HashMap::new();
    for pair in paths.iter().flat_map(|path| path.windows(2)) {
        let upgrade = (pair[0], pair[1]);
        if let Entry::Vacant(entry) = blocking_on.entry(upgrade) {
            let issues = edges.path_issues(pair, node);
            entry.insert(count_blocking(&issues));
            upgrades.push((upgrade, issues));
        }
    }
    let targets: Vec<Value> = paths
        .iter()
        .map(|path| {
            let blocking: usize = path.windows(2).map(|p| blocking_on[&(p[0], p[1])]).sum();
            json!({
                "to": model.node_ref(*path.last().expect("a path ends somewhere")),
                "hops": path.len() - 1,
                "path": refs(model, path),
                "blocking": blocking,
            })
        })
        .collect();
    let upgrades: Vec<Value> = upgrades
        .iter()
        .map(|(upgrade, issues)| version_upgrade(model, edges, *upgrade, issues))
        .collect();
    let value = json!({
        "ref": model.node_ref(node),
        "product": model.product_of(node).id,
        "version": model.version(node).id,
        "title": model.node_title(node),
        "url": site_url(urls, &Urls::version(model, node)),
        "reachable": reachable,
        "complete": complete,
        "targets": targets,
        "upgrades": upgrades,
    });
    with_lifecycle(value, model, node)
}

/// A direct upgrade of a version's file: the scenarios behind it and its
/// issues, each as `path --json` gives it but without `hop`, which depends
/// on the path.
fn version_upgrade(
    model: &Model,
    edges: &Edges,
    (from, to): (NodeId, NodeId),
    issues: &[PathIssue],
) -> Value {
    let scenarios: Vec<&str> = edges
        .scenarios_for(from, to)
        .into_iter()
        .map(|s| model.scenarios[s].id.as_str())
        .collect();
    let issues: Vec<Value> = issues
        .iter()
        .map(|found| {
            let mut issue = path_issue(model, found);
            issue.as_object_mut().expect("an object").remove("hop");
            issue
        })
        .collect();
    json!({
        "from": model.node_ref(from),
        "to": model.node_ref(to),
        "scenarios": scenarios,
        "issues": issues,
    })
}

/// The whole graph by id: conditions, products with their versions and
/// rules, scenarios, and the direct upgrades under no conditions with the
/// scenarios behind each. Site URLs are left out when `urls` is `None`
/// (for `export graph`, which has no site).
/// The graph as `export graph --format json` prints it: the upgrades for
/// `facts`, and no site links.
pub fn graph(model: &Model, facts: &Facts) -> Value {
    let sections = graph_sections(model, None, facts)
        .into_iter()
        .map(|(key, items)| (key.to_owned(), Value::Array(items.collect())));
    Value::Object(sections.collect())
}

/// graph.json written a value at a time, with the same bytes as
/// serializing the whole graph: as one `Value` it took about six times
/// its size in memory (700 MB at 100,000 scenarios).
fn graph_file(model: &Model, urls: Urls) -> DataFile {
    let mut bytes = b"{".to_vec();
    for (s, (key, items)) in graph_sections(model, Some(urls), &Facts::none())
        .into_iter()
        .enumerate()
    {
        if s > 0 {
            bytes.push(b',');
        }
        bytes.extend(format!("\"{key}\":[").bytes());
        for (i, item) in items.enumerate() {
            if i > 0 {
                bytes.push(b',');
            }
            serde_json::to_writer(&mut bytes, &item).expect("JSON values serialize");
        }
        bytes.push(b']');
    }
    bytes.extend(b"}\n");
    DataFile {
        path: GRAPH_JSON.to_owned(),
        bytes,
        fragments: None,
    }
}

/// The graph's sections in the order they are written, each a list made
/// as it is read.
type Section<'m> = (&'static str, Box<dyn Iterator<Item = Value> + 'm>);

/// The site's graph.json has the upgrades under no conditions; `export`
/// may ask for others.
fn graph_sections<'m>(model: &'m Model, urls: Option<Urls>, facts: &Facts) -> [Section<'m>; 5] {
    let with_url = move |mut value: Value, path: String| {
        if let Some(urls) = urls {
            value["url"] = json!(site_url(urls, &path));
        }
        value
    };
    let conditions = model
        .site
        .conditions
        .iter()
        .map(|c| json!({ "name": c.name, "description": c.description }));
    let products = model.products.iter().map(|product| {
        let ids: Vec<&str> = product.versions.iter().map(|v| v.id.as_str()).collect();
        json!({ "id": product.id, "name": product.name, "versions": ids })
    });
    let versions = (0..model.nodes.len()).map(move |n| {
        let value = json!({
            "ref": model.node_ref(n),
            "product": model.product_of(n).id,
            "version": model.version(n).id,
            "title": model.node_title(n),
        });
        with_url(with_lifecycle(value, model, n), Urls::version(model, n))
    });
    let scenarios = model
        .scenarios
        .iter()
        .enumerate()
        .map(move |(s, scenario)| {
            let issues: Vec<Value> = scenario
                .issues
                .iter()
                .map(|i| issue(model, urls, i))
                .collect();
            let value = json!({
                "id": scenario.id,
                "title": scenario.title,
                "updated": scenario.updated,
                "direct": if scenario.supported { "supported" } else { "unsupported" },
                "from": refs(model, &scenario.from),
                "to": refs(model, &scenario.to),
                "via": refs(model, &scenario.via),
                "condition": condition(model, &scenario.condition),
                "issues": issues,
            });
            with_url(value, Urls::scenario(model, s))
        });
    [
        ("conditions", Box::new(conditions)),
        ("products", Box::new(products)),
        ("versions", Box::new(versions)),
        ("scenarios", Box::new(scenarios)),
        ("upgrades", Box::new(upgrades(model, facts))),
    ]
}

/// The direct upgrades for `facts`, with the scenarios behind each.
fn upgrades<'m>(model: &'m Model, facts: &Facts) -> impl Iterator<Item = Value> + 'm {
    let edges = UpgradeGraph::new(model).edges(facts);
    (0..model.nodes.len()).flat_map(move |from| {
        edges
            .successors(from)
            .iter()
            .map(|&to| {
                let scenarios: Vec<&str> = edges
                    .scenarios_for(from, to)
                    .into_iter()
                    .map(|s| model.scenarios[s].id.as_str())
                    .collect();
                json!({
                    "from": model.node_ref(from),
                    "to": model.node_ref(to),
                    "scenarios": scenarios,
                })
            })
            .collect::<Vec<_>>()
    })
}

/// The dates as JSON, with endoflife.date's field names where they mean
/// the same: `releaseDate`, `support` (the end of mainstream support),
/// `eol` (the end of all support: extended when there is one),
/// `extendedSupport`, `lts`, `latest`, `latestReleaseDate`. An end not
/// announced is `false`, as there. Empty when the version states nothing.
pub fn lifecycle_json(lifecycle: &Lifecycle) -> serde_json::Map<String, serde_json::Value> {
    use serde_json::Value;
    let mut map = serde_json::Map::new();
    let day = |d: Date| Value::String(d.to_string());
    if let Some(released) = lifecycle.released {
        map.insert("releaseDate".into(), day(released));
    }
    let support = match lifecycle.support_ends {
        Some(SupportEnds::On(d)) => Some(day(d)),
        Some(SupportEnds::NotAnnounced) => Some(Value::Bool(false)),
        None => None,
    };
    if let Some(support) = &support {
        map.insert("support".into(), support.clone());
    }
    if let Some(eol) = lifecycle.extended_support_ends.map(day).or(support) {
        map.insert("eol".into(), eol);
    }
    if let Some(extended) = lifecycle.extended_support_ends {
        map.insert("extendedSupport".into(), day(extended));
    }
    if lifecycle.is_stated() || lifecycle.lts {
        map.insert("lts".into(), Value::Bool(lifecycle.lts));
    }
    if let Some(latest) = &lifecycle.latest {
        map.insert("latest".into(), Value::String(latest.clone()));
    }
    if let Some(latest) = lifecycle.latest_released {
        map.insert("latestReleaseDate".into(), day(latest));
    }
    map
}
