//! A product's support timeline, as inline SVG: one bar a version, from its
//! release to the end of mainstream support (solid) and of extended support
//! (hatched), on a scale of years, a line at today and a legend that names
//! each phase in words, since colour alone tells nothing to some readers.
//! Colours are fill attributes, so that the drawing prints; the stylesheet
//! overrides them with the theme's colours, so that it reads in dark mode
//! too. The lifecycle table beside it says the same in words.
//!
//! Without a fixed day the build cannot place today: the SVG carries its
//! scale (`data-scale-*`) and a hidden today line that `lifecycle.js` moves
//! to the reader's day.

use crate::i18n::Messages;
use std::fmt::Write;

use super::html::escape;
use crate::lifecycle::{Date, SupportEnds};
use crate::model::Product;

/// Timelines of more versions than this say more as the table alone.
const MAX_BARS: usize = 60;
const LABEL_WIDTH: i64 = 110;
const PLOT_WIDTH: i64 = 600;
const BAR_HEIGHT: i64 = 16;
const ROW: i64 = 24;
const TOP: i64 = 26;
/// The legend's row under the bars.
const LEGEND_HEIGHT: i64 = 26;
/// Every text at least this size (px at the SVG's own width, at which it
/// is drawn: on a narrow screen it scrolls rather than shrinks).
const FONT: i64 = 12;

/// A version's bar: name, released, end of mainstream support, end of
/// extended support, and whether no end is announced.
type Bar<'a> = (&'a str, Date, Option<Date>, Option<Date>, bool);

