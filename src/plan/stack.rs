//! Stack pages (format 1.2): the members, which of their versions run
//! together, the plan from each starting state to the newest, and the first
//! of those plans as a runbook to follow.

use serde::Serialize;

use super::urls::Urls;
use super::views::*;
use super::{Page, Planner};
use crate::graph::{Answer, NoPlan, Plan, State, state_title, unmet, why_words};
use crate::layout::SitePath;
use crate::model::{Model, NodeId, Stack};

/// The most states a stack page weighs (the product of its members'
/// version counts); past it the page lists no plans and sends readers to
/// `plan` and the path finder.
const MAX_PAGE_STATES: usize = 10_000;
/// The most starting states a stack page plans from.
const MAX_PAGE_PLANS: usize = 30;
/// The most cells of one compatibility table, beyond which it is a list.
const MAX_TABLE_CELLS: usize = 2_500;

#[derive(Serialize)]
pub struct StackPage {
    pub name: String,
    pub summary: Option<String>,
    pub members: Vec<Link>,
    pub tables: Vec<CompatibilityTable>,
    /// The newest state whose versions run together, if the page could weigh them.
    pub newest: Option<Vec<Link>>,
    pub plans: Vec<StackPlanView>,
    /// Starting states left out of `plans`.
    pub more_plans: usize,
    /// Whether the states were too many to weigh here.
    pub too_many_states: bool,
    pub runbook: Option<RunbookView>,
    pub file: String,
}

/// Which versions of one member run beside which of another.
#[derive(Serialize)]
pub struct CompatibilityTable {
    pub rows_product: String,
    pub columns_product: String,
    pub columns: Vec<String>,
    pub rows: Vec<CompatibilityRow>,
}

#[derive(Serialize)]
pub struct CompatibilityRow {
    pub version: Link,
    pub cells: Vec<bool>,
    /// "PHP 8.0, 8.1", for the list readers get in print and on phones.
    pub runs_beside: String,
}

#[derive(Serialize)]
pub struct StackPlanView {
    pub from: String,
    pub moves: Vec<MoveView>,
    /// Why there is no plan, when there is none.
    pub none: Option<String>,
}

#[derive(Serialize)]
pub struct MoveView {
    pub from: Link,
    pub to: Link,
    pub blocking: usize,
    pub issues: usize,
}

/// Every move of a plan, with what to resolve first and what to do.
#[derive(Serialize)]
pub struct RunbookView {
    /// Names the runbook in the reader's browser, where its ticks are kept.
    pub key: String,
    pub from: String,
    pub to: String,
    pub moves: Vec<RunbookMove>,
}

#[derive(Serialize)]
pub struct RunbookMove {
    pub number: usize,
    pub from: Link,
    pub to: Link,
    pub issues: Vec<IssueView>,
    pub scenarios: Vec<RunbookScenario>,
}

#[derive(Serialize)]
pub struct RunbookScenario {
    pub title: Link,
    pub steps: Vec<String>,
    pub alternatives: Vec<AlternativeView>,
}

