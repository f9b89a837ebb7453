//! The data files of the site: the search index, JavaScript files loaded
//! by `<script>` (browsers refuse `fetch` on `file://`), and the whole
//! upgrade graph as JSON under `api/v1/`. The path finder's own data is
//! made by `finder`.
//!
//! The search index (built by `search_index`) is split so that a query loads
//! only what it needs, whatever the size of the knowledge base:
//! - `data/search.js`, the manifest: `{documents, groups, leaves, splits}`:
//!   the number of documents, the first document of each documents file (a
//!   set, encoded as below), and the nodes of a trie of words files. Documents
//!   are numbered by title length (UTF-16 units), then site order: the
//!   search's last tie-breakers, so that a number alone breaks ties.
//! - `data/search/w<i>.js`, the words file of the leaf `leaves[i]`, a key:
//!   every word that starts with it (words as `words()` folds them, keys and
//!   prefixes counted in letters) as `[word, title, body]`, `title` the
//!   documents whose title holds the word, `body` those whose body (text,
//!   context, kind) holds it and title not.
//! - `data/search/p<i>.js`, for `splits[i]` = `[key, prefix]`, words too many
//!   for one file: they all start with `prefix` (the longest they share);
//!   the file is `[title, body, longer title, longer body]`, the prefix as a
//!   word, then all longer words merged. Children's keys are `prefix` and
//!   one more letter. A term walks its own prefixes from "" (a leaf, or the
//!   root, which has no file): a leaf's file answers it; a split answers it
//!   if the term ends within the split's prefix, else the walk goes on past
//!   that prefix; a missing key means no word starts with the term.
//! - `data/search/d<i>.js`: documents from number `groups[i]` on, as they
//!   show (their text cut for snippets: `search_index::SHOWN_BODY_CHARS`),
//!   as many as fit in 8 KB (at least one).
//!
//! A set of documents is a string: gaps between numbers in base-32 digits,
//! or `~` and a bitmap, six documents a digit, whichever is shorter. Every
//! file is a script that sets `window.UPGRADE_ATLAS_SEARCH` (the manifest)
//! or one entry of `window.UPGRADE_ATLAS_SEARCH_PARTS`, by [`part_script`].

use rayon::prelude::*;

use super::search_index::{self, Documents, SearchDocument};
use super::urls::Urls;
use crate::diag::{Diagnostic, Span};
use crate::markdown::plain_text;
use crate::model::Model;

/// Past this size a search file makes phones wait; the build says so.
pub const SEARCH_FILE_WARNING_BYTES: usize = 1024 * 1024;

pub const SEARCH_SCRIPT: &str = "data/search.js";

/// A link from the site root, as the scripts need it.
pub(super) fn site_url(urls: Urls, path: &str) -> String {
    let link = urls.relative(crate::layout::HOME, path);
    if link == "./" { String::new() } else { link }
}

fn text(parts: &[Option<&str>]) -> String {
    parts
        .iter()
        .flatten()
        .map(|p| plain_text(p))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where a searchable document comes from: a product, a version, an
/// issue of a version, a scenario, an issue of a scenario, a component,
/// a stack.
#[derive(Clone, Copy)]
enum Source {
    Product(usize),
    Version(usize, usize),
    VersionIssue(usize, usize, usize),
    Scenario(usize),
    ScenarioIssue(usize, usize),
    Component(usize),
    Stack(usize),
}

/// The site's searchable documents, each made when the index asks for it:
/// the index needs one chunk of them at a time, never every document's
/// whole text at once.
pub struct SiteDocuments<'m> {
    model: &'m Model,
    urls: Urls,
    /// In the order the site lists them.
    sources: Vec<Source>,
}

impl<'m> SiteDocuments<'m> {
    pub fn new(model: &'m Model, urls: Urls) -> Self {
        let mut sources = Vec::new();
        for (p, product) in model.products.iter().enumerate() {
            sources.push(Source::Product(p));
            for (v, version) in product.versions.iter().enumerate() {
                sources.push(Source::Version(p, v));
                sources.extend((0..version.issues.len()).map(|i| Source::VersionIssue(p, v, i)));
            }
        }
        for (s, scenario) in model.scenarios.iter().enumerate() {
            sources.push(Source::Scenario(s));
            sources.extend((0..scenario.issues.len()).map(|i| Source::ScenarioIssue(s, i)));
        }
        sources.extend((0..model.components.len()).map(Source::Component));
        sources.extend((0..model.stacks.len()).map(Source::Stack));
        SiteDocuments {
            model,
            urls,
            sources,
        }
    }

