//! site.yaml, and the fields every document shares: one-line names,
//! conditions, links.

use std::path::Path;

use super::*;
use crate::diag::{Span, suggest};
use crate::load::{Names, RawDoc, RawLink, RawMessages, RawSite, S};
use crate::markdown;
use crate::model::*;
use crate::selector::is_product_id;
use std::sync::Arc;

impl Resolver {
    /// `language:`, or English when it is not a language tag.
    fn language(&mut self, doc: &RawDoc<RawSite>) -> String {
        let file = &doc.file;
        let Some(language) = &doc.value.language else {
            return "en".to_owned();
        };
        let valid = !language.value.is_empty()
            && (language.value.chars()).all(|c| c.is_ascii_alphanumeric() || c == '-');
        if valid {
            return language.value.clone();
        }
        self.report(
            Diagnostic::error(
                span(file, language),
                format!("`{}` is not a language tag", language.value),
            )
            .with_hint("use a BCP 47 tag such as `en` or `de-CH`"),
        );
        "en".to_owned()
    }

    pub(super) fn site(
        &mut self,
        raw: Option<&RawDoc<RawSite>>,
        messages: &[Arc<RawDoc<RawMessages>>],
    ) -> Site {
        let language = raw.map_or_else(|| "en".to_owned(), |doc| self.language(doc));
        let messages = self.messages(&language, raw.map(|doc| doc.file.as_path()), messages);
        let mut site = Site {
            title: messages.text("site-title", &[]),
            description: None,
            base_url: None,
            phases: crate::lifecycle::PhaseLabels {
                mainstream: messages.text("phase-mainstream", &[]),
                extended: messages.text("phase-extended", &[]),
            },
            language,
            messages: Arc::new(messages),
            pretty_urls: false,
            raw_html: false,
            conditions: Vec::new(),
            today: None,
            support_warning_days: crate::model::SUPPORT_WARNING_DAYS,
        };
        let Some(doc) = raw else { return site };
        let (file, raw) = (&doc.file, &doc.value);
        site.today = (raw.today.as_ref())
            .and_then(|today| super::lifecycle::checked_date(file, today, &mut self.problems));
        if let Some(days) = &raw.support_warning_days {
            site.support_warning_days = i64::from(days.value);
        }
        site.phases = super::lifecycle::checked_labels(
            file,
            raw.support_phases.as_ref(),
            &site.phases,
            &mut self.problems,
        );
        if let Some(title) = &raw.title {
            site.title = self.one_line(file, title, "the site's title");
        }
        site.description = self.markdown(file, &raw.description);
        if let Some(base) = &raw.base_url {
            site.base_url = self.base_url(file, base);
        }
        site.pretty_urls = raw.pretty_urls.as_ref().is_some_and(|p| p.value);
        site.raw_html = raw
            .markdown
            .as_ref()
            .and_then(|m| m.raw_html.as_ref())
            .is_some_and(|r| r.value);
        for (name, description) in raw.conditions.iter().flat_map(|c| &c.0) {
            if !is_product_id(&name.value) {
                self.report(
                    Diagnostic::error(
                        span(file, name),
                        format!("`{}` is not a valid condition name", shorten(&name.value)),
                    )
                    .with_hint("use lowercase letters, digits and `-`"),
                );
            } else if let Some(problem) = id_problem(&name.value) {
                self.report(
                    Diagnostic::error(span(file, name), format!("condition name {problem}"))
                        .with_hint(id_hint()),
                );
            } else if site.conditions.iter().any(|c| c.name == name.value) {
                self.report(
                    Diagnostic::error(
                        span(file, name),
                        format!("condition `{}` is declared twice", name.value),
                    )
                    .with_hint("keep one of the two"),
                );
            } else {
                let description = self.sentence(file, description, "a condition's description");
                site.conditions.push(ConditionDef {
                    name: name.value.clone(),
                    description,
                });
            }
        }
        self.condition_names = site.conditions.iter().map(|c| c.name.clone()).collect();
        site
    }

    pub(super) fn base_url(&mut self, file: &Path, base: &S<String>) -> Option<String> {
        let url = base.value.trim();
        if let Some(problem) = super::ids::base_url_problem(url) {
            self.report(
                Diagnostic::error(span(file, base), format!("base_url {problem}"))
                    .with_hint(BASE_URL_HINT),
            );
            return None;
        }
        // Earlier releases built with such a port: a warning, not an error
        // (`--base-url` refuses it, through `normalized_base_url`).
        if let Some(problem) = super::ids::base_url_port_problem(url) {
            self.report(
                Diagnostic::warning(span(file, base), format!("base_url {problem}"))
                    .with_hint("fix the port: links made from this address lead nowhere"),
            );
        }
        Some(super::ids::with_one_slash(url))
    }

