//! Format 1.2: pages that moved. A product, version or scenario may list
//! `moved_from: [OLD-ID, ...]`; the build writes a redirect page at each old
//! address, so that links from tickets and wikis keep working after a
//! rename. An old id that is live, or claimed twice, is an error.

use std::collections::HashMap;
use std::sync::Arc;

use super::*;
use crate::layout::SitePath;
use crate::load::{RawDoc, RawProduct, RawScenario};
use crate::selector::{is_product_id, is_version_id};

/// A `moved_from` entry checked so far: where it was written and the page
/// it names.
struct Claim {
    at: Span,
    path: String,
    to: Target,
}

impl Resolver {
    /// Every redirect the products, versions and scenarios ask for, checked.
    pub(super) fn redirects(
        &mut self,
        model: &mut Model,
        products: &[Arc<RawDoc<RawProduct>>],
        scenarios: &[Arc<RawDoc<RawScenario>>],
    ) {
        let mut claims = Vec::new();
        for doc in products {
            claims.extend(self.product_claims(model, doc));
        }
        for doc in scenarios {
            claims.extend(self.scenario_claims(model, doc));
        }
        let mut taken: HashMap<String, Span> = HashMap::new();
        for claim in claims {
            if let Some(first) = taken.get(&claim.path) {
                self.report(
                    Diagnostic::error(claim.at, "this old address is claimed twice")
                        .with_note(first.clone(), "first claimed here")
                        .with_hint("an old address can lead to one page only: keep one of the two `moved_from` entries"),
                );
                continue;
            }
            taken.insert(claim.path.clone(), claim.at);
            model.redirects.push(Redirect {
                path: claim.path,
                to: claim.to,
            });
        }
        model.redirects.sort_by(|a, b| a.path.cmp(&b.path));
    }

    fn product_claims(&mut self, model: &Model, doc: &RawDoc<RawProduct>) -> Vec<Claim> {
        let Some(p) = model.product_index(&doc.id) else {
            return Vec::new();
        };
        let product = &model.products[p];
        let mut claims = Vec::new();
        for old in doc.value.moved_from.iter().flatten() {
            let at = span(&doc.file, old);
            let id = old.value.as_str();
            if !is_product_id(id) || id_problem(id).is_some() {
                self.bad_old_id(at, id, "a product id: lowercase letters, digits and `-`");
            } else if model.product_index(id).is_some() || self.broken.products.contains(id) {
                self.live_old_id(at, id, "product");
            } else {
                // Its versions' pages moved with it.
                claims.push(Claim {
                    at: at.clone(),
                    path: SitePath::Product(id).path(),
                    to: Target::Product(p),
                });
                claims.extend(product.versions.iter().map(|v| {
                    Claim {
                        at: at.clone(),
                        path: SitePath::Version {
                            product: id,
                            version: &v.id,
                        }
                        .path(),
                        to: Target::Version(v.node),
                    }
                }));
            }
        }
        for raw in &doc.value.versions.value {
            let Some(index) = product.names.position_of_id(&raw.id.value) else {
                continue;
            };
            let node = product.versions[index].node;
            for old in raw.moved_from.iter().flatten() {
                let at = span(&doc.file, old);
                let id = old.value.as_str();
                // As live ids: no page file's name, no name Windows keeps.
                if !is_version_id(id) || id == PAGE_FILE || id_problem(id).is_some() {
                    self.bad_old_id(at, id, "a version id");
                } else if product.version_index(id).is_some() {
                    self.live_old_id(at, id, "version or alias of this product");
                } else {
                    claims.push(Claim {
                        at,
                        path: SitePath::Version {
                            product: &product.id,
                            version: id,
                        }
                        .path(),
                        to: Target::Version(node),
                    });
                }
            }
        }
        claims
    }

    fn scenario_claims(&mut self, model: &Model, doc: &RawDoc<RawScenario>) -> Vec<Claim> {
        let Some(s) = model.scenario_index(&doc.id) else {
            return Vec::new();
        };
        let mut claims = Vec::new();
        for old in doc.value.moved_from.iter().flatten() {
            let at = span(&doc.file, old);
            let id = old.value.as_str();
            if !is_old_scenario_id(id) {
                self.bad_old_id(
                    at,
                    id,
                    "a scenario id: its path below scenarios/, without `.yaml`",
                );
            } else if model.scenario_index(id).is_some() || self.broken.scenarios.contains(id) {
                self.live_old_id(at, id, "scenario");
            } else {
                claims.push(Claim {
                    at,
                    path: SitePath::Scenario(id).path(),
                    to: Target::Scenario(s),
                });
            }
        }
        claims
    }

    fn bad_old_id(&mut self, at: Span, id: &str, what: &str) {
        self.report(
            Diagnostic::error(at, format!("`{}` cannot be an old id", shorten(id)))
                .with_hint(format!("`moved_from` lists ids as they were: {what}")),
        );
    }

    fn live_old_id(&mut self, at: Span, id: &str, what: &str) {
        self.report(
            Diagnostic::error(at, format!("`{id}` is the id of a live {what}"))
                .with_hint("its address shows that page, so it cannot redirect here: remove it from `moved_from`"),
        );
    }
}

/// Whether `id` could have been a scenario's id: folders and a file name
/// below `scenarios/`, each a valid segment.
fn is_old_scenario_id(id: &str) -> bool {
    !id.is_empty()
        && id.chars().count() <= MAX_SCENARIO_ID_CHARS
        && id
            .split('/')
            .all(|segment| is_scenario_segment(segment) && id_problem(segment).is_none())
}
