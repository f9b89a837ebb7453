//! `path`: the upgrade path between two versions, or to the nearest one in
//! support, as text for people or JSON for programs, with the support
//! status of both ends when the knowledge base states it.

use crate::diag::{Diagnostic, is_printable, suggest};
use crate::graph::{Answer, Edges, Origin, UpgradeGraph};
use crate::lifecycle::{self, Date};
use crate::model::{Facts, Model, NodeId};
use crate::selector;

/// What `path` is asked, as written on the command line.
pub struct Question {
    pub from: String,
    pub to: Destination,
    /// The day support is judged on, as written.
    pub on: Option<String>,
    pub conditions: Vec<String>,
    pub originally: Option<String>,
}

/// Where `path` should lead.
pub enum Destination {
    Version(String),
    /// The nearest version in support on the question's day.
    Supported,
}

/// JSON with the characters serde_json leaves as they are but a terminal
/// acts on (DEL, C1 controls, bidirectional overrides) written as `\uXXXX`
/// escapes: the same JSON, safe to print. They can only be inside strings.
pub(super) fn json_for_terminal(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if is_printable(c) {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        }
    }
    out
}

pub(super) fn facts(model: &Model, names: &[String]) -> Result<Facts, Diagnostic> {
    let mut facts = Facts::none();
    for name in names {
        match model.condition_index(name) {
            Some(id) => {
                facts.0.insert(id);
            }
            None => {
                let known: Vec<&str> = model
                    .site
                    .conditions
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect();
                return Err(if known.is_empty() {
                    Diagnostic::error_nowhere(format!(
                        "unknown condition `{name}`: this knowledge base declares none"
                    ))
                } else {
                    Diagnostic::error_nowhere(format!("unknown condition `{name}`"))
                        .with_hint(suggest(name, "declared conditions", &known))
                });
            }
        }
    }
    Ok(facts)
}

/// The answer to `path`, as text or JSON, and whether a path exists.
pub fn answer(
    model: &Model,
    question: &Question,
    json: bool,
) -> Result<(String, bool), Diagnostic> {
    let from = selector::select_one(model, &question.from)?;
    let originally = match &question.originally {
        Some(selector) => selector::select_one(model, selector)?,
        None => from,
    };
    let on = support_day(model, question.on.as_deref())?;
    let facts = facts(model, &question.conditions)?;
    let graph = UpgradeGraph::new(model);
    let edges = graph.edges(&facts);
    let (to, route) = match &question.to {
        Destination::Version(to) => {
            let to = selector::select_one(model, to)?;
            (Some(to), edges.path(from, to))
        }
        Destination::Supported => {
            let route = crate::graph::support::route_to_supported(&edges, from, on);
            (route.as_ref().and_then(|r| r.last().copied()), route)
        }
    };
    let answer = route.map(|p| edges.answer(&p, originally));
    let found = answer.is_some();
    if json {
        let issues: Vec<_> = answer
            .iter()
            .flat_map(|a| &a.issues)
            .map(|found| crate::plan::api::path_issue(model, found))
            .collect();
        let mut value = serde_json::json!({
            "from": model.node_ref(from),
            "to": to.map(|to| model.node_ref(to)),
            "if": question.conditions,
            "originally": model.node_ref(originally),
            "path": answer.as_ref().map(|a| a.path.iter().map(|n| model.node_ref(*n)).collect::<Vec<_>>()),
            "issues": issues,
        });
        let ends = [Some(from), to].into_iter().flatten();
        if matches!(question.to, Destination::Supported)
            || ends.clone().any(|n| states_support(model, n))
        {
            value["support"] = support_json(model, from, to, on);
        }
        return Ok((json_for_terminal(&value.to_string()), found));
    }
    let mut text = match to {
        Some(to) if to == from && matches!(question.to, Destination::Supported) => format!(
            "{} is in support on {on}: nothing to upgrade.",
            model.node_title(from)
        ),
        Some(to) => describe(model, &edges, from, to, originally, answer.as_ref()),
        None => format!(
            "No version that {} can reach is in support on {on}.",
            model.node_title(from)
        ),
    };
    if let Some(support) = support_text(model, from, to, on) {
        // After the first line, which names the ends.
        let at = text.find('\n').unwrap_or(text.len());
        text.insert_str(at, &format!("\n{support}"));
    }
    Ok((text, found))
}

/// The day support is judged on: `--on`, else `today` in site.yaml, else today.
fn support_day(model: &Model, on: Option<&str>) -> Result<Date, Diagnostic> {
    match on {
        Some(text) => Date::parse(text).ok_or_else(|| {
            Diagnostic::error_nowhere(format!("--on `{text}` is not a date"))
                .with_hint("write a day of the calendar as YYYY-MM-DD")
        }),
        None => Ok(model.site.today.unwrap_or_else(Date::today_utc)),
    }
}

