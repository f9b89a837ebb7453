//! The API's files as types: what `mod.rs` fills and serializes, and what
//! the JSON Schemas in `docs/api/` are generated from ([`schemas`]), so
//! that a field added to a file is in its schema too. A test
//! (`tests/it/data_out.rs`) fails when the committed schemas differ from
//! the generated ones, and says how to write them again.
//!
//! Fields are declared in the order the files have always written them.

use schemars::{JsonSchema, Schema, SchemaGenerator, generate::SchemaSettings};
use serde::Serialize;

/// The pattern of an id (products, components, scenarios).
const ID: &str = "^[a-z0-9][a-z0-9-]*$";

/// `api/v1/index.json`: the site and its products.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "upgrade-atlas API index")]
pub struct IndexFile<'m> {
    /// The API's version: 1 until a field changes its meaning.
    #[schemars(extend("const" = 1))]
    pub api_version: u32,
    /// The site's title.
    pub title: &'m str,
    /// The graph file, from the site root.
    #[schemars(extend("const" = "api/v1/graph.json"))]
    pub graph: &'static str,
    pub products: Vec<IndexProduct<'m>>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IndexProduct<'m> {
    #[schemars(regex(pattern = ID))]
    pub id: &'m str,
    pub name: &'m str,
    /// The product's file, from the site root.
    #[schemars(regex(pattern = r"^api/v1/products/[a-z0-9][a-z0-9-]*\.json$"))]
    pub api: String,
    /// The product's page, from the site root.
    pub url: String,
}

/// `api/v1/products/PRODUCT.json`: a product, its versions and its rules.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "upgrade-atlas product")]
pub struct ProductFile<'m> {
    #[schemars(regex(pattern = ID))]
    pub id: &'m str,
    pub name: &'m str,
    pub vendor: Option<&'m str>,
    /// Markdown, as written.
    pub summary: Option<&'m str>,
    /// The product's page, from the site root.
    pub url: String,
    /// Oldest first.
    #[schemars(length(min = 1))]
    pub versions: Vec<ProductVersion<'m>>,
    pub rules: Vec<Rule<'m>>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductVersion<'m> {
    pub id: &'m str,
    /// product@version
    #[serde(rename = "ref")]
    pub reference: String,
    pub name: &'m str,
    pub aliases: &'m [String],
    #[schemars(extend("format" = "date"))]
    pub released: Option<&'m str>,
    /// Markdown, as written.
    pub summary: Option<&'m str>,
    /// Component ids.
    pub components: Vec<&'m str>,
    /// Known issues of moving past this version.
    pub issues: Vec<Issue<'m>>,
    /// The version's file, from the site root.
    pub api: String,
    /// The version's page, from the site root.
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<Lifecycle>,
}

/// An upgrade rule of a product, as written and resolved.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rule<'m> {
    pub policy: Policy,
    /// The rule's version spec as written, or null for every version.
    pub versions: Option<&'m str>,
    /// Ids of the versions the rule links, oldest first.
    pub members: Vec<&'m str>,
    pub stops: Vec<Stop<'m>>,
    pub condition: Condition<'m>,
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Policy {
    None,
    Sequential,
    AnyNewer,
}

/// A required stop of a rule.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stop<'m> {
    /// A version id of this product.
    pub version: &'m str,
    pub condition: Condition<'m>,
}

/// When something applies, by condition name.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition<'m> {
    /// Condition names that must all hold.
    pub when: Vec<&'m str>,
    /// Condition names none of which may hold.
    pub unless: Vec<&'m str>,
}

/// An issue as written, with what it applies to.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Issue<'m> {
    pub title: &'m str,
    pub severity: Severity,
    /// Markdown, as written.
    pub body: Option<&'m str>,
    pub components: Vec<IssueComponent<'m>>,
    /// applies_if.originally: the versions (product@version) a server must
    /// have begun as.
    pub originally: Option<Vec<String>>,
    pub condition: Condition<'m>,
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Blocking,
    Warning,
    Info,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueComponent<'m> {
    pub id: &'m str,
    pub name: &'m str,
    /// The component's page, from the site root (not in `export graph`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The version's support dates, in endoflife.date's field names; only
/// when the knowledge base states any (docs/content-format.md, Support
/// dates).
#[derive(Serialize, JsonSchema, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Lifecycle {
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub release_date: Option<String>,
    /// End of mainstream support, or false when not announced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support: Option<SupportEnd>,
    /// End of all support: the extended end when there is one, else
    /// `support`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eol: Option<SupportEnd>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub extended_support: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lts: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub latest_release_date: Option<String>,
}

impl Lifecycle {
    /// Whether it states nothing.
    pub fn is_empty(&self) -> bool {
        self.release_date.is_none()
            && self.support.is_none()
            && self.eol.is_none()
            && self.extended_support.is_none()
            && self.lts.is_none()
            && self.latest.is_none()
            && self.latest_release_date.is_none()
    }
}

/// A day, or `false` when the end is not announced.
#[derive(Serialize, JsonSchema, Clone)]
#[serde(untagged)]
pub enum SupportEnd {
    #[schemars(extend("format" = "date"))]
    On(String),
    #[schemars(extend("const" = false))]
    NotAnnounced(bool),
}

