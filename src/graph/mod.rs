//! Stage 3, graph: the checked model -> upgrade edges, paths and their issues.
//!
//! Edges depend on the facts (conditions) that hold, so [`UpgradeGraph`]
//! keeps what does not (which scenarios cover which pair) and
//! [`UpgradeGraph::edges`] builds the edge set for one set of facts. Paths come
//! from one breadth-first search per source ([`Edges::paths_from`]) that
//! answers every target at once, with the spec's tie-break built into the
//! order in which each layer is visited.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::model::*;

/// Supported scenarios per (from, to) pair, in scenario id order.
type Covering = HashMap<(NodeId, NodeId), Vec<usize>>;

pub struct UpgradeGraph<'m> {
    pub model: &'m Model,
    covering: Arc<Covering>,
}

/// The edges that exist for one set of facts; successors sorted best first.
pub struct Edges<'m> {
    pub model: &'m Model,
    covering: Arc<Covering>,
    pub facts: Facts,
    successors: Vec<Vec<NodeId>>,
    predecessors: Vec<Vec<NodeId>>,
}

/// The best path from one source to every node it reaches, as a tree of
/// parents. Only reached nodes are stored, so that a search costs what it
/// visits, not the size of the whole knowledge base.
pub struct PathTree {
    pub source: NodeId,
    /// Reached node -> (its parent on the best path, hops from the source).
    reached: HashMap<NodeId, (Option<NodeId>, u32)>,
}

/// An issue met on a path, with where it came from.
#[derive(Debug, Clone, Copy)]
pub struct PathIssue<'m> {
    pub issue: &'m Issue,
    pub origin: Origin,
    /// The hop (index into the path's hops) it belongs to.
    pub hop: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Scenario(usize),
    Version(NodeId),
}

/// Whether two conditions can never hold at once: one needs a fact the
/// other rules out.
fn excludes(a: &crate::model::Condition, b: &crate::model::Condition) -> bool {
    a.when.iter().any(|c| b.unless.contains(c)) || b.when.iter().any(|c| a.unless.contains(c))
}

impl<'m> UpgradeGraph<'m> {
    pub fn new(model: &'m Model) -> Self {
        let mut covering: HashMap<(NodeId, NodeId), Vec<usize>> = HashMap::new();
        for (index, scenario) in model.scenarios.iter().enumerate() {
            if scenario.supported {
                for pair in pairs(scenario) {
                    covering.entry(pair).or_default().push(index);
                }
            }
        }
        UpgradeGraph {
            model,
            covering: Arc::new(covering),
        }
    }

