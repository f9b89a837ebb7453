//! What `check` accepts, `build` builds (the hardening issue, item 7):
//! every input `build` would fail on, or build wrong, is refused by
//! `check` with a located error and a hint; what `check` accepts at the
//! edges of the rules builds. See "Identifiers", "Dates", "Names and
//! titles" and "Links" in docs/content-format.md.

use crate::common;

use common::guarded::*;

const PRODUCT: &str =
    "name: A\nversions: [{id: \"1\"}, {id: \"2\"}]\nupgrades: {policy: sequential}\n";

fn build(kb: &Kb) -> (Run, std::path::PathBuf) {
    let site = kb.root().join("site");
    let run = kb.run(&["build", "--output", site.to_str().expect("UTF-8")]);
    (run, site)
}

/// A knowledge base with one product of these versions, one a line.
fn with_versions(versions: &str) -> Kb {
    let kb = Kb::new();
    kb.write(
        "content/products/a.yaml",
        format!("name: A\nversions:\n{versions}"),
    );
    kb
}

#[test]
fn a_version_id_too_long_for_a_folder_name_is_refused_by_check() {
    let long = "v".repeat(256);
    let kb = with_versions(&format!("  - id: \"1\"\n  - id: {long}\n"));
    let run = kb.check();
    assert_error_with_hint(
        &run,
        "content/products/a.yaml",
        Some(4),
        &["256 characters long", "the limit is 100"],
    );
    let (run, site) = build(&kb);
    assert_exit(&run, 1);
    assert!(!run.stderr.contains("File name too long"), "{}", run.stderr);
    assert!(!site.exists());
}

#[test]
fn ids_windows_cannot_write_are_refused() {
    let kb = with_versions(
        "  - id: \"1\"\n  - id: CON\n  - id: nul.2\n  - id: \"3.\"\n  - id: \"4\"\n    aliases: [Lpt9]\n",
    );
    kb.write("content/products/aux.yaml", PRODUCT);
    kb.write("content/components/com1.yaml", "name: Port\n");
    kb.write(
        "content/scenarios/prn/s.yaml",
        "from: a@1\nto: a@4\ndirect: supported\n",
    );
    let run = kb.check();
    let file = "content/products/a.yaml";
    assert_error_with_hint(&run, file, Some(4), &["`CON` is a name Windows keeps"]);
    assert_error_with_hint(&run, file, Some(5), &["`nul.2` is a name Windows keeps"]);
    assert_error_with_hint(&run, file, Some(6), &["`3.` ends with `.`"]);
    assert_error_with_hint(&run, file, Some(8), &["`Lpt9` is a name Windows keeps"]);
    assert_error_with_hint(&run, "content/products/aux.yaml", Some(1), &["`aux`"]);
    assert_error_with_hint(&run, "content/components/com1.yaml", Some(1), &["`com1`"]);
    assert_error_with_hint(&run, "content/scenarios/prn/s.yaml", Some(1), &["`prn`"]);
}

/// A scenario from a version to itself covers no upgrade, yet its page
/// said "Supported".
#[test]
fn a_scenario_from_a_version_to_itself_is_refused() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT);
    kb.write(
        "content/scenarios/s.yaml",
        "from: a@2\nto: a@2\ndirect: supported\n",
    );
    assert_error_with_hint(
        &kb.check(),
        "content/scenarios/s.yaml",
        Some(2),
        &["the same version, a@2"],
    );
}

#[test]
fn dates_are_days_of_the_calendar() {
    for (date, valid) in [
        ("2024-02-29", true),
        ("2000-02-29", true),
        ("2024-02-30", false),
        ("2023-02-29", false),
        ("1900-02-29", false),
        ("2024-04-31", false),
        ("2024-00-10", false),
    ] {
        let kb = with_versions(&format!("  - id: \"1\"\n    released: {date}\n"));
        let run = kb.check();
        if valid {
            assert_exit(&run, 0);
        } else {
            assert_error_with_hint(
                &run,
                "content/products/a.yaml",
                Some(4),
                &[&format!("`{date}` is not a date")],
            );
        }
    }
}