/// The SVG, or `None` when fewer than one version has both a release date
/// and an end of support to draw, or too many versions to draw legibly.
pub fn support_timeline(
    words: &Messages,
    product: &Product,
    today: Option<Date>,
) -> Option<String> {
    let rows: Vec<Bar> = product
        .versions
        .iter()
        .filter_map(|v| {
            let l = &v.lifecycle;
            let released = l.released?;
            l.support_ends?;
            let open = l.support_ends == Some(SupportEnds::NotAnnounced);
            Some((
                v.name.as_str(),
                released,
                l.mainstream_end(),
                l.extended_support_ends,
                open,
            ))
        })
        .collect();
    if rows.is_empty() || rows.len() > MAX_BARS {
        return None;
    }
    let first = rows.iter().map(|r| r.1).min()?;
    let last = rows
        .iter()
        .flat_map(|r| [Some(r.1), r.2, r.3])
        .flatten()
        .chain(today)
        .max()?;
    // Whole years, with one more after the last date for the bars with no
    // announced end.
    let (first_year, _, _) = first.civil();
    let (last_year, _, _) = last.civil();
    let start = Date::parse(&format!("{first_year:04}-01-01"))?;
    let end = Date::parse(&format!("{:04}-01-01", last_year + 2))?;
    let span = (end.days_since_epoch() - start.days_since_epoch()).max(1);
    let x = |d: Date| {
        LABEL_WIDTH + (d.days_since_epoch() - start.days_since_epoch()) * PLOT_WIDTH / span
    };
    let bars_bottom = TOP + ROW * rows.len() as i64 + 8;
    let height = bars_bottom + LEGEND_HEIGHT;
    let width = LABEL_WIDTH + PLOT_WIDTH + 10;
    let title = words.text(
        "timeline-title",
        &[("product", product.name.as_str().into())],
    );
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="timeline-title" data-scale-start="{start}" data-scale-end="{end}" data-plot-x="{LABEL_WIDTH}" data-plot-width="{PLOT_WIDTH}"><title id="timeline-title">{}</title>"##,
        escape(&title)
    );
    svg.push_str(r##"<defs><pattern id="extended-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff4d4"/><line x1="0" y1="0" x2="0" y2="6" stroke="#7d4e00" stroke-width="2"/></pattern></defs>"##);
    let years = last_year + 2 - first_year;
    let every = (years / 12 + 1).max(1);
    for year in (first_year..=last_year + 1).step_by(every as usize) {
        let Some(day) = Date::parse(&format!("{year:04}-01-01")) else {
            continue;
        };
        let at = x(day);
        let _ = write!(
            svg,
            r##"<line class="year" x1="{at}" y1="{}" x2="{at}" y2="{bars_bottom}" stroke="#d0d7de"/><text class="year" x="{at}" y="14" font-size="{FONT}" fill="#57606a">{year}</text>"##,
            TOP - 6
        );
    }
    for (row, (name, released, mainstream, extended, open)) in rows.iter().enumerate() {
        let y = TOP + ROW * row as i64;
        let _ = write!(
            svg,
            r##"<text class="version" x="{}" y="{}" font-size="{FONT}" text-anchor="end" fill="#1b1f24">{}</text>"##,
            LABEL_WIDTH - 8,
            y + 12,
            escape(name)
        );
        let main_end = mainstream.unwrap_or(end);
        let name_and = |key: &str, day: Option<Date>| {
            let mut args = vec![
                ("version", (*name).into()),
                ("released", words.date(*released).into()),
            ];
            args.extend(day.map(|day| ("day", words.date(day).into())));
            words.text(key, &args)
        };
        let bar_words = match mainstream {
            Some(day) => name_and("timeline-bar-until", Some(*day)),
            None if *open => name_and("timeline-bar-open", None),
            None => name_and("timeline-bar", None),
        };
        let _ = write!(
            svg,
            r##"<rect class="mainstream{}" x="{}" y="{y}" width="{}" height="{BAR_HEIGHT}" fill="#1a7f37"><title>{}</title></rect>"##,
            if *open { " open" } else { "" },
            x(*released),
            (x(main_end) - x(*released)).max(2),
            escape(&bar_words)
        );
        if let (Some(from), Some(until)) = (mainstream, extended) {
            let _ = write!(
                svg,
                r##"<rect class="extended" x="{}" y="{y}" width="{}" height="{BAR_HEIGHT}" fill="url(#extended-hatch)" stroke="#7d4e00"><title>{}</title></rect>"##,
                x(*from),
                (x(*until) - x(*from)).max(2),
                escape(&words.text(
                    "timeline-extended-until",
                    &[
                        ("version", (*name).into()),
                        ("day", words.date(*until).into())
                    ]
                ))
            );
        }
    }
    // Today: placed here on a fixed day, else hidden for the script to place.
    let (at, today_words, hidden) = match today {
        Some(day) => (x(day), escape(&words.date(day)), ""),
        None => (LABEL_WIDTH, String::new(), r#" visibility="hidden""#),
    };
    let _ = write!(
        svg,
        r##"<g class="today"{hidden}><line class="today" x1="{at}" y1="{}" x2="{at}" y2="{bars_bottom}" stroke="#a40e26" stroke-width="2"/><text class="today" x="{}" y="{}" font-size="{FONT}" fill="#a40e26">{today_words}</text></g>"##,
        TOP - 6,
        at + 3,
        TOP - 8,
    );
    legend(
        &mut svg,
        words,
        product,
        bars_bottom + 6,
        rows.iter().any(|r| r.3.is_some()),
    );
    svg.push_str("</svg>");
    Some(svg)
}

/// The legend under the bars: a swatch and the name of each phase drawn,
/// and the today line.
fn legend(svg: &mut String, words: &Messages, product: &Product, top: i64, extended: bool) {
    let phases = &product.phases;
    let mut entries = vec![(
        "legend-mainstream",
        r##"fill="#1a7f37""##,
        12,
        phases.mainstream.as_str(),
    )];
    if extended {
        entries.push((
            "legend-extended",
            r##"fill="url(#extended-hatch)" stroke="#7d4e00""##,
            12,
            phases.extended.as_str(),
        ));
    }
    let today = words.text("timeline-today", &[]);
    entries.push(("legend-today", r##"fill="#a40e26""##, 2, today.as_str()));
    let mut x = LABEL_WIDTH;
    for (class, paint, swatch_height, label) in entries {
        let _ = write!(
            svg,
            r##"<rect class="{class}" x="{x}" y="{}" width="14" height="{swatch_height}" {paint}/><text class="legend" x="{}" y="{}" font-size="{FONT}" fill="#1b1f24">{}</text>"##,
            top + (12 - swatch_height) / 2,
            x + 20,
            top + 11,
            escape(label)
        );
        // About 7 px a character at 12 px, then a gap before the next entry.
        x += 20 + 7 * label.chars().count() as i64 + 24;
    }
}
