//! A version page's routes, said once. From one version, the best routes to
//! every newer one share their stops: they form a tree, usually a line of
//! required stops with a last hop off each. The page lists the stops in
//! order, each with the versions reached straight from it, so that the
//! route to any target is the stops above it and one hop; and it says
//! what each condition changes once, as a change to that tree ("also stop
//! at 15.10 on the way to 15.11–22.11; 1 more issue at 15.10"), not once
//! per target and per combination of conditions. On the largest real shape
//! (130 releases, 25 required stops, 5 conditions) the old table repeated
//! a whole route per target and per combination: 0.9 MB a page.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::Planner;
use super::answers::{Because, TargetAnswer, Trees};
use super::urls::Urls;
use super::version::issue_summary;
use crate::graph::{Edges, Origin, PathIssue, PathTree};
use crate::model::{Facts, NodeId};

/// Past this many targets, a version page opens with the newest release
/// and an index of every target.
const INDEX_FROM: usize = 8;

/// The routes from one version, as its page shows them.
#[derive(Serialize, Default)]
pub struct RouteMap {
    /// The newest reachable version of each product, first on the page.
    pub headlines: Vec<TargetItem>,
    /// Every target, by product, linking to its place below.
    pub index: Vec<IndexGroup>,
    /// Whether the page opens with the headlines and the index: past a
    /// screenful of targets, where the stops alone would be a long read.
    pub index_shown: bool,
    /// The start, then every stop, each with the versions reached straight from it.
    pub stops: Vec<StopView>,
    /// Targets with no route unless a condition holds.
    pub conditional_targets: Vec<TargetItem>,
    /// What each condition (or combination that does not add up) changes.
    pub changes: Vec<TreeChange>,
    /// Conditions declared that change nothing from here, by name.
    pub unchanged_by: Vec<String>,
    /// Whether the page checked that combinations add up (few conditions).
    pub combinations_checked: bool,
}

#[derive(Serialize)]
pub struct IndexGroup {
    pub product: String,
    /// `url` is the target's anchor on the page.
    pub targets: Vec<super::views::Link>,
}

/// The start or a stop of the tree.
#[derive(Serialize)]
pub struct StopView {
    pub anchor: String,
    /// The version's own page.
    pub link: super::views::Link,
    /// 0 for the start.
    pub number: usize,
    /// Hops from the start.
    pub hops: usize,
    /// The stop before it, when that is not the one listed just above.
    pub after: Option<super::views::Link>,
    pub targets: Vec<TargetItem>,
}

/// One target: where its route ends, and what that route carries.
#[derive(Serialize)]
pub struct TargetItem {
    /// `to-PRODUCT-VERSION`, what other pages link to.
    pub anchor: String,
    /// The version's name, short when it is of the page's product.
    pub title: String,
    /// Its product's name.
    pub product: String,
    /// The version's own page.
    pub url: String,
    /// The section of the last hop on this page.
    pub hop: String,
    pub hops: usize,
    pub issue_summary: String,
    pub blocking: usize,
    /// The target's own entry among the stops, when routes go on from it.
    pub stop: Option<String>,
    /// For a target reached only under a condition: which, in words.
    pub only_if: Option<String>,
    /// The path finder, asked about this target.
    pub finder_url: String,
}

/// What a set of conditions changes, as a change to the tree.
#[derive(Serialize)]
pub struct TreeChange {
    /// "If the instance has several web nodes"
    pub condition: String,
    /// A combination: what it changes besides what each of its conditions
    /// changes alone.
    pub besides: bool,
    /// "also stops at 15.10 on the way to 15.11–22.11"
    pub routes: Vec<String>,
    pub issues_added: Vec<ChangedIssue>,
    pub issues_removed: Vec<ChangedIssue>,
}

#[derive(Serialize)]
pub struct ChangedIssue {
    pub title: String,
    pub severity: &'static str,
    pub severity_label: &'static str,
    /// "at 18.3", "on 12.6 → 12.11"
    pub place: String,
}

