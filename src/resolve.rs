//! Stage 2, resolve: raw documents -> the checked [`Model`].
//!
//! Checks every id, expands selectors into the versions they match, resolves
//! conditions, components and the `@` references inside Markdown, and checks
//! the scheme of every link. Every problem is collected; what is broken is
//! left out of the model so that later checks can still run on the rest.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Span, closest, list_some, suggest};
use crate::load::{
    Broken, Names, OneOrMany, RawComponent, RawDoc, RawIssue, RawKb, RawLink, RawProduct, RawRule,
    RawScenario, RawSite, RawSource, RawStop, S, Selectors,
};
use crate::markdown;
use crate::model::*;
use crate::selector::{self, VersionSpec, is_product_id, is_version_id};

/// The most (from, to) pairs one scenario may cover: `from: p@*` and
/// `to: q@*` over two products of 1,000 versions each would otherwise ask
/// for a million upgrades from a file of three lines.
pub const MAX_SCENARIO_PAIRS: usize = 10_000;

/// The most upgrades one product's rules may allow, all rules together
/// (`any-newer` over n versions allows n(n-1)/2).
pub const MAX_RULE_UPGRADES: usize = 100_000;

/// The most upgrades the whole knowledge base may describe: the pairs of
/// every scenario and the upgrades of every product's rules, counted
/// before duplicates are removed.
pub const MAX_UPGRADES: usize = 1_000_000;

/// The most versions the `applies_if.originally` of the issues of one
/// file may name, all issues together.
pub const MAX_ORIGINALLY_PER_FILE: usize = 10_000;

/// The most (component, dependent) pairs, dependents counted all the way
/// down, in the whole knowledge base.
pub const MAX_DEPENDENTS: usize = 1_000_000;

/// Where the limits are explained, for hints.
const LIMITS_DOC: &str = "see \"Input limits\" in docs/security.md";

pub fn resolve(raw: RawKb) -> (Model, Vec<Diagnostic>) {
    resolve_cached(raw, &mut ResolveCache::default())
}

/// [`resolve`], reusing what `cache` holds for scenario files that did not
/// change since it was filled, and keeping the new results in it.
pub fn resolve_cached(raw: RawKb, cache: &mut ResolveCache) -> (Model, Vec<Diagnostic>) {
    let mut resolver = Resolver {
        broken: raw.broken,
        ..Resolver::default()
    };
    let site = resolver.site(raw.site.as_deref());
    let mut model = Model {
        site,
        products: Vec::new(),
        nodes: Vec::new(),
        components: Vec::new(),
        scenarios: Vec::new(),
        static_files: raw.static_files,
        sources: raw.sources,
    };
    resolver.products(&mut model, &raw.products);
    resolver.components(&mut model, &raw.components);
    resolver.product_details(&mut model, &raw.products);
    let shape = Shape::of(&model, &resolver.broken);
    if cache.shape.as_ref() != Some(&shape) {
        // Freeing every memo takes a while: leave it to `tidy`, or to the
        // next run when nobody tidies.
        cache.tidy();
        cache.retired = std::mem::take(&mut cache.scenarios);
        cache.shape = Some(shape);
        cache.links_basis = None;
    }
    resolver.scenarios(&mut model, &raw.scenarios, &mut cache.scenarios);
    resolver.keep_within_upgrade_limit(&mut model);
    resolver.check_markdown(&model);
    resolver.check_scenario_links(&model, cache);
    resolver.check_static(&model);
    (model, resolver.problems)
}

/// Scenario results kept between runs, so that `serve` resolves again only
/// the scenario files that changed. A scenario depends on a few names and
/// ids of the site, the products and the components (its `Shape`), never
/// on another scenario (except for the `@` links in its Markdown), so its
/// results stay right while its file and that shape stay the same.
#[derive(Default)]
pub struct ResolveCache {
    shape: Option<Shape>,
    /// By the address of the parsed document, which the memo keeps alive:
    /// an edited file is a new document, found at a new address.
    scenarios: HashMap<usize, Memo>,
    /// The scenarios that resolved and the broken ids when the kept Markdown
    /// link results were found: links may point at any scenario.
    links_basis: Option<(Vec<String>, Broken)>,
    /// Memos no longer valid, not yet freed.
    retired: HashMap<usize, Memo>,
}

impl ResolveCache {
    /// Frees what the last run left behind. `serve` calls it once the new
    /// site is published, so that freeing does not delay the reload.
    pub fn tidy(&mut self) {
        self.retired = HashMap::new();
    }
}

/// All that resolving a scenario reads besides its own file: the declared
/// conditions, the ids and names of products and their versions (which fix
/// the version numbering, and name a scenario that has no title), the
/// component ids, and what failed to load. Editing a summary, a rule or a
/// component's description changes none of it.
#[derive(PartialEq, Eq)]
struct Shape {
    conditions: Vec<String>,
    products: Vec<ProductShape>,
    components: Vec<String>,
    broken: Broken,
}

/// A product's id and name, and each version's id and name.
#[derive(PartialEq, Eq)]
struct ProductShape {
    id: String,
    name: String,
    versions: Vec<(String, String)>,
}

impl Shape {
    fn of(model: &Model, broken: &Broken) -> Shape {
        Shape {
            conditions: model
                .site
                .conditions
                .iter()
                .map(|c| c.name.clone())
                .collect(),
            products: model
                .products
                .iter()
                .map(|p| {
                    let versions = p.versions.iter().map(|v| (v.id.clone(), v.name.clone()));
                    ProductShape {
                        id: p.id.clone(),
                        name: p.name.clone(),
                        versions: versions.collect(),
                    }
                })
                .collect(),
            components: model.components.iter().map(|c| c.id.clone()).collect(),
            broken: broken.clone(),
        }
    }
}

fn address(doc: &Arc<RawDoc<RawScenario>>) -> usize {
    Arc::as_ptr(doc) as usize
}

/// One scenario file's results.
struct Memo {
    doc: Arc<RawDoc<RawScenario>>,
    /// `None` when the file has errors of its own.
    scenario: Option<Arc<Scenario>>,
    problems: Vec<Diagnostic>,
    markdown: Vec<PendingMarkdown>,
    /// The problems of its Markdown links, once checked.
    link_problems: Option<Vec<Diagnostic>>,
}

fn span<T>(file: &Path, value: &S<T>) -> Span {
    Span::new(
        file,
        value.referenced.line() as usize,
        value.referenced.column() as usize,
    )
}

/// A Markdown field waiting for its links to be checked once the model is whole.
struct PendingMarkdown {
    file: PathBuf,
    text: String,
    span: Span,
    byte_offset: Option<usize>,
}

/// A version id or alias, as the clash checks of a product know it.
struct Named {
    written: String,
    /// "version `10`", "alias `stretch` of version `9`"
    what: String,
    at: Span,
}

/// Where a selector is used decides what it may match.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// `from`, `originally`: a bare product means all its versions.
    Many,
    /// `to`: a bare product only when it has one version; a spec may match several.
    Target,
    /// `via` and the command line: exactly one version.
    Exact,
}

