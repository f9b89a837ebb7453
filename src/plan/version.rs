//! Version pages, the heart of the site (the matrix has its own file, matrix.rs).

use std::collections::BTreeMap;

use super::answers::{Because, Change, TargetAnswer, condition_ids, facts_of_hops};
use super::urls::{self, Urls};
use super::views::*;
use super::{COMPACT_LIMIT, FULL_ANSWERS_LIMIT, Page, Planner, REACHED_FROM_LIMIT, Reach};
use crate::graph::{Answer, Origin, PathIssue, PathTree, affected_components};
use crate::i18n::Messages;
use crate::model::{Condition, ConditionId, Facts, Issue, NodeId, Severity};

/// Whether a version's page answers each reachable version in full, hop by
/// hop, or (past [`FULL_ANSWERS_LIMIT`]) only the newest of each product.
pub fn answers_in_full(reach: &Reach, from: NodeId) -> bool {
    reach.reachable[from] <= FULL_ANSWERS_LIMIT
}

/// When there are too many for full answers: the newest reachable version of
/// each product, at most [`COMPACT_LIMIT`] of them, so that no page grows
/// with the size of the whole knowledge base.
pub(super) fn newest_per_product(model: &crate::model::Model, reachable: &[NodeId]) -> Vec<NodeId> {
    let mut newest: Vec<NodeId> = Vec::new();
    for &to in reachable {
        match newest.last_mut() {
            Some(last) if model.nodes[*last].product == model.nodes[to].product => *last = to,
            _ => newest.push(to),
        }
    }
    newest.truncate(COMPACT_LIMIT);
    newest
}

/// A query value for the path finder (`+` would read as a space).
pub fn query_value(text: &str) -> String {
    text.replace('%', "%25")
        .replace('+', "%2B")
        .replace('&', "%26")
        .replace('#', "%23")
}

impl<'m> Planner<'m> {
    /// The path finder, asked about `from -> to` under `facts`.
    pub(super) fn finder(
        &self,
        from_page: &str,
        from: NodeId,
        to: NodeId,
        because: Option<&Because>,
    ) -> String {
        let (facts, originally) = match because {
            Some(Because::Facts(facts)) => (Some(facts), None),
            Some(Because::Originally(versions)) => (None, versions.first().copied()),
            None => (None, None),
        };
        let mut target = self.finder_question(("from", from), ("to", to), facts);
        if let Some(first) = originally {
            let start = query_value(&self.model.node_ref(first));
            target.push_str(&format!("&originally={start}"));
        }
        self.urls.relative(from_page, &target)
    }

    /// The route from `from` to `to` as a runbook in the path finder
    /// (assets/stacks.js: a plan of one member is the route).
    pub(super) fn runbook_link(
        &self,
        from_page: &str,
        from: NodeId,
        to: NodeId,
        facts: Option<&crate::model::Facts>,
    ) -> String {
        let target = self.finder_question(("at", from), ("goal", to), facts);
        self.urls.relative(from_page, &target)
    }

    /// The finder's page with two versions and the conditions in its query
    /// (`from`/`to` for an answer, `at`/`goal` for a runbook), from the root.
    fn finder_question(
        &self,
        (from_key, from): (&str, NodeId),
        (to_key, to): (&str, NodeId),
        facts: Option<&crate::model::Facts>,
    ) -> String {
        let model = self.model;
        let mut target = format!(
            "{}?{from_key}={}&{to_key}={}",
            urls::PATHS,
            query_value(&model.node_ref(from)),
            query_value(&model.node_ref(to))
        );
        for c in facts.iter().flat_map(|f| &f.0) {
            let name = &model.site.conditions[*c].name;
            target.push_str(&format!("&if={}", query_value(name)));
        }
        target
    }

