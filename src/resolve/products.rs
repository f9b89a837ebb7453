//! Products, their versions and their upgrade rules.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use super::*;
use crate::diag::Span;
use crate::load::{OneOrMany, RawDoc, RawPolicy, RawProduct, RawRule, RawStop};
use crate::model::*;
use crate::selector::{self, is_product_id, is_version_id, versions_hint};

impl Resolver {
    /// Products, their versions and the node list; rules and issues come later,
    /// once components and every product's versions are known.
    pub(super) fn products(&mut self, model: &mut Model, raw: &[Arc<RawDoc<RawProduct>>]) {
        let mut seen: BTreeMap<&str, &Path> = BTreeMap::new();
        let mut docs: Vec<&RawDoc<RawProduct>> = Vec::new();
        for doc in raw {
            if !is_product_id(&doc.id) {
                self.broken.products.insert(doc.id.clone());
                self.report(
                    Diagnostic::error(
                        Span::file_start(&doc.file),
                        format!("`{}` is not a valid product id", shorten(&doc.id)),
                    )
                    .with_hint("a product id is its file name: lowercase letters, digits and `-`, e.g. products/backoffice-server.yaml"),
                );
                continue;
            }
            if let Some(problem) = id_problem(&doc.id) {
                self.broken.products.insert(doc.id.clone());
                self.report(
                    Diagnostic::error(Span::file_start(&doc.file), format!("product id {problem}"))
                        .with_hint(format!("a product id is its file name; {}", id_hint())),
                );
                continue;
            }
            if let Some(first) = seen.insert(&doc.id, &doc.file) {
                self.report(
                    Diagnostic::error(
                        Span::file_start(&doc.file),
                        format!("product `{}` is defined twice", doc.id),
                    )
                    .with_hint(format!("also defined in {}", first.display())),
                );
                continue;
            }
            docs.push(doc);
        }
        docs.sort_by(|a, b| a.id.cmp(&b.id));
        for doc in docs {
            let raw = &doc.value;
            let product_index = model.products.len();
            if raw.versions.value.is_empty() {
                self.report(
                    Diagnostic::error(
                        span(&doc.file, &raw.versions),
                        "a product needs at least one version",
                    )
                    .with_hint("list its versions, oldest first: `versions: [{ id: \"1.0\" }]`"),
                );
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
                phases: super::lifecycle::checked_labels(
                    &doc.file,
                    raw.support_phases.as_ref(),
                    &model.site.phases,
                    &mut self.problems,
                ),
                file: doc.file.clone(),
            });
        }
    }

    /// A product's versions, each checked and given its node. Ids and
    /// aliases are compared through one map of lowercased names, so that a
    /// product of many versions costs no more than its length.
    pub(super) fn versions(
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
                self.report(
                    Diagnostic::error(
                        span(&doc.file, id),
                        format!("`{}` is not a valid version id", shorten(&id.value)),
                    )
                    .with_hint("a version id starts with a letter or digit and holds only letters, digits, `.`, `_`, `+` and `-`; put anything else in `name`"),
                );
                continue;
            }
            if let Some(problem) = id_problem(&id.value) {
                self.report(
                    Diagnostic::error(span(&doc.file, id), format!("version id {problem}"))
                        .with_hint(format!(
                            "{}; put how the version is called in `name`",
                            id_hint()
                        )),
                );
                continue;
            }
            if id.value == PAGE_FILE {
                self.report(
                    Diagnostic::error(
                        span(&doc.file, id),
                        format!("`{PAGE_FILE}` cannot be a version id"),
                    )
                    .with_hint("it is the name of every page file; give the version another id"),
                );
                continue;
            }
            match names.get(&id.value.to_ascii_lowercase()) {
                Some(other) if other.written == id.value => {
                    self.report(
                        Diagnostic::error(
                            span(&doc.file, id),
                            format!("version `{}` is listed twice", id.value),
                        )
                        .with_hint("remove one of the two, or give one another id")
                        .with_note(other.at.clone(), "listed here first"),
                    );
                    continue;
                }
                Some(other) => {
                    let message = format!(
                        "version `{}` differs from `{}` only in case",
                        id.value, other.written
                    );
                    self.report(
                        Diagnostic::error(
                            span(&doc.file, id),
                            message,
                        )
                        .with_hint("their pages would be one file on Windows and macOS; make the ids differ in more than case")
                        .with_note(other.at.clone(), format!("`{}` is here", other.written)),
                    );
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
            let dates = super::lifecycle::RawDates {
                released: version.released.as_ref(),
                support_ends: version.support_ends.as_ref(),
                extended_support_ends: version.extended_support_ends.as_ref(),
                lts: version.lts.as_ref(),
                latest: version.latest.as_ref(),
                latest_released: version.latest_released.as_ref(),
            };
            let lifecycle = super::lifecycle::checked(&doc.file, dates, &mut self.problems);
            let sources = self.sources(&doc.file, &version.sources);
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
                lifecycle,
                sources,
                requires: Vec::new(),
                node,
            });
            raw_kept.push(version);
        }
        // Aliases after every id, so that an alias clashes with a later id too.
        for (version, raw) in versions.iter_mut().zip(raw_kept) {
            for alias in raw.aliases.iter().flatten() {
                let at = span(&doc.file, alias);
                if !is_version_id(&alias.value) {
                    self.report(
                        Diagnostic::error(
                            at,
                            format!("`{}` is not a valid alias", shorten(&alias.value)),
                        )
                        .with_hint("an alias is written like a version id: letters, digits, `.`, `_`, `+` and `-`, starting with a letter or digit"),
                    );
                    continue;
                }
                if let Some(problem) = id_problem(&alias.value) {
                    self.report(Diagnostic::error(at, format!("alias {problem}")).with_hint(
                        format!("an alias follows the rules of version ids: {}", id_hint()),
                    ));
                    continue;
                }
                let what = format!("alias `{}` of version `{}`", alias.value, version.id);
                match names.get(&alias.value.to_ascii_lowercase()) {
                    // One problem, shown at both places, as a contradiction is.
                    Some(other) => {
                        let problem = Diagnostic::error(at, format!("{what} clashes with {}", other.what))
                            .with_hint("an alias must differ, in more than case, from every id and alias of the product")
                            .with_note(other.at.clone(), format!("{} is here", other.what));
                        self.report(problem);
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
    pub(super) fn product_details(&mut self, model: &mut Model, raw: &[Arc<RawDoc<RawProduct>>]) {
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
                self.report(Diagnostic::error(
                    at,
                    format!(
                        "the upgrade rules of this product allow {upgrades} upgrades; the limit is {MAX_RULE_UPGRADES}"
                    ),
                ).with_hint(format!(
                    "`any-newer` over n versions allows about n²/2 upgrades: narrow it with `versions:` or `required_stops`, or use `sequential` ({LIMITS_DOC})"
                )));
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

    pub(super) fn rule(
        &mut self,
        model: &Model,
        product: usize,
        file: &Path,
        raw: &RawRule,
    ) -> Option<Rule> {
        let policy = raw
            .policy
            .as_ref()
            .map_or(Policy::None, |p| policy_of(p.value));
        let product = &model.products[product];
        let members = match &raw.versions {
            None => (0..product.versions.len()).collect(),
            Some(spec) => {
                let parsed = selector::parse_spec(&spec.value)
                    .map(|s| s.with_ids(|name| product.id_of_alias(name)));
                match parsed.and_then(|s| selector::matches(&s, product)) {
                    Ok(members) => members,
                    Err(problem) => {
                        let hint = versions_hint(product, problem.unknown_version());
                        self.report(
                            Diagnostic::error(
                                span(file, spec),
                                format!("`versions: {}`: {problem}", spec.value),
                            )
                            .with_hint(hint),
                        );
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
                    self.report(
                        Diagnostic::error(
                            at,
                            format!("required stop `{version}` is not a version of this product"),
                        )
                        .with_hint(hint),
                    );
                }
            }
        }
        if !stops.is_empty() && policy != Policy::AnyNewer {
            let at = raw
                .policy
                .as_ref()
                .map_or_else(|| Span::file_start(file), |p| span(file, p));
            self.report(
                Diagnostic::error(at, "`required_stops` only apply with `policy: any-newer`")
                    .with_hint("with `sequential` every version is already a stop"),
            );
        }
        Some(Rule {
            policy,
            members,
            versions_spec: raw.versions.as_ref().map(|v| v.value.clone()),
            stops,
            condition: self.condition(file, &raw.when, &raw.unless),
        })
    }
}

fn policy_of(raw: RawPolicy) -> Policy {
    match raw {
        RawPolicy::None => Policy::None,
        RawPolicy::Sequential => Policy::Sequential,
        RawPolicy::AnyNewer => Policy::AnyNewer,
    }
}
