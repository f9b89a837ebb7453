//! The words a site's built-in parts say, in the site's language.
//!
//! Every string the built-in templates, scripts and page prose show is a
//! message of a table (`i18n/LANG.yaml`, shipped in the binary): a Fluent
//! pattern under a key, so that plurals and word order are the
//! translator's, not string concatenation. English is complete and is the
//! fallback for a key a table lacks; a knowledge base may override or add
//! messages in `content/i18n/LANG.yaml` (read by `load`, checked by
//! `resolve`, which builds the [`Messages`] the later stages use).
//! Vocabulary beside the stages, as `lifecycle` is.

mod script;
mod table;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::lifecycle::{Date, PhaseLabels, Status};

pub use script::{ScriptPattern, unsupported as script_problem, variables};
pub use table::{BUILT_IN, Entry, builtin_entries, pattern_problem};

/// A message's argument: text or a number (numbers choose plural forms).
#[derive(Clone, Debug)]
pub enum Arg<'a> {
    Text(Cow<'a, str>),
    Number(f64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(text: &'a str) -> Self {
        Arg::Text(Cow::Borrowed(text))
    }
}

impl From<String> for Arg<'_> {
    fn from(text: String) -> Self {
        Arg::Text(Cow::Owned(text))
    }
}

impl From<usize> for Arg<'_> {
    fn from(n: usize) -> Self {
        Arg::Number(n as f64)
    }
}

impl From<u32> for Arg<'_> {
    fn from(n: u32) -> Self {
        Arg::Number(f64::from(n))
    }
}

impl From<i64> for Arg<'_> {
    fn from(n: i64) -> Self {
        Arg::Number(n as f64)
    }
}

/// Which way a language's script runs, for `dir` on the page.
pub fn direction(language: &str) -> &'static str {
    const RIGHT_TO_LEFT: &[&str] = &["ar", "dv", "fa", "he", "ks", "ps", "sd", "ug", "ur", "yi"];
    if RIGHT_TO_LEFT.contains(&primary(language).as_str()) {
        "rtl"
    } else {
        "ltr"
    }
}

/// The primary language subtag, lower case: `de` of `de-AT`.
pub fn primary(language: &str) -> String {
    language
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// One site's messages: English, under the built-in table of the site's
/// language, under the knowledge base's own overrides.
pub struct Messages {
    language: String,
    /// Escapes the messages' own text for HTML, in text and in double-quoted
    /// attributes (arguments are escaped, or
    /// not, by the caller): what templates show.
    html: FluentBundle<FluentResource>,
    /// The same messages as plain text: prose the plan stage writes, which
    /// the templates escape.
    plain: FluentBundle<FluentResource>,
    /// Messages without arguments, formatted once: most of what a page
    /// says, and a page says it thousands of times on a large site.
    fixed_html: HashMap<String, String>,
    fixed_plain: HashMap<String, String>,
    /// The patterns, for the scripts' table.
    sources: HashMap<String, String>,
}

impl std::fmt::Debug for Messages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Messages")
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
}

