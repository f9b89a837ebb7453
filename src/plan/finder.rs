//! The path finder: its page and its data.
//!
//! The page holds no choice that grows with the knowledge base: its script
//! fills the product lists from the data's small core and each version list
//! from that product's part. The data is split so that one answer loads only
//! what its search reaches:
//!
//! - `data/graph.js`, the core: the declared conditions (with the words the
//!   answer uses for them), the URL patterns of pages, and each product's id,
//!   name and number of versions, which number the versions (product by
//!   product in id order, oldest first, as the model does);
//! - `data/graph/<product>.js`, one part a product: its versions (ids, names,
//!   aliases, their own issues), the product's notes, its upgrade rules, and
//!   every scenario that starts from it (a scenario's `from` names one
//!   product), with the scenario's issues and steps, and for an unsupported
//!   one its `via` route and alternatives, which the answer offers instead. That is all the search needs to follow the
//!   edges that leave the product's versions, and all an answer shows about
//!   a hop that starts there.
//!
//! Both are JavaScript files loaded with `<script>`, since browsers refuse
//! `fetch` on `file://`. Steps, notes and alternatives are Markdown rendered
//! here, for the finder page, by the renderer the `markdown` filter uses.
//! Each issue is shown as pages show it: the render stage renders it
//! through the theme's `partials/issue.html` for the finder page (the
//! part's [`Fragments`]), and the part's script sets them as its `html`,
//! one a part's issue. The scripts insert HTML only from these fields.

use serde::Serialize;

use super::answers::MAX_COMBINED_CONDITIONS;
use super::links::Links;
use super::urls::{self, Urls};
use super::views::{IssueView, Link};
use super::{DataFile, Fragments, Planner, data};
use crate::graph::MAX_PLAN_STATES;
use crate::model::{Condition, ConditionDef, Issue, NodeId, Policy, Severity};

/// The core every answer loads.
pub const CORE_SCRIPT: &str = "data/graph.js";
/// The folder of the per-product parts, from the site root.
pub const PARTS_FOLDER: &str = "data/graph/";

/// The shape of the finder's data: 3, a core and one part a product, whose
/// issues the theme's partial renders (2 carried their fields, 1 was one
/// file with everything). `assets/paths.js` names the format it reads
/// and says the data did not load on any other, so that a theme's copy of
/// an older script fails plainly instead of misreading the data.
pub const FORMAT: u32 = 3;

/// Where a product's part is, from the site root.
pub fn part_path(product_id: &str) -> String {
    format!("{PARTS_FOLDER}{product_id}.js")
}

#[derive(Serialize)]
struct Core<'a> {
    /// [`FORMAT`].
    format: u32,
    /// What the scripts share with the generator, said once, here: the
    /// scripts read them instead of repeating them.
    limits: Limits,
    /// Severities as data words, the one that matters most first: hop
    /// issues are listed in this order. (Their labels are the partial's.)
    severities: Vec<&'static str>,
    conditions: Vec<CoreCondition<'a>>,
    urls: PageUrls,
    parts: &'static str,
    products: Vec<CoreProduct<'a>>,
    /// Format 1.2's stacks, for the finder's plans.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    stacks: Vec<CoreStack<'a>>,
}

/// The generator's limits that the scripts apply as it does.
#[derive(Serialize)]
struct Limits {
    /// [`MAX_COMBINED_CONDITIONS`]: up to this many declared conditions,
    /// the finder tries every combination to find those that change an
    /// answer, as version pages do.
    combined_conditions: usize,
    /// [`MAX_PLAN_STATES`]: where a stack plan's search gives up.
    plan_states: usize,
}

#[derive(Serialize)]
struct CoreStack<'a> {
    id: &'a str,
    name: &'a str,
    /// Product indices, in the stack's order.
    members: &'a [usize],
}

/// A version's requirement on another product (format 1.2): the versions
/// of `product` it accepts beside it, as version numbers.
#[derive(Serialize)]
struct PartRequirement<'a> {
    product: usize,
    versions: &'a [NodeId],
}

#[derive(Serialize)]
struct CoreCondition<'a> {
    name: &'a str,
    /// Plain text: the finder shows it as a label, where `code` showed
    /// its backticks.
    description: String,
    /// "the server is a replica", for "If the server is a replica".
    clause: String,
}

/// Page URLs from the site root, with `{product}`, `{version}`,
/// `{scenario}` and `{component}` to replace by ids.
#[derive(Serialize)]
struct PageUrls {
    version: String,
    scenario: String,
    component: String,
}

