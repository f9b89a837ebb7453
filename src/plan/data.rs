//! The data files of the site: the search index, JavaScript files loaded
//! by `<script>` (browsers refuse `fetch` on `file://`), and the whole
//! upgrade graph as JSON under `api/v1/`. The path finder's own data is
//! made by `finder`.
//!
//! The search index (built by `search_index`) is split so that a query loads
//! only what it needs, whatever the size of the knowledge base:
//! - `data/search.js`, the manifest: `{documents, per_file, leaves,
//!   splits, vocabulary}`: the number of documents, how many a documents file holds,
//!   and the nodes of a trie of words files. Documents are numbered by
//!   title length (UTF-16 units), then site order: the search's last
//!   tie-breakers, so that a number alone breaks ties.
//! - `data/search/w<i>.js`, the words file of the leaf `leaves[i]`, a key:
//!   every word that starts with it (words as `words()` folds them, keys and
//!   prefixes counted in letters) as `[word, title, body]` or `[word,
//!   title, body, frequent]`: `title` the documents whose title holds the
//!   word, `body` those whose body (text, context, kind) holds it and title
//!   not, `frequent` those of `body` that hold it three times or more.
//!   A "word" may also be a pair of words a title says side by side,
//!   written with a space between them (`"tls cipher"`): its `title` the
//!   documents whose title has the pair, its `body` empty. A query of
//!   several words looks its adjacent terms up as pairs, to rank the
//!   documents whose title has them side by side higher.
//! - `data/search/p<i>.js`, for `splits[i]` = `[key, prefix]`, words too many
//!   for one file: they all start with `prefix` (the longest they share);
//!   the file is `[title, body, longer title, longer body]` (and the
//!   prefix's own `frequent` fifth, if any), the prefix as a word, then all
//!   longer words merged. Children's keys are `prefix` and
//!   one more letter. A term walks its own prefixes from "" (a leaf, or the
//!   root, which has no file): a leaf's file answers it; a split answers it
//!   if the term ends within the split's prefix, else the walk goes on past
//!   that prefix; a missing key means no word starts with the term.
//! - `data/search/d<i>.js`: documents `i * per_file` on, `per_file` of
//!   them (4), as they show (their text cut for snippets:
//!   `search_index::SHOWN_BODY_CHARS`). A query ranks from the words files
//!   alone and loads these for the results it shows only.
//! - `data/search/f<key>.js`: the set of documents of a facet key (`kissue`
//!   a kind, `p3` the fourth product, `sblocking` a severity), and
//!   `data/search/filters.js`, the choices the search page offers:
//!   `{kinds, products, severities}`, each a list of `[key, label]`.
//! - `data/search/v<ab>.js`: the typo fallback's vocabulary, the words of
//!   letters a to z (three or more) that start with `ab`, space-separated,
//!   most documents first; the manifest's `vocabulary` is the set of
//!   groups that have a file (`aa` 0, `ab` 1, `ba` 26).
//!
//! A set of documents is a string: gaps between numbers in base-32 digits,
//! or `~` and a bitmap, six documents a digit, whichever is shorter. Every
//! file is a script that sets `window.UPGRADE_ATLAS_SEARCH` (the manifest)
//! or one entry of `window.UPGRADE_ATLAS_SEARCH_PARTS`, by [`part_script`].

use rayon::prelude::*;

use super::search_index::{self, Documents, SearchDocument};
use super::urls::Urls;
use crate::diag::Diagnostic;
use crate::markdown::plain_text;
use crate::model::{Issue, Model, NodeId, Severity};

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
                let body = self.issue_text(&version.issues[i]);
                (
                    format!("{url}#{}", issue_anchor(i)),
                    body,
                    self.version_title(p, v),
                )
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
                let body = self.issue_text(&scenario.issues[i]);
                (
                    format!("{url}#{}", issue_anchor(i)),
                    body,
                    scenario.title.clone(),
                )
            }
            Source::Component(c) => {
                let component = &model.components[c];
                let url = site_url(urls, &Urls::component(model, c));
                // Found by its id too: `usrmerge` names "Merged /usr"; last,
                // so that a snippet starts with what a reader wrote.
                let body = text(&[component.summary.as_deref(), Some(&component.id)]);
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
        let facets = self.facets(d);
        SearchDocument {
            t,
            u,
            k,
            b,
            c,
            facets,
        }
    }
}