    /// The edges when exactly `facts` hold.
    pub fn edges(&self, facts: &Facts) -> Edges<'m> {
        let model = self.model;
        let mut successors: Vec<Vec<NodeId>> = vec![Vec::new(); model.nodes.len()];
        for product in &model.products {
            for (from, to) in rule_edges(product, facts) {
                successors[product.versions[from].node].push(product.versions[to].node);
            }
        }
        let refused: HashSet<(NodeId, NodeId)> = model
            .scenarios
            .iter()
            .filter(|s| !s.supported && s.condition.holds(facts))
            .flat_map(|s| pairs(s))
            .collect();
        if !refused.is_empty() {
            for (from, list) in successors.iter_mut().enumerate() {
                list.retain(|to| !refused.contains(&(from, *to)));
            }
        }
        for scenario in model
            .scenarios
            .iter()
            .filter(|s| s.supported && s.condition.holds(facts))
        {
            for (from, to) in pairs(scenario) {
                successors[from].push(to);
            }
        }
        for list in &mut successors {
            list.sort_by_key(|node| stop_rank(model, *node));
            list.dedup();
        }
        let mut predecessors: Vec<Vec<NodeId>> = vec![Vec::new(); model.nodes.len()];
        for (from, list) in successors.iter().enumerate() {
            for &to in list {
                predecessors[to].push(from);
            }
        }
        Edges {
            model,
            covering: Arc::clone(&self.covering),
            facts: facts.clone(),
            successors,
            predecessors,
        }
    }

    /// Problems with the edges themselves: supported upgrades that go back in
    /// time, scenarios that contradict each other, `via` routes that are not
    /// paths. `via` is only checked when `complete` (no scenario was dropped
    /// for other errors), since a missing scenario would make routes look broken.
    pub fn check(&self, complete: bool) -> Vec<Diagnostic> {
        let mut problems = self.backwards();
        problems.extend(self.contradictions());
        problems.extend(self.skips());
        if complete {
            problems.extend(self.routes());
        } else if let Some(first) = self.model.scenarios.iter().find(|s| !s.via.is_empty()) {
            let at = first
                .spans
                .via
                .clone()
                .unwrap_or_else(|| first.spans.from.clone());
            problems.push(
                Diagnostic::warning(at, "`via` routes are checked once the other errors are fixed")
                    .with_hint("a scenario with errors of its own could add or remove the upgrades a route takes"),
            );
        }
        problems
    }

    fn backwards(&self) -> Vec<Diagnostic> {
        let model = self.model;
        let mut problems = Vec::new();
        for scenario in model.scenarios.iter().filter(|s| s.supported) {
            let backwards = pairs(scenario).find(|(from, to)| {
                let (a, b) = (model.nodes[*from], model.nodes[*to]);
                a.product == b.product && b.version <= a.version
            });
            if let Some((from, to)) = backwards {
                problems.push(
                    Diagnostic::error(
                        scenario.spans.to.clone(),
                        format!(
                            "scenario `{}` supports {} -> {}, which is not a newer version",
                            scenario.id,
                            model.node_ref(from),
                            model.node_ref(to)
                        ),
                    )
                    .with_hint("inside one product a supported upgrade must go to a newer version; to document that a downgrade is impossible, say `direct: unsupported`"),
                );
            }
        }
        problems
    }

    /// Supported scenarios that add an upgrade inside one product over a
    /// version where the product's `sequential` rule stops: most often a
    /// selector that spans several versions to give some of them an issue.
    fn skips(&self) -> Vec<Diagnostic> {
        let model = self.model;
        let mut problems = Vec::new();
        // The versions where a sequential rule of `product` stops, in order,
        // of the rules that can hold together with `condition`: a rule for
        // clustered servers says nothing of a scenario for the others.
        let sequential_stops = |product: usize, condition: &crate::model::Condition| {
            let mut stops: Vec<usize> = (model.products[product].rules.iter())
                .filter(|r| r.policy == Policy::Sequential && !excludes(&r.condition, condition))
                .flat_map(|r| r.members.iter().copied())
                .collect();
            stops.sort_unstable();
            stops.dedup();
            stops
        };
        for scenario in model.scenarios.iter().filter(|s| s.supported) {
            let mut targets: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
            for &to in &scenario.to {
                let n = model.nodes[to];
                targets.entry(n.product).or_default().push(n.version);
            }
            let skip = scenario.from.iter().find_map(|&from| {
                let a = model.nodes[from];
                let product = &model.products[a.product];
                let stops = &sequential_stops(a.product, &scenario.condition);
                let next = stops.partition_point(|m| *m <= a.version);
                targets.get(&a.product)?.iter().find_map(|&b| {
                    let stop = stops.get(next).filter(|m| **m < b)?;
                    Some((from, product.versions[b].node, product.versions[*stop].node))
                })
            });
            if let Some((from, to, stop)) = skip {
                problems.push(
                    Diagnostic::warning(
                        scenario.spans.to.clone(),
                        format!(
                            "scenario `{}` supports {} -> {} directly, skipping {}, where the product's sequential upgrades stop",
                            scenario.id,
                            model.node_ref(from),
                            model.node_ref(to),
                            model.node_ref(stop)
                        ),
                    )
                    .with_hint("if the skip is not meant, narrow `from` and `to` to one hop; to give some hops an issue under a condition, put `when:` on the issue instead"),
                );
            }
        }
        problems
    }

    fn contradictions(&self) -> Vec<Diagnostic> {
        let model = self.model;
        let mut problems = Vec::new();
        for refusing in model.scenarios.iter().filter(|s| !s.supported) {
            // One report per pair of scenarios, naming the first pair of versions.
            let mut clashes: BTreeMap<usize, (NodeId, NodeId)> = BTreeMap::new();
            for pair in pairs(refusing) {
                for &other in self.covering.get(&pair).into_iter().flatten() {
                    if model.scenarios[other]
                        .condition
                        .compatible(&refusing.condition)
                    {
                        clashes.entry(other).or_insert(pair);
                    }
                }
            }
            for (other, (from, to)) in clashes {
                let supporting = &model.scenarios[other];
                let upgrade = format!("{} -> {}", model.node_ref(from), model.node_ref(to));
                let hint = "keep one of them, or give them conditions that cannot hold together (`when: x` on one, `unless: x` on the other)";
                // One problem, shown at both places.
                problems.push(
                    Diagnostic::error(
                        refusing.spans.direct.clone(),
                        format!("this scenario says {upgrade} is unsupported, but {} says it is supported", supporting.file.display()),
                    )
                    .with_hint(hint)
                    .with_note(
                        supporting.spans.direct.clone(),
                        format!("this scenario says {upgrade} is supported"),
                    ),
                );
            }
        }
        problems
    }

    fn routes(&self) -> Vec<Diagnostic> {
        let model = self.model;
        let mut problems = Vec::new();
        let mut cache: BTreeMap<Facts, Edges> = BTreeMap::new();
        for scenario in model.scenarios.iter().filter(|s| !s.via.is_empty()) {
            let facts = Facts(scenario.condition.when.iter().copied().collect());
            let edges = cache
                .entry(facts.clone())
                .or_insert_with(|| self.edges(&facts));
            let broken = broken_hops(edges, scenario);
            let at = scenario
                .spans
                .via
                .clone()
                .unwrap_or_else(|| scenario.spans.from.clone());
            for (a, b) in broken {
                let under = if facts.0.is_empty() {
                    String::new()
                } else {
                    let names: Vec<&str> = facts
                        .0
                        .iter()
                        .map(|c| model.site.conditions[*c].name.as_str())
                        .collect();
                    format!(" when {} hold", names.join(", "))
                };
                problems.push(
                    Diagnostic::error(
                        at.clone(),
                        format!(
                            "`via` is not a path: there is no supported upgrade {} -> {}{under}",
                            model.node_ref(a),
                            model.node_ref(b)
                        ),
                    )
                    .with_hint(
                        "add a scenario or an `upgrades` rule for that hop, or correct `via`",
                    ),
                );
            }
        }
        problems
    }
}

