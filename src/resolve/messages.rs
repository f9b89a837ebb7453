//! `content/i18n/LANG.yaml`: the knowledge base's own messages, checked
//! and laid over the built-in table of the site's language.

use std::path::Path;
use std::sync::Arc;

use super::*;
use crate::diag::closest;
use crate::i18n::{self, Entry, Messages};
use crate::load::{RawDoc, RawMessages};

/// How many missing keys a warning names before it counts the rest.
const MISSING_NAMED: usize = 12;

impl Resolver {
    /// The messages of `language`: built in, under the knowledge base's own
    /// (`content/i18n/` files named by the language's primary tag, then by
    /// the whole tag). Every file is checked, whichever language it is for.
    pub(super) fn messages(
        &mut self,
        language: &str,
        site_file: Option<&Path>,
        files: &[Arc<RawDoc<RawMessages>>],
    ) -> Messages {
        let english = i18n::builtin_entries("en");
        let mut own: Vec<Entry> = Vec::new();
        let mut used_files = Vec::new();
        for wanted in [i18n::primary(language), language.to_owned()] {
            for doc in files.iter().filter(|doc| doc.id == wanted) {
                if !used_files.contains(&doc.file) {
                    used_files.push(doc.file.clone());
                    own.extend(self.checked_entries(doc, &english));
                }
            }
        }
        for doc in files.iter().filter(|doc| !used_files.contains(&doc.file)) {
            self.checked_entries(doc, &english);
        }
        self.report_missing(language, site_file, &own, &english);
        Messages::new(language, &own)
    }

    /// A file's entries whose key and pattern are sound; a problem with
    /// one is an error at it.
    fn checked_entries(&mut self, doc: &RawDoc<RawMessages>, english: &[Entry]) -> Vec<Entry> {
        let mut entries = Vec::new();
        for (key, pattern) in &doc.value.0.0 {
            let problem = i18n::pattern_problem(&key.value, &pattern.value).or_else(|| {
                (key.value.starts_with("script-"))
                    .then(|| i18n::script_problem(&pattern.value))
                    .flatten()
                    .map(|why| format!("`{}`'s message: {why}", key.value))
            });
            if let Some(problem) = problem {
                self.report(
                    Diagnostic::error(span(&doc.file, pattern), problem).with_hint(
                        "write a Fluent pattern: text, `{ $name }` placeholders, and choices such as `{ $count -> [one] one hop *[other] { $count } hops }`",
                    ),
                );
                continue;
            }
            if !english.iter().any(|e| e.key == key.value)
                && let Some(near) = closest(&key.value, english.iter().map(|e| e.key.as_str()))
            {
                self.report(
                    Diagnostic::warning(
                        span(&doc.file, key),
                        format!("`{}` is not a built-in message", key.value),
                    )
                    .with_hint(format!(
                        "did you mean `{near}`? (a key of your own theme's templates is fine as it is)"
                    )),
                );
            }
            entries.push(Entry {
                key: key.value.clone(),
                pattern: pattern.value.clone(),
            });
        }
        entries
    }

    /// For a language without a built-in table: a warning that names the
    /// messages still in English.
    fn report_missing(
        &mut self,
        language: &str,
        site_file: Option<&Path>,
        own: &[Entry],
        english: &[Entry],
    ) {
        let primary = i18n::primary(language);
        if i18n::BUILT_IN.iter().any(|(name, _)| *name == primary) {
            return;
        }
        let missing: Vec<&str> = (english.iter())
            .map(|e| e.key.as_str())
            .filter(|key| !own.iter().any(|o| o.key == *key))
            .collect();
        if missing.is_empty() {
            return;
        }
        let place = site_file.map_or_else(|| "content/site.yaml".into(), Path::to_path_buf);
        let mut named = missing[..missing.len().min(MISSING_NAMED)].join(", ");
        if missing.len() > MISSING_NAMED {
            named.push_str(&format!(" and {} more", missing.len() - MISSING_NAMED));
        }
        self.report(
            Diagnostic::warning_at_path(
                place,
                format!(
                    "{} of the built-in parts' {} messages are not in `{language}`, and show in English: {named}",
                    missing.len(),
                    english.len()
                ),
            )
            .with_hint(format!(
                "upgrade-atlas has tables for {}; for `{language}`, write the messages in content/i18n/{primary}.yaml (i18n/en.yaml in upgrade-atlas's source lists them)",
                i18n::BUILT_IN.iter().map(|(name, _)| *name).collect::<Vec<_>>().join(", ")
            )),
        );
    }
}
