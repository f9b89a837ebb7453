//! The site's pages as the planner lists them: which thing each shows.
//! `build` renders them from this list, never from their paths; only a
//! path a browser asks `serve` for is parsed back ([`Planner::page_at`]).

use super::{Page, Planner, Urls, api, listing_path, urls, version};
use crate::layout::{self, SitePath};
use crate::model::NodeId;

/// A page of the site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageId {
    Home,
    Finder,
    Search,
    NotFound,
    /// Page `n` (from 0) of the list of products.
    ProductIndex(usize),
    /// The whole matrix, or page `n` (from 0) of the index of its tables.
    MatrixIndex(usize),
    /// Page `chunk` (from 0) of a product's matrix table.
    MatrixTable {
        product: usize,
        chunk: usize,
    },
    Product(usize),
    Version(NodeId),
    Scenario(usize),
    Component(usize),
    Stack(usize),
    /// The page an old id leaves behind (`moved_from`), by its index.
    Redirect(usize),
    /// A version's file under `api/v1/products/`.
    VersionApi(NodeId),
}

impl Planner<'_> {
    /// How many pages a list of every product takes (the product index,
    /// the matrix's index): one at least.
    pub(super) fn product_listing_pages(&self) -> usize {
        self.model
            .products
            .len()
            .div_ceil(super::PRODUCTS_PER_PAGE)
            .max(1)
    }

    /// Every page of the site, in a stable order.
    pub fn page_ids(&self) -> Vec<PageId> {
        let model = self.model;
        let mut pages = vec![PageId::Home];
        pages.extend((0..model.products.len()).map(PageId::Product));
        pages.extend((0..model.nodes.len()).map(PageId::Version));
        pages.extend((0..model.scenarios.len()).map(PageId::Scenario));
        pages.extend((0..model.components.len()).map(PageId::Component));
        pages.extend((0..model.stacks.len()).map(PageId::Stack));
        pages.extend((0..model.redirects.len()).map(PageId::Redirect));
        let listing_pages = self.product_listing_pages();
        pages.extend((0..listing_pages).map(PageId::ProductIndex));
        pages.extend(self.matrix_pages(self.reach()));
        pages.extend([PageId::Finder, PageId::Search, PageId::NotFound]);
        pages.extend((0..model.nodes.len()).map(PageId::VersionApi));
        pages
    }

    /// Every page's path, in the order of [`Planner::page_ids`].
    pub fn page_paths(&self) -> Vec<String> {
        self.page_ids()
            .into_iter()
            .map(|id| self.path_of(id))
            .collect()
    }

    /// Where a page is, from the site root.
    pub fn path_of(&self, id: PageId) -> String {
        let model = self.model;
        match id {
            PageId::Home => urls::HOME.to_owned(),
            PageId::Finder => urls::PATHS.to_owned(),
            PageId::Search => urls::SEARCH.to_owned(),
            PageId::NotFound => urls::NOT_FOUND.to_owned(),
            PageId::ProductIndex(n) => listing_path(urls::PRODUCTS_DIR, n),
            PageId::MatrixIndex(n) => listing_path(layout::MATRIX_DIR, n),
            PageId::MatrixTable { product, chunk } => self.matrix_chunk_path(product, chunk),
            PageId::Product(p) => Urls::product(model, p),
            PageId::Version(node) => Urls::version(model, node),
            PageId::Scenario(s) => Urls::scenario(model, s),
            PageId::Component(c) => Urls::component(model, c),
            PageId::Stack(s) => SitePath::Stack(&model.stacks[s].id).path(),
            PageId::Redirect(r) => model.redirects[r].path.clone(),
            PageId::VersionApi(node) => api::version_path(model, node),
        }
    }

    /// Which page a path is, if it is one.
    pub fn page_at(&self, path: &str) -> Option<PageId> {
        let model = self.model;
        if let Ok(at) = (model.redirects).binary_search_by(|r| r.path.as_str().cmp(path)) {
            return Some(PageId::Redirect(at));
        }
        let node = |product: &str, version: &str| {
            let product = &model.products[model.product_index(product)?];
            (product.versions.iter())
                .find(|v| v.id == version)
                .map(|v| v.node)
        };
        let listing_pages = self.product_listing_pages();
        Some(match SitePath::parse(path)? {
            SitePath::Home => PageId::Home,
            SitePath::Finder => PageId::Finder,
            SitePath::Search => PageId::Search,
            SitePath::NotFound => PageId::NotFound,
            SitePath::ProductIndex(n) if n < listing_pages => PageId::ProductIndex(n),
            SitePath::ProductIndex(_) => return None,
            SitePath::Matrix(_) => return self.matrix_page_at(path, self.reach()),
            SitePath::Product(id) => PageId::Product(model.product_index(id)?),
            SitePath::Version { product, version } => PageId::Version(node(product, version)?),
            SitePath::Scenario(id) => PageId::Scenario(model.scenario_index(id)?),
            SitePath::Component(id) => PageId::Component(model.component_index(id)?),
            SitePath::Stack(id) => PageId::Stack(model.stacks.iter().position(|s| s.id == id)?),
            SitePath::VersionApi { product, version } => {
                PageId::VersionApi(node(product, version)?)
            }
        })
    }

    /// The page at a site path, if there is one.
    pub fn page(&self, path: &str) -> Option<Page> {
        self.page_of(self.page_at(path)?)
    }

    /// A page, planned. `None` only for a matrix page that the tables no
    /// longer have, which [`Planner::page_ids`] never lists.
    pub fn page_of(&self, id: PageId) -> Option<Page> {
        let model = self.model;
        let reach = || self.reach();
        Some(match id {
            PageId::Home => self.home_page(reach()),
            PageId::Finder => self.finder_page(),
            PageId::Search => self.simple_page(urls::SEARCH, "search.html", "search"),
            PageId::NotFound => self.simple_page(urls::NOT_FOUND, "404.html", "not-found-title"),
            PageId::ProductIndex(n) => self.product_index_page(n)?,
            PageId::MatrixIndex(n) => self.matrix_index_page(n, reach()),
            PageId::MatrixTable { product, chunk } => {
                self.matrix_table_page(product, chunk, reach())?
            }
            PageId::Product(p) => self.product_page(p),
            PageId::Version(node) => self.version_page(node, reach()),
            PageId::Scenario(s) => self.scenario_page(s),
            PageId::Component(c) => self.component_page(c),
            PageId::Stack(s) => self.stack_page(s),
            PageId::Redirect(r) => {
                let redirect = &model.redirects[r];
                self.redirect_page(&redirect.path, redirect.to)
            }
            PageId::VersionApi(node) => Page {
                path: self.path_of(id),
                template: api::JSON_PAGE,
                context: super::Context::Json(api::version(
                    model,
                    self.urls,
                    &self.analysis.default,
                    node,
                    super::FULL_ANSWERS_LIMIT,
                    |reached| version::newest_per_product(model, reached),
                )),
            },
        })
    }
}
