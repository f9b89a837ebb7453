//! Integration tests of the built site: they run the real binary, build into
//! temporary folders and read the output the way a browser or a static host
//! would (README.md, "The site"; docs/security.md, "Output safety").
//!
//! The helpers at the top build a knowledge base into a temporary folder;
//! tests/it/common/links.rs lists and parses the pages and checks every link
//! of a site.

use crate::common;

use common::links::*;
use common::{conformance_cases, copy_tree, entries, files, relative, sel, text, text_of};

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use scraper::Html;
use serde::Deserialize;
use tempfile::TempDir;

// ---- running the binary -----------------------------------------------------

fn project() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The example knowledge base (the folder that holds `content/`).
fn example() -> &'static Path {
    project()
}

fn describe(output: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        text(&output.stdout),
        text(&output.stderr)
    )
}

/// A site built into a temporary folder (removed when dropped).
struct Site {
    _dir: TempDir,
    out: PathBuf,
}

/// Builds the knowledge base at `root` into a fresh temporary folder and
/// asserts that the build succeeded.
fn build_site(root: &Path, extra: &[&str]) -> Site {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("out");
    let result = common::build_into(root, &out, extra);
    assert!(
        result.status.success(),
        "build of {} failed: {}",
        root.display(),
        describe(&result)
    );
    assert!(
        out.join(".upgrade-atlas-output").is_file(),
        "the built site has no marker file"
    );
    Site { _dir: dir, out }
}

/// A copy of a knowledge base (its `content/` and, if any, `templates/`) in
/// a temporary folder, to be changed by the test. The project's own
/// `templates/` is the built-in theme, not an override, so it stays behind.
fn copy_kb(root: &Path) -> TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    copy_tree(&root.join("content"), &dir.path().join("content"));
    if root.join("templates").is_dir() && root != project() {
        copy_tree(&root.join("templates"), &dir.path().join("templates"));
    }
    dir
}

fn write(path: &Path, contents: impl AsRef<[u8]>) {
    fs::create_dir_all(path.parent().expect("a parent folder")).expect("create folders");
    fs::write(path, contents).expect("write a file");
}

// ---- reading the knowledge base ---------------------------------------------------

#[derive(Deserialize)]
struct ProductFile {
    name: String,
    #[serde(default)]
    versions: Vec<VersionEntry>,
}

#[derive(Deserialize)]
struct VersionEntry {
    id: String,
}

#[derive(Deserialize)]
/// A component or a stack: only its name matters here.
struct NamedFile {
    name: String,
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("a readable entry"))
        .filter(|e| {
            e.file_type().is_file()
                && e.path()
                    .extension()
                    .is_some_and(|x| x == "yaml" || x == "yml")
        })
        .map(|e| e.into_path())
        .collect()
}

fn read_yaml<T: for<'de> Deserialize<'de>>(path: &Path) -> T {
    let text = fs::read_to_string(path).expect("read YAML");
    serde_saphyr::from_str(text.trim_start_matches('\u{feff}'))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .expect("a file name")
        .to_string_lossy()
        .into_owned()
}

/// The pages the design promises for a knowledge base, read from its YAML:
/// path -> the `h1` text the page must show, where the YAML says it.
fn expected_pages(root: &Path) -> BTreeMap<String, Option<String>> {
    let content = root.join("content");
    let mut pages = BTreeMap::new();
    // The index of every product (one page below 100 products).
    pages.insert(
        "products/index.html".to_owned(),
        Some("Products".to_owned()),
    );
    for file in yaml_files(&content.join("products")) {
        let id = stem(&file);
        let product: ProductFile = read_yaml(&file);
        pages.insert(format!("products/{id}/index.html"), Some(product.name));
        for version in product.versions {
            pages.insert(format!("products/{id}/{}/index.html", version.id), None);
        }
    }
    for file in yaml_files(&content.join("components")) {
        let component: NamedFile = read_yaml(&file);
        pages.insert(
            format!("components/{}/index.html", stem(&file)),
            Some(component.name),
        );
    }
    for file in yaml_files(&content.join("stacks")) {
        let stack: NamedFile = read_yaml(&file);
        pages.insert(
            format!("stacks/{}/index.html", stem(&file)),
            Some(stack.name),
        );
    }
    let scenarios = content.join("scenarios");
    for file in yaml_files(&scenarios) {
        let id = relative(&scenarios, &file.with_extension(""));
        pages.insert(format!("scenarios/{id}/index.html"), None);
    }
    pages
}

/// Every knowledge base that must build: the examples and the ok cases.
fn buildable() -> Vec<PathBuf> {
    let mut roots = vec![
        example().to_path_buf(),
        project().join("examples/postgresql"),
        project().join("examples/nextcloud"),
        project().join("tests/lifecycle/ok/statuses"),
    ];
    roots.extend(conformance_cases("ok"));
    roots
}

// ---- 1. links, hosts and page structure ------------------------------------------

#[test]
fn every_link_resolves_and_nothing_loads_from_another_host() {
    let mut problems = Vec::new();
    for root in buildable() {
        let site = build_site(&root, &[]);
        for problem in site_problems(&site.out, LinkRules::default()) {
            problems.push(format!("[{}] {problem}", root.display()));
        }
    }
    assert_no_problems("links and page structure", &problems);
}

/// The link checker itself must catch what it is meant to catch.
#[test]
fn the_link_checker_finds_broken_links() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path();
    let head = "<!DOCTYPE html><html lang=\"en\"><head><title>t</title>";
    write(
        &site.join("index.html"),
        format!(
            "{head}<link rel=stylesheet href=\"https://cdn.example.com/x.css\"></head><body><main><h1>A</h1>\
             <a href=\"a/index.html#nope\">x</a><a href=\"missing/index.html\">y</a>\
             <a href=\"a/\">z</a><a href=\"#top\">t</a><img src=\"//cdn.example.com/i.png\">\
             <div style=\"background: url(http://x.example/b.png)\"></div></main></body></html>"
        ),
    );
    write(
        &site.join("a/index.html"),
        format!(
            "{head}</head><body><main><h1>B</h1><h1>C</h1><p id=\"here\"></p></main></body></html>"
        ),
    );
    let problems = site_problems(site, LinkRules::default());
    let all = problems.join("\n");
    for want in [
        "has no id `nope`",
        "no such file: missing/index.html",
        "names a folder",
        "index.html has no id `top`",
        "<img src=\"//cdn.example.com/i.png\">: loads from another host",
        "<link href=\"https://cdn.example.com/x.css\">: loads from another host",
        "CSS url(http://x.example/b.png) loads from another host",
        "a/index.html: 2 <h1> elements",
    ] {
        assert!(all.contains(want), "the checker missed `{want}`:\n{all}");
    }
}

// ---- 2. a page for everything ----------------------------------------------------------