/// The hops of a scenario's routes (each `from`, then `via`, then each
/// `to`) that are no supported upgrade, each once, in route order. The
/// hops inside `via` are the same for every route, so they are checked
/// once: the cost is that of `from`, `via` and `to`, not of their product.
fn broken_hops(edges: &Edges, scenario: &Scenario) -> Vec<(NodeId, NodeId)> {
    let mut broken = Vec::new();
    let mut seen = HashSet::new();
    let mut hop = |a: NodeId, b: NodeId| {
        if a != b && !edges.has(a, b) && seen.insert((a, b)) {
            broken.push((a, b));
        }
    };
    match (scenario.via.first(), scenario.via.last()) {
        (Some(&first), Some(&last)) => {
            for &from in &scenario.from {
                hop(from, first);
            }
            for pair in scenario.via.windows(2) {
                hop(pair[0], pair[1]);
            }
            for &to in &scenario.to {
                hop(last, to);
            }
        }
        _ => {
            for &from in &scenario.from {
                for &to in &scenario.to {
                    hop(from, to);
                }
            }
        }
    }
    broken
}

/// Every (from, to) pair a scenario's selectors match, except a version to itself.
fn pairs(scenario: &Scenario) -> impl Iterator<Item = (NodeId, NodeId)> + '_ {
    scenario
        .from
        .iter()
        .flat_map(|from| scenario.to.iter().map(move |to| (*from, *to)))
        .filter(|(from, to)| from != to)
}

/// The edges a product's `upgrades` rules add, as version index pairs.
fn rule_edges(product: &Product, facts: &Facts) -> Vec<(usize, usize)> {
    let mut edges = Vec::new();
    for rule in product.rules.iter().filter(|r| r.condition.holds(facts)) {
        let members = &rule.members;
        match rule.policy {
            Policy::None => {}
            Policy::Sequential => edges.extend(members.windows(2).map(|w| (w[0], w[1]))),
            Policy::AnyNewer => {
                let mut stops: Vec<usize> = rule
                    .stops
                    .iter()
                    .filter(|s| s.condition.holds(facts))
                    .map(|s| s.version)
                    .collect();
                stops.sort_unstable();
                for (i, &from) in members.iter().enumerate() {
                    // The first stop after `from` may be reached, never passed.
                    let next_stop = stops.partition_point(|s| *s <= from);
                    let limit = stops.get(next_stop).copied().unwrap_or(usize::MAX);
                    edges.extend(
                        members[i + 1..]
                            .iter()
                            .take_while(|to| **to <= limit)
                            .map(|to| (from, *to)),
                    );
                }
            }
        }
    }
    edges
}

