//! Code blocks in Markdown, highlighted when the site is built: the
//! commands of a runbook read better with their parts told apart, and a
//! reader offline or without JavaScript sees the same colours. Spans carry
//! classes (`hl-comment`, `hl-string`, ...) that the theme's stylesheet
//! colours, so that dark mode and print restyle them like everything else.

use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::html::escape;

/// Loaded on the first highlighted block: a site without code pays nothing.
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The syntax a fence's info string names (`sh`, `yaml`, `sql`, ...);
/// shell sessions (`console`) are read as shell.
fn syntax_for(language: &str) -> Option<&'static SyntaxReference> {
    let token = match language {
        "console" | "shell" | "shell-session" | "terminal" | "zsh" => "bash",
        other => other,
    };
    syntaxes().find_syntax_by_token(token)
}

/// `<pre><code class="language-X">` with highlighted spans, or escaped
/// text when the language is unknown or the grammar fails on the text.
pub fn code_block(language: &str, code: &str) -> String {
    let spans = syntax_for(language).and_then(|syntax| {
        let style = ClassStyle::SpacedPrefixed { prefix: "hl-" };
        let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes(), style);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .ok()?;
        }
        Some(generator.finalize())
    });
    format!(
        "<pre><code class=\"language-{}\">{}</code></pre>\n",
        escape(language),
        spans.unwrap_or_else(|| escape(code))
    )
}

/// The events with each fenced code block that names a language replaced
/// by its highlighted HTML; every other event as it was.
pub fn highlighted<'a>(events: impl Iterator<Item = Event<'a>>) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    let mut open: Option<(String, String)> = None;
    for event in events {
        match (&mut open, event) {
            (None, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))) => {
                let language = info.split([' ', ',', '{']).next().unwrap_or_default();
                if language.is_empty() {
                    out.push(Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))));
                } else {
                    open = Some((language.to_owned(), String::new()));
                }
            }
            (Some((_, code)), Event::Text(text)) => code.push_str(&text),
            (Some((language, code)), Event::End(TagEnd::CodeBlock)) => {
                out.push(Event::Html(CowStr::from(code_block(language, code))));
                open = None;
            }
            (_, other) => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_language_gets_classes_and_stays_escaped() {
        let html = code_block("sh", "echo \"<b>\" # done\n");
        assert!(
            html.starts_with("<pre><code class=\"language-sh\">"),
            "{html}"
        );
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("&lt;b&gt;"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
    }

    #[test]
    fn an_unknown_language_is_plain_escaped_text() {
        let html = code_block("no-such<x>", "a < b\n");
        assert_eq!(
            html,
            "<pre><code class=\"language-no-such&lt;x&gt;\">a &lt; b\n</code></pre>\n"
        );
    }
}
