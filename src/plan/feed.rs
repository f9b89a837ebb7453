//! Atom feeds (RFC 4287). The machinery takes any entries (id, title,
//! updated, link, summary); the site has two feeds: `feed.xml`, of the
//! scenarios that carry an `updated` date, newest first, and the support
//! events of `support.rs` (`support.xml`).
//!
//! Atom wants absolute ids, so a feed needs the site's address: without a
//! base URL (`base_url` in site.yaml or `build --base-url`) no feed is
//! written, as no sitemap is. Nor is one written with no entry at all.

use serde::Serialize;

use super::urls::Urls;
use crate::markdown::plain_text;
use crate::model::Model;

pub use crate::layout::SCENARIOS_FEED;

/// A feed holds at most this many entries, the newest: readers poll a
/// feed often, and it need not grow with the knowledge base.
pub const FEED_ENTRIES: usize = 50;

/// One entry of a feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// An absolute URL that stays the entry's for good.
    pub id: String,
    pub title: String,
    /// An ISO date, `YYYY-MM-DD`.
    pub updated: String,
    /// Where the entry's page is, absolute.
    pub link: String,
    /// Plain text.
    pub summary: Option<String>,
}

/// A feed: its title, where it and its site are (absolute), and its entries.
pub struct Feed {
    pub title: String,
    pub self_url: String,
    pub site_url: String,
    pub entries: Vec<Entry>,
}

/// The newest [`FEED_ENTRIES`] entries, by date then id, so that two
/// builds of the same input give the same feed.
pub fn newest(mut entries: Vec<Entry>) -> Vec<Entry> {
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
    entries.truncate(FEED_ENTRIES);
    entries
}

/// Midnight UTC of an ISO date, as Atom's date-time wants it.
fn timestamp(date: &str) -> String {
    format!("{date}T00:00:00Z")
}

/// Text without U+FFFE and U+FFFF, which XML does not allow anywhere
/// (YAML's `"\uFFFE"` writes them) and which made the whole feed
/// ill-formed. The template escapes the rest.
fn xml_text(text: &str) -> String {
    text.replace(['\u{fffe}', '\u{ffff}'], "")
}

/// What the `atom.xml` template is rendered with: the feed, its texts fit
/// for XML and its times as Atom writes them.
#[derive(Clone, Serialize)]
pub struct AtomView {
    pub title: String,
    pub self_url: String,
    pub site_url: String,
    /// The newest entry's time.
    pub updated: String,
    pub entries: Vec<AtomEntry>,
}

/// One entry of [`AtomView`].
#[derive(Clone, Serialize)]
pub struct AtomEntry {
    pub id: String,
    pub title: String,
    pub updated: String,
    pub link: String,
    pub summary: Option<String>,
}

/// The feed as the `atom.xml` template shows it, or `None` when it has no
/// entry (Atom asks a feed for an `updated` time, which an empty one does
/// not have).
pub fn atom(feed: &Feed) -> Option<AtomView> {
    let updated = feed.entries.iter().map(|e| e.updated.as_str()).max()?;
    let entries = feed
        .entries
        .iter()
        .map(|entry| AtomEntry {
            id: xml_text(&entry.id),
            title: xml_text(&entry.title),
            updated: timestamp(&entry.updated),
            link: xml_text(&entry.link),
            summary: entry.summary.as_deref().map(xml_text),
        })
        .collect();
    Some(AtomView {
        title: xml_text(&feed.title),
        self_url: xml_text(&feed.self_url),
        site_url: xml_text(&feed.site_url),
        updated: timestamp(updated),
        entries,
    })
}

/// The template of every feed.
pub const ATOM_TEMPLATE: &str = "atom.xml";

/// A feed this build writes: where, its title, and what its template shows.
pub struct FeedFile {
    pub path: &'static str,
    pub title: String,
    pub view: AtomView,
}

impl super::Planner<'_> {
    /// The feeds this build writes, made once for the data files and the
    /// home page's links: the scenarios' and the support events', each
    /// when the site's address is known and it has an entry.
    pub(super) fn feeds(&self) -> &[FeedFile] {
        self.feeds.get_or_init(|| {
            let base = self.base_url.as_deref();
            [
                (SCENARIOS_FEED, scenarios_feed(self.model, self.urls, base)),
                (super::support::SUPPORT_FEED, self.support_feed()),
            ]
            .into_iter()
            .filter_map(|(path, feed)| {
                let feed = feed?;
                let view = atom(&feed)?;
                Some(FeedFile {
                    path,
                    title: feed.title,
                    view,
                })
            })
            .collect()
        })
    }

    /// The links to [`Self::feeds`] from `page`.
    pub(super) fn feed_links(&self, page: &str) -> Vec<super::views::Link> {
        self.feeds()
            .iter()
            .map(|feed| self.link(page, feed.title.as_str(), feed.path))
            .collect()
    }
}

/// `feed.xml`: the scenarios with an `updated` date, newest first, when the
/// site's address is known.
pub fn scenarios_feed(model: &Model, urls: Urls, base_url: Option<&str>) -> Option<Feed> {
    let base = base_url?;
    let absolute = |path: &str| urls.absolute(base, path);
    let entries = model
        .scenarios
        .iter()
        .enumerate()
        .filter_map(|(s, scenario)| {
            let updated = scenario.updated.clone()?;
            let link = absolute(&Urls::scenario(model, s));
            let summary = scenario
                .summary
                .as_deref()
                .map(plain_text)
                .filter(|text| !text.is_empty());
            Some(Entry {
                id: link.clone(),
                title: scenario.title.clone(),
                updated,
                link,
                summary,
            })
        })
        .collect();
    Some(Feed {
        title: format!("{}: upgrade scenarios", model.site.title),
        self_url: format!("{base}{SCENARIOS_FEED}"),
        site_url: base.to_owned(),
        entries: newest(entries),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, updated: &str) -> Entry {
        Entry {
            id: id.into(),
            title: format!("Title <{id}> & co\u{fffe}"),
            updated: updated.into(),
            link: id.into(),
            summary: None,
        }
    }

    #[test]
    fn newest_first_then_by_id_without_what_xml_forbids() {
        let feed = Feed {
            title: "T\u{ffff}".into(),
            self_url: "https://x.test/feed.xml".into(),
            site_url: "https://x.test/".into(),
            entries: newest(vec![
                entry("https://x.test/b", "2024-01-01"),
                entry("https://x.test/a", "2024-01-01"),
                entry("https://x.test/c", "2025-06-30"),
            ]),
        };
        let view = atom(&feed).expect("a feed with entries");
        let ids: Vec<&str> = view.entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            ["https://x.test/c", "https://x.test/a", "https://x.test/b"]
        );
        assert_eq!(view.updated, "2025-06-30T00:00:00Z");
        assert_eq!(view.title, "T");
        assert_eq!(view.entries[1].title, "Title <https://x.test/a> & co");
        assert!(
            atom(&Feed {
                entries: Vec::new(),
                ..feed
            })
            .is_none()
        );
    }
}
