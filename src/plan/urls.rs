//! Where every page lives, and relative links between pages.
//!
//! Every internal link is relative, so the same output works at a domain
//! root, under a sub-path and from `file://`. Unless `pretty_urls` is on, a
//! link to a page names its `index.html`, which `file://` needs.

use crate::layout::SitePath;
use crate::model::{Model, NodeId, Target};

#[derive(Clone, Copy, Debug)]
pub struct Urls {
    pub pretty: bool,
}

pub use crate::layout::{HOME, MATRIX, NOT_FOUND, PATHS, PRODUCTS_DIR, SEARCH};

impl Urls {
    pub fn product(model: &Model, product: usize) -> String {
        SitePath::Product(&model.products[product].id).path()
    }

    pub fn version(model: &Model, node: NodeId) -> String {
        Self::version_path(&model.product_of(node).id, &model.version(node).id)
    }

    pub fn scenario(model: &Model, scenario: usize) -> String {
        Self::scenario_path(&model.scenarios[scenario].id)
    }

    pub fn component(model: &Model, component: usize) -> String {
        Self::component_path(&model.components[component].id)
    }

    /// The page of a version, by ids (the path finder's data gives this
    /// with placeholders, so that its scripts make every version's link).
    pub fn version_path(product: &str, version: &str) -> String {
        SitePath::Version { product, version }.path()
    }

    pub fn scenario_path(scenario: &str) -> String {
        SitePath::Scenario(scenario).path()
    }

    pub fn component_path(component: &str) -> String {
        SitePath::Component(component).path()
    }

    pub fn target(model: &Model, target: Target) -> String {
        match target {
            Target::Product(p) => Self::product(model, p),
            Target::Version(n) => Self::version(model, n),
            Target::Scenario(s) => Self::scenario(model, s),
            Target::Component(c) => Self::component(model, c),
        }
    }

    /// The anchor of one answer on a version page.
    pub fn answer_anchor(model: &Model, to: NodeId) -> String {
        Urls::node_anchor(model, "to", to)
    }

    /// `KIND-PRODUCT-VERSION`: an anchor on a version page for a version
    /// (`to-`, its answer; `stop-`, its entry among the stops; `at-`, its
    /// own issues).
    pub fn node_anchor(model: &Model, kind: &str, node: NodeId) -> String {
        format!(
            "{kind}-{}-{}",
            model.product_of(node).id,
            model.version(node).id
        )
    }

    /// A link written in content, as seen from the page at `from`: paths
    /// from the site root (`files/a.pdf`, `/files/a.pdf`) become relative to
    /// the page, and the root itself (`/`) its home page; addresses with a
    /// scheme, fragments and other hosts (`//host`) stay as written.
    pub fn written(&self, from: &str, url: &str) -> String {
        match crate::markdown::site_path(url) {
            Some(path) if path.is_empty() || path.starts_with(['?', '#']) => {
                self.relative(from, &format!("{HOME}{path}"))
            }
            Some(path) => self.relative(from, path),
            None => url.to_owned(),
        }
    }

    /// The address of the site path `path` on a site published at `base`
    /// (which ends in `/`): for the canonical links, the sitemap and the
    /// feeds, which need absolute addresses.
    pub fn absolute(&self, base: &str, path: &str) -> String {
        format!(
            "{base}{}",
            self.relative(HOME, path).trim_start_matches("./")
        )
    }

    /// A link from the page at `from` (a site path such as
    /// `products/a/1.0/index.html`) to the site path `to`, which may carry a
    /// `?query` or `#fragment`.
    pub fn relative(&self, from: &str, to: &str) -> String {
        let (path, rest) = match to.find(['?', '#']) {
            Some(at) => to.split_at(at),
            None => (to, ""),
        };
        let path = if self.pretty {
            path.strip_suffix("index.html").unwrap_or(path)
        } else {
            path
        };
        // Up only to the folder both share, not to the site's root: a
        // version page links its neighbours as `../12.1/index.html`, which
        // on a long-lived product's pages of hundreds of links is a good
        // part of their bytes.
        let from_folders: Vec<&str> = from.split('/').collect();
        let from_folders = &from_folders[..from_folders.len() - 1];
        let mut shared = 0;
        let mut rest_of_path = path;
        for folder in from_folders {
            match rest_of_path
                .strip_prefix(folder)
                .and_then(|r| r.strip_prefix('/'))
            {
                Some(after) => {
                    shared += 1;
                    rest_of_path = after;
                }
                None => break,
            }
        }
        let mut link = "../".repeat(from_folders.len() - shared) + rest_of_path;
        if link.is_empty() {
            link.push_str("./");
        }
        link + rest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_climb_to_the_root() {
        let urls = Urls { pretty: false };
        assert_eq!(
            urls.relative("index.html", "matrix/index.html"),
            "matrix/index.html"
        );
        assert_eq!(
            urls.relative("products/a/1.0/index.html", "scenarios/x/y/index.html#s"),
            "../../../scenarios/x/y/index.html#s"
        );
        assert_eq!(
            urls.relative("matrix/index.html", "index.html"),
            "../index.html"
        );
        assert_eq!(
            urls.relative("products/a/1.0/index.html", "products/a/2.0/index.html"),
            "../2.0/index.html"
        );
        assert_eq!(
            urls.relative("products/a/1.0/index.html", "products/ab/index.html"),
            "../../ab/index.html"
        );
        assert_eq!(
            urls.relative("products/a/1.0/index.html", "products/a/1.0/index.html#x"),
            "index.html#x"
        );
    }

    #[test]
    fn pretty_links_drop_index_html() {
        let urls = Urls { pretty: true };
        assert_eq!(
            urls.relative("products/a/index.html", "index.html"),
            "../../"
        );
        assert_eq!(urls.relative("index.html", "index.html"), "./");
        assert_eq!(
            urls.relative("products/a/1.0/index.html", "products/a/1.0/index.html"),
            "./"
        );
        assert_eq!(
            urls.relative("products/a/1.0/index.html", "products/a/index.html"),
            "../"
        );
        assert_eq!(
            urls.relative("index.html", "paths/index.html?from=a"),
            "paths/?from=a"
        );
    }
}
