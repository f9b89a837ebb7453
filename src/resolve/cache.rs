//! What `serve` keeps between runs so that it resolves only the scenario
//! files that changed.

use std::collections::HashMap;
use std::sync::Arc;

use super::*;
use crate::diag::Diagnostic;
use crate::load::{Broken, RawDoc, RawScenario};
use crate::model::*;

/// Scenario results kept between runs, so that `serve` resolves again only
/// the scenario files that changed. A scenario depends on a few names and
/// ids of the site, the products and the components (its `Shape`), never
/// on another scenario (except for the `@` links in its Markdown), so its
/// results stay right while its file and that shape stay the same.
#[derive(Default)]
pub struct ResolveCache {
    /// Set for a run that keeps nothing for the next ([`ResolveCache::for_one_run`]).
    pub(super) one_run: bool,
    pub(super) shape: Option<Shape>,
    /// By the address of the parsed document, which the memo keeps alive:
    /// an edited file is a new document, found at a new address.
    pub(super) scenarios: HashMap<usize, Memo>,
    /// The scenarios that resolved and the broken ids when the kept Markdown
    /// link results were found: links may point at any scenario.
    pub(super) links_basis: Option<(Vec<String>, Broken)>,
    /// Memos no longer valid, not yet freed.
    pub(super) retired: HashMap<usize, Memo>,
}

impl ResolveCache {
    /// A cache for a single run (`check`, `build`): it keeps no parsed
    /// document, so that each is freed once resolved.
    pub fn for_one_run() -> ResolveCache {
        ResolveCache {
            one_run: true,
            ..ResolveCache::default()
        }
    }

    /// Frees what the last run left behind. `serve` calls it once the new
    /// site is published, so that freeing does not delay the reload.
    pub fn tidy(&mut self) {
        self.retired = HashMap::new();
    }
}

/// All that resolving a scenario reads besides its own file: the declared
/// conditions, the ids and names of products and their versions (which fix
/// the version numbering, and name a scenario that has no title), the
/// versions' support dates (a scenario updated after its target left
/// support is warned about), the component ids, and what failed to load. Editing a summary, a rule or a
/// component's description changes none of it.
#[derive(PartialEq, Eq)]
pub(super) struct Shape {
    pub(super) conditions: Vec<String>,
    pub(super) products: Vec<ProductShape>,
    pub(super) components: Vec<String>,
    pub(super) broken: Broken,
}

/// A product's id and name, each version's id and name, and their support
/// dates.
#[derive(PartialEq, Eq)]
pub(super) struct ProductShape {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) versions: Vec<(String, String)>,
    pub(super) lifecycles: Vec<crate::lifecycle::Lifecycle>,
}

impl Shape {
    pub(super) fn of(model: &Model, broken: &Broken) -> Shape {
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
                        lifecycles: p.versions.iter().map(|v| v.lifecycle.clone()).collect(),
                    }
                })
                .collect(),
            components: model.components.iter().map(|c| c.id.clone()).collect(),
            broken: broken.clone(),
        }
    }
}

pub(super) fn address(doc: &Arc<RawDoc<RawScenario>>) -> usize {
    Arc::as_ptr(doc) as usize
}

/// One scenario file's results.
pub(super) struct Memo {
    /// Kept while the memo may be looked up again: its address is the
    /// memo's key, and a freed document's address could be another's.
    pub(super) _document: Option<Arc<RawDoc<RawScenario>>>,
    /// The scenario's id when it has errors of its own.
    pub(super) broken_id: Option<String>,
    /// `None` when the file has errors of its own.
    pub(super) scenario: Option<Arc<Scenario>>,
    pub(super) problems: Vec<Diagnostic>,
    pub(super) markdown: Vec<PendingMarkdown>,
    /// The problems of its Markdown links, once checked.
    pub(super) link_problems: Option<Vec<Diagnostic>>,
}
