//! What a version page says about support: the status in words and dates,
//! and, near or past the end, the route to a supported version.
//!
//! Pages must come out the same whatever day they are built, so unless
//! `site.yaml` fixes `today:`, they carry every status with the day it
//! starts (the script `assets/lifecycle.js` shows the one for the reader's
//! day) and every stretch of days over which the route stays the same.

use serde::Serialize;

use super::Planner;
use super::urls::Urls;
use super::views::{IssueView, Link, SourceView};
use crate::graph::{Origin, PathTree, support};
use crate::i18n::Messages;
use crate::lifecycle::{self, Date, Lifecycle, SupportEnds};
use crate::model::{Model, NodeId, PhaseLabels};

#[derive(Serialize)]
pub struct SupportView {
    /// The status on the fixed day, or else the dates alone, in words.
    pub text: String,
    /// The status's key (`supported`, `extended`, `ended`, ...) on the fixed day.
    pub fixed: Option<&'static str>,
    /// For the script, when no day is fixed: each status with its first day.
    pub marks: Vec<Mark>,
    /// Released, end of each phase, LTS, latest patch.
    pub facts: Vec<Fact>,
    pub sources: Vec<SourceView>,
    pub route: Option<RouteToSupport>,
}

#[derive(Serialize)]
pub struct Mark {
    /// ISO, or empty for "from the start".
    pub from: String,
    pub key: &'static str,
    pub text: String,
}

#[derive(Serialize)]
pub struct Fact {
    pub label: String,
    pub text: String,
    /// ISO, for `<time datetime>`, when the fact is a date.
    pub datetime: Option<String>,
}

#[derive(Serialize)]
pub struct RouteToSupport {
    /// The first day the section concerns (ISO), for the script; absent
    /// when the day is fixed.
    pub from: Option<String>,
    pub stretches: Vec<StretchView>,
}

#[derive(Serialize)]
pub struct StretchView {
    pub from: String,
    pub until: Option<String>,
    /// "From 1 May 2024 until 26 September 2024", when the day is not fixed.
    pub when: Option<String>,
    pub routes: Vec<RouteView>,
}

#[derive(Serialize)]
pub struct RouteView {
    /// "Get to a supported version: 2 hops".
    pub heading: String,
    pub target: Link,
    /// The target's status in words, on the stretch's first day.
    pub target_status: String,
    pub stops: Vec<Link>,
    pub issues: Vec<IssueView>,
}

/// The status at the start of each stretch of days over which it holds.
fn marks(words: &Messages, lifecycle: &Lifecycle, labels: &PhaseLabels) -> Vec<Mark> {
    let mut marks = Vec::new();
    let first_day = lifecycle.events().first().map(|d| d.plus_days(-1));
    let days = first_day.into_iter().chain(lifecycle.events());
    for (index, day) in days.enumerate() {
        let status = lifecycle.status(day);
        if marks
            .last()
            .is_some_and(|m: &Mark| m.key == lifecycle::status_key(status))
        {
            continue;
        }
        marks.push(Mark {
            from: if index == 0 {
                String::new()
            } else {
                day.to_string()
            },
            key: lifecycle::status_key(status),
            text: words.status(status, labels),
        });
    }
    marks
}

/// The dates alone, in words: what a page without a fixed day says
/// before the script (or without it).
fn dates_in_words(words: &Messages, lifecycle: &Lifecycle, labels: &PhaseLabels) -> String {
    let mut parts = Vec::new();
    match lifecycle.support_ends {
        Some(SupportEnds::On(day)) => parts.push(words.text(
            "phase-ends-on",
            &[
                ("phase", labels.mainstream.as_str().into()),
                ("day", words.date(day).into()),
            ],
        )),
        Some(SupportEnds::NotAnnounced) => parts.push(words.text("support-end-not-announced", &[])),
        None => {}
    }
    if let Some(day) = lifecycle.extended_support_ends {
        let phase = words.in_sentence(&labels.extended);
        parts.push(words.text(
            "phase-ends-on",
            &[("phase", phase.into()), ("day", words.date(day).into())],
        ));
    }
    parts.join(&words.text("clause-separator", &[]))
}