#[test]
fn names_and_titles_are_one_line_of_text() {
    let kb = Kb::new();
    kb.write(
        "content/products/a.yaml",
        "name: \"  \"\nversions:\n  - id: \"1\"\n    name: \"One\\nTwo\"\n  - id: \"2\"\nupgrades: {policy: sequential}\n",
    );
    kb.write(
        "content/scenarios/s.yaml",
        "from: a@1\nto: a@2\ndirect: supported\ntitle: |\n  First line\n  second line\nissues:\n  - title: \"\"\n",
    );
    let run = kb.check();
    assert_error_with_hint(&run, "content/products/a.yaml", Some(1), &["name is empty"]);
    assert_error_with_hint(
        &run,
        "content/scenarios/s.yaml",
        Some(8),
        &["title is empty"],
    );
    // Over several lines is folded with a warning, never refused: it built
    // before the rule (the writers' issue, compatibility).
    let warnings: Vec<String> = diagnostics(&run.stderr)
        .into_iter()
        .filter(|d| d.contains(": warning: ") && d.contains("spans several lines"))
        .collect();
    assert_eq!(warnings.len(), 2, "{}", run.stderr);
    assert!(located_at(&warnings[0], "content/products/a.yaml", Some(4)));
    assert!(located_at(
        &warnings[1],
        "content/scenarios/s.yaml",
        Some(5)
    ));
    kb.write(
        "content/products/a.yaml",
        "name: A\nversions:\n  - id: \"1\"\n    name: \"One\\nTwo\"\n  - id: \"2\"\nupgrades: {policy: sequential}\n",
    );
    kb.write(
        "content/scenarios/s.yaml",
        "from: a@1\nto: a@2\ndirect: supported\ntitle: |\n  First line\n  second line\n",
    );
    let site = kb.root().join("site");
    assert_exit(&kb.run(&["build", "--output", site.to_str().unwrap()]), 0);
    let page = std::fs::read_to_string(site.join("scenarios/s/index.html")).unwrap();
    assert!(
        page.contains("First line second line"),
        "folded in the page"
    );
    // A long title folded by YAML is one line.
    kb.write("content/products/a.yaml", PRODUCT);
    kb.write(
        "content/scenarios/s.yaml",
        "from: a@1\nto: a@2\ndirect: supported\ntitle: >\n  A long title\n  folded in two\n",
    );
    assert_exit(&kb.check(), 0);
}

/// Quotes and `<` went raw into robots.txt and sitemap.xml.
#[test]
fn base_urls_are_checked_character_by_character() {
    for bad in [
        "https://kb.example.com/\"><script>",
        "https://kb.example.com/a b/",
        "https://kb.example.com/?q=1",
        "https://kb.example.com/#top",
        "https://<x>/",
        "https:///docs",
        "https://kb.example.com:http/",
        "ftp://kb.example.com/",
    ] {
        let kb = Kb::new();
        kb.write("content/products/a.yaml", PRODUCT);
        kb.write("content/site.yaml", format!("base_url: '{bad}'\n"));
        assert_error_with_hint(&kb.check(), "content/site.yaml", Some(1), &["base_url"]);
        let run = kb.run(&["build", "--base-url", bad]);
        assert_exit(&run, 1);
    }
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT);
    kb.write(
        "content/site.yaml",
        "base_url: https://kb.example.com:8443/docs/upgrade%20kb\n",
    );
    let (run, site) = build(&kb);
    assert_exit(&run, 0);
    let robots = std::fs::read_to_string(site.join("robots.txt")).expect("robots.txt");
    assert!(
        robots.contains("https://kb.example.com:8443/docs/upgrade%20kb/sitemap.xml"),
        "{robots}"
    );
}

/// `@ref#fragment` was refused, though pages link it to the fragment.
#[test]
fn references_with_a_fragment_are_accepted_and_built() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT);
    kb.write(
        "content/scenarios/s.yaml",
        "from: a@1\nto: a@2\ndirect: supported\nsummary: See [the issues](@a@2#issues) and [nothing](@a@3#x).\n",
    );
    assert_error_with_hint(
        &kb.check(),
        "content/scenarios/s.yaml",
        Some(4),
        &[
            "link `@a@3#x` points at nothing",
            "known versions of a: 1, 2",
        ],
    );
    kb.write(
        "content/scenarios/s.yaml",
        "from: a@1\nto: a@2\ndirect: supported\nsummary: See [the issues](@a@2#issues).\n",
    );
    let (run, site) = build(&kb);
    assert_exit(&run, 0);
    let page = std::fs::read_to_string(site.join("scenarios/s/index.html")).expect("the page");
    assert!(
        page.contains("href=\"../../products/a/2/index.html#issues\""),
        "{page}"
    );
}

/// serde-saphyr's own words leaked: "(used;", "use from_str_multiple",
/// and a hint about aliases for a file of too many values.
#[test]
fn yaml_limits_are_explained_in_the_format_s_words() {
    let kb = Kb::new();
    let mut aliases = "name: A\nversions:\n  - id: \"1\"\n    issues: &many\n".to_owned();
    for i in 0..900 {
        aliases.push_str(&format!("      - {{title: Issue {i}}}\n"));
    }
    for v in 2..200 {
        aliases.push_str(&format!("  - id: \"{v}\"\n    issues: *many\n"));
    }
    kb.write("content/products/a.yaml", aliases);
    let run = kb.check();
    assert_error_with_hint(
        &run,
        "content/products/a.yaml",
        None,
        &["aliases repeat too much"],
    );
    assert!(!run.stderr.contains("(used;"), "{}", excerpt(&run.stderr));

    kb.write(
        "content/products/a.yaml",
        format!("{PRODUCT}---\nname: B\n"),
    );
    let run = kb.check();
    assert_error_with_hint(
        &run,
        "content/products/a.yaml",
        Some(5),
        &["second YAML document"],
    );
    assert!(!run.stderr.contains("from_str_multiple"), "{}", run.stderr);

    let values: String = (0..130_000).map(|v| format!("  - id: \"{v}\"\n")).collect();
    kb.write(
        "content/products/a.yaml",
        format!("name: A\nversions:\n{values}"),
    );
    let run = kb.check();
    assert_error_with_hint(
        &run,
        "content/products/a.yaml",
        None,
        &["too many YAML values"],
    );
    assert!(!run.stderr.contains("alias"), "{}", excerpt(&run.stderr));
}

