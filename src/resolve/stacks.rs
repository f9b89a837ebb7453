//! Format 1.2: requirements between products, and stacks.
//!
//! Requirements are resolved once every product's versions are known, since
//! each names versions of another product.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use super::*;
use crate::diag::Span;
use crate::load::{RawDoc, RawProduct, RawStack, S};
use crate::selector::{self, Role, select_nodes};

const REQUIRES_HINT: &str =
    "a requirement names versions of another product: `php@>=8.1`, `ceph@17.2|18.2`";

impl Resolver {
    /// Each version's `requires`, then the `requirements` rules that name it.
    pub(super) fn requirements(&mut self, model: &mut Model, raw: &[Arc<RawDoc<RawProduct>>]) {
        let docs: BTreeMap<&str, &RawDoc<RawProduct>> =
            raw.iter().map(|d| (d.id.as_str(), &**d)).collect();
        for index in 0..model.products.len() {
            let Some(doc) = docs.get(model.products[index].id.as_str()) else {
                continue;
            };
            let mut found: Vec<Vec<Requirement>> =
                vec![Vec::new(); model.products[index].versions.len()];
            let mut done = HashSet::new();
            for raw_version in &doc.value.versions.value {
                let id = raw_version.id.value.as_str();
                let Some(at) = model.products[index].names.position_of_id(id) else {
                    continue;
                };
                if done.insert(id) {
                    found[at] = self.requires(model, index, &doc.file, &raw_version.requires);
                }
            }
            for rule in doc.value.requirements.iter().flatten() {
                let Some(versions) = self.rule_versions(model, index, &doc.file, &rule.versions)
                else {
                    continue;
                };
                let requires = self.requires(model, index, &doc.file, &Some(rule.requires.clone()));
                for at in versions {
                    found[at].extend(requires.iter().cloned());
                }
            }
            for (version, requires) in model.products[index].versions.iter_mut().zip(found) {
                version.requires = requires;
            }
        }
    }

    /// The version indices a `requirements` (or `support`) rule names.
    pub(super) fn rule_versions(
        &mut self,
        model: &Model,
        product: usize,
        file: &Path,
        spec: &S<String>,
    ) -> Option<Vec<usize>> {
        let product = &model.products[product];
        let parsed =
            selector::parse_spec(&spec.value).map(|s| s.with_ids(|name| product.id_of_alias(name)));
        let problem = match parsed.and_then(|s| selector::matches(&s, product)) {
            Ok(members) if !members.is_empty() => return Some(members),
            Ok(_) => format!(
                "`versions: {}` matches no version of {}",
                spec.value, product.id
            ),
            Err(problem) => format!("`versions: {}`: {problem}", spec.value),
        };
        let hint = versions_hint(product, None);
        self.report(Diagnostic::error(span(file, spec), problem).with_hint(hint));
        None
    }

    /// The requirements a list of selectors states for versions of `product`.
    fn requires(
        &mut self,
        model: &Model,
        product: usize,
        file: &Path,
        raw: &Option<Vec<S<String>>>,
    ) -> Vec<Requirement> {
        let mut found = Vec::new();
        for written in raw.iter().flatten() {
            match requirement(model, &self.broken, product, &written.value) {
                Ok(Some(requirement)) => found.push(requirement),
                Ok(None) => {}
                Err(problem) => self.report(problem.at(span(file, written))),
            }
        }
        found
    }

    pub(super) fn stacks(&mut self, model: &mut Model, raw: &[Arc<RawDoc<RawStack>>]) {
        let mut docs: Vec<&RawDoc<RawStack>> = Vec::new();
        let mut seen = HashSet::new();
        for doc in raw {
            if let Some(problem) = stack_id_problem(&doc.id) {
                self.report(
                    Diagnostic::error(Span::file_start(&doc.file), format!("stack id {problem}"))
                        .with_hint(format!("a stack id is its file name; {}", id_hint())),
                );
            } else if !seen.insert(doc.id.as_str()) {
                self.report(
                    Diagnostic::error(
                        Span::file_start(&doc.file),
                        format!("stack `{}` is defined twice", doc.id),
                    )
                    .with_hint("two files give it (`.yaml` and `.yml`): keep one"),
                );
            } else {
                docs.push(doc);
            }
        }
        docs.sort_by(|a, b| a.id.cmp(&b.id));
        for doc in docs {
            let members = self.stack_members(model, &doc.file, &doc.value.members);
            let name = self.one_line(&doc.file, &doc.value.name, "the stack's name");
            let summary = self.markdown(&doc.file, &doc.value.summary);
            if let Some(members) = members {
                self.check_newest_together(model, &doc.file, &doc.value.members, &members);
                model.stacks.push(Stack {
                    id: doc.id.clone(),
                    name,
                    summary,
                    members,
                    file: doc.file.clone(),
                });
            }
        }
    }