fn states_support(model: &Model, node: NodeId) -> bool {
    model.version(node).lifecycle.is_stated()
}

fn status_of(model: &Model, node: NodeId, on: Date) -> String {
    let labels = &model.product_of(node).phases;
    let status = model.version(node).lifecycle.status(on);
    crate::i18n::Messages::english().status(status, labels)
}

/// "Support on 2026-12-02: FROM out of support since …; TO supported until …",
/// when either end states its support.
fn support_text(model: &Model, from: NodeId, to: Option<NodeId>, on: Date) -> Option<String> {
    let ends: Vec<NodeId> = [Some(from), to].into_iter().flatten().collect();
    if !ends.iter().any(|n| states_support(model, *n)) {
        return None;
    }
    let mut ends: Vec<String> = ends
        .iter()
        .map(|n| format!("{}: {}", model.node_ref(*n), status_of(model, *n, on)))
        .collect();
    ends.dedup();
    Some(format!("Support on {on}: {}", ends.join("; ")))
}

fn support_json(model: &Model, from: NodeId, to: Option<NodeId>, on: Date) -> serde_json::Value {
    let end = |node: NodeId| {
        let lifecycle = &model.version(node).lifecycle;
        let mut map = crate::plan::api::lifecycle_json(lifecycle);
        let status = lifecycle.status(on);
        map.insert("status".into(), lifecycle::status_key(status).into());
        map.insert("statusText".into(), status_of(model, node, on).into());
        serde_json::Value::Object(map)
    };
    serde_json::json!({
        "on": on.to_string(),
        "from": end(from),
        "to": to.map(end),
    })
}

/// The human answer: hops, issues hop by hop (with where each comes
/// from), and the files behind each hop.
fn describe(
    model: &Model,
    edges: &Edges,
    from: NodeId,
    to: NodeId,
    originally: NodeId,
    answer: Option<&Answer>,
) -> String {
    let (a, b) = (model.node_title(from), model.node_title(to));
    let mut given = Vec::new();
    if !edges.facts.0.is_empty() {
        let names: Vec<&str> = edges
            .facts
            .0
            .iter()
            .map(|c| model.site.conditions[*c].name.as_str())
            .collect();
        given.push(format!("if {}", names.join(" and ")));
    }
    if originally != from {
        given.push(format!("originally {}", model.node_ref(originally)));
    }
    let given = if given.is_empty() {
        String::new()
    } else {
        format!(" ({})", given.join(", "))
    };
    // Scenarios that say the direct upgrade is not supported explain the detour.
    let refusals: String = edges
        .refusals(from, to)
        .into_iter()
        .map(|s| {
            let s = &model.scenarios[s];
            format!(
                "\nNot supported directly, says {}: {}",
                s.file.display(),
                s.title
            )
        })
        .collect();
    let Some(answer) = answer else {
        return format!("No supported upgrade path from {a} to {b}{given}.{refusals}");
    };
    if answer.hops.is_empty() {
        return format!("{a} is already {b}: nothing to upgrade.");
    }
    let count = answer.hops.len();
    let mut out = format!(
        "{a} -> {b}{given}: {count} hop{}\n\n  {}\n",
        if count == 1 { "" } else { "s" },
        answer
            .path
            .iter()
            .map(|n| model.node_ref(*n))
            .collect::<Vec<_>>()
            .join(" -> ")
    );
    for (number, hop) in answer.hops.iter().enumerate() {
        out.push_str(&format!(
            "\n{}. {} -> {}\n",
            number + 1,
            model.node_ref(hop.from),
            model.node_ref(hop.to)
        ));
        for found in &hop.issues {
            let source = match found.origin {
                Origin::Scenario(s) => model.scenarios[s].file.display().to_string(),
                Origin::Version(v) => format!(
                    "{}, moving past {}",
                    model.product_of(v).file.display(),
                    model.node_ref(v)
                ),
            };
            out.push_str(&format!(
                "   [{}] {} ({source})\n",
                found.issue.severity.word(),
                found.issue.title
            ));
        }
        if hop.scenarios.is_empty() {
            out.push_str(&format!(
                "   from the upgrade rules in {}\n",
                model.product_of(hop.from).file.display()
            ));
        } else {
            let files: Vec<String> = hop
                .scenarios
                .iter()
                .map(|s| model.scenarios[*s].file.display().to_string())
                .collect();
            out.push_str(&format!("   from {}\n", files.join(", ")));
        }
    }
    out.push_str(&refusals);
    out.trim_end().to_owned()
}
