//! The upgrade diagram of a product with many releases or an any-newer
//! rule: its line of required stops, not every upgrade. An any-newer rule
//! over ten releases is 45 arcs, which nobody can follow; what a reader
//! needs is where every route must stop, and that any release between two
//! stops upgrades directly to anything up to the next one. That rule is
//! said once, in the caption, and each arrow names the releases it stands
//! for.
//!
//! The stops snake in rows of [`PER_ROW`], so that the drawing is about
//! 600 px wide however many stops there are: it fits a printed page, and
//! on a phone its box scrolls sideways with 13 px labels.

use crate::i18n::Messages;
use std::fmt::Write;

use super::html::escape;
use crate::model::{Policy, Product};

/// Stops a row: 4 fit a printed A4 page at full size.
const PER_ROW: usize = 4;
const BOX_WIDTH: usize = 104;
const BOX_HEIGHT: usize = 36;
/// The room between two boxes of a row, for an arrow and its label.
const GAP: usize = 64;
const ROW_HEIGHT: usize = 104;
const LEFT: usize = 16;
const TOP: usize = 16;
/// More stations than this draw no better than the list beside them.
const MAX_STATIONS: usize = 80;
/// An any-newer rule over more versions than this is drawn as its stops:
/// five versions are already ten arcs.
const MAX_ARCS_MEMBERS: usize = 4;

/// A version every route through it stops at, or that starts or ends the line.
struct Station {
    version: usize,
    /// A required stop only under a condition.
    conditional: bool,
    /// A required stop, as opposed to the first or last release.
    stop: bool,
}

/// Whether a product is better drawn as its line of stops than as every
/// upgrade: an any-newer rule over more than a handful of versions, or
/// more versions than the full drawing takes.
pub fn draws_as_line(product: &Product, max_nodes: usize) -> bool {
    let any_newer_wide = product
        .rules
        .iter()
        .any(|r| r.policy == Policy::AnyNewer && r.members.len() > MAX_ARCS_MEMBERS);
    any_newer_wide || product.versions.len() > max_nodes
}

/// The line of stops as a figure's content (SVG in a scrolling box, and
/// its caption), or `None` when even the line is too long to draw.
pub fn line_diagram(words: &Messages, product: &Product) -> Option<String> {
    let stations = stations(product);
    if stations.len() < 2 || stations.len() > MAX_STATIONS {
        return None;
    }
    let rows = stations.len().div_ceil(PER_ROW);
    let width = LEFT * 2 + PER_ROW * BOX_WIDTH + (PER_ROW - 1) * GAP;
    let height = TOP + rows * ROW_HEIGHT;
    let title = words.text(
        "stops-diagram-title",
        &[("product", product.name.as_str().into())],
    );
    let scroll_label = words.text("diagram-scrolls", &[("title", title.as_str().into())]);
    let mut svg = format!(
        r##"<div class="diagram-scroll" tabindex="0" role="region" aria-label="{scroll_label}"><svg class="diagram line" role="img" aria-labelledby="diagram-title" viewBox="0 0 {width} {height}" width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title id="diagram-title">{title}</title><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow-head"/></marker></defs>"##,
        title = escape(&title),
        scroll_label = escape(&scroll_label)
    );
    for pair in stations.windows(2) {
        arrow(
            &mut svg,
            product,
            &pair[0],
            &pair[1],
            index_of(&stations, &pair[1]),
        );
    }
    for (i, station) in stations.iter().enumerate() {
        station_box(&mut svg, product, station, position(i));
    }
    svg.push_str("</svg></div>");
    let _ = write!(
        svg,
        "<figcaption>{}</figcaption>",
        escape(&caption(words, product, &stations))
    );
    Some(svg)
}

fn index_of(stations: &[Station], station: &Station) -> usize {
    stations
        .iter()
        .position(|s| s.version == station.version)
        .unwrap_or_default()
}

/// The first release, every required stop of an any-newer rule, and the
/// newest release, in version order.
fn stations(product: &Product) -> Vec<Station> {
    let last = product.versions.len().saturating_sub(1);
    let mut stations: Vec<Station> = Vec::new();
    let mut add = |version: usize, stop: bool, conditional: bool| {
        match stations.iter_mut().find(|s| s.version == version) {
            // A stop under one rule and unconditional under another is one.
            Some(s) => {
                s.stop |= stop;
                s.conditional &= conditional;
            }
            None => stations.push(Station {
                version,
                conditional,
                stop,
            }),
        }
    };
    add(0, false, false);
    for rule in product
        .rules
        .iter()
        .filter(|r| r.policy == Policy::AnyNewer)
    {
        for stop in &rule.stops {
            add(stop.version, true, !stop.condition.is_always());
        }
    }
    add(last, false, false);
    stations.sort_by_key(|s| s.version);
    stations
}

