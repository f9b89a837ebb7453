//! `upgrade-atlas export`: the upgrade graph and the matrix on stdout, for
//! a slide, a spreadsheet or another tool. Both are for the facts given
//! with `--if` (none by default: the answer a reader gets before ticking
//! any condition).
//!
//! Versions are named by their selector, `product@version`, everywhere.

use std::path::Path;

use std::collections::HashMap;

use crate::graph::{Edges, UpgradeGraph, count_blocking};
use crate::model::{Facts, Model, NodeId};
use crate::{Failure, check};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    /// Graphviz: `dot -Tsvg`.
    Dot,
    /// A Mermaid flowchart, for Markdown that renders Mermaid.
    Mermaid,
    /// The same JSON as the site's api/v1/graph.json.
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MatrixFormat {
    /// Comma-separated values (RFC 4180 quoting, lines ending in LF).
    Csv,
}

/// Why an export printed nothing.
pub enum Refusal {
    /// The knowledge base has errors.
    Invalid(Failure),
    /// A `--if` names no condition the knowledge base declares.
    UnknownCondition(crate::diag::Diagnostic),
}

impl From<Failure> for Refusal {
    fn from(failure: Failure) -> Self {
        Refusal::Invalid(failure)
    }
}

/// The checked model and the facts that `conditions` (`--if` names) state.
fn model_and_facts(root: &Path, conditions: &[String]) -> Result<(Model, Facts), Refusal> {
    let model = check(root)?.model;
    let facts = super::path::facts(&model, conditions).map_err(Refusal::UnknownCondition)?;
    Ok((model, facts))
}

pub fn graph(root: &Path, format: GraphFormat, conditions: &[String]) -> Result<String, Refusal> {
    let (model, facts) = model_and_facts(root, conditions)?;
    let edges = direct_edges(&model, &facts);
    Ok(match format {
        GraphFormat::Dot => dot(&model, &edges),
        GraphFormat::Mermaid => mermaid(&model, &edges),
        GraphFormat::Json => {
            let graph = crate::plan::api::graph(&model, &facts);
            let mut json = serde_json::to_string_pretty(&graph).expect("JSON values serialize");
            json.push('\n');
            json
        }
    })
}

pub fn matrix(root: &Path, format: MatrixFormat, conditions: &[String]) -> Result<String, Refusal> {
    let (model, facts) = model_and_facts(root, conditions)?;
    Ok(match format {
        MatrixFormat::Csv => matrix_csv(&model, &facts),
    })
}

/// Every direct upgrade for these facts, in version order.
fn direct_edges(model: &Model, facts: &Facts) -> Vec<(usize, usize)> {
    let graph = UpgradeGraph::new(model);
    let edges = graph.edges(facts);
    (0..model.nodes.len())
        .flat_map(|from| edges.successors(from).iter().map(move |&to| (from, to)))
        .collect()
}

/// A DOT string literal: quotes and backslashes escaped, line breaks as `\n`.
fn dot_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One cluster a product, its versions inside, then every edge.
fn dot(model: &Model, edges: &[(usize, usize)]) -> String {
    let mut out = String::from("digraph upgrades {\n  rankdir=LR;\n  node [shape=box];\n");
    for product in &model.products {
        out.push_str(&format!(
            "  subgraph {} {{\n    label={};\n",
            dot_string(&format!("cluster_{}", product.id)),
            dot_string(&product.name)
        ));
        for version in &product.versions {
            out.push_str(&format!(
                "    {} [label={}];\n",
                dot_string(&model.node_ref(version.node)),
                dot_string(&version.name)
            ));
        }
        out.push_str("  }\n");
    }
    for (from, to) in edges {
        out.push_str(&format!(
            "  {} -> {};\n",
            dot_string(&model.node_ref(*from)),
            dot_string(&model.node_ref(*to))
        ));
    }
    out.push_str("}\n");
    out
}

/// A Mermaid label's text. Mermaid draws labels as HTML, so `<img
/// onerror=...>` in a name ran as markup where the diagram was shown:
/// markup characters, quotes and `#` (which starts Mermaid's own escapes)
/// become Mermaid's numeric escapes (`#60;`), line breaks spaces.
fn mermaid_label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '#' | '"' | '<' | '>' | '&' | '`' | '\'' => {
                out.push_str(&format!("#{};", u32::from(c)))
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Mermaid ids must be plain words, so versions are `v0`, `v1`... in model
/// order; labels carry the names, escaped by [`mermaid_label`].
fn mermaid(model: &Model, edges: &[(usize, usize)]) -> String {
    let label = mermaid_label;
    let mut out = String::from("flowchart LR\n");
    for (p, product) in model.products.iter().enumerate() {
        out.push_str(&format!("  subgraph p{p}[\"{}\"]\n", label(&product.name)));
        for version in &product.versions {
            out.push_str(&format!(
                "    v{}[\"{}\"]\n",
                version.node,
                label(&version.name)
            ));
        }
        out.push_str("  end\n");
    }
    for (from, to) in edges {
        out.push_str(&format!("  v{from} --> v{to}\n"));
    }
    out
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// The header row names every target version; each row a source version,
/// each cell the hops of the path the site gives for a server that began
/// as the row's version and, when issues on it block the upgrade, how
/// many: `2 (1 blocking)`. `0` on the diagonal, empty when there is no path.
fn matrix_csv(model: &Model, facts: &Facts) -> String {
    let graph = UpgradeGraph::new(model);
    let edges = graph.edges(facts);
    let count = model.nodes.len();
    let refs: Vec<String> = (0..count).map(|n| model.node_ref(n)).collect();
    let mut out = String::from("from");
    for name in &refs {
        out.push(',');
        out.push_str(&csv_field(name));
    }
    out.push('\n');
    for (from, name) in refs.iter().enumerate() {
        out.push_str(&csv_field(name));
        for cell in matrix_row(&edges, from) {
            out.push(',');
            out.push_str(&cell);
        }
        out.push('\n');
    }
    out
}

/// The cells of `from`'s row, one a version. A direct upgrade's blocking
/// issues are counted once, though many paths take it.
fn matrix_row(edges: &Edges, from: NodeId) -> Vec<String> {
    let tree = edges.paths_from(from);
    let mut blocking_on: HashMap<(NodeId, NodeId), usize> = HashMap::new();
    let mut blocking = |pair: &[NodeId]| -> usize {
        *blocking_on
            .entry((pair[0], pair[1]))
            .or_insert_with(|| count_blocking(&edges.path_issues(pair, from)))
    };
    (0..edges.model.nodes.len())
        .map(|to| match tree.path_to(to) {
            None => String::new(),
            Some(path) => {
                let hops = path.len() - 1;
                match path.windows(2).map(&mut blocking).sum::<usize>() {
                    0 => hops.to_string(),
                    n => format!("{hops} ({n} blocking)"),
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(dot_string("a \"b\" \\ c\nd"), "\"a \\\"b\\\" \\\\ c\\nd\"");
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(
            mermaid_label("<img src=x onerror=\"alert(1)\"> #1\n&"),
            "#60;img src=x onerror=#34;alert(1)#34;#62; #35;1 #38;"
        );
    }
}
