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
                let key = if e.always {
                    "diagram-line"
                } else {
                    "diagram-line-conditional"
                };
                let (from, to) = (model.node_title(e.from), model.node_title(e.to));
                self.words(key, &[("from", from.into()), ("to", to.into())])
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
                stops_diagram::line_diagram(self.messages(), product)
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
        self.condition_phrase(condition, "")
    }

    /// [`Planner::condition_words`] with the message keys' `prefix`
    /// (`only-`: "only when X", but never "only unless X").
    fn condition_phrase(
        &self,
        condition: &crate::model::Condition,
        prefix: &str,
    ) -> Option<String> {
        let when = || ("when", self.clauses(&condition.when, "and").into());
        let unless = || ("unless", self.clauses(&condition.unless, "or").into());
        let (key, args) = match (condition.when.is_empty(), condition.unless.is_empty()) {
            (true, true) => return None,
            (false, true) => ("when", vec![when()]),
            (true, false) => ("unless", vec![unless()]),
            (false, false) => ("when-unless", vec![when(), unless()]),
        };
        let key = if key == "unless" {
            "phrase-unless".to_owned()
        } else {
            format!("phrase-{prefix}{key}")
        };
        Some(self.words(&key, &args))
    }

    pub(super) fn rules_in_words(&self, p: usize) -> Vec<String> {
        let product = &self.model.products[p];
        if product.rules.iter().all(|r| r.policy == Policy::None) {
            return vec![self.words("rule-no-policy-at-all", &[])];
        }
        product
            .rules
            .iter()
            .map(|rule| {
                let spec = rule.versions_spec.as_deref().map(|s| format!("`{s}`"));
                let spec = [("spec", spec.unwrap_or_default().into())];
                let matching = rule.versions_spec.is_some();
                let mut words = match (rule.policy, matching) {
                    (Policy::None, _) => self.words("rule-no-policy", &[]),
                    (Policy::Sequential, true) => self.words("rule-sequential-matching", &spec),
                    (Policy::Sequential, false) => self.words("rule-sequential", &[]),
                    (Policy::AnyNewer, true) => self.words("rule-any-newer-matching", &spec),
                    (Policy::AnyNewer, false) => self.words("rule-any-newer", &[]),
                };
                for stop in &rule.stops {
                    let name = product.versions[stop.version].name.as_str();
                    let stop_words = match self.condition_words(&stop.condition) {
                        None => self.words("rule-stop", &[("version", name.into())]),
                        Some(when) => self.words(
                            "rule-stop-when",
                            &[("version", name.into()), ("when", when.into())],
                        ),
                    };
                    words.push(' ');
                    words.push_str(&stop_words);
                }
                match self.condition_words(&rule.condition) {
                    Some(when) => {
                        let mut letters = when.chars();
                        let first = letters.next().map(|c| c.to_uppercase().to_string());
                        let when = first.unwrap_or_default() + letters.as_str();
                        self.words(
                            "rule-when",
                            &[("when", when.into()), ("rule", words.into())],
                        )
                    }
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
            conditions: self.condition_phrase(&scenario.condition, "only-"),
        }
    }
}