impl Planner<'_> {
    pub(super) fn stack_page(&self, index: usize) -> Page {
        let model = self.model;
        let stack = &model.stacks[index];
        let path = SitePath::Stack(&stack.id).path();
        let frame = self.frame(&path, stack.name.clone(), Vec::new());
        let edges = &self.analysis.default;
        let states = local_states(model, stack);
        let valid: Vec<State> = (states.iter().flatten())
            .filter(|s| unmet(model, s).is_empty())
            .cloned()
            .collect();
        let newest = valid.iter().max_by_key(|s| newness(model, s)).cloned();
        let mut plans = Vec::new();
        let mut runbook = None;
        if let Some(newest) = &newest {
            for start in valid.iter().filter(|s| *s != newest).take(MAX_PAGE_PLANS) {
                let found = edges.plan(start, newest).map(|plan| {
                    let answers = edges.move_answers(&plan, None);
                    (plan, answers)
                });
                if runbook.is_none()
                    && let Ok((plan, answers)) = &found
                {
                    runbook = Some(self.runbook(&path, stack, plan, answers));
                }
                plans.push(self.plan_view(&path, start, found));
            }
        }
        let page = StackPage {
            name: stack.name.clone(),
            summary: stack.summary.clone(),
            members: (stack.members.iter())
                .map(|p| self.link(&path, &model.products[*p].name, &Urls::product(model, *p)))
                .collect(),
            tables: self.compatibility_tables(&path, stack),
            newest: newest.map(|s| s.iter().map(|n| self.node_link(&path, *n)).collect()),
            more_plans: valid.len().saturating_sub(MAX_PAGE_PLANS + 1),
            too_many_states: states.is_none(),
            plans,
            runbook,
            file: stack.file.display().to_string(),
        };
        self.make_page(path, "stack.html", frame, page)
    }

    fn plan_view(
        &self,
        page: &str,
        start: &[NodeId],
        found: Result<(Plan, Vec<Answer>), NoPlan>,
    ) -> StackPlanView {
        let model = self.model;
        let from = state_title(model, start);
        let (plan, answers) = match found {
            Ok(found) => found,
            Err(why) => {
                return StackPlanView {
                    from,
                    moves: Vec::new(),
                    none: Some(why_words(self.messages(), model, &why)),
                };
            }
        };
        let moves = (plan.moves.iter().zip(&answers))
            .map(|(step, answer)| MoveView {
                from: self.node_link(page, step.from),
                to: self.node_link(page, step.to),
                blocking: answer.blocking(),
                issues: answer.issues.len(),
            })
            .collect();
        StackPlanView {
            from,
            moves,
            none: None,
        }
    }

    fn runbook(&self, page: &str, stack: &Stack, plan: &Plan, answers: &[Answer]) -> RunbookView {
        let model = self.model;
        let start = &plan.states[0];
        let moves = (plan.moves.iter().zip(answers).enumerate())
            .map(|(number, (step, answer))| {
                let hop = &answer.hops[0];
                RunbookMove {
                    number: number + 1,
                    from: self.node_link(page, step.from),
                    to: self.node_link(page, step.to),
                    issues: (hop.issues.iter())
                        .map(|found| self.issue_view(page, found.issue, None, None))
                        .collect(),
                    scenarios: (hop.scenarios.iter())
                        .map(|s| {
                            let scenario = &model.scenarios[*s];
                            RunbookScenario {
                                title: self.link(page, &scenario.title, &Urls::scenario(model, *s)),
                                steps: scenario.steps.clone(),
                                alternatives: Self::alternatives(&scenario.alternatives),
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        let refs: Vec<String> = start.iter().map(|n| model.node_ref(*n)).collect();
        RunbookView {
            key: format!("stack:{}:{}", stack.id, refs.join("+")),
            from: state_title(model, start),
            to: state_title(model, plan.states.last().unwrap_or(start)),
            moves,
        }
    }

    /// A table for each pair of members that a requirement ties together.
    fn compatibility_tables(&self, page: &str, stack: &Stack) -> Vec<CompatibilityTable> {
        let model = self.model;
        let mut tables = Vec::new();
        for (i, &a) in stack.members.iter().enumerate() {
            for &b in &stack.members[i + 1..] {
                if !tied(model, a, b) {
                    continue;
                }
                let (rows, columns) = (&model.products[a], &model.products[b]);
                if rows.versions.len() * columns.versions.len() > MAX_TABLE_CELLS {
                    continue;
                }
                tables.push(CompatibilityTable {
                    rows_product: rows.name.clone(),
                    columns_product: columns.name.clone(),
                    columns: columns.versions.iter().map(|v| v.name.clone()).collect(),
                    rows: (rows.versions.iter())
                        .map(|row| {
                            let cells: Vec<bool> = (columns.versions.iter())
                                .map(|column| unmet(model, &[row.node, column.node]).is_empty())
                                .collect();
                            let beside: Vec<&str> = (columns.versions.iter().zip(&cells))
                                .filter(|(_, runs)| **runs)
                                .map(|(v, _)| v.name.as_str())
                                .collect();
                            CompatibilityRow {
                                version: self.node_link(page, row.node),
                                runs_beside: self.runs_beside(&columns.name, &beside),
                                cells,
                            }
                        })
                        .collect(),
                });
            }
        }
        tables
    }
}

/// Whether a version of one product states a requirement on the other.
fn tied(model: &Model, a: usize, b: usize) -> bool {
    let names = |from: usize, to: usize| {
        (model.products[from].versions.iter()).any(|v| v.requires.iter().any(|r| r.product == to))
    };
    names(a, b) || names(b, a)
}

/// Every state whose members stay in their own products, oldest first
/// (the first member changing slowest); `None` past [`MAX_PAGE_STATES`].
fn local_states(model: &Model, stack: &Stack) -> Option<Vec<State>> {
    let counts: Vec<usize> = (stack.members.iter())
        .map(|p| model.products[*p].versions.len())
        .collect();
    let total = counts
        .iter()
        .try_fold(1usize, |all, n| all.checked_mul(*n))?;
    if total > MAX_PAGE_STATES || total == 0 {
        return None;
    }
    let mut states = Vec::with_capacity(total);
    for mut number in 0..total {
        let mut state = vec![0; counts.len()];
        for (member, count) in counts.iter().enumerate().rev() {
            let product = &model.products[stack.members[member]];
            state[member] = product.versions[number % count].node;
            number /= count;
        }
        states.push(state);
    }
    Some(states)
}

/// Orders states by how new they are, the first member weighing most.
fn newness(model: &Model, state: &[NodeId]) -> Vec<usize> {
    state.iter().map(|n| model.nodes[*n].version).collect()
}

/// What one version needs of another product, or how another product's
/// version stands towards it, in words with a link.
#[derive(Serialize)]
pub struct RequirementView {
    pub other: Link,
    /// "PHP 8.0–8.1", "runs beside it", "needs PHP 8.1–8.2".
    pub words: String,
}

/// The format 1.2 facts a version page shows: what the version needs beside
/// it, which versions of other products accept it and which refuse it.
#[derive(Serialize, Default)]
pub struct Requirements {
    pub needs: Vec<RequirementView>,
    pub accepted_by: Vec<RequirementView>,
    pub refused_by: Vec<RequirementView>,
    pub stacks: Vec<Link>,
}

impl Planner<'_> {
    /// "Ceph 18, 19", or "no version of Ceph".
    fn runs_beside(&self, product: &str, versions: &[&str]) -> String {
        if versions.is_empty() {
            return self.words("stack-runs-beside-none", &[("product", product.into())]);
        }
        let versions = versions.join(&self.words("list-separator", &[]));
        self.words(
            "stack-runs-beside",
            &[("product", product.into()), ("versions", versions.into())],
        )
    }
}

impl Planner<'_> {
    pub(super) fn requirements_of(&self, page: &str, node: NodeId) -> Requirements {
        let model = self.model;
        let needs = (model.version(node).requires.iter())
            .map(|r| RequirementView {
                other: self.link(
                    page,
                    &model.products[r.product].name,
                    &Urls::product(model, r.product),
                ),
                words: crate::selector::describe_selection(model, &r.versions),
            })
            .collect();
        let (mut accepted_by, mut refused_by) = (Vec::new(), Vec::new());
        for (other, requirement) in self.required_of(node) {
            let requirement = &model.version(*other).requires[*requirement];
            let view = RequirementView {
                other: self.node_link(page, *other),
                words: crate::selector::describe_selection(model, &requirement.versions),
            };
            if requirement.broken_by(model, node) {
                refused_by.push(view);
            } else {
                accepted_by.push(view);
            }
        }
        Requirements {
            needs,
            accepted_by,
            refused_by,
            stacks: self.stacks_of(page, model.nodes[node].product),
        }
    }

    /// The stacks a product is a member of, linked.
    pub(super) fn stacks_of(&self, page: &str, product: usize) -> Vec<Link> {
        (self.model.stacks.iter())
            .filter(|s| s.members.contains(&product))
            .map(|s| self.link(page, &s.name, &SitePath::Stack(&s.id).path()))
            .collect()
    }

    /// Every stack, linked, for the home page.
    pub(super) fn stack_links(&self, page: &str) -> Vec<Link> {
        (self.model.stacks.iter())
            .map(|s| self.link(page, &s.name, &SitePath::Stack(&s.id).path()))
            .collect()
    }

    /// The requirements that name `node`'s product, as (version, index into
    /// its `requires`), found once for the whole site.
    fn required_of(&self, node: NodeId) -> &[(NodeId, usize)] {
        let model = self.model;
        let by_product = self.requirements_index.get_or_init(|| {
            let mut index = vec![Vec::new(); model.products.len()];
            for version in 0..model.nodes.len() {
                for (i, r) in model.version(version).requires.iter().enumerate() {
                    index[r.product].push((version, i));
                }
            }
            index
        });
        &by_product[model.nodes[node].product]
    }
}
