//! Stage 4, plan: the model and its graph -> every page of the site with its
//! URL and template context, plus the data files (search index, path data,
//! API) and the pages for crawlers and feed readers (robots.txt, sitemap,
//! Atom feeds).
//!
//! All links in a context are already relative to the page that will show
//! them; templates only print. Markdown stays Markdown here: the `markdown`
//! filter of the render stage turns it into HTML for the page it lands on.

mod answers;
pub mod api;
mod crawlers;
mod data;
mod diagram;
pub mod feed;
mod finder;
mod highlight;
mod home;
pub mod html;
mod links;
mod matrix;
mod pages;
mod product;
mod redirects;
mod reference;
mod route_map;
pub mod search_index;
mod stack;
mod stops_diagram;
mod support;
#[cfg(test)]
mod tests;
mod timeline;
pub mod urls;
mod version;
mod views;

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::graph::UpgradeGraph;
use crate::model::{Model, NodeId};
pub use answers::MAX_COMBINED_CONDITIONS;
use answers::{Analysis, analyse};
pub use data::single_quoted;
pub use finder::{FORMAT as FINDER_FORMAT, script_literal};
pub use links::Links;
pub use pages::PageId;
pub use urls::Urls;
use views::*;

/// A page to render: where it goes, with which template, and its context.
pub struct Page {
    pub path: String,
    pub template: &'static str,
    pub context: Context,
}

/// What a page is made from.
pub enum Context {
    /// The page's view, made into the values its template is rendered with
    /// only when it is rendered ([`PageView::context`]): a rebuild that
    /// finds the view unchanged since the last build keeps the page it made
    /// then ([`Page::fingerprint`]).
    Template(Box<dyn PageView>),
    /// A JSON document's bytes, written as they are (the API's files by
    /// version).
    Json(Vec<u8>),
}

/// What a page's file is made from, hashed: its template's name and every
/// value the template is given (or a JSON page's bytes). With the theme, the
/// site's messages and where the page's `@` references lead, it decides the
/// file: two builds that agree on all of them write the same bytes.
pub type Fingerprint = u128;

/// Hashes what a file is made from into a [`Fingerprint`]. BLAKE3, so
/// that a knowledge base cannot make a changed page pass for unchanged by
/// crafting a collision, and stable between releases of Rust.
pub fn fingerprint(parts: &[&[u8]]) -> Fingerprint {
    let mut hasher = blake3::Hasher::new();
    for part in parts {
        // Each part's length after it, so that moving bytes between parts
        // changes the hash; after, so that a part starts where BLAKE3's
        // chunks do and is hashed many chunks at a time.
        hasher.update(part);
        hasher.update(&(part.len() as u64).to_le_bytes());
    }
    truncated(&hasher)
}

fn truncated(hasher: &blake3::Hasher) -> Fingerprint {
    let mut fingerprint = [0; 16];
    hasher.finalize_xof().fill(&mut fingerprint);
    u128::from_le_bytes(fingerprint)
}

/// A page's values as the planner made them.
pub trait PageView: Send {
    /// The values its template is rendered with.
    fn context(&self) -> tera::Context;
    /// The hash of `template` and those values, made without building them.
    fn fingerprint(&self, template: &str) -> Fingerprint;
}

struct View<T>(T);

impl<T: Serialize + Send> PageView for View<T> {
    fn context(&self) -> tera::Context {
        tera::Context::from_serialize(&self.0).expect("page contexts serialize")
    }

    fn fingerprint(&self, template: &str) -> Fingerprint {
        let mut hasher = blake3::Hasher::new();
        // Buffered: serde_json writes a value in many small pieces. The JSON
        // comes first, where BLAKE3's chunks start (see [`fingerprint`]),
        // then the template's name and its length.
        let mut writer = std::io::BufWriter::with_capacity(16 * 1024, &mut hasher);
        serde_json::to_writer(&mut writer, &self.0).expect("page contexts serialize");
        drop(writer);
        hasher.update(template.as_bytes());
        hasher.update(&(template.len() as u64).to_le_bytes());
        truncated(&hasher)
    }
}

impl Page {
    /// A page rendered from `view` through `template`.
    pub fn of_view(
        path: String,
        template: &'static str,
        view: impl Serialize + Send + 'static,
    ) -> Page {
        Page {
            path,
            template,
            context: Context::Template(Box::new(View(view))),
        }
    }