/// `api/v1/products/PRODUCT/VERSION.json`: a version and the versions it
/// reaches under no conditions, with their paths.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "upgrade-atlas version and its reachable targets")]
pub struct VersionFile<'m> {
    /// product@version
    #[serde(rename = "ref")]
    pub reference: String,
    pub product: &'m str,
    pub version: &'m str,
    pub title: String,
    /// The version's page, from the site root.
    pub url: String,
    /// How many other versions it reaches under no conditions.
    pub reachable: usize,
    /// Whether targets lists all of them: true up to 60; past that, targets
    /// holds the newest reachable version of each product (at most 100).
    pub complete: bool,
    /// Versions reachable under no conditions (all of them when complete),
    /// in the site's version order. A path's issues are those of its
    /// direct upgrades in `upgrades`, hop by hop.
    pub targets: Vec<Target>,
    /// Every direct upgrade the targets' paths take, once each, in the
    /// order the paths first take it.
    pub upgrades: Vec<VersionUpgrade<'m>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<Lifecycle>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// product@version
    pub to: String,
    pub hops: usize,
    /// From this version to the target, as `path` gives it.
    #[schemars(length(min = 2))]
    pub path: Vec<String>,
    /// How many blocking issues the path meets: the sum over its upgrades'.
    pub blocking: usize,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionUpgrade<'m> {
    /// product@version
    pub from: String,
    /// product@version
    pub to: String,
    /// The supported scenarios behind the upgrade, by id.
    pub scenarios: Vec<&'m str>,
    /// As `upgrade-atlas path --json` gives them for this hop, for a
    /// server that began as this version, without `hop`.
    pub issues: Vec<PathIssue<'m>>,
}

/// An issue met on a path, as `upgrade-atlas path --json` prints it.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PathIssue<'m> {
    pub title: &'m str,
    pub severity: Severity,
    /// The scenario that carries the issue, or null.
    pub scenario: Option<&'m str>,
    /// The version moved past whose known issue it is, or null.
    pub version: Option<String>,
    /// Component ids.
    pub components: Vec<&'m str>,
    /// The hop of the path it is met on, from 0 (only in `path --json`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hop: Option<usize>,
}

/// `api/v1/graph.json` (and `export graph --format json`): the whole graph
/// by id. The site's file is written a value at a time; this type is its
/// schema and `export`'s value.
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "upgrade-atlas graph")]
pub struct GraphFile<'m> {
    pub conditions: Vec<GraphCondition<'m>>,
    pub products: Vec<GraphProduct<'m>>,
    pub versions: Vec<GraphVersion<'m>>,
    pub scenarios: Vec<GraphScenario<'m>>,
    /// Every direct upgrade under no conditions.
    pub upgrades: Vec<GraphUpgrade<'m>>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GraphCondition<'m> {
    pub name: &'m str,
    pub description: &'m str,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GraphProduct<'m> {
    #[schemars(regex(pattern = ID))]
    pub id: &'m str,
    pub name: &'m str,
    /// Version ids, oldest first.
    pub versions: Vec<&'m str>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GraphVersion<'m> {
    /// product@version
    #[serde(rename = "ref")]
    pub reference: String,
    pub product: &'m str,
    pub version: &'m str,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<Lifecycle>,
    /// In the site's file only, not in `export graph`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GraphScenario<'m> {
    pub id: &'m str,
    pub title: &'m str,
    #[schemars(extend("format" = "date"))]
    pub updated: Option<&'m str>,
    pub direct: Direct,
    /// Versions as product@version.
    pub from: Vec<String>,
    /// Versions as product@version.
    pub to: Vec<String>,
    /// Versions as product@version.
    pub via: Vec<String>,
    pub condition: Condition<'m>,
    pub issues: Vec<Issue<'m>>,
    /// In the site's file only, not in `export graph`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Whether the scenario's direct upgrade is supported.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Direct {
    Supported,
    Unsupported,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GraphUpgrade<'m> {
    pub from: String,
    pub to: String,
    /// Supported scenarios behind it; empty when only the product's rules
    /// allow it.
    pub scenarios: Vec<&'m str>,
}

/// `api/v1/redirects.json` (format 1.2, only when pages moved).
#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "upgrade-atlas redirects (format 1.2: pages that moved)")]
pub struct RedirectsFile {
    pub redirects: Vec<Redirect>,
}

#[derive(Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Redirect {
    /// The old address, from the site root.
    pub from: String,
    /// The page there now, from the site root.
    pub to: String,
}

/// The schema of each API file: its name in `docs/api/` and its text, as
/// committed there (pretty JSON and a final newline).
pub fn schemas() -> Vec<(&'static str, String)> {
    vec![
        (
            "index.schema.json",
            schema::<IndexFile>("api/v1/index.json"),
        ),
        (
            "product.schema.json",
            schema::<ProductFile>("api/v1/products/PRODUCT.json"),
        ),
        (
            "version.schema.json",
            schema::<VersionFile>("api/v1/products/PRODUCT/VERSION.json"),
        ),
        (
            "graph.schema.json",
            schema::<GraphFile>("api/v1/graph.json"),
        ),
        (
            "redirects.schema.json",
            schema::<RedirectsFile>("api/v1/redirects.json"),
        ),
    ]
}

fn schema<T: JsonSchema>(id: &str) -> String {
    let generator = SchemaGenerator::new(SchemaSettings::draft2020_12().for_serialize());
    let mut schema: Schema = generator.into_root_schema_for::<T>();
    schema.insert("$id".into(), id.into());
    let mut value = schema.to_value();
    unwrap_descriptions(&mut value);
    let mut text = serde_json::to_string_pretty(&value).expect("a schema serializes");
    text.push('\n');
    text
}

/// A description is a doc comment's lines; as one line it reads as a
/// sentence in any viewer.
fn unwrap_descriptions(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                match item {
                    serde_json::Value::String(text) if key == "description" => {
                        *text = text
                            .split('\n')
                            .map(str::trim)
                            .collect::<Vec<_>>()
                            .join(" ");
                    }
                    _ => unwrap_descriptions(item),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(unwrap_descriptions),
        _ => {}
    }
}
