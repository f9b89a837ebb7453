//! Where every page and file of a site lives. [`SitePath`] names a page by
//! ids, builds its path and parses a path back, so that the two never
//! disagree; [`TOP_LEVEL`], the names a site uses at its root, is what
//! `content/static/` may not use. It knows paths only: which ids exist is
//! the model's business, so `resolve` (reserved names) and `plan` (pages)
//! both use it.

/// A page's file inside its folder.
pub const PAGE_FILE: &str = "index.html";
pub const HOME: &str = "index.html";
/// The page a static host shows for a missing path.
pub const NOT_FOUND: &str = "404.html";
pub const ROBOTS: &str = "robots.txt";
pub const SITEMAP: &str = "sitemap.xml";
pub const SCENARIOS_FEED: &str = "feed.xml";
pub const SUPPORT_FEED: &str = "support.xml";
/// The folder of product pages, whose own index lists every product.
pub const PRODUCTS_DIR: &str = "products";
pub const SCENARIOS_DIR: &str = "scenarios";
pub const COMPONENTS_DIR: &str = "components";
/// Format 1.2's stack pages; taken only by a site that has stacks, so that
/// a static folder of that name in an older base still builds.
pub const STACKS_DIR: &str = "stacks";
pub const MATRIX_DIR: &str = "matrix";
/// The first page of the matrix.
pub const MATRIX: &str = "matrix/index.html";
pub const PATHS: &str = "paths/index.html";
pub const SEARCH: &str = "search/index.html";
pub const ASSETS_DIR: &str = "assets";
pub const DATA_DIR: &str = "data";
pub const API_DIR: &str = "api";
const API_PRODUCTS: &str = "api/v1/products/";

/// Every name a site can use at its root.
pub const TOP_LEVEL: &[&str] = &[
    HOME,
    NOT_FOUND,
    ROBOTS,
    SITEMAP,
    SCENARIOS_FEED,
    SUPPORT_FEED,
    PRODUCTS_DIR,
    SCENARIOS_DIR,
    COMPONENTS_DIR,
    STACKS_DIR,
    MATRIX_DIR,
    "paths",
    "search",
    ASSETS_DIR,
    DATA_DIR,
    API_DIR,
];