    pub(super) fn version_page(&self, node: NodeId, reach: &Reach) -> Page {
        let model = self.model;
        let product = model.product_of(node);
        let version = model.version(node);
        let n = model.nodes[node];
        let path = Urls::version(model, node);
        let frame = self.frame(
            &path,
            model.node_title(node),
            vec![(product.name.clone(), Urls::product(model, n.product))],
        );
        let trees = self.analysis.trees(node);
        let mut reachable = trees.default.reached();
        reachable.retain(|to| *to != node);
        let (targets, compact): (Vec<NodeId>, Vec<CompactAnswer>) = if answers_in_full(reach, node)
        {
            // Versions reachable only when a condition holds get an answer too.
            let mut targets: Vec<NodeId> = trees
                .variants
                .iter()
                .flat_map(|t| t.reached())
                .chain(reachable.iter().copied())
                .filter(|to| *to != node)
                .collect();
            targets.sort_unstable();
            targets.dedup();
            (targets, Vec::new())
        } else {
            let compact = newest_per_product(model, &reachable)
                .into_iter()
                .map(|to| self.compact_answer(&path, node, to, &trees.default))
                .collect();
            (Vec::new(), compact)
        };
        let whole: Vec<TargetAnswer> = targets
            .iter()
            .map(|to| self.analysis.target_answer(&trees, node, *to))
            .collect();
        let hop_facts = facts_of_hops(&whole, &self.analysis.default.facts);
        let hop_numbers: HopNumbers = hop_facts
            .iter()
            .enumerate()
            .map(|(number, (pair, _))| (*pair, number))
            .collect();
        let answers: Vec<AnswerRow> = whole
            .iter()
            .map(|answer| self.answer_row(&path, node, answer, &hop_numbers))
            .collect();
        let mut on_the_way: BTreeMap<NodeId, Vec<PathIssue>> = BTreeMap::new();
        let hops = hop_facts
            .iter()
            .enumerate()
            .map(|(number, (pair, facts))| {
                self.hop_section(&path, node, number, *pair, facts, &mut on_the_way)
            })
            .collect();
        let on_the_way = self.versions_on_the_way(&path, node, on_the_way);
        let route_map = self.route_map(&path, node, &trees, &targets, &whole, &hop_numbers);
        let any_changes = answers.iter().any(|a| !a.changes.is_empty());
        let mut reached: Vec<(u32, NodeId)> = reach.sources[node]
            .iter()
            .map(|(from, hops)| (*hops, *from))
            .collect();
        reached.sort_unstable();
        let reached_from_more = reached.len().saturating_sub(REACHED_FROM_LIMIT);
        let reached_from = reached
            .into_iter()
            .take(REACHED_FROM_LIMIT)
            .map(|(hops, from)| ReachedFrom {
                link: self.node_link(&path, from),
                hops,
            })
            .collect();
        let versions = &product.versions;
        let page = VersionPage {
            product: self.link(&path, &product.name, &Urls::product(model, n.product)),
            product_notes: product.notes.clone(),
            name: version.name.clone(),
            released: version.released.clone(),
            summary: version.summary.clone(),
            previous: n
                .version
                .checked_sub(1)
                .map(|i| self.node_link(&path, versions[i].node)),
            next: versions
                .get(n.version + 1)
                .map(|v| self.node_link(&path, v.node)),
            requirements: self.requirements_of(&path, node),
            components: super::reference::by_name(
                version
                    .components
                    .iter()
                    .map(|c| self.component_link(&path, *c))
                    .collect(),
            ),
            issues: self.own_issue_views(&path, &version.issues),
            conditions_note: self.conditions_note(any_changes, !answers.is_empty()),
            any_changes,
            answers,
            route_map,
            hops,
            on_the_way,
            more_targets: reachable
                .len()
                .saturating_sub(targets.len().max(compact.len())),
            compact,
            unsupported: self.mentions[node]
                .iter()
                .filter(|s| {
                    !model.scenarios[**s].supported && model.scenarios[**s].from.contains(&node)
                })
                .map(|s| self.unsupported(&path, *s))
                .collect(),
            reached_from,
            reached_from_more,
            scenarios: self.mentions[node]
                .iter()
                .map(|s| self.scenario_row(&path, *s))
                .collect(),
            sources: self.sources_of(&path, &self.mentions[node]),
            support: self.support_view(&path, node, &trees.default),
            file: product.file.display().to_string(),
        };
        self.make_page(path, "version.html", frame, page)
    }

