//! The whole answer a version page gives for one target: the default route
//! with its issues, and each set of facts or original version that changes
//! anything on it (the route, an issue, the scenarios behind a hop).
//!
//! Routes depend only on facts, so the page enumerates the sets of declared
//! conditions (all combinations while there are few) and keeps, for each
//! target, the smallest sets whose answer differs. Every issue of every
//! route shown is then listed once on the page, under its hop, with the
//! conditions it needs: whatever `path` answers for a set of facts is on
//! the page. Pure logic over the graph, so it is tested without rendering.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use crate::graph::{Answer, Edges, PathIssue, PathTree, UpgradeGraph};
use crate::model::{ConditionId, Facts, Issue, NodeId};

/// Up to this many declared conditions, pages answer for every combination
/// of them; past it, for each condition alone (and say so).
pub const MAX_COMBINED_CONDITIONS: usize = 5;

/// The sets of facts the site answers for.
pub struct Analysis<'m> {
    /// When no declared condition holds.
    pub default: Edges<'m>,
    /// Each other set of facts, smallest first.
    pub variants: Vec<Edges<'m>>,
    /// Whether `variants` holds every combination of the declared conditions.
    pub every_combination: bool,
}

pub fn analyse<'m>(graph: &UpgradeGraph<'m>) -> Analysis<'m> {
    let count = graph.model.site.conditions.len();
    let every_combination = count <= MAX_COMBINED_CONDITIONS;
    let mut sets: Vec<Facts> = if every_combination {
        (1..1u32 << count)
            .map(|bits| Facts((0..count).filter(|c| bits & (1 << c) != 0).collect()))
            .collect()
    } else {
        (0..count)
            .map(|c| Facts([c].into_iter().collect()))
            .collect()
    };
    sets.sort_by(|a, b| a.0.len().cmp(&b.0.len()).then_with(|| a.cmp(b)));
    Analysis {
        default: graph.edges(&Facts::none()),
        variants: sets.iter().map(|facts| graph.edges(facts)).collect(),
        every_combination,
    }
}

/// The best paths from one source, under each set of facts of an [`Analysis`].
pub struct Trees {
    pub default: PathTree,
    pub variants: Vec<PathTree>,
    /// What each hop carries under each set of facts, for this source:
    /// comparing answers hop by hop costs a lookup, where building every
    /// variant's whole answer for every target was most of a long-lived
    /// product's build.
    hops: RefCell<HopContents>,
}

/// Hop contents, interned: (set of facts, from, to) -> content id.
#[derive(Default)]
struct HopContents {
    ids: HashMap<(usize, NodeId, NodeId), u32>,
    interned: HashMap<HopContent, u32>,
}

/// What a reader sees on one hop: its issues (by identity) and the
/// scenarios behind it.
#[derive(PartialEq, Eq, Hash)]
struct HopContent {
    issues: Vec<usize>,
    scenarios: Vec<usize>,
}

/// The default edges' place among the sets of facts, for [`HopContents`].
const DEFAULT_FACTS: usize = usize::MAX;

/// What holds for a [`Change`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Because<'m> {
    /// These declared conditions hold.
    Facts(Facts),
    /// The server was originally one of these versions (an issue's
    /// `applies_if.originally`), not the version the path starts at.
    Originally(&'m [NodeId]),
}

/// A way the answer differs from the default one.
pub struct Change<'m> {
    pub because: Because<'m>,
    /// The answer when it holds; `None` when there is no path then.
    pub answer: Option<Answer<'m>>,
    pub route_changed: bool,
    /// Issues met then and not by default, and the other way round.
    pub added: Vec<PathIssue<'m>>,
    pub removed: Vec<PathIssue<'m>>,
    /// Whether other scenarios (and so other steps) stand behind a hop.
    pub scenarios_changed: bool,
}

