//! The checked knowledge base: what `resolve` produces and every later stage reads.
//!
//! Everything here is already valid: ids are well formed, references point at
//! things that exist, selectors are expanded to the versions they match.
//! Products, components and scenarios are sorted by id; versions keep the
//! writer's order (oldest first).

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use crate::diag::{Sources, Span};
pub use crate::lifecycle::{Date, Lifecycle, PhaseLabels};

/// Index of a version in [`Model::nodes`]: every version of every product.
pub type NodeId = usize;
/// Index of a declared condition in [`Site::conditions`].
pub type ConditionId = usize;

#[derive(Debug)]
pub struct Model {
    pub site: Site,
    pub products: Vec<Product>,
    /// Every version, product by product (in product id order), oldest first.
    pub nodes: Vec<Node>,
    pub components: Vec<Component>,
    /// Shared with resolve's cache: `serve` reuses an unchanged scenario.
    pub scenarios: Vec<std::sync::Arc<Scenario>>,
    /// Format 1.2: products installed together, by id.
    pub stacks: Vec<Stack>,
    /// Format 1.2: the addresses of pages that moved (`moved_from`), by path.
    pub redirects: Vec<Redirect>,
    /// Files under `content/static/`.
    pub static_files: Vec<crate::load::StaticFile>,
    pub sources: Sources,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Node {
    pub product: usize,
    pub version: usize,
}

#[derive(Debug)]
pub struct Site {
    pub title: String,
    pub description: Option<String>,
    pub base_url: Option<String>,
    pub language: String,
    /// The words of the built-in parts, in `language`.
    pub messages: std::sync::Arc<crate::i18n::Messages>,
    pub pretty_urls: bool,
    pub raw_html: bool,
    pub conditions: Vec<ConditionDef>,
    /// `today:`: the day pages speak of, fixed; otherwise the reader's.
    pub today: Option<Date>,
    /// How many days before mainstream support ends a version page leads
    /// with the route to a supported version.
    pub support_warning_days: i64,
    pub phases: PhaseLabels,
}

/// The default of [`Site::support_warning_days`].
pub const SUPPORT_WARNING_DAYS: i64 = 180;

#[derive(Debug)]
pub struct ConditionDef {
    pub name: String,
    pub description: String,
}

#[derive(Debug)]
pub struct Product {
    pub id: String,
    pub name: String,
    pub vendor: Option<String>,
    pub summary: Option<String>,
    pub notes: Option<String>,
    pub links: Vec<Link>,
    pub versions: Vec<Version>,
    /// Where each id and alias is in `versions`, so that looking a version
    /// up costs the same in a product of five versions or of 80,000.
    pub names: VersionNames,
    pub rules: Vec<Rule>,
    /// The names of the phases of support: the product's, else the site's.
    pub phases: PhaseLabels,
    pub file: PathBuf,
}

/// A product's version ids and aliases, each with the index of its version.
#[derive(Default)]
pub struct VersionNames {
    ids: HashMap<String, usize>,
    aliases: HashMap<String, usize>,
}

// Sorted, so that two equal models print alike (tests compare them so).
impl std::fmt::Debug for VersionNames {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        fn sorted(map: &HashMap<String, usize>) -> BTreeSet<(&String, &usize)> {
            map.iter().collect()
        }
        f.debug_struct("VersionNames")
            .field("ids", &sorted(&self.ids))
            .field("aliases", &sorted(&self.aliases))
            .finish()
    }
}

impl VersionNames {
    /// The names of these versions; the first of two equal ids or aliases wins.
    pub fn of(versions: &[Version]) -> VersionNames {
        let mut names = VersionNames::default();
        for (index, version) in versions.iter().enumerate() {
            names.ids.entry(version.id.clone()).or_insert(index);
            for alias in &version.aliases {
                names.aliases.entry(alias.clone()).or_insert(index);
            }
        }
        names
    }

    /// The index of the version with this id (not an alias).
    pub fn position_of_id(&self, id: &str) -> Option<usize> {
        self.ids.get(id).copied()
    }
}

impl Product {
    /// The id of the version that has this alias, when it is not an id itself.
    pub fn id_of_alias(&self, name: &str) -> Option<String> {
        if self.names.ids.contains_key(name) {
            return None;
        }
        let index = *self.names.aliases.get(name)?;
        Some(self.versions[index].id.clone())
    }