#[derive(Default)]
struct Resolver {
    problems: Vec<Diagnostic>,
    pending: Vec<PendingMarkdown>,
    condition_names: Vec<String>,
    /// Files that failed to load; what refers to them is not reported again.
    broken: Broken,
    /// The upgrades the products' rules allow, all together (see [`MAX_UPGRADES`]).
    upgrades: usize,
    /// The versions the `applies_if.originally` of the current file's
    /// issues name so far (see [`MAX_ORIGINALLY_PER_FILE`]).
    originally_named: usize,
}

impl Resolver {
    fn error(&mut self, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        self.problems.push(Diagnostic::error(span, message));
        self.problems.last_mut().expect("just pushed")
    }

    fn markdown(&mut self, file: &Path, value: &Option<S<String>>) -> Option<String> {
        let value = value.as_ref()?;
        self.pending.push(PendingMarkdown {
            file: file.to_path_buf(),
            text: value.value.clone(),
            span: span(file, value),
            byte_offset: value.referenced.span().byte_offset().map(|o| o as usize),
        });
        Some(value.value.clone())
    }

    fn text(value: &Option<S<String>>) -> Option<String> {
        value.as_ref().map(|v| v.value.clone())
    }

    // ---- site -------------------------------------------------------------

    fn site(&mut self, raw: Option<&RawDoc<RawSite>>) -> Site {
        let mut site = Site {
            title: "Upgrade knowledge base".into(),
            description: None,
            base_url: None,
            language: "en".into(),
            pretty_urls: false,
            raw_html: false,
            conditions: Vec::new(),
        };
        let Some(doc) = raw else { return site };
        let (file, raw) = (&doc.file, &doc.value);
        if let Some(title) = &raw.title {
            site.title = self.one_line(file, title, "the site's title");
        }
        site.description = self.markdown(file, &raw.description);
        if let Some(base) = &raw.base_url {
            site.base_url = self.base_url(file, base);
        }
        if let Some(language) = &raw.language {
            let valid = !language.value.is_empty()
                && language
                    .value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-');
            if valid {
                site.language = language.value.clone();
            } else {
                self.error(
                    span(file, language),
                    format!("`{}` is not a language tag", language.value),
                )
                .hint = Some("use a BCP 47 tag such as `en` or `de-CH`".into());
            }
        }
        site.pretty_urls = raw.pretty_urls.as_ref().is_some_and(|p| p.value);
        site.raw_html = raw
            .markdown
            .as_ref()
            .and_then(|m| m.raw_html.as_ref())
            .is_some_and(|r| r.value);
        for (name, description) in raw.conditions.iter().flat_map(|c| &c.0) {
            if !is_product_id(&name.value) {
                self.error(
                    span(file, name),
                    format!("`{}` is not a valid condition name", shorten(&name.value)),
                )
                .hint = Some("use lowercase letters, digits and `-`".into());
            } else if let Some(problem) = id_problem(&name.value) {
                self.error(span(file, name), format!("condition name {problem}"))
                    .hint = Some(id_hint());
            } else if site.conditions.iter().any(|c| c.name == name.value) {
                self.error(
                    span(file, name),
                    format!("condition `{}` is declared twice", name.value),
                )
                .hint = Some("keep one of the two".into());
            } else {
                let description = self.one_line(file, description, "a condition's description");
                site.conditions.push(ConditionDef {
                    name: name.value.clone(),
                    description,
                });
            }
        }
        self.condition_names = site.conditions.iter().map(|c| c.name.clone()).collect();
        site
    }

    fn base_url(&mut self, file: &Path, base: &S<String>) -> Option<String> {
        let url = base.value.trim();
        match base_url_problem(url) {
            None => Some(format!("{}/", url.trim_end_matches('/'))),
            Some(problem) => {
                self.error(span(file, base), format!("base_url {problem}"))
                    .hint = Some(BASE_URL_HINT.into());
                None
            }
        }
    }

    /// A name or title: one line of text, not blank; returned trimmed, so
    /// that the line break YAML leaves at the end of a `>` block is no line.
    fn one_line(&mut self, file: &Path, value: &S<String>, what: &str) -> String {
        let text = value.value.trim();
        if text.is_empty() {
            self.error(span(file, value), format!("{what} is empty"))
                .hint = Some("write a few words".into());
        } else if text.contains(['\n', '\r', '\u{2028}', '\u{2029}']) {
            self.error(span(file, value), format!("{what} spans several lines"))
                .hint = Some("names and titles are one line: put the rest in `summary` or `body`; to fold a long line in YAML, write it after `>-`".into());
        }
        text.to_owned()
    }

    fn one_line_opt(
        &mut self,
        file: &Path,
        value: &Option<S<String>>,
        what: &str,
    ) -> Option<String> {
        value.as_ref().map(|value| self.one_line(file, value, what))
    }

    fn condition(
        &mut self,
        file: &Path,
        when: &Option<S<Names>>,
        unless: &Option<S<Names>>,
    ) -> Condition {
        Condition {
            when: self.names(file, when),
            unless: self.names(file, unless),
        }
    }