    /// A stack's members as product indices; `None` when one is wrong.
    fn stack_members(
        &mut self,
        model: &Model,
        file: &Path,
        members: &S<Vec<S<String>>>,
    ) -> Option<Vec<usize>> {
        let mut found: Vec<usize> = Vec::new();
        let mut whole = true;
        for member in &members.value {
            let id = member.value.as_str();
            match model.product_index(id) {
                Some(index) if found.contains(&index) => {
                    whole = false;
                    self.report(
                        Diagnostic::error(
                            span(file, member),
                            format!("product `{id}` is a member twice"),
                        )
                        .with_hint("a stack holds one version of each product: list it once"),
                    );
                }
                Some(index) => found.push(index),
                None => {
                    whole = false;
                    if self.broken.products.contains(id) {
                        continue;
                    }
                    let known: Vec<&str> = model.products.iter().map(|p| p.id.as_str()).collect();
                    self.report(
                        Diagnostic::error(span(file, member), format!("unknown product `{id}`"))
                            .with_hint(suggest(id, "known products", &known)),
                    );
                }
            }
        }
        if whole && found.len() < 2 {
            self.report(
                Diagnostic::error(span(file, members), "a stack needs two or more members")
                    .with_hint(
                        "list the ids of the products installed together: `members: [app, php]`",
                    ),
            );
            return None;
        }
        whole.then_some(found)
    }
}

impl Resolver {
    /// Warns when the newest versions of a stack's members break each
    /// other's requirements: no plan can then reach the newest state.
    fn check_newest_together(
        &mut self,
        model: &Model,
        file: &Path,
        written: &S<Vec<S<String>>>,
        members: &[usize],
    ) {
        let newest: Vec<NodeId> = (members.iter())
            .filter_map(|p| model.products[*p].versions.last().map(|v| v.node))
            .collect();
        let unmet: Vec<String> = (crate::model::unmet(model, &newest).iter())
            .map(|u| crate::model::unmet_words(model, u))
            .collect();
        if unmet.is_empty() {
            return;
        }
        self.report(
            Diagnostic::warning(
                span(file, written),
                format!(
                    "the newest versions of this stack's members cannot run together: {}",
                    unmet.join("; ")
                ),
            )
            .with_hint("no plan can reach them: check those requirements, or add the version that runs beside both"),
        );
    }
}

/// What is wrong with a stack's file name as an id, if anything.
fn stack_id_problem(id: &str) -> Option<String> {
    if !selector::is_product_id(id) {
        return Some(format!(
            "`{}` is not valid: lowercase letters, digits and `-`",
            shorten(id)
        ));
    }
    id_problem(id)
}

/// One `requires` selector of a version of `product`, resolved: `None` when
/// it names a product whose file is broken (reported there).
fn requirement(
    model: &Model,
    broken: &Broken,
    product: usize,
    written: &str,
) -> Result<Option<Requirement>, Diagnostic> {
    let problem =
        |message: String, hint: String| Diagnostic::error_nowhere(message).with_hint(hint);
    let parsed =
        selector::parse(written).map_err(|e| problem(e.to_string(), REQUIRES_HINT.to_owned()))?;
    let Some(other) = model.product_index(&parsed.product) else {
        if broken.products.contains(&parsed.product) {
            return Ok(None);
        }
        let known: Vec<&str> = model.products.iter().map(|p| p.id.as_str()).collect();
        return Err(problem(
            format!("unknown product `{}` in `{written}`", parsed.product),
            suggest(&parsed.product, "known products", &known),
        ));
    };
    if parsed.spec.is_none() {
        return Err(problem(
            format!("`{written}` names a product, not versions: it would constrain nothing"),
            format!("name the versions it needs, e.g. `{written}@>=2.0`"),
        ));
    }
    if other == product {
        return Err(problem(
            format!("`{written}` names this version's own product"),
            "a requirement constrains another product installed beside this one; how versions of one product follow each other is said by `upgrades`".to_owned(),
        ));
    }
    let mut versions = select_nodes(model, written, Role::Target)?;
    if versions.is_empty() {
        return Err(problem(
            format!("`{written}` matches no version"),
            versions_hint(&model.products[other], None),
        ));
    }
    versions.sort_unstable();
    Ok(Some(Requirement {
        product: other,
        versions,
        selector: written.to_owned(),
    }))
}
