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

use std::collections::BTreeSet;

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
}

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

/// Everything a reader would see change: route, issues, scenarios per hop.
#[derive(PartialEq, Eq)]
struct Signature {
    route: Vec<NodeId>,
    issues: BTreeSet<IssueKey>,
    scenarios: Vec<Vec<usize>>,
}

fn signature(answer: Option<&Answer>) -> Option<Signature> {
    answer.map(|a| Signature {
        route: a.path.clone(),
        issues: a.issues.iter().map(|i| key(a, i)).collect(),
        scenarios: a.hops.iter().map(|h| h.scenarios.clone()).collect(),
    })
}

impl<'m> Analysis<'m> {
    pub fn trees(&self, from: NodeId) -> Trees {
        Trees {
            default: self.default.paths_from(from),
            variants: self.variants.iter().map(|e| e.paths_from(from)).collect(),
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
        let default = trees
            .default
            .path_to(to)
            .map(|p| self.default.answer(&p, from));
        let default_signature = signature(default.as_ref());
        let mut changes: Vec<Change<'m>> = Vec::new();
        let mut seen: Vec<(&Facts, Option<Signature>)> = Vec::new();
        for (edges, tree) in self.variants.iter().zip(&trees.variants) {
            let answer = tree.path_to(to).map(|p| edges.answer(&p, from));
            let sig = signature(answer.as_ref());
            // A set whose answer a smaller set already gives adds nothing to say.
            let said_by_smaller = sig == default_signature
                || seen
                    .iter()
                    .any(|(smaller, s)| *s == sig && smaller.0.is_subset(&edges.facts.0));
            if !said_by_smaller {
                changes.push(compare(
                    Because::Facts(edges.facts.clone()),
                    default.as_ref(),
                    answer,
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

    /// On the default route: the issues that would also apply had the server
    /// started as another version, grouped by the versions they name.
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