#[test]
fn every_product_version_scenario_and_component_has_its_page() {
    let mut problems = Vec::new();
    for root in buildable() {
        let expected = expected_pages(&root);
        assert!(!expected.is_empty(), "{}: nothing expected", root.display());
        let site = build_site(&root, &[]);
        let place = root.display();
        for (page, h1) in &expected {
            if !site.out.join(page).is_file() {
                problems.push(format!("[{place}] missing page {page}"));
                continue;
            }
            if let Some(want) = h1 {
                let doc = parse_page(&site.out, page);
                let got = doc.select(&sel("h1")).next().map(text_of);
                if got.as_deref()
                    != Some(
                        want.split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ")
                            .as_str(),
                    )
                {
                    problems.push(format!("[{place}] {page}: h1 {got:?}, want {want:?}"));
                }
            }
        }
        // Nothing beyond them: no page for something the YAML does not hold.
        for page in html_files(&site.out) {
            let kind = page.split('/').next().unwrap_or_default();
            if ["products", "scenarios", "components"].contains(&kind)
                && !expected.contains_key(&page)
            {
                problems.push(format!("[{place}] unexpected page {page}"));
            }
        }
        for page in [
            "index.html",
            "matrix/index.html",
            "paths/index.html",
            "search/index.html",
            "404.html",
            "robots.txt",
        ] {
            if !site.out.join(page).is_file() {
                problems.push(format!("[{place}] missing {page}"));
            }
        }
    }
    assert_no_problems("pages", &problems);
}

// ---- 3. the example's answers ------------------------------------------------------------

/// The answer for Windows XP Server on a version page: its entry
/// `#to-windows-xp-server-xp` among the stops, and the hop sections of its
/// route, followed back stop by stop (each entry links its last hop).
struct XpAnswer {
    /// Each stop of the route: the site file its link points to, and its text.
    stops: Vec<String>,
    /// The titles of the issues that apply by default, hop by hop.
    issues: Vec<String>,
    /// The titles of the issues that apply only under a condition or to a
    /// server that began as another version.
    conditional: Vec<String>,
    /// The entry's text, its hop sections' text and what the page says
    /// conditions change.
    text: String,
}

/// `to-PRODUCT-VERSION` for the version page at `path`.
fn entry_anchor(path: &str) -> String {
    let parts: Vec<&str> = path.split('/').collect();
    format!("to-{}-{}", parts[1], parts[2])
}

fn xp_answer(site: &Path, page: &str) -> XpAnswer {
    let doc = parse_page(site, page);
    let element = |id: &str| doc.select(&sel(&format!("[id=\"{id}\"]"))).next();
    let entry = element("to-windows-xp-server-xp")
        .unwrap_or_else(|| panic!("{page} has no element #to-windows-xp-server-xp"));
    let mut answer = XpAnswer {
        stops: Vec::new(),
        issues: Vec::new(),
        conditional: Vec::new(),
        text: text_of(entry),
    };
    let mut entry = Some(entry);
    let mut hops = 0;
    while let Some(here) = entry {
        hops += 1;
        assert!(
            hops < 50,
            "{page}: the route never reaches the page's version"
        );
        let href = here
            .select(&sel("a[href^='#hop-']"))
            .next()
            .and_then(|a| a.value().attr("href"))
            .unwrap_or_else(|| panic!("{page}: an entry links no last hop"));
        let section =
            element(&href[1..]).unwrap_or_else(|| panic!("{page}: no hop section {href}"));
        let ends: Vec<(String, String)> = section
            .select(&sel("h4 a"))
            .map(|a| {
                let href = a.value().attr("href").unwrap_or_default();
                let target = resolve_link(site, page, split_url(href).0, false)
                    .unwrap_or_else(|e| panic!("{page}: route link {href}: {e}"));
                (target, text_of(a))
            })
            .collect();
        assert_eq!(ends.len(), 2, "{page}: hop {href} names {ends:?}");
        answer
            .stops
            .insert(0, format!("{} {}", ends[1].0, ends[1].1));
        // The hop's issues, with those of the versions it links to.
        let mut places = vec![section];
        for link in section.select(&sel("a[href^='#at-']")) {
            let id = &link.value().attr("href").unwrap_or_default()[1..];
            places.extend(element(id));
        }
        for place in places {
            for issue in place.select(&sel("li.issue")) {
                let title = issue
                    .select(&sel("li.issue > strong"))
                    .next()
                    .map(text_of)
                    .unwrap_or_default();
                if issue.value().classes().any(|c| c == "conditional") {
                    answer.conditional.push(title);
                } else {
                    answer.issues.push(title);
                }
            }
            answer.text.push(' ');
            answer.text.push_str(&text_of(place));
        }
        let from = &ends[0].0;
        if from == page {
            answer
                .stops
                .insert(0, format!("{} {}", ends[0].0, ends[0].1));
            entry = None;
        } else {
            entry = Some(
                element(&entry_anchor(from))
                    .unwrap_or_else(|| panic!("{page}: no entry for the stop {from}")),
            );
        }
    }
    // What conditions and first installs change, said once for the page.
    for changes in doc.select(&sel("ul.tree-changes")) {
        answer.text.push(' ');
        answer.text.push_str(&text_of(changes));
    }
    answer
}

/// The answer of `page` for Windows XP Server: it must go from `page`
/// through BackOffice Server 4.5 to XP.
fn assert_route_through_4_5(out: &Path, page: &str) -> XpAnswer {
    let answer = xp_answer(out, page);
    let stops = &answer.stops;
    assert_eq!(
        stops
            .iter()
            .map(|s| s.split(' ').next().unwrap())
            .collect::<Vec<_>>(),
        [
            page,
            "products/backoffice-server/4.5/index.html",
            "products/windows-xp-server/xp/index.html",
        ],
        "{page}: route {stops:?}"
    );
    // The hop that leaves the product names both ends in full.
    assert!(
        answer
            .text
            .contains("BackOffice Server 4.5 → Windows XP Server"),
        "{page}: {}",
        answer.text
    );
    answer
}

#[test]
fn the_example_answers_the_readme() {
    let site = build_site(example(), &[]);

    let page = "products/backoffice-server/2.5/index.html";
    let answer = assert_route_through_4_5(&site.out, page);
    assert!(
        answer
            .issues
            .contains(&"Site Server cannot be installed".to_owned())
            && answer
                .issues
                .contains(&"Web Administration is not supported".to_owned()),
        "{page}: issues {:?}",
        answer.issues
    );
    // A server that began as Small Business Server also loses Fax Service:
    // not by default, but said on the page, with the versions it needs.
    assert!(
        !answer.issues.iter().any(|i| i.contains("Fax Service")),
        "{page}: Fax Service applies by default: {:?}",
        answer.issues
    );
    assert!(
        answer.conditional.iter().any(|i| i.contains("Fax Service")),
        "{page}: Fax Service is not on the page: {}",
        answer.text
    );
    assert!(
        answer
            .text
            .contains("If the server was originally Microsoft BackOffice Small Business Server"),
        "{page}: {}",
        answer.text
    );

    let page = "products/small-business-server/4.0/index.html";
    let answer = assert_route_through_4_5(&site.out, page);
    assert!(
        answer.issues.iter().any(|i| i.contains("Fax Service")),
        "{page}: issues {:?} lack the Fax Service issue",
        answer.issues
    );
    assert!(
        answer
            .issues
            .contains(&"Site Server cannot be installed".to_owned()),
        "{page}: issues {:?}",
        answer.issues
    );
}

