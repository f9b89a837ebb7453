//! Scenarios: their selectors, issues, sources, and the upgrade limits.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::*;
use crate::diag::Span;
use crate::load::{
    RawDoc, RawIssue, RawScenario, RawSeverity, RawSource, S, Selectors, StaticFile,
};
use crate::model::*;
use crate::selector::{Role, describe_selection, select_nodes};

impl Resolver {
    pub(super) fn select(
        &mut self,
        model: &Model,
        file: &Path,
        raw: &S<String>,
        role: Role,
    ) -> Option<Vec<NodeId>> {
        let product = raw.value.trim().split('@').next().unwrap_or_default();
        if self.broken.products.contains(product) {
            return None; // its file's own error says what is wrong
        }
        match select_nodes(model, &raw.value, role) {
            Ok(nodes) => Some(nodes),
            Err(problem) => {
                self.report(problem.at(span(file, raw)));
                None
            }
        }
    }

    // ---- scenarios ----------------------------------------------------------

    pub(super) fn scenarios(
        &mut self,
        model: &mut Model,
        raw: Vec<Arc<RawDoc<RawScenario>>>,
        memos: &mut HashMap<usize, Memo>,
        keep_documents: bool,
    ) {
        let mut candidates: Vec<Arc<RawDoc<RawScenario>>> = Vec::with_capacity(raw.len());
        let mut seen = std::collections::HashSet::with_capacity(raw.len());
        for doc in raw {
            if let Some(bad) = doc
                .id
                .split('/')
                .find(|segment| !is_scenario_segment(segment))
            {
                self.report(
                    Diagnostic::error(
                        Span::file_start(&doc.file),
                        format!("`{}` is not a valid scenario id segment", shorten(bad)),
                    )
                    .with_hint("scenario file and folder names use lowercase letters, digits, `.`, `_` and `-`"),
                );
                continue;
            }
            if let Some(problem) = doc.id.split('/').find_map(id_problem) {
                self.report(
                    Diagnostic::error(
                        Span::file_start(&doc.file),
                        format!("scenario id: a folder or file name {problem}"),
                    )
                    .with_hint(format!(
                        "a scenario id is its path below scenarios/; {}",
                        id_hint()
                    )),
                );
                continue;
            }
            if doc.id.chars().count() > MAX_SCENARIO_ID_CHARS {
                self.report(Diagnostic::error(
                    Span::file_start(&doc.file),
                    format!(
                        "scenario id `{}` is {} characters long; the limit is {MAX_SCENARIO_ID_CHARS}",
                        shorten(&doc.id),
                        doc.id.chars().count()
                    ),
                ).with_hint("use shorter or fewer folders below scenarios/"));
                continue;
            }
            if !seen.insert(doc.id.clone()) {
                self.report(
                    Diagnostic::error(
                        Span::file_start(&doc.file),
                        format!("scenario `{}` is defined twice", doc.id),
                    )
                    .with_hint("two files give it (`.yaml` and `.yml`): keep one"),
                );
                continue;
            }
            candidates.push(doc);
        }
        // What a file gave last time, if it is the very same document.
        let mut previous = std::mem::replace(memos, HashMap::with_capacity(candidates.len()));
        let addresses: Vec<usize> = candidates.iter().map(address).collect();
        let mut slots: Vec<Option<Memo>> = addresses.iter().map(|at| previous.remove(at)).collect();
        // Scenarios resolve independently of each other: in parallel, each
        // with its own collector of problems. A run that keeps nothing for
        // the next drops each document once resolved: the documents and
        // the model at once were most of the peak memory of `check`.
        let mut documents: Vec<Option<Arc<RawDoc<RawScenario>>>> =
            candidates.into_iter().map(Some).collect();
        let this = &*self;
        slots
            .par_iter_mut()
            .zip(documents.par_iter_mut())
            .filter(|(slot, _)| slot.is_none())
            .for_each(|(slot, document)| {
                let Some(doc) = document.take() else { return };
                let mut own = this.for_one_file();
                let scenario = own.scenario(model, &doc).map(Arc::new);
                let broken_id = scenario.is_none().then(|| doc.id.clone());
                let memo = Memo {
                    _document: keep_documents.then_some(doc),
                    broken_id,
                    scenario,
                    problems: own.problems,
                    markdown: own.pending,
                    link_problems: None,
                };
                *slot = Some(memo);
            });
        let mut scenarios = Vec::with_capacity(slots.len());
        for (memo, at) in slots.into_iter().zip(addresses) {
            let Some(memo) = memo else { continue };
            self.problems.extend(memo.problems.iter().cloned());
            match (&memo.scenario, &memo.broken_id) {
                (Some(scenario), _) => scenarios.push(Arc::clone(scenario)),
                // Left out for its own errors: links to it are not reported again.
                (None, Some(id)) => drop(self.broken.scenarios.insert(id.clone())),
                (None, None) => {}
            }
            memos.insert(at, memo);
        }
        scenarios.sort_by(|a, b| a.id.cmp(&b.id));
        model.scenarios = scenarios;
    }