    /// Every document at once, in the order the site lists them.
    pub fn all(&self) -> Vec<SearchDocument> {
        (0..self.sources.len()).map(|d| self.document(d)).collect()
    }

    fn version_title(&self, p: usize, v: usize) -> String {
        self.model
            .node_title(self.model.products[p].versions[v].node)
    }
}

impl Documents for SiteDocuments<'_> {
    fn count(&self) -> usize {
        self.sources.len()
    }

    fn heading(&self, d: usize) -> (&'static str, String) {
        let model = self.model;
        match self.sources[d] {
            Source::Product(p) => ("Product", model.products[p].name.clone()),
            Source::Version(p, v) => ("Version", self.version_title(p, v)),
            Source::VersionIssue(p, v, i) => (
                "Issue",
                model.products[p].versions[v].issues[i].title.clone(),
            ),
            Source::Scenario(s) => ("Scenario", model.scenarios[s].title.clone()),
            Source::ScenarioIssue(s, i) => ("Issue", model.scenarios[s].issues[i].title.clone()),
            Source::Component(c) => ("Component", model.components[c].name.clone()),
            Source::Stack(s) => ("Stack", model.stacks[s].name.clone()),
        }
    }

    /// A document's title and kind are its heading, so that what ranks it
    /// is what it shows.
    fn document(&self, d: usize) -> SearchDocument {
        let (model, urls) = (self.model, self.urls);
        let (k, t) = self.heading(d);
        // The page it is found on, its text and its context.
        let (u, b, c) = match self.sources[d] {
            Source::Product(p) => {
                let product = &model.products[p];
                let versions: Vec<&str> =
                    product.versions.iter().map(|v| v.name.as_str()).collect();
                let names = versions.join(" ");
                let body = text(&[
                    product.vendor.as_deref(),
                    product.summary.as_deref(),
                    product.notes.as_deref(),
                    Some(&names),
                ]);
                (
                    site_url(urls, &Urls::product(model, p)),
                    body,
                    String::new(),
                )
            }
            Source::Version(p, v) => {
                let product = &model.products[p];
                let version = &product.versions[v];
                let components: Vec<&str> = version
                    .components
                    .iter()
                    .map(|c| model.components[*c].name.as_str())
                    .collect();
                let components = components.join(" ");
                // A version is found by its other names too ("stretch").
                let aliases = version.aliases.join(" ");
                let body = text(&[
                    Some(&aliases),
                    version.summary.as_deref(),
                    Some(&components),
                ]);
                let url = site_url(urls, &Urls::version(model, version.node));
                (url, body, product.name.clone())
            }
            Source::VersionIssue(p, v, i) => {
                let version = &model.products[p].versions[v];
                let url = site_url(urls, &Urls::version(model, version.node));
                let body = text(&[version.issues[i].body.as_deref()]);
                (format!("{url}#own-issues"), body, self.version_title(p, v))
            }
            Source::Scenario(s) => {
                let scenario = &model.scenarios[s];
                let mut parts: Vec<Option<&str>> = vec![scenario.summary.as_deref()];
                parts.extend(scenario.steps.iter().map(|s| Some(s.as_str())));
                for alternative in &scenario.alternatives {
                    parts.push(Some(&alternative.title));
                    parts.push(alternative.body.as_deref());
                }
                parts.push(scenario.notes.as_deref());
                let url = site_url(urls, &Urls::scenario(model, s));
                (url, text(&parts), String::new())
            }
            Source::ScenarioIssue(s, i) => {
                let scenario = &model.scenarios[s];
                let url = site_url(urls, &Urls::scenario(model, s));
                let body = text(&[scenario.issues[i].body.as_deref()]);
                (format!("{url}#issues"), body, scenario.title.clone())
            }
            Source::Component(c) => {
                let component = &model.components[c];
                let url = site_url(urls, &Urls::component(model, c));
                // Found by its id too: `usrmerge` names "Merged /usr".
                let body = text(&[Some(&component.id), component.summary.as_deref()]);
                (url, body, String::new())
            }
            Source::Stack(s) => {
                let stack = &model.stacks[s];
                let url = site_url(urls, &crate::layout::SitePath::Stack(&stack.id).path());
                // Found by its members' names too: "Nextcloud PHP".
                let members: Vec<&str> = (stack.members.iter())
                    .map(|p| model.products[*p].name.as_str())
                    .collect();
                let members = members.join(" ");
                let body = text(&[Some(&members), stack.summary.as_deref()]);
                (url, body, String::new())
            }
        };
        SearchDocument { t, u, k, b, c }
    }
}