    /// What the page says once about conditions, if the site declares any.
    fn conditions_note(&self, any_changes: bool, any_answers: bool) -> Option<String> {
        let model = self.model;
        if model.site.conditions.is_empty() || !any_answers {
            return None;
        }
        let mut note = if any_changes {
            self.words("conditions-note-changes", &[])
        } else {
            self.words("conditions-note-no-changes", &[])
        };
        if !self.analysis.every_combination {
            note.push(' ');
            note.push_str(&self.words(
                "conditions-note-each-alone",
                &[("count", model.site.conditions.len().into())],
            ));
        }
        Some(note)
    }

    fn compact_answer(
        &self,
        page: &str,
        from: NodeId,
        to: NodeId,
        tree: &PathTree,
    ) -> CompactAnswer {
        let route = tree.path_to(to).unwrap_or_default();
        let answer = self.analysis.default.answer(&route, from);
        CompactAnswer {
            target: self.node_link(page, to),
            hops: route.len().saturating_sub(1),
            issue_summary: issue_summary(self.messages(), &answer.issues),
            blocking: answer.blocking(),
            finder_url: self.finder(page, from, to, None),
        }
    }

    /// "4.5 → Windows XP Server": a hop named as briefly as the page allows.
    fn hop_label(&self, page_product: usize, (from, to): (NodeId, NodeId)) -> String {
        let model = self.model;
        let name = |node: NodeId| {
            if model.nodes[node].product == page_product {
                model.version(node).name.clone()
            } else {
                model.node_title(node)
            }
        };
        format!("{} → {}", name(from), name(to))
    }

    fn hop_refs(&self, page_product: usize, answer: &Answer, numbers: &HopNumbers) -> Vec<HopRef> {
        answer
            .hops
            .iter()
            .map(|hop| {
                let pair = (hop.from, hop.to);
                let number = numbers.get(&pair).copied().unwrap_or(0);
                HopRef {
                    anchor: hop_anchor(number),
                    label: self.hop_label(page_product, pair),
                    issue_summary: issue_summary(self.messages(), &hop.issues),
                    blocking: hop.blocking() > 0,
                }
            })
            .collect()
    }

    fn answer_row(
        &self,
        page: &str,
        from: NodeId,
        whole: &TargetAnswer,
        numbers: &HopNumbers,
    ) -> AnswerRow {
        let model = self.model;
        let page_product = model.nodes[from].product;
        let to = whole.to;
        let default = whole.default.as_ref();
        AnswerRow {
            anchor: Urls::answer_anchor(model, to),
            target: self.node_link(page, to),
            hops: default.map_or(0, |a| a.hops.len()),
            route: default
                .map(|a| self.hop_refs(page_product, a, numbers))
                .unwrap_or_default(),
            issue_summary: default.map_or_else(
                || "none".into(),
                |a| issue_summary(self.messages(), &a.issues),
            ),
            blocking: default.map_or(0, Answer::blocking),
            changes: whole
                .changes
                .iter()
                .map(|change| ChangeView {
                    condition: self.because_words(&change.because),
                    effect: change_effect(self.messages(), change, default),
                    // The page says a changed route once, as a change to its
                    // tree of stops (`route_map`); a row no longer repeats it.
                    route: Vec::new(),
                    issues: issue_titles(change),
                    finder_url: self.finder(page, from, to, Some(&change.because)),
                })
                .collect(),
        }
    }