    /// An empty collector that knows what this one knows (declared
    /// conditions, broken files), for resolving one file on another thread.
    pub(super) fn for_one_file(&self) -> Resolver {
        Resolver {
            condition_names: self.condition_names.clone(),
            broken: self.broken.clone(),
            ..Resolver::default()
        }
    }

    pub(super) fn scenario(
        &mut self,
        model: &Model,
        doc: &RawDoc<RawScenario>,
    ) -> Option<Scenario> {
        let (file, raw) = (&doc.file, &doc.value);
        let from = self.select(model, file, &raw.from, Role::Many);
        let to = self.select(model, file, &raw.to, Role::Target);
        let mut via = Some(Vec::new());
        for stop in raw.via.iter().flat_map(|v| &v.value) {
            match (self.select(model, file, stop, Role::Exact), &mut via) {
                (Some(nodes), Some(list)) => list.extend(nodes),
                _ => via = None,
            }
        }
        let issues = self.issues(model, file, &raw.issues);
        let links = self.links(file, &raw.links);
        let sources = self.sources(file, &raw.sources);
        let condition = self.condition(file, &raw.when, &raw.unless);
        let summary = self.markdown(file, &raw.summary);
        let notes = self.markdown(file, &raw.notes);
        let steps = raw
            .steps
            .iter()
            .flatten()
            .filter_map(|step| self.markdown(file, &Some(step.clone())))
            .collect();
        let alternatives = raw
            .alternatives
            .iter()
            .flatten()
            .map(|a| Alternative {
                title: self.one_line(file, &a.title, "an alternative's title"),
                body: self.markdown(file, &a.body),
            })
            .collect();
        let title = self.one_line_opt(file, &raw.title, "the scenario's title");
        if let Some(updated) = &raw.updated {
            self.date(file, updated);
        }
        let (from, to, via) = (from?, to?, via?);
        if !self.covers_upgrades(model, raw, file, &from, &to) {
            return None;
        }
        if raw.direct.value == crate::load::Direct::Supported {
            self.stale_recommendation(model, file, raw.updated.as_ref(), &from, &to);
        }
        let title = match title {
            Some(title) => title,
            None => format!(
                "{} to {}",
                describe_selection(model, &from),
                describe_selection(model, &to)
            ),
        };
        Some(Scenario {
            id: doc.id.clone(),
            file: file.clone(),
            from,
            to,
            from_selector: raw.from.value.trim().to_owned(),
            to_selector: raw.to.value.trim().to_owned(),
            supported: raw.direct.value == crate::load::Direct::Supported,
            title,
            updated: Self::text(&raw.updated),
            summary,
            via,
            steps,
            issues,
            alternatives,
            links,
            sources,
            notes,
            condition,
            spans: ScenarioSpans {
                from: span(file, &raw.from),
                to: span(file, &raw.to),
                direct: span(file, &raw.direct),
                via: raw.via.as_ref().map(|v| span(file, v)),
            },
        })
    }

    pub(super) fn issues(
        &mut self,
        model: &Model,
        file: &Path,
        raw: &Option<Vec<RawIssue>>,
    ) -> Vec<Issue> {
        let mut issues = Vec::new();
        for issue in raw.iter().flatten() {
            let component = issue.component.as_ref().and_then(|id| {
                let found = model.component_index(&id.value);
                if found.is_none() && !self.broken.components.contains(&id.value) {
                    let hint = component_hint(model, &id.value);
                    self.report(
                        Diagnostic::error(
                            span(file, id),
                            format!("unknown component `{}`", id.value),
                        )
                        .with_hint(hint),
                    );
                }
                found
            });
            let originally = issue
                .applies_if
                .as_ref()
                .map(|a| self.originally(model, file, &a.originally));
            issues.push(Issue {
                title: self.one_line(file, &issue.title, "an issue's title"),
                severity: issue
                    .severity
                    .as_ref()
                    .map_or(Severity::Warning, |s| severity_of(s.value)),
                component,
                body: self.markdown(file, &issue.body),
                originally,
                condition: self.condition(file, &issue.when, &issue.unless),
            });
        }
        issues
    }

