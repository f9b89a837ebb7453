//! The search in the site's language, end to end: a copy of the example
//! whose site.yaml says `language: de` (fr, es, ja), one scenario retitled
//! and described in that language, built and searched from the search page
//! in Debian's Chromium from file://. A German query finds the page that
//! says another form of its word (the index and the page stem alike,
//! assets/stem-de.js loaded for it), and a Japanese one finds the page
//! that holds its pairs of letters, and only that.

use crate::common;

use std::path::Path;

use common::chromium::{chromium, dump_dom};
use common::{sel, text_of};

/// The scenario that is rewritten.
const SCENARIO: &str = "content/scenarios/backoffice/2.5-to-xp.yaml";
const OLD_TITLE: &str = "title: BackOffice Server 2.5 to Windows XP Server";

/// A built copy of the example in `language`, the scenario titled `title`
/// with `text` before its summary. Returns the temp folder (the site is
/// its `site/`).
fn site_in(language: &str, title: &str, text: &str) -> tempfile::TempDir {
    let base = common::copy_of_example();
    let root = base.path();
    let yaml = root.join("content/site.yaml");
    let site = std::fs::read_to_string(&yaml).unwrap();
    assert!(site.contains("language: en\n"));
    std::fs::write(
        &yaml,
        site.replace("language: en\n", &format!("language: {language}\n")),
    )
    .unwrap();
    let scenario = root.join(SCENARIO);
    let yaml = std::fs::read_to_string(&scenario).unwrap();
    assert!(yaml.contains(OLD_TITLE) && yaml.contains("summary: |\n"));
    let yaml = yaml
        .replace(OLD_TITLE, &format!("title: {title}"))
        .replace("summary: |\n", &format!("summary: |\n  {text}\n"));
    std::fs::write(&scenario, yaml).unwrap();
    let built = common::build_site(root, &["--quiet"]);
    drop(base);
    built
}

/// A query as an address's `q=` value.
fn encode(query: &str) -> String {
    query
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The results' titles and the words they mark, for a query.
fn results(chromium: &Path, site: &Path, query: &str) -> (Vec<String>, Vec<String>) {
    let page = site.join("site/search/index.html");
    let html = dump_dom(chromium, &page, &format!("?q={}", encode(query)));
    let document = scraper::Html::parse_document(&html);
    let titles = document
        .select(&sel(".search-results li > a"))
        .map(text_of)
        .collect();
    let marks = document
        .select(&sel(".search-results mark"))
        .map(text_of)
        .collect();
    (titles, marks)
}

/// Finds `title` with `query`, marking `marked` in its result.
fn finds(chromium: &Path, site: &Path, query: &str, title: &str, marked: &str) {
    let (titles, marks) = results(chromium, site, query);
    assert!(
        titles.iter().any(|t| t == title),
        "{query:?} found {titles:?}"
    );
    assert!(
        marks.iter().any(|m| m == marked),
        "{query:?} marked {marks:?}"
    );
}

/// The words marked in the main text of the page that the first result
/// of `query` opens (its link carries the query: "?q=").
fn marked_on_page(chromium: &Path, site: &Path, query: &str) -> Vec<String> {
    let page = site.join("site/search/index.html");
    let html = dump_dom(chromium, &page, &format!("?q={}", encode(query)));
    let document = scraper::Html::parse_document(&html);
    let link = document
        .select(&sel(".search-results li > a"))
        .next()
        .and_then(|a| a.value().attr("href"))
        .unwrap_or_else(|| panic!("no result for {query:?}"))
        .to_owned();
    let (file, rest) = link.split_once('?').unwrap();
    let target = site.join("site/search").join(file);
    let html = dump_dom(chromium, &target, &format!("?{rest}"));
    let document = scraper::Html::parse_document(&html);
    document.select(&sel("main mark")).map(text_of).collect()
}

fn misses(chromium: &Path, site: &Path, query: &str, title: &str) {
    let (titles, _) = results(chromium, site, query);
    assert!(
        !titles.iter().any(|t| t == title),
        "{query:?} found {titles:?}"
    );
}

#[test]
fn search_stems_german_french_and_spanish() {
    let Some(chromium) = chromium() else { return };
    let title = "Der Pfad zu Windows XP Server";
    let site = site_in("de", title, "Die Übergang-Regeln der Sicherung gelten.");
    // Unstemmed, "pfade" is no prefix of "pfad"; stemmed, both are "pfad".
    finds(&chromium, site.path(), "Pfade", title, "Pfad");
    finds(&chromium, site.path(), "Pfades", title, "Pfad");
    finds(
        &chromium,
        site.path(),
        "Übergänge Sicherungen",
        title,
        "Sicherung",
    );
    let manifest = std::fs::read_to_string(site.path().join("site/data/search.js")).unwrap();
    assert!(manifest.contains(r#""stem":"de""#), "{}", &manifest[..80]);

    let title = "La sauvegarde des données de Windows XP Server";
    let site = site_in("fr-CA", title, "Les fichiers restent.");
    finds(&chromium, site.path(), "sauvegardes", title, "sauvegarde");
    finds(&chromium, site.path(), "donnée", title, "données");

    let title = "La actualización de rutas a Windows XP Server";
    let site = site_in("es", title, "Los archivos quedan.");
    finds(
        &chromium,
        site.path(),
        "actualizaciones",
        title,
        "actualización",
    );
    finds(&chromium, site.path(), "ruta", title, "rutas");
}

#[test]
fn search_finds_japanese_by_pairs_of_letters() {
    let Some(chromium) = chromium() else { return };
    let title = "Windows XP Server への移行ガイド";
    let site = site_in("ja", title, "日本語の手順書です。");
    // Two letters, the pair itself; three, both its pairs.
    finds(&chromium, site.path(), "移行", title, "移行");
    finds(&chromium, site.path(), "ガイド", title, "ガイド");
    finds(&chromium, site.path(), "日本語", title, "日本語");
    finds(&chromium, site.path(), "手順 ガイド", title, "ガイド");
    let marked = marked_on_page(&chromium, site.path(), "ガイド");
    assert!(marked.iter().any(|m| m == "ガイド"), "{marked:?}");
    // "日本人" has "日本" but not "本人": not this page.
    misses(&chromium, site.path(), "日本人", title);
    misses(&chromium, site.path(), "移動", title);
    // Latin words stay whole words, unstemmed.
    finds(&chromium, site.path(), "Windows 移行", title, "Windows");
    let manifest = std::fs::read_to_string(site.path().join("site/data/search.js")).unwrap();
    assert!(!manifest.contains(r#""stem""#), "{}", &manifest[..80]);
}