    /// One hop of the page, with every scenario and issue it carries under
    /// any of the facts for which the page shows it. The issues of the
    /// versions it reaches or passes go to `on_the_way`, said once for the
    /// page (a version's issues apply to every hop past it: listed in each,
    /// they were most of a long-lived product's page); the hop links them.
    fn hop_section(
        &self,
        page: &str,
        start: NodeId,
        number: usize,
        (from, to): (NodeId, NodeId),
        facts: &[&Facts],
        on_the_way: &mut BTreeMap<NodeId, Vec<PathIssue<'m>>>,
    ) -> HopSection {
        let model = self.model;
        let mut scenarios: Vec<usize> = Vec::new();
        let mut found: Vec<PathIssue> = Vec::new();
        for edges in facts.iter().filter_map(|f| self.analysis.edges(f)) {
            for s in edges.scenarios_for(from, to) {
                if !scenarios.contains(&s) {
                    scenarios.push(s);
                }
            }
            for issue in edges.hop_issues(from, to, 0) {
                if !found.iter().any(|f| std::ptr::eq(f.issue, issue.issue)) {
                    found.push(issue);
                }
            }
        }
        scenarios.sort_unstable();
        let shipped: Vec<usize> = [from, to]
            .iter()
            .flat_map(|n| model.version(*n).components.iter().copied())
            .collect();
        // Issues under what brings them: each scenario, blocking first.
        let groups: Vec<IssueGroup> = scenarios
            .iter()
            .map(|&s| IssueGroup {
                source: self.link(page, &model.scenarios[s].title, &Urls::scenario(model, s)),
                moving_past: false,
                only_if: self.only_if(&model.scenarios[s].condition),
                issues: self.group_issues(page, start, &found, Origin::Scenario(s), &shipped),
            })
            .collect();
        let mut passes: Vec<NodeId> = Vec::new();
        for issue in &found {
            if let Origin::Version(v) = issue.origin {
                let listed = on_the_way.entry(v).or_default();
                if !listed.iter().any(|l| std::ptr::eq(l.issue, issue.issue)) {
                    listed.push(*issue);
                }
                if !passes.contains(&v) {
                    passes.push(v);
                }
            }
        }
        passes.sort_unstable();
        HopSection {
            anchor: hop_anchor(number),
            label: format!("{} → {}", model.node_title(from), model.node_title(to)),
            from: self.hop_end(page, start, (from, to), from),
            to: self.hop_end(page, start, (from, to), to),
            rule: scenarios.is_empty().then(|| {
                if model.nodes[from].product == model.nodes[start].product {
                    self.words("hop-by-rules", &[])
                } else {
                    let product = model.product_of(from).name.as_str();
                    self.words("hop-by-rules-of", &[("product", product.into())])
                }
            }),
            groups,
            passes: passes
                .into_iter()
                .map(|v| Link {
                    title: model.version(v).name.clone(),
                    url: format!("#{}", Urls::node_anchor(model, "at", v)),
                })
                .collect(),
        }
    }

    /// The issues of the versions the page's hops reach or pass, once each
    /// version, blocking first.
    fn versions_on_the_way(
        &self,
        page: &str,
        start: NodeId,
        on_the_way: BTreeMap<NodeId, Vec<PathIssue<'m>>>,
    ) -> Vec<VersionIssues> {
        on_the_way
            .into_iter()
            .map(|(v, found)| {
                let shipped = &self.model.version(v).components;
                VersionIssues {
                    anchor: Urls::node_anchor(self.model, "at", v),
                    link: self.short_link(page, start, v),
                    issues: self.group_issues(page, start, &found, Origin::Version(v), shipped),
                }
            })
            .collect()
    }

    fn group_issues(
        &self,
        page: &str,
        start: NodeId,
        found: &[PathIssue],
        origin: Origin,
        shipped: &[usize],
    ) -> Vec<IssueView> {
        let mut here: Vec<&PathIssue> = found.iter().filter(|i| i.origin == origin).collect();
        here.sort_by_key(|i| i.issue.severity);
        here.into_iter()
            .map(|i| self.hop_issue_view(page, start, i, shipped))
            .collect()
    }

    /// An issue in a hop section, with every condition it needs, marked
    /// when it does not apply by default to a server that began at `start`.
    fn hop_issue_view(
        &self,
        page: &str,
        start: NodeId,
        found: &PathIssue,
        shipped: &[usize],
    ) -> IssueView {
        // The group's heading names the scenario or version; the issue
        // carries only the conditions it needs, its scenario's included.
        let scenario_condition = match found.origin {
            Origin::Scenario(s) => Some(&self.model.scenarios[s].condition),
            Origin::Version(_) => None,
        };
        let mut condition = found.issue.condition.clone();
        if let Some(extra) = scenario_condition {
            condition.when.extend(&extra.when);
            condition.unless.extend(&extra.unless);
            condition.when.sort_unstable();
            condition.when.dedup();
            condition.unless.sort_unstable();
            condition.unless.dedup();
        }
        let mut view = self.issue_view(page, found.issue, None, Some(shipped));
        view.only_if = self.only_if(&condition);
        view.conditional = !(condition.is_always() && found.issue.applies_to_origin(start));
        view
    }