/// A version page's answer for one target.
pub struct TargetAnswer<'m> {
    pub to: NodeId,
    /// `None` when no path exists unless some condition holds.
    pub default: Option<Answer<'m>>,
    pub changes: Vec<Change<'m>>,
}

/// Which issue, on which hop: the identity an issue has in a comparison.
type IssueKey = (usize, NodeId, NodeId);

fn key(answer: &Answer, found: &PathIssue) -> IssueKey {
    let hop = &answer.hops[found.hop];
    (
        std::ptr::from_ref::<Issue>(found.issue) as usize,
        hop.from,
        hop.to,
    )
}

/// Everything a reader would see change: the route, and on each hop its
/// issues and scenarios (as interned [`HopContent`] ids).
#[derive(PartialEq, Eq)]
struct Signature {
    route: Vec<NodeId>,
    hops: Vec<u32>,
}

impl Trees {
    /// The signature of `path` from `from` under the edges numbered `set`.
    fn signature(&self, set: usize, edges: &Edges, from: NodeId, path: &[NodeId]) -> Signature {
        let mut memo = self.hops.borrow_mut();
        let hops = path
            .windows(2)
            .map(|pair| memo.content(set, edges, from, (pair[0], pair[1])))
            .collect();
        Signature {
            route: path.to_vec(),
            hops,
        }
    }
}

impl HopContents {
    fn content(
        &mut self,
        set: usize,
        edges: &Edges,
        from: NodeId,
        (a, b): (NodeId, NodeId),
    ) -> u32 {
        if let Some(id) = self.ids.get(&(set, a, b)) {
            return *id;
        }
        let mut issues: Vec<usize> = (edges.hop_issues(a, b, 0))
            .filter(|i| i.issue.applies(&edges.facts, from))
            .map(|i| std::ptr::from_ref::<Issue>(i.issue) as usize)
            .collect();
        issues.sort_unstable();
        issues.dedup();
        let content = HopContent {
            issues,
            scenarios: edges.scenarios_for(a, b),
        };
        let next = self.interned.len() as u32;
        let id = *self.interned.entry(content).or_insert(next);
        self.ids.insert((set, a, b), id);
        id
    }
}

impl<'m> Analysis<'m> {
    pub fn trees(&self, from: NodeId) -> Trees {
        Trees {
            default: self.default.paths_from(from),
            variants: self.variants.iter().map(|e| e.paths_from(from)).collect(),
            hops: RefCell::default(),
        }
    }

    /// The edges for a set of facts this analysis answers for.
    pub fn edges(&self, facts: &Facts) -> Option<&Edges<'m>> {
        if facts.0.is_empty() {
            return Some(&self.default);
        }
        self.variants.iter().find(|e| e.facts == *facts)
    }

    /// The whole answer from `from` to `to`, for a server first installed as `from`.
    pub fn target_answer(&self, trees: &Trees, from: NodeId, to: NodeId) -> TargetAnswer<'m> {
        let default_path = trees.default.path_to(to);
        let default_signature =
            (default_path.as_ref()).map(|p| trees.signature(DEFAULT_FACTS, &self.default, from, p));
        let default = default_path.map(|p| self.default.answer(&p, from));
        let mut changes: Vec<Change<'m>> = Vec::new();
        let mut seen: Vec<(&Facts, Option<Signature>)> = Vec::new();
        for (set, (edges, tree)) in self.variants.iter().zip(&trees.variants).enumerate() {
            let path = tree.path_to(to);
            let sig = path.as_ref().map(|p| trees.signature(set, edges, from, p));
            // A set whose answer a smaller set already gives adds nothing to say.
            let said_by_smaller = sig == default_signature
                || seen
                    .iter()
                    .any(|(smaller, s)| *s == sig && smaller.0.is_subset(&edges.facts.0));
            if !said_by_smaller {
                changes.push(compare(
                    Because::Facts(edges.facts.clone()),
                    default.as_ref(),
                    path.map(|p| edges.answer(&p, from)),
                ));
            }
            seen.push((&edges.facts, sig));
        }
        if let Some(answer) = &default {
            changes.extend(self.originally_changes(answer, from));
        }
        TargetAnswer {
            to,
            default,
            changes,
        }
    }

    fn originally_changes(&self, answer: &Answer<'m>, from: NodeId) -> Vec<Change<'m>> {
        let mut groups: Vec<(&'m [NodeId], Vec<PathIssue<'m>>)> = Vec::new();
        for (index, hop) in answer.hops.iter().enumerate() {
            for found in self.default.hop_issues(hop.from, hop.to, index) {
                let Some(versions) = found.issue.originally.as_deref() else {
                    continue;
                };
                if versions.contains(&from) || !found.issue.condition.holds(&self.default.facts) {
                    continue;
                }
                match groups.iter_mut().find(|(v, _)| *v == versions) {
                    Some((_, issues)) => issues.push(found),
                    None => groups.push((versions, vec![found])),
                }
            }
        }
        groups
            .into_iter()
            .map(|(versions, added)| Change {
                because: Because::Originally(versions),
                answer: None,
                route_changed: false,
                added,
                removed: Vec::new(),
                scenarios_changed: false,
            })
            .collect()
    }
}

