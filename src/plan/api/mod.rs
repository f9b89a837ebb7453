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
use serde::Serialize;

use super::DataFile;
use super::data::site_url;
use super::urls::Urls;
use crate::graph::{Edges, Origin, UpgradeGraph, affected_components, count_blocking};
use crate::layout::SitePath;
use crate::lifecycle::{Date, Lifecycle, SupportEnds};
use crate::model::{self, Facts, Model, NodeId};

pub mod types;

pub use types::schemas;
use types::{
    Condition, Direct, GraphCondition, GraphFile, GraphProduct, GraphScenario, GraphUpgrade,
    GraphVersion, IndexFile, IndexProduct, Issue, IssueComponent, PathIssue, Policy, ProductFile,
    ProductVersion, Redirect, RedirectsFile, Rule, Severity, Stop, SupportEnd, Target, VersionFile,
    VersionUpgrade,
};

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

/// A file's bytes: compact JSON and a newline.
pub fn json_bytes(value: &impl Serialize) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(value).expect("API values serialize");
    bytes.push(b'\n');
    bytes
}

fn file(path: String, value: &impl Serialize) -> DataFile {
    DataFile {
        path,
        bytes: json_bytes(value),
        fragments: None,
    }
}

/// Each old address and the page there now, as site URLs.
fn redirects(model: &Model, urls: Urls) -> RedirectsFile {
    let redirects = (model.redirects.iter())
        .map(|r| Redirect {
            from: site_url(urls, &r.path),
            to: site_url(urls, &Urls::target(model, r.to)),
        })
        .collect();
    RedirectsFile { redirects }
}

fn index(model: &Model, urls: Urls) -> IndexFile<'_> {
    let products = (0..model.products.len())
        .map(|p| {
            let product = &model.products[p];
            IndexProduct {
                id: &product.id,
                name: &product.name,
                api: product_path(model, p),
                url: site_url(urls, &Urls::product(model, p)),
            }
        })
        .collect();
    IndexFile {
        api_version: 1,
        title: &model.site.title,
        graph: GRAPH_JSON,
        products,
    }
}

/// `when` and `unless` by condition name.
fn condition<'m>(model: &'m Model, condition: &model::Condition) -> Condition<'m> {
    let names = |ids: &[usize]| -> Vec<&'m str> {
        ids.iter()
            .map(|c| model.site.conditions[*c].name.as_str())
            .collect()
    };
    Condition {
        when: names(&condition.when),
        unless: names(&condition.unless),
    }
}

fn policy(policy: model::Policy) -> Policy {
    match policy {
        model::Policy::None => Policy::None,
        model::Policy::Sequential => Policy::Sequential,
        model::Policy::AnyNewer => Policy::AnyNewer,
    }
}

fn severity(severity: model::Severity) -> Severity {
    match severity {
        model::Severity::Blocking => Severity::Blocking,
        model::Severity::Warning => Severity::Warning,
        model::Severity::Info => Severity::Info,
    }
}

/// An issue as written, with what it applies to.
fn issue<'m>(model: &'m Model, urls: Option<Urls>, issue: &'m model::Issue) -> Issue<'m> {
    let components = affected_components(model, issue)
        .into_iter()
        .map(|c| {
            let component = &model.components[c];
            IssueComponent {
                id: &component.id,
                name: &component.name,
                url: urls.map(|urls| site_url(urls, &Urls::component(model, c))),
            }
        })
        .collect();
    Issue {
        title: &issue.title,
        severity: severity(issue.severity),
        body: issue.body.as_deref(),
        components,
        originally: issue.originally.as_ref().map(|nodes| refs(model, nodes)),
        condition: condition(model, &issue.condition),
    }
}

/// A version's support dates, when the writer gave any: a knowledge base
/// without dates gets the same files as before.
fn lifecycle_of(model: &Model, node: NodeId) -> Option<types::Lifecycle> {
    Some(lifecycle(&model.version(node).lifecycle)).filter(|l| !l.is_empty())
}

fn refs(model: &Model, nodes: &[NodeId]) -> Vec<String> {
    nodes.iter().map(|n| model.node_ref(*n)).collect()
}

fn product(model: &Model, urls: Urls, p: usize) -> ProductFile<'_> {
    let product = &model.products[p];
    let versions = product
        .versions
        .iter()
        .map(|version| ProductVersion {
            id: &version.id,
            reference: model.node_ref(version.node),
            name: &version.name,
            aliases: &version.aliases,
            released: version.released.as_deref(),
            summary: version.summary.as_deref(),
            components: (version.components.iter())
                .map(|c| model.components[*c].id.as_str())
                .collect(),
            issues: (version.issues.iter())
                .map(|i| issue(model, Some(urls), i))
                .collect(),
            api: version_path(model, version.node),
            url: site_url(urls, &Urls::version(model, version.node)),
            lifecycle: lifecycle_of(model, version.node),
        })
        .collect();
    let rules = product
        .rules
        .iter()
        .map(|rule| Rule {
            policy: policy(rule.policy),
            versions: rule.versions_spec.as_deref(),
            members: (rule.members.iter())
                .map(|v| product.versions[*v].id.as_str())
                .collect(),
            stops: (rule.stops.iter())
                .map(|stop| Stop {
                    version: &product.versions[stop.version].id,
                    condition: condition(model, &stop.condition),
                })
                .collect(),
            condition: condition(model, &rule.condition),
        })
        .collect();
    ProductFile {
        id: &product.id,
        name: &product.name,
        vendor: product.vendor.as_deref(),
        summary: product.summary.as_deref(),
        url: site_url(urls, &Urls::product(model, p)),
        versions,
        rules,
    }
}