    /// The index of the version with this id, or else with this alias.
    pub fn version_index(&self, id_or_alias: &str) -> Option<usize> {
        self.names
            .ids
            .get(id_or_alias)
            .or_else(|| self.names.aliases.get(id_or_alias))
            .copied()
    }

    /// The ids of its versions, oldest first.
    pub fn version_ids(&self) -> Vec<&str> {
        self.versions.iter().map(|v| v.id.as_str()).collect()
    }
}

#[derive(Debug)]
pub struct Version {
    pub id: String,
    /// Other names that mean this version wherever an id is accepted (`stretch`).
    pub aliases: Vec<String>,
    pub name: String,
    pub released: Option<String>,
    pub summary: Option<String>,
    pub components: Vec<usize>,
    pub issues: Vec<Issue>,
    pub lifecycle: Lifecycle,
    /// Where the version's dates come from.
    pub sources: Vec<SourceRef>,
    /// Format 1.2: what must hold of another product installed beside it,
    /// its own `requires` first, then its product's `requirements` rules.
    pub requires: Vec<Requirement>,
    pub node: NodeId,
}

/// A version's requirement on another product: whenever a version of
/// `product` is installed beside it, it must be one of `versions`.
#[derive(Debug, Clone)]
pub struct Requirement {
    pub product: usize,
    /// Sorted, so that a lookup is a binary search.
    pub versions: Vec<NodeId>,
    /// As written, for people: `php@>=8.1`.
    pub selector: String,
}

impl Requirement {
    /// Whether `node`, installed beside, breaks this requirement: it is a
    /// version of the required product that the requirement does not name.
    pub fn broken_by(&self, model: &Model, node: NodeId) -> bool {
        model.nodes[node].product == self.product && self.versions.binary_search(&node).is_err()
    }
}

/// Format 1.2: a page that moved: its old path in the site, and what is
/// there now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub path: String,
    pub to: Target,
}

/// Format 1.2: `content/stacks/ID.yaml`, products installed together.
#[derive(Debug)]
pub struct Stack {
    pub id: String,
    pub name: String,
    pub summary: Option<String>,
    /// Product indices, in the writer's order: the order moves take when
    /// nothing else decides.
    pub members: Vec<usize>,
    pub file: PathBuf,
}

/// How a product's versions may be upgraded, as its `upgrades.policy` says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Policy {
    #[default]
    None,
    Sequential,
    AnyNewer,
}

/// One `upgrades` rule of a product.
#[derive(Debug)]
pub struct Rule {
    pub policy: Policy,
    /// The version indices the rule links, in order (all unless `versions` says otherwise).
    pub members: Vec<usize>,
    /// Whether `versions` narrowed the rule, and how it was written.
    pub versions_spec: Option<String>,
    pub stops: Vec<Stop>,
    pub condition: Condition,
}

impl Rule {
    /// The most upgrades the rule can allow, whatever the facts: all of
    /// its policy's, less only those cut by required stops that always hold.
    pub fn most_upgrades(&self) -> usize {
        let members = &self.members;
        match self.policy {
            Policy::None => 0,
            Policy::Sequential => members.len().saturating_sub(1),
            Policy::AnyNewer => {
                let mut stops: Vec<usize> = (self.stops.iter())
                    .filter(|s| s.condition.is_always())
                    .map(|s| s.version)
                    .collect();
                stops.sort_unstable();
                // Members are in list order: from each, the upgrades go to
                // every later member up to the first stop after it.
                (members.iter().enumerate())
                    .map(|(i, &from)| {
                        let next_stop = stops.partition_point(|s| *s <= from);
                        let limit = stops.get(next_stop).copied().unwrap_or(usize::MAX);
                        members
                            .partition_point(|m| *m <= limit)
                            .saturating_sub(i + 1)
                    })
                    .sum()
            }
        }
    }
}

#[derive(Debug)]
pub struct Stop {
    pub version: usize,
    pub condition: Condition,
}

/// `when` (all must hold) and `unless` (none may hold).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Condition {
    pub when: Vec<ConditionId>,
    pub unless: Vec<ConditionId>,
}

impl Condition {
    pub fn holds(&self, facts: &Facts) -> bool {
        self.when.iter().all(|c| facts.contains(*c))
            && !self.unless.iter().any(|c| facts.contains(*c))
    }

    pub fn is_always(&self) -> bool {
        self.when.is_empty() && self.unless.is_empty()
    }

