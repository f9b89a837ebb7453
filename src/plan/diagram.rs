//! The upgrade diagram of a product, as inline SVG: products as horizontal
//! lanes, versions left to right, supported upgrades as arrows, required
//! stops ringed, edges that exist only under a condition dashed.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::html::escape;
use crate::model::{Model, NodeId};

/// Diagrams larger than this say more as a list than as a drawing.
pub(super) const MAX_NODES: usize = 40;
const MAX_EDGES: usize = 300;

const NODE_WIDTH: usize = 104;
const NODE_HEIGHT: usize = 40;
const STEP_X: usize = 128;
const LANE_HEIGHT: usize = 140;
const TOP: usize = 72;
/// Lane names sit in a column of their own, left of every node, so that no
/// arrow crosses them.
const LABEL_WIDTH: usize = 180;
const LEFT: usize = LABEL_WIDTH + 16;
/// Characters of a version name on one line of its box, and of a product
/// name on one line of the label column (13 px text).
const NODE_LINE: usize = 13;
const LABEL_LINE: usize = 18;

/// An edge to draw, and whether it holds without any condition.
pub struct DrawnEdge {
    pub from: NodeId,
    pub to: NodeId,
    pub always: bool,
}

/// The diagram as a figure's content: the SVG in a box that scrolls
/// sideways (focusable and named, so that keyboards can scroll it), and a
/// caption that explains only what the drawing holds. `None` when the
/// product's graph is too large to draw legibly.
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
    let width = LEFT + widest * STEP_X;
    // Room below the last lane for arcs of downgrades.
    let height = TOP + (order.len() - 1) * LANE_HEIGHT + NODE_HEIGHT + 40;
    let words = &model.site.messages;
    let name = model.products[product].name.as_str();
    let title = words.text("diagram-title", &[("product", name.into())]);
    let scroll_label = words.text("diagram-scrolls", &[("title", title.as_str().into())]);
    let mut svg = format!(
        r##"<div class="diagram-scroll" tabindex="0" role="region" aria-label="{scroll_label}"><svg class="diagram" role="img" aria-labelledby="diagram-title" viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title id="diagram-title">{title}</title><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow-head"/></marker></defs>"##,
        title = escape(&title),
        scroll_label = escape(&scroll_label)
    );
    for (lane, p) in order.iter().enumerate() {
        let lines = wrap(&model.products[*p].name, LABEL_LINE, 3);
        let middle = TOP + lane * LANE_HEIGHT + NODE_HEIGHT / 2;
        let first = middle + 5 - lines.len().saturating_sub(1) * 8;
        let class = if *p == product {
            "lane-label current"
        } else {
            "lane-label"
        };
        let _ = write!(svg, r#"<text class="{class}" x="16" y="{first}">"#);
        for (i, line) in lines.iter().enumerate() {
            let dy = if i == 0 { 0 } else { 16 };
            let _ = write!(svg, r#"<tspan x="16" dy="{dy}">{}</tspan>"#, escape(line));
        }
        svg.push_str("</text>");
    }
    for edge in edges {
        let class = if edge.always {
            "edge"
        } else {
            "edge conditional"
        };
        let path = edge_path(position[&edge.from], position[&edge.to]);
        let _ = write!(
            svg,
            r#"<path class="{class}" d="{path}" marker-end="url(#arrow)"/>"#
        );
    }
    let mut any_stop = false;
    for (node, (x, y)) in &position {
        let stop = stops.contains(node);
        any_stop |= stop;
        let class = if stop { "node stop" } else { "node" };
        let _ = write!(
            svg,
            r#"<rect class="{class}" x="{x}" y="{y}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="6"/>"#
        );
        let lines = wrap(&model.version(*node).name, NODE_LINE, 2);
        let first = y + NODE_HEIGHT / 2 + 5 - lines.len().saturating_sub(1) * 8;
        let centre = x + NODE_WIDTH / 2;
        let _ = write!(svg, r#"<text class="node-label" x="{centre}" y="{first}">"#);
        for (i, line) in lines.iter().enumerate() {
            let dy = if i == 0 { 0 } else { 16 };
            let _ = write!(
                svg,
                r#"<tspan x="{centre}" dy="{dy}">{}</tspan>"#,
                escape(line)
            );
        }
        svg.push_str("</text>");
    }
    svg.push_str("</svg></div>");
    let mut legend = vec![words.text("diagram-legend-arrows", &[])];
    if any_stop {
        legend.push(words.text("diagram-legend-stops", &[]));
    }
    if edges.iter().any(|e| !e.always) {
        legend.push(words.text("diagram-legend-conditional", &[]));
    }
    let legend = legend.join(&words.text("clause-separator", &[]));
    let caption = words.text("diagram-caption", &[("legend", legend.into())]);
    let _ = write!(svg, "<figcaption>{}</figcaption>", escape(&caption));
    Some(svg)
}

/// An arrow from the box at `from` to the box at `to` (top-left corners).
/// Inside a lane, upgrades arc above the boxes and downgrades below; a
/// longer jump arcs higher and leaves and reaches its boxes further out, so
/// that arcs nest instead of overlapping. Between lanes, a straight line
/// from one box's edge to the other's.
fn edge_path((x1, y1): (usize, usize), (x2, y2): (usize, usize)) -> String {
    let centre = NODE_WIDTH / 2;
    if y2 > y1 {
        // Down into a box's top: at its left quarter, clear of the arcs that
        // reach its top from its own lane (at the centre and right of it).
        return format!(
            "M{},{} L{},{y2}",
            x1 + centre,
            y1 + NODE_HEIGHT,
            x2 + NODE_WIDTH / 4
        );
    }
    if y2 < y1 {
        return format!(
            "M{},{y1} L{},{}",
            x1 + centre,
            x2 + centre,
            y2 + NODE_HEIGHT
        );
    }
    let span = x2.abs_diff(x1) / STEP_X;
    let spread = (span.saturating_sub(1) * 8).min(centre - 8);
    let lift = (18 + span * 12).min(LANE_HEIGHT - NODE_HEIGHT - 24);
    if x2 > x1 {
        let (sx, ex) = (x1 + centre - spread, x2 + centre + spread);
        let top = y1.saturating_sub(lift);
        format!("M{sx},{y1} C{sx},{top} {ex},{top} {ex},{y1}")
    } else {
        let (sx, ex) = (x1 + centre + spread, x2 + centre - spread);
        let (base, low) = (y1 + NODE_HEIGHT, y1 + NODE_HEIGHT + lift.min(36));
        format!("M{sx},{base} C{sx},{low} {ex},{low} {ex},{base}")
    }
}

/// Words of `text` in at most `lines` lines of about `width` characters;
/// the last line is cut with an ellipsis if the text does not fit.
fn wrap(text: &str, width: usize, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match out.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => out.push(word.to_owned()),
        }
    }
    if out.len() > lines {
        let rest = out.split_off(lines - 1).join(" ");
        out.push(rest);
    }
    out.into_iter()
        .map(|line| truncate(&line, width + 1))
        .collect()
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
    fn wraps_names_into_lines_and_cuts_only_what_cannot_fit() {
        assert_eq!(wrap("11 \"bullseye\"", 13, 2), ["11 \"bullseye\""]);
        assert_eq!(
            wrap("Microsoft BackOffice Small Business Server", 22, 3),
            ["Microsoft BackOffice", "Small Business Server"]
        );
        assert_eq!(wrap("a b c d", 1, 2), ["a", "b…"]);
        assert_eq!(wrap("", 5, 2), Vec::<String>::new());
    }

    #[test]
    fn longer_jumps_nest_outside_shorter_ones() {
        // 2.5 -> 4.0 and 2.5 -> 4.5 leave 2.5 apart; the longer arcs higher.
        let short = edge_path((LEFT, TOP), (LEFT + STEP_X, TOP));
        let long = edge_path((LEFT, TOP), (LEFT + 2 * STEP_X, TOP));
        assert_ne!(short.split(' ').next(), long.split(' ').next());
        let apex = |d: &str| -> usize {
            let curve = d.split('C').nth(1).unwrap();
            curve.split([' ', ',']).nth(1).unwrap().parse().unwrap()
        };
        assert!(apex(&long) < apex(&short), "{short} / {long}");
    }

    #[test]
    fn truncates_long_labels() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
    }
}
