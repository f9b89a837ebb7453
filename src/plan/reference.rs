//! Scenario and component pages.

use super::urls::Urls;
use super::views::*;
use super::{Page, Planner};
use crate::graph::affected_components;
use crate::model::{Issue, NodeId};

impl Planner<'_> {
    pub(super) fn scenario_page(&self, s: usize) -> Page {
        let model = self.model;
        let scenario = &model.scenarios[s];
        let path = Urls::scenario(model, s);
        let frame = self.frame(&path, scenario.title.clone(), Vec::new());
        let single = |nodes: &[NodeId]| (nodes.len() == 1).then(|| nodes[0]);
        let route: Vec<Link> = match (single(&scenario.from), single(&scenario.to)) {
            (Some(from), Some(to)) if !scenario.via.is_empty() => std::iter::once(from)
                .chain(scenario.via.iter().copied())
                .chain([to])
                .map(|n| self.node_link(&path, n))
                .collect(),
            _ => Vec::new(),
        };
        let via_names: Vec<String> = scenario.via.iter().map(|n| model.node_title(*n)).collect();
        let verdict = match (scenario.supported, via_names.is_empty()) {
            (true, _) => self.words("verdict-supported", &[]),
            (false, true) => self.words("verdict-not-supported", &[]),
            (false, false) => {
                let route = via_names.join(&self.words("route-then-separator", &[]));
                self.words("verdict-go-through", &[("route", route.into())])
            }
        };
        let page = ScenarioPage {
            title: scenario.title.clone(),
            supported: scenario.supported,
            verdict,
            from: self.selection(&path, &scenario.from_selector, &scenario.from),
            to: self.selection(&path, &scenario.to_selector, &scenario.to),
            summary: scenario.summary.clone(),
            route,
            via: scenario
                .via
                .iter()
                .map(|n| self.node_link(&path, *n))
                .collect(),
            steps: scenario.steps.clone(),
            issues: self.own_issue_views(&path, &scenario.issues),
            alternatives: Self::alternatives(&scenario.alternatives),
            links: scenario
                .links
                .iter()
                .map(|l| self.outside(&path, l))
                .collect(),
            sources: self.sources_of(&path, &[s]),
            notes: scenario.notes.clone(),
            product_notes: self.product_notes(&path, s),
            conditions: self.only_if(&scenario.condition),
            file: scenario.file.display().to_string(),
        };
        self.make_page(path, "scenario.html", frame, page)
    }

    /// The notes of the products a scenario names, each product once.
    fn product_notes(&self, page: &str, s: usize) -> Vec<ProductNotes> {
        let model = self.model;
        let scenario = &model.scenarios[s];
        let mut products: Vec<usize> = (scenario.from.iter())
            .chain(&scenario.to)
            .chain(&scenario.via)
            .map(|n| model.nodes[*n].product)
            .collect();
        products.sort_unstable();
        products.dedup();
        products
            .into_iter()
            .filter_map(|p| {
                let product = &model.products[p];
                Some(ProductNotes {
                    product: self.link(page, &product.name, &Urls::product(model, p)),
                    notes: product.notes.clone()?,
                })
            })
            .collect()
    }

    /// The sources of some scenarios, each once, in the scenarios' order.
    /// The sources of these scenarios, one entry per address, with every
    /// distinct quote taken from it.
    pub(super) fn sources_of(&self, page: &str, scenarios: &[usize]) -> Vec<SourceView> {
        let mut views: Vec<SourceView> = Vec::new();
        let mut addresses: Vec<&str> = Vec::new();
        for source in scenarios
            .iter()
            .flat_map(|s| &self.model.scenarios[*s].sources)
        {
            let at = match addresses.iter().position(|a| *a == source.url) {
                Some(at) => at,
                None => {
                    addresses.push(&source.url);
                    views.push(SourceView {
                        title: source.title.clone(),
                        url: self.urls.written(page, &source.url),
                        quotes: Vec::new(),
                        retrieved: source.retrieved.clone(),
                    });
                    views.len() - 1
                }
            };
            if let Some(quote) = &source.quote
                && !views[at].quotes.contains(quote)
            {
                views[at].quotes.push(quote.clone());
            }
        }
        views
    }

    fn selection(&self, page: &str, selector: &str, nodes: &[NodeId]) -> Selection {
        Selection {
            selector: selector.to_owned(),
            description: self.describe_nodes(nodes),
            versions: nodes.iter().map(|n| self.node_link(page, *n)).collect(),
        }
    }

    pub(super) fn component_page(&self, c: usize) -> Page {
        let model = self.model;
        let component = &model.components[c];
        let path = Urls::component(model, c);
        let frame = self.frame(&path, component.name.clone(), Vec::new());
        let link = |other: usize| self.component_link(&path, other);
        let affects = |issue: &Issue| affected_components(model, issue).contains(&c);
        // Blocking first, then warnings, then notes; in site order within each.
        let mut issues: Vec<(crate::model::Severity, IssueView)> = Vec::new();
        for (s, scenario) in model.scenarios.iter().enumerate() {
            for issue in scenario.issues.iter().filter(|i| affects(i)) {
                let origin = self.link(&path, &scenario.title, &Urls::scenario(model, s));
                issues.push((
                    issue.severity,
                    self.issue_view(&path, issue, Some(origin), None),
                ));
            }
        }
        for node in 0..model.nodes.len() {
            for issue in model.version(node).issues.iter().filter(|i| affects(i)) {
                let origin = self.link(
                    &path,
                    self.words(
                        "upgrades-through",
                        &[("version", model.node_title(node).into())],
                    ),
                    &Urls::version(model, node),
                );
                issues.push((
                    issue.severity,
                    self.issue_view(&path, issue, Some(origin), None),
                ));
            }
        }
        issues.sort_by_key(|(severity, _)| *severity);
        let page = ComponentPage {
            name: component.name.clone(),
            summary: component.summary.clone(),
            shipped_in: (0..model.nodes.len())
                .filter(|n| model.version(*n).components.contains(&c))
                .map(|n| self.node_link(&path, n))
                .collect(),
            depends_on: by_name(component.depends_on.iter().map(|d| link(*d)).collect()),
            dependents: by_name(component.dependents.iter().map(|d| link(*d)).collect()),
            issues: issues.into_iter().map(|(_, view)| view).collect(),
            file: component.file.display().to_string(),
        };
        self.make_page(path, "component.html", frame, page)
    }
}

/// Links sorted by what they show, as readers look for a name.
pub(super) fn by_name(mut links: Vec<Link>) -> Vec<Link> {
    links.sort_by_cached_key(|link| crate::plan::search_index::fold(&link.title));
    links
}
