//! Format 1.2: plans, the order in which the members of a stack move so
//! that every state on the way keeps every requirement.
//!
//! A plan is a breadth-first search over states (one version per member),
//! as [`Edges::paths_from`] is over versions: each state's moves are tried
//! in the spec's tie-break order (the member listed first, then the version
//! `path` prefers), and a layer is visited in the order of its best plans,
//! so the first time the search reaches a state is by the plan the spec
//! prefers: fewest moves, then the best first move, then the next.

use std::collections::{BTreeSet, HashMap};

use super::Edges;
use crate::i18n::Messages;
use crate::model::{Model, NodeId, Unmet, unmet};

/// The most states one plan's search may visit. Three members of 40
/// versions each make 64,000 states; a question past this limit is refused
/// with its own message rather than left to run.
pub const MAX_PLAN_STATES: usize = 500_000;

/// One version per member, in member order.
pub type State = Vec<NodeId>;

/// One member taking one upgrade edge while the others stay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Move {
    pub member: usize,
    pub from: NodeId,
    pub to: NodeId,
}

/// The states a plan passes, the first and the last included, and the moves
/// between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub states: Vec<State>,
    pub moves: Vec<Move>,
}

/// Why there is no plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoPlan {
    /// The state to start from breaks these requirements.
    InvalidStart(Vec<Unmet>),
    /// The state to reach breaks these requirements.
    InvalidEnd(Vec<Unmet>),
    /// Every order passes a state that breaks a requirement: these are the
    /// ones that turned moves away. Empty when no order leads there even
    /// ignoring requirements (a member has no upgrade path to its target).
    NoOrder(Vec<Unmet>),
    /// The search visited [`MAX_PLAN_STATES`] states without an answer.
    TooLarge,
}

/// How one search ended.
enum Searched {
    Found(Plan),
    /// With the requirements that turned states away.
    NotFound(Vec<Unmet>),
    TooLarge,
}

/// A state reached by the search, with how it was reached.
struct Reached {
    state: State,
    /// Index of the state it was reached from, and the move; `None` at the start.
    came_from: Option<(usize, Move)>,
}

impl<'m> Edges<'m> {
    /// The plan the spec prefers from `from` to `to` (same length, one
    /// version per member), or why there is none.
    pub fn plan(&self, from: &[NodeId], to: &[NodeId]) -> Result<Plan, NoPlan> {
        let model = self.model;
        let start = unmet(model, from);
        if !start.is_empty() {
            return Err(NoPlan::InvalidStart(start));
        }
        let end = unmet(model, to);
        if !end.is_empty() {
            return Err(NoPlan::InvalidEnd(end));
        }
        match self.search(from, to, true) {
            Searched::Found(plan) => Ok(plan),
            Searched::TooLarge => Err(NoPlan::TooLarge),
            // Requirements are to blame only if an order that ignores
            // them would have got there.
            Searched::NotFound(turned_away) => match self.search(from, to, false) {
                Searched::Found(_) => Err(NoPlan::NoOrder(turned_away)),
                Searched::TooLarge => Err(NoPlan::TooLarge),
                Searched::NotFound(_) => Err(NoPlan::NoOrder(Vec::new())),
            },
        }
    }

    /// The breadth-first search itself; `requirements` false weighs every
    /// state as valid, to tell "no order" from "no road at all".
    fn search(&self, from: &[NodeId], to: &[NodeId], requirements: bool) -> Searched {
        let model = self.model;
        let mut reached = vec![Reached {
            state: from.to_vec(),
            came_from: None,
        }];
        let mut index: HashMap<State, usize> = HashMap::from([(from.to_vec(), 0)]);
        let mut turned_away: BTreeSet<Unmet> = BTreeSet::new();
        let mut layer = 0..1;
        while !layer.is_empty() {
            let next_start = reached.len();
            for at in layer {
                if reached[at].state == to {
                    return Searched::Found(plan_to(&reached, at));
                }
                for (step, state) in self.moves(&reached[at].state) {
                    if index.contains_key(&state) {
                        continue;
                    }
                    let broken = if requirements {
                        unmet(model, &state)
                    } else {
                        Vec::new()
                    };
                    if !broken.is_empty() {
                        turned_away.extend(broken);
                        // Known now, so that it is not weighed again.
                        index.insert(state, usize::MAX);
                        continue;
                    }
                    if reached.len() >= MAX_PLAN_STATES {
                        return Searched::TooLarge;
                    }
                    index.insert(state.clone(), reached.len());
                    reached.push(Reached {
                        state,
                        came_from: Some((at, step)),
                    });
                }
            }
            layer = next_start..reached.len();
        }
        Searched::NotFound(turned_away.into_iter().collect())
    }