fn compare<'m>(
    because: Because<'m>,
    default: Option<&Answer<'m>>,
    answer: Option<Answer<'m>>,
) -> Change<'m> {
    let route_changed = default.map(|d| &d.path) != answer.as_ref().map(|a| &a.path);
    let keys = |a: Option<&Answer>| -> BTreeSet<IssueKey> {
        a.map(|a| a.issues.iter().map(|i| key(a, i)).collect())
            .unwrap_or_default()
    };
    let (before, after) = (keys(default), keys(answer.as_ref()));
    let added = answer
        .as_ref()
        .map(|a| {
            a.issues
                .iter()
                .filter(|i| !before.contains(&key(a, i)))
                .copied()
                .collect()
        })
        .unwrap_or_default();
    let removed = default
        .map(|d| {
            d.issues
                .iter()
                .filter(|i| !after.contains(&key(d, i)))
                .copied()
                .collect()
        })
        .unwrap_or_default();
    let scenarios = |a: Option<&Answer>| -> Vec<Vec<usize>> {
        a.map(|a| a.hops.iter().map(|h| h.scenarios.clone()).collect())
            .unwrap_or_default()
    };
    let scenarios_changed = !route_changed && scenarios(default) != scenarios(answer.as_ref());
    Change {
        because,
        answer,
        route_changed,
        added,
        removed,
        scenarios_changed,
    }
}

/// The facts under which a hop is shown on a page, so that its section can
/// list every scenario and issue it carries under any of them.
pub fn facts_of_hops<'a>(
    answers: &'a [TargetAnswer],
    none: &'a Facts,
) -> Vec<((NodeId, NodeId), Vec<&'a Facts>)> {
    let mut hops: Vec<((NodeId, NodeId), Vec<&Facts>)> = Vec::new();
    let mut add = |answer: &Answer, facts: &'a Facts| {
        for hop in &answer.hops {
            let pair = (hop.from, hop.to);
            match hops.iter_mut().find(|(p, _)| *p == pair) {
                Some((_, list)) => {
                    if !list.contains(&facts) {
                        list.push(facts)
                    }
                }
                None => hops.push((pair, vec![facts])),
            }
        }
    };
    for target in answers {
        if let Some(answer) = &target.default {
            add(answer, none);
        }
        for change in &target.changes {
            if let (Because::Facts(facts), Some(answer)) = (&change.because, &change.answer) {
                add(answer, facts);
            }
        }
    }
    hops
}

/// The condition ids of a set of facts, for wording.
pub fn condition_ids(facts: &Facts) -> Vec<ConditionId> {
    facts.0.iter().copied().collect()
}
