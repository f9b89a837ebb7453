//! Format 1.2: a page at each address that moved (`moved_from`), sending
//! the reader on to the page there now. It works from disk and on any host:
//! a meta refresh, a canonical link, and a plain link for the rest.

use serde::Serialize;

use super::urls::Urls;
use super::views::Link;
use super::{Page, Planner};
use crate::model::Target;

#[derive(Serialize)]
pub struct RedirectPage {
    pub to: Link,
}

impl Planner<'_> {
    pub(super) fn redirect_page(&self, path: &str, to: Target) -> Page {
        let model = self.model;
        let target = Urls::target(model, to);
        let title = match to {
            Target::Product(p) => model.products[p].name.clone(),
            Target::Version(node) => model.node_title(node),
            Target::Scenario(s) => model.scenarios[s].title.clone(),
            Target::Component(c) => model.components[c].name.clone(),
        };
        let heading = self.words("moved-title", &[("title", title.as_str().into())]);
        let mut frame = self.frame(path, heading, Vec::new());
        // The page it moved to is the one search engines should keep.
        frame.canonical = Some(match &self.site.base_url {
            Some(base) => self.urls.absolute(base, &target),
            None => self.urls.relative(path, &target),
        });
        let page = RedirectPage {
            to: self.link(path, title, &target),
        };
        self.make_page(path.to_owned(), "redirect.html", frame, page)
    }
}
