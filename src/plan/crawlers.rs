//! The files a site has for machines rather than readers: robots.txt,
//! sitemap.xml and the Atom feeds. Each is planned as a page of its own
//! template (`robots.txt`, `sitemap.xml`, `atom.xml`), so that a theme can
//! replace them as it replaces any page, and the template escapes.

use serde::Serialize;

use super::feed::ATOM_TEMPLATE;
use super::{Page, PageId, Planner};
use crate::layout;

/// What the `robots.txt` template is rendered with.
#[derive(Serialize)]
struct RobotsView {
    /// The site's address, ending in `/`, when it is known.
    base_url: Option<String>,
}

/// What the `sitemap.xml` template is rendered with.
#[derive(Serialize)]
struct SitemapView {
    /// The absolute address of every page to list.
    urls: Vec<String>,
}

fn page(path: &str, template: &'static str, view: impl Serialize + Send + 'static) -> Page {
    Page::of_view(path.to_owned(), template, view)
}

impl Planner<'_> {
    /// robots.txt, then sitemap.xml and the feeds when the site's address
    /// is known (and a feed has an entry), given the site's pages.
    pub fn crawler_pages(&self, pages: &[PageId]) -> Vec<Page> {
        let base = self.base_url.as_deref();
        let robots = RobotsView {
            base_url: base.map(str::to_owned),
        };
        let mut planned = vec![page(layout::ROBOTS, layout::ROBOTS, robots)];
        if let Some(base) = base {
            let sitemap = SitemapView {
                urls: self
                    .listed_pages(pages)
                    .map(|page| self.urls.absolute(base, &page))
                    .collect(),
            };
            planned.push(page(layout::SITEMAP, layout::SITEMAP, sitemap));
        }
        for feed in self.feeds() {
            planned.push(page(feed.path, ATOM_TEMPLATE, feed.view.clone()));
        }
        planned
    }

    /// Every page but the 404, the redirects and the API's files, which
    /// are not pages to list.
    fn listed_pages<'p>(&'p self, pages: &'p [PageId]) -> impl Iterator<Item = String> + 'p {
        pages
            .iter()
            .filter(|id| !matches!(id, PageId::NotFound | PageId::Redirect(_)))
            .map(|id| self.path_of(*id))
            .filter(|path| path.ends_with(".html"))
    }
}