#[derive(Serialize)]
struct CoreProduct<'a> {
    id: &'a str,
    name: &'a str,
    versions: usize,
}

#[derive(Serialize)]
struct Part<'a> {
    versions: Vec<PartVersion<'a>>,
    /// The product's notes as HTML: they hold for every version, so an
    /// answer that starts or ends in the product shows them.
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rules: Vec<PartRule<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    scenarios: Vec<PartScenario<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    issues: Vec<PartIssue<'a>>,
}

#[derive(Serialize)]
struct PartVersion<'a> {
    id: &'a str,
    /// Only when it differs from the id.
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    aliases: &'a [String],
    /// Its own issues, as indices into the part's `issues`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    issues: Vec<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    requires: Vec<PartRequirement<'a>>,
}

/// `when` and `unless` as condition indices; absent when always true.
#[derive(Serialize)]
struct When<'a> {
    #[serde(skip_serializing_if = "<[usize]>::is_empty")]
    when: &'a [usize],
    #[serde(skip_serializing_if = "<[usize]>::is_empty")]
    unless: &'a [usize],
}

fn when(condition: &Condition) -> Option<When<'_>> {
    (!condition.is_always()).then_some(When {
        when: &condition.when,
        unless: &condition.unless,
    })
}

#[derive(Serialize)]
struct PartRule<'a> {
    policy: &'static str,
    /// Version indices within the product.
    members: &'a [usize],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    stops: Vec<PartStop<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    condition: Option<When<'a>>,
}

#[derive(Serialize)]
struct PartStop<'a> {
    version: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    condition: Option<When<'a>>,
}

#[derive(Serialize)]
struct PartScenario<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    unsupported: bool,
    /// Version numbers (node ids) of the whole knowledge base.
    from: &'a [NodeId],
    to: &'a [NodeId],
    #[serde(skip_serializing_if = "Option::is_none")]
    condition: Option<When<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    issues: Vec<usize>,
    /// Each step as HTML.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    steps: Vec<String>,
    /// An unsupported scenario's recommended stops, as node ids.
    #[serde(skip_serializing_if = "<[NodeId]>::is_empty")]
    via: &'a [NodeId],
    /// An unsupported scenario's other ways to the goal: what an answer
    /// that meets its refusal offers instead.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    alternatives: Vec<PartAlternative<'a>>,
}

#[derive(Serialize)]
struct PartAlternative<'a> {
    title: &'a str,
    /// The body as HTML.
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<String>,
}

/// What the search needs of an issue; what readers see of it is its
/// `html`, set by the part's script from [`Fragments`].
#[derive(Serialize)]
struct PartIssue<'a> {
    /// For the scripts' API (`answer()` lists issues by title).
    title: &'a str,
    severity: &'static str,
    /// `applies_if.originally`, as node ids.
    #[serde(skip_serializing_if = "Option::is_none")]
    originally: Option<&'a [NodeId]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    condition: Option<When<'a>>,
}

/// What `partials/issue.html` is rendered with for the finder: the issue,
/// and the page its links are relative to (the `markdown` filter reads it).
#[derive(Serialize)]
struct IssueContext {
    issue: IssueView,
    page_path: &'static str,
}

/// A declared condition as a clause: "The server is a replica." reads
/// "the server is a replica"; a description that starts with a name
/// ("MySQL …") keeps its capital. Without a description, "`name` holds".
pub fn fact_clause(def: &ConditionDef) -> String {
    // A description may hold inline Markdown (`code`): a clause is plain text.
    let plain = crate::markdown::inline_plain(&def.description);
    let text = plain.trim().trim_end_matches('.');
    if text.is_empty() {
        return format!("`{}` holds", def.name);
    }
    let first_word = text.split_whitespace().next().unwrap_or_default();
    if first_word.chars().skip(1).any(char::is_uppercase) {
        return text.to_owned();
    }
    let mut chars = text.chars();
    let first: String = chars
        .next()
        .into_iter()
        .flat_map(char::to_lowercase)
        .collect();
    first + chars.as_str()
}