/// A page of the site, by the ids in its path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SitePath<'a> {
    Home,
    Finder,
    Search,
    NotFound,
    /// The list of products, page `n` from 0.
    ProductIndex(usize),
    /// A page under `matrix/`: the matrix plans its own pages.
    Matrix(&'a str),
    Product(&'a str),
    Version {
        product: &'a str,
        version: &'a str,
    },
    Scenario(&'a str),
    Component(&'a str),
    Stack(&'a str),
    /// A version's file under `api/v1/products/`.
    VersionApi {
        product: &'a str,
        version: &'a str,
    },
}

impl<'a> SitePath<'a> {
    /// The path of the page from the site root.
    pub fn path(self) -> String {
        match self {
            SitePath::Home => HOME.into(),
            SitePath::Finder => PATHS.into(),
            SitePath::Search => SEARCH.into(),
            SitePath::NotFound => NOT_FOUND.into(),
            SitePath::ProductIndex(n) => listing_path(PRODUCTS_DIR, n),
            SitePath::Matrix(rest) => format!("{MATRIX_DIR}/{rest}"),
            SitePath::Product(id) => format!("{PRODUCTS_DIR}/{id}/{PAGE_FILE}"),
            SitePath::Version { product, version } => {
                format!("{PRODUCTS_DIR}/{product}/{version}/{PAGE_FILE}")
            }
            SitePath::Scenario(id) => format!("{SCENARIOS_DIR}/{id}/{PAGE_FILE}"),
            SitePath::Component(id) => format!("{COMPONENTS_DIR}/{id}/{PAGE_FILE}"),
            SitePath::Stack(id) => format!("{STACKS_DIR}/{id}/{PAGE_FILE}"),
            SitePath::VersionApi { product, version } => {
                format!("{API_PRODUCTS}{product}/{version}.json")
            }
        }
    }

    /// The page at `path`, if a page can live there; whether its ids exist
    /// is for the caller to say.
    pub fn parse(path: &'a str) -> Option<SitePath<'a>> {
        match path {
            HOME => return Some(SitePath::Home),
            PATHS => return Some(SitePath::Finder),
            SEARCH => return Some(SitePath::Search),
            NOT_FOUND => return Some(SitePath::NotFound),
            _ => {}
        }
        if let Some(n) = listing_number(path, PRODUCTS_DIR) {
            return Some(SitePath::ProductIndex(n));
        }
        if let Some(rest) = path
            .strip_prefix(MATRIX_DIR)
            .and_then(|r| r.strip_prefix('/'))
        {
            return Some(SitePath::Matrix(rest));
        }
        if let Some(rest) = path.strip_prefix(API_PRODUCTS) {
            let (product, version) = rest.strip_suffix(".json")?.split_once('/')?;
            return Some(SitePath::VersionApi { product, version });
        }
        let (dir, rest) = path
            .strip_suffix(PAGE_FILE)?
            .strip_suffix('/')?
            .split_once('/')?;
        let one = |id: &'a str| (!id.is_empty() && !id.contains('/')).then_some(id);
        match dir {
            SCENARIOS_DIR if !rest.is_empty() => Some(SitePath::Scenario(rest)),
            COMPONENTS_DIR => one(rest).map(SitePath::Component),
            STACKS_DIR => one(rest).map(SitePath::Stack),
            PRODUCTS_DIR => match rest.split_once('/') {
                None => one(rest).map(SitePath::Product),
                Some((product, version)) => Some(SitePath::Version {
                    product: one(product)?,
                    version: one(version)?,
                }),
            },
            _ => None,
        }
    }
}

/// Page `n` (from 0) of a listing split over several pages:
/// `DIR/index.html`, then `DIR/index-2.html` and so on. No id can take
/// these names: ids hold no `.`, so `index-2.html` is never a product's
/// folder.
pub fn listing_path(dir: &str, n: usize) -> String {
    if n == 0 {
        format!("{dir}/{PAGE_FILE}")
    } else {
        format!("{dir}/index-{}.html", n + 1)
    }
}

/// Which page of the listing in `dir` the path is, from 0.
pub fn listing_number(path: &str, dir: &str) -> Option<usize> {
    let name = path.strip_prefix(dir)?.strip_prefix('/')?;
    if name == PAGE_FILE {
        return Some(0);
    }
    let n: usize = name
        .strip_prefix("index-")?
        .strip_suffix(".html")?
        .parse()
        .ok()?;
    (n >= 2 && listing_path(dir, n - 1) == path).then(|| n - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_parses_back_from_its_path() {
        let pages = [
            SitePath::Home,
            SitePath::Finder,
            SitePath::Search,
            SitePath::NotFound,
            SitePath::ProductIndex(0),
            SitePath::ProductIndex(4),
            SitePath::Matrix("index-2.html"),
            SitePath::Product("acme-server"),
            SitePath::Version {
                product: "acme-server",
                version: "1.10",
            },
            SitePath::Scenario("acme/1.0-to-2.0"),
            SitePath::Component("web-console"),
            SitePath::Stack("app-on-php"),
            SitePath::VersionApi {
                product: "acme-server",
                version: "2.0",
            },
        ];
        for page in pages {
            let path = page.path();
            assert_eq!(SitePath::parse(&path), Some(page), "{path}");
        }
    }

    #[test]
    fn paths_that_are_no_page_do_not_parse() {
        for path in [
            "products/index-1.html",
            "products/index-02.html",
            "products//index.html",
            "products/a/b/c/index.html",
            "components/a/b/index.html",
            "scenarios/index.html",
            "static/index.html",
            "assets/style.css",
            "api/v1/products/acme.json",
        ] {
            assert_eq!(SitePath::parse(path), None, "{path}");
        }
    }

    #[test]
    fn every_top_level_name_is_unique_and_pages_live_under_them() {
        let mut names = TOP_LEVEL.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), TOP_LEVEL.len());
        assert_eq!(listing_path(MATRIX_DIR, 0), MATRIX);
        assert_eq!(
            SitePath::parse(MATRIX),
            Some(SitePath::Matrix("index.html"))
        );
        for path in [PATHS, SEARCH, MATRIX] {
            let top = path.split('/').next().unwrap();
            assert!(TOP_LEVEL.contains(&top), "{path}");
        }
    }
}