// ---- 4. escaping -----------------------------------------------------------------------------

#[derive(Deserialize)]
struct ExpectFile {
    #[serde(default)]
    html_must_not_contain: Vec<String>,
}

#[test]
fn the_escaping_case_comes_out_as_text() {
    let case = project().join("tests/conformance/ok/escaping");
    let expect: ExpectFile = read_yaml(&case.join("expect.yaml"));
    assert!(!expect.html_must_not_contain.is_empty());
    let site = build_site(&case, &[]);
    let mut problems = Vec::new();
    for name in html_files(&site.out) {
        let body = read_page(&site.out, &name);
        for needle in &expect.html_must_not_contain {
            if body.contains(needle.as_str()) {
                problems.push(format!("{name} contains {needle:?}"));
            }
        }
    }
    assert_no_problems("html_must_not_contain", &problems);
    // And the text is still there, as text.
    let doc = parse_page(&site.out, "products/x/index.html");
    let h1 = doc.select(&sel("h1")).next().map(text_of);
    assert_eq!(h1.as_deref(), Some("<script>alert('name')</script> Server"));
}

/// Hostile text for the field numbered `code`: markup, an attribute break-out,
/// template syntax and closing tags of raw-text elements.
fn hostile(code: u32) -> String {
    format!(
        "<script>alert({code})</script> \"><img src=x onerror=alert({code})> {{{{ 7+7 }}}} \
         {{% if true %}}T{{% endif %}} </script></title></textarea><!-- {code}"
    )
}

/// A YAML block scalar holding `hostile(code)`, indented by `indent`.
fn block(code: u32, indent: usize) -> String {
    format!("|-\n{}{}", " ".repeat(indent), hostile(code))
}

/// A knowledge base with hostile text in every field that takes text.
fn hostile_kb() -> (TempDir, Vec<u32>) {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("content");
    let url = "http://example.com/\"><script>alert(999)</script>";
    write(
        &c.join("site.yaml"),
        format!(
            "title: {}\ndescription: {}\nconditions:\n  hostile: {}\n",
            block(101, 2),
            block(102, 2),
            block(103, 4)
        ),
    );
    write(
        &c.join("products/evil.yaml"),
        format!(
            "name: {}\nvendor: {}\nsummary: {}\nnotes: {}\nlinks:\n  - title: {}\n    url: '{url}'\n\
             versions:\n  - id: \"1\"\n    name: {}\n    summary: {}\n    components: [part]\n\
             \x20 - id: \"2\"\n    name: {}\n    issues:\n      - title: {}\n        body: {}\n\
             upgrades:\n  policy: sequential\n",
            block(111, 2),
            block(112, 2),
            block(113, 2),
            block(114, 2),
            block(115, 6),
            block(116, 6),
            block(117, 6),
            block(118, 6),
            block(119, 10),
            block(120, 10),
        ),
    );
    write(
        &c.join("products/plain.yaml"),
        "name: Plain\nversions:\n  - id: \"1\"\n",
    );
    write(
        &c.join("components/part.yaml"),
        format!("name: {}\nsummary: {}\n", block(131, 2), block(132, 2)),
    );
    // The issue's `when` puts the condition's description (103) on version
    // pages, in the words that say when the issue applies.
    write(
        &c.join("scenarios/evil/up.yaml"),
        format!(
            "from: evil@2\nto: plain\ndirect: supported\ntitle: {}\nsummary: {}\nsteps:\n  - {}\n\
             issues:\n  - title: {}\n    component: part\n    when: hostile\n    body: {}\n\
             alternatives:\n  - title: {}\n    body: {}\n\
             links:\n  - title: {}\n    url: '{url}'\n\
             sources:\n  - title: {}\n    url: '{url}'\n    quote: {}\nnotes: {}\n",
            block(141, 2),
            block(142, 2),
            block(143, 4),
            block(144, 6),
            block(145, 6),
            block(146, 6),
            block(147, 6),
            block(148, 6),
            block(149, 6),
            block(150, 6),
            block(151, 2),
        ),
    );
    write(
        &c.join("scenarios/evil/skip.yaml"),
        format!(
            "from: evil@1\nto: plain\ndirect: unsupported\nvia: [evil@2]\ntitle: {}\n\
             alternatives:\n  - title: {}\n    body: {}\n",
            block(161, 2),
            block(162, 6),
            block(163, 6),
        ),
    );
    let codes = vec![
        101, 102, 103, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 131, 132, 141, 142, 143,
        144, 145, 146, 147, 148, 149, 150, 151, 161, 162, 163,
    ];
    (dir, codes)
}

/// Signs that hostile text from [`hostile_kb`] became markup on a page.
fn injection_problems(page: &str, raw: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for needle in [
        "<script>alert",
        "<img src=x onerror",
        "\"><img",
        "</textarea>",
        "</script></title>",
        "<!-- 1",
        "14 T",
    ] {
        if raw.contains(needle) {
            problems.push(format!("{page} contains {needle:?} unescaped"));
        }
    }
    let doc = Html::parse_document(raw);
    for element in doc.select(&sel("*")) {
        let el = element.value();
        if let Some((name, _)) = el.attrs().find(|(n, _)| n.starts_with("on")) {
            problems.push(format!(
                "{page}: <{}> has an event handler `{name}`",
                el.name()
            ));
        }
        if matches!(el.name(), "img" | "textarea") {
            problems.push(format!("{page}: a <{}> element was injected", el.name()));
        }
        if el.name() == "script" && element.text().any(|t| t.contains("alert")) {
            problems.push(format!("{page}: a <script> with hostile text"));
        }
    }
    // The page title holds the whole site title (field 101), as text.
    let titles: Vec<String> = doc.select(&sel("head > title")).map(text_of).collect();
    if titles.len() != 1 || !titles[0].ends_with("<!-- 101") {
        problems.push(format!("{page}: the <title> was broken out of: {titles:?}"));
    }
    problems
}

