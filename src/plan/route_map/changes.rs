//! What a set of conditions changes on a version page, said as a change to
//! the tree of stops: compared with the default routes target by target,
//! and for a combination with what its conditions change alone.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{ChangedIssue, Met, Routes, TreeChange, between, issue_id};
use crate::graph::{Origin, PathIssue};
use crate::model::{Facts, NodeId};
use crate::plan::Planner;
use crate::plan::answers::{Because, TargetAnswer};

/// How one set of facts differs from the default, target by target.
#[derive(PartialEq, Eq, Clone, Default)]
struct Difference {
    gained: BTreeSet<NodeId>,
    lost: BTreeSet<NodeId>,
    /// Target -> (stops added, stops dropped).
    stops: BTreeMap<NodeId, (BTreeSet<NodeId>, BTreeSet<NodeId>)>,
    /// Target -> (issues added, issues removed).
    issues: BTreeMap<NodeId, (BTreeSet<usize>, BTreeSet<usize>)>,
}

fn difference(default: &Routes, other: &Routes, targets: &[NodeId]) -> Difference {
    let mut found = Difference::default();
    for &to in targets {
        match (default.routes.get(&to), other.routes.get(&to)) {
            (None, Some(_)) => drop(found.gained.insert(to)),
            (Some(_), None) => drop(found.lost.insert(to)),
            (Some(before), Some(after)) => {
                let (was, now) = (between(before), between(after));
                let added: BTreeSet<NodeId> = now.difference(&was).copied().collect();
                let dropped: BTreeSet<NodeId> = was.difference(&now).copied().collect();
                if !added.is_empty() || !dropped.is_empty() {
                    found.stops.insert(to, (added, dropped));
                }
                let (was, now) = (&default.issues[&to], &other.issues[&to]);
                let added: BTreeSet<usize> = now.difference(was).copied().collect();
                let removed: BTreeSet<usize> = was.difference(now).copied().collect();
                if !added.is_empty() || !removed.is_empty() {
                    found.issues.insert(to, (added, removed));
                }
            }
            (None, None) => {}
        }
    }
    found
}

/// The differences of single conditions, put together: what a set of
/// them would change if their changes added up.
fn sum_of(parts: &[&Difference]) -> Difference {
    let mut sum = Difference::default();
    for part in parts {
        sum.gained.extend(&part.gained);
        sum.lost.extend(&part.lost);
        for (to, (added, dropped)) in &part.stops {
            let entry = sum.stops.entry(*to).or_default();
            entry.0.extend(added);
            entry.1.extend(dropped);
        }
        for (to, (added, removed)) in &part.issues {
            let entry = sum.issues.entry(*to).or_default();
            entry.0.extend(added);
            entry.1.extend(removed);
        }
    }
    sum
}

/// What a page says a set of conditions changes: stops added and skipped
/// per target, targets gained and lost, issues more and fewer.
#[derive(Default)]
struct Words {
    stops: BTreeMap<NodeId, (BTreeSet<NodeId>, BTreeSet<NodeId>)>,
    gained: BTreeSet<NodeId>,
    lost: BTreeSet<NodeId>,
    more: BTreeSet<usize>,
    fewer: BTreeSet<usize>,
}

fn minus<T: Ord + Copy>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> BTreeSet<T> {
    a.difference(b).copied().collect()
}

fn union<T: Ord + Copy>(a: BTreeSet<T>, b: BTreeSet<T>) -> BTreeSet<T> {
    a.union(&b).copied().collect()
}

/// The issues a difference adds and removes, over all targets.
fn issues_of(diff: &Difference) -> (BTreeSet<usize>, BTreeSet<usize>) {
    let mut added = BTreeSet::new();
    let mut removed = BTreeSet::new();
    for (a, r) in diff.issues.values() {
        added.extend(a);
        removed.extend(r);
    }
    (added, removed)
}

/// What `actual` changes beyond `expected` (the default, or the sum of
/// single conditions), in the page's terms.
fn beyond(expected: &Difference, actual: &Difference) -> Words {
    let none = (BTreeSet::new(), BTreeSet::new());
    let mut stops = BTreeMap::new();
    let targets: BTreeSet<NodeId> = expected
        .stops
        .keys()
        .chain(actual.stops.keys())
        .copied()
        .collect();
    for to in targets {
        let (want_added, want_dropped) = expected.stops.get(&to).unwrap_or(&none);
        let (added, dropped) = actual.stops.get(&to).unwrap_or(&none);
        let also = union(minus(added, want_added), minus(want_dropped, dropped));
        let skip = union(minus(want_added, added), minus(dropped, want_dropped));
        if !also.is_empty() || !skip.is_empty() {
            stops.insert(to, (also, skip));
        }
    }
    let (want_more, want_fewer) = issues_of(expected);
    let (more, fewer) = issues_of(actual);
    Words {
        stops,
        gained: union(
            minus(&actual.gained, &expected.gained),
            minus(&expected.lost, &actual.lost),
        ),
        lost: union(
            minus(&expected.gained, &actual.gained),
            minus(&actual.lost, &expected.lost),
        ),
        more: union(minus(&more, &want_more), minus(&want_fewer, &fewer)),
        fewer: union(minus(&want_more, &more), minus(&fewer, &want_fewer)),
    }
}