/// The tie-break order of intermediate stops: product id first (products are
/// stored in id order), then the newest version of a product first.
fn stop_rank(model: &Model, node: NodeId) -> (usize, std::cmp::Reverse<usize>) {
    let n = model.nodes[node];
    (n.product, std::cmp::Reverse(n.version))
}

impl<'m> Edges<'m> {
    pub fn has(&self, from: NodeId, to: NodeId) -> bool {
        self.successors[from].contains(&to)
    }

    pub fn successors(&self, node: NodeId) -> &[NodeId] {
        &self.successors[node]
    }

    /// Breadth-first search from `source`. Each layer is visited in the order
    /// of its best paths, and each node's successors in stop order, so the
    /// first time a node is reached is by the path the spec prefers: fewest
    /// hops, then the best first intermediate stop, then the next, and so on.
    pub fn paths_from(&self, source: NodeId) -> PathTree {
        let mut reached: HashMap<NodeId, (Option<NodeId>, u32)> = HashMap::new();
        reached.insert(source, (None, 0));
        let mut layer = vec![source];
        let mut depth = 0;
        while !layer.is_empty() {
            depth += 1;
            let mut next = Vec::new();
            for &node in &layer {
                for &successor in &self.successors[node] {
                    if let std::collections::hash_map::Entry::Vacant(entry) =
                        reached.entry(successor)
                    {
                        entry.insert((Some(node), depth));
                        next.push(successor);
                    }
                }
            }
            layer = next;
        }
        PathTree { source, reached }
    }

    /// Every version with a path to `target`, with the hops of its best
    /// path, sorted by version: a breadth-first search along the edges
    /// backwards, which finds the same hop counts as searching forwards.
    pub fn sources_of(&self, target: NodeId) -> Vec<(NodeId, u32)> {
        let mut hops: HashMap<NodeId, u32> = HashMap::new();
        hops.insert(target, 0);
        let mut layer = vec![target];
        let mut depth = 0;
        while !layer.is_empty() {
            depth += 1;
            let mut next = Vec::new();
            for &node in &layer {
                for &predecessor in &self.predecessors[node] {
                    if let std::collections::hash_map::Entry::Vacant(entry) =
                        hops.entry(predecessor)
                    {
                        entry.insert(depth);
                        next.push(predecessor);
                    }
                }
            }
            layer = next;
        }
        hops.remove(&target);
        let mut sources: Vec<(NodeId, u32)> = hops.into_iter().collect();
        sources.sort_unstable();
        sources
    }

    /// The supported scenarios behind an edge whose conditions hold, in id order.
    pub fn scenarios_for(&self, from: NodeId, to: NodeId) -> Vec<usize> {
        let model = self.model;
        self.covering
            .get(&(from, to))
            .into_iter()
            .flatten()
            .copied()
            .filter(|s| model.scenarios[*s].condition.holds(&self.facts))
            .collect()
    }

    pub fn path(&self, from: NodeId, to: NodeId) -> Option<Vec<NodeId>> {
        self.paths_from(from).path_to(to)
    }