#[test]
fn the_injection_checker_finds_unescaped_markup() {
    let escaped = format!(
        "<!DOCTYPE html><html lang=en><head><title>{}</title></head><body><main><h1>x</h1></main></body></html>",
        hostile(101)
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    );
    assert_eq!(
        injection_problems("ok.html", &escaped),
        Vec::<String>::new()
    );
    // Unescaped in the title: the page breaks out of <title>.
    let in_title = format!(
        "<!DOCTYPE html><html lang=en><head><title>{}</title></head><body></body></html>",
        hostile(101)
    );
    let found = injection_problems("title.html", &in_title).join("\n");
    assert!(found.contains("<title> was broken out of"), "{found}");
    // Unescaped in an attribute: an <img> with an event handler appears.
    let in_attribute = escaped.replace("<h1>", "<h1 title=\"x\"><img src=x onerror=alert(102)>\">");
    let found = injection_problems("attribute.html", &in_attribute).join("\n");
    for want in [
        "<img src=x onerror",
        "event handler `onerror`",
        "a <img> element",
    ] {
        assert!(found.contains(want), "missed {want}:\n{found}");
    }
}

#[test]
fn hostile_text_in_every_field_comes_out_as_text() {
    let (kb, codes) = hostile_kb();
    let site = build_site(kb.path(), &[]);
    let mut problems = Vec::new();
    let mut shown_text = String::new();
    for page in html_files(&site.out) {
        let raw = read_page(&site.out, &page);
        problems.extend(injection_problems(&page, &raw));
        let doc = Html::parse_document(&raw);
        shown_text.push_str(&doc.root_element().text().collect::<String>());
        shown_text.push('\n');
    }
    // The text is shown, not dropped (otherwise the checks above prove nothing).
    for code in codes {
        if !shown_text.contains(&format!("alert({code})")) {
            problems.push(format!("the text of field {code} appears on no page"));
        }
    }
    if !shown_text.contains("{{ 7+7 }}") || !shown_text.contains("{% if true %}T{% endif %}") {
        problems.push("template syntax in content did not come out literally".into());
    }
    // Plain-text fields come out exactly as written.
    for (page, want) in [
        ("products/evil/index.html", hostile(111)),
        ("components/part/index.html", hostile(131)),
        ("scenarios/evil/up/index.html", hostile(141)),
    ] {
        let doc = parse_page(&site.out, page);
        let got = doc.select(&sel("h1")).next().map(text_of);
        let want = want.split_whitespace().collect::<Vec<_>>().join(" ");
        if got.as_deref() != Some(want.as_str()) {
            problems.push(format!("{page}: h1 {got:?}, want {want:?}"));
        }
    }
    problems.extend(site_problems(&site.out, LinkRules::default()));
    assert_no_problems("hostile knowledge base", &problems);
}

/// The data files keep `<` as written (they are scripts of their own,
/// loaded with `<script src>`), which is safe only while no page inlines a
/// script: every `<script>` of the hostile site's pages has a `src` and no
/// text.
#[test]
fn no_page_inlines_a_script() {
    let (kb, _) = hostile_kb();
    let site = build_site(kb.path(), &[]);
    let mut problems = Vec::new();
    for (path, _) in site_files(&site.out) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = Html::parse_document(&fs::read_to_string(site.out.join(&path)).unwrap());
        for script in html.select(&sel("script")) {
            if script.value().attr("src").is_none() || script.text().next().is_some() {
                problems.push(format!("{path}: an inline script: {:.80}", script.html()));
            }
        }
    }
    assert_no_problems("scripts of the hostile knowledge base's pages", &problems);
}

/// The data files' strings, single-quoted, read back as the text they hold,
/// as a JavaScript engine reads them (`common::js`), with no raw line break.
#[test]
fn single_quoted_strings_read_back_as_the_text() {
    for text in [
        r#"[{"t":"it's a \"quote\" \\ </script><!--"}]"#,
        "line\nbreak\r\u{2028}\u{2029}",
        "",
    ] {
        let literal = upgrade_atlas::plan::single_quoted(text);
        assert!(literal.starts_with('\'') && literal.ends_with('\''));
        assert!(!literal.contains(['\n', '\r', '\u{2028}', '\u{2029}']));
        assert_eq!(common::js::string(&literal), text);
    }
}

/// The search files are scripts: the hostile text is in them, and each is
/// one statement that `JSON.parse` reads back.
#[test]
fn hostile_text_cannot_close_a_search_file() {
    let (kb, _) = hostile_kb();
    let site = build_site(kb.path(), &[]);
    let mut problems = Vec::new();
    let mut texts = String::new();
    for (path, _) in site_files(&site.out) {
        if !path.starts_with("data/search") {
            continue;
        }
        let script = fs::read_to_string(site.out.join(&path)).unwrap();
        // `<` may stay: the files are loaded with `<script src>`, never
        // inlined, where no `</script>` can end them.
        if script.contains('\u{2028}') || script.contains('\u{2029}') {
            problems.push(format!("{path} holds a raw line separator"));
        }
        if script.lines().count() != 1
            || !script.starts_with("window.") && !script.starts_with("(window.")
        {
            problems.push(format!("{path} is not one assignment: {script:.80}"));
        }
        // The JSON text in its string literal, as JSON.parse gets it.
        let json = common::js::parsed_json(&script);
        serde_json::from_str::<serde_json::Value>(&json).unwrap();
        texts.push_str(&json);
    }
    // Titles and names are searched as written, markup and all.
    for needle in ["</script></title>", "<!-- 141", "<script>alert(111)"] {
        if !texts.contains(needle) {
            problems.push(format!("no search file holds {needle:?}"));
        }
    }
    assert_no_problems("search files of the hostile knowledge base", &problems);
}

/// Markdown may hold images; the site must not load them from another host
/// (design: "No page loads anything from another host").
#[test]
fn markdown_images_do_not_load_from_another_host() {
    let kb = tempfile::tempdir().unwrap();
    write(
        &kb.path().join("content/products/p.yaml"),
        "name: P\nsummary: |\n  Logo: ![logo](https://tracker.example.com/pixel.png)\n\
         versions:\n  - id: \"1\"\n",
    );
    let result = common::build_into(kb.path(), &kb.path().join("out"), &[]);
    if !result.status.success() {
        // Refusing the image at check time is a fine answer too.
        assert_eq!(result.status.code(), Some(1), "{}", describe(&result));
        assert!(
            text(&result.stderr).contains("products/p.yaml"),
            "{}",
            describe(&result)
        );
        return;
    }
    let problems: Vec<String> = site_problems(&kb.path().join("out"), LinkRules::default())
        .into_iter()
        .filter(|p| p.contains("another host"))
        .collect();
    assert_no_problems("remote image from Markdown", &problems);
}

// ---- 5. determinism --------------------------------------------------------------------------

#[test]
fn builds_are_byte_identical() {
    // The fixture with conditions too: what they change is listed in an
    // order that must not follow addresses in memory.
    let conditions = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/conditions");
    for root in [Path::new(example()), conditions.as_path()] {
        builds_twice_the_same(root);
    }
}