fn facts(words: &Messages, lifecycle: &Lifecycle, labels: &PhaseLabels) -> Vec<Fact> {
    let date = |label: String, day: Date| Fact {
        label,
        text: words.date(day),
        datetime: Some(day.to_string()),
    };
    let ends = |phase: &str| words.text("lifecycle-phase-ends", &[("phase", phase.into())]);
    let mut facts = Vec::new();
    if let Some(day) = lifecycle.released {
        facts.push(date(words.text("released", &[]), day));
    }
    match lifecycle.support_ends {
        Some(SupportEnds::On(day)) => facts.push(date(ends(&labels.mainstream), day)),
        Some(SupportEnds::NotAnnounced) => facts.push(Fact {
            label: ends(&labels.mainstream),
            text: words.text("not-announced", &[]),
            datetime: None,
        }),
        None => {}
    }
    if let Some(day) = lifecycle.extended_support_ends {
        facts.push(date(ends(&labels.extended), day));
    }
    if lifecycle.lts {
        facts.push(Fact {
            label: words.text("long-term-support", &[]),
            text: words.text("yes", &[]),
            datetime: None,
        });
    }
    if let Some(latest) = &lifecycle.latest {
        let text = match lifecycle.latest_released {
            Some(day) => words.text(
                "latest-released",
                &[
                    ("latest", latest.as_str().into()),
                    ("day", words.date(day).into()),
                ],
            ),
            None => latest.clone(),
        };
        facts.push(Fact {
            label: words.text("latest-patch", &[]),
            text,
            datetime: None,
        });
    }
    facts
}

/// Every version a search reached, with its hops, the source left out.
fn reached_from(tree: &PathTree, source: NodeId) -> Vec<(NodeId, u32)> {
    (tree.reached().into_iter())
        .filter(|n| *n != source)
        .filter_map(|n| tree.hops(n).map(|h| (n, h)))
        .collect()
}

/// Whether `target` stays in mainstream support longer than `source`:
/// a route that leads to a version leaving support first is no way out.
pub fn outlasts(model: &Model, source: NodeId, target: NodeId) -> bool {
    let rank = |n: NodeId| match model.version(n).lifecycle.support_ends {
        Some(SupportEnds::NotAnnounced) => (true, None),
        Some(SupportEnds::On(day)) => (false, Some(day)),
        None => (false, None),
    };
    rank(target) > rank(source)
}

/// The stretches of a route to support worth a reader's attention: while
/// the version is itself in support (before `end`) and nothing it reaches
/// outlasts it, there is nowhere to head for and nothing to warn of (every
/// point release of a series, before the next is out). Such a stretch is
/// left out, or starts on `end` when it runs past it, where "no version
/// this one can reach is in support" becomes true.
fn worth_saying(stretches: Vec<support::Stretch>, end: Date) -> Vec<support::Stretch> {
    stretches
        .into_iter()
        .filter_map(|mut stretch| {
            if stretch.heading.is_some() || stretch.from >= end {
                return Some(stretch);
            }
            match stretch.until {
                Some(until) if until <= end => None,
                _ => {
                    stretch.from = end;
                    Some(stretch)
                }
            }
        })
        .collect()
}

