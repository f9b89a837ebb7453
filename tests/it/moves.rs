//! Format 1.2's `moved_from`: a page at each old address that sends the
//! reader on (from disk and from any host), refused where an old id is
//! live or claimed twice, listed by the API, left out of the sitemap.

use crate::common;

use std::path::Path;

use common::chromium::{chromium, dump_dom};
use common::links::{LinkRules, site_problems};
use common::{build_site, run, sel, text, text_of};

fn write(root: &Path, files: &[(&str, &str)]) {
    for (path, body) in files {
        let path = root.join("content").join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }
}

const PRODUCT: &str = "name: Acme Server\nmoved_from: [acme-srv]\nversions:\n  - id: \"1.0\"\n    moved_from: [\"1.0-beta\"]\n  - id: \"2.0\"\nupgrades: { policy: sequential }\n";
const SCENARIO: &str = "from: acme@1.0\nto: acme@2.0\ndirect: supported\ntitle: Acme 1.0 to 2.0\nmoved_from: [old/one-to-two]\n";

fn moved_base() -> tempfile::TempDir {
    let kb = tempfile::tempdir().unwrap();
    write(
        kb.path(),
        &[
            ("products/acme.yaml", PRODUCT),
            ("scenarios/acme/1-to-2.yaml", SCENARIO),
        ],
    );
    kb
}

fn page(site: &Path, path: &str) -> scraper::Html {
    scraper::Html::parse_document(&std::fs::read_to_string(site.join(path)).unwrap())
}

#[test]
fn each_old_address_sends_the_reader_to_the_page_there_now() {
    let kb = moved_base();
    let out = build_site(kb.path(), &["--base-url", "https://kb.example.com/docs/"]);
    let site = out.path().join("site");
    for (old, new, title) in [
        (
            "products/acme-srv/index.html",
            "../acme/index.html",
            "Acme Server",
        ),
        (
            "products/acme-srv/2.0/index.html",
            "../../acme/2.0/index.html",
            "Acme Server 2.0",
        ),
        (
            "products/acme/1.0-beta/index.html",
            "../1.0/index.html",
            "Acme Server 1.0",
        ),
        (
            "scenarios/old/one-to-two/index.html",
            "../../acme/1-to-2/index.html",
            "Acme 1.0 to 2.0",
        ),
    ] {
        let doc = page(&site, old);
        let refresh = doc
            .select(&sel("meta[http-equiv=refresh]"))
            .next()
            .expect(old);
        assert_eq!(
            refresh.value().attr("content"),
            Some(format!("0; url={new}").as_str()),
            "{old}"
        );
        let link = doc.select(&sel("main a")).next().expect("a plain link");
        assert_eq!(
            (link.value().attr("href"), text_of(link).as_str()),
            (Some(new), title),
            "{old}"
        );
        let canonical = doc
            .select(&sel("link[rel=canonical]"))
            .next()
            .expect("canonical");
        let absolute = canonical.value().attr("href").unwrap();
        assert!(
            absolute.starts_with("https://kb.example.com/docs/"),
            "{absolute}"
        );
        assert!(
            site.join(old).parent().unwrap().join(new).is_file(),
            "{old} -> {new}"
        );
    }
    let problems = site_problems(
        &site,
        LinkRules {
            pretty: false,
            base_url: Some("https://kb.example.com/docs/"),
        },
    );
    assert!(problems.is_empty(), "{problems:#?}");
    let sitemap = std::fs::read_to_string(site.join("sitemap.xml")).unwrap();
    assert!(
        !sitemap.contains("acme-srv") && !sitemap.contains("one-to-two"),
        "{sitemap}"
    );
    assert!(sitemap.contains("products/acme/index.html"), "{sitemap}");

    let api: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("api/v1/redirects.json")).unwrap())
            .unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/api/redirects.schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::options().build(&schema).unwrap();
    assert!(validator.is_valid(&api), "{api}");
    assert!(!validator.is_valid(&serde_json::json!({ "redirects": [{ "from": 1 }] })));
    let from: Vec<&str> = api["redirects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["from"].as_str().unwrap())
        .collect();
    assert_eq!(
        from,
        [
            "products/acme-srv/1.0/index.html",
            "products/acme-srv/2.0/index.html",
            "products/acme-srv/index.html",
            "products/acme/1.0-beta/index.html",
            "scenarios/old/one-to-two/index.html"
        ]
    );
}

#[test]
fn a_site_without_moves_has_no_redirect_file() {
    let out = build_site(Path::new(env!("CARGO_MANIFEST_DIR")), &[]);
    assert!(!out.path().join("site/api/v1/redirects.json").exists());
}

#[test]
fn an_old_id_that_is_live_or_claimed_twice_is_refused_where_it_is_written() {
    let kb = tempfile::tempdir().unwrap();
    write(
        kb.path(),
        &[
            (
                "products/acme.yaml",
                "name: Acme\nmoved_from: [other, Bad_Id]\nversions:\n  - id: \"1.0\"\n    aliases: [first]\n    moved_from: [first, index.html, con]\n  - id: \"2.0\"\n    moved_from: [\"1.0\"]\n",
            ),
            (
                "products/other.yaml",
                "name: Other\nmoved_from: [gone]\nversions: [{ id: \"1\" }]\n",
            ),
            (
                "products/third.yaml",
                "name: Third\nmoved_from: [gone]\nversions: [{ id: \"1\" }]\n",
            ),
            (
                "scenarios/a.yaml",
                "from: acme@1.0\nto: acme@2.0\ndirect: supported\nmoved_from: [b]\n",
            ),
            (
                "scenarios/b.yaml",
                "from: other\nto: acme@2.0\ndirect: supported\n",
            ),
        ],
    );
    let out = run(&["--root", kb.path().to_str().unwrap(), "check"]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    for (place, words) in [
        (
            "content/products/acme.yaml:2:",
            "`other` is the id of a live product",
        ),
        (
            "content/products/acme.yaml:2:",
            "`Bad_Id` cannot be an old id",
        ),
        (
            "content/products/acme.yaml:6:",
            "`first` is the id of a live version or alias",
        ),
        (
            "content/products/acme.yaml:8:",
            "`1.0` is the id of a live version",
        ),
        (
            "content/products/third.yaml:2:",
            "this old address is claimed twice",
        ),
        (
            "content/scenarios/a.yaml:4:",
            "`b` is the id of a live scenario",
        ),
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with(place) && l.contains(words)),
            "{place} {words}:\n{stderr}"
        );
    }
}

#[test]
fn an_old_address_opened_from_disk_lands_on_the_new_page() {
    let Some(chromium) = chromium() else { return };
    let kb = moved_base();
    let out = build_site(kb.path(), &[]);
    let old = out.path().join("site/products/acme-srv/2.0/index.html");
    let html = dump_dom(&chromium, &old, "");
    let doc = scraper::Html::parse_document(&html);
    let h1: Vec<String> = doc.select(&sel("h1")).map(text_of).collect();
    assert_eq!(h1, ["Acme Server 2.0"], "the browser followed the refresh");
}
