//! The upgrade diagram of a product, as inline SVG: products as horizontal
//! lanes, versions left to right, supported upgrades as arrows, required
//! stops ringed, edges that exist only under a condition dashed.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::html::escape;
use crate::model::{Model, NodeId};

/// Diagrams larger than this say more as a list than as a drawing.
const MAX_NODES: usize = 40;
const MAX_EDGES: usize = 300;

const NODE_WIDTH: usize = 96;
const NODE_HEIGHT: usize = 30;
const STEP_X: usize = 120;
const LANE_HEIGHT: usize = 130;
const TOP: usize = 70;
const LEFT: usize = 16;

/// An edge to draw, and whether it holds without any condition.
pub struct DrawnEdge {
    pub from: NodeId,
    pub to: NodeId,
    pub always: bool,
}

/// The SVG, or `None` when the product's graph is too large to draw legibly.
pub fn product_diagram(
    model: &Model,
    product: usize,
    edges: &[DrawnEdge],
    stops: &BTreeSet<NodeId>,
) -> Option<String> {
    let mut lanes: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    lanes.insert(
        product,
        (0..model.products[product].versions.len()).collect(),
    );
    for edge in edges {
        for node in [edge.from, edge.to] {
            let n = model.nodes[node];
            lanes.entry(n.product).or_default().insert(n.version);
        }
    }
    let node_count: usize = lanes.values().map(BTreeSet::len).sum();
    if node_count > MAX_NODES || edges.len() > MAX_EDGES {
        return None;
    }
    // Products that only lead into this one go above it, the others below,
    // so that no arrow has to cross a lane.
    let leads_out = |p: usize| {
        edges
            .iter()
            .any(|e| model.nodes[e.from].product == product && model.nodes[e.to].product == p)
    };
    let others = || lanes.keys().copied().filter(|p| *p != product);
    let order: Vec<usize> = others()
        .filter(|p| !leads_out(*p))
        .chain([product])
        .chain(others().filter(|p| leads_out(*p)))
        .collect();
    let mut position: BTreeMap<NodeId, (usize, usize)> = BTreeMap::new();
    let widest = lanes.values().map(BTreeSet::len).max().unwrap_or(1);
    for (lane, p) in order.iter().enumerate() {
        for (column, version) in lanes[p].iter().enumerate() {
            let node = model.products[*p].versions[*version].node;
            position.insert(node, (LEFT + column * STEP_X, TOP + lane * LANE_HEIGHT));
        }
    }
    let width = (LEFT + widest * STEP_X).max(LEFT + 8 * 60);
    let height = TOP + order.len() * LANE_HEIGHT - 80;
    let title = format!("Upgrade diagram of {}", model.products[product].name);
    let mut svg = format!(
        r##"<svg class="diagram" role="img" aria-labelledby="diagram-title" viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title id="diagram-title">{}</title><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow-head"/></marker></defs>"##,
        escape(&title)
    );
    for (lane, p) in order.iter().enumerate() {
        let y = TOP + lane * LANE_HEIGHT;
        let _ = write!(
            svg,
            r#"<text class="{}" x="{LEFT}" y="{}">{}</text>"#,
            if *p == product {
                "lane-label current"
            } else {
                "lane-label"
            },
            y - 48,
            escape(&truncate(&model.products[*p].name, 60))
        );
    }
    for edge in edges {
        let (x1, y1) = position[&edge.from];
        let (x2, y2) = position[&edge.to];
        let class = if edge.always {
            "edge"
        } else {
            "edge conditional"
        };
        let path = if y1 == y2 {
            // Inside a lane: an arc above the nodes, higher for longer jumps.
            let lift = 14 + (x2.abs_diff(x1) / STEP_X) * 10;
            let (sx, ex) = (x1 + NODE_WIDTH / 2, x2 + NODE_WIDTH / 2);
            format!(
                "M{sx},{y1} Q{},{} {ex},{y1}",
                (sx + ex) / 2,
                y1.saturating_sub(lift)
            )
        } else {
            let (sy, ey) = if y2 > y1 {
                (y1 + NODE_HEIGHT, y2)
            } else {
                (y1, y2 + NODE_HEIGHT)
            };
            format!(
                "M{},{sy} L{},{ey}",
                x1 + NODE_WIDTH / 2,
                x2 + NODE_WIDTH / 2
            )
        };
        let _ = write!(
            svg,
            r#"<path class="{class}" d="{path}" marker-end="url(#arrow)"/>"#
        );
    }
    for (node, (x, y)) in &position {
        let class = if stops.contains(node) {
            "node stop"
        } else {
            "node"
        };
        let _ = write!(
            svg,
            r#"<rect class="{class}" x="{x}" y="{y}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="6"/><text class="node-label" x="{}" y="{}">{}</text>"#,
            x + NODE_WIDTH / 2,
            y + NODE_HEIGHT / 2 + 5,
            escape(&truncate(&model.version(*node).name, 12))
        );
    }
    svg.push_str("</svg>");
    Some(svg)
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        text.chars().take(max - 1).chain(['…']).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_long_labels() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
    }
}