impl Planner<'_> {
    fn phase_labels(&self, node: NodeId) -> &PhaseLabels {
        &self.model.product_of(node).phases
    }

    /// The support section of a version page, when the version states any dates.
    pub(in crate::plan) fn support_view(
        &self,
        page: &str,
        node: NodeId,
        tree: &PathTree,
    ) -> Option<SupportView> {
        let model = self.model;
        let version = model.version(node);
        let lifecycle = &version.lifecycle;
        if !lifecycle.is_stated() {
            return None;
        }
        let labels = self.phase_labels(node);
        let today = model.site.today;
        let (text, fixed, marks) = match today {
            Some(day) => {
                let status = lifecycle.status(day);
                let key = lifecycle::status_key(status);
                (
                    self.messages().status(status, labels),
                    Some(key),
                    Vec::new(),
                )
            }
            None => (
                dates_in_words(self.messages(), lifecycle, labels),
                None,
                marks(self.messages(), lifecycle, labels),
            ),
        };
        Some(SupportView {
            text,
            fixed,
            marks,
            facts: facts(self.messages(), lifecycle, labels),
            sources: self.version_sources(page, node),
            route: self.route_to_support(page, node, tree),
        })
    }

    fn version_sources(&self, page: &str, node: NodeId) -> Vec<SourceView> {
        self.model
            .version(node)
            .sources
            .iter()
            .map(|s| SourceView {
                title: s.title.clone(),
                url: self.urls.written(page, &s.url),
                quotes: s.quote.iter().cloned().collect(),
                retrieved: s.retrieved.clone(),
            })
            .collect()
    }

    /// The routes to support, from the day mainstream support is within
    /// the site's warning window of its end: on the fixed day only, or for
    /// every stretch of days from then on.
    fn route_to_support(
        &self,
        page: &str,
        node: NodeId,
        tree: &PathTree,
    ) -> Option<RouteToSupport> {
        let model = self.model;
        let lifecycle = &model.version(node).lifecycle;
        let end = lifecycle.mainstream_end()?;
        // Not before the release: a version is not leaving support before
        // it is out (a point release superseded within the window).
        let window = end.plus_days(-model.site.support_warning_days);
        let warn_from = lifecycle
            .released
            .map_or(window, |released| window.max(released));
        let reached = reached_from(tree, node);
        let of = |n: NodeId| &model.version(n).lifecycle;
        let accept = |n: NodeId, _: Date| outlasts(model, node, n);
        let (from, stretches) = match model.site.today {
            Some(today) if today < warn_from => return None,
            Some(today) => {
                let mut first = support::stretches(today, &reached, of, accept);
                first.truncate(1);
                // The page speaks of today only: while the version is
                // itself in support, nowhere to head for is nothing to say.
                first.retain(|stretch| stretch.heading.is_some() || today >= end);
                (None, first)
            }
            None => {
                let stretches =
                    worth_saying(support::stretches(warn_from, &reached, of, accept), end);
                (Some(stretches.first()?.from.to_string()), stretches)
            }
        };
        if stretches.is_empty() {
            return None;
        }
        let fixed = model.site.today.is_some();
        let stretches = stretches
            .into_iter()
            .map(|stretch| StretchView {
                from: stretch.from.to_string(),
                until: stretch.until.map(|d| d.to_string()),
                when: (!fixed).then(|| {
                    let from = self.messages().date(stretch.from).into();
                    match stretch.until {
                        Some(until) => {
                            let until = self.messages().date(until.plus_days(-1)).into();
                            self.words("stretch-from-until", &[("from", from), ("until", until)])
                        }
                        None => self.words("stretch-from", &[("from", from)]),
                    }
                }),
                routes: stretch
                    .heading
                    .iter()
                    .flat_map(|h| {
                        let nearest = (self.words("support-get-to-supported", &[]), h.nearest);
                        let lts = (h.lts).map(|l| (self.words("support-get-to-lts", &[]), l));
                        std::iter::once(nearest).chain(lts)
                    })
                    .filter_map(|(title, target)| {
                        self.route_view(page, node, tree, &title, target, stretch.from)
                    })
                    .collect(),
            })
            .collect();
        Some(RouteToSupport { from, stretches })
    }

    fn route_view(
        &self,
        page: &str,
        source: NodeId,
        tree: &PathTree,
        title: &str,
        target: NodeId,
        on: Date,
    ) -> Option<RouteView> {
        let model = self.model;
        let path = tree.path_to(target)?;
        let edges = &self.analysis.default;
        let issues = edges
            .path_issues(&path, source)
            .into_iter()
            .map(|found| {
                let origin = match found.origin {
                    Origin::Scenario(s) => {
                        self.link(page, &model.scenarios[s].title, &Urls::scenario(model, s))
                    }
                    Origin::Version(v) => self.node_link(page, v),
                };
                self.issue_view(page, found.issue, Some(origin), None)
            })
            .collect();
        let status = model.version(target).lifecycle.status(on);
        Some(RouteView {
            heading: self.words(
                "support-route-heading",
                &[("title", title.into()), ("hops", (path.len() - 1).into())],
            ),
            target: self.node_link(page, target),
            target_status: self.messages().status(status, self.phase_labels(target)),
            stops: path.iter().map(|n| self.node_link(page, *n)).collect(),
            issues,
        })
    }
}

/// A product page's lifecycle table and timeline, when any version states dates.
#[derive(Serialize)]
pub struct ProductLifecycle {
    pub mainstream_label: String,
    pub extended_label: String,
    /// Whether any version has an extended phase (the column is left out otherwise).
    pub any_extended: bool,
    pub rows: Vec<LifecycleRow>,
    /// The versions out of support on the fixed day; without one, every
    /// version whose support ends, for the script to keep those already
    /// past their end on the reader's day.
    pub ended: Vec<EndedVersion>,
    /// Whether `ended` holds only the versions ended on the fixed day.
    pub ended_fixed: bool,
    /// Inline SVG, generated and escaped in Rust.
    pub timeline: Option<String>,
    pub sources: Vec<SourceView>,
}