    /// A scenario's or version's own issues, each with its anchor, which
    /// the search links to (`data::issue_anchor`).
    pub(super) fn own_issue_views(&self, page: &str, issues: &[Issue]) -> Vec<IssueView> {
        let views = issues.iter().map(|i| self.issue_view(page, i, None, None));
        (views.enumerate())
            .map(|(i, view)| IssueView {
                anchor: Some(super::data::issue_anchor(i)),
                ..view
            })
            .collect()
    }

    pub(super) fn issue_view(
        &self,
        page: &str,
        issue: &Issue,
        origin: Option<Link>,
        shipped: Option<&[usize]>,
    ) -> IssueView {
        let model = self.model;
        // A dependent component is affected only where the versions ship it.
        let components = affected_components(model, issue)
            .into_iter()
            .enumerate()
            .filter(|(i, c)| *i == 0 || shipped.is_none_or(|s| s.is_empty() || s.contains(c)))
            .map(|(_, c)| self.component_link(page, c))
            .collect();
        IssueView {
            anchor: None,
            title: issue.title.clone(),
            severity: issue.severity.word(),
            severity_label: self.severity_label(issue.severity),
            body: issue.body.clone(),
            components,
            origin,
            conditional: false,
            only_if: self.only_if(&issue.condition),
            applies_if: issue.originally.as_ref().map(|nodes| {
                let versions = self.describe_nodes(nodes);
                self.words("only-if-originally", &[("versions", versions.into())])
            }),
        }
    }

    /// The conditions' clauses joined with the message `joiner` (`and`, `or`).
    pub(super) fn clauses(&self, ids: &[ConditionId], joiner: &str) -> String {
        let joiner = self.words(joiner, &[]);
        ids.iter()
            .map(|c| super::finder::fact_clause(&self.model.site.conditions[*c]))
            .collect::<Vec<_>>()
            .join(&format!(" {joiner} "))
    }

    /// "Only if the server is a replica, and not if the database is large."
    pub(super) fn only_if(&self, condition: &Condition) -> Option<String> {
        match (condition.when.is_empty(), condition.unless.is_empty()) {
            (true, true) => None,
            (false, true) => Some(self.words(
                "only-if",
                &[("when", self.clauses(&condition.when, "and").into())],
            )),
            (true, false) => Some(self.words(
                "not-if",
                &[("unless", self.clauses(&condition.unless, "or").into())],
            )),
            (false, false) => Some(self.words(
                "only-if-and-not-if",
                &[
                    ("when", self.clauses(&condition.when, "and").into()),
                    ("unless", self.clauses(&condition.unless, "or").into()),
                ],
            )),
        }
    }

    fn because_words(&self, because: &Because) -> String {
        match because {
            Because::Facts(facts) => self.words(
                "if-facts",
                &[("when", self.clauses(&condition_ids(facts), "and").into())],
            ),
            Because::Originally(versions) => self.words(
                "if-originally",
                &[("versions", self.describe_nodes(versions).into())],
            ),
        }
    }

    /// "Small Business Server 4.0–4.5 or BackOffice Server 2.5".
    pub(super) fn describe_nodes(&self, nodes: &[NodeId]) -> String {
        let model = self.model;
        let mut groups: Vec<Vec<NodeId>> = Vec::new();
        for &node in nodes {
            match groups.last_mut() {
                Some(group) if model.nodes[group[0]].product == model.nodes[node].product => {
                    group.push(node)
                }
                _ => groups.push(vec![node]),
            }
        }
        groups
            .iter()
            .map(|g| crate::selector::describe_selection(model, g))
            .collect::<Vec<_>>()
            .join(&format!(" {} ", self.words("or", &[])))
    }