    /// Whether some set of facts makes both hold.
    pub fn compatible(&self, other: &Condition) -> bool {
        let required: BTreeSet<_> = self.when.iter().chain(&other.when).collect();
        !self
            .unless
            .iter()
            .chain(&other.unless)
            .any(|c| required.contains(c))
    }
}

/// The set of conditions that hold for one question.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Facts(pub BTreeSet<ConditionId>);

impl Facts {
    pub fn none() -> Self {
        Facts::default()
    }

    pub fn contains(&self, condition: ConditionId) -> bool {
        self.0.contains(&condition)
    }
}

#[derive(Debug)]
pub struct Component {
    pub id: String,
    pub name: String,
    pub summary: Option<String>,
    pub depends_on: Vec<usize>,
    /// Every component that depends on this one, directly or not, by id.
    pub dependents: Vec<usize>,
    pub file: PathBuf,
}

#[derive(Debug)]
pub struct Scenario {
    pub id: String,
    pub file: PathBuf,
    pub from: Vec<NodeId>,
    pub to: Vec<NodeId>,
    pub from_selector: String,
    pub to_selector: String,
    pub supported: bool,
    pub title: String,
    /// `updated`, an ISO date: when the scenario last changed in substance.
    pub updated: Option<String>,
    pub summary: Option<String>,
    pub via: Vec<NodeId>,
    pub steps: Vec<String>,
    pub issues: Vec<Issue>,
    pub alternatives: Vec<Alternative>,
    pub links: Vec<Link>,
    pub sources: Vec<SourceRef>,
    pub notes: Option<String>,
    pub condition: Condition,
    pub spans: ScenarioSpans,
}

/// Where a scenario's checked fields are, for the graph stage's errors.
#[derive(Debug, Clone)]
pub struct ScenarioSpans {
    pub from: Span,
    pub to: Span,
    pub direct: Span,
    pub via: Option<Span>,
}

/// How much an issue matters, as its `severity` says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Blocking,
    #[default]
    Warning,
    Info,
}

impl Severity {
    /// Every severity, the one that matters most first: the order issues
    /// are listed in (and the path finder sorts by, from its data).
    pub const ALL: [Severity; 3] = [Severity::Blocking, Severity::Warning, Severity::Info];

    /// As written in content and in JSON: `blocking`, `warning`, `info`.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Blocking => "blocking",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

#[derive(Debug)]
pub struct Issue {
    pub title: String,
    pub severity: Severity,
    pub component: Option<usize>,
    pub body: Option<String>,
    /// `applies_if.originally`: the versions the server must have started
    /// as, sorted.
    pub originally: Option<Vec<NodeId>>,
    /// `when` / `unless`: the facts under which the issue belongs to a path.
    pub condition: Condition,
}

impl Issue {
    /// Whether the issue belongs to a path for these facts, on a server that
    /// was originally installed as `originally`.
    pub fn applies(&self, facts: &Facts, originally: NodeId) -> bool {
        self.condition.holds(facts) && self.applies_to_origin(originally)
    }

    pub fn applies_to_origin(&self, originally: NodeId) -> bool {
        // `originally` is sorted: resolve sorts it.
        self.originally
            .as_ref()
            .is_none_or(|o| o.binary_search(&originally).is_ok())
    }
}

#[derive(Debug)]
pub struct Alternative {
    pub title: String,
    pub body: Option<String>,
}

#[derive(Debug)]
pub struct Link {
    pub title: String,
    pub url: String,
}

#[derive(Debug)]
pub struct SourceRef {
    pub title: String,
    pub url: String,
    pub quote: Option<String>,
    pub retrieved: Option<String>,
}

/// An `@` reference in Markdown, parsed: the one place its grammar is
/// read and written. `@product`, `@product@version` (a version's id or
/// alias), `@scenario:id`, `@component:id`, each perhaps followed by
/// `#fragment`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reference<'a> {
    Product(&'a str),
    Version(&'a str, &'a str),
    Scenario(&'a str),
    Component(&'a str),
}

impl<'a> Reference<'a> {
    /// A reference written without its `@` and fragment (`postgresql@16`).
    pub fn parse(text: &'a str) -> Reference<'a> {
        if let Some(id) = text.strip_prefix("scenario:") {
            return Reference::Scenario(id);
        }
        if let Some(id) = text.strip_prefix("component:") {
            return Reference::Component(id);
        }
        match text.split_once('@') {
            Some((product, version)) => Reference::Version(product, version),
            None => Reference::Product(text),
        }
    }

    /// A link's destination that is a reference (`@postgresql@16#notes`):
    /// the reference and its fragment. `None` for any other destination.
    pub fn in_destination(url: &'a str) -> Option<(Reference<'a>, Option<&'a str>)> {
        let written = url.strip_prefix('@')?;
        Some(match written.split_once('#') {
            Some((reference, fragment)) => (Reference::parse(reference), Some(fragment)),
            None => (Reference::parse(written), None),
        })
    }

    /// The product a reference to a product or one of its versions names.
    pub fn product(self) -> Option<&'a str> {
        match self {
            Reference::Product(product) | Reference::Version(product, _) => Some(product),
            Reference::Scenario(_) | Reference::Component(_) => None,
        }
    }
}

/// As written after the `@`.
impl std::fmt::Display for Reference<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reference::Product(product) => f.write_str(product),
            Reference::Version(product, version) => write!(f, "{product}@{version}"),
            Reference::Scenario(id) => write!(f, "scenario:{id}"),
            Reference::Component(id) => write!(f, "component:{id}"),
        }
    }
}

