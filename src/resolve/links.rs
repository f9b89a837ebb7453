//! The `@` references and links inside Markdown, checked once the model
//! is whole.

use rayon::prelude::*;

use super::*;
use crate::diag::{Diagnostic, Span};
use crate::markdown;
use crate::model::*;

impl Resolver {
    pub(super) fn refers_to_broken(&self, reference: Reference) -> bool {
        match reference {
            Reference::Scenario(id) => self.broken.scenarios.contains(id),
            Reference::Component(id) => self.broken.components.contains(id),
            Reference::Product(product) | Reference::Version(product, _) => {
                self.broken.products.contains(product)
            }
        }
    }

    /// Checks every Markdown link of the site, products and components, in
    /// parallel: parsing Markdown is the costly part of resolving.
    pub(super) fn check_markdown(&mut self, model: &Model) {
        let pending = std::mem::take(&mut self.pending);
        let found: Vec<Diagnostic> = pending
            .par_iter()
            .flat_map_iter(|pending| self.links_in(model, pending))
            .collect();
        self.problems.extend(found);
    }

    /// Checks the Markdown links of the scenarios, or reuses what was found
    /// for a file that did not change while the same scenarios resolved.
    pub(super) fn check_scenario_links(&mut self, model: &Model, cache: &mut ResolveCache) {
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

    pub(super) fn links_in(&self, model: &Model, pending: &PendingMarkdown) -> Vec<Diagnostic> {
        pending
            .destinations
            .iter()
            .filter_map(|destination| self.link_problem(model, pending, destination))
            .collect()
    }

    pub(super) fn link_problem(
        &self,
        model: &Model,
        pending: &PendingMarkdown,
        destination: &markdown::Destination,
    ) -> Option<Diagnostic> {
        let url = destination.url.as_str();
        // `@reference#fragment` points into the page: the fragment is the page's business.
        let reference = Reference::in_destination(url).map(|(reference, _)| reference);
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
pub(super) fn locate(model: &Model, pending: &PendingMarkdown, needle: &str) -> Span {
    let (Some(offset), Some(text)) = (pending.byte_offset, model.sources.text(&pending.file))
    else {
        return pending.span.clone();
    };
    let Some(found) = text.get(offset..).and_then(|rest| rest.find(needle)) else {
        return pending.span.clone();
    };
    Span::at_offset(&pending.file, &text.as_bytes()[..offset + found])
}
