//! Translation tables: YAML maps from a message's key to its Fluent
//! pattern, the built-in ones compiled into the binary.

use std::collections::BTreeMap;

use fluent_bundle::FluentResource;

/// The built-in tables, by primary language subtag; English first, and
/// complete (the tests hold every other table to its keys).
pub const BUILT_IN: &[(&str, &str)] = &[
    ("en", include_str!("../../i18n/en.yaml")),
    ("de", include_str!("../../i18n/de.yaml")),
    ("fr", include_str!("../../i18n/fr.yaml")),
    ("es", include_str!("../../i18n/es.yaml")),
    ("ja", include_str!("../../i18n/ja.yaml")),
];

/// One message: its key and its Fluent pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub pattern: String,
}

/// The messages of a built-in table, or none for a language without one.
pub fn builtin_entries(language: &str) -> Vec<Entry> {
    BUILT_IN
        .iter()
        .find(|(name, _)| *name == language)
        .map(|(_, text)| read_builtin(text))
        .unwrap_or_default()
}

/// A built-in table read; one that does not parse is a bug its tests catch,
/// so it reads as empty (every page then says English) rather than panic.
fn read_builtin(text: &str) -> Vec<Entry> {
    let map: BTreeMap<String, String> = serde_saphyr::from_str(text).unwrap_or_default();
    map.into_iter()
        .map(|(key, pattern)| Entry { key, pattern })
        .collect()
}

/// The pattern as one Fluent message: `key = ` and its lines, each line
/// after the first indented so that Fluent reads it as a continuation.
pub fn ftl(key: &str, pattern: &str) -> String {
    let mut out = format!("{key} =");
    let mut lines = pattern.trim_end().lines();
    if let Some(first) = lines.next() {
        out.push(' ');
        out.push_str(first);
    }
    for line in lines {
        out.push_str("\n    ");
        out.push_str(line);
    }
    out.push('\n');
    out
}

/// Why a key or pattern is not a Fluent message, or `None` when it is.
pub fn pattern_problem(key: &str, pattern: &str) -> Option<String> {
    let key_ok = key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !key_ok {
        return Some(format!(
            "`{key}` is not a message key: keys are letters, digits, `-` and `_`, starting with a letter"
        ));
    }
    if pattern.trim().is_empty() {
        return Some(format!("`{key}` has an empty message"));
    }
    match FluentResource::try_new(ftl(key, pattern)) {
        Ok(resource) if resource.entries().count() == 1 => None,
        Ok(_) => Some(format!(
            "`{key}`'s message reads as more than one message: a line may not start with a key and `=`"
        )),
        Err((_, errors)) => Some(format!(
            "`{key}`'s message is not a Fluent pattern: {}",
            errors
                .first()
                .map(|e| e.to_string())
                .unwrap_or_else(|| "it does not parse".to_owned())
        )),
    }
}