fn builds_twice_the_same(root: &Path) {
    let one = build_site(root, &[]);
    let two = build_site(root, &[]);
    let a = files(&one.out);
    let b = files(&two.out);
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the two builds hold different files"
    );
    let differ: Vec<String> = a
        .iter()
        .filter(|(name, bytes)| b.get(*name) != Some(bytes))
        .map(|(name, _)| name.clone())
        .collect();
    assert_no_problems(
        "files that differ between two builds",
        &differ
            .iter()
            .map(|d| format!("{d} differs"))
            .collect::<Vec<_>>(),
    );
}

// ---- 6. failed builds -------------------------------------------------------------------------

/// Builds the example into a folder, then a copy broken by `break_it` into
/// the same folder: that build must fail naming `place`, and leave the
/// previous site and its surroundings exactly as they were.
fn assert_a_failed_build_changes_nothing(break_it: impl Fn(&Path), place: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let first = common::build_into(example(), &out, &[]);
    assert!(first.status.success(), "{}", describe(&first));
    let before = files(&out);
    let around = entries(dir.path());

    let kb = copy_kb(example());
    break_it(kb.path());
    let second = common::build_into(kb.path(), &out, &[]);
    assert_eq!(second.status.code(), Some(1), "{}", describe(&second));
    let stderr = text(&second.stderr);
    assert!(!stderr.contains("panicked"), "{}", describe(&second));
    assert!(
        stderr.contains(place),
        "the error does not name {place}: {stderr}"
    );
    assert!(
        before == files(&out),
        "the failed build changed the previous site"
    );
    assert_eq!(
        entries(dir.path()),
        around,
        "the failed build left something beside the output"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    assert_a_failed_build_changes_nothing(
        |kb| {
            let product = kb.join("content/products/backoffice-server.yaml");
            let mut yaml = fs::read_to_string(&product).unwrap();
            yaml.push_str("  bogus: [never closed\n");
            fs::write(&product, yaml).unwrap();
        },
        "content/products/backoffice-server.yaml:",
    );
}

/// Pages are written while others still render: a template that fails
/// on some pages only must still leave nothing behind.
#[test]
fn a_build_that_fails_while_rendering_leaves_the_previous_site_untouched() {
    assert_a_failed_build_changes_nothing(
        |kb| {
            write(
                &kb.join("templates/partials/issue.html"),
                "Issue: {{ nothing.here }}\n",
            )
        },
        "templates/partials/issue.html:1:",
    );
}

#[test]
fn bad_cases_fail_without_writing_anything() {
    let mut problems = Vec::new();
    for case in conformance_cases("bad") {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let result = common::build_into(&case, &out, &[]);
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        if result.status.code() != Some(1) {
            problems.push(format!("{name}: {}", describe(&result)));
        }
        if text(&result.stderr).contains("panicked") {
            problems.push(format!("{name}: panicked: {}", text(&result.stderr)));
        }
        if out.exists() {
            problems.push(format!("{name}: {} exists", out.display()));
        }
        let left = entries(dir.path());
        if !left.is_empty() {
            problems.push(format!("{name}: left {left:?} in the output's folder"));
        }
    }
    assert_no_problems("bad cases", &problems);
}

// ---- 7. folders that are not ours -------------------------------------------------------------

#[test]
fn a_foreign_folder_is_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let foreign = dir.path().join("foreign");
    write(&foreign.join("keep.txt"), "mine");
    let result = common::build_into(example(), &foreign, &[]);
    assert_eq!(result.status.code(), Some(1), "{}", describe(&result));
    assert!(
        text(&result.stderr).contains(foreign.to_str().unwrap()),
        "the message does not name the folder: {}",
        describe(&result)
    );
    assert_eq!(
        fs::read_to_string(foreign.join("keep.txt")).unwrap(),
        "mine"
    );
    assert_eq!(entries(&foreign), BTreeSet::from(["keep.txt".to_owned()]));
    assert_eq!(entries(dir.path()), BTreeSet::from(["foreign".to_owned()]));
}

#[test]
fn the_knowledge_base_itself_is_never_the_output() {
    let kb = copy_kb(example());
    let root = kb.path();
    let before = files(root);
    for output in [
        root.to_path_buf(),
        root.join("."),
        root.join("content"),
        root.join("content/products"),
    ] {
        let result = common::build_into(root, &output, &[]);
        assert_eq!(
            result.status.code(),
            Some(1),
            "--output {}: {}",
            output.display(),
            describe(&result)
        );
        assert!(
            text(&result.stderr).contains("refusing"),
            "--output {}: {}",
            output.display(),
            describe(&result)
        );
        assert!(
            files(root) == before,
            "--output {} changed the knowledge base",
            output.display()
        );
    }
    assert_eq!(entries(root), BTreeSet::from(["content".to_owned()]));
}

// ---- 8. sitemap and robots.txt ------------------------------------------------------------------

#[test]
fn base_url_gives_a_sitemap_and_robots_line() {
    let base = "https://kb.example.com/docs/";
    let site = build_site(example(), &["--base-url", "https://kb.example.com/docs"]);
    let sitemap = fs::read_to_string(site.out.join("sitemap.xml")).expect("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://kb.example.com/docs/index.html</loc>"),
        "{sitemap}"
    );
    let robots = fs::read_to_string(site.out.join("robots.txt")).expect("robots.txt");
    assert!(
        robots
            .lines()
            .any(|l| l == "Sitemap: https://kb.example.com/docs/sitemap.xml"),
        "{robots}"
    );
    // Every page but 404.html is listed once, and every listed page exists.
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap())
        .collect();
    let listed: BTreeSet<String> = locs
        .iter()
        .map(|l| {
            l.strip_prefix(base)
                .unwrap_or_else(|| panic!("{l} is not under {base}"))
                .to_owned()
        })
        .collect();
    assert_eq!(listed.len(), locs.len(), "a page is listed twice");
    let pages: BTreeSet<String> = html_files(&site.out)
        .into_iter()
        .filter(|p| p != "404.html")
        .collect();
    assert_eq!(listed, pages, "sitemap.xml and the pages disagree");
    // Canonical links point at the page's own address.
    let doc = parse_page(&site.out, "products/backoffice-server/4.5/index.html");
    let canonical = doc
        .select(&sel("link[rel=canonical]"))
        .next()
        .and_then(|l| l.value().attr("href"));
    assert_eq!(
        canonical,
        Some("https://kb.example.com/docs/products/backoffice-server/4.5/index.html")
    );
    assert_no_problems(
        "links with a base URL",
        &site_problems(
            &site.out,
            LinkRules {
                base_url: Some(base),
                ..LinkRules::default()
            },
        ),
    );

    let plain = build_site(example(), &[]);
    assert!(
        !plain.out.join("sitemap.xml").exists(),
        "sitemap.xml without a base URL"
    );
    let robots = fs::read_to_string(plain.out.join("robots.txt")).expect("robots.txt");
    assert!(!robots.contains("Sitemap"), "{robots}");
}