    /// What `path` gives for each move's one hop: its scenarios and issues,
    /// with the member's start as where it was first installed (or
    /// `originally`, which only a plan of one member may name).
    pub fn move_answers(&self, plan: &Plan, originally: Option<NodeId>) -> Vec<super::Answer<'m>> {
        let start = &plan.states[0];
        (plan.moves.iter())
            .map(|step| {
                let first = originally.unwrap_or(start[step.member]);
                self.answer(&[step.from, step.to], first)
            })
            .collect()
    }

    /// The moves out of a state, best first, with the states they lead to:
    /// the first member's first, each member's in the order `path` prefers
    /// its successors; never onto a product another member is a version of.
    fn moves(&self, state: &[NodeId]) -> Vec<(Move, State)> {
        let model = self.model;
        let mut found = Vec::new();
        for (member, &from) in state.iter().enumerate() {
            for &to in self.successors(from) {
                let product = model.nodes[to].product;
                let taken = state
                    .iter()
                    .enumerate()
                    .any(|(other, &n)| other != member && model.nodes[n].product == product);
                if taken {
                    continue;
                }
                let mut next = state.to_vec();
                next[member] = to;
                found.push((Move { member, from, to }, next));
            }
        }
        found
    }
}

/// The plan that reached `reached[at]`, read back from it to the start.
fn plan_to(reached: &[Reached], at: usize) -> Plan {
    let mut states = vec![reached[at].state.clone()];
    let mut moves = Vec::new();
    let mut current = at;
    while let Some((parent, step)) = reached[current].came_from {
        moves.push(step);
        states.push(reached[parent].state.clone());
        current = parent;
    }
    states.reverse();
    moves.reverse();
    Plan { states, moves }
}

/// Why there is no plan, in one sentence of `words`' language.
pub fn why_words(words: &Messages, model: &Model, why: &NoPlan) -> String {
    let listed = |unmet: &[Unmet]| -> String {
        let mut said: Vec<String> = unmet
            .iter()
            .map(|u| requirement_words(words, model, u))
            .collect();
        said.dedup();
        said.join(&words.text("clause-separator", &[]))
    };
    let with_unmet =
        |key: &str, unmet: &[Unmet]| words.text(key, &[("unmet", listed(unmet).into())]);
    match why {
        NoPlan::InvalidStart(u) => with_unmet("no-plan-start", u),
        NoPlan::InvalidEnd(u) => with_unmet("no-plan-goal", u),
        NoPlan::NoOrder(u) if u.is_empty() => words.text("no-plan-no-path", &[]),
        NoPlan::NoOrder(u) => with_unmet("no-plan-order", u),
        NoPlan::TooLarge => words.text("no-plan-too-large", &[("states", MAX_PLAN_STATES.into())]),
    }
}

/// "App 2 requires `php@8.0|8.1`, and PHP 7.4 is not one of those".
fn requirement_words(words: &Messages, model: &Model, unmet: &Unmet) -> String {
    let selector = &model.version(unmet.version).requires[unmet.requirement].selector;
    words.text(
        "no-plan-unmet",
        &[
            ("version", model.node_title(unmet.version).into()),
            ("requires", format!("`{selector}`").into()),
            ("beside", model.node_title(unmet.beside).into()),
        ],
    )
}

/// "App 1 + PHP 7.4".
pub fn state_title(model: &Model, state: &[NodeId]) -> String {
    let titles: Vec<String> = state.iter().map(|n| model.node_title(*n)).collect();
    titles.join(" + ")
}