/// What an `@` reference in Markdown points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Product(usize),
    Version(NodeId),
    Scenario(usize),
    Component(usize),
}

impl Model {
    pub fn product_of(&self, node: NodeId) -> &Product {
        &self.products[self.nodes[node].product]
    }

    pub fn version(&self, node: NodeId) -> &Version {
        let n = self.nodes[node];
        &self.products[n.product].versions[n.version]
    }

    /// `product@version`, the form the CLI and the JSON use.
    pub fn node_ref(&self, node: NodeId) -> String {
        format!("{}@{}", self.product_of(node).id, self.version(node).id)
    }

    /// "Product name version name", for people.
    pub fn node_title(&self, node: NodeId) -> String {
        let product = self.product_of(node);
        if product.versions.len() == 1 {
            product.name.clone()
        } else {
            format!("{} {}", product.name, self.version(node).name)
        }
    }

    pub fn product_index(&self, id: &str) -> Option<usize> {
        self.products
            .binary_search_by(|p| p.id.as_str().cmp(id))
            .ok()
    }

    pub fn component_index(&self, id: &str) -> Option<usize> {
        self.components
            .binary_search_by(|c| c.id.as_str().cmp(id))
            .ok()
    }

    pub fn scenario_index(&self, id: &str) -> Option<usize> {
        self.scenarios
            .binary_search_by(|s| s.id.as_str().cmp(id))
            .ok()
    }

    pub fn condition_index(&self, name: &str) -> Option<ConditionId> {
        self.site.conditions.iter().position(|c| c.name == name)
    }

    /// What an `@` reference points at, if anything.
    pub fn target(&self, reference: Reference) -> Option<Target> {
        match reference {
            Reference::Scenario(id) => self.scenario_index(id).map(Target::Scenario),
            Reference::Component(id) => self.component_index(id).map(Target::Component),
            Reference::Product(product) => self.product_index(product).map(Target::Product),
            Reference::Version(product, version) => {
                let p = &self.products[self.product_index(product)?];
                p.version_index(version)
                    .map(|v| Target::Version(p.versions[v].node))
            }
        }
    }
}

/// A requirement of `version` that `beside` breaks: `beside` is a version of
/// the product the requirement names, and not one it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unmet {
    pub version: NodeId,
    /// Index into the version's `requires`.
    pub requirement: usize,
    pub beside: NodeId,
}

/// Every requirement that `state` breaks, in member order.
pub fn unmet(model: &Model, state: &[NodeId]) -> Vec<Unmet> {
    let mut found = Vec::new();
    for &version in state {
        for (index, requirement) in model.version(version).requires.iter().enumerate() {
            for &beside in state {
                if beside != version && requirement.broken_by(model, beside) {
                    found.push(Unmet {
                        version,
                        requirement: index,
                        beside,
                    });
                }
            }
        }
    }
    found
}

/// "App 2 requires php@8.0|8.1, and PHP 7.4 is not one of those".
pub fn unmet_words(model: &Model, unmet: &Unmet) -> String {
    format!(
        "{} requires `{}`, and {} is not one of those",
        model.node_title(unmet.version),
        model.version(unmet.version).requires[unmet.requirement].selector,
        model.node_title(unmet.beside)
    )
}