// ---- 9. pretty URLs --------------------------------------------------------------------------------

#[test]
fn pretty_urls_drop_index_html_and_still_resolve() {
    let kb = copy_kb(example());
    let site_yaml = kb.path().join("content/site.yaml");
    let mut yaml = fs::read_to_string(&site_yaml).unwrap();
    yaml.push_str("pretty_urls: true\n");
    fs::write(&site_yaml, yaml).unwrap();
    let site = build_site(kb.path(), &[]);
    assert_no_problems(
        "pretty links",
        &site_problems(
            &site.out,
            LinkRules {
                pretty: true,
                ..LinkRules::default()
            },
        ),
    );
    // The checker must have seen folder links at all.
    let home = read_page(&site.out, "products/backoffice-server/index.html");
    assert!(
        home.contains("href=\"../../\""),
        "no link to the home folder"
    );
}

// ---- 10. a knowledge base's own templates --------------------------------------------------------

#[test]
fn own_templates_replace_the_built_in_ones() {
    let kb = copy_kb(example());
    write(
        &kb.path().join("templates/404.html"),
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>Lost in the atlas</h1>\n\
         <p>Nothing lives here, traveller.</p>\n{% endblock main %}\n",
    );
    let site = build_site(kb.path(), &[]);
    let page = read_page(&site.out, "404.html");
    assert!(page.contains("Nothing lives here, traveller."), "{page}");
    assert!(!page.contains("There is no page at this address"), "{page}");
    // The other pages keep the built-in theme.
    let home = read_page(&site.out, "index.html");
    assert!(!home.contains("traveller"));
    assert!(
        site.out
            .join("products/backoffice-server/4.5/index.html")
            .is_file()
    );
}

#[test]
fn a_broken_own_template_fails_the_build_with_its_file_and_line() {
    // The second names another template on the line at fault, which must
    // not be taken for the one at fault.
    let cases = [
        (
            "{% extends \"base.html\" %}\n{% block main %}\n{% if %}\n<h1>x</h1>\n{% endif %}\n\
             {% endblock main %}\n",
            "templates/404.html:3:",
        ),
        (
            "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }</h1>{% endblock main %}",
            "templates/404.html:1:60:",
        ),
    ];
    for (template, place) in cases {
        let kb = copy_kb(example());
        write(&kb.path().join("templates/404.html"), template);
        let out = kb.path().join("public");
        let result = common::build_into(kb.path(), &out, &[]);
        assert_eq!(result.status.code(), Some(1), "{}", describe(&result));
        let stderr = text(&result.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(
            stderr.starts_with(place),
            "the error does not start with {place}:\n{stderr}"
        );
        assert!(!out.exists(), "a failed build wrote {}", out.display());
    }
}

// ---- 11. snapshots -------------------------------------------------------------------------------------

#[test]
fn snapshot_of_a_version_page() {
    let site = build_site(example(), &[]);
    insta::assert_snapshot!(
        "version_backoffice_server_4_0",
        read_page(&site.out, "products/backoffice-server/4.0/index.html")
    );
}

#[test]
fn snapshot_of_a_scenario_page() {
    let site = build_site(example(), &[]);
    insta::assert_snapshot!(
        "scenario_backoffice_4_0_to_xp",
        read_page(&site.out, "scenarios/backoffice/4.0-to-xp/index.html")
    );
}

// ---- 12. a large knowledge base -------------------------------------------------------------------------

/// Writes a knowledge base of `products` products of `versions` versions
/// each (sequential upgrades) and `scenarios` supported scenarios, each from
/// a version of one product to a version of a later product.
fn large_kb(products: usize, versions: usize, scenarios: usize) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("content");
    write(&c.join("site.yaml"), "title: Large\n");
    for p in 0..products {
        let mut yaml = format!("name: Product {p}\nversions:\n");
        for v in 1..=versions {
            let _ = writeln!(yaml, "  - id: \"{v}.0\"");
        }
        yaml.push_str("upgrades: { policy: sequential }\n");
        write(&c.join(format!("products/p{p:03}.yaml")), yaml);
    }
    for s in 0..scenarios {
        let from = s % (products - 1);
        let to = from + 1 + (s / (products - 1)) % (products - 1 - from);
        let from_version = 1 + (s * 7) % versions;
        let to_version = 1 + (s * 3) % versions;
        let mut yaml = format!(
            "from: p{from:03}@{from_version}.0\nto: p{to:03}@{to_version}.0\ndirect: supported\n\
             title: Scenario {s}\nsummary: From [Product {from}](@p{from:03}) onwards.\n"
        );
        if s % 10 == 0 {
            let _ = write!(
                yaml,
                "issues:\n  - title: Issue of scenario {s}\n    severity: warning\n"
            );
        }
        write(&c.join(format!("scenarios/g{from:03}/s{s:05}.yaml")), yaml);
    }
    dir
}

const SEARCH_WORDS_FILE_MAX: u64 = 64 * 1024;
const SEARCH_DOCUMENTS_FILE_MAX: u64 = 16 * 1024;

/// The sizes of the search files of a site, each list largest last.
struct SearchFileSizes {
    manifest: u64,
    words: Vec<(u64, String)>,
    documents: Vec<(u64, String)>,
}

/// The sizes of the search files among a site's files (path, size).
fn search_file_sizes(files: &[(String, u64)]) -> SearchFileSizes {
    let mut manifest = 0;
    let mut words = Vec::new();
    let mut documents = Vec::new();
    for (path, size) in files {
        if path == "data/search.js" {
            manifest = *size;
        } else if let Some(name) = path.strip_prefix("data/search/") {
            let list = if name.starts_with('d') {
                &mut documents
            } else {
                &mut words
            };
            list.push((*size, name.to_owned()));
        }
    }
    words.sort();
    documents.sort();
    SearchFileSizes {
        manifest,
        words,
        documents,
    }
}

/// No search file grows with the knowledge base, so neither does what a
/// first query loads: the manifest, a words file a term, at most 50
/// documents files. Returns the most a one-word query can load.
fn assert_search_files_small(files: &[(String, u64)]) -> u64 {
    let SearchFileSizes {
        manifest,
        words,
        documents,
    } = search_file_sizes(files);
    let largest_words = words.last().expect("words files");
    let largest_documents = documents.last().expect("documents files");
    eprintln!(
        "search index: manifest {manifest} bytes, {} words files (largest {largest_words:?}), \
         {} documents files (largest {largest_documents:?})",
        words.len(),
        documents.len()
    );
    assert!(
        manifest < SEARCH_WORDS_FILE_MAX,
        "the manifest is {manifest} bytes"
    );
    assert!(largest_words.0 < SEARCH_WORDS_FILE_MAX, "{largest_words:?}");
    assert!(
        largest_documents.0 < SEARCH_DOCUMENTS_FILE_MAX,
        "{largest_documents:?}"
    );
    manifest + largest_words.0 + 50 * largest_documents.0
}

