//! The site in the reader's language (issue 27): the example built with
//! `language: de` and `language: ja` has no English left in the parts the
//! templates, the plan's prose and the scripts' messages add. The English
//! table is the list of what to look for: every run of its text of two
//! words or more that the knowledge base's own (English) content does not
//! also say, and that the language's own table does not say too.

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;

use common::links::{html_files, parse_page};
use scraper::Node;
use upgrade_atlas::i18n::{Messages, builtin_entries};

/// The literal runs of a table's messages, formatted without arguments
/// (each placeholder shows as `{$name}` and splits the text there).
fn runs_of(messages: &Messages, keys: &[String]) -> BTreeSet<String> {
    let mut runs = BTreeSet::new();
    for key in keys {
        let text = messages.text(key, &[]);
        for piece in text.split(['{', '}']) {
            let piece = piece.trim_matches(|c: char| !c.is_alphanumeric());
            if piece.starts_with('$') {
                continue;
            }
            if piece.split_whitespace().count() >= 2 {
                runs.insert(piece.to_owned());
            }
        }
    }
    runs
}

/// What the pages must not say in `language` (English itself for `en`).
fn english_runs(language: &str, content: &str) -> BTreeSet<String> {
    let keys: Vec<String> = builtin_entries("en").into_iter().map(|e| e.key).collect();
    let english = runs_of(Messages::english(), &keys);
    let own = match language {
        "en" => BTreeSet::new(),
        _ => runs_of(&Messages::new(language, &[]), &keys),
    };
    english
        .into_iter()
        .filter(|run| !own.contains(run) && !content.contains(run.as_str()))
        .collect()
}

/// A page's words as a reader meets them: its text outside scripts and
/// code, and the labels it gives (aria-label, title, placeholder, alt).
fn page_words(site: &Path, page: &str) -> String {
    words_of(&parse_page(site, page))
}

