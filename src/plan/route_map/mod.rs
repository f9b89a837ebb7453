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

mod changes;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::Planner;
use super::answers::{Because, TargetAnswer, Trees};
use super::urls::Urls;
use super::version::issue_summary;
use crate::graph::{Edges, PathIssue, PathTree};
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
    /// The route as a runbook to follow, in the path finder.
    pub runbook_url: String,
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
    pub severity_label: String,
    /// "at 18.3", "on 12.6 → 12.11"
    pub place: String,
}

/// What the routes of one set of facts give, target by target.
struct Routes<'m> {
    routes: HashMap<NodeId, Vec<NodeId>>,
    /// Each target's issues, by identity.
    issues: HashMap<NodeId, BTreeSet<usize>>,
    /// Every issue met, by identity, with the hop it was first met on
    /// (for its place in words).
    met: BTreeMap<usize, Met<'m>>,
}

/// An issue met on a route, and the hop it is met on.
type Met<'m> = (PathIssue<'m>, (NodeId, NodeId));

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
        // Every stop of a route is reached, so among the targets (or the
        // start), and nearer: its issues are known by now.
        let mut ids = routes.issues.get(&from).cloned().unwrap_or_default();
        for found in edges
            .hop_issues(from, to, hop)
            .filter(|i| i.issue.applies(&edges.facts, start))
        {
            let id = issue_id(&found);
            ids.insert(id);
            routes.met.entry(id).or_insert((found, (from, to)));
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
            let issues: Vec<PathIssue> = ids.iter().map(|id| routes.met[id].0).collect();
            TargetItem {
                anchor: Urls::answer_anchor(self.model, to),
                title: self.short_name(start, to),
                product: self.model.product_of(to).name.clone(),
                url: self.urls.relative(page, &Urls::version(self.model, to)),
                hop: hop_anchor((route[route.len() - 2], to)),
                hops: route.len() - 1,
                issue_summary: issue_summary(self.messages(), &issues),
                blocking: crate::graph::count_blocking(&issues),
                stop: (facts.is_none() && is_stop(to))
                    .then(|| Urls::node_anchor(self.model, "stop", to)),
                only_if: facts.map(|f| {
                    let ids: Vec<_> = f.0.iter().copied().collect();
                    self.words(
                        "only-if-bare",
                        &[("when", self.clauses(&ids, "and").into())],
                    )
                }),
                finder_url: self.finder(
                    page,
                    start,
                    to,
                    facts.map(|f| Because::Facts(f.clone())).as_ref(),
                ),
                runbook_url: self.runbook_link(page, start, to, facts),
            }
        };
        let stops = walk_stops(start, &children);
        let stops: Vec<StopView> = stops
            .into_iter()
            .enumerate()
            .map(|(number, (node, after, reached))| StopView {
                anchor: Urls::node_anchor(self.model, "stop", node),
                link: self.short_link(page, start, node),
                number,
                hops: default.routes.get(&node).map_or(0, |r| r.len() - 1),
                after: after.map(|p| super::views::Link {
                    title: self.short_name(start, p),
                    url: format!("#{}", Urls::node_anchor(self.model, "stop", p)),
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
        let (mut changes, unchanged_by) = self.tree_changes(start, targets, &default, &variants);
        changes.extend(self.originally_changes(start, whole));
        let index = self.index_of(targets);
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

    /// Every target by product, each linking to its entry on the page.
    fn index_of(&self, targets: &[NodeId]) -> Vec<IndexGroup> {
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
        index
    }

    /// A link to a version's page, named as the page of `page_version`
    /// names it ([`Planner::short_name`]).
    pub(super) fn short_link(
        &self,
        page: &str,
        page_version: NodeId,
        node: NodeId,
    ) -> super::views::Link {
        let title = self.short_name(page_version, node);
        self.link(page, title, &Urls::version(self.model, node))
    }

    /// A version's name as this page says it: short when it is of the
    /// page's product, with the product's name otherwise.
    pub(super) fn short_name(&self, page_version: NodeId, node: NodeId) -> String {
        let model = self.model;
        if model.nodes[node].product == model.nodes[page_version].product {
            model.version(node).name.clone()
        } else {
            model.node_title(node)
        }
    }
}

/// The start and every stop, in the order of a walk down the tree, so that
/// each one's route is the stops above it, each with the stop before it
/// when that is not the one listed just above, and the versions reached
/// straight from it, by version.
fn walk_stops(
    start: NodeId,
    children: &BTreeMap<NodeId, Vec<NodeId>>,
) -> Vec<(NodeId, Option<NodeId>, Vec<NodeId>)> {
    let mut stops: Vec<(NodeId, Option<NodeId>, Vec<NodeId>)> = Vec::new();
    let mut pending = vec![(start, None::<NodeId>)];
    while let Some((node, parent)) = pending.pop() {
        let mut reached = children.get(&node).cloned().unwrap_or_default();
        reached.sort_unstable();
        let previous_listed = stops.last().map(|s| s.0);
        let after = parent.filter(|p| Some(*p) != previous_listed);
        for child in reached.iter().rev().filter(|c| children.contains_key(c)) {
            pending.push((*child, Some(node)));
        }
        stops.push((node, after, reached));
    }
    stops
}