fn site_files(site: &Path) -> Vec<(String, u64)> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (relative(site, e.path()), e.metadata().unwrap().len()))
        .collect()
}

#[test]
fn what_a_first_query_loads_does_not_grow_with_the_base() {
    let mut totals = Vec::new();
    for scenarios in [200, 2000] {
        let kb = tempfile::tempdir().unwrap();
        common::generate_base(kb.path(), 30, 8, scenarios);
        let checked = upgrade_atlas::check(kb.path()).unwrap_or_else(|failure| {
            panic!("the generated base of {scenarios} scenarios does not check:\n{failure}")
        });
        let planner = upgrade_atlas::plan::Planner::new(&checked.model, &Default::default());
        let (files, warnings) = planner.files();
        assert!(warnings.is_empty());
        let files: Vec<(String, u64)> = files
            .into_iter()
            .map(|f| (f.path, f.bytes.len() as u64))
            .collect();
        assert_search_files_small(&files);
        let sizes = search_file_sizes(&files);
        let sum = |files: &[(u64, String)]| files.iter().map(|(s, _)| s).sum::<u64>();
        totals.push((scenarios, sum(&sizes.words), sum(&sizes.documents)));
    }
    // The larger base's words and documents are many times the bounds: an
    // index that kept them in fewer files, growing with the base, would fail.
    let (_, words, documents) = totals[1];
    assert!(words > SEARCH_WORDS_FILE_MAX, "{totals:?}");
    assert!(documents > 50 * SEARCH_DOCUMENTS_FILE_MAX, "{totals:?}");
    assert!(documents > 6 * totals[0].2, "{totals:?}");
}

fn check_large(products: usize, versions: usize, scenarios: usize) {
    let started = std::time::Instant::now();
    let kb = large_kb(products, versions, scenarios);
    let generated = started.elapsed();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let result = common::build_into(kb.path(), &out, &[]);
    eprintln!(
        "large site: generated in {generated:?}, built in {:?}: {}",
        started.elapsed() - generated,
        text(&result.stdout).trim()
    );
    assert!(result.status.success(), "{}", describe(&result));

    let pages = html_files(&out);
    let count = |prefix: &str| pages.iter().filter(|p| p.starts_with(prefix)).count();
    let listing = count("products/index");
    assert_eq!(
        listing,
        products.div_ceil(100),
        "pages of the product index"
    );
    assert_eq!(
        count("products/") - listing,
        products * (versions + 1),
        "product and version pages"
    );
    assert_eq!(count("scenarios/"), scenarios, "scenario pages");
    for page in [
        "index.html",
        "matrix/index.html",
        "paths/index.html",
        "404.html",
    ] {
        assert!(out.join(page).is_file(), "missing {page}");
    }

    // No page grows with the whole knowledge base.
    const MAX: u64 = 2 * 1024 * 1024;
    let mut largest: Vec<(u64, String)> = pages
        .iter()
        .map(|p| (fs::metadata(out.join(p)).unwrap().len(), p.clone()))
        .collect();
    largest.sort();
    let too_big: Vec<String> = largest
        .iter()
        .filter(|(size, _)| *size > MAX)
        .map(|(size, page)| format!("{page}: {size} bytes"))
        .collect();
    assert_no_problems("pages over 2 MB", &too_big);
    assert_search_files_small(&site_files(&out));

    // A few pages picked at random (a fixed seed): they exist, with links that resolve.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |below: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % below as u64) as usize
    };
    let mut problems = Vec::new();
    for _ in 0..5 {
        let s = next(scenarios);
        let from = s % (products - 1);
        let page = format!("scenarios/g{from:03}/s{s:05}/index.html");
        let p = next(products);
        let v = 1 + next(versions);
        let version_page = format!("products/p{p:03}/{v}.0/index.html");
        for page in [page, version_page] {
            if !out.join(&page).is_file() {
                problems.push(format!("missing {page}"));
                continue;
            }
            let facts = page_facts(&page, &read_page(&out, &page));
            problems.extend(facts.problems);
            for (tag, attr, value, _) in facts.refs {
                if is_remote(&value) || value.starts_with('#') {
                    continue;
                }
                if let Err(why) = resolve_link(&out, &page, split_url(&value).0, false) {
                    problems.push(format!("{page}: <{tag} {attr}=\"{value}\">: {why}"));
                }
            }
        }
    }
    let doc = parse_page(&out, "scenarios/g000/s00000/index.html");
    assert_eq!(
        doc.select(&sel("h1")).next().map(text_of).as_deref(),
        Some("Scenario 0")
    );
    assert_no_problems("sampled pages of the large site", &problems);
    eprintln!(
        "large site: {} pages, {} bytes of HTML, largest {} ({} bytes)",
        pages.len(),
        largest.iter().map(|(size, _)| size).sum::<u64>(),
        largest.last().unwrap().1,
        largest.last().unwrap().0
    );
}

#[test]
fn a_knowledge_base_of_1000_scenarios_builds() {
    check_large(50, 8, 1_000);
}

/// About a minute of CPU with the debug binary that `cargo test` builds:
/// run in CI (.ci/run), or with `cargo test -- --ignored`.
#[test]
#[ignore = "big input (10,000 scenarios): CI runs it; locally `cargo test -- --ignored`"]
fn a_knowledge_base_of_10000_scenarios_builds() {
    check_large(250, 8, 10_000);
}

/// What a reader tripped over on version pages: the product's notes (the
/// seed's "contact your local representative") were only on the product
/// page; "blocking", "warning" and "note" were never defined.
#[test]
fn version_pages_carry_the_products_notes_and_define_severities() {
    let site = build_site(example(), &[]);
    for page in [
        "products/backoffice-server/2.5/index.html",
        "products/small-business-server/4.0/index.html",
    ] {
        let doc = parse_page(&site.out, page);
        let notes = doc
            .select(&sel("aside.product-notes"))
            .next()
            .map(text_of)
            .unwrap_or_else(|| panic!("{page}: no product notes"));
        assert!(
            notes.to_lowercase().contains("representative"),
            "{page}: {notes}"
        );
        let legend = doc
            .select(&sel("p.legend"))
            .next()
            .map(text_of)
            .unwrap_or_else(|| panic!("{page}: no legend of severities"));
        for word in ["Blocking", "Warning", "Info"] {
            assert!(legend.contains(word), "{page}: {legend}");
        }
    }
}

