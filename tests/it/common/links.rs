//! Reading a built site the way a browser or a static host would: its
//! pages, and every problem with its links (broken internal links and
//! fragments, anything loaded from another host, pages without exactly one
//! `h1`, a `<main>` or `<html lang>`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use scraper::Html;

use super::{files, relative, sel};

// ---- reading the output

/// Every `.html` file of a site, relative and `/`-separated.
pub fn html_files(site: &Path) -> Vec<String> {
    walkdir::WalkDir::new(site)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("a readable entry"))
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| relative(site, e.path()))
        .collect()
}

pub fn read_page(site: &Path, page: &str) -> String {
    fs::read_to_string(site.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"))
}

pub fn parse_page(site: &Path, page: &str) -> Html {
    Html::parse_document(&read_page(site, page))
}

/// Fails with every problem, one a line (at most 60 shown).
pub fn assert_no_problems(what: &str, problems: &[String]) {
    if problems.is_empty() {
        return;
    }
    let mut shown = String::new();
    for p in problems.iter().take(60) {
        let _ = writeln!(shown, "  {p}");
    }
    if problems.len() > 60 {
        let _ = writeln!(shown, "  ... and {} more", problems.len() - 60);
    }
    panic!("{what}: {} problem(s)\n{shown}", problems.len());
}

// ---- links

/// How a site's links are checked.
#[derive(Clone, Copy, Default)]
pub struct LinkRules<'a> {
    /// `pretty_urls: true`: links name folders (`../`, `./`, `a/`), never `index.html`.
    pub pretty: bool,
    /// With a base URL, `<link rel="canonical">` may point at it.
    pub base_url: Option<&'a str>,
}

/// Elements that make the browser load what their URL names.
pub const LOADING: &[&str] = &[
    "link", "script", "img", "iframe", "source", "embed", "object", "video", "audio", "track",
    "input", "image", "use",
];

/// The URL scheme of a reference (`http`, `mailto`, ...), if it has one.
pub fn scheme(url: &str) -> Option<String> {
    let colon = url.find(':')?;
    let head = &url[..colon];
    let first = head.chars().next()?;
    (first.is_ascii_alphabetic()
        && head
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
    .then(|| head.to_ascii_lowercase())
}

pub fn is_remote(url: &str) -> bool {
    let url = url.trim();
    url.starts_with("//") || matches!(scheme(url).as_deref(), Some("http" | "https"))
}

pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits `path?query#fragment` into the path and the fragment.
pub fn split_url(url: &str) -> (&str, Option<&str>) {
    let (before, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let path = before.split_once('?').map_or(before, |(p, _)| p);
    (path, fragment)
}

/// Resolves the path part of a relative link on the page `from` to the site
/// file it names. Errors say why it cannot work.
pub fn resolve_link(site: &Path, from: &str, path: &str, pretty: bool) -> Result<String, String> {
    if path.is_empty() {
        return Ok(from.to_owned());
    }
    if path.starts_with('/') {
        return Err("root-relative link (breaks under a sub-path and from file://)".into());
    }
    let mut parts: Vec<String> = from.split('/').map(str::to_owned).collect();
    parts.pop();
    let segments: Vec<&str> = path.split('/').collect();
    let mut folder = false;
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *segment {
            "" | "." => folder |= last,
            ".." => {
                if parts.pop().is_none() {
                    return Err("climbs out of the site".into());
                }
                folder |= last;
            }
            name => parts.push(percent_decode(name)),
        }
    }
    let joined = parts.join("/");
    let is_dir = folder || joined.is_empty() || site.join(&joined).is_dir();
    if is_dir {
        if !pretty {
            return Err(
                "names a folder: without pretty_urls every page link must end in index.html".into(),
            );
        }
        let index = if joined.is_empty() {
            "index.html".to_owned()
        } else {
            format!("{joined}/index.html")
        };
        return if site.join(&index).is_file() {
            Ok(index)
        } else {
            Err(format!("folder without an index.html ({index})"))
        };
    }
    if site.join(&joined).is_file() {
        Ok(joined)
    } else {
        Err(format!("no such file: {joined}"))
    }
}

/// What one page holds that the link check needs.
pub struct PageFacts {
    pub ids: BTreeSet<String>,
    /// (element, attribute, value, rel)
    pub refs: Vec<(String, String, String, Option<String>)>,
    /// Inline CSS: `style` attributes and `<style>` elements.
    pub css: Vec<String>,
    pub problems: Vec<String>,
}

pub fn page_facts(page: &str, html: &str) -> PageFacts {
    let doc = Html::parse_document(html);
    let mut facts = PageFacts {
        ids: BTreeSet::new(),
        refs: Vec::new(),
        css: Vec::new(),
        problems: Vec::new(),
    };
    let h1 = doc.select(&sel("h1")).count();
    if h1 != 1 {
        facts
            .problems
            .push(format!("{page}: {h1} <h1> elements, want exactly 1"));
    }
    let lang = doc
        .select(&sel("html"))
        .next()
        .and_then(|h| h.value().attr("lang"))
        .map(str::trim);
    if lang.is_none_or(str::is_empty) {
        facts
            .problems
            .push(format!("{page}: <html> has no lang attribute"));
    }
    let mains = doc.select(&sel("main")).count();
    if mains != 1 {
        facts
            .problems
            .push(format!("{page}: {mains} <main> elements, want exactly 1"));
    }
    for element in doc.select(&sel("*")) {
        let el = element.value();
        let tag = el.name().to_owned();
        if let Some(id) = el.attr("id")
            && !facts.ids.insert(id.to_owned())
        {
            facts
                .problems
                .push(format!("{page}: the id `{id}` is used more than once"));
        }
        for (attr, value) in el.attrs() {
            let link_attr = matches!(attr, "href" | "src" | "poster" | "data" | "xlink:href")
                || (attr == "action" && tag == "form");
            if link_attr {
                facts.refs.push((
                    tag.clone(),
                    attr.to_owned(),
                    value.to_owned(),
                    el.attr("rel").map(str::to_owned),
                ));
            }
            if attr == "srcset" {
                for candidate in value.split(',') {
                    if let Some(url) = candidate.split_whitespace().next() {
                        facts
                            .refs
                            .push((tag.clone(), "srcset".into(), url.to_owned(), None));
                    }
                }
            }
            if attr == "style" {
                facts.css.push(value.to_owned());
            }
        }
        if tag == "style" {
            facts.css.push(element.text().collect());
        }
    }
    facts
}

/// The URLs in CSS: `url(...)` and `@import "..."`.
pub fn css_urls(css: &str) -> Vec<String> {
    let lower = css.to_ascii_lowercase();
    let mut urls = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find("url(") {
        let start = from + at + 4;
        let end = lower[start..].find(')').map_or(css.len(), |e| start + e);
        let raw = css[start..end].trim().trim_matches(['"', '\'']).trim();
        urls.push(raw.to_owned());
        from = end.min(css.len());
        if from >= css.len() {
            break;
        }
    }
    for (at, _) in lower.match_indices("@import") {
        let rest = css[at + 7..].trim_start();
        if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let inner = &rest[1..];
            if let Some(end) = inner.find(quote) {
                urls.push(inner[..end].to_owned());
            }
        }
    }
    urls
}