/// A version out of support (or to be, when no day is fixed), and since when.
#[derive(Serialize)]
pub struct EndedVersion {
    pub link: Link,
    /// ISO.
    pub since: String,
    pub since_words: String,
}

#[derive(Serialize)]
pub struct LifecycleRow {
    pub link: Link,
    pub released: Option<Fact>,
    pub support_ends: Option<Fact>,
    pub extended_ends: Option<Fact>,
    pub lts: bool,
    pub latest: Option<String>,
    /// The status on the fixed day, when `today:` is set; without it, the
    /// dates in words, which the script replaces by the reader's day's status.
    pub status: Option<String>,
    pub status_key: Option<&'static str>,
    /// Without a fixed day: each status with its first day, for the script.
    pub marks: Vec<Mark>,
}

/// The day a version's support ends for good, when its dates say so.
fn end_of_support(lifecycle: &Lifecycle) -> Option<Date> {
    let last = *lifecycle.events().last()?;
    match lifecycle.status(last) {
        lifecycle::Status::OutOfSupport(since) => Some(since),
        _ => None,
    }
}

/// One day some version leaves a phase of support.
#[derive(Serialize)]
pub struct SupportEvent {
    pub on: String,
    pub on_words: String,
    pub link: Link,
    /// "leaves mainstream support", "leaves extended support", ...
    pub what: String,
}

/// The home page's list of what leaves support next: at most this many.
pub const LEAVING_NEXT: usize = 8;
/// Without a fixed day the list carries the latest events, for the script
/// to pick from: at most this many, so that the page stays small.
pub const LEAVING_CARRIED: usize = 200;

fn date_fact(day: Date) -> Fact {
    Fact {
        label: String::new(),
        text: day.to_string(),
        datetime: Some(day.to_string()),
    }
}

impl Planner<'_> {
    pub(in crate::plan) fn product_lifecycle(
        &self,
        page: &str,
        p: usize,
    ) -> Option<ProductLifecycle> {
        let model = self.model;
        let product = &model.products[p];
        if !product.versions.iter().any(|v| v.lifecycle.is_stated()) {
            return None;
        }
        let today = model.site.today;
        let rows = product
            .versions
            .iter()
            .map(|v| {
                let l = &v.lifecycle;
                let status = today.filter(|_| l.is_stated()).map(|day| l.status(day));
                let stated_undated = (today.is_none() && l.is_stated()).then(|| {
                    (
                        dates_in_words(self.messages(), l, &product.phases),
                        marks(self.messages(), l, &product.phases),
                    )
                });
                let (fallback, marks) = stated_undated.unzip();
                LifecycleRow {
                    link: self.node_link(page, v.node),
                    released: l.released.map(date_fact),
                    support_ends: l.support_ends.map(|ends| match ends {
                        SupportEnds::On(day) => date_fact(day),
                        SupportEnds::NotAnnounced => Fact {
                            label: String::new(),
                            text: self.words("not-announced", &[]),
                            datetime: None,
                        },
                    }),
                    extended_ends: l.extended_support_ends.map(date_fact),
                    lts: l.lts,
                    latest: l.latest.clone(),
                    status: status
                        .map(|s| self.messages().status(s, &product.phases))
                        .or(fallback),
                    status_key: status.map(lifecycle::status_key),
                    marks: marks.unwrap_or_default(),
                }
            })
            .collect();
        let mut sources: Vec<SourceView> = Vec::new();
        for v in &product.versions {
            for source in self.version_sources(page, v.node) {
                if !sources.iter().any(|s| s.url == source.url) {
                    sources.push(source);
                }
            }
        }
        Some(ProductLifecycle {
            mainstream_label: product.phases.mainstream.clone(),
            extended_label: product.phases.extended.clone(),
            any_extended: product
                .versions
                .iter()
                .any(|v| v.lifecycle.extended_support_ends.is_some()),
            rows,
            ended: self.ended_versions(page, p),
            ended_fixed: today.is_some(),
            timeline: super::timeline::support_timeline(self.messages(), product, today),
            sources,
        })
    }

    /// A product's versions out of support on the fixed day, or, without
    /// one, every version whose support ends; the latest end first, since
    /// the versions that left last are those a reader may still run.
    fn ended_versions(&self, page: &str, p: usize) -> Vec<EndedVersion> {
        let today = self.model.site.today;
        let mut ended: Vec<(Date, NodeId)> = self.model.products[p]
            .versions
            .iter()
            .filter_map(|v| Some((end_of_support(&v.lifecycle)?, v.node)))
            .filter(|(since, _)| today.is_none_or(|day| *since <= day))
            .collect();
        ended.sort_by(|a, b| b.cmp(a));
        ended
            .into_iter()
            .map(|(since, node)| EndedVersion {
                link: self.node_link(page, node),
                since: since.to_string(),
                since_words: self.messages().date(since),
            })
            .collect()
    }

    /// Every day a version leaves a phase of support, in date order.
    pub(in crate::plan) fn support_events(&self, page: &str) -> Vec<SupportEvent> {
        let model = self.model;
        let mut events: Vec<(Date, NodeId, String)> = Vec::new();
        for node in 0..model.nodes.len() {
            let l = &model.version(node).lifecycle;
            let labels = self.phase_labels(node);
            if let Some(day) = l.mainstream_end() {
                let what = match l.extended_support_ends {
                    Some(_) => self.leaves(&labels.mainstream),
                    None => self.words("leaves-support", &[]),
                };
                events.push((day, node, what));
            }
            if let Some(day) = l.extended_support_ends {
                events.push((day, node, self.leaves(&labels.extended)));
            }
        }
        events.sort();
        events
            .into_iter()
            .map(|(day, node, what)| SupportEvent {
                on: day.to_string(),
                on_words: self.messages().date(day),
                link: self.node_link(page, node),
                what,
            })
            .collect()
    }

    /// What leaves support next: after the fixed day, or (for the script to
    /// choose from) the latest [`LEAVING_CARRIED`] events.
    pub(in crate::plan) fn leaving_next(&self, page: &str) -> Vec<SupportEvent> {
        let mut events = self.support_events(page);
        match self.model.site.today {
            Some(today) => {
                let today = today.to_string();
                events.retain(|e| e.on >= today);
                events.truncate(LEAVING_NEXT);
            }
            None => {
                let skip = events.len().saturating_sub(LEAVING_CARRIED);
                events.drain(..skip);
            }
        }
        events
    }
}