impl Messages {
    /// English alone, made once: what the command line speaks.
    pub fn english() -> &'static Messages {
        static ENGLISH: std::sync::OnceLock<Messages> = std::sync::OnceLock::new();
        ENGLISH.get_or_init(|| Messages::new("en", &[]))
    }

    /// The messages of `language`: English, then the built-in table of the
    /// language (its primary subtag), then `own` (already checked), each
    /// overriding the one before.
    pub fn new(language: &str, own: &[Entry]) -> Messages {
        let mut layers: Vec<Vec<Entry>> = vec![builtin_entries("en")];
        if primary(language) != "en" {
            layers.push(builtin_entries(&primary(language)));
        }
        layers.push(own.to_vec());
        let mut sources = HashMap::new();
        for entry in layers.into_iter().flatten() {
            sources.insert(entry.key, entry.pattern);
        }
        let html = bundle(language, &sources, true);
        let plain = bundle(language, &sources, false);
        let fixed = |bundle: &FluentBundle<FluentResource>| {
            (sources.keys())
                .filter(|key| script::is_fixed(&sources[key.as_str()]))
                .map(|key| (key.clone(), format(bundle, key, None)))
                .collect()
        };
        Messages {
            language: language.to_owned(),
            fixed_html: fixed(&html),
            fixed_plain: fixed(&plain),
            html,
            plain,
            sources,
        }
    }

    /// Every pattern with its key, in key order, after the language: all
    /// that decides what any message says.
    pub fn patterns(&self) -> Vec<(&str, &str)> {
        let mut patterns: Vec<(&str, &str)> = (self.sources.iter())
            .map(|(key, pattern)| (key.as_str(), pattern.as_str()))
            .collect();
        patterns.sort_unstable();
        patterns
    }

    pub fn language(&self) -> &str {
        &self.language
    }

    /// A message as plain text.
    pub fn text(&self, key: &str, args: &[(&str, Arg)]) -> String {
        if args.is_empty()
            && let Some(fixed) = self.fixed_plain.get(key)
        {
            return fixed.clone();
        }
        format(&self.plain, key, Some(&fluent_args(args)))
    }

    /// A message as HTML: its own text escaped, the arguments as given
    /// (the caller escapes the ones that are text).
    pub fn html(&self, key: &str, args: &[(&str, Arg)]) -> String {
        if args.is_empty()
            && let Some(fixed) = self.fixed_html.get(key)
        {
            return fixed.clone();
        }
        format(&self.html, key, Some(&fluent_args(args)))
    }

    /// Whether `key` names a message.
    pub fn has(&self, key: &str) -> bool {
        self.sources.contains_key(key)
    }

    /// A day in the language's own form: `11 November 2027`,
    /// `11. November 2027`, `2027年11月11日`.
    pub fn date(&self, day: Date) -> String {
        let (year, month, day) = day.civil();
        let month_name = self.text(&format!("month-{month}"), &[]);
        self.text(
            "date",
            &[
                ("day", Arg::Number(f64::from(day))),
                ("month", month_name.into()),
                ("month-number", Arg::Number(f64::from(month))),
                ("year", Arg::Text(year.to_string().into())),
            ],
        )
    }

    /// A status in words: "Supported until 30 June 2027".
    pub fn status(&self, status: Status, labels: &PhaseLabels) -> String {
        match status {
            Status::Unknown => self.text("status-unknown", &[]),
            Status::NotYetReleased(day) => {
                self.text("status-unreleased", &[("day", self.date(day).into())])
            }
            Status::Supported(Some(end)) => {
                self.text("status-supported-until", &[("day", self.date(end).into())])
            }
            Status::Supported(None) => self.text("status-supported", &[]),
            Status::ExtendedOnly(end) => self.text(
                "status-phase-only-until",
                &[
                    ("phase", self.phase_alone(&labels.extended).into()),
                    ("day", self.date(end).into()),
                ],
            ),
            Status::OutOfSupport(since) => {
                self.text("status-ended", &[("day", self.date(since).into())])
            }
        }
    }

    /// "Security support only": the phase's name and `only` (the table's
    /// `phase-only`), unless the name already ends in that word ("Security
    /// updates only"), which would say it twice. A final full stop is
    /// dropped, as the sentence goes on.
    fn phase_alone(&self, label: &str) -> String {
        let name = label.trim_end_matches(|c: char| c.is_whitespace() || c == '.');
        let phrase = self.text("phase-only", &[("phase", name.into())]);
        let only = phrase.replace(name, "");
        let only = only.trim();
        if !only.is_empty() && name.to_lowercase().ends_with(&only.to_lowercase()) {
            name.to_owned()
        } else {
            phrase
        }
    }

    /// A name (of a phase of support) as it reads inside a sentence: lower
    /// case where the language writes common nouns so ("ends mainstream
    /// support"), as it is where it does not (German capitalizes nouns).
    pub fn in_sentence(&self, name: &str) -> String {
        if self.text("names-lowercase-in-sentences", &[]) == "yes" {
            name.to_lowercase()
        } else {
            name.to_owned()
        }
    }

    /// The messages the scripts use (keys starting `script-`), compiled to
    /// the small form `common.js` formats.
    pub fn script_table(&self) -> Vec<(&str, ScriptPattern)> {
        let mut keys: Vec<&String> = (self.sources.keys())
            .filter(|key| key.starts_with("script-"))
            .collect();
        keys.sort();
        keys.into_iter()
            .map(|key| (key.as_str(), script::compile(&self.sources[key])))
            .collect()
    }
}

fn bundle(
    language: &str,
    sources: &HashMap<String, String>,
    escaped: bool,
) -> FluentBundle<FluentResource> {
    let id = language
        .parse()
        .unwrap_or_else(|_| "en".parse().expect("en is a language"));
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    if escaped {
        bundle.set_transform(Some(escape_text));
    }
    let mut keys: Vec<&String> = sources.keys().collect();
    keys.sort();
    for key in keys {
        let ftl = table::ftl(key, &sources[key]);
        // Patterns were checked when the table was read; one that still
        // fails (a built-in table's, caught by its tests) is left out and
        // falls back to its key.
        if let Ok(resource) = FluentResource::try_new(ftl) {
            let _ = bundle.add_resource(resource);
        }
    }
    bundle
}

fn escape_text(text: &str) -> Cow<'_, str> {
    if !text.contains(['<', '>', '&', '"']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn fluent_args<'a>(args: &'a [(&'a str, Arg<'a>)]) -> FluentArgs<'a> {
    let mut out = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        match value {
            Arg::Text(text) => out.set(*name, FluentValue::from(text.as_ref())),
            Arg::Number(n) => out.set(*name, FluentValue::from(*n)),
        }
    }
    out
}

/// A message formatted, or its key when there is none: a page that says
/// `upgrade-from` shows what is missing rather than failing the build.
fn format(bundle: &FluentBundle<FluentResource>, key: &str, args: Option<&FluentArgs>) -> String {
    let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
        return key.to_owned();
    };
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, args, &mut errors)
        .into_owned()
}