    /// The issues met along a path, hop by hop: the covering scenarios' in id
    /// order, then those of the versions the hop moves past, oldest first.
    /// An issue is kept when its conditions hold for these facts and its
    /// `applies_if.originally` names `originally`, the version the server was
    /// first installed as (by default the path's start).
    pub fn path_issues(&self, path: &[NodeId], originally: NodeId) -> Vec<PathIssue<'m>> {
        let mut found = Vec::new();
        for (hop, pair) in path.windows(2).enumerate() {
            found.extend(
                self.hop_issues(pair[0], pair[1], hop)
                    .filter(|i| i.issue.applies(&self.facts, originally)),
            );
        }
        found
    }

    /// Every issue a hop can carry under these facts, whatever its own
    /// conditions and `originally` say: the issues of the scenarios behind
    /// the hop, then those of the versions it moves past.
    pub fn hop_issues(
        &self,
        from: NodeId,
        to: NodeId,
        hop: usize,
    ) -> impl Iterator<Item = PathIssue<'m>> + '_ {
        let model = self.model;
        let scenario_issues = self
            .scenarios_for(from, to)
            .into_iter()
            .flat_map(move |index| {
                model.scenarios[index]
                    .issues
                    .iter()
                    .map(move |issue| PathIssue {
                        issue,
                        origin: Origin::Scenario(index),
                        hop,
                    })
            });
        let (a, b) = (model.nodes[from], model.nodes[to]);
        let passed: &'m [Version] = if a.product == b.product && a.version < b.version {
            &model.products[a.product].versions[a.version + 1..=b.version]
        } else {
            &[]
        };
        let version_issues = passed.iter().flat_map(move |version| {
            version.issues.iter().map(move |issue| PathIssue {
                issue,
                origin: Origin::Version(version.node),
                hop,
            })
        });
        scenario_issues.chain(version_issues)
    }

    /// The whole answer for a path, hop by hop: what allows each hop and
    /// its issues, blocking first.
    pub fn answer(&self, path: &[NodeId], originally: NodeId) -> Answer<'m> {
        let issues = self.path_issues(path, originally);
        // `issues` come hop by hop: each hop's are the next run of them.
        let mut rest: &[PathIssue<'m>] = &issues;
        let hops = path
            .windows(2)
            .enumerate()
            .map(|(hop, pair)| {
                let count = rest.iter().take_while(|i| i.hop == hop).count();
                let (mine, after) = rest.split_at(count);
                rest = after;
                let mut here: Vec<PathIssue<'m>> = mine.to_vec();
                here.sort_by_key(|i| i.issue.severity);
                Hop {
                    from: pair[0],
                    to: pair[1],
                    scenarios: self.scenarios_for(pair[0], pair[1]),
                    issues: here,
                }
            })
            .collect();
        Answer {
            path: path.to_vec(),
            hops,
            issues,
        }
    }

    /// The scenarios that say `from -> to` is not supported directly, under these facts.
    pub fn refusals(&self, from: NodeId, to: NodeId) -> Vec<usize> {
        self.model
            .scenarios
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                !s.supported
                    && s.condition.holds(&self.facts)
                    && s.from.contains(&from)
                    && s.to.contains(&to)
            })
            .map(|(index, _)| index)
            .collect()
    }
}

/// A path with everything met on it.
pub struct Answer<'m> {
    pub path: Vec<NodeId>,
    pub hops: Vec<Hop<'m>>,
    /// Every issue of the path, in the spec's order.
    pub issues: Vec<PathIssue<'m>>,
}

/// One hop of an [`Answer`].
pub struct Hop<'m> {
    pub from: NodeId,
    pub to: NodeId,
    /// The supported scenarios behind it; empty when only the rules allow it.
    pub scenarios: Vec<usize>,
    /// Its issues, blocking first, otherwise in the spec's order.
    pub issues: Vec<PathIssue<'m>>,
}

impl Answer<'_> {
    /// How many of the route's issues block the upgrade.
    pub fn blocking(&self) -> usize {
        count_blocking(&self.issues)
    }
}

impl Hop<'_> {
    /// How many of this hop's issues block it.
    pub fn blocking(&self) -> usize {
        count_blocking(&self.issues)
    }
}

/// How many of these issues are blocking.
pub fn count_blocking(issues: &[PathIssue]) -> usize {
    issues
        .iter()
        .filter(|i| i.issue.severity == Severity::Blocking)
        .count()
}

impl PathTree {
    pub fn hops(&self, to: NodeId) -> Option<u32> {
        self.reached.get(&to).map(|(_, hops)| *hops)
    }

    /// Every node the search reached, the source included, in node order.
    pub fn reached(&self) -> Vec<NodeId> {
        let mut nodes: Vec<NodeId> = self.reached.keys().copied().collect();
        nodes.sort_unstable();
        nodes
    }

    pub fn path_to(&self, to: NodeId) -> Option<Vec<NodeId>> {
        let mut current = to;
        let mut path = vec![to];
        while let Some(parent) = self.reached.get(&current)?.0 {
            path.push(parent);
            current = parent;
        }
        path.reverse();
        Some(path)
    }
}

/// The components an issue affects: its own, then everything that depends on it.
pub fn affected_components(model: &Model, issue: &Issue) -> Vec<usize> {
    issue
        .component
        .map(|c| {
            std::iter::once(c)
                .chain(model.components[c].dependents.iter().copied())
                .collect()
        })
        .unwrap_or_default()
}

mod stacks;
pub mod support;
#[cfg(test)]
mod tests;

pub use crate::model::{Unmet, unmet, unmet_words};
pub use stacks::{MAX_PLAN_STATES, Move, NoPlan, Plan, State, state_title, why_words};