/// What the routes of one set of facts give, target by target.
struct Routes<'m> {
    routes: HashMap<NodeId, Vec<NodeId>>,
    /// Each target's issues, by identity.
    issues: HashMap<NodeId, BTreeSet<usize>>,
    /// Every issue met, by identity, with where it was first met.
    met: BTreeMap<usize, PathIssue<'m>>,
    /// The hop of each issue met, for its place in words.
    hop_of: HashMap<usize, (NodeId, NodeId)>,
}

fn issue_id(found: &PathIssue) -> usize {
    std::ptr::from_ref(found.issue) as usize
}

fn routes_of<'m>(
    edges: &Edges<'m>,
    tree: &PathTree,
    start: NodeId,
    targets: &[NodeId],
) -> Routes<'m> {
    let mut routes = Routes {
        routes: HashMap::new(),
        issues: HashMap::new(),
        met: BTreeMap::new(),
        hop_of: HashMap::new(),
    };
    let mut reached: Vec<(Vec<NodeId>, NodeId)> = targets
        .iter()
        .filter_map(|&to| Some((tree.path_to(to)?, to)))
        .collect();
    // Nearest first: a route is its parent's and one hop, so a target's
    // issues are its parent's and those of its last hop.
    reached.sort_by_key(|(route, to)| (route.len(), *to));
    routes.issues.insert(start, BTreeSet::new());
    for (route, to) in reached {
        let (from, hop) = (route[route.len() - 2], route.len() - 2);
        let mut ids = match routes.issues.get(&from) {
            Some(ids) => ids.clone(),
            // A parent outside the targets: its route's issues, hop by hop.
            None => {
                let before = &route[..route.len() - 1];
                let mut ids = BTreeSet::new();
                for found in edges.path_issues(before, start) {
                    let id = issue_id(&found);
                    ids.insert(id);
                    routes.met.entry(id).or_insert(found);
                    let pair = (before[found.hop], before[found.hop + 1]);
                    routes.hop_of.entry(id).or_insert(pair);
                }
                ids
            }
        };
        for found in edges
            .hop_issues(from, to, hop)
            .filter(|i| i.issue.applies(&edges.facts, start))
        {
            let id = issue_id(&found);
            ids.insert(id);
            routes.met.entry(id).or_insert(found);
            routes.hop_of.entry(id).or_insert((from, to));
        }
        routes.issues.insert(to, ids);
        routes.routes.insert(to, route);
    }
    routes.issues.remove(&start);
    routes
}

