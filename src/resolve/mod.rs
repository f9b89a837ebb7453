//! Stage 2, resolve: raw documents -> the checked [`Model`].
//!
//! Checks every id, expands selectors into the versions they match, resolves
//! conditions, components and the `@` references inside Markdown, and checks
//! the scheme of every link. Every problem is collected; what is broken is
//! left out of the model so that later checks can still run on the rest.

mod cache;
mod components;
mod ids;
mod lifecycle;
mod links;
mod messages;
mod moves;
mod products;
mod scenarios;
mod series;
mod site;
mod stacks;
#[cfg(test)]
mod tests;

pub use cache::ResolveCache;
use cache::*;
use ids::*;
pub use ids::{MAX_ID_CHARS, MAX_SCENARIO_ID_CHARS, id_problem, normalized_base_url};

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Span, closest, suggest};
use crate::load::{Broken, RawKb, S};
use crate::markdown;
use crate::model::*;
use crate::selector::versions_hint;

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
    resolve_cached(raw, &mut ResolveCache::for_one_run())
}

/// [`resolve`], reusing what `cache` holds for scenario files that did not
/// change since it was filled, and keeping the new results in it.
pub fn resolve_cached(raw: RawKb, cache: &mut ResolveCache) -> (Model, Vec<Diagnostic>) {
    let mut resolver = Resolver {
        broken: raw.broken,
        ..Resolver::default()
    };
    let site = resolver.site(raw.site.as_deref(), &raw.messages);
    let mut model = Model {
        site,
        products: Vec::new(),
        nodes: Vec::new(),
        components: Vec::new(),
        scenarios: Vec::new(),
        stacks: Vec::new(),
        redirects: Vec::new(),
        static_files: raw.static_files,
        sources: raw.sources,
    };
    resolver.products(&mut model, &raw.products);
    resolver.series_support(&mut model, &raw.products);
    resolver.components(&mut model, &raw.components);
    resolver.product_details(&mut model, &raw.products);
    resolver.requirements(&mut model, &raw.products);
    resolver.stacks(&mut model, &raw.stacks);
    let shape = Shape::of(&model, &resolver.broken);
    if cache.shape.as_ref() != Some(&shape) {
        // Freeing every memo takes a while: leave it to `tidy`, or to the
        // next run when nobody tidies.
        cache.tidy();
        cache.retired = std::mem::take(&mut cache.scenarios);
        cache.shape = Some(shape);
        cache.links_basis = None;
    }
    let keep_documents = !cache.one_run;
    // Scenarios are resolved first: an old scenario id is checked against
    // them. Only the few documents that list old ids are kept for that, so
    // that each of the others is freed once resolved (cloning them all kept
    // every parsed scenario alive: 650 MB at 100,000 scenarios).
    let moved_scenarios: Vec<_> = (raw.scenarios.iter())
        .filter(|doc| doc.value.moved_from.is_some())
        .cloned()
        .collect();
    resolver.scenarios(
        &mut model,
        raw.scenarios,
        &mut cache.scenarios,
        keep_documents,
    );
    resolver.redirects(&mut model, &raw.products, &moved_scenarios);
    resolver.keep_within_upgrade_limit(&mut model);
    resolver.check_markdown(&model);
    resolver.check_scenario_links(&model, cache);
    resolver.check_static(&model);
    (model, resolver.problems)
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
    /// The links and images of the text, checked once the model is whole;
    /// not the text itself, which the model holds.
    destinations: Vec<markdown::Destination>,
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
    /// Reports a problem: an error or a warning, with its hint and notes.
    fn report(&mut self, problem: Diagnostic) {
        self.problems.push(problem);
    }

    fn markdown(&mut self, file: &Path, value: &Option<S<String>>) -> Option<String> {
        let value = value.as_ref()?;
        let destinations = markdown::destinations(&value.value);
        if !destinations.is_empty() {
            self.pending.push(PendingMarkdown {
                file: file.to_path_buf(),
                destinations,
                span: span(file, value),
                byte_offset: value.referenced.byte_offset(),
            });
        }
        Some(value.value.clone())
    }

    fn text(value: &Option<S<String>>) -> Option<String> {
        value.as_ref().map(|v| v.value.clone())
    }
}

fn component_hint(model: &Model, id: &str) -> String {
    let known: Vec<&str> = model.components.iter().map(|c| c.id.as_str()).collect();
    if known.is_empty() {
        return "components are defined in content/components/<id>.yaml".into();
    }
    suggest(id, "known components", &known)
}

fn reference_hint(model: &Model, reference: Reference) -> String {
    match reference {
        Reference::Scenario(id) => {
            let known: Vec<&str> = model.scenarios.iter().map(|s| s.id.as_str()).collect();
            match closest(id, known.iter().copied()) {
                Some(near) => format!("did you mean `@scenario:{near}`?"),
                None => {
                    "scenario references are written `@scenario:<path below scenarios/>`".into()
                }
            }
        }
        Reference::Component(id) => component_hint(model, id),
        Reference::Version(product, version) => match model.product_index(product) {
            Some(index) => versions_hint(&model.products[index], Some(version)),
            None => {
                let known: Vec<&str> = model.products.iter().map(|p| p.id.as_str()).collect();
                format!(
                    "no product `{product}`; {}",
                    suggest(product, "known products", &known)
                )
            }
        },
        Reference::Product(_) => {
            "write `@product`, `@product@version`, `@scenario:id` or `@component:id`".into()
        }
    }
}
