//! Markdown -> HTML for the page it lands on: `@` references and
//! site-relative paths made relative to that page, raw HTML escaped unless
//! the site allows it. The render stage's `markdown` filter and `url`
//! function use it, and so does the path finder's data, whose issue texts
//! and steps are rendered here for the finder page, so that the finder
//! shows them exactly as pages do and never inserts unescaped content.

use std::collections::HashMap;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use super::Urls;
use crate::markdown;
use crate::model::{Model, Reference, Target};

thread_local! {
    /// The references resolved on this thread while [`Links::recording`]
    /// runs; `None` outside it.
    static RESOLVED: std::cell::RefCell<Option<Vec<(String, String)>>> =
        const { std::cell::RefCell::new(None) };
}

/// Everything the `markdown` filter and `url` function need, shared by all
/// pages (and by the path finder's data, rendered for the finder page).
pub struct Links {
    /// `@` reference (without the `@`) -> site path.
    targets: HashMap<String, String>,
    urls: Urls,
    raw_html: bool,
}

impl Links {
    /// What [`Links::new`] depends on, hashed: the ids and aliases that can
    /// be referred to, and how URLs are written. `serve` keeps the map
    /// while this stays the same, which is every edit that renames nothing.
    pub fn fingerprint(model: &Model, urls: Urls) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (urls.pretty, model.site.raw_html).hash(&mut hasher);
        for product in &model.products {
            product.id.hash(&mut hasher);
            for version in &product.versions {
                (version.node, &version.id, &version.aliases).hash(&mut hasher);
            }
        }
        for scenario in &model.scenarios {
            scenario.id.hash(&mut hasher);
        }
        for component in &model.components {
            component.id.hash(&mut hasher);
        }
        hasher.finish()
    }

    pub fn new(model: &Model, urls: Urls) -> Links {
        let mut targets = HashMap::new();
        let mut add = |reference: Reference, target: Target| {
            targets.insert(reference.to_string(), Urls::target(model, target));
        };
        for (p, product) in model.products.iter().enumerate() {
            add(Reference::Product(&product.id), Target::Product(p));
            for version in &product.versions {
                for name in std::iter::once(&version.id).chain(&version.aliases) {
                    add(
                        Reference::Version(&product.id, name),
                        Target::Version(version.node),
                    );
                }
            }
        }
        for (s, scenario) in model.scenarios.iter().enumerate() {
            add(Reference::Scenario(&scenario.id), Target::Scenario(s));
        }
        for (c, component) in model.components.iter().enumerate() {
            add(Reference::Component(&component.id), Target::Component(c));
        }
        Links {
            targets,
            urls,
            raw_html: model.site.raw_html,
        }
    }

    /// Where a Markdown destination points from `page`: `@` references and
    /// site-relative paths are made relative to the page; others stay.
    fn rewrite(&self, page: &str, destination: &str) -> Option<String> {
        if destination.starts_with('@') {
            self.resolve(page, destination)
        } else {
            Some(self.urls.written(page, destination))
        }
    }

    fn rewritten<'a>(
        &self,
        page: &str,
        destination: pulldown_cmark::CowStr<'a>,
    ) -> pulldown_cmark::CowStr<'a> {
        self.rewrite(page, &destination)
            .map_or(destination, Into::into)
    }

    pub fn resolve(&self, page: &str, destination: &str) -> Option<String> {
        let (reference, fragment) = Reference::in_destination(destination)?;
        let reference = reference.to_string();
        let target = self.targets.get(&reference)?;
        RESOLVED.with_borrow_mut(|resolved| {
            if let Some(resolved) = resolved {
                resolved.push((reference, target.clone()));
            }
        });
        let fragment = fragment.map_or(String::new(), |f| format!("#{f}"));
        Some(self.urls.relative(page, &format!("{target}{fragment}")))
    }

    /// How links are written, beside where they lead: pretty URLs, and
    /// whether raw HTML in Markdown is kept.
    pub fn settings(&self) -> [bool; 2] {
        [self.urls.pretty, self.raw_html]
    }

    /// The site path an `@` reference (without the `@`) leads to.
    pub fn target(&self, reference: &str) -> Option<&str> {
        self.targets.get(reference).map(String::as_str)
    }

    /// Runs `render` (which renders one page on this thread) and returns
    /// what it gave with every reference it resolved here, each with the
    /// site path it led to: a page depends on those beside its own values,
    /// and a rebuild keeps the page only while each still leads there.
    pub fn recording<R>(render: impl FnOnce() -> R) -> (R, Vec<(String, String)>) {
        // A thread's own list: Tera renders a page on the thread that asked.
        let outer = RESOLVED.replace(Some(Vec::new()));
        let rendered = render();
        let mut resolved = RESOLVED.replace(outer).unwrap_or_default();
        resolved.sort_unstable();
        resolved.dedup();
        (rendered, resolved)
    }

    /// Markdown -> HTML for the page at `page`: `@` links resolved, raw HTML
    /// escaped unless allowed, headings kept below the page's own, footnote
    /// ids prefixed so they cannot clash with the page's ids, fenced code
    /// highlighted.
    pub fn markdown(&self, page: &str, text: &str) -> String {
        let events =
            pulldown_cmark::Parser::new_ext(text, markdown::options()).map(|event| match event {
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => Event::Start(Tag::Link {
                    link_type,
                    dest_url: self.rewritten(page, dest_url),
                    title,
                    id,
                }),
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => Event::Start(Tag::Image {
                    link_type,
                    dest_url: self.rewritten(page, dest_url),
                    title,
                    id,
                }),
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => Event::Start(Tag::Heading {
                    level: demote(level),
                    id,
                    classes,
                    attrs,
                }),
                Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demote(level))),
                Event::Html(html) | Event::InlineHtml(html) if !self.raw_html => Event::Text(html),
                Event::FootnoteReference(label) => {
                    Event::FootnoteReference(format!("fn-{label}").into())
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    Event::Start(Tag::FootnoteDefinition(format!("fn-{label}").into()))
                }
                other => other,
            });
        let mut html = String::new();
        pulldown_cmark::html::push_html(
            &mut html,
            super::highlight::highlighted(events).into_iter(),
        );
        html
    }
}