/// The search files, each with its path: the manifest and its parts.
pub fn search_files(
    model: &Model,
    urls: Urls,
    limits: search_index::SearchLimits,
) -> Vec<(String, String)> {
    let documents = SiteDocuments::new(model, urls);
    let index = search_index::index(&documents, limits, &model.site.language);
    let mut files = vec![(
        SEARCH_SCRIPT.to_owned(),
        script("UPGRADE_ATLAS_SEARCH", &index.manifest),
    )];
    files.par_extend(index.parts.into_par_iter().map(|(name, json)| {
        let script = part_script("UPGRADE_ATLAS_SEARCH_PARTS", &name, &json);
        (format!("data/search/{name}.js"), script)
    }));
    files
}

/// JSON text as a string literal that is safe inside a script: `<` is
/// escaped so that no `</script>` or `<!--` in the content can end or
/// confuse a script, and so are the line separators older engines refuse.
fn json_literal(json: &str) -> String {
    let literal = serde_json::to_string(json).expect("strings serialize");
    literal
        .replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// A script that defines `window[name]` from JSON text, parsed with
/// `JSON.parse` from a string literal (see [`json_literal`]).
pub fn script(name: &str, json: &str) -> String {
    format!("window.{name} = JSON.parse({});\n", json_literal(json))
}

/// A script that sets `window[registry][key]` from JSON text, creating the
/// registry if it is the first: several can load at once, in any order.
/// `key` is a name the generator chose, never content.
pub fn part_script(registry: &str, key: &str, json: &str) -> String {
    assert!(
        key.bytes().all(|b| b.is_ascii_alphanumeric()),
        "part names are letters and digits: {key}"
    );
    format!(
        "(window.{registry} = window.{registry} || {{}})[\"{key}\"] = JSON.parse({});\n",
        json_literal(json)
    )
}

/// A warning when the largest of `files` (path, bytes) passes
/// [`SEARCH_FILE_WARNING_BYTES`]: a query may have to load it.
pub fn size_warning(files: &[(String, String)]) -> Option<Diagnostic> {
    let (path, text) = files.iter().max_by_key(|(path, text)| (text.len(), path))?;
    (text.len() > SEARCH_FILE_WARNING_BYTES).then(|| {
        Diagnostic::warning(
            Span::file_start("content"),
            format!(
                "the search file {path} is {:.1} MiB; phones load it slowly past {} MiB",
                text.len() as f64 / 1048576.0,
                SEARCH_FILE_WARNING_BYTES / 1048576
            ),
        )
        .with_hint(
            "shorten the longest summaries, notes and issue bodies, or split the knowledge base",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_cannot_be_closed_by_content() {
        let out = script("UA", r#"[{"t":"</script><script>alert(1)</script>"}]"#);
        assert!(!out.contains("</script"), "{out}");
        assert!(out.starts_with("window.UA = JSON.parse(\""));
    }

    #[test]
    fn parts_cannot_be_closed_by_content() {
        let out = part_script("P", "d3", "[{\"t\":\"<!-- </script> \u{2028}\"}]");
        assert!(!out.contains('<') && !out.contains('\u{2028}'), "{out}");
        assert!(out.starts_with("(window.P = window.P || {})[\"d3\"] = JSON.parse(\""));
    }

    #[test]
    fn large_search_files_warn() {
        let file = |path: &str, bytes: usize| (path.to_owned(), "x".repeat(bytes));
        let small = [file("data/search.js", 10), file("data/search/d0.js", 1000)];
        assert!(size_warning(&small).is_none());
        let large = [
            file("data/search/d0.js", 10),
            file("data/search/d1.js", SEARCH_FILE_WARNING_BYTES + 1),
        ];
        let warning = size_warning(&large).expect("a warning");
        assert!(
            warning.message.contains("data/search/d1.js"),
            "{}",
            warning.message
        );
    }
}
