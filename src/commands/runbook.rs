//! One move of a runbook, as text: what to resolve first (the move's
//! issues, blocking first), then what to do (the steps of the scenarios
//! behind it), what else could be done, and where it comes from.

use crate::graph::{Answer, Move, Origin};
use crate::markdown;
use crate::model::Model;

/// Writes the section of move `number` into `out`: plain text with
/// indented lists, or Markdown with a checklist of steps.
pub fn move_section(
    out: &mut String,
    model: &Model,
    number: usize,
    step: &Move,
    answer: &Answer,
    markdown: bool,
) {
    let (a, b) = (model.node_title(step.from), model.node_title(step.to));
    if markdown {
        out.push_str(&format!("## {number}. {a} → {b}\n\n"));
    } else {
        out.push_str(&format!("{number}. {a} -> {b}\n"));
    }
    let Some(hop) = answer.hops.first() else {
        return;
    };
    let indent = if markdown { "" } else { "   " };
    if !hop.issues.is_empty() {
        heading(out, "Before you start", markdown);
        for found in &hop.issues {
            let source = match found.origin {
                Origin::Scenario(s) => model.scenarios[s].title.clone(),
                Origin::Version(v) => format!("moving past {}", model.node_title(v)),
            };
            let severity = found.issue.severity.word();
            if markdown {
                out.push_str(&format!(
                    "- **{severity}**: {} ({source})\n",
                    found.issue.title
                ));
                if let Some(body) = &found.issue.body {
                    out.push_str(&indented(body.trim(), "  "));
                }
            } else {
                out.push_str(&format!(
                    "{indent}[{severity}] {} ({source})\n",
                    found.issue.title
                ));
                if let Some(body) = &found.issue.body {
                    out.push_str(&indented(&markdown::plain_text(body), "     "));
                }
            }
        }
    }
    if hop.scenarios.is_empty() {
        if markdown && !out.ends_with("\n\n") {
            // Else Markdown reads it as part of the last issue's bullet.
            out.push('\n');
        }
        let rules = model.product_of(step.from).file.display();
        out.push_str(&format!(
            "{indent}No scenario describes this upgrade; the upgrade rules in {rules} allow it.\n"
        ));
    }
    for &index in &hop.scenarios {
        scenario_parts(out, model, index, markdown);
    }
}

fn heading(out: &mut String, words: &str, markdown: bool) {
    if markdown {
        if !out.ends_with("\n\n") {
            out.push('\n');
        }
        out.push_str(&format!("**{words}:**\n\n"));
    } else {
        out.push_str(&format!("   {words}:\n"));
    }
}

/// A scenario's steps (a checklist), alternatives and sources.
fn scenario_parts(out: &mut String, model: &Model, index: usize, markdown: bool) {
    let scenario = &model.scenarios[index];
    let file = scenario.file.display();
    if !scenario.steps.is_empty() {
        heading(out, &format!("Steps ({file})"), markdown);
        for (number, step) in scenario.steps.iter().enumerate() {
            if markdown {
                out.push_str(&format!(
                    "- [ ] {}",
                    indented(step.trim(), "  ").trim_start()
                ));
            } else {
                let text = markdown::plain_text(step);
                out.push_str(&format!(
                    "     [ ] {}. {}",
                    number + 1,
                    indented(&text, "         ").trim_start()
                ));
            }
        }
    }
    if !scenario.alternatives.is_empty() {
        heading(out, "Alternatives", markdown);
        for alternative in &scenario.alternatives {
            let bullet = if markdown { "- " } else { "     - " };
            out.push_str(&format!("{bullet}{}\n", alternative.title));
            if let Some(body) = &alternative.body {
                let body = if markdown {
                    body.trim().to_owned()
                } else {
                    markdown::plain_text(body)
                };
                out.push_str(&indented(&body, if markdown { "  " } else { "       " }));
            }
        }
    }
    if !scenario.sources.is_empty() {
        heading(out, "Sources", markdown);
        for source in &scenario.sources {
            if markdown {
                out.push_str(&format!("- [{}]({})\n", source.title, source.url));
            } else {
                out.push_str(&format!("     - {} <{}>\n", source.title, source.url));
            }
        }
    }
}

/// Every line of `text` after `prefix`, each ending in a line break.
fn indented(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|line| {
            if line.trim().is_empty() {
                "\n".to_owned()
            } else {
                format!("{prefix}{line}\n")
            }
        })
        .collect()
}