/// JSON as a JavaScript literal in a script file of its own: U+2028 and
/// U+2029, which can only occur inside its strings, escaped for engines
/// older than ES2019. `<` is left as it is: the data files are loaded with
/// `<script src>`, never inlined, so no `</script>` in them can close a
/// script (escaping it cost 1.7 MB of the 10,000-scenario finder data).
pub fn script_literal(json: &str) -> String {
    json.replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// `window.NAME["key"]`, the key written as a JSON string.
fn registry_entry(registry: &str, key: &str) -> String {
    let key = serde_json::to_string(key).expect("strings serialize");
    format!("window.{registry}[{key}]")
}

/// `window.NAME["key"] = {...};` with the registry created when missing.
/// The JSON is written as a literal (it is valid JavaScript).
fn part_script(registry: &str, key: &str, json: &str) -> String {
    let entry = registry_entry(registry, key);
    let literal = script_literal(json);
    format!("window.{registry} = window.{registry} || {{}};\n{entry} = {literal};\n")
}

/// A site path as the scripts use it: from the site root.
fn site_url(urls: Urls, path: &str) -> String {
    urls.relative(urls::HOME, path)
}

impl<'m> Planner<'m> {
    /// The core and one part a product.
    pub(super) fn finder_files(&self) -> Vec<DataFile> {
        let model = self.model;
        let links = Links::new(model, self.urls);
        let mut files = vec![DataFile {
            path: CORE_SCRIPT.into(),
            bytes: data::script("UPGRADE_ATLAS_GRAPH", &self.finder_core()).into_bytes(),
            fragments: None,
        }];
        let mut from_product: Vec<Vec<usize>> = vec![Vec::new(); model.products.len()];
        for (s, scenario) in model.scenarios.iter().enumerate() {
            if let Some(&first) = scenario.from.first() {
                from_product[model.nodes[first].product].push(s);
            }
        }
        for (p, scenarios) in from_product.iter().enumerate() {
            let (part, contexts) = self.finder_part(&links, p, scenarios);
            let json = serde_json::to_string(&part).expect("finder parts serialize");
            let id = &model.products[p].id;
            let registry = "UPGRADE_ATLAS_GRAPH_PARTS";
            files.push(DataFile {
                path: part_path(id),
                bytes: part_script(registry, id, &json).into_bytes(),
                fragments: (!contexts.is_empty()).then(|| Fragments {
                    template: "partials/issue.html",
                    contexts,
                    before: format!("{}.html = ", registry_entry(registry, id)),
                }),
            });
        }
        files
    }

    fn finder_core(&self) -> String {
        let model = self.model;
        let placeholder = |name: &str| format!("{{{name}}}");
        let core = Core {
            format: FORMAT,
            limits: Limits {
                combined_conditions: MAX_COMBINED_CONDITIONS,
                plan_states: MAX_PLAN_STATES,
            },
            severities: Severity::ALL.iter().map(|s| s.word()).collect(),
            conditions: model
                .site
                .conditions
                .iter()
                .map(|c| CoreCondition {
                    name: &c.name,
                    description: crate::markdown::inline_plain(&c.description),
                    clause: fact_clause(c),
                })
                .collect(),
            urls: PageUrls {
                version: site_url(
                    self.urls,
                    &Urls::version_path(&placeholder("product"), &placeholder("version")),
                ),
                scenario: site_url(self.urls, &Urls::scenario_path(&placeholder("scenario"))),
                component: site_url(self.urls, &Urls::component_path(&placeholder("component"))),
            },
            parts: PARTS_FOLDER,
            products: model
                .products
                .iter()
                .map(|p| CoreProduct {
                    id: &p.id,
                    name: &p.name,
                    versions: p.versions.len(),
                })
                .collect(),
            stacks: (model.stacks.iter())
                .map(|s| CoreStack {
                    id: &s.id,
                    name: &s.name,
                    members: &s.members,
                })
                .collect(),
        };
        serde_json::to_string(&core).expect("the finder core serializes")
    }

    /// Everything about one product an answer may need: `scenarios` are
    /// those that start from it, in id order. With it, what its issues are
    /// rendered with, in the order of its `issues`.
    fn finder_part(
        &self,
        links: &Links,
        p: usize,
        scenarios: &[usize],
    ) -> (Part<'m>, Vec<tera::Context>) {
        let model = self.model;
        let product = &model.products[p];
        let mut issues: Vec<PartIssue<'m>> = Vec::new();
        let mut contexts = Vec::new();
        // A version's issue names where it comes from (the upgrades that
        // pass through it); a scenario's does not, because the answer names
        // each hop's scenarios already: its "Raised by" link, repeated on
        // every issue, took 7 MB of the 10,000-scenario site's finder data.
        let mut add = |issue: &'m Issue, origin: Option<Link>| {
            issues.push(finder_issue(issue));
            contexts.push(self.finder_issue_context(issue, origin));
            issues.len() - 1
        };
        // Versions are numbered product by product: this product's first.
        let first = model.nodes.partition_point(|n| n.product < p);
        let versions = product
            .versions
            .iter()
            .enumerate()
            .map(|(i, v)| PartVersion {
                id: &v.id,
                name: (v.name != v.id).then_some(v.name.as_str()),
                aliases: &v.aliases,
                issues: (v.issues.iter())
                    .map(|issue| add(issue, Some(self.passing_through(first + i))))
                    .collect(),
                requires: (v.requires.iter())
                    .map(|r| PartRequirement {
                        product: r.product,
                        versions: &r.versions,
                    })
                    .collect(),
            })
            .collect();
        let rules = product
            .rules
            .iter()
            .filter(|r| r.policy != Policy::None)
            .map(|rule| PartRule {
                policy: match rule.policy {
                    Policy::Sequential => "sequential",
                    _ => "any-newer",
                },
                members: &rule.members,
                stops: rule
                    .stops
                    .iter()
                    .map(|s| PartStop {
                        version: s.version,
                        condition: when(&s.condition),
                    })
                    .collect(),
                condition: when(&rule.condition),
            })
            .collect();
        let scenarios = scenarios
            .iter()
            .map(|&s| {
                let scenario = &model.scenarios[s];
                PartScenario {
                    id: &scenario.id,
                    title: &scenario.title,
                    unsupported: !scenario.supported,
                    from: &scenario.from,
                    to: &scenario.to,
                    condition: when(&scenario.condition),
                    issues: (scenario.issues.iter())
                        .map(|issue| add(issue, None))
                        .collect(),
                    steps: scenario
                        .steps
                        .iter()
                        .map(|step| links.markdown(urls::PATHS, step))
                        .collect(),
                    via: &scenario.via,
                    alternatives: self.finder_alternatives(links, s),
                }
            })
            .collect();
        let part = Part {
            versions,
            notes: product
                .notes
                .as_deref()
                .map(|notes| links.markdown(urls::PATHS, notes)),
            rules,
            scenarios,
            issues,
        };
        (part, contexts)
    }

    /// What an unsupported scenario offers instead; nothing for a supported
    /// one, which the answer never shows as a refusal.
    fn finder_alternatives(&self, links: &Links, s: usize) -> Vec<PartAlternative<'m>> {
        let scenario = &self.model.scenarios[s];
        if scenario.supported {
            return Vec::new();
        }
        scenario
            .alternatives
            .iter()
            .map(|a| PartAlternative {
                title: &a.title,
                body: a.body.as_deref().map(|b| links.markdown(urls::PATHS, b)),
            })
            .collect()
    }

    /// An issue as `partials/issue.html` shows it on the finder page.
    fn finder_issue_context(&self, issue: &Issue, origin: Option<Link>) -> tera::Context {
        let issue = self.issue_view(urls::PATHS, issue, origin, None);
        tera::Context::from_serialize(&IssueContext {
            issue,
            page_path: urls::PATHS,
        })
        .expect("issue contexts serialize")
    }

    /// Where a version's own issue comes from: the upgrades past it.
    fn passing_through(&self, node: NodeId) -> Link {
        let mut link = self.node_link(urls::PATHS, node);
        link.title = self.words("upgrades-through", &[("version", link.title.into())]);
        link
    }
}

fn finder_issue(issue: &Issue) -> PartIssue<'_> {
    PartIssue {
        title: &issue.title,
        severity: issue.severity.word(),
        originally: issue.originally.as_deref(),
        condition: when(&issue.condition),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn condition(description: &str) -> ConditionDef {
        ConditionDef {
            name: "c".into(),
            description: description.into(),
        }
    }

    #[test]
    fn clauses_read_inside_a_sentence() {
        assert_eq!(
            fact_clause(&condition("The server is a replica.")),
            "the server is a replica"
        );
        assert_eq!(
            fact_clause(&condition("MySQL runs in a cluster.")),
            "MySQL runs in a cluster"
        );
        assert_eq!(fact_clause(&condition("")), "`c` holds");
        assert_eq!(
            fact_clause(&condition("The node runs `ceph-osd` daemons.")),
            "the node runs ceph-osd daemons"
        );
    }

    #[test]
    fn parts_are_literals_with_line_separators_escaped() {
        let out = part_script("R", "a", "{\"t\":\"</script>\u{2028}\"}");
        assert!(out.ends_with("window.R[\"a\"] = {\"t\":\"</script>\\u2028\"};\n"));
    }
}
