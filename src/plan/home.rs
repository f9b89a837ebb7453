//! The home page and the product listings.

use crate::model::NodeId;

use super::*;

impl Planner<'_> {
    pub(super) fn home_page(&self, reach: &Reach) -> Page {
        let model = self.model;
        let path = urls::HOME.to_owned();
        let frame = self.frame(&path, model.site.title.clone(), Vec::new());
        let products = (0..model.products.len().min(HOME_PRODUCTS))
            .map(|p| self.product_card(&path, p))
            .collect();
        // The most common targets: the versions reachable from the most others.
        let mut most_reached: Vec<(usize, NodeId)> = (0..model.nodes.len())
            .map(|to| (reach.sources[to].len(), to))
            .filter(|(sources, _)| *sources > 0)
            .collect();
        most_reached.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let targets = most_reached
            .into_iter()
            .take(6)
            .map(|(sources, node)| TargetCard {
                link: self.node_link(&path, node),
                reached_from: sources,
            })
            .collect();
        let mut released: Vec<(&str, NodeId)> = (0..model.nodes.len())
            .filter_map(|n| model.version(n).released.as_deref().map(|d| (d, n)))
            .collect();
        released.sort_by(|a, b| b.0.cmp(a.0).then(a.1.cmp(&b.1)));
        let releases = released
            .into_iter()
            .take(6)
            .map(|(date, node)| Release {
                link: self.node_link(&path, node),
                released: date.to_owned(),
            })
            .collect();
        let page = HomePage {
            description: model.site.description.clone(),
            products,
            all_products: (model.products.len() > HOME_PRODUCTS).then(|| {
                let title = self.words("all-products", &[]);
                self.link(&path, title, &listing_path(urls::PRODUCTS_DIR, 0))
            }),
            targets,
            releases,
            leaving: self.leaving_next(&path),
            leaving_fixed: model.site.today.is_some(),
            leaving_next: super::support::LEAVING_NEXT,
            counts: Counts {
                products: model.products.len(),
                versions: model.nodes.len(),
                scenarios: model.scenarios.len(),
                components: model.components.len(),
            },
            feeds: self.feed_links(&path),
            stacks: self.stack_links(&path),
        };
        self.make_page(path, "index.html", frame, page)
    }

    pub(super) fn product_card(&self, page: &str, p: usize) -> ProductCard {
        let model = self.model;
        let product = &model.products[p];
        ProductCard {
            link: self.link(page, &product.name, &Urls::product(model, p)),
            vendor: product.vendor.clone(),
            summary: product.summary.clone(),
            versions: product
                .versions
                .iter()
                .take(CARD_VERSIONS)
                .map(|v| self.link(page, &v.name, &Urls::version(model, v.node)))
                .collect(),
            more_versions: product.versions.len().saturating_sub(CARD_VERSIONS),
        }
    }

    /// One page of the index of every product.
    pub(super) fn product_index_page(&self, number: usize) -> Option<Page> {
        let model = self.model;
        let count = model.products.len();
        let pages = self.product_listing_pages();
        if number >= pages {
            return None;
        }
        let path = listing_path(urls::PRODUCTS_DIR, number);
        let frame = self.frame(&path, self.words("products", &[]), Vec::new());
        let first = number * PRODUCTS_PER_PAGE;
        let page = ProductIndexPage {
            products: (first..count.min(first + PRODUCTS_PER_PAGE))
                .map(|p| self.product_card(&path, p))
                .collect(),
            pages: self.listing_links(&path, urls::PRODUCTS_DIR, pages, number),
            count,
        };
        Some(self.make_page(path, "products.html", frame, page))
    }

    /// Links to every page of a listing, the current one without a link.
    pub(super) fn listing_links(
        &self,
        page: &str,
        dir: &str,
        pages: usize,
        current: usize,
    ) -> Vec<PageLink> {
        if pages < 2 {
            return Vec::new();
        }
        (0..pages)
            .map(|i| PageLink {
                number: i + 1,
                url: (i != current).then(|| self.urls.relative(page, &listing_path(dir, i))),
            })
            .collect()
    }
}