/// A scenario page carries the notes of every product it names (in
/// `from`, `to` or `via`), each once and said whose they are, as version
/// pages carry their product's.
#[test]
fn scenario_pages_carry_the_notes_of_the_products_they_name() {
    let site = build_site(example(), &[]);
    let notes_on = |page: &str| -> Vec<(String, String)> {
        let doc = parse_page(&site.out, page);
        doc.select(&sel("main aside.product-notes"))
            .map(|aside| {
                let label = aside.value().attr("aria-label").unwrap_or_default();
                (label.to_owned(), text_of(aside))
            })
            .collect()
    };
    // From Small Business Server, via BackOffice Server 4.5, to Windows XP
    // Server (which has no notes): both products' notes, in product order.
    let notes = notes_on("scenarios/small-business/to-xp/index.html");
    let labels: Vec<&str> = notes.iter().map(|(label, _)| label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Notes on Microsoft BackOffice Server",
            "Notes on Microsoft BackOffice Small Business Server"
        ]
    );
    for (label, text) in &notes {
        assert!(text.contains("representative"), "{label}: {text}");
        assert!(
            text.contains(&label[..]["Notes on ".len()..]),
            "{label}: {text}"
        );
    }
    let notes = notes_on("scenarios/backoffice/4.5-to-xp/index.html");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0].0, "Notes on Microsoft BackOffice Server");
}

/// The search page had two search boxes, the top bar's and its own: it
/// has one, its own, inside `main`; other pages keep the top bar's.
#[test]
fn the_search_page_has_one_search_box() {
    let site = build_site(example(), &[]);
    let boxes = |page: &str| -> Vec<String> {
        let doc = parse_page(&site.out, page);
        doc.select(&sel("input[type=search]"))
            .map(|input| input.value().attr("id").unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(boxes("search/index.html"), ["search-query"]);
    let doc = parse_page(&site.out, "search/index.html");
    assert_eq!(doc.select(&sel("main #search-query")).count(), 1);
    assert_eq!(doc.select(&sel("[role=search]")).count(), 1);
    for page in ["index.html", "products/backoffice-server/4.0/index.html"] {
        assert_eq!(boxes(page), ["site-search"], "{page}");
    }
}

/// One product of versions 1 to 15, any-newer, with required stops at 5
/// and 10: 63 upgrades in all.
fn stops_kb() -> TempDir {
    let kb = tempfile::tempdir().unwrap();
    let versions: Vec<String> = (1..=15).map(|v| format!("{{ id: \"{v}\" }}")).collect();
    write(&kb.path().join("content/site.yaml"), "title: Stops\n");
    write(
        &kb.path().join("content/products/app.yaml"),
        format!(
            "name: App\nversions: [{}]\nupgrades:\n  policy: any-newer\n  required_stops: [\"5\", \"10\"]\n",
            versions.join(", ")
        ),
    );
    kb
}

/// A product with an any-newer rule over many versions draws its line of
/// required stops, with the rule said once, not an arc an upgrade; the
/// drawing is narrow enough to print at full size. A product of three
/// versions keeps its drawing of every upgrade.
#[test]
fn a_wide_any_newer_rule_draws_its_line_of_stops() {
    let kb = stops_kb();
    let site = build_site(kb.path(), &[]);
    let doc = parse_page(&site.out, "products/app/index.html");
    let svg = doc
        .select(&sel("figure.diagram-box svg.diagram.line"))
        .next()
        .expect("the line of stops");
    let width: usize = svg.value().attr("width").unwrap().parse().unwrap();
    assert!(width <= 680, "{width} px: wider than a printed page");
    let texts = |css: &str| -> Vec<String> { svg.select(&sel(css)).map(text_of).collect() };
    assert_eq!(texts("text.node-label"), ["1", "5", "10", "15"]);
    assert_eq!(svg.select(&sel("rect.node.stop")).count(), 2);
    assert_eq!(svg.select(&sel("path.edge")).count(), 3, "not 63 arcs");
    assert_eq!(texts("text.edge-label"), ["2–4", "6–9", "11–14"]);
    let caption = doc
        .select(&sel("figure.diagram-box figcaption"))
        .next()
        .map(text_of)
        .unwrap();
    assert_eq!(caption.matches("any newer").count(), 1, "{caption}");

    let example = build_site(example(), &[]);
    let doc = parse_page(&example.out, "products/backoffice-server/index.html");
    assert_eq!(doc.select(&sel("svg.diagram")).count(), 1);
    assert_eq!(doc.select(&sel("svg.diagram.line")).count(), 0);
}

/// The matrix says its answers as a list too, a starting version each:
/// targets grouped by answer, neighbouring versions as ranges. A table of
/// more than a dozen columns prints as its list (the table is hidden in
/// print); a narrow one keeps its table.
#[test]
fn the_matrix_says_its_answers_as_a_list_too() {
    let kb = stops_kb();
    let site = build_site(kb.path(), &[]);
    let doc = parse_page(&site.out, "matrix/index.html");
    let list: Vec<(String, String)> = doc
        .select(&sel("main details.matrix-list dt"))
        .zip(doc.select(&sel("main details.matrix-list dd")))
        .map(|(dt, dd)| (text_of(dt), text_of(dd)))
        .collect();
    assert_eq!(list.len(), 15, "a starting version each: {list:?}");
    assert_eq!(
        list[0],
        (
            "App 1".to_owned(),
            "Direct: 2–5; 2 hops: 6–10; 3 hops: 11–15".to_owned()
        )
    );
    assert_eq!(list[9].1, "Direct: 11–15");
    assert_eq!(list[14].1, "No supported upgrade to these versions.");
    assert_eq!(
        doc.select(&sel("main .matrix-wrap.print-as-list")).count(),
        1
    );

    // The example: several products, named in full; a table of six
    // columns still prints.
    let example = build_site(example(), &[]);
    let doc = parse_page(&example.out, "matrix/index.html");
    let first = doc
        .select(&sel("main details.matrix-list dd"))
        .next()
        .map(text_of);
    assert_eq!(
        first.as_deref(),
        Some("Direct: Microsoft BackOffice Server 4.0–4.5; 2 hops: Windows XP Server")
    );
    assert_eq!(
        doc.select(&sel("main .matrix-wrap.print-as-list")).count(),
        0
    );
}

/// A folder refused by `build` was reported as `DIR:1:1:`, a line of a
/// file it is not: now `DIR: error: …` (writers' issue, item 10).
#[test]
fn a_refused_output_folder_is_named_without_a_line() {
    let kb = tempfile::tempdir().unwrap();
    common::copy_tree(
        &Path::new(example()).join("content"),
        &kb.path().join("content"),
    );
    let foreign = kb.path().join("mine");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    let out = common::run(&[
        "--root",
        kb.path().to_str().unwrap(),
        "build",
        "--output",
        foreign.to_str().unwrap(),
    ]);
    let stderr = common::text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let line = stderr.lines().next().unwrap_or_default();
    assert!(
        line.starts_with(&format!("{}: error: refusing", foreign.display())),
        "{stderr}"
    );
}