    fn unsupported(&self, page: &str, s: usize) -> Unsupported {
        let model = self.model;
        let scenario = &model.scenarios[s];
        Unsupported {
            scenario: self.link(page, &scenario.title, &Urls::scenario(model, s)),
            target: crate::selector::describe_selection(model, &scenario.to),
            summary: scenario.summary.clone(),
            via: scenario
                .via
                .iter()
                .map(|n| self.node_link(page, *n))
                .collect(),
            alternatives: Self::alternatives(&scenario.alternatives),
            conditions: self.only_if(&scenario.condition),
        }
    }
}

/// Each hop of a version page's routes, with its number on the page.
pub(super) type HopNumbers = std::collections::HashMap<(NodeId, NodeId), usize>;

fn hop_anchor(number: usize) -> String {
    format!("hop-{}", number + 1)
}

impl Planner<'_> {
    /// A link to one end of a hop, named as the page at `start` says it:
    /// the version alone when both ends are of its product, both in full
    /// otherwise ("4.5 → Windows XP Server" read as one product).
    fn hop_end(
        &self,
        page: &str,
        start: NodeId,
        (from, to): (NodeId, NodeId),
        node: NodeId,
    ) -> Link {
        let product = self.model.nodes[start].product;
        let nodes = &self.model.nodes;
        if nodes[from].product == product && nodes[to].product == product {
            self.short_link(page, start, node)
        } else {
            self.node_link(page, node)
        }
    }
}

/// What changes, in words: "2 more issues (1 blocking, 1 warning)".
fn change_effect(words: &Messages, change: &Change, default: Option<&Answer>) -> String {
    let Some(answer) = &change.answer else {
        if matches!(change.because, Because::Originally(_)) {
            return more_issues(words, &change.added);
        }
        return words.text("change-no-path", &[]);
    };
    if change.route_changed {
        let key = if default.is_some() {
            "change-another-route"
        } else {
            "change-a-route"
        };
        let summary = issue_summary(words, &answer.issues);
        let summary = if summary == "none" {
            words.text("issues-none", &[])
        } else {
            summary
        };
        return words.text(
            key,
            &[
                ("hops", answer.hops.len().into()),
                ("issues", summary.into()),
            ],
        );
    }
    let mut parts = Vec::new();
    if !change.added.is_empty() {
        parts.push(more_issues(words, &change.added));
    }
    if !change.removed.is_empty() {
        let count = change.removed.len();
        parts.push(words.text("version-fewer-issues", &[("count", count.into())]));
    }
    if change.scenarios_changed {
        parts.push(words.text("change-other-scenarios", &[]));
    }
    parts.join(&words.text("clause-separator", &[]))
}

/// "Replicas first; Rebuild indexes", when a change adds or removes issues
/// on the same route (a new route's issues are in its hop sections).
fn issue_titles(change: &Change) -> Option<String> {
    if change.route_changed {
        return None;
    }
    let titles: Vec<&str> = change
        .added
        .iter()
        .chain(&change.removed)
        .map(|found| found.issue.title.as_str())
        .collect();
    (!titles.is_empty()).then(|| titles.join("; "))
}

fn more_issues(words: &Messages, added: &[PathIssue]) -> String {
    words.text(
        "change-more-issues",
        &[
            ("count", added.len().into()),
            ("severities", issue_summary(words, added).into()),
        ],
    )
}

/// "1 blocking, 2 warnings", or `none` (a word templates test for, never
/// shown: they say "no known issues" in the site's language instead).
pub fn issue_summary(words: &Messages, issues: &[PathIssue]) -> String {
    let count = |s: Severity| issues.iter().filter(|i| i.issue.severity == s).count();
    let parts: Vec<String> = [
        (count(Severity::Blocking), "count-blocking"),
        (count(Severity::Warning), "count-warnings"),
        (count(Severity::Info), "count-notes"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, key)| words.text(key, &[("count", n.into())]))
    .collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(&words.text("list-separator", &[]))
    }
}
