//! Where a route to support heads: the nearest supported version a
//! version can reach, and how that answer changes over the days to come.

use super::Edges;
use crate::lifecycle::{Date, Lifecycle, SupportEnds};

/// How long a version's mainstream support lasts, for ranking: "not
/// announced" outlasts every date.
fn runway(lifecycle: &Lifecycle) -> (bool, Option<Date>) {
    match lifecycle.support_ends {
        Some(SupportEnds::NotAnnounced) => (true, None),
        _ => (false, lifecycle.mainstream_end()),
    }
}

/// Among the versions a search reached, `(version, hops)`, those `accept`
/// takes, the nearest: fewest hops, then the one supported longest, then
/// the one released last, then the first in the knowledge base's order.
pub fn nearest<'l>(
    reached: &[(usize, u32)],
    lifecycle: impl Fn(usize) -> &'l Lifecycle,
    accept: impl Fn(usize) -> bool,
) -> Option<usize> {
    reached
        .iter()
        .filter(|(node, _)| accept(*node))
        .min_by_key(|(node, hops)| {
            let l = lifecycle(*node);
            (
                *hops,
                std::cmp::Reverse(runway(l)),
                std::cmp::Reverse(l.released),
                *node,
            )
        })
        .map(|(node, _)| *node)
}

/// Among the versions a search reached, the newest long-term support
/// release that `accept` takes: released last, then fewest hops, then first
/// in the knowledge base's order.
pub fn newest_lts<'l>(
    reached: &[(usize, u32)],
    lifecycle: impl Fn(usize) -> &'l Lifecycle,
    accept: impl Fn(usize) -> bool,
) -> Option<usize> {
    reached
        .iter()
        .filter(|(node, _)| lifecycle(*node).lts && accept(*node))
        .min_by_key(|(node, hops)| (std::cmp::Reverse(lifecycle(*node).released), *hops, *node))
        .map(|(node, _)| *node)
}

/// Where a route to support goes on one day: the nearest supported
/// version, and the newest LTS when it is another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Heading {
    pub nearest: usize,
    pub lts: Option<usize>,
}

/// One stretch of days over which the answer to "where to head for" stays
/// the same: from `from` (inclusive) until `until` (exclusive; open when
/// `None`). `heading` is `None` when no reachable version is in support.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stretch {
    pub from: Date,
    pub until: Option<Date>,
    pub heading: Option<Heading>,
}

/// Where to head for, day by day from `start` on, as stretches: the answer
/// only changes on a day some reached version is released or leaves
/// support, so the whole future is a few stretches, and a page can carry
/// them all and still be the same whatever day it is built.
pub fn stretches<'l>(
    start: Date,
    reached: &[(usize, u32)],
    lifecycle: impl Fn(usize) -> &'l Lifecycle + Copy,
    accept: impl Fn(usize, Date) -> bool + Copy,
) -> Vec<Stretch> {
    let mut days: Vec<Date> = reached
        .iter()
        .flat_map(|(node, _)| lifecycle(*node).events())
        .filter(|day| *day > start)
        .collect();
    days.sort_unstable();
    days.dedup();
    let heading_on = |day: Date| {
        let take = |node| lifecycle(node).in_support(day) && accept(node, day);
        nearest(reached, lifecycle, take).map(|nearest| Heading {
            nearest,
            lts: newest_lts(reached, lifecycle, take).filter(|lts| *lts != nearest),
        })
    };
    let mut result: Vec<Stretch> = Vec::new();
    for from in std::iter::once(start).chain(days) {
        let heading = heading_on(from);
        match result.last_mut() {
            Some(last) if last.heading == heading => {}
            Some(last) => {
                last.until = Some(from);
                result.push(Stretch {
                    from,
                    until: None,
                    heading,
                });
            }
            None => result.push(Stretch {
                from,
                until: None,
                heading,
            }),
        }
    }
    result
}

/// The shortest route from `from` to a version in mainstream support on
/// `on`, chosen as [`nearest`] does: `[from]` alone when `from` is in
/// support itself, `None` when no reachable version is.
pub fn route_to_supported(edges: &Edges, from: usize, on: Date) -> Option<Vec<usize>> {
    let model = edges.model;
    let of = |n: usize| &model.version(n).lifecycle;
    if of(from).in_support(on) {
        return Some(vec![from]);
    }
    let tree = edges.paths_from(from);
    let reached: Vec<(usize, u32)> = (tree.reached().into_iter())
        .filter(|n| *n != from)
        .filter_map(|n| tree.hops(n).map(|h| (n, h)))
        .collect();
    let target = nearest(&reached, of, |n| of(n).in_support(on))?;
    tree.path_to(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap_or_else(|| panic!("{text} is a date"))
    }

    fn lifecycle(released: &str, ends: Option<&str>, extended: Option<&str>) -> Lifecycle {
        Lifecycle {
            released: Some(date(released)),
            support_ends: Some(
                ends.map_or(SupportEnds::NotAnnounced, |e| SupportEnds::On(date(e))),
            ),
            extended_support_ends: extended.map(date),
            ..Lifecycle::default()
        }
    }

    #[test]
    fn nearest_is_fewest_hops_then_longest_support() {
        let lifecycles = [
            lifecycle("2020-01-01", Some("2025-01-01"), None),
            lifecycle("2021-01-01", Some("2026-01-01"), None),
            lifecycle("2022-01-01", Some("2027-01-01"), None),
            lifecycle("2023-01-01", None, None),
        ];
        let of = |n: usize| &lifecycles[n];
        let on = date("2025-06-01");
        let supported = |n: usize| of(n).in_support(on);
        assert_eq!(nearest(&[(1, 1), (2, 1), (3, 2)], of, supported), Some(2));
        assert_eq!(nearest(&[(1, 1), (2, 2), (3, 2)], of, supported), Some(1));
        assert_eq!(nearest(&[(2, 2), (3, 2)], of, supported), Some(3));
        assert_eq!(nearest(&[(0, 1)], of, supported), None);
    }

    #[test]
    fn stretches_change_only_when_the_answer_does() {
        let mut lts = lifecycle("2022-01-01", Some("2027-01-01"), Some("2030-01-01"));
        lts.lts = true;
        let lifecycles = [
            lifecycle("2020-01-01", Some("2025-01-01"), None),
            lifecycle("2021-01-01", Some("2026-01-01"), None),
            lts,
            lifecycle("2024-01-01", Some("2028-01-01"), None),
        ];
        let of = |n: usize| &lifecycles[n];
        let reached = [(1, 1), (2, 1), (3, 1)];
        let found = stretches(date("2024-07-01"), &reached, of, |_, _| true);
        let heading = |nearest, lts| Some(Heading { nearest, lts });
        assert_eq!(
            found,
            vec![
                Stretch {
                    from: date("2024-07-01"),
                    until: Some(date("2027-01-01")),
                    heading: heading(3, Some(2))
                },
                Stretch {
                    from: date("2027-01-01"),
                    until: Some(date("2028-01-01")),
                    heading: heading(3, None)
                },
                Stretch {
                    from: date("2028-01-01"),
                    until: None,
                    heading: None
                },
            ]
        );
    }
}