/// The top-left corner of station `i`'s box: rows left to right, each row
/// under the one before.
fn position(i: usize) -> (usize, usize) {
    let (row, column) = (i / PER_ROW, i % PER_ROW);
    (LEFT + column * (BOX_WIDTH + GAP), TOP + row * ROW_HEIGHT)
}

fn station_box(svg: &mut String, product: &Product, station: &Station, (x, y): (usize, usize)) {
    let class = match (station.stop, station.conditional) {
        (true, true) => "node stop conditional",
        (true, false) => "node stop",
        _ => "node",
    };
    let _ = write!(
        svg,
        r#"<rect class="{class}" x="{x}" y="{y}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="6"/><text class="node-label" x="{}" y="{}">{}</text>"#,
        x + BOX_WIDTH / 2,
        y + BOX_HEIGHT / 2 + 5,
        escape(&product.versions[station.version].name)
    );
}

/// The arrow into station `to` (number `i`), labelled with the releases
/// between it and the station before: in a row, straight across; to the
/// first of a row, down from the last of the row above and back left.
fn arrow(svg: &mut String, product: &Product, from: &Station, to: &Station, i: usize) {
    let (x1, y1) = position(i - 1);
    let (x2, y2) = position(i);
    let between = between_words(product, from.version, to.version);
    // In a row, the label sits under the arrow; on the way down to the
    // next row, under the turn and beside the descent, clear of the labels
    // of the row above.
    let (path, class, label_x, label_y) = if y1 == y2 {
        let (sx, ex) = (x1 + BOX_WIDTH, x2 - 2);
        let middle = y1 + BOX_HEIGHT / 2;
        let path = format!("M{sx},{middle} L{ex},{middle}");
        (path, "edge-label", (sx + ex) / 2, middle + 26)
    } else {
        let (sx, ex) = (x1 + BOX_WIDTH / 2, x2 + BOX_WIDTH / 2);
        let turn = y1 + BOX_HEIGHT + (ROW_HEIGHT - BOX_HEIGHT) / 2;
        let path = format!(
            "M{sx},{} L{sx},{turn} L{ex},{turn} L{ex},{}",
            y1 + BOX_HEIGHT,
            y2 - 2
        );
        (path, "edge-label turn", sx - 8, turn + 17)
    };
    let _ = write!(
        svg,
        r#"<path class="edge" d="{path}" marker-end="url(#arrow)"/>"#
    );
    if let Some(words) = between {
        let _ = write!(
            svg,
            r#"<text class="{class}" x="{label_x}" y="{label_y}">{}</text>"#,
            escape(&words)
        );
    }
}

/// "12.4–12.5", "12.4", or nothing: the releases strictly between two stations.
fn between_words(product: &Product, from: usize, to: usize) -> Option<String> {
    let name = |v: usize| product.versions[v].name.as_str();
    match to.saturating_sub(from) {
        0 | 1 => None,
        2 => Some(name(from + 1).to_owned()),
        _ => Some(format!("{}–{}", name(from + 1), name(to - 1))),
    }
}

/// What the drawing shows, with the rule said once.
fn caption(words: &Messages, product: &Product, stations: &[Station]) -> String {
    let any_newer = product.rules.iter().any(|r| r.policy == Policy::AnyNewer);
    let mut caption = if any_newer {
        words.text("stops-diagram-any-newer", &[])
    } else {
        let product = product.name.as_str().into();
        words.text("stops-diagram-sequential", &[("product", product)])
    };
    if stations.iter().any(|s| s.conditional) {
        caption.push(' ');
        caption.push_str(&words.text("stops-diagram-conditional", &[]));
    }
    caption.push(' ');
    caption.push_str(&words.text("stops-diagram-rest", &[]));
    caption
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stations_snake_in_rows_of_four() {
        assert_eq!(position(0), (LEFT, TOP));
        assert_eq!(position(3).1, TOP);
        assert_eq!(position(4), (LEFT, TOP + ROW_HEIGHT));
    }
}