    fn names(&mut self, file: &Path, names: &Option<S<Names>>) -> Vec<ConditionId> {
        let Some(names) = names else {
            return Vec::new();
        };
        let listed: Vec<(String, Span)> = match &names.value {
            Names::One(name) => vec![(name.clone().unwrap_or_default(), span(file, names))],
            Names::Many(list) => list
                .iter()
                .map(|n| (n.value.clone(), span(file, n)))
                .collect(),
        };
        let mut ids = Vec::new();
        for (name, at) in listed {
            match self.condition_names.iter().position(|c| *c == name) {
                Some(id) => ids.push(id),
                None => {
                    let hint = self.condition_hint(&name);
                    self.error(at, format!("unknown condition `{name}`")).hint = Some(hint);
                }
            }
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    fn condition_hint(&self, name: &str) -> String {
        if self.condition_names.is_empty() {
            return "declare conditions under `conditions:` in content/site.yaml".into();
        }
        let known: Vec<&str> = self.condition_names.iter().map(String::as_str).collect();
        let hint = suggest(name, "declared conditions", &known);
        if hint.starts_with("did you mean") {
            hint
        } else {
            format!("{hint} (declare more in content/site.yaml)")
        }
    }

    fn links(&mut self, file: &Path, raw: &Option<Vec<RawLink>>) -> Vec<Link> {
        let mut links = Vec::new();
        for link in raw.iter().flatten() {
            let title = self.one_line(file, &link.title, "a link's title");
            if self.url(file, &link.url) {
                links.push(Link {
                    title,
                    url: link.url.value.trim().to_owned(),
                });
            }
        }
        links
    }

    fn url(&mut self, file: &Path, url: &S<String>) -> bool {
        match markdown::url_problem(&url.value) {
            None => true,
            Some(problem) => {
                self.error(span(file, url), problem).hint = Some(URL_HINT.into());
                false
            }
        }
    }

    // ---- products and versions ------------------------------------------

    /// Products, their versions and the node list; rules and issues come later,
    /// once components and every product's versions are known.
    fn products(&mut self, model: &mut Model, raw: &[Arc<RawDoc<RawProduct>>]) {
        let mut seen: BTreeMap<&str, &Path> = BTreeMap::new();
        let mut docs: Vec<&RawDoc<RawProduct>> = Vec::new();
        for doc in raw {
            if !is_product_id(&doc.id) {
                self.broken.products.insert(doc.id.clone());
                self.error(Span::file_start(&doc.file), format!("`{}` is not a valid product id", shorten(&doc.id)))
                    .hint = Some("a product id is its file name: lowercase letters, digits and `-`, e.g. products/backoffice-server.yaml".into());
                continue;
            }
            if let Some(problem) = id_problem(&doc.id) {
                self.broken.products.insert(doc.id.clone());
                self.error(Span::file_start(&doc.file), format!("product id {problem}"))
                    .hint = Some(format!("a product id is its file name; {}", id_hint()));
                continue;
            }
            if let Some(first) = seen.insert(&doc.id, &doc.file) {
                self.error(
                    Span::file_start(&doc.file),
                    format!("product `{}` is defined twice", doc.id),
                )
                .hint = Some(format!("also defined in {}", first.display()));
                continue;
            }
            docs.push(doc);
        }
        docs.sort_by(|a, b| a.id.cmp(&b.id));
        for doc in docs {
            let raw = &doc.value;
            let product_index = model.products.len();
            if raw.versions.value.is_empty() {
                self.error(
                    span(&doc.file, &raw.versions),
                    "a product needs at least one version",
                )
                .hint =
                    Some("list its versions, oldest first: `versions: [{ id: \"1.0\" }]`".into());
            }
            let versions = self.versions(model, product_index, doc);
            let names = VersionNames::of(&versions);
            model.products.push(Product {
                id: doc.id.clone(),
                name: self.one_line(&doc.file, &raw.name, "the product's name"),
                vendor: self.one_line_opt(&doc.file, &raw.vendor, "the vendor"),
                summary: self.markdown(&doc.file, &raw.summary),
                notes: self.markdown(&doc.file, &raw.notes),
                links: self.links(&doc.file, &raw.links),
                versions,
                names,
                rules: Vec::new(),
                file: doc.file.clone(),
            });
        }
    }

    /// A product's versions, each checked and given its node. Ids and
    /// aliases are compared through one map of lowercased names, so that a
    /// product of many versions costs no more than its length.
    fn versions(
        &mut self,
        model: &mut Model,
        product_index: usize,
        doc: &RawDoc<RawProduct>,
    ) -> Vec<Version> {
        let mut versions: Vec<Version> = Vec::new();
        // Lowercased id or alias -> what it names, in words, and where.
        let mut names: HashMap<String, Named> = HashMap::new();
        let mut raw_kept = Vec::new();
        for version in &doc.value.versions.value {
            let id = &version.id;
            if !is_version_id(&id.value) {
                self.error(span(&doc.file, id), format!("`{}` is not a valid version id", shorten(&id.value)))
                    .hint = Some("a version id starts with a letter or digit and holds only letters, digits, `.`, `_`, `+` and `-`; put anything else in `name`".into());
                continue;
            }
            if let Some(problem) = id_problem(&id.value) {
                self.error(span(&doc.file, id), format!("version id {problem}"))
                    .hint = Some(format!(
                    "{}; put how the version is called in `name`",
                    id_hint()
                ));
                continue;
            }
            if id.value == PAGE_FILE {
                self.error(
                    span(&doc.file, id),
                    format!("`{PAGE_FILE}` cannot be a version id"),
                )
                .hint =
                    Some("it is the name of every page file; give the version another id".into());
                continue;
            }
            match names.get(&id.value.to_ascii_lowercase()) {
                Some(other) if other.written == id.value => {
                    self.error(
                        span(&doc.file, id),
                        format!("version `{}` is listed twice", id.value),
                    )
                    .hint = Some("remove one of the two, or give one another id".into());
                    continue;
                }
                Some(other) => {
                    let message = format!(
                        "version `{}` differs from `{}` only in case",
                        id.value, other.written
                    );
                    self.error(span(&doc.file, id), message)
                    .hint = Some("their pages would be one file on Windows and macOS; make the ids differ in more than case".into());
                    continue;
                }
                None => {}
            }
            names.insert(
                id.value.to_ascii_lowercase(),
                Named {
                    written: id.value.clone(),
                    what: format!("version `{}`", id.value),
                    at: span(&doc.file, id),
                },
            );
            if let Some(released) = &version.released {
                self.date(&doc.file, released);
            }
            let name = self.one_line_opt(&doc.file, &version.name, "the version's name");
            let node = model.nodes.len();
            model.nodes.push(Node {
                product: product_index,
                version: versions.len(),
            });
            versions.push(Version {
                id: id.value.clone(),
                aliases: Vec::new(),
                name: name.unwrap_or_else(|| id.value.clone()),
                released: version.released.as_ref().map(|r| r.value.clone()),
                summary: self.markdown(&doc.file, &version.summary),
                components: Vec::new(),
                issues: Vec::new(),
                node,
            });
            raw_kept.push(version);
        }
        // Aliases after every id, so that an alias clashes with a later id too.
        for (version, raw) in versions.iter_mut().zip(raw_kept) {
            for alias in raw.aliases.iter().flatten() {
                let at = span(&doc.file, alias);
                if !is_version_id(&alias.value) {
                    self.error(at, format!("`{}` is not a valid alias", shorten(&alias.value)))
                        .hint = Some("an alias is written like a version id: letters, digits, `.`, `_`, `+` and `-`, starting with a letter or digit".into());
                    continue;
                }
                if let Some(problem) = id_problem(&alias.value) {
                    self.error(at, format!("alias {problem}")).hint = Some(format!(
                        "an alias follows the rules of version ids: {}",
                        id_hint()
                    ));
                    continue;
                }
                let what = format!("alias `{}` of version `{}`", alias.value, version.id);
                match names.get(&alias.value.to_ascii_lowercase()) {
                    Some(other) => {
                        let (other, other_at) = (other.what.clone(), other.at.clone());
                        let hint = "an alias must differ, in more than case, from every id and alias of the product";
                        self.error(at, format!("{what} clashes with {other}")).hint =
                            Some(hint.into());
                        self.error(other_at, format!("{other} clashes with {what}"))
                            .hint = Some(hint.into());
                    }
                    None => {
                        let named = Named {
                            written: alias.value.clone(),
                            what,
                            at,
                        };
                        names.insert(alias.value.to_ascii_lowercase(), named);
                        version.aliases.push(alias.value.clone());
                    }
                }
            }
        }
        versions
    }

    /// Rules, version components and version issues.
    fn product_details(&mut self, model: &mut Model, raw: &[Arc<RawDoc<RawProduct>>]) {
        let docs: BTreeMap<&str, &RawDoc<RawProduct>> =
            raw.iter().map(|d| (d.id.as_str(), &**d)).collect();
        for index in 0..model.products.len() {
            let Some(doc) = docs.get(model.products[index].id.as_str()) else {
                continue;
            };
            let rules: Vec<&RawRule> = match doc.value.upgrades.as_ref().map(|u| &u.value) {
                None => Vec::new(),
                Some(OneOrMany::One(rule)) => vec![rule],
                Some(OneOrMany::Many(rules)) => rules.iter().collect(),
            };
            let rules: Vec<Rule> = rules
                .into_iter()
                .filter_map(|rule| self.rule(model, index, &doc.file, rule))
                .collect();
            let upgrades: usize = rules.iter().map(Rule::most_upgrades).sum();
            if upgrades > MAX_RULE_UPGRADES {
                let at = doc.value.upgrades.as_ref().map_or_else(
                    || Span::file_start(&doc.file),
                    |upgrades| span(&doc.file, upgrades),
                );
                self.error(
                    at,
                    format!(
                        "the upgrade rules of this product allow {upgrades} upgrades; the limit is {MAX_RULE_UPGRADES}"
                    ),
                )
                .hint = Some(format!(
                    "`any-newer` over n versions allows about n²/2 upgrades: narrow it with `versions:` or `required_stops`, or use `sequential` ({LIMITS_DOC})"
                ));
            } else {
                self.upgrades += upgrades;
                model.products[index].rules = rules;
            }
            // The first entry of each id is the version kept; later ones were reported.
            let mut done = std::collections::HashSet::new();
            self.originally_named = 0;
            for raw_version in &doc.value.versions.value {
                let id = raw_version.id.value.as_str();
                let product = &model.products[index];
                let Some(at) = product.names.position_of_id(id) else {
                    continue;
                };
                if !done.insert(id) {
                    continue;
                }
                let components = self.component_refs(model, &doc.file, &raw_version.components);
                let issues = self.issues(model, &doc.file, &raw_version.issues);
                let version = &mut model.products[index].versions[at];
                version.components = components;
                version.issues = issues;
            }
        }
    }

    fn rule(&mut self, model: &Model, product: usize, file: &Path, raw: &RawRule) -> Option<Rule> {
        let policy = raw.policy.as_ref().map(|p| p.value).unwrap_or_default();
        let product = &model.products[product];
        let members = match &raw.versions {
            None => (0..product.versions.len()).collect(),
            Some(spec) => {
                let parsed = selector::parse_spec(&spec.value)
                    .map(|s| s.with_ids(|name| product.id_of_alias(name)));
                match parsed.and_then(|s| selector::matches(&s, product)) {
                    Ok(members) => members,
                    Err(problem) => {
                        let hint = versions_hint(product, unknown_id(&problem));
                        self.error(
                            span(file, spec),
                            format!("`versions: {}`: {problem}", spec.value),
                        )
                        .hint = Some(hint);
                        return None;
                    }
                }
            }
        };
        let mut stops = Vec::new();
        for stop in raw.required_stops.iter().flatten() {
            let (version, at, condition) = match &stop.value {
                RawStop::Bare(version) => (
                    version.clone().unwrap_or_default(),
                    span(file, stop),
                    Condition::default(),
                ),
                RawStop::Detailed(entry) => (
                    entry.version.value.clone(),
                    span(file, &entry.version),
                    self.condition(file, &entry.when, &entry.unless),
                ),
            };
            match product.version_index(&version) {
                Some(index) => stops.push(Stop {
                    version: index,
                    condition,
                }),
                None => {
                    let hint = versions_hint(product, Some(&version));
                    self.error(
                        at,
                        format!("required stop `{version}` is not a version of this product"),
                    )
                    .hint = Some(hint);
                }
            }
        }
        if !stops.is_empty() && policy != Policy::AnyNewer {
            let at = raw
                .policy
                .as_ref()
                .map_or_else(|| Span::file_start(file), |p| span(file, p));
            self.error(at, "`required_stops` only apply with `policy: any-newer`")
                .hint = Some("with `sequential` every version is already a stop".into());
        }
        Some(Rule {
            policy,
            members,
            versions_spec: raw.versions.as_ref().map(|v| v.value.clone()),
            stops,
            condition: self.condition(file, &raw.when, &raw.unless),
        })
    }

    // ---- components -------------------------------------------------------

    fn components(&mut self, model: &mut Model, raw: &[Arc<RawDoc<RawComponent>>]) {
        let mut docs: Vec<&RawDoc<RawComponent>> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for doc in raw {
            if !is_product_id(&doc.id) {
                self.broken.components.insert(doc.id.clone());
                self.error(
                    Span::file_start(&doc.file),
                    format!("`{}` is not a valid component id", shorten(&doc.id)),
                )
                .hint = Some(
                    "a component id is its file name: lowercase letters, digits and `-`".into(),
                );
            } else if let Some(problem) = id_problem(&doc.id) {
                self.broken.components.insert(doc.id.clone());
                self.error(
                    Span::file_start(&doc.file),
                    format!("component id {problem}"),
                )
                .hint = Some(format!("a component id is its file name; {}", id_hint()));
            } else if !seen.insert(doc.id.as_str()) {
                self.error(
                    Span::file_start(&doc.file),
                    format!("component `{}` is defined twice", doc.id),
                )
                .hint = Some("two files give it (`.yaml` and `.yml`): keep one".into());
            } else {
                docs.push(doc);
            }
        }
        docs.sort_by(|a, b| a.id.cmp(&b.id));
        for doc in &docs {
            model.components.push(Component {
                id: doc.id.clone(),
                name: self.one_line(&doc.file, &doc.value.name, "the component's name"),
                summary: self.markdown(&doc.file, &doc.value.summary),
                depends_on: Vec::new(),
                dependents: Vec::new(),
                file: doc.file.clone(),
            });
        }
        for (index, doc) in docs.iter().enumerate() {
            let depends_on = self.component_refs(model, &doc.file, &doc.value.depends_on);
            model.components[index].depends_on = depends_on;
        }
        self.dependents(model);
    }

    fn component_refs(
        &mut self,
        model: &Model,
        file: &Path,
        raw: &Option<Vec<S<String>>>,
    ) -> Vec<usize> {
        let mut found = Vec::new();
        for id in raw.iter().flatten() {
            match model.component_index(&id.value) {
                Some(index) => found.push(index),
                None if self.broken.components.contains(&id.value) => {}
                None => {
                    let hint = component_hint(model, &id.value);
                    self.error(span(file, id), format!("unknown component `{}`", id.value))
                        .hint = Some(hint);
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Every component that depends on each one, directly or through others.
    fn dependents(&mut self, model: &mut Model) {
        let count = model.components.len();
        let mut direct: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (component, entry) in model.components.iter().enumerate() {
            for &dependency in &entry.depends_on {
                direct[dependency].push(component);
            }
        }
        // Dependents reach all the way down, so a chain of n components
        // has n(n-1)/2 of them: their count is limited, and counted as found.
        let mut total = 0usize;
        for start in 0..count {
            let mut found = BTreeSet::new();
            let mut stack = vec![start];
            while let Some(current) = stack.pop() {
                for &other in &direct[current] {
                    if found.insert(other) {
                        stack.push(other);
                    }
                }
                if total + found.len() > MAX_DEPENDENTS {
                    let component = &model.components[start];
                    self.error(
                        Span::file_start(&component.file),
                        format!(
                            "with the components that depend on `{}`, directly or not, the components have more than {MAX_DEPENDENTS} dependents in all",
                            component.id
                        ),
                    )
                    .hint = Some(format!(
                        "a long chain of `depends_on` makes every component depend on all before it; list only the dependencies that matter for issues; {LIMITS_DOC}"
                    ));
                    for component in &mut model.components {
                        component.dependents = Vec::new();
                    }
                    return;
                }
            }
            total += found.len();
            if found.contains(&start) {
                let component = &model.components[start];
                self.error(
                    Span::file_start(&component.file),
                    format!("component `{}` depends on itself", component.id),
                )
                .hint = Some("follow its `depends_on` chain and break the cycle".into());
                found.remove(&start);
            }
            model.components[start].dependents = found.into_iter().collect();
        }
    }

    // ---- selectors ----------------------------------------------------------

    fn select(
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
            Err((message, hint)) => {
                let problem = self.error(span(file, raw), message);
                problem.hint = hint;
                None
            }
        }
    }

    // ---- scenarios ----------------------------------------------------------

    fn scenarios(
        &mut self,
        model: &mut Model,
        raw: &[Arc<RawDoc<RawScenario>>],
        memos: &mut HashMap<usize, Memo>,
    ) {
        let mut candidates: Vec<&Arc<RawDoc<RawScenario>>> = Vec::with_capacity(raw.len());
        let mut seen = std::collections::HashSet::with_capacity(raw.len());
        for doc in raw {
            if let Some(bad) = doc
                .id
                .split('/')
                .find(|segment| !is_scenario_segment(segment))
            {
                self.error(Span::file_start(&doc.file), format!("`{}` is not a valid scenario id segment", shorten(bad)))
                    .hint = Some("scenario file and folder names use lowercase letters, digits, `.`, `_` and `-`".into());
                continue;
            }
            if let Some(problem) = doc.id.split('/').find_map(id_problem) {
                self.error(
                    Span::file_start(&doc.file),
                    format!("scenario id: a folder or file name {problem}"),
                )
                .hint = Some(format!(
                    "a scenario id is its path below scenarios/; {}",
                    id_hint()
                ));
                continue;
            }
            if doc.id.chars().count() > MAX_SCENARIO_ID_CHARS {
                self.error(
                    Span::file_start(&doc.file),
                    format!(
                        "scenario id `{}` is {} characters long; the limit is {MAX_SCENARIO_ID_CHARS}",
                        shorten(&doc.id),
                        doc.id.chars().count()
                    ),
                )
                .hint = Some("use shorter or fewer folders below scenarios/".into());
                continue;
            }
            if !seen.insert(doc.id.as_str()) {
                self.error(
                    Span::file_start(&doc.file),
                    format!("scenario `{}` is defined twice", doc.id),
                )
                .hint = Some("two files give it (`.yaml` and `.yml`): keep one".into());
                continue;
            }
            candidates.push(doc);
        }
        // What a file gave last time, if it is the very same document.
        let mut previous = std::mem::replace(memos, HashMap::with_capacity(candidates.len()));
        let mut slots: Vec<Option<Memo>> = candidates
            .iter()
            .map(|doc| previous.remove(&address(doc)))
            .collect();
        // Scenarios resolve independently of each other: in parallel, each
        // with its own collector of problems.
        let this = &*self;
        slots
            .par_iter_mut()
            .zip(candidates.par_iter())
            .filter(|(slot, _)| slot.is_none())
            .for_each(|(slot, doc)| {
                let mut own = this.for_one_file();
                let scenario = own.scenario(model, doc).map(Arc::new);
                let memo = Memo {
                    doc: Arc::clone(doc),
                    scenario,
                    problems: own.problems,
                    markdown: own.pending,
                    link_problems: None,
                };
                *slot = Some(memo);
            });
        let mut scenarios = Vec::with_capacity(slots.len());
        for memo in slots.into_iter().flatten() {
            self.problems.extend(memo.problems.iter().cloned());
            match &memo.scenario {
                Some(scenario) => scenarios.push(Arc::clone(scenario)),
                // Left out for its own errors: links to it are not reported again.
                None => drop(self.broken.scenarios.insert(memo.doc.id.clone())),
            }
            memos.insert(address(&memo.doc), memo);
        }
        scenarios.sort_by(|a, b| a.id.cmp(&b.id));
        model.scenarios = scenarios;
    }

    /// An empty collector that knows what this one knows (declared
    /// conditions, broken files), for resolving one file on another thread.
    fn for_one_file(&self) -> Resolver {
        Resolver {
            condition_names: self.condition_names.clone(),
            broken: self.broken.clone(),
            ..Resolver::default()
        }
    }

    fn scenario(&mut self, model: &Model, doc: &RawDoc<RawScenario>) -> Option<Scenario> {
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

    fn issues(&mut self, model: &Model, file: &Path, raw: &Option<Vec<RawIssue>>) -> Vec<Issue> {
        let mut issues = Vec::new();
        for issue in raw.iter().flatten() {
            let component = issue.component.as_ref().and_then(|id| {
                let found = model.component_index(&id.value);
                if found.is_none() && !self.broken.components.contains(&id.value) {
                    let hint = component_hint(model, &id.value);
                    self.error(span(file, id), format!("unknown component `{}`", id.value))
                        .hint = Some(hint);
                }
                found
            });
            let originally = issue
                .applies_if
                .as_ref()
                .map(|a| self.originally(model, file, &a.originally));
            issues.push(Issue {
                title: self.one_line(file, &issue.title, "an issue's title"),
                severity: issue.severity.as_ref().map(|s| s.value).unwrap_or_default(),
                component,
                body: self.markdown(file, &issue.body),
                originally,
                condition: self.condition(file, &issue.when, &issue.unless),
            });
        }
        issues
    }

    fn sources(&mut self, file: &Path, raw: &Option<Vec<RawSource>>) -> Vec<SourceRef> {
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

    fn date(&mut self, file: &Path, date: &S<String>) {
        if !is_iso_date(&date.value) {
            self.error(
                span(file, date),
                format!("`{}` is not a date", shorten(&date.value)),
            )
            .hint = Some("write a day of the calendar as YYYY-MM-DD, e.g. 2024-02-29".into());
        }
    }

    /// The versions an issue's `applies_if.originally` names, sorted,
    /// within the file's share of [`MAX_ORIGINALLY_PER_FILE`].
    fn originally(&mut self, model: &Model, file: &Path, raw: &S<Selectors>) -> Vec<NodeId> {
        let one;
        let selectors: &[S<String>] = match &raw.value {
            Selectors::One(text) => {
                let text = text.clone().unwrap_or_default();
                one = [S::new(text, raw.referenced, raw.defined)];
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
                self.error(
                    span(file, selector),
                    format!(
                        "the `originally` of this file's issues name more than {MAX_ORIGINALLY_PER_FILE} versions in all"
                    ),
                )
                .hint = Some(format!(
                    "name the versions a server began as with narrower selectors, e.g. `p@<2.0`; {LIMITS_DOC}"
                ));
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
    fn covers_upgrades(
        &mut self,
        model: &Model,
        raw: &RawScenario,
        file: &Path,
        from: &[NodeId],
        to: &[NodeId],
    ) -> bool {
        let pairs = from.len().saturating_mul(to.len());
        if pairs > MAX_SCENARIO_PAIRS {
            self.error(
                span(file, &raw.from),
                format!(
                    "`from` and `to` cover {pairs} upgrades ({} versions to {} versions); a scenario covers at most {MAX_SCENARIO_PAIRS}",
                    from.len(),
                    to.len()
                ),
            )
            .hint = Some(format!(
                "narrow the selectors (`p@>=2.0,<3.0`) or split the scenario in several; {LIMITS_DOC}"
            ));
            return false;
        }
        if let ([one], [other]) = (from, to)
            && one == other
        {
            self.error(
                span(file, &raw.to),
                format!(
                    "`from` and `to` are the same version, {}: a scenario is about an upgrade to another version",
                    model.node_ref(*one)
                ),
            )
            .hint = Some("correct `from` or `to`".into());
            return false;
        }
        true
    }

    /// Keeps the upgrades of all scenarios and rules within [`MAX_UPGRADES`]:
    /// the scenario that would pass it is reported, and it and the
    /// scenarios after it (in id order) are left out, so that no later
    /// stage builds what the limit refuses.
    fn keep_within_upgrade_limit(&mut self, model: &mut Model) {
        let mut total = self.upgrades;
        let over = model.scenarios.iter().position(|scenario| {
            total += scenario.from.len() * scenario.to.len();
            total > MAX_UPGRADES
        });
        let Some(over) = over else { return };
        let scenario = &model.scenarios[over];
        self.error(
            scenario.spans.from.clone(),
            format!(
                "with this scenario, the knowledge base describes more than {MAX_UPGRADES} upgrades (the pairs of all scenarios and the upgrades of all rules)"
            ),
        )
        .hint = Some(format!(
            "scenarios from here on in id order are not checked; narrow the selectors of the widest scenarios; {LIMITS_DOC}"
        ));
        for dropped in model.scenarios.drain(over..) {
            self.broken.scenarios.insert(dropped.id.clone());
        }
    }

    /// Files in content/static/ may not take the place of generated ones.
    fn check_static(&mut self, model: &Model) {
        for (target, source) in &model.static_files {
            let top = target
                .components()
                .next()
                .and_then(|c| c.as_os_str().to_str())
                .unwrap_or_default();
            if GENERATED.contains(&top) {
                self.error(
                    Span::file_start(source),
                    format!("`static/{top}` would replace part of the generated site"),
                )
                .hint = Some(format!(
                    "the site itself uses {}; put static files in another folder, e.g. static/files/",
                    GENERATED.join(", ")
                ));
            }
        }
    }

    // ---- Markdown links -----------------------------------------------------

    fn refers_to_broken(&self, reference: &str) -> bool {
        if let Some(id) = reference.strip_prefix("scenario:") {
            return self.broken.scenarios.contains(id);
        }
        if let Some(id) = reference.strip_prefix("component:") {
            return self.broken.components.contains(id);
        }
        let product = reference.split('@').next().unwrap_or_default();
        self.broken.products.contains(product)
    }

    /// Checks every Markdown link of the site, products and components, in
    /// parallel: parsing Markdown is the costly part of resolving.
    fn check_markdown(&mut self, model: &Model) {
        let pending = std::mem::take(&mut self.pending);
        let found: Vec<Diagnostic> = pending
            .par_iter()
            .flat_map_iter(|pending| self.links_in(model, pending))
            .collect();
        self.problems.extend(found);
    }

    /// Checks the Markdown links of the scenarios, or reuses what was found
    /// for a file that did not change while the same scenarios resolved.
    fn check_scenario_links(&mut self, model: &Model, cache: &mut ResolveCache) {
        let same_targets = cache.links_basis.as_ref().is_some_and(|(ids, broken)| {
            *broken == self.broken
                && ids
                    .iter()
                    .map(String::as_str)
                    .eq(model.scenarios.iter().map(|s| s.id.as_str()))
        });
        if !same_targets {
            for memo in cache.scenarios.values_mut() {
                memo.link_problems = None;
            }
            let ids = model.scenarios.iter().map(|s| s.id.clone()).collect();
            cache.links_basis = Some((ids, self.broken.clone()));
        }
        let mut unchecked: Vec<&mut Memo> = cache
            .scenarios
            .values_mut()
            .filter(|memo| memo.link_problems.is_none())
            .collect();
        let this = &*self;
        unchecked.par_iter_mut().for_each(|memo| {
            let found = memo
                .markdown
                .iter()
                .flat_map(|pending| this.links_in(model, pending))
                .collect();
            memo.link_problems = Some(found);
        });
        for memo in cache.scenarios.values() {
            self.problems
                .extend(memo.link_problems.iter().flatten().cloned());
        }
    }

    fn links_in(&self, model: &Model, pending: &PendingMarkdown) -> Vec<Diagnostic> {
        markdown::destinations(&pending.text)
            .into_iter()
            .filter_map(|destination| self.link_problem(model, pending, &destination))
            .collect()
    }

    fn link_problem(
        &self,
        model: &Model,
        pending: &PendingMarkdown,
        destination: &markdown::Destination,
    ) -> Option<Diagnostic> {
        let url = destination.url.as_str();
        // `@reference#fragment` points into the page: the fragment is the page's business.
        let reference = url
            .strip_prefix('@')
            .map(|r| r.split_once('#').map_or(r, |(page, _)| page));
        let (message, hint) = match reference {
            Some(reference) if self.refers_to_broken(reference) => return None,
            Some(reference) if model.target(reference).is_none() => (
                format!("link `{url}` points at nothing in this knowledge base"),
                Some(reference_hint(model, reference)),
            ),
            Some(_) => return None,
            None if destination.image => (
                markdown::image_problem(url)?,
                Some("put the image in content/static/ and link it by its path there".to_owned()),
            ),
            None => (markdown::url_problem(url)?, Some(URL_HINT.to_owned())),
        };
        let problem = Diagnostic::error(locate(model, pending, url), message);
        Some(match hint {
            Some(hint) => problem.with_hint(hint),
            None => problem,
        })
    }
}

/// The exact place of a link inside a Markdown value, found in the file's
/// text after the value's start; the value's own place when escapes hide it.
fn locate(model: &Model, pending: &PendingMarkdown, needle: &str) -> Span {
    let (Some(text), Some(offset)) = (model.sources.text(&pending.file), pending.byte_offset)
    else {
        return pending.span.clone();
    };
    let Some(found) = text.get(offset..).and_then(|rest| rest.find(needle)) else {
        return pending.span.clone();
    };
    let before = &text[..offset + found];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    Span::new(&pending.file, line, column)
}

/// Resolves a selector against the model: the nodes it names, or a message and hint.
fn select_nodes(
    model: &Model,
    text: &str,
    role: Role,
) -> Result<Vec<NodeId>, (String, Option<String>)> {
    let parsed = selector::parse(text).map_err(|m| (m, Some(SELECTOR_HINT.to_owned())))?;
    let Some(index) = model.product_index(&parsed.product) else {
        let known: Vec<&str> = model.products.iter().map(|p| p.id.as_str()).collect();
        let hint = suggest(&parsed.product, "known products", &known);
        let message = if parsed.spec.is_some() {
            format!("unknown product `{}` in `{text}`", parsed.product)
        } else {
            format!("unknown product `{}`", parsed.product)
        };
        return Err((message, Some(hint)));
    };
    let product = &model.products[index];
    let count = product.versions.len();
    let known = || versions_hint(product, None);
    let all = VersionSpec::All;
    let spec = match (&parsed.spec, role) {
        (None, Role::Many) => &all,
        (None, _) if count == 1 => &all,
        (None, _) => {
            return Err((
                format!("`{text}` is ambiguous: {} has {count} versions", product.id),
                Some(format!(
                    "name one, e.g. `{}@{}`; {}",
                    product.id,
                    product.versions.last().map_or("", |v| v.id.as_str()),
                    known()
                )),
            ));
        }
        (Some(spec), _) => spec,
    };
    let spec = spec.clone().with_ids(|name| product.id_of_alias(name));
    let matched = selector::matches(&spec, product).map_err(|m| {
        let wrong = unknown_id(&m);
        (
            format!("`{text}`: {m}"),
            Some(versions_hint(product, wrong)),
        )
    })?;
    if role == Role::Exact && matched.len() != 1 {
        return Err((
            format!(
                "`{text}` matches {} versions; exactly one is needed here",
                matched.len()
            ),
            Some(known()),
        ));
    }
    Ok(matched
        .into_iter()
        .map(|i| product.versions[i].node)
        .collect())
}

/// Resolves a selector that must name exactly one version (command line).
pub fn select_one(model: &Model, text: &str) -> Result<NodeId, String> {
    select_nodes(model, text, Role::Exact)
        .map(|nodes| nodes[0])
        .map_err(|(message, hint)| match hint {
            Some(hint) => format!("{message}; {hint}"),
            None => message,
        })
}

/// "BackOffice Server 2.5–4.0", "Small Business Server", "G 15.0, 15.2".
pub fn describe_selection(model: &Model, nodes: &[NodeId]) -> String {
    let Some(&first) = nodes.first() else {
        return String::new();
    };
    let product = model.product_of(first);
    let indices: Vec<usize> = nodes.iter().map(|n| model.nodes[*n].version).collect();
    let name = |i: usize| product.versions[i].name.as_str();
    if indices.len() == product.versions.len() {
        return product.name.clone();
    }
    let contiguous = indices.windows(2).all(|w| w[1] == w[0] + 1);
    match indices.as_slice() {
        [one] => format!("{} {}", product.name, name(*one)),
        [first, .., last] if contiguous => {
            format!("{} {}–{}", product.name, name(*first), name(*last))
        }
        _ => {
            let names: Vec<&str> = indices.iter().map(|i| name(*i)).collect();
            format!("{} {}", product.name, names.join(", "))
        }
    }
}

/// "known versions of p: 1.0, 2.0, … and N more", with a near id first
/// when `wrong` is a misspelling of one.
fn versions_hint(product: &Product, wrong: Option<&str>) -> String {
    let ids = product.version_ids();
    let what = format!("known versions of {}", product.id);
    match wrong {
        Some(wrong) => suggest(wrong, &what, &ids),
        None => format!("{what}: {}", list_some(&ids)),
    }
}

/// The id in a selector's "no version `x`" message.
fn unknown_id(message: &str) -> Option<&str> {
    message.strip_prefix("no version `")?.strip_suffix('`')
}

fn component_hint(model: &Model, id: &str) -> String {
    let known: Vec<&str> = model.components.iter().map(|c| c.id.as_str()).collect();
    if known.is_empty() {
        return "components are defined in content/components/<id>.yaml".into();
    }
    suggest(id, "known components", &known)
}

fn reference_hint(model: &Model, reference: &str) -> String {
    if let Some(id) = reference.strip_prefix("scenario:") {
        let known: Vec<&str> = model.scenarios.iter().map(|s| s.id.as_str()).collect();
        return match closest(id, known.iter().copied()) {
            Some(near) => format!("did you mean `@scenario:{near}`?"),
            None => "scenario references are written `@scenario:<path below scenarios/>`".into(),
        };
    }
    if let Some(id) = reference.strip_prefix("component:") {
        return component_hint(model, id);
    }
    match reference.split_once('@') {
        Some((product, version)) => match model.product_index(product) {
            Some(index) => versions_hint(&model.products[index], Some(version)),
            None => {
                let known: Vec<&str> = model.products.iter().map(|p| p.id.as_str()).collect();
                format!(
                    "no product `{product}`; {}",
                    suggest(product, "known products", &known)
                )
            }
        },
        None => "write `@product`, `@product@version`, `@scenario:id` or `@component:id`".into(),
    }
}

/// The file name of every page, which no id may take.
const PAGE_FILE: &str = "index.html";

/// The top-level names of the generated site, which `content/static/` may not use.
const GENERATED: &[&str] = &[
    "index.html",
    "404.html",
    "robots.txt",
    "sitemap.xml",
    "products",
    "scenarios",
    "components",
    "matrix",
    "paths",
    "search",
    "assets",
    "data",
    "api",
];

fn is_scenario_segment(segment: &str) -> bool {
    let mut chars = segment.chars();
    segment != PAGE_FILE
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

/// `YYYY-MM-DD`, and a day the calendar has (`2024-02-29`, not `2023-02-29`).
fn is_iso_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return false;
    };
    let number = |s: &str, len: usize| {
        (s.len() == len && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (Some(year), Some(month), Some(day)) = (number(year, 4), number(month, 2), number(day, 2))
    else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// The longest id, alias, condition name or scenario path segment, in
/// characters: every id becomes a folder name in the site, and file
/// systems allow 255 bytes.
pub const MAX_ID_CHARS: usize = 100;

/// The longest scenario id, folders included.
pub const MAX_SCENARIO_ID_CHARS: usize = 200;

/// Names Windows keeps for devices, with or without an extension: a page
/// folder of such a name cannot be made there.
const WINDOWS_DEVICES: &[&str] = &[
    "con", "prn", "aux", "nul", "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
    "com8", "com9", "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Why an id (already of the right characters) cannot name a folder of the
/// site everywhere: too long, a Windows device name, or ending in a dot,
/// which Windows drops. Starts with the id, for "version id …".
fn id_problem(id: &str) -> Option<String> {
    let length = id.chars().count();
    if length > MAX_ID_CHARS {
        return Some(format!(
            "`{}` is {length} characters long; the limit is {MAX_ID_CHARS}",
            shorten(id)
        ));
    }
    let stem = id.split('.').next().unwrap_or(id).to_ascii_lowercase();
    if WINDOWS_DEVICES.contains(&stem.as_str()) {
        return Some(format!(
            "`{id}` is a name Windows keeps for a device (`{stem}`), so its page could not be written there"
        ));
    }
    if id.ends_with('.') {
        return Some(format!(
            "`{id}` ends with `.`, which Windows drops from file names"
        ));
    }
    None
}

fn id_hint() -> String {
    format!(
        "ids become folder names of the site: at most {MAX_ID_CHARS} characters, not a device name of Windows (CON, PRN, AUX, NUL, COM0–9, LPT0–9), not ending in `.`"
    )
}

/// A long value cut for a message: its first 40 characters and "…".
fn shorten(text: &str) -> String {
    if text.chars().count() <= 40 {
        return text.to_owned();
    }
    let start: String = text.chars().take(40).collect();
    format!("{start}…")
}

const SELECTOR_HINT: &str = "a selector is `product` or `product@versions`: `p@1.0`, `p@1.*`, `p@>=1.0,<2.0`, `p@1.0|2.0`, `p@*`";

const URL_HINT: &str = "link with http:, https: or mailto:, or with a path from the site's root (files in content/static/)";

const BASE_URL_HINT: &str =
    "write it in full, e.g. https://kb.example.com/ or https://example.com/docs/kb/";

/// Why a base URL cannot be used, if it cannot: it must be `http://` or
/// `https://`, a host name (or `[IPv6]`), an optional port, and a path of
/// letters, digits, `-`, `.`, `_`, `~`, `/` and `%XX` escapes, with no
/// query or fragment. It goes as it is into robots.txt, sitemap.xml and
/// every page's canonical link, so nothing there may need escaping.
pub fn base_url_problem(url: &str) -> Option<String> {
    let problem = |why: &str| Some(format!("`{}` {why}", shorten(url)));
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return problem("is not an http(s) URL");
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(':') && !port.contains(']') => (host, Some(port)),
        _ => (authority, None),
    };
    let host_ok = if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        !inner.is_empty()
            && inner
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
    } else {
        !host.is_empty()
            && host.split('.').all(|label| {
                !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
    };
    if !host_ok {
        return problem("has no valid host name");
    }
    if let Some(port) = port
        && !(1..=5).contains(&port.len()) | !port.chars().all(|c| c.is_ascii_digit())
    {
        return problem("has no valid port");
    }
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        let fine = match c {
            '%' => {
                let escape: String = chars.by_ref().take(2).collect();
                escape.len() == 2 && escape.chars().all(|h| h.is_ascii_hexdigit())
            }
            c => c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '/'),
        };
        if !fine {
            return problem(
                "holds a character a base URL may not have (only letters, digits, `-`, `.`, `_`, `~`, `/` and `%XX` escapes, and no `?` or `#`)",
            );
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb(files: &[(&str, &str)]) -> Result<crate::Checked, crate::Failure> {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join("content").join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        crate::check(dir.path())
    }

    #[test]
    fn dependents_are_transitive_and_cycles_are_errors() {
        let checked = kb(&[
            ("components/a.yaml", "name: A\n"),
            ("components/b.yaml", "name: B\ndepends_on: [a]\n"),
            ("components/c.yaml", "name: C\ndepends_on: [b]\n"),
        ])
        .expect("checks");
        let names = |c: usize| -> Vec<&str> {
            checked.model.components[c]
                .dependents
                .iter()
                .map(|d| checked.model.components[*d].id.as_str())
                .collect()
        };
        assert_eq!(names(0), ["b", "c"]);
        assert_eq!(names(2), Vec::<&str>::new());

        let failure = kb(&[
            ("components/x.yaml", "name: X\ndepends_on: [y]\n"),
            ("components/y.yaml", "name: Y\ndepends_on: [x]\n"),
        ])
        .err()
        .expect("a cycle is an error");
        let messages: Vec<String> = failure.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(
            messages.iter().any(|m| m.contains("`x` depends on itself")),
            "{messages:?}"
        );
    }

    #[test]
    fn references_to_a_broken_file_are_not_reported_again() {
        let failure = kb(&[
            ("products/a.yaml", "name: A\nversions: [\n"),
            (
                "products/b.yaml",
                "name: B\nversions: [{id: \"1\"}]\nsummary: See [A](@a@1).\n",
            ),
            ("scenarios/s.yaml", "from: a@1\nto: b\ndirect: supported\n"),
        ])
        .err()
        .expect("the broken file is an error");
        let files: Vec<String> = failure
            .diagnostics
            .iter()
            .map(|d| d.span.file.display().to_string())
            .collect();
        assert_eq!(files, ["content/products/a.yaml"]);
    }

    #[test]
    fn dates() {
        assert!(is_iso_date("1998-12-01"));
        assert!(is_iso_date("2024-02-29"));
        assert!(is_iso_date("2000-02-29"));
        assert!(!is_iso_date("1900-02-29"));
        assert!(!is_iso_date("2024-02-30"));
        assert!(!is_iso_date("2024-06-31"));
        assert!(!is_iso_date("2024-12-00"));
        assert!(!is_iso_date("1998-13-01"));
        assert!(!is_iso_date("98-12-01"));
        assert!(!is_iso_date("December 1998"));
    }

    #[test]
    fn ids_that_no_file_system_may_lack() {
        assert_eq!(id_problem("2012r2"), None);
        assert_eq!(id_problem("console"), None);
        assert_eq!(id_problem("com10"), None);
        assert_eq!(id_problem(&"v".repeat(MAX_ID_CHARS)), None);
        assert!(id_problem(&"v".repeat(MAX_ID_CHARS + 1)).is_some());
        for reserved in ["CON", "nul", "Aux.1", "com0", "LPT9.x.y", "prn"] {
            assert!(id_problem(reserved).is_some(), "{reserved}");
        }
        assert!(id_problem("1.").is_some());
    }

    #[test]
    fn base_urls() {
        for good in [
            "https://kb.example.com",
            "https://kb.example.com/",
            "http://localhost:8080/docs/kb/",
            "https://[::1]:8443/a%20b/",
            "https://example.com/~me/kb_1.0/",
        ] {
            assert_eq!(base_url_problem(good), None, "{good}");
        }
        for bad in [
            "kb.example.com",
            "https://",
            "https://exa mple.com/",
            "https://example.com/\"x\"",
            "https://example.com/<x>",
            "https://example.com/a?b",
            "https://example.com/a#b",
            "https://example.com/%zz",
            "https://example.com:99999999/",
            "https://ex..ample.com/",
            "https://user@example.com/",
        ] {
            assert!(base_url_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn ids_that_would_collide_with_pages_are_refused() {
        let failure = kb(&[
            (
                "products/a.yaml",
                "name: A\nversions: [{id: index.html}, {id: X1}, {id: x1}]\n",
            ),
            (
                "scenarios/index.html.yaml",
                "from: a@X1\nto: a@X1\ndirect: unsupported\n",
            ),
            ("static/assets/logo.png", "png"),
            ("static/files/guide.pdf", "pdf"),
        ])
        .err()
        .expect("collisions are errors");
        let messages: Vec<String> = failure.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("`index.html` cannot be a version id")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("`x1` differs from `X1` only in case")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("scenarios/index.html.yaml")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("content/static/assets/logo.png")
                    && m.contains("generated site")),
            "{messages:?}"
        );
        assert!(
            !messages.iter().any(|m| m.contains("guide.pdf")),
            "{messages:?}"
        );
    }

    #[test]
    fn scenario_segments() {
        assert!(is_scenario_segment("2.5-to-xp"));
        assert!(!is_scenario_segment(".."));
        assert!(!is_scenario_segment("Up"));
    }
}