    /// What the page's file is made from, hashed (see [`Fingerprint`]).
    pub fn fingerprint(&self) -> Fingerprint {
        match &self.context {
            Context::Template(view) => view.fingerprint(self.template),
            Context::Json(bytes) => fingerprint(&[self.template.as_bytes(), bytes]),
        }
    }
}

/// A file written as it is, but for the HTML it carries that the theme
/// renders (`fragments`).
pub struct DataFile {
    pub path: String,
    pub bytes: Vec<u8>,
    pub fragments: Option<Fragments>,
}

/// HTML a data file carries that the theme renders: the path finder's
/// issues, through `partials/issue.html`, so that a theme's override
/// reaches the finder as it reaches pages. The render stage renders
/// `template` with each context, then writes the file's bytes, `before`,
/// and the fragments as a JSON array of strings (safe in a script), then
/// `;`.
pub struct Fragments {
    pub template: &'static str,
    pub contexts: Vec<tera::Context>,
    pub before: String,
}

/// The whole site: every page's path and the planner that builds each page
/// when it is rendered, and each data file when they are written
/// ([`Planner::each_file`]), so that only what is being rendered is held in
/// memory at once.
pub struct Plan<'m> {
    pub pages: Vec<PageId>,
    pub planner: Planner<'m>,
}

/// Options that are not part of the knowledge base.
#[derive(Clone, Debug, Default)]
pub struct PlanOptions {
    /// Overrides `base_url` from site.yaml.
    pub base_url: Option<String>,
    /// Where the search index splits its files.
    pub search_limits: search_index::SearchLimits,
}

/// On a version page, up to this many targets get a full answer each; beyond
/// it the page answers for the newest reachable version of each product.
pub const FULL_ANSWERS_LIMIT: usize = 150;
/// Past [`FULL_ANSWERS_LIMIT`], a version page lists at most this many
/// products' newest reachable versions, without hop-by-hop details.
pub const COMPACT_LIMIT: usize = 100;
/// "Can be reached from" lists at most this many versions.
pub const REACHED_FROM_LIMIT: usize = 60;
/// Matrix tables hold at most this many rows a page.
pub const MATRIX_ROWS_PER_PAGE: usize = 200;
/// And about this many cells a page (at most 300 KB of HTML), whatever
/// the number of columns.
pub const MATRIX_CELLS_PER_PAGE: usize = 1_600;
/// Lists of products (the home page's cards, the product index, the matrix
/// index) show at most this many a page, so that no page grows with the
/// number of products.
pub const PRODUCTS_PER_PAGE: usize = 100;
/// The home page shows this many product cards; the product index has all.
pub const HOME_PRODUCTS: usize = 24;
/// A product card links at most this many of its versions.
pub const CARD_VERSIONS: usize = 12;

pub use crate::layout::{listing_number, listing_path};

/// Who reaches whom under no conditions, kept per target: it grows with
/// the pairs of versions that connect, never with the square of all versions.
pub struct Reach {
    /// For each version: every other version with a path to it, with the
    /// hops of the best path, in version order.
    pub sources: Vec<Vec<(NodeId, u32)>>,
    /// For each version: how many other versions it reaches.
    pub reachable: Vec<usize>,
}

impl Reach {
    fn new(edges: &crate::graph::Edges) -> Reach {
        let nodes = edges.model.nodes.len();
        let sources: Vec<Vec<(NodeId, u32)>> = (0..nodes)
            .into_par_iter()
            .map(|to| edges.sources_of(to))
            .collect();
        let mut reachable = vec![0; nodes];
        for (from, _) in sources.iter().flatten() {
            reachable[*from] += 1;
        }
        Reach { sources, reachable }
    }

    /// The hops of the best path from `from` to `to`; `Some(0)` for itself.
    pub fn hops(&self, from: NodeId, to: NodeId) -> Option<u32> {
        if from == to {
            return Some(0);
        }
        let sources = &self.sources[to];
        sources
            .binary_search_by_key(&from, |(node, _)| *node)
            .ok()
            .map(|i| sources[i].1)
    }
}

/// Plans the whole site: the path of every page, and the data files. The
/// pages themselves are planned one at a time by [`Planner::page`] as the
/// render stage asks for them (in parallel there, or on demand in `serve`).
pub fn plan<'m>(model: &'m Model, options: &PlanOptions) -> Plan<'m> {
    let planner = Planner::new(model, options);
    let pages = planner.page_ids();
    Plan { pages, planner }
}

