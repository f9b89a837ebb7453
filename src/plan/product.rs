//! Product pages.

use std::collections::BTreeSet;

use crate::model::{NodeId, Policy};

use super::*;

impl Planner<'_> {
    pub(super) fn product_page(&self, p: usize) -> Page {
        let model = self.model;
        let product = &model.products[p];
        let path = Urls::product(model, p);
        let frame = self.frame(&path, product.name.clone(), Vec::new());
        let stops: BTreeSet<NodeId> = product
            .rules
            .iter()
            .flat_map(|r| &r.stops)
            .map(|s| product.versions[s.version].node)
            .collect();
        let versions = product
            .versions
            .iter()
            .map(|v| VersionRow {
                link: self.link(&path, &v.name, &Urls::version(model, v.node)),
                released: v.released.clone(),
                summary: v.summary.clone(),
                components: v
                    .components
                    .iter()
                    .map(|c| self.component_link(&path, *c))
                    .collect(),
                stop: stops.contains(&v.node),
            })
            .collect();
        let edges = self.product_edges(p);
        let diagram_text = edges
            .iter()
            .map(|e| {
                let mut line =
                    format!("{} to {}", model.node_title(e.from), model.node_title(e.to));
                if !e.always {
                    line.push_str(" (only under a condition)");
                }
                line
            })
            .collect();
        // The scenarios that mention one of its versions, not every
        // scenario of the base: a product page costs what it shows.
        let mut mentioned: Vec<usize> = product
            .versions
            .iter()
            .flat_map(|v| self.mentions[v.node].iter().copied())
            .collect();
        mentioned.sort_unstable();
        mentioned.dedup();
        let scenarios = mentioned
            .into_iter()
            .filter(|s| {
                let scenario = &model.scenarios[*s];
                scenario
                    .from
                    .iter()
                    .chain(&scenario.to)
                    .any(|n| model.nodes[*n].product == p)
            })
            .map(|s| self.scenario_row(&path, s))
            .collect();
        let page = ProductPage {
            name: product.name.clone(),
            vendor: product.vendor.clone(),
            summary: product.summary.clone(),
            notes: product.notes.clone(),
            links: product
                .links
                .iter()
                .map(|l| self.outside(&path, l))
                .collect(),
            versions,
            stacks: self.stacks_of(&path, p),
            rules: self.rules_in_words(p),
            diagram: if stops_diagram::draws_as_line(product, diagram::MAX_NODES) {
                stops_diagram::line_diagram(product)
            } else {
                diagram::product_diagram(model, p, &edges, &stops)
            },
            diagram_text,
            scenarios,
            lifecycle: self.product_lifecycle(&path, p),
            file: product.file.display().to_string(),
        };
        self.make_page(path, "product.html", frame, page)
    }

    /// The edges that touch a product, in any of the site's sets of facts.
    pub(super) fn product_edges(&self, p: usize) -> Vec<diagram::DrawnEdge> {
        let model = self.model;
        let mut drawn = Vec::new();
        let touches = |n: NodeId| model.nodes[n].product == p;
        for from in 0..model.nodes.len() {
            let mut seen: BTreeSet<NodeId> = BTreeSet::new();
            for &to in self.analysis.default.successors(from) {
                if (touches(from) || touches(to)) && seen.insert(to) {
                    drawn.push(diagram::DrawnEdge {
                        from,
                        to,
                        always: true,
                    });
                }
            }
            for edges in &self.analysis.variants {
                for &to in edges.successors(from) {
                    if (touches(from) || touches(to)) && seen.insert(to) {
                        drawn.push(diagram::DrawnEdge {
                            from,
                            to,
                            always: false,
                        });
                    }
                }
            }
        }
        drawn
    }

    /// "when the server is a replica, unless the database is large": the
    /// conditions' own sentences, never their ids.
    pub(super) fn condition_words(&self, condition: &crate::model::Condition) -> Option<String> {
        let when = || self.clauses(&condition.when, " and ");
        let unless = || self.clauses(&condition.unless, " or ");
        match (condition.when.is_empty(), condition.unless.is_empty()) {
            (true, true) => None,
            (false, true) => Some(format!("when {}", when())),
            (true, false) => Some(format!("unless {}", unless())),
            (false, false) => Some(format!("when {}, unless {}", when(), unless())),
        }
    }

    pub(super) fn rules_in_words(&self, p: usize) -> Vec<String> {
        let product = &self.model.products[p];
        if product.rules.iter().all(|r| r.policy == Policy::None) {
            return vec![
                "No general policy: only the scenarios below say which upgrades are supported."
                    .into(),
            ];
        }
        product
            .rules
            .iter()
            .map(|rule| {
                let scope = match &rule.versions_spec {
                    Some(spec) => format!("Versions matching `{spec}`"),
                    None => "Each version".into(),
                };
                let mut words = match rule.policy {
                    Policy::None => "No general policy.".to_owned(),
                    Policy::Sequential if rule.versions_spec.is_some() => {
                        format!("{scope} upgrade directly to the next matching version.")
                    }
                    Policy::Sequential => {
                        format!("{scope} upgrades directly to the next version only.")
                    }
                    Policy::AnyNewer => format!("{scope} upgrades directly to any newer version."),
                };
                for stop in &rule.stops {
                    let name = &product.versions[stop.version].name;
                    match self.condition_words(&stop.condition) {
                        None => words.push_str(&format!(
                            " No upgrade may skip {name}: it is a required stop."
                        )),
                        Some(when) => {
                            words.push_str(&format!(" {name} is a required stop {when}."))
                        }
                    }
                }
                match self.condition_words(&rule.condition) {
                    Some(when) => format!("{}{}: {words}", when[..1].to_uppercase(), &when[1..]),
                    None => words,
                }
            })
            .collect()
    }

    pub(super) fn scenario_row(&self, from_page: &str, s: usize) -> ScenarioRow {
        let scenario = &self.model.scenarios[s];
        ScenarioRow {
            link: self.link(from_page, &scenario.title, &Urls::scenario(self.model, s)),
            supported: scenario.supported,
            // "only when X", "unless X": never "only unless X".
            conditions: self.condition_words(&scenario.condition).map(|words| {
                if words.starts_with("when ") {
                    format!("only {words}")
                } else {
                    words
                }
            }),
        }
    }
}