/// At the edges of the rules, what `check` accepts `build` builds.
#[test]
fn what_check_accepts_at_the_edges_builds() {
    let longest = "v".repeat(100);
    let kb = with_versions(&format!(
        "  - id: \"1\"\n    released: 2024-02-29\n  - id: {longest}\n    aliases: [console, \"1.0.nul\"]\n  - id: com10\nupgrades: {{policy: sequential}}\n"
    ));
    kb.write(
        "content/scenarios/edge/s.yaml",
        format!("from: a@1\nto: a@com10\ndirect: unsupported\nvia: [a@{longest}]\ntitle: >\n  Folded\n  title\nsummary: \"[Longest](@a@console#top)\"\n"),
    );
    assert_exit(&kb.check(), 0);
    let (run, site) = build(&kb);
    assert_exit(&run, 0);
    assert!(
        site.join(format!("products/a/{longest}/index.html"))
            .is_file()
    );
}

/// Only the texts of files with load problems are kept in memory; a file
/// that loaded cleanly is read again to show the line of a later error.
/// Both kinds of error must still show their line with a caret under it.
#[test]
fn every_error_shows_its_line_whichever_stage_found_it() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT);
    kb.write(
        "content/scenarios/linked.yaml",
        "from: a@1\nto: a@2\ndirect: supported\nsummary: Read [this](@a@9) first.\n",
    );
    kb.write(
        "content/scenarios/unparsed.yaml",
        "from: a@1\nto: a@2\ndirect: supported : : no\n",
    );
    let run = kb.check();
    assert_exit(&run, 1);
    let found = diagnostics(&run.stderr);
    let shown = |file: &str, line: &str| {
        found
            .iter()
            .any(|d| d.starts_with(file) && d.contains(line) && d.contains('^'))
    };
    assert!(
        shown(
            "content/scenarios/linked.yaml:4:",
            " 4 | summary: Read [this](@a@9) first."
        ),
        "{found:#?}"
    );
    assert!(
        shown(
            "content/scenarios/unparsed.yaml:3:",
            " 3 | direct: supported : : no"
        ),
        "{found:#?}"
    );
}

/// The compatibility corpus (tests/compat/): knowledge bases written the way
/// writers write, each accepted by an earlier release. Every one must keep
/// checking and building; the format tightens only with warnings.
#[test]
fn every_base_an_earlier_release_built_still_builds() {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compat");
    let mut bases: Vec<std::path::PathBuf> = std::fs::read_dir(&corpus)
        .expect("tests/compat")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.join("content").is_dir())
        .collect();
    bases.sort();
    assert!(bases.len() >= 4, "the corpus lost bases: {bases:?}");
    let out = tempfile::tempdir().expect("a folder");
    for base in bases {
        let site = out.path().join(base.file_name().expect("a name"));
        let site = run(&base, &["build", "--output", site.to_str().expect("UTF-8")]);
        assert_exit(&site, 0);
        assert!(
            !site.stderr.contains(": error: "),
            "{}: {}",
            base.display(),
            site.stderr
        );
    }
}

/// The warning for a scenario that skips a stop of a sequential rule
/// ignored conditions: a rule for clustered servers warned about a
/// scenario only for the others, which can never meet it.
#[test]
fn a_skip_warns_only_where_the_sequential_rule_can_hold() {
    let kb = Kb::new();
    kb.write(
        "content/site.yaml",
        "title: T\nconditions:\n  clustered: The server is part of a cluster.\n",
    );
    kb.write(
        "content/products/a.yaml",
        "name: A\nversions: [{id: \"1\"}, {id: \"2\"}, {id: \"3\"}]\nupgrades:\n  - { policy: any-newer }\n  - { policy: sequential, when: clustered }\n",
    );
    kb.write(
        "content/scenarios/s.yaml",
        "from: a@1\nto: a@3\ndirect: supported\nunless: clustered\n",
    );
    let run = kb.check();
    assert_exit(&run, 0);
    assert!(!run.stderr.contains("skipping"), "{}", run.stderr);
    kb.write(
        "content/scenarios/s.yaml",
        "from: a@1\nto: a@3\ndirect: supported\n",
    );
    let run = kb.check();
    assert!(run.stderr.contains("skipping a@2"), "{}", run.stderr);
}