impl Planner<'_> {
    /// "leaves mainstream support", with the phase named as a sentence has it.
    fn leaves(&self, phase: &str) -> String {
        let phase = self.messages().in_sentence(phase);
        self.words("leaves-phase", &[("phase", phase.into())])
    }
}

/// Where the feed of support events is written.
pub use crate::layout::SUPPORT_FEED;

impl Planner<'_> {
    /// The feed of support events: a version leaving mainstream or extended
    /// support, one entry each, the latest first. Without a base URL there
    /// is none (Atom needs absolute ids), nor without any event. With
    /// `today:` fixed, it holds the events up to the end of the warning
    /// window after that day; otherwise every event the dates announce.
    pub(in crate::plan) fn support_feed(&self) -> Option<super::feed::Feed> {
        let base = self.base_url.as_deref()?;
        let model = self.model;
        let absolute = |path: &str| self.urls.absolute(base, path);
        let horizon = model
            .site
            .today
            .map(|t| t.plus_days(model.site.support_warning_days));
        let mut entries: Vec<super::feed::Entry> = Vec::new();
        for node in 0..model.nodes.len() {
            let l = &model.version(node).lifecycle;
            let labels = self.phase_labels(node);
            let title = model.node_title(node);
            let page = absolute(&Urls::version(model, node));
            let words = self.messages();
            let mut add = |day: Date, kind: &str, leaves: String| {
                if horizon.is_some_and(|h| day > h) {
                    return;
                }
                let on = words.date(day);
                entries.push(super::feed::Entry {
                    id: format!("{page}#{kind}-{day}"),
                    title: words.text(
                        "feed-leaves-on",
                        &[
                            ("version", title.as_str().into()),
                            ("leaves", leaves.into()),
                            ("day", on.into()),
                        ],
                    ),
                    updated: day.to_string(),
                    link: page.clone(),
                    summary: Some(words.status(l.status(day), labels)),
                });
            };
            if let Some(day) = l.mainstream_end() {
                let leaves = match l.extended_support_ends {
                    Some(_) => self.leaves(&labels.mainstream),
                    None => self.words("leaves-support", &[]),
                };
                add(day, "support-ends", leaves);
            }
            if let Some(day) = l.extended_support_ends {
                add(day, "extended-support-ends", self.leaves(&labels.extended));
            }
        }
        entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
        Some(super::feed::Feed {
            title: self.words(
                "feed-support-title",
                &[("site", model.site.title.as_str().into())],
            ),
            self_url: format!("{base}{SUPPORT_FEED}"),
            site_url: base.to_owned(),
            entries,
        })
    }
}