/// Markdown headings sit below the page's `h1` and section `h2`s.
fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> Links {
        Links {
            targets: [("a@1.0".to_owned(), "products/a/1.0/index.html".to_owned())]
                .into_iter()
                .collect(),
            urls: Urls { pretty: false },
            raw_html: false,
        }
    }

    #[test]
    fn markdown_resolves_references_from_the_page() {
        let html = links().markdown("products/b/index.html", "See [A 1.0](@a@1.0#to-b-2).");
        assert!(
            html.contains(r#"href="../a/1.0/index.html#to-b-2""#),
            "{html}"
        );
    }

    #[test]
    fn markdown_paths_are_relative_to_the_site_root() {
        let html = links().markdown(
            "products/b/index.html",
            "![logo](img/logo.png) [guide](guide.pdf)",
        );
        assert!(html.contains(r#"src="../../img/logo.png""#), "{html}");
        assert!(html.contains(r#"href="../../guide.pdf""#), "{html}");
    }

    #[test]
    fn markdown_escapes_raw_html_and_demotes_headings() {
        let html = links().markdown(
            "index.html",
            "# Top\n\n<script>alert(1)</script>\n\nx <b>y</b>",
        );
        assert!(html.contains("<h3>Top</h3>"), "{html}");
        assert!(
            !html.contains("<script>") && !html.contains("<b>"),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn footnote_ids_are_prefixed() {
        let html = links().markdown("index.html", "Text[^1].\n\n[^1]: Note.");
        assert!(html.contains("id=\"fn-1\""), "{html}");
        assert!(!html.contains("id=\"1\""), "{html}");
    }
}