/// An issue met on a path, as `upgrade-atlas path --json` prints it (with
/// its `hop`; `version` files and `plan --json` leave it out).
pub fn path_issue<'m>(model: &'m Model, found: &crate::graph::PathIssue<'m>) -> PathIssue<'m> {
    let (scenario, version) = match found.origin {
        Origin::Scenario(s) => (Some(model.scenarios[s].id.as_str()), None),
        Origin::Version(v) => (None, Some(model.node_ref(v))),
    };
    PathIssue {
        title: &found.issue.title,
        severity: severity(found.issue.severity),
        scenario,
        version,
        components: affected_components(model, found.issue)
            .into_iter()
            .map(|c| model.components[c].id.as_str())
            .collect(),
        hop: Some(found.hop),
    }
}

/// A version and the versions it reaches, each with the path `path`
/// answers for a server that began as this version: every one of them, or
/// when they are more than `limit`, those `pick` keeps. The direct upgrades
/// those paths take are listed once each, with the scenarios behind them
/// and their issues, so that the file grows with the upgrades, not with
/// the targets times their paths' issues. As the file's bytes.
pub fn version(
    model: &Model,
    urls: Urls,
    edges: &Edges,
    node: NodeId,
    limit: usize,
    pick: impl Fn(&[NodeId]) -> Vec<NodeId>,
) -> Vec<u8> {
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
    let mut upgrades: Vec<((NodeId, NodeId), Vec<crate::graph::PathIssue>)> = Vec::new();
    let mut blocking_on: HashMap<(NodeId, NodeId), usize> = HashMap::new();
    for pair in paths.iter().flat_map(|path| path.windows(2)) {
        let upgrade = (pair[0], pair[1]);
        if let Entry::Vacant(entry) = blocking_on.entry(upgrade) {
            let issues = edges.path_issues(pair, node);
            entry.insert(count_blocking(&issues));
            upgrades.push((upgrade, issues));
        }
    }
    let targets = paths
        .iter()
        .map(|path| Target {
            to: model.node_ref(*path.last().expect("a path ends somewhere")),
            hops: path.len() - 1,
            path: refs(model, path),
            blocking: path.windows(2).map(|p| blocking_on[&(p[0], p[1])]).sum(),
        })
        .collect();
    let upgrades = upgrades
        .iter()
        .map(|(upgrade, issues)| version_upgrade(model, edges, *upgrade, issues))
        .collect();
    json_bytes(&VersionFile {
        reference: model.node_ref(node),
        product: &model.product_of(node).id,
        version: &model.version(node).id,
        title: model.node_title(node),
        url: site_url(urls, &Urls::version(model, node)),
        reachable,
        complete,
        targets,
        upgrades,
        lifecycle: lifecycle_of(model, node),
    })
}

/// A direct upgrade of a version's file: the scenarios behind it and its
/// issues, each as `path --json` gives it but without `hop`, which depends
/// on the path.
fn version_upgrade<'m>(
    model: &'m Model,
    edges: &Edges,
    (from, to): (NodeId, NodeId),
    issues: &[crate::graph::PathIssue<'m>],
) -> VersionUpgrade<'m> {
    VersionUpgrade {
        from: model.node_ref(from),
        to: model.node_ref(to),
        scenarios: scenario_ids(model, edges, from, to),
        issues: (issues.iter())
            .map(|found| PathIssue {
                hop: None,
                ..path_issue(model, found)
            })
            .collect(),
    }
}

fn scenario_ids<'m>(model: &'m Model, edges: &Edges, from: NodeId, to: NodeId) -> Vec<&'m str> {
    edges
        .scenarios_for(from, to)
        .into_iter()
        .map(|s| model.scenarios[s].id.as_str())
        .collect()
}

/// The graph as `export graph --format json` prints it: the upgrades for
/// `facts`, and no site links.
pub fn graph(model: &Model, facts: &Facts) -> serde_json::Value {
    let edges = UpgradeGraph::new(model).edges(facts);
    let graph = GraphFile {
        conditions: conditions(model).collect(),
        products: products(model).collect(),
        versions: versions(model, None).collect(),
        scenarios: scenarios(model, None).collect(),
        upgrades: upgrades(model, &edges).collect(),
    };
    serde_json::to_value(graph).expect("API values serialize")
}