/// Checks every CSS URL found at `place` (a page or a CSS file, whose folder
/// relative URLs start from).
pub fn check_css(site: &Path, place: &str, css: &str, problems: &mut Vec<String>) {
    for url in css_urls(css) {
        if is_remote(&url) {
            problems.push(format!("{place}: CSS url({url}) loads from another host"));
        } else if url.starts_with('#') || scheme(&url).as_deref() == Some("data") {
            continue;
        } else if scheme(&url).is_some() {
            problems.push(format!("{place}: CSS url({url}) has an unexpected scheme"));
        } else {
            let (path, _) = split_url(&url);
            if let Err(why) = resolve_link(site, place, path, true) {
                problems.push(format!("{place}: CSS url({url}): {why}"));
            }
        }
    }
}

/// Every problem with the built site at `site`: broken internal links and
/// fragments, anything loaded from another host, pages without exactly one
/// `h1`, a `<main>` or `<html lang>`.
pub fn site_problems(site: &Path, rules: LinkRules) -> Vec<String> {
    let pages = html_files(site);
    assert!(!pages.is_empty(), "no pages in {}", site.display());
    let facts: BTreeMap<String, PageFacts> = pages
        .iter()
        .map(|p| (p.clone(), page_facts(p, &read_page(site, p))))
        .collect();
    let mut problems = Vec::new();
    for (page, page_facts) in &facts {
        problems.extend(page_facts.problems.iter().cloned());
        for css in &page_facts.css {
            check_css(site, page, css, &mut problems);
        }
        for (tag, attr, value, rel) in &page_facts.refs {
            let shown = format!("{page}: <{tag} {attr}=\"{value}\">");
            let url = value.trim();
            if is_remote(url) {
                let canonical = tag == "link"
                    && rel.as_deref() == Some("canonical")
                    && rules.base_url.is_some_and(|b| url.starts_with(b));
                if LOADING.contains(&tag.as_str()) && !canonical {
                    problems.push(format!("{shown}: loads from another host"));
                }
                continue;
            }
            match scheme(url).as_deref() {
                Some("mailto") => continue,
                Some(other) => {
                    problems.push(format!("{shown}: unexpected scheme `{other}:`"));
                    continue;
                }
                None => {}
            }
            let (path, fragment) = split_url(url);
            if rules.pretty && path.ends_with("index.html") {
                problems.push(format!(
                    "{shown}: pretty_urls is on, but the link names index.html"
                ));
            }
            let target = match resolve_link(site, page, path, rules.pretty) {
                Ok(target) => target,
                Err(why) => {
                    problems.push(format!("{shown}: {why}"));
                    continue;
                }
            };
            if let Some(fragment) = fragment {
                let fragment = percent_decode(fragment);
                match facts.get(&target) {
                    _ if fragment.is_empty() => {
                        problems.push(format!("{shown}: empty fragment"));
                    }
                    Some(target_facts) if target_facts.ids.contains(&fragment) => {}
                    Some(_) => {
                        problems.push(format!("{shown}: {target} has no id `{fragment}`"));
                    }
                    None => problems.push(format!(
                        "{shown}: fragment `{fragment}` on {target}, which is not a page"
                    )),
                }
            }
        }
    }
    for (name, bytes) in files(site) {
        if name.ends_with(".css") {
            check_css(site, &name, &String::from_utf8_lossy(&bytes), &mut problems);
        }
    }
    problems
}