/// Knows every page of the site and builds any one of them on demand, so
/// that `build` can plan them all and `serve` only those a browser asks for.
pub struct Planner<'m> {
    model: &'m Model,
    analysis: Analysis<'m>,
    pub urls: Urls,
    site: SiteView,
    base_url: Option<String>,
    search_limits: search_index::SearchLimits,
    /// For each version, the scenarios whose from, to or via names it.
    mentions: Vec<Vec<usize>>,
    /// Who reaches whom, computed when a page first needs it.
    reach: std::sync::OnceLock<Arc<Reach>>,
    /// The Atom feeds, made when the home page or the data files first need them.
    feeds: std::sync::OnceLock<Vec<feed::FeedFile>>,
    /// For each product, the requirements (format 1.2) that name it.
    requirements_index: std::sync::OnceLock<Vec<Vec<(NodeId, usize)>>>,
}

impl<'m> Planner<'m> {
    pub fn new(model: &'m Model, options: &PlanOptions) -> Self {
        let analysis = analyse(&UpgradeGraph::new(model));
        let base_url = options
            .base_url
            .clone()
            .or_else(|| model.site.base_url.clone());
        Planner {
            model,
            urls: Urls {
                pretty: model.site.pretty_urls,
            },
            site: SiteView {
                title: model.site.title.clone(),
                language: model.site.language.clone(),
                dir: crate::i18n::direction(&model.site.language),
                base_url: base_url.clone(),
            },
            base_url,
            search_limits: options.search_limits,
            mentions: mentions(model),
            analysis,
            reach: std::sync::OnceLock::new(),
            feeds: std::sync::OnceLock::new(),
            requirements_index: std::sync::OnceLock::new(),
        }
    }

    /// One backward search per version: the sources and hop counts behind
    /// the matrix, "can be reached from" and the home page's targets.
    fn reach(&self) -> &Reach {
        self.reach
            .get_or_init(|| Arc::new(Reach::new(&self.analysis.default)))
    }

    /// The data files, and the warnings that making them gave.
    pub fn files(&self) -> (Vec<DataFile>, Vec<crate::diag::Diagnostic>) {
        let mut files = Vec::new();
        let warnings = self.each_file(&mut |file| files.push(file));
        (files, warnings)
    }

    /// Makes the data files a group at a time (search, path finder, API;
    /// robots.txt, the sitemap and the feeds are pages, see
    /// [`Planner::crawler_pages`], and `content/static/` is copied by
    /// `write`, which reads it), handing each file to `deliver` as soon as
    /// its group is made, and returns the warnings making them gave. They
    /// used to be made before the pages and held until the end: the build's
    /// peak at 100,000 scenarios fell from 3.5 to 2.7 GiB without that.
    pub fn each_file(&self, deliver: &mut dyn FnMut(DataFile)) -> Vec<crate::diag::Diagnostic> {
        let model = self.model;
        let urls = self.urls;
        let search = data::search_files(model, urls, self.search_limits);
        let warnings = data::size_warning(&search).into_iter().collect();
        for (path, text) in search {
            deliver(DataFile {
                path,
                bytes: text.into_bytes(),
                fragments: None,
            });
        }
        self.finder_files().into_iter().for_each(&mut *deliver);
        deliver(messages_file(model));
        api::files(model, urls).into_iter().for_each(&mut *deliver);
        warnings
    }
}

/// The site's path of the scripts' messages, which `common.js` loads.
pub const MESSAGES_SCRIPT: &str = "data/messages.js";

/// `data/messages.js`: the messages the scripts show, in the site's
/// language: `common.js` loads it as the page is read, before any script
/// after it, and formats them.
fn messages_file(model: &Model) -> DataFile {
    let messages = &model.site.messages;
    let table: serde_json::Map<String, serde_json::Value> = (messages.script_table())
        .into_iter()
        .map(|(key, pattern)| (key.to_owned(), pattern))
        .collect();
    let json = serde_json::json!({"language": messages.language(), "messages": table});
    let literal = finder::script_literal(&json.to_string());
    DataFile {
        path: MESSAGES_SCRIPT.to_owned(),
        bytes: format!("window.UpgradeAtlasMessages = {literal};\n").into_bytes(),
        fragments: None,
    }
}