/// The anchor of a scenario's or version's own issue on its page, by its
/// place in the list (from 0): `issue-1` for the first.
pub fn issue_anchor(i: usize) -> String {
    format!("issue-{}", i + 1)
}

/// The facet key of a product: `p` and its place in the model.
pub fn product_facet(p: usize) -> String {
    format!("p{p}")
}

/// The facet key of a severity: `s` and its word.
pub fn severity_facet(severity: Severity) -> String {
    format!("s{}", severity.word())
}

impl SiteDocuments<'_> {
    /// An issue's text: its body, and the versions it needs the server to
    /// have started as, in the words its page uses.
    fn issue_text(&self, issue: &Issue) -> String {
        let originally = issue.originally.as_ref().map(|nodes| {
            let names: Vec<String> = nodes.iter().map(|n| self.model.node_title(*n)).collect();
            let words = &self.model.site.messages;
            let versions = names.join(&words.text("list-separator", &[]));
            words.text(
                "search-only-if-originally",
                &[("versions", versions.into())],
            )
        });
        text(&[issue.body.as_deref(), originally.as_deref()])
    }

    /// What a document can be narrowed by, besides its kind: the products
    /// it belongs to, and an issue's severity.
    fn facets(&self, d: usize) -> Vec<String> {
        let model = self.model;
        let products_of = |nodes: &mut dyn Iterator<Item = &NodeId>| {
            let mut products: Vec<usize> = nodes.map(|n| model.nodes[*n].product).collect();
            products.sort_unstable();
            products.dedup();
            products.into_iter().map(product_facet).collect::<Vec<_>>()
        };
        match self.sources[d] {
            Source::Product(p) | Source::Version(p, _) => vec![product_facet(p)],
            Source::VersionIssue(p, v, i) => vec![
                product_facet(p),
                severity_facet(model.products[p].versions[v].issues[i].severity),
            ],
            Source::Scenario(s) => {
                let scenario = &model.scenarios[s];
                products_of(&mut scenario.from.iter().chain(&scenario.to))
            }
            Source::ScenarioIssue(s, i) => {
                let scenario = &model.scenarios[s];
                let mut facets = products_of(&mut scenario.from.iter().chain(&scenario.to));
                facets.push(severity_facet(scenario.issues[i].severity));
                facets
            }
            Source::Component(_) => Vec::new(),
            Source::Stack(s) => {
                let mut members = model.stacks[s].members.clone();
                members.sort_unstable();
                members.dedup();
                members.into_iter().map(product_facet).collect()
            }
        }
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
    let filters = filter_choices(model, &documents);
    files.push((
        "data/search/filters.js".to_owned(),
        part_script("UPGRADE_ATLAS_SEARCH_PARTS", "filters", &filters),
    ));
    files.par_extend(index.parts.into_par_iter().map(|(name, json)| {
        let script = part_script("UPGRADE_ATLAS_SEARCH_PARTS", &name, &json);
        (format!("data/search/{name}.js"), script)
    }));
    files
}

