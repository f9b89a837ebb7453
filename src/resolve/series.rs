//! Format 1.2: support dates for a series. A product's `support` rules give
//! their dates to every version they name that does not state its own.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::lifecycle::RawDates;
use super::*;
use crate::lifecycle::Lifecycle;
use crate::load::{RawDoc, RawProduct, RawSeriesSupport};

const SERIES_HINT: &str = "a `support` rule names versions and their dates: \
    `{ versions: \"7.*\", support_ends: 2024-07-31 }` (and `extended_support_ends` when there is such a phase)";

impl Resolver {
    /// Fills in each version's support dates from the first `support` rule
    /// that names it, date by date, where the version states none itself.
    pub(super) fn series_support(&mut self, model: &mut Model, raw: &[Arc<RawDoc<RawProduct>>]) {
        let docs: BTreeMap<&str, &RawDoc<RawProduct>> =
            raw.iter().map(|d| (d.id.as_str(), &**d)).collect();
        for index in 0..model.products.len() {
            let Some(doc) = docs.get(model.products[index].id.as_str()) else {
                continue;
            };
            // Version index -> the rule's `versions` that named it first.
            let mut named: HashMap<usize, Span> = HashMap::new();
            for rule in doc.value.support.iter().flatten() {
                let Some(dates) = self.series_dates(&doc.file, rule) else {
                    continue;
                };
                let Some(versions) = self.rule_versions(model, index, &doc.file, &rule.versions)
                else {
                    continue;
                };
                let at = span(&doc.file, &rule.versions);
                for version in versions {
                    if let Some(first) = named.insert(version, at.clone()) {
                        let id = &model.products[index].versions[version].id;
                        self.report(
                            Diagnostic::error(
                                at.clone(),
                                format!("version {id} is named by two `support` rules"),
                            )
                            .with_note(first, "named here first")
                            .with_hint("a version's support dates come from one rule: narrow one rule's `versions`, or state the version's own dates on it"),
                        );
                        continue;
                    }
                    let lifecycle = &mut model.products[index].versions[version].lifecycle;
                    self.fill_in(lifecycle, &dates, &at);
                }
            }
        }
    }

    /// The rule's dates, checked; `None` when it states none.
    fn series_dates(&mut self, file: &Path, rule: &RawSeriesSupport) -> Option<Lifecycle> {
        if rule.support_ends.is_none() && rule.extended_support_ends.is_none() {
            self.report(
                Diagnostic::error(
                    span(file, &rule.versions),
                    "a `support` rule states no date",
                )
                .with_hint(SERIES_HINT),
            );
            return None;
        }
        let raw = RawDates {
            support_ends: rule.support_ends.as_ref(),
            extended_support_ends: rule.extended_support_ends.as_ref(),
            ..RawDates::default()
        };
        Some(super::lifecycle::checked(file, raw, &mut self.problems))
    }

    /// A version's dates where it states none, from a rule at `at`; what
    /// the rule's dates contradict in the version (support ending before
    /// its release) is reported at the rule.
    fn fill_in(&mut self, lifecycle: &mut Lifecycle, dates: &Lifecycle, at: &Span) {
        let before = lifecycle.disagreements();
        if lifecycle.support_ends.is_none() {
            lifecycle.support_ends = dates.support_ends;
        }
        if lifecycle.extended_support_ends.is_none() {
            lifecycle.extended_support_ends = dates.extended_support_ends;
        }
        for problem in lifecycle.disagreements() {
            if before.contains(&problem) {
                continue;
            }
            let (message, hint) = crate::lifecycle::disagreement_text(&problem);
            self.report(Diagnostic::error(at.clone(), message).with_hint(hint));
        }
    }
}