/// graph.json written a value at a time, with the same bytes as
/// serializing a whole [`GraphFile`]: as one value it took about six
/// times its size in memory (700 MB at 100,000 scenarios). The site's
/// graph has the upgrades under no conditions.
fn graph_file(model: &Model, urls: Urls) -> DataFile {
    let edges = UpgradeGraph::new(model).edges(&Facts::none());
    let mut bytes = b"{".to_vec();
    section(&mut bytes, "conditions", conditions(model));
    bytes.push(b',');
    section(&mut bytes, "products", products(model));
    bytes.push(b',');
    section(&mut bytes, "versions", versions(model, Some(urls)));
    bytes.push(b',');
    section(&mut bytes, "scenarios", scenarios(model, Some(urls)));
    bytes.push(b',');
    section(&mut bytes, "upgrades", upgrades(model, &edges));
    bytes.extend(b"}\n");
    DataFile {
        path: GRAPH_JSON.to_owned(),
        bytes,
        fragments: None,
    }
}

/// `"key":[item,item...]`, an item serialized at a time.
fn section<T: Serialize>(bytes: &mut Vec<u8>, key: &str, items: impl Iterator<Item = T>) {
    bytes.extend(format!("\"{key}\":[").bytes());
    for (i, item) in items.enumerate() {
        if i > 0 {
            bytes.push(b',');
        }
        serde_json::to_writer(&mut *bytes, &item).expect("API values serialize");
    }
    bytes.push(b']');
}

fn conditions(model: &Model) -> impl Iterator<Item = GraphCondition<'_>> {
    (model.site.conditions.iter()).map(|c| GraphCondition {
        name: &c.name,
        description: &c.description,
    })
}

fn products(model: &Model) -> impl Iterator<Item = GraphProduct<'_>> {
    model.products.iter().map(|product| GraphProduct {
        id: &product.id,
        name: &product.name,
        versions: product.versions.iter().map(|v| v.id.as_str()).collect(),
    })
}

fn versions(model: &Model, urls: Option<Urls>) -> impl Iterator<Item = GraphVersion<'_>> {
    (0..model.nodes.len()).map(move |n| GraphVersion {
        reference: model.node_ref(n),
        product: &model.product_of(n).id,
        version: &model.version(n).id,
        title: model.node_title(n),
        lifecycle: lifecycle_of(model, n),
        url: urls.map(|urls| site_url(urls, &Urls::version(model, n))),
    })
}

fn scenarios(model: &Model, urls: Option<Urls>) -> impl Iterator<Item = GraphScenario<'_>> {
    (model.scenarios.iter().enumerate()).map(move |(s, scenario)| GraphScenario {
        id: &scenario.id,
        title: &scenario.title,
        updated: scenario.updated.as_deref(),
        direct: if scenario.supported {
            Direct::Supported
        } else {
            Direct::Unsupported
        },
        from: refs(model, &scenario.from),
        to: refs(model, &scenario.to),
        via: refs(model, &scenario.via),
        condition: condition(model, &scenario.condition),
        issues: (scenario.issues.iter())
            .map(|i| issue(model, urls, i))
            .collect(),
        url: urls.map(|urls| site_url(urls, &Urls::scenario(model, s))),
    })
}

/// The direct upgrades of `edges`, with the scenarios behind each.
fn upgrades<'m>(model: &'m Model, edges: &'m Edges) -> impl Iterator<Item = GraphUpgrade<'m>> + 'm {
    (0..model.nodes.len()).flat_map(move |from| {
        edges.successors(from).iter().map(move |&to| GraphUpgrade {
            from: model.node_ref(from),
            to: model.node_ref(to),
            scenarios: scenario_ids(model, edges, from, to),
        })
    })
}

/// The dates with endoflife.date's field names where they mean the same:
/// `releaseDate`, `support` (the end of mainstream support), `eol` (the
/// end of all support: extended when there is one), `extendedSupport`,
/// `lts`, `latest`, `latestReleaseDate`. An end not announced is `false`,
/// as there. Every field absent when the version states nothing.
fn lifecycle(lifecycle: &Lifecycle) -> types::Lifecycle {
    let day = |d: Date| d.to_string();
    let support = match lifecycle.support_ends {
        Some(SupportEnds::On(d)) => Some(SupportEnd::On(day(d))),
        Some(SupportEnds::NotAnnounced) => Some(SupportEnd::NotAnnounced(false)),
        None => None,
    };
    let extended = lifecycle.extended_support_ends.map(day);
    types::Lifecycle {
        release_date: lifecycle.released.map(day),
        eol: extended.clone().map(SupportEnd::On).or(support.clone()),
        support,
        extended_support: extended,
        lts: (lifecycle.is_stated() || lifecycle.lts).then_some(lifecycle.lts),
        latest: lifecycle.latest.clone(),
        latest_release_date: lifecycle.latest_released.map(day),
    }
}

/// A version's support dates as a JSON map (as the API files write them),
/// for `path --json`'s support dates.
pub fn lifecycle_json(lifecycle: &Lifecycle) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(self::lifecycle(lifecycle)) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    }
}