/// What the search page offers to narrow results by, each choice as
/// `[facet key, label]` (the facet files `data/search/f<key>.js`): the
/// kinds of document the site has, its products, the severities its
/// issues have. JSON.
fn filter_choices(model: &Model, documents: &SiteDocuments) -> String {
    let mut kinds: Vec<&'static str> = documents
        .sources
        .iter()
        .map(|source| source.kind())
        .collect();
    kinds.sort_unstable_by_key(|k| KINDS.iter().position(|known| known == k));
    kinds.dedup();
    let kinds: Vec<[String; 2]> = (kinds.into_iter())
        .map(|k| {
            [
                search_index::kind_facet(k),
                kind_label(&model.site.messages, k),
            ]
        })
        .collect();
    let products: Vec<[String; 2]> = (model.products.iter().enumerate())
        .map(|(p, product)| [product_facet(p), product.name.clone()])
        .collect();
    let mut severities: Vec<Severity> =
        (model.scenarios.iter())
            .flat_map(|s| s.issues.iter().map(|i| i.severity))
            .chain(model.products.iter().flat_map(|p| {
                (p.versions.iter()).flat_map(|v| v.issues.iter().map(|i| i.severity))
            }))
            .collect();
    severities.sort_unstable();
    severities.dedup();
    let severities: Vec<[String; 2]> = (severities.into_iter())
        .map(|s| {
            let label = model
                .site
                .messages
                .text(&format!("severity-{}", s.word()), &[]);
            [severity_facet(s), label]
        })
        .collect();
    serde_json::json!({ "kinds": kinds, "products": products, "severities": severities })
        .to_string()
}

/// A kind of document as readers see it (`script-kind-issue`: the
/// search page shows each result's kind with the same message).
fn kind_label(words: &crate::i18n::Messages, kind: &str) -> String {
    words.text(&format!("script-kind-{}", kind.to_ascii_lowercase()), &[])
}

/// The kinds of document, in the order the filter lists them.
const KINDS: [&str; 6] = [
    "Product",
    "Version",
    "Scenario",
    "Issue",
    "Component",
    "Stack",
];

impl Source {
    fn kind(self) -> &'static str {
        match self {
            Source::Product(_) => "Product",
            Source::Version(..) => "Version",
            Source::VersionIssue(..) | Source::ScenarioIssue(..) => "Issue",
            Source::Scenario(_) => "Scenario",
            Source::Component(_) => "Component",
            Source::Stack(_) => "Stack",
        }
    }
}

/// Text as a single-quoted JavaScript string for a script file of its own
/// (the data files are loaded with `<script src>`, never inlined, so `<`
/// needs no escape). JSON and HTML quote with `"`, which this leaves as it
/// is: a double-quoted string escaped every one of them, about 1 MB of the
/// 10,000-scenario search data. U+2028 and U+2029 are escaped for engines
/// older than ES2019.
pub fn single_quoted(text: &str) -> String {
    let mut literal = String::with_capacity(text.len() + 2);
    literal.push('\'');
    for c in text.chars() {
        match c {
            '\\' => literal.push_str("\\\\"),
            '\'' => literal.push_str("\\'"),
            '\n' => literal.push_str("\\n"),
            '\r' => literal.push_str("\\r"),
            '\u{2028}' => literal.push_str("\\u2028"),
            '\u{2029}' => literal.push_str("\\u2029"),
            _ => literal.push(c),
        }
    }
    literal.push('\'');
    literal
}

/// A script that defines `window[name]` from JSON text, parsed with
/// `JSON.parse` from a [`single_quoted`] string: an engine reads large data
/// faster so than as a literal.
pub fn script(name: &str, json: &str) -> String {
    format!("window.{name} = JSON.parse({});\n", single_quoted(json))
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
        single_quoted(json)
    )
}

/// A warning when the largest of `files` (path, bytes) passes
/// [`SEARCH_FILE_WARNING_BYTES`]: a query may have to load it.
pub fn size_warning(files: &[(String, String)]) -> Option<Diagnostic> {
    let (path, text) = files.iter().max_by_key(|(path, text)| (text.len(), path))?;
    (text.len() > SEARCH_FILE_WARNING_BYTES).then(|| {
        Diagnostic::warning_at_path(
            "content",
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
    fn parts_are_one_statement_of_parsed_json() {
        let out = part_script("P", "d3", r#"[{"t":"a"}]"#);
        assert_eq!(
            out,
            "(window.P = window.P || {})[\"d3\"] = JSON.parse('[{\"t\":\"a\"}]');\n"
        );
        let out = script("UA", "[]");
        assert_eq!(out, "window.UA = JSON.parse('[]');\n");
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