    pub(super) fn sources(&mut self, file: &Path, raw: &Option<Vec<RawSource>>) -> Vec<SourceRef> {
        let mut sources = Vec::new();
        for source in raw.iter().flatten() {
            if let Some(retrieved) = &source.retrieved {
                self.date(file, retrieved);
            }
            let title = self.one_line(file, &source.title, "a source's title");
            if self.url(file, &source.url) {
                sources.push(SourceRef {
                    title,
                    url: source.url.value.trim().to_owned(),
                    quote: Self::text(&source.quote),
                    retrieved: Self::text(&source.retrieved),
                });
            }
        }
        sources
    }

    /// A supported scenario last `updated` on a day its targets were already
    /// out of every support probably recommends what nobody should install
    /// any more: one warning at the date, naming them. A target that is a
    /// stop every route within its product must make (a required stop, a
    /// step of a sequential product) stays the one to recommend, in support
    /// or not, and is not named.
    fn stale_recommendation(
        &mut self,
        model: &Model,
        file: &Path,
        updated: Option<&S<String>>,
        from: &[NodeId],
        to: &[NodeId],
    ) {
        let Some(updated) = updated else { return };
        // Within a product only: from another, the way in may have other doors.
        let same_product = |target: NodeId| {
            from.iter()
                .all(|f| model.nodes[*f].product == model.nodes[target].product)
        };
        let Some(day) = crate::lifecycle::Date::parse(&updated.value) else {
            return;
        };
        let stale: Vec<(NodeId, crate::lifecycle::Date)> = to
            .iter()
            .filter(|&&target| !(same_product(target) && is_required_on_the_way(model, target)))
            .filter_map(
                |&target| match model.version(target).lifecycle.status(day) {
                    crate::lifecycle::Status::OutOfSupport(since) => Some((target, since)),
                    _ => None,
                },
            )
            .collect();
        let Some(&(first, since)) = stale.first() else {
            return;
        };
        let named = match stale.len() {
            1 => format!(
                "{} was already out of support (since {})",
                model.node_title(first),
                since.words()
            ),
            n => {
                let nodes: Vec<NodeId> = stale.iter().map(|(t, _)| *t).collect();
                format!(
                    "{n} of its targets were already out of support ({})",
                    crate::selector::describe_selection(model, &nodes)
                )
            }
        };
        self.report(
            Diagnostic::warning(
                span(file, updated),
                format!("this scenario was updated on {}, when {named}", day.words()),
            )
            .with_hint(
                "check that it is still the upgrade to recommend; if a newer version in support is, point `to` at it or add a scenario for it",
            ),
        );
    }

    pub(super) fn date(&mut self, file: &Path, date: &S<String>) {
        if !is_iso_date(&date.value) {
            self.report(
                Diagnostic::error(
                    span(file, date),
                    format!("`{}` is not a date", shorten(&date.value)),
                )
                .with_hint("write a day of the calendar as YYYY-MM-DD, e.g. 2024-02-29"),
            );
        }
    }

    /// The versions an issue's `applies_if.originally` names, sorted,
    /// within the file's share of [`MAX_ORIGINALLY_PER_FILE`].
    pub(super) fn originally(
        &mut self,
        model: &Model,
        file: &Path,
        raw: &S<Selectors>,
    ) -> Vec<NodeId> {
        let one;
        let selectors: &[S<String>] = match &raw.value {
            Selectors::One(text) => {
                let text = text.clone().unwrap_or_default();
                one = [S::new(text, raw.referenced)];
                &one
            }
            Selectors::Many(list) => list,
        };
        let mut nodes = Vec::new();
        for selector in selectors {
            let found = self
                .select(model, file, selector, Role::Many)
                .unwrap_or_default();
            self.originally_named += found.len();
            if self.originally_named > MAX_ORIGINALLY_PER_FILE {
                self.report(Diagnostic::error(
                    span(file, selector),
                    format!(
                        "the `originally` of this file's issues name more than {MAX_ORIGINALLY_PER_FILE} versions in all"
                    ),
                ).with_hint(format!(
                    "name the versions a server began as with narrower selectors, e.g. `p@<2.0`; {LIMITS_DOC}"
                )));
                return Vec::new();
            }
            nodes.extend(found);
        }
        nodes.sort_unstable();
        nodes.dedup();
        nodes
    }