/// The documents the search index is made of, in the order the site lists
/// them: what a plain scan of every document would search.
pub fn search_documents(model: &Model) -> Vec<search_index::SearchDocument> {
    let urls = Urls {
        pretty: model.site.pretty_urls,
    };
    data::SiteDocuments::new(model, urls).all()
}

fn mentions(model: &Model) -> Vec<Vec<usize>> {
    let mut mentions = vec![Vec::new(); model.nodes.len()];
    for (s, scenario) in model.scenarios.iter().enumerate() {
        let mut nodes: Vec<NodeId> = scenario
            .from
            .iter()
            .chain(&scenario.to)
            .chain(&scenario.via)
            .copied()
            .collect();
        nodes.sort_unstable();
        nodes.dedup();
        for node in nodes {
            mentions[node].push(s);
        }
    }
    mentions
}

impl Planner<'_> {
    /// The site's messages, for the prose the plan writes.
    fn messages(&self) -> &crate::i18n::Messages {
        &self.model.site.messages
    }

    /// A message as plain text, in the site's language.
    fn words(&self, key: &str, args: &[(&str, crate::i18n::Arg)]) -> String {
        self.model.site.messages.text(key, args)
    }

    /// `Blocking`, `Warning`, `Info`, in the site's language.
    fn severity_label(&self, severity: crate::model::Severity) -> String {
        self.words(&format!("severity-{}", severity.word()), &[])
    }

    fn link(&self, from: &str, title: impl Into<String>, to: &str) -> Link {
        Link {
            title: title.into(),
            url: self.urls.relative(from, to),
        }
    }

    /// A link written in content: site-relative paths become relative to the page.
    fn outside(&self, page: &str, link: &crate::model::Link) -> Link {
        Link {
            title: link.title.clone(),
            url: self.urls.written(page, &link.url),
        }
    }

    fn component_link(&self, from: &str, component: usize) -> Link {
        let name = &self.model.components[component].name;
        self.link(from, name, &Urls::component(self.model, component))
    }

    fn alternatives(alternatives: &[crate::model::Alternative]) -> Vec<AlternativeView> {
        alternatives
            .iter()
            .map(|a| AlternativeView {
                title: a.title.clone(),
                body: a.body.clone(),
            })
            .collect()
    }

    fn node_link(&self, from: &str, node: NodeId) -> Link {
        self.link(
            from,
            self.model.node_title(node),
            &Urls::version(self.model, node),
        )
    }

    fn frame(&self, path: &str, title: String, crumbs: Vec<(String, String)>) -> Frame {
        let mut breadcrumbs = vec![self.link(path, self.words("home", &[]), urls::HOME)];
        breadcrumbs.extend(crumbs.into_iter().map(|(t, to)| self.link(path, t, &to)));
        Frame {
            site: self.site.clone(),
            page_path: path.to_owned(),
            title,
            breadcrumbs,
            home_url: self.urls.relative(path, urls::HOME),
            matrix_url: self.urls.relative(path, urls::MATRIX),
            paths_url: self.urls.relative(path, urls::PATHS),
            search_url: self.urls.relative(path, urls::SEARCH),
            root_url: self.urls.relative(path, ""),
            assets_url: self.urls.relative(path, "assets/"),
            canonical: (self.site.base_url.as_ref()).map(|base| self.urls.absolute(base, path)),
        }
    }

    fn make_page<T: Serialize + Send + 'static>(
        &self,
        path: String,
        template: &'static str,
        frame: Frame,
        page: T,
    ) -> Page {
        Page::of_view(path, template, PageContext { frame, page })
    }

    /// Search and 404 need only the frame.
    fn simple_page(&self, path: &str, template: &'static str, title_key: &str) -> Page {
        let frame = self.frame(path, self.words(title_key, &[]), Vec::new());
        self.make_page(path.to_owned(), template, frame, FinderPage::default())
    }

    /// The path finder: the same page whatever the knowledge base holds,
    /// since its script fills the choices from the finder's data.
    fn finder_page(&self) -> Page {
        let path = urls::PATHS;
        let frame = self.frame(path, self.words("path-finder", &[]), Vec::new());
        self.make_page(path.to_owned(), "paths.html", frame, FinderPage::default())
    }
}
