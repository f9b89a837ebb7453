//! Atom feeds (RFC 4287), generic: entries with an id, a title, an updated
//! day, a link and a summary. The site's feed of support events is built
//! from them (see `plan`); the writers' issue may bring one feed machinery
//! for every feed of the site, which this is meant to merge into.
//!
//! Atom wants absolute ids and links, so a feed needs the site's address:
//! without a base URL no feed is written, as no sitemap is.

use crate::lifecycle::Date;
use crate::plan::html::escape;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// An absolute URL that stays the entry's for good.
    pub id: String,
    pub title: String,
    pub updated: Date,
    /// The entry's page, absolute.
    pub link: String,
    /// Plain text.
    pub summary: Option<String>,
}

pub struct Feed {
    pub title: String,
    /// Where the feed itself is, absolute: also its id.
    pub self_url: String,
    /// The site's home page, absolute.
    pub site_url: String,
    pub entries: Vec<Entry>,
}

/// Midnight UTC of a day, as Atom's date-time wants it.
fn timestamp(day: Date) -> String {
    format!("{day}T00:00:00Z")
}

/// The feed as Atom XML, entries in the order given; `None` without any
/// entry, since Atom asks a feed for an `updated` time.
pub fn atom(feed: &Feed) -> Option<String> {
    let updated = feed.entries.iter().map(|e| e.updated).max()?;
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    xml.push_str(&format!("  <id>{}</id>\n", escape(&feed.self_url)));
    xml.push_str(&format!("  <title>{}</title>\n", escape(&feed.title)));
    xml.push_str(&format!("  <updated>{}</updated>\n", timestamp(updated)));
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(&feed.self_url)
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&feed.site_url)
    ));
    xml.push_str("  <author><name>upgrade-atlas</name></author>\n");
    for entry in &feed.entries {
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <id>{}</id>\n", escape(&entry.id)));
        xml.push_str(&format!("    <title>{}</title>\n", escape(&entry.title)));
        xml.push_str(&format!(
            "    <updated>{}</updated>\n",
            timestamp(entry.updated)
        ));
        xml.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&entry.link)
        ));
        if let Some(summary) = &entry.summary {
            xml.push_str(&format!("    <summary>{}</summary>\n", escape(summary)));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    Some(xml)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, day: &str) -> Entry {
        Entry {
            id: format!("https://kb.example.com/{id}"),
            title: format!("<{id}> & co"),
            updated: Date::parse(day).unwrap(),
            link: format!("https://kb.example.com/{id}/"),
            summary: Some("a \"quoted\" summary".into()),
        }
    }

    #[test]
    fn a_feed_without_entries_is_not_written() {
        let feed = Feed {
            title: "t".into(),
            self_url: "https://kb.example.com/support.xml".into(),
            site_url: "https://kb.example.com/".into(),
            entries: Vec::new(),
        };
        assert_eq!(atom(&feed), None);
    }

    #[test]
    fn entries_are_escaped_and_the_feed_is_as_new_as_its_newest() {
        let feed = Feed {
            title: "Support & events".into(),
            self_url: "https://kb.example.com/support.xml".into(),
            site_url: "https://kb.example.com/".into(),
            entries: vec![entry("a", "2024-11-21"), entry("b", "2025-11-13")],
        };
        let xml = atom(&feed).unwrap();
        assert!(xml.contains("<title>Support &amp; events</title>"));
        assert!(xml.contains("  <updated>2025-11-13T00:00:00Z</updated>\n  <link rel=\"self\""));
        assert!(xml.contains("<title>&lt;a&gt; &amp; co</title>"));
        assert!(xml.contains("<summary>a &quot;quoted&quot; summary</summary>"));
        assert_eq!(xml.matches("<entry>").count(), 2);
        assert_eq!(xml.matches("</entry>").count(), 2);
    }
}