    /// Whether `from` and `to` name at least one upgrade, and at most
    /// [`MAX_SCENARIO_PAIRS`]; says why not.
    pub(super) fn covers_upgrades(
        &mut self,
        model: &Model,
        raw: &RawScenario,
        file: &Path,
        from: &[NodeId],
        to: &[NodeId],
    ) -> bool {
        let pairs = from.len().saturating_mul(to.len());
        if pairs > MAX_SCENARIO_PAIRS {
            self.report(Diagnostic::error(
                span(file, &raw.from),
                format!(
                    "`from` and `to` cover {pairs} upgrades ({} versions to {} versions); a scenario covers at most {MAX_SCENARIO_PAIRS}",
                    from.len(),
                    to.len()
                ),
            ).with_hint(format!(
                "narrow the selectors (`p@>=2.0,<3.0`) or split the scenario in several; {LIMITS_DOC}"
            )));
            return false;
        }
        if let ([one], [other]) = (from, to)
            && one == other
        {
            self.report(Diagnostic::error(
                span(file, &raw.to),
                format!(
                    "`from` and `to` are the same version, {}: a scenario is about an upgrade to another version",
                    model.node_ref(*one)
                ),
            ).with_hint("correct `from` or `to`"));
            return false;
        }
        true
    }

    /// Keeps the upgrades of all scenarios and rules within [`MAX_UPGRADES`]:
    /// the scenario that would pass it is reported, and it and the
    /// scenarios after it (in id order) are left out, so that no later
    /// stage builds what the limit refuses.
    pub(super) fn keep_within_upgrade_limit(&mut self, model: &mut Model) {
        let mut total = self.upgrades;
        let over = model.scenarios.iter().position(|scenario| {
            total += scenario.from.len() * scenario.to.len();
            total > MAX_UPGRADES
        });
        let Some(over) = over else { return };
        let scenario = &model.scenarios[over];
        self.report(Diagnostic::error(
            scenario.spans.from.clone(),
            format!(
                "with this scenario, the knowledge base describes more than {MAX_UPGRADES} upgrades (the pairs of all scenarios and the upgrades of all rules)"
            ),
        ).with_hint(format!(
            "scenarios from here on in id order are not checked; narrow the selectors of the widest scenarios; {LIMITS_DOC}"
        )));
        for dropped in model.scenarios.drain(over..) {
            self.broken.scenarios.insert(dropped.id.clone());
        }
    }

    /// Files in content/static/ may not take the place of generated ones.
    pub(super) fn check_static(&mut self, model: &Model) {
        for StaticFile { target, file, .. } in &model.static_files {
            let top = target
                .components()
                .next()
                .and_then(|c| c.as_os_str().to_str())
                .unwrap_or_default();
            let taken = top != crate::layout::STACKS_DIR || !model.stacks.is_empty();
            if GENERATED.contains(&top) && taken {
                let hint = format!(
                    "the site itself uses {}; put static files in another folder, e.g. static/files/",
                    GENERATED.join(", ")
                );
                self.report(
                    Diagnostic::error(
                        Span::file_start(file),
                        format!("`static/{top}` would replace part of the generated site"),
                    )
                    .with_hint(hint),
                );
            }
        }
    }
}

/// Whether every route through `node`'s product must stop at it: a
/// required stop of a rule, or a version a sequential rule leads on from.
fn is_required_on_the_way(model: &Model, node: NodeId) -> bool {
    let index = model.nodes[node].version;
    model.product_of(node).rules.iter().any(|rule| {
        rule.stops.iter().any(|stop| stop.version == index)
            || (rule.policy == crate::model::Policy::Sequential
                && rule
                    .members
                    .split_last()
                    .is_some_and(|(_, rest)| rest.contains(&index)))
    })
}

fn severity_of(raw: RawSeverity) -> Severity {
    match raw {
        RawSeverity::Blocking => Severity::Blocking,
        RawSeverity::Warning => Severity::Warning,
        RawSeverity::Info => Severity::Info,
    }
}