fn words_of(html: &scraper::Html) -> String {
    let mut words = String::new();
    for node in html.tree.nodes() {
        match node.value() {
            Node::Text(text) => {
                let inside_code = node.ancestors().any(|a| {
                    a.value()
                        .as_element()
                        .is_some_and(|e| matches!(e.name(), "script" | "style" | "code" | "pre"))
                });
                if !inside_code {
                    words.push_str(text);
                    words.push(' ');
                }
            }
            Node::Element(element) => {
                for name in ["aria-label", "title", "placeholder", "alt"] {
                    if let Some(value) = element.attr(name) {
                        words.push_str(value);
                        words.push(' ');
                    }
                }
            }
            _ => {}
        }
    }
    words.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// All the text of the example's content, as its pages may quote it.
fn content_text() -> String {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut text = String::new();
    for (_, bytes) in common::files(&content) {
        text.push_str(&String::from_utf8_lossy(&bytes));
        text.push('\n');
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Pages whose scripts answer from the address: the path finder's answers
/// (a route, and no route), the search's results and filters.
const ANSWERED: [&str; 3] = [
    "paths/index.html?from=small-business-server@4.0&to=windows-xp-server@xp",
    "paths/index.html?from=windows-xp-server@xp&to=backoffice-server@2.5",
    "search/index.html?q=fax",
];

fn assert_no_english_in(language: &str) {
    let copy = common::example_in(language);
    let out = common::build_site(copy.path(), &[]);
    let site = out.path().join("site");
    let runs = english_runs(language, &content_text());
    assert!(
        runs.len() > 150,
        "the English table gives {} runs",
        runs.len()
    );
    let mut found = Vec::new();
    let mut look = |page: &str, words: String| {
        for run in runs.iter().filter(|run| words.contains(run.as_str())) {
            found.push(format!("{page}: “{run}”"));
        }
    };
    for page in html_files(&site) {
        look(&page, page_words(&site, &page));
    }
    if let Some(chromium) = common::chromium::chromium() {
        for page in ANSWERED {
            let (file, query) = page.split_once('?').unwrap();
            let dom = common::chromium::dump_dom(&chromium, &site.join(file), &format!("?{query}"));
            assert!(
                dom.contains("class=\"verdict") || dom.contains("search-results"),
                "{page} answered nothing"
            );
            let words = words_of(&scraper::Html::parse_document(&dom));
            // A message the scripts could not find shows its key.
            assert!(
                !words.contains("script-"),
                "{page} shows a message's key: {words}"
            );
            look(page, words);
        }
    }
    assert!(
        found.is_empty(),
        "English left on the `{language}` site ({}):\n{}",
        found.len(),
        found.join("\n")
    );
    let html = common::links::read_page(&site, "index.html");
    assert!(html.contains(&format!("<html lang=\"{language}\" dir=\"ltr\">")));
    let scripts = std::fs::read_to_string(site.join("data/messages.js")).unwrap();
    assert!(scripts.contains(&format!("\"language\":\"{language}\"")));
}

#[test]
fn the_example_in_german_has_no_english_left_in_the_built_in_parts() {
    assert_no_english_in("de");
}

#[test]
fn the_example_in_japanese_has_no_english_left_in_the_built_in_parts() {
    assert_no_english_in("ja");
}

/// The scanner finds what it looks for: English on an English site.
#[test]
fn english_pages_say_what_the_english_table_says() {
    let copy = common::copy_of_example();
    let out = common::build_site(copy.path(), &[]);
    let site = out.path().join("site");
    let runs = english_runs("en", &content_text());
    let words = page_words(&site, "products/backoffice-server/4.0/index.html");
    let said = runs
        .iter()
        .filter(|run| words.contains(run.as_str()))
        .count();
    assert!(
        said > 20,
        "an English version page says {said} of the table's runs"
    );
}

#[test]
fn dates_are_written_in_the_sites_language() {
    // The PostgreSQL example states release and support dates.
    let copy = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/postgresql");
    common::copy_tree(&example, copy.path());
    let site_yaml = copy.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&site_yaml).unwrap();
    std::fs::write(
        &site_yaml,
        text.replace("\nlanguage: en\n", "\nlanguage: de\n"),
    )
    .unwrap();
    let out = common::build_site(copy.path(), &[]);
    let page = common::links::read_page(&out.path().join("site"), "products/postgresql/index.html");
    let months = [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ];
    assert!(
        months.iter().any(|m| page.contains(&format!(". {m} "))),
        "no German date on the German product page"
    );
}

/// A knowledge base's own table overrides a built-in message, and `check`
/// names what a language without a built-in table leaves in English.
#[test]
fn a_knowledge_base_overrides_messages_and_check_lists_what_is_missing() {
    let copy = common::example_in("pt");
    let i18n = copy.path().join("content/i18n");
    std::fs::create_dir_all(&i18n).unwrap();
    std::fs::write(
        i18n.join("pt.yaml"),
        "nav-matrix: Matriz\nversion-upgrade-from: \"Atualizar a partir de { $version }\"\n",
    )
    .unwrap();
    let root = copy.path().to_str().unwrap();
    let checked = common::run(&["check", "--root", root]);
    let said = common::text(&checked.stderr);
    assert!(checked.status.success(), "{said}");
    assert!(
        said.contains("are not in `pt`, and show in English"),
        "{said}"
    );
    assert!(said.contains("all-products, alternatives"), "{said}");
    let out = common::build_site(copy.path(), &[]);
    let page = common::links::read_page(
        &out.path().join("site"),
        "products/backoffice-server/4.0/index.html",
    );
    assert!(
        page.contains(">Matriz</a>"),
        "the override is not on the page"
    );
    assert!(
        page.contains("Atualizar a partir de 4.0"),
        "the override with its placeholder is not on the page"
    );
}

/// A pattern that is not Fluent is an error at its line; a key close to a
/// built-in one is a warning that suggests it.
#[test]
fn a_broken_message_is_an_error_at_its_place() {
    let copy = common::copy_of_example();
    let i18n = copy.path().join("content/i18n");
    std::fs::create_dir_all(&i18n).unwrap();
    std::fs::write(
        i18n.join("en.yaml"),
        "nav-matrix: \"Grid { $\"\nnav-pathz: Routes\n",
    )
    .unwrap();
    let root = copy.path().to_str().unwrap();
    let checked = common::run(&["check", "--root", root]);
    let said = common::text(&checked.stderr);
    assert!(!checked.status.success(), "{said}");
    assert!(said.contains("content/i18n/en.yaml:1:13"), "{said}");
    assert!(said.contains("is not a Fluent pattern"), "{said}");
    assert!(
        said.contains("content/i18n/en.yaml:2:1: warning: `nav-pathz` is not a built-in message"),
        "{said}"
    );
    assert!(said.contains("did you mean `nav-paths`?"), "{said}");
}

/// `theme eject i18n/LANG.yaml` starts a table: the built-in one of the
/// language, or English to translate; never over a file that is there.
#[test]
fn eject_copies_a_table_to_start_from() {
    let copy = common::copy_of_example();
    let root = copy.path().to_str().unwrap();
    let ejected = common::run(&["--root", root, "theme", "eject", "i18n/de.yaml"]);
    assert!(
        ejected.status.success(),
        "{}",
        common::text(&ejected.stderr)
    );
    let table = std::fs::read_to_string(copy.path().join("content/i18n/de.yaml")).unwrap();
    assert_eq!(table, upgrade_atlas::i18n::BUILT_IN[1].1);
    let again = common::run(&["--root", root, "theme", "eject", "i18n/de.yaml"]);
    assert!(!again.status.success());
    assert!(common::text(&again.stderr).contains("never overwrites"));
    let other = common::run(&["--root", root, "theme", "eject", "i18n/pt-BR.yaml"]);
    assert!(common::text(&other.stdout).contains("copied the English one"));
    let checked = common::run(&["check", "--root", root]);
    assert!(
        checked.status.success(),
        "{}",
        common::text(&checked.stderr)
    );
}

/// Punctuation between a label and what it labels comes from the table:
/// French puts a no-break space before its colon, Japanese writes a
/// full-width one, English neither. A route's targets on a version page say
/// it most often.
#[test]
fn a_targets_colon_is_the_languages_own() {
    for (language, colon) in [("en", ":"), ("fr", "\u{a0}:"), ("ja", "：")] {
        let copy = common::example_in(language);
        let out = common::build_site(copy.path(), &[]);
        let page = parse_page(
            &out.path().join("site"),
            "products/backoffice-server/4.0/index.html",
        );
        let targets: Vec<String> = page
            .select(&common::sel("ul.targets > li"))
            .map(|li| li.text().collect())
            .collect();
        assert!(!targets.is_empty(), "{language}: no targets");
        for target in &targets {
            let label_end = target.find(colon).unwrap_or_else(|| {
                panic!("{language}: no {colon:?} in {target:?}");
            });
            assert!(
                !target[..label_end].contains([':', '：']),
                "{language}: {target:?}"
            );
        }
    }
}