impl Planner<'_> {
    /// "15.11–16.0, 16.3–22.11": versions in runs.
    fn runs(&self, start: NodeId, nodes: &BTreeSet<NodeId>) -> String {
        let model = self.model;
        let mut runs: Vec<(NodeId, NodeId)> = Vec::new();
        for &node in nodes {
            match runs.last_mut() {
                Some((_, last))
                    if model.nodes[*last].product == model.nodes[node].product
                        && model.nodes[*last].version + 1 == model.nodes[node].version =>
                {
                    *last = node
                }
                _ => runs.push((node, node)),
            }
        }
        runs.iter()
            .map(|&(first, last)| {
                if first == last {
                    self.short_name(start, first)
                } else {
                    format!(
                        "{}–{}",
                        self.short_name(start, first),
                        model.version(last).name
                    )
                }
            })
            .collect::<Vec<_>>()
            .join(&self.words("list-separator", &[]))
    }

    fn names(&self, start: NodeId, nodes: &BTreeSet<NodeId>) -> String {
        let names: Vec<String> = nodes.iter().map(|n| self.short_name(start, *n)).collect();
        match names.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => self.words(
                "list-and",
                &[
                    (
                        "items",
                        rest.join(&self.words("list-separator", &[])).into(),
                    ),
                    ("last", last.as_str().into()),
                ],
            ),
        }
    }

    fn tree_change(
        &self,
        start: NodeId,
        facts: &Facts,
        words: Words,
        met: &HashMap<usize, Met>,
    ) -> TreeChange {
        let ids: Vec<_> = facts.0.iter().copied().collect();
        let mut sentences = Vec::new();
        // Targets whose route changes the same way, together.
        let mut by_change: BTreeMap<&(BTreeSet<NodeId>, BTreeSet<NodeId>), BTreeSet<NodeId>> =
            BTreeMap::new();
        for (to, change) in &words.stops {
            by_change.entry(change).or_default().insert(*to);
        }
        for ((also, skip), targets) in by_change {
            let targets = self.runs(start, &targets);
            let also = self.names(start, also);
            let skip = self.names(start, skip);
            let key = match (also.is_empty(), skip.is_empty()) {
                (false, true) => "change-also-stop",
                (true, false) => "change-skip",
                _ => "change-also-stop-and-skip",
            };
            sentences.push(self.words(
                key,
                &[
                    ("also", also.into()),
                    ("skip", skip.into()),
                    ("targets", targets.into()),
                ],
            ));
        }
        if !words.gained.is_empty() {
            let targets = self.runs(start, &words.gained);
            sentences.push(self.words("change-can-reach", &[("targets", targets.into())]));
        }
        if !words.lost.is_empty() {
            let targets = self.runs(start, &words.lost);
            sentences.push(self.words("change-no-route", &[("targets", targets.into())]));
        }
        let changed = |ids: &BTreeSet<usize>| -> Vec<ChangedIssue> {
            let mut issues: Vec<&(PathIssue, (NodeId, NodeId))> =
                ids.iter().filter_map(|id| met.get(id)).collect();
            // Identities are addresses: the order must come from the issues.
            issues.sort_by(|(a, a_hop), (b, b_hop)| {
                (a.issue.severity, a_hop, &a.issue.title).cmp(&(
                    b.issue.severity,
                    b_hop,
                    &b.issue.title,
                ))
            });
            issues
                .into_iter()
                .map(|(found, hop)| self.changed_issue(start, found, *hop))
                .collect()
        };
        TreeChange {
            condition: self.words("if-facts", &[("when", self.clauses(&ids, "and").into())]),
            besides: facts.0.len() > 1,
            routes: sentences,
            issues_added: changed(&words.more),
            issues_removed: changed(&words.fewer),
        }
    }
}