/// The stops a route goes through: all but its two ends.
fn between(route: &[NodeId]) -> BTreeSet<NodeId> {
    route
        .get(1..route.len().saturating_sub(1))
        .unwrap_or_default()
        .iter()
        .copied()
        .collect()
}

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
    /// The page's routes from `start` to each of `targets`, as a tree.
    pub(super) fn route_map(
        &self,
        page: &str,
        start: NodeId,
        trees: &Trees,
        targets: &[NodeId],
        whole: &[TargetAnswer],
        hop_numbers: &super::version::HopNumbers,
    ) -> RouteMap {
        let analysis = &self.analysis;
        let default = routes_of(&analysis.default, &trees.default, start, targets);
        let hop_anchor = |pair: (NodeId, NodeId)| {
            let number = hop_numbers.get(&pair).copied().unwrap_or(0);
            format!("#hop-{}", number + 1)
        };
        let mut children: BTreeMap<NodeId, Vec<NodeId>> = BTreeMap::new();
        for (to, route) in &default.routes {
            if let [.., parent, _] = route[..] {
                children.entry(parent).or_default().push(*to);
            }
        }
        let is_stop = |node: NodeId| children.contains_key(&node);
        let item = |to: NodeId, routes: &Routes, facts: Option<&Facts>| {
            let route = &routes.routes[&to];
            let ids = &routes.issues[&to];
            let issues: Vec<PathIssue> = ids.iter().map(|id| routes.met[id]).collect();
            TargetItem {
                anchor: Urls::answer_anchor(self.model, to),
                title: self.short_name(start, to),
                product: self.model.product_of(to).name.clone(),
                url: self.urls.relative(page, &Urls::version(self.model, to)),
                hop: hop_anchor((route[route.len() - 2], to)),
                hops: route.len() - 1,
                issue_summary: issue_summary(&issues),
                blocking: crate::graph::count_blocking(&issues),
                stop: (facts.is_none() && is_stop(to)).then(|| stop_anchor(self, to)),
                only_if: facts.map(|f| {
                    format!(
                        "Only if {}",
                        self.clauses(&f.0.iter().copied().collect::<Vec<_>>(), " and ")
                    )
                }),
                finder_url: self.finder(
                    page,
                    start,
                    to,
                    facts.map(|f| Because::Facts(f.clone())).as_ref(),
                ),
            }
        };
        // Stops in the order of a walk down the tree, so that each one's
        // route is the stops above it; targets by version.
        let mut stops = Vec::new();
        let mut pending = vec![(start, None::<NodeId>)];
        while let Some((node, parent)) = pending.pop() {
            let mut reached = children.get(&node).cloned().unwrap_or_default();
            reached.sort_unstable();
            let previous_listed = stops
                .last()
                .map(|s: &(NodeId, Option<NodeId>, Vec<NodeId>)| s.0);
            stops.push((
                node,
                parent.filter(|p| Some(*p) != previous_listed),
                reached.clone(),
            ));
            for child in reached.iter().rev().filter(|c| is_stop(**c)) {
                pending.push((*child, Some(node)));
            }
        }
        let stops: Vec<StopView> = stops
            .into_iter()
            .enumerate()
            .map(|(number, (node, after, reached))| StopView {
                anchor: stop_anchor(self, node),
                link: super::views::Link {
                    title: self.short_name(start, node),
                    url: self.urls.relative(page, &Urls::version(self.model, node)),
                },
                number,
                hops: default.routes.get(&node).map_or(0, |r| r.len() - 1),
                after: after.map(|p| super::views::Link {
                    title: self.short_name(start, p),
                    url: format!("#{}", stop_anchor(self, p)),
                }),
                targets: reached
                    .into_iter()
                    .map(|to| item(to, &default, None))
                    .collect(),
            })
            .collect();

        let variants: Vec<(&Facts, Routes)> = analysis
            .variants
            .iter()
            .zip(&trees.variants)
            .map(|(edges, tree)| (&edges.facts, routes_of(edges, tree, start, targets)))
            .collect();
        let mut conditional_targets = Vec::new();
        for &to in targets.iter().filter(|to| !default.routes.contains_key(to)) {
            if let Some((facts, routes)) = variants.iter().find(|(_, r)| r.routes.contains_key(&to))
            {
                conditional_targets.push(item(to, routes, Some(facts)));
            }
        }
        let differences: Vec<Difference> = variants
            .iter()
            .map(|(_, routes)| difference(&default, routes, targets))
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
        let mut met: HashMap<usize, (PathIssue, (NodeId, NodeId))> = HashMap::new();
        for routes in std::iter::once(&default).chain(variants.iter().map(|(_, r)| r)) {
            for (id, found) in &routes.met {
                met.entry(*id).or_insert((*found, routes.hop_of[id]));
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
        changes.extend(self.originally_changes(start, whole));
        let mut index: Vec<IndexGroup> = Vec::new();
        for &to in targets {
            let product = &self.model.product_of(to).name;
            let link = super::views::Link {
                title: self.model.version(to).name.clone(),
                url: format!("#{}", Urls::answer_anchor(self.model, to)),
            };
            match index.last_mut() {
                Some(group) if group.product == *product => group.targets.push(link),
                _ => index.push(IndexGroup {
                    product: product.clone(),
                    targets: vec![link],
                }),
            }
        }
        let headlines = super::version::newest_per_product(self.model, &{
            let mut reached: Vec<NodeId> = default.routes.keys().copied().collect();
            reached.sort_unstable();
            reached
        })
        .into_iter()
        .map(|to| item(to, &default, None))
        .collect();
        RouteMap {
            headlines,
            index_shown: targets.len() > INDEX_FROM,
            index,
            stops,
            conditional_targets,
            changes,
            unchanged_by,
            combinations_checked: analysis.every_combination,
        }
    }

    /// A version's name as this page says it: short when it is of the
    /// page's product, with the product's name otherwise.
    fn short_name(&self, page_version: NodeId, node: NodeId) -> String {
        let model = self.model;
        if model.nodes[node].product == model.nodes[page_version].product {
            model.version(node).name.clone()
        } else {
            model.node_title(node)
        }
    }

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
            .join(", ")
    }

    fn names(&self, start: NodeId, nodes: &BTreeSet<NodeId>) -> String {
        let names: Vec<String> = nodes.iter().map(|n| self.short_name(start, *n)).collect();
        match names.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        }
    }

    fn tree_change(
        &self,
        start: NodeId,
        facts: &Facts,
        words: Words,
        met: &HashMap<usize, (PathIssue, (NodeId, NodeId))>,
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
            let mut what = Vec::new();
            if !also.is_empty() {
                what.push(format!("also stop at {}", self.names(start, also)));
            }
            if !skip.is_empty() {
                what.push(format!("skip {}", self.names(start, skip)));
            }
            sentences.push(format!(
                "{} on the way to {}",
                what.join(" and "),
                self.runs(start, &targets)
            ));
        }
        if !words.gained.is_empty() {
            sentences.push(format!(
                "can also reach {}",
                self.runs(start, &words.gained)
            ));
        }
        if !words.lost.is_empty() {
            sentences.push(format!(
                "no supported route to {}",
                self.runs(start, &words.lost)
            ));
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
                .map(|(found, hop)| ChangedIssue {
                    title: found.issue.title.clone(),
                    severity: found.issue.severity.word(),
                    severity_label: found.issue.severity.label(),
                    place: match found.origin {
                        Origin::Version(v) => format!("at {}", self.short_name(start, v)),
                        Origin::Scenario(_) => format!(
                            "on {} → {}",
                            self.short_name(start, hop.0),
                            self.short_name(start, hop.1)
                        ),
                    },
                })
                .collect()
        };
        TreeChange {
            condition: format!("If {}", self.clauses(&ids, " and ")),
            besides: facts.0.len() > 1,
            routes: sentences,
            issues_added: changed(&words.more),
            issues_removed: changed(&words.fewer),
        }
    }
}

