//! Markdown helpers shared by the stages that read Markdown: `resolve` checks
//! every link in it, `render` turns it into HTML.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The Markdown extensions we accept. Task lists stay off: their checkboxes
/// have no label, which fails accessibility checks.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
}

/// A link or an image in Markdown.
#[derive(Debug, PartialEq, Eq)]
pub struct Destination {
    pub url: String,
    pub image: bool,
}

/// Every link and image destination in a Markdown text, in order.
pub fn destinations(text: &str) -> Vec<Destination> {
    // Every link or image starts with `[` (inline, reference, image) or `<`
    // (autolink); most fields have neither and need no parse.
    if !text.contains(['[', '<']) {
        return Vec::new();
    }
    Parser::new_ext(text, options())
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. }) => Some(Destination {
                url: dest_url.into_string(),
                image: false,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => Some(Destination {
                url: dest_url.into_string(),
                image: true,
            }),
            _ => None,
        })
        .collect()
}

/// Whether a URL starts with a scheme (`https:`, `mailto:`, ...).
pub fn has_scheme(url: &str) -> bool {
    url.find(':')
        .is_some_and(|end| !url[..end].contains(['/', '?', '#']) && !url[..end].is_empty())
}

/// The site path a link that writers meant from the site root points at:
/// `files/a.pdf`, and `/files/a.pdf` as well, since the site may be
/// published under a sub-path or opened from disk, where `/` is not its
/// root. `None` for an address with a scheme, a fragment, an `@`
/// reference, and `//host/...`, which names another host.
pub fn site_path(url: &str) -> Option<&str> {
    if url.is_empty() || has_scheme(url) || url.starts_with(['#', '@']) || url.starts_with("//") {
        return None;
    }
    Some(url.strip_prefix('/').unwrap_or(url))
}

/// Why an image may not appear in the site: it would load from another host.
pub fn image_problem(url: &str) -> Option<String> {
    (has_scheme(url) || url.starts_with("//")).then(|| {
        "images must come from this site: a remote image would load from another host".to_owned()
    })
}

/// Why a URL may not appear in the site, if it may not. Allowed: `http:`,
/// `https:`, `mailto:`, and relative references (no scheme).
pub fn url_problem(url: &str) -> Option<String> {
    // Browsers ignore ASCII whitespace and control characters inside a scheme
    // ("java\tscript:"), so they are removed before looking at it.
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .collect();
    let scheme_end = cleaned.find(':')?;
    let before = &cleaned[..scheme_end];
    if before.contains(['/', '?', '#']) {
        return None; // the colon is in a path or query: a relative reference
    }
    let scheme = before.to_ascii_lowercase();
    if matches!(scheme.as_str(), "http" | "https" | "mailto") {
        None
    } else {
        Some(format!(
            "link scheme `{scheme}:` is not allowed (only http:, https:, mailto: and relative links)"
        ))
    }
}

fn is_block(end: TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::Item
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock
            | TagEnd::TableCell
            | TagEnd::FootnoteDefinition
    )
}

/// The words of a Markdown text without its markup, for the search index.
pub fn plain_text(text: &str) -> String {
    words_of(text, false)
}

/// The words of a Markdown text, with or without what looks like HTML.
fn words_of(text: &str, keep_html: bool) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(text, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::Html(t) | Event::InlineHtml(t) if keep_html => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(end) if is_block(end) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A one-line Markdown text as plain text for a label or a sentence: its
/// markup (`code`, *emphasis*, links) dropped, and anything that looks like
/// HTML kept as the text it is, since a label is never markup.
pub fn inline_plain(text: &str) -> String {
    words_of(text, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_links_and_images() {
        let found = destinations(
            "See [a](@a@1.0), ![i](img.png) and <https://x.org>.\n\n[r]: @scenario:s\n[ref][r]",
        );
        let urls: Vec<&str> = found.iter().map(|d| d.url.as_str()).collect();
        assert_eq!(urls, ["@a@1.0", "img.png", "https://x.org", "@scenario:s"]);
        assert!(found[1].image && !found[0].image);
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            plain_text("**Bold** [link](@a) and `code`.\n\n- item"),
            "Bold link and code. item"
        );
    }

    #[test]
    fn remote_images_are_refused() {
        assert!(image_problem("https://tracker.example.com/p.png").is_some());
        assert!(image_problem("//tracker.example.com/p.png").is_some());
        assert!(image_problem("img/logo.png").is_none());
    }

    #[test]
    fn site_relative_links() {
        assert_eq!(site_path("img/logo.png"), Some("img/logo.png"));
        assert_eq!(site_path("/img/logo.png"), Some("img/logo.png"));
        assert_eq!(site_path("/"), Some(""));
        assert_eq!(site_path("https://x.org"), None);
        assert_eq!(site_path("#top"), None);
        assert_eq!(site_path("@a@1.0"), None);
        assert_eq!(site_path("//cdn.example.org/x"), None);
    }

    #[test]
    fn schemes() {
        assert_eq!(url_problem("https://example.com/a:b"), None);
        assert_eq!(url_problem("mailto:x@example.com"), None);
        assert_eq!(url_problem("../a/index.html"), None);
        assert_eq!(url_problem("docs/a:b.html"), None);
        assert!(url_problem("javascript:alert(1)").is_some());
        assert!(url_problem("JaVa\tScript:alert(1)").is_some());
        assert!(url_problem("data:text/html,x").is_some());
        assert!(url_problem("file:///etc/passwd").is_some());
    }
}
