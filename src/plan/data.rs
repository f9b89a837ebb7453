//! The data files of the site: the search index, a JavaScript file loaded
//! by `<script>` (browsers refuse `fetch` on `file://`), and the whole
//! upgrade graph as JSON under `api/v1/`. The path finder's own data is
//! made by `finder`.

use serde::Serialize;
use serde_json::json;

use super::urls::Urls;
use crate::diag::{Diagnostic, Span};
use crate::graph::affected_components;
use crate::markdown::plain_text;
use crate::model::{Condition, Issue, Model, Policy};

/// Past this size the search index makes phones wait; the build says so.
pub const SEARCH_INDEX_WARNING_BYTES: usize = 2 * 1024 * 1024;

pub const SEARCH_SCRIPT: &str = "data/search.js";
pub const GRAPH_JSON: &str = "api/v1/graph.json";

/// One searchable entry: title, URL (from the site root), kind, text, context.
#[derive(Serialize)]
struct Document {
    t: String,
    u: String,
    k: &'static str,
    b: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    c: String,
}

/// A link from the site root, as the scripts need it.
fn site_url(urls: Urls, path: &str) -> String {
    let link = urls.relative("index.html", path);
    if link == "./" { String::new() } else { link }
}

fn text(parts: &[Option<&str>]) -> String {
    parts
        .iter()
        .flatten()
        .map(|p| plain_text(p))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn search_documents(model: &Model, urls: Urls) -> String {
    let mut docs = Vec::new();
    for (p, product) in model.products.iter().enumerate() {
        let versions: Vec<&str> = product.versions.iter().map(|v| v.name.as_str()).collect();
        let names = versions.join(" ");
        docs.push(Document {
            t: product.name.clone(),
            u: site_url(urls, &Urls::product(model, p)),
            k: "Product",
            b: text(&[
                product.vendor.as_deref(),
                product.summary.as_deref(),
                product.notes.as_deref(),
                Some(&names),
            ]),
            c: String::new(),
        });
        for version in &product.versions {
            let components: Vec<&str> = version
                .components
                .iter()
                .map(|c| model.components[*c].name.as_str())
                .collect();
            let components = components.join(" ");
            let url = site_url(urls, &Urls::version(model, version.node));
            docs.push(Document {
                t: model.node_title(version.node),
                u: url.clone(),
                k: "Version",
                b: text(&[version.summary.as_deref(), Some(&components)]),
                c: product.name.clone(),
            });
            for issue in &version.issues {
                docs.push(issue_document(
                    issue,
                    format!("{url}#own-issues"),
                    model.node_title(version.node),
                ));
            }
        }
    }
    for (s, scenario) in model.scenarios.iter().enumerate() {
        let url = site_url(urls, &Urls::scenario(model, s));
        let mut parts: Vec<Option<&str>> = vec![scenario.summary.as_deref()];
        parts.extend(scenario.steps.iter().map(|s| Some(s.as_str())));
        for alternative in &scenario.alternatives {
            parts.push(Some(&alternative.title));
            parts.push(alternative.body.as_deref());
        }
        parts.push(scenario.notes.as_deref());
        docs.push(Document {
            t: scenario.title.clone(),
            u: url.clone(),
            k: "Scenario",
            b: text(&parts),
            c: String::new(),
        });
        for issue in &scenario.issues {
            docs.push(issue_document(
                issue,
                format!("{url}#issues"),
                scenario.title.clone(),
            ));
        }
    }
    for (c, component) in model.components.iter().enumerate() {
        docs.push(Document {
            t: component.name.clone(),
            u: site_url(urls, &Urls::component(model, c)),
            k: "Component",
            b: text(&[component.summary.as_deref()]),
            c: String::new(),
        });
    }
    serde_json::to_string(&docs).expect("documents serialize")
}

fn issue_document(issue: &Issue, url: String, context: String) -> Document {
    Document {
        t: issue.title.clone(),
        u: url,
        k: "Issue",
        b: text(&[issue.body.as_deref()]),
        c: context,
    }
}

fn condition_json(condition: &Condition) -> serde_json::Value {
    json!({ "when": condition.when, "unless": condition.unless })
}

/// The whole graph in one JSON file, for programs (`api/v1/graph.json`):
/// everything needed to compute edges, paths and issues for any set of
/// conditions, exactly as `graph` does.
pub fn graph_json(model: &Model, urls: Urls) -> String {
    let mut issues: Vec<serde_json::Value> = Vec::new();
    let mut add_issue = |issue: &Issue| {
        let components: Vec<serde_json::Value> = affected_components(model, issue)
            .into_iter()
            .map(|c| {
                let component = &model.components[c];
                json!({ "id": component.id, "name": component.name, "url": site_url(urls, &Urls::component(model, c)) })
            })
            .collect();
        issues.push(json!({
            "title": issue.title,
            "severity": issue.severity.word(),
            "components": components,
            "originally": issue.originally,
            "condition": condition_json(&issue.condition),
        }));
        issues.len() - 1
    };
    let mut nodes = Vec::new();
    let mut products = Vec::new();
    for (p, product) in model.products.iter().enumerate() {
        for (v, version) in product.versions.iter().enumerate() {
            let own: Vec<usize> = version.issues.iter().map(&mut add_issue).collect();
            nodes.push(json!({
                "ref": model.node_ref(version.node),
                "aliases": version.aliases,
                "title": model.node_title(version.node),
                "product": p,
                "version": v,
                "url": site_url(urls, &Urls::version(model, version.node)),
                "issues": own,
            }));
        }
        let rules: Vec<serde_json::Value> = product
            .rules
            .iter()
            .map(|rule| {
                let policy = match rule.policy {
                    Policy::None => "none",
                    Policy::Sequential => "sequential",
                    Policy::AnyNewer => "any-newer",
                };
                let stops: Vec<serde_json::Value> = rule
                    .stops
                    .iter()
                    .map(|s| json!({ "version": s.version, "condition": condition_json(&s.condition) }))
                    .collect();
                json!({ "policy": policy, "members": rule.members, "stops": stops, "condition": condition_json(&rule.condition) })
            })
            .collect();
        let version_nodes: Vec<usize> = product.versions.iter().map(|v| v.node).collect();
        products.push(json!({ "id": product.id, "name": product.name, "nodes": version_nodes, "rules": rules }));
    }
    let scenarios: Vec<serde_json::Value> = model
        .scenarios
        .iter()
        .enumerate()
        .map(|(s, scenario)| {
            let own: Vec<usize> = scenario.issues.iter().map(&mut add_issue).collect();
            json!({
                "id": scenario.id,
                "title": scenario.title,
                "url": site_url(urls, &Urls::scenario(model, s)),
                "supported": scenario.supported,
                "from": scenario.from,
                "to": scenario.to,
                "condition": condition_json(&scenario.condition),
                "issues": own,
            })
        })
        .collect();
    let conditions: Vec<serde_json::Value> = model
        .site
        .conditions
        .iter()
        .map(|c| json!({ "name": c.name, "description": c.description }))
        .collect();
    json!({
        "conditions": conditions,
        "products": products,
        "nodes": nodes,
        "scenarios": scenarios,
        "issues": issues,
    })
    .to_string()
}

/// A script that defines `window[name]` from JSON text, parsed with
/// `JSON.parse` from a string literal. `<` is escaped so that no
/// `</script>` or `<!--` in the content can end or confuse a script.
pub fn script(name: &str, json: &str) -> String {
    let literal = serde_json::to_string(json).expect("strings serialize");
    let literal = literal
        .replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    format!("window.{name} = JSON.parse({literal});\n")
}

pub fn size_warning(bytes: usize) -> Option<Diagnostic> {
    (bytes > SEARCH_INDEX_WARNING_BYTES).then(|| {
        Diagnostic::warning(
            Span::file_start("content"),
            format!(
                "the search index is {:.1} MiB; phones load it slowly past {} MiB",
                bytes as f64 / 1048576.0,
                SEARCH_INDEX_WARNING_BYTES / 1048576
            ),
        )
        .with_hint("shorten summaries and issue bodies, or split the knowledge base")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_cannot_be_closed_by_content() {
        let out = script("UA", r#"[{"t":"</script><script>alert(1)</script>"}]"#);
        assert!(!out.contains("</script"), "{out}");
        assert!(out.starts_with("window.UA = JSON.parse(\""));
    }

    #[test]
    fn large_indexes_warn() {
        assert!(size_warning(SEARCH_INDEX_WARNING_BYTES + 1).is_some());
        assert!(size_warning(1000).is_none());
    }
}