    /// A name or title: one line of text, not blank; returned trimmed, so
    /// that the line break YAML leaves at the end of a `>` block is no line.
    /// Text over several lines built before this rule, so it is folded into
    /// one line (each run of white space one space) with a warning, never
    /// refused.
    pub(super) fn one_line(&mut self, file: &Path, value: &S<String>, what: &str) -> String {
        let text = value.value.trim();
        if text.is_empty() {
            self.report(
                Diagnostic::error(span(file, value), format!("{what} is empty"))
                    .with_hint("write a few words"),
            );
        } else if spans_lines(text) {
            self.report(
                Diagnostic::warning(
                    span(file, value),
                    format!("{what} spans several lines; the site shows it folded into one"),
                )
                .with_hint("names and titles are one line: put the rest in `summary` or `body`; to fold a long line in YAML yourself, write it after `>-`"),
            );
            return folded(text);
        }
        text.to_owned()
    }

    /// A condition's description: a sentence, which writers often put in a
    /// `|` block. Its lines are folded into one without a word: the usual
    /// YAML for a long sentence is no mistake (it built before names and
    /// titles had to be one line, and must build now).
    pub(super) fn sentence(&mut self, file: &Path, value: &S<String>, what: &str) -> String {
        let text = value.value.trim();
        if spans_lines(text) {
            return folded(text);
        }
        self.one_line(file, value, what)
    }

    pub(super) fn one_line_opt(
        &mut self,
        file: &Path,
        value: &Option<S<String>>,
        what: &str,
    ) -> Option<String> {
        value.as_ref().map(|value| self.one_line(file, value, what))
    }

    pub(super) fn condition(
        &mut self,
        file: &Path,
        when: &Option<S<Names>>,
        unless: &Option<S<Names>>,
    ) -> Condition {
        Condition {
            when: self.names(file, when),
            unless: self.names(file, unless),
        }
    }

    pub(super) fn names(&mut self, file: &Path, names: &Option<S<Names>>) -> Vec<ConditionId> {
        let Some(names) = names else {
            return Vec::new();
        };
        let listed: Vec<(String, Span)> = match &names.value {
            Names::One(name) => vec![(name.clone().unwrap_or_default(), span(file, names))],
            Names::Many(list) => list
                .iter()
                .map(|n| (n.value.clone(), span(file, n)))
                .collect(),
        };
        let mut ids = Vec::new();
        for (name, at) in listed {
            match self.condition_names.iter().position(|c| *c == name) {
                Some(id) => ids.push(id),
                None => {
                    let hint = self.condition_hint(&name);
                    self.report(
                        Diagnostic::error(at, format!("unknown condition `{name}`"))
                            .with_hint(hint),
                    );
                }
            }
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    pub(super) fn condition_hint(&self, name: &str) -> String {
        if self.condition_names.is_empty() {
            return "declare conditions under `conditions:` in content/site.yaml".into();
        }
        let known: Vec<&str> = self.condition_names.iter().map(String::as_str).collect();
        let hint = suggest(name, "declared conditions", &known);
        if hint.starts_with("did you mean") {
            hint
        } else {
            format!("{hint} (declare more in content/site.yaml)")
        }
    }

    pub(super) fn links(&mut self, file: &Path, raw: &Option<Vec<RawLink>>) -> Vec<Link> {
        let mut links = Vec::new();
        for link in raw.iter().flatten() {
            let title = self.one_line(file, &link.title, "a link's title");
            if self.url(file, &link.url) {
                links.push(Link {
                    title,
                    url: link.url.value.trim().to_owned(),
                });
            }
        }
        links
    }

    pub(super) fn url(&mut self, file: &Path, url: &S<String>) -> bool {
        match markdown::url_problem(&url.value) {
            None => true,
            Some(problem) => {
                self.report(Diagnostic::error(span(file, url), problem).with_hint(URL_HINT));
                false
            }
        }
    }
}

/// Whether text holds a line break of any kind.
fn spans_lines(text: &str) -> bool {
    text.contains(['\n', '\r', '\u{2028}', '\u{2029}'])
}

/// Text on one line: every run of white space, line breaks included, one space.
fn folded(text: &str) -> String {
    text.split(|c: char| c.is_whitespace())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