impl<'m> Planner<'m> {
    /// What each set of facts changes, as a change to the tree: each single
    /// condition that changes anything, and each combination whose changes
    /// do not add up; with the names of the conditions that change nothing.
    pub(super) fn tree_changes(
        &self,
        start: NodeId,
        targets: &[NodeId],
        default: &Routes<'m>,
        variants: &[(&Facts, Routes<'m>)],
    ) -> (Vec<TreeChange>, Vec<String>) {
        let differences: Vec<Difference> = variants
            .iter()
            .map(|(_, routes)| difference(default, routes, targets))
            .collect();
        let of = |facts: &BTreeSet<usize>| {
            if facts.is_empty() {
                return None;
            }
            variants
                .iter()
                .position(|(f, _)| f.0 == *facts)
                .map(|i| &differences[i])
        };
        let single = |c: usize| of(&[c].into_iter().collect());
        // Every issue met under any set of facts, for its words.
        let mut met: HashMap<usize, Met> = HashMap::new();
        for routes in std::iter::once(default).chain(variants.iter().map(|(_, r)| r)) {
            for (id, found) in &routes.met {
                met.entry(*id).or_insert(*found);
            }
        }
        let mut changes = Vec::new();
        let mut unchanged_by = Vec::new();
        let none = Difference::default();
        for ((facts, routes), diff) in variants.iter().zip(&differences) {
            let words = if facts.0.len() == 1 {
                if *diff == none {
                    let c = *facts.0.iter().next().unwrap_or(&0);
                    unchanged_by.push(self.model.site.conditions[c].name.clone());
                    continue;
                }
                let mut words = beyond(&none, diff);
                for to in &diff.gained {
                    words.more.extend(&routes.issues[to]);
                }
                words
            } else {
                // Said already when it is what one fewer condition changes
                // (said above, or itself made up so) plus what the last one
                // changes alone.
                let made_up = facts.0.iter().any(|c| {
                    let mut rest = facts.0.clone();
                    rest.remove(c);
                    matches!((of(&rest), single(*c)), (Some(a), Some(b)) if sum_of(&[a, b]) == *diff)
                });
                let parts: Option<Vec<&Difference>> = facts.0.iter().map(|c| single(*c)).collect();
                let Some(parts) = parts else { continue };
                if made_up {
                    continue;
                }
                beyond(&sum_of(&parts), diff)
            };
            changes.push(self.tree_change(start, facts, words, &met));
        }
        (changes, unchanged_by)
    }
}

impl Planner<'_> {
    /// The issues that also apply to a server first installed as another
    /// version (an issue's `applies_if.originally`), once for the page,
    /// grouped by the versions they name.
    pub(super) fn originally_changes(
        &self,
        start: NodeId,
        whole: &[TargetAnswer],
    ) -> Vec<TreeChange> {
        let mut groups: Vec<(&[NodeId], Vec<ChangedIssue>, BTreeSet<usize>)> = Vec::new();
        for target in whole {
            let Some(default) = &target.default else {
                continue;
            };
            for change in &target.changes {
                let Because::Originally(versions) = change.because else {
                    continue;
                };
                let at = match groups.iter().position(|(v, _, _)| *v == versions) {
                    Some(at) => at,
                    None => {
                        groups.push((versions, Vec::new(), BTreeSet::new()));
                        groups.len() - 1
                    }
                };
                let (_, issues, seen) = &mut groups[at];
                for found in &change.added {
                    if seen.insert(issue_id(found)) {
                        let hop = &default.hops[found.hop];
                        issues.push(self.changed_issue(start, found, (hop.from, hop.to)));
                    }
                }
            }
        }
        groups
            .into_iter()
            .map(|(versions, mut issues, _)| {
                issues.sort_by_key(ChangedIssue::severity_rank);
                TreeChange {
                    condition: self.words(
                        "if-originally",
                        &[("versions", self.describe_nodes(versions).into())],
                    ),
                    besides: false,
                    routes: Vec::new(),
                    issues_added: issues,
                    issues_removed: Vec::new(),
                }
            })
            .collect()
    }
}

impl Planner<'_> {
    /// An issue a change brings or takes away, with where it is met: at a
    /// version (its own issue), or on a hop (its scenario's).
    fn changed_issue(
        &self,
        start: NodeId,
        found: &PathIssue,
        hop: (NodeId, NodeId),
    ) -> ChangedIssue {
        ChangedIssue {
            title: found.issue.title.clone(),
            severity: found.issue.severity.word(),
            severity_label: self.severity_label(found.issue.severity),
            place: match found.origin {
                Origin::Version(v) => {
                    let version = self.short_name(start, v);
                    self.words("issue-met-at", &[("version", version.into())])
                }
                Origin::Scenario(_) => {
                    let from = self.short_name(start, hop.0);
                    let to = self.short_name(start, hop.1);
                    self.words("issue-met-on", &[("from", from.into()), ("to", to.into())])
                }
            },
        }
    }
}

impl ChangedIssue {
    fn severity_rank(&self) -> u8 {
        match self.severity {
            "blocking" => 0,
            "warning" => 1,
            _ => 2,
        }
    }
}