impl Planner<'_> {
    /// The issues that also apply to a server first installed as another
    /// version (an issue's `applies_if.originally`), once for the page,
    /// grouped by the versions they name.
    fn originally_changes(&self, start: NodeId, whole: &[TargetAnswer]) -> Vec<TreeChange> {
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
                        issues.push(ChangedIssue {
                            title: found.issue.title.clone(),
                            severity: found.issue.severity.word(),
                            severity_label: found.issue.severity.label(),
                            place: match found.origin {
                                Origin::Version(v) => format!("at {}", self.short_name(start, v)),
                                Origin::Scenario(_) => format!(
                                    "on {} → {}",
                                    self.short_name(start, hop.from),
                                    self.short_name(start, hop.to)
                                ),
                            },
                        });
                    }
                }
            }
        }
        groups
            .into_iter()
            .map(|(versions, mut issues, _)| {
                issues.sort_by_key(ChangedIssue::severity_rank);
                TreeChange {
                    condition: format!(
                        "If the server was originally {}",
                        self.describe_nodes(versions)
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

impl ChangedIssue {
    fn severity_rank(&self) -> u8 {
        match self.severity {
            "blocking" => 0,
            "warning" => 1,
            _ => 2,
        }
    }
}

/// `stop-PRODUCT-VERSION`: a stop's entry on the page.
fn stop_anchor(planner: &Planner, node: NodeId) -> String {
    let anchor = Urls::answer_anchor(planner.model, node);
    format!("stop-{}", anchor.trim_start_matches("to-"))
}
