//! `plan`: the order in which the members of a stack move from one state to
//! another (format 1.2), as a runbook: every move with its issues, blocking
//! first, then the steps, alternatives and sources of the scenarios behind
//! it. Text for a terminal, Markdown for a change ticket, JSON for programs.

use crate::diag::Diagnostic;
use crate::graph::{Answer, Edges, NoPlan, Plan, Unmet, UpgradeGraph, state_title, why_words};
use crate::model::{Facts, Model, NodeId};
use crate::selector;

use super::path::{facts, json_for_terminal};

/// What `plan` is asked, as written on the command line.
pub struct PlanQuestion {
    pub from: Vec<String>,
    pub to: Vec<String>,
    pub conditions: Vec<String>,
    pub originally: Option<String>,
}

/// How the answer is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormat {
    Text,
    Markdown,
    Json,
}

/// A plan with the answer `path` gives for each of its moves.
struct Runbook<'m> {
    plan: Plan,
    moves: Vec<Answer<'m>>,
}

/// The answer to `plan`, and whether a plan exists.
pub fn answer(
    model: &Model,
    question: &PlanQuestion,
    format: PlanFormat,
) -> Result<(String, bool), Diagnostic> {
    let from = states(model, &question.from, "FROM")?;
    let to = states(model, &question.to, "--to")?;
    if from.len() != to.len() {
        return Err(Diagnostic::error_nowhere(format!(
            "FROM names {} version(s) and --to {}",
            from.len(),
            to.len()
        ))
        .with_hint("give one target per member, in the same order"));
    }
    let originally = match &question.originally {
        Some(_) if from.len() > 1 => {
            return Err(Diagnostic::error_nowhere(
                "--originally is accepted only with one member: each member of a stack starts as itself",
            ));
        }
        Some(selector) => Some(selector::select_one(model, selector)?),
        None => None,
    };
    let facts: Facts = facts(model, &question.conditions)?;
    let graph = UpgradeGraph::new(model);
    let edges = graph.edges(&facts);
    let result = edges.plan(&from, &to).map(|plan| Runbook {
        moves: edges.move_answers(&plan, originally),
        plan,
    });
    let found = result.is_ok();
    let text = match format {
        PlanFormat::Json => json(model, question, &from, &to, &result),
        PlanFormat::Text => text(model, &edges, &from, &to, &result, false),
        PlanFormat::Markdown => text(model, &edges, &from, &to, &result, true),
    };
    Ok((text, found))
}

/// The versions a list of selectors names, one each, no product twice.
fn states(model: &Model, written: &[String], what: &str) -> Result<Vec<NodeId>, Diagnostic> {
    if written.is_empty() {
        return Err(
            Diagnostic::error_nowhere(format!("{what} names no version"))
                .with_hint("give one per member"),
        );
    }
    let mut nodes: Vec<NodeId> = Vec::new();
    for selector in written {
        let node = selector::select_one(model, selector)?;
        let product = model.nodes[node].product;
        if nodes.iter().any(|n| model.nodes[*n].product == product) {
            return Err(Diagnostic::error_nowhere(format!(
                "{what} names two versions of {}: a stack holds one version of each product",
                model.products[product].id
            )));
        }
        nodes.push(node);
    }
    Ok(nodes)
}

fn refs(model: &Model, state: &[NodeId]) -> Vec<String> {
    state.iter().map(|n| model.node_ref(*n)).collect()
}

fn json(
    model: &Model,
    question: &PlanQuestion,
    from: &[NodeId],
    to: &[NodeId],
    result: &Result<Runbook, NoPlan>,
) -> String {
    let (states, plan, stopped_by) = match result {
        Ok(runbook) => {
            let states: Vec<Vec<String>> =
                runbook.plan.states.iter().map(|s| refs(model, s)).collect();
            let moves: Vec<serde_json::Value> = (runbook.plan.moves.iter().zip(&runbook.moves))
                .map(|(step, answer)| {
                    let issues: Vec<_> = (answer.issues.iter())
                        .map(|found| crate::plan::api::types::PathIssue {
                            // Every issue of a move is of its one hop.
                            hop: None,
                            ..crate::plan::api::path_issue(model, found)
                        })
                        .collect();
                    serde_json::json!({
                        "member": step.member,
                        "from": model.node_ref(step.from),
                        "to": model.node_ref(step.to),
                        "issues": issues,
                    })
                })
                .collect();
            (Some(states), Some(moves), Vec::new())
        }
        Err(why) => (None, None, unmet_json(model, why)),
    };
    let mut value = serde_json::json!({
        "from": refs(model, from),
        "to": refs(model, to),
        "if": question.conditions,
        "states": states,
        "plan": plan,
    });
    if let Err(why) = result {
        value["stopped_by"] = stopped_by.into();
        value["why"] = why_words(crate::i18n::Messages::english(), model, why).into();
    }
    json_for_terminal(&value.to_string())
}

fn unmet_json(model: &Model, why: &NoPlan) -> Vec<serde_json::Value> {
    unmet_of(why)
        .iter()
        .map(|u| {
            serde_json::json!({
                "version": model.node_ref(u.version),
                "requires": model.version(u.version).requires[u.requirement].selector,
                "beside": model.node_ref(u.beside),
            })
        })
        .collect()
}

fn unmet_of(why: &NoPlan) -> &[Unmet] {
    match why {
        NoPlan::InvalidStart(u) | NoPlan::InvalidEnd(u) | NoPlan::NoOrder(u) => u,
        NoPlan::TooLarge => &[],
    }
}

/// The runbook for a terminal or, with `markdown`, for a change ticket.
fn text(
    model: &Model,
    edges: &Edges,
    from: &[NodeId],
    to: &[NodeId],
    result: &Result<Runbook, NoPlan>,
    markdown: bool,
) -> String {
    let (a, b) = (state_title(model, from), state_title(model, to));
    let given = given(model, &edges.facts);
    let runbook = match result {
        Err(why) => {
            let why = why_words(crate::i18n::Messages::english(), model, why);
            return format!("No plan from {a} to {b}{given}: {why}.");
        }
        Ok(runbook) => runbook,
    };
    let count = runbook.plan.moves.len();
    if count == 0 {
        return format!("{a} is already {b}: nothing to upgrade.");
    }
    let moves = if count == 1 { "move" } else { "moves" };
    let mut out = if markdown {
        format!("# Upgrade plan: {a} → {b}\n\n{count} {moves}{given}.\n\n")
    } else {
        format!("{a} -> {b}{given}: {count} {moves}\n\n")
    };
    for (number, state) in runbook.plan.states.iter().enumerate() {
        let line = refs(model, state).join(" + ");
        if markdown {
            out.push_str(&format!("{}. `{line}`\n", number + 1));
        } else {
            out.push_str(&format!("  {line}\n"));
        }
    }
    for (number, (step, answer)) in runbook.plan.moves.iter().zip(&runbook.moves).enumerate() {
        out.push('\n');
        super::runbook::move_section(&mut out, model, number + 1, step, answer, markdown);
    }
    out.trim_end().to_owned()
}

/// " (if clustered and encrypted)", or nothing when no condition holds.
fn given(model: &Model, facts: &Facts) -> String {
    if facts.0.is_empty() {
        return String::new();
    }
    let names: Vec<&str> = (facts.0.iter())
        .map(|c| model.site.conditions[*c].name.as_str())
        .collect();
    format!(" (if {})", names.join(" and "))
}
