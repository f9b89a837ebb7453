use super::*;

fn kb(files: &[(&str, &str)]) -> Result<crate::Checked, crate::Failure> {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join("content").join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    crate::check(dir.path())
}

#[test]
fn dependents_are_transitive_and_cycles_are_errors() {
    let checked = kb(&[
        ("components/a.yaml", "name: A\n"),
        ("components/b.yaml", "name: B\ndepends_on: [a]\n"),
        ("components/c.yaml", "name: C\ndepends_on: [b]\n"),
    ])
    .expect("checks");
    let names = |c: usize| -> Vec<&str> {
        checked.model.components[c]
            .dependents
            .iter()
            .map(|d| checked.model.components[*d].id.as_str())
            .collect()
    };
    assert_eq!(names(0), ["b", "c"]);
    assert_eq!(names(2), Vec::<&str>::new());

    let failure = kb(&[
        ("components/x.yaml", "name: X\ndepends_on: [y]\n"),
        ("components/y.yaml", "name: Y\ndepends_on: [x]\n"),
    ])
    .err()
    .expect("a cycle is an error");
    let messages: Vec<String> = failure.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        messages.iter().any(|m| m.contains("`x` depends on itself")),
        "{messages:?}"
    );
}

#[test]
fn references_to_a_broken_file_are_not_reported_again() {
    let failure = kb(&[
        ("products/a.yaml", "name: A\nversions: [\n"),
        (
            "products/b.yaml",
            "name: B\nversions: [{id: \"1\"}]\nsummary: See [A](@a@1).\n",
        ),
        ("scenarios/s.yaml", "from: a@1\nto: b\ndirect: supported\n"),
    ])
    .err()
    .expect("the broken file is an error");
    let files: Vec<String> = failure
        .diagnostics
        .iter()
        .map(|d| d.file().unwrap().display().to_string())
        .collect();
    assert_eq!(files, ["content/products/a.yaml"]);
}

#[test]
fn dates() {
    assert!(is_iso_date("1998-12-01"));
    assert!(is_iso_date("2024-02-29"));
    assert!(is_iso_date("2000-02-29"));
    assert!(!is_iso_date("1900-02-29"));
    assert!(!is_iso_date("2024-02-30"));
    assert!(!is_iso_date("2024-06-31"));
    assert!(!is_iso_date("2024-12-00"));
    assert!(!is_iso_date("1998-13-01"));
    assert!(!is_iso_date("98-12-01"));
    assert!(!is_iso_date("December 1998"));
}

#[test]
fn ids_that_no_file_system_may_lack() {
    assert_eq!(id_problem("2012r2"), None);
    assert_eq!(id_problem("console"), None);
    assert_eq!(id_problem("com10"), None);
    assert_eq!(id_problem(&"v".repeat(MAX_ID_CHARS)), None);
    assert!(id_problem(&"v".repeat(MAX_ID_CHARS + 1)).is_some());
    for reserved in ["CON", "nul", "Aux.1", "com0", "LPT9.x.y", "prn"] {
        assert!(id_problem(reserved).is_some(), "{reserved}");
    }
    assert!(id_problem("1.").is_some());
}

#[test]
fn base_urls() {
    for good in [
        "https://kb.example.com",
        "https://kb.example.com/",
        "http://localhost:8080/docs/kb/",
        "https://[::1]:8443/a%20b/",
        "https://example.com/~me/kb_1.0/",
    ] {
        assert_eq!(base_url_problem(good), None, "{good}");
    }
    for bad in [
        "kb.example.com",
        "https://",
        "https://exa mple.com/",
        "https://example.com/\"x\"",
        "https://example.com/<x>",
        "https://example.com/a?b",
        "https://example.com/a#b",
        "https://example.com/%zz",
        "https://example.com:99999999/",
        "https://ex..ample.com/",
        "https://user@example.com/",
    ] {
        assert!(base_url_problem(bad).is_some(), "{bad}");
        assert!(normalized_base_url(bad).is_err(), "{bad}");
    }
    // site.yaml and --base-url get the same address: trimmed, one final `/`.
    assert_eq!(
        normalized_base_url(" https://kb.example.com/docs// \n").as_deref(),
        Ok("https://kb.example.com/docs/")
    );
    assert_eq!(
        normalized_base_url("http://localhost:65535")
            .as_deref()
            .map(|_| ()),
        Ok(())
    );
    for bad_port in ["http://localhost:0", "https://a.example:99999/x"] {
        let problem = normalized_base_url(bad_port).unwrap_err();
        assert!(problem.contains("no server listens"), "{problem}");
    }
    assert_eq!(
        normalized_base_url("http://localhost:8080").as_deref(),
        Ok("http://localhost:8080/")
    );
}

#[test]
fn ids_that_would_collide_with_pages_are_refused() {
    let failure = kb(&[
        (
            "products/a.yaml",
            "name: A\nversions: [{id: index.html}, {id: X1}, {id: x1}]\n",
        ),
        (
            "scenarios/index.html.yaml",
            "from: a@X1\nto: a@X1\ndirect: unsupported\n",
        ),
        ("static/assets/logo.png", "png"),
        ("static/files/guide.pdf", "pdf"),
    ])
    .err()
    .expect("collisions are errors");
    let messages: Vec<String> = failure.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`index.html` cannot be a version id")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`x1` differs from `X1` only in case")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("scenarios/index.html.yaml")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("content/static/assets/logo.png") && m.contains("generated site")),
        "{messages:?}"
    );
    assert!(
        !messages.iter().any(|m| m.contains("guide.pdf")),
        "{messages:?}"
    );
}

#[test]
fn scenario_segments() {
    assert!(is_scenario_segment("2.5-to-xp"));
    assert!(!is_scenario_segment(".."));
    assert!(!is_scenario_segment("Up"));
}

/// Every error message of a knowledge base that must fail.
fn errors(files: &[(&str, &str)]) -> Vec<String> {
    kb(files)
        .err()
        .expect("the knowledge base fails its checks")
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect()
}

const PRODUCT_A: &str =
    "name: A\nversions:\n  - id: \"1.0\"\n  - id: \"2.0\"\n    aliases: [two]\n";

#[test]
fn a_scenario_names_versions_by_id_or_alias() {
    let checked = kb(&[
        ("products/a.yaml", PRODUCT_A),
        (
            "scenarios/s.yaml",
            "from: a@1.0\nto: a@two\ndirect: supported\n",
        ),
    ])
    .expect("checks");
    let model = &checked.model;
    let scenario = &model.scenarios[0];
    let names: Vec<String> = scenario
        .from
        .iter()
        .chain(&scenario.to)
        .map(|n| model.version(*n).id.clone())
        .collect();
    assert_eq!(names, ["1.0", "2.0"]);
}

#[test]
fn unknown_names_are_errors_that_suggest_the_known_ones() {
    let messages = errors(&[
        ("products/a.yaml", PRODUCT_A),
        (
            "scenarios/s.yaml",
            "from: aa@1.0\nto: a@3.0\ndirect: supported\n",
        ),
    ]);
    let about = |needle: &str| {
        messages
            .iter()
            .find(|m| m.contains(needle))
            .unwrap_or_else(|| panic!("no error about {needle}: {messages:?}"))
            .clone()
    };
    let product = about("`aa`");
    assert!(
        product.starts_with("content/scenarios/s.yaml:1:"),
        "{product}"
    );
    assert!(product.contains("did you mean `a`"), "{product}");
    let version = about("`3.0`");
    assert!(
        version.starts_with("content/scenarios/s.yaml:2:"),
        "{version}"
    );
    assert!(
        version.contains("1.0") && version.contains("2.0"),
        "{version}"
    );
}

#[test]
fn a_version_listed_twice_is_an_error_at_the_second() {
    let messages = errors(&[(
        "products/a.yaml",
        "name: A\nversions:\n  - id: \"1.0\"\n  - id: \"1.0\"\n",
    )]);
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("content/products/a.yaml:4:") && m.contains("1.0")),
        "{messages:?}"
    );
}

#[test]
fn conditions_must_be_declared_in_site_yaml() {
    let messages = errors(&[
        (
            "site.yaml",
            "title: T\nconditions:\n  replicated: The server is a replica.\n",
        ),
        ("products/a.yaml", PRODUCT_A),
        (
            "scenarios/s.yaml",
            "from: a@1.0\nto: a@2.0\ndirect: supported\nissues:\n  \
             - title: X\n    severity: info\n    when: replica\n",
        ),
    ]);
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("content/scenarios/s.yaml:7:")
                && m.contains("`replica`")
                && m.contains("replicated")),
        "{messages:?}"
    );
}

#[test]
fn stacks_and_requirements_are_checked() {
    let app = "name: App\nversions:\n  - id: \"1\"\n    requires: [\"php@>=9\"]\n  - id: \"2\"\nrequirements:\n  - { versions: \"2\", requires: [\"php@8.0\"] }\n";
    let php = "name: PHP\nversions: [{ id: \"7.4\" }, { id: \"8.0\" }, { id: \"8.1\" }]\n";
    let failure = kb(&[
        ("products/app.yaml", app),
        ("products/php.yaml", php),
        ("stacks/alone.yaml", "name: Alone\nmembers: [app]\n"),
        ("stacks/Bad_Id.yaml", "name: Bad\nmembers: [app, php]\n"),
    ])
    .err()
    .expect("errors");
    let messages: Vec<String> = failure.diagnostics.iter().map(|d| d.to_string()).collect();
    let has = |file: &str, words: &str| {
        (failure.diagnostics.iter())
            .any(|d| d.file().unwrap().ends_with(file) && d.to_string().contains(words))
    };
    assert!(
        has("products/app.yaml", "`php@>=9`: no version `9`"),
        "{messages:?}"
    );
    assert!(
        has("stacks/alone.yaml", "two or more members"),
        "{messages:?}"
    );
    assert!(has("stacks/Bad_Id.yaml", "stack id"), "{messages:?}");
}

#[test]
fn a_stack_whose_newest_versions_cannot_run_together_is_a_warning() {
    let app = "name: App\nversions:\n  - id: \"1\"\n  - id: \"2\"\n    requires: [\"php@8.0\"]\n";
    let php = "name: PHP\nversions: [{ id: \"8.0\" }, { id: \"8.1\" }]\n";
    let checked = kb(&[
        ("products/app.yaml", app),
        ("products/php.yaml", php),
        ("stacks/web.yaml", "name: Web\nmembers: [app, php]\n"),
    ])
    .expect("a warning, not an error");
    let warnings: Vec<String> = checked.warnings.iter().map(|d| d.to_string()).collect();
    assert!(
        warnings.iter().any(|w| w.contains("stacks/web.yaml:2:")
            && w.contains("App 2 requires `php@8.0`, and PHP 8.1 is not one of those")),
        "{warnings:?}"
    );
    let app = &checked.model.products[0];
    assert_eq!(app.versions[1].requires[0].selector, "php@8.0");
    assert_eq!(checked.model.stacks[0].members, [0, 1]);
}

/// An alias that two names claim is one problem, at the alias, with a note
/// at the name it clashes with (as a contradiction is), not two errors.
#[test]
fn an_alias_clash_is_one_diagnostic_with_a_note() {
    let failure = kb(&[(
        "products/a.yaml",
        "name: A\nversions:\n  - id: \"1.0\"\n    aliases: [old]\n  - id: \"2.0\"\n    aliases: [OLD, \"1.0\"]\n",
    )])
    .err()
    .expect("the clashes are errors");
    let clashes: Vec<&Diagnostic> = (failure.diagnostics.iter())
        .filter(|d| d.message.contains("clashes"))
        .collect();
    assert_eq!(clashes.len(), 2, "{failure}");
    let (with_alias, with_id) = (clashes[0], clashes[1]);
    assert_eq!(
        with_alias.message,
        "alias `OLD` of version `2.0` clashes with alias `old` of version `1.0`"
    );
    let at = |line, column| Span::new("content/products/a.yaml", line, column);
    assert_eq!(with_alias.span, Some(at(6, 15)));
    assert_eq!(with_alias.notes.len(), 1);
    assert_eq!(with_alias.notes[0].span, at(4, 15));
    assert_eq!(
        with_alias.notes[0].message,
        "alias `old` of version `1.0` is here"
    );
    assert_eq!(with_id.span, Some(at(6, 20)));
    assert_eq!(with_id.notes[0].span, at(3, 9));
    assert_eq!(with_id.notes[0].message, "version `1.0` is here");
}

/// A version listed twice, or in two cases, points at the first listing.
#[test]
fn a_repeated_version_notes_where_it_was_first_listed() {
    let failure = kb(&[(
        "products/a.yaml",
        "name: A\nversions:\n  - id: \"1.0\"\n  - id: \"1.0\"\n  - id: \"v2\"\n  - id: \"V2\"\n",
    )])
    .err()
    .expect("repeats are errors");
    let at = |line, column| Span::new("content/products/a.yaml", line, column);
    let notes: Vec<(&str, Option<Span>, Span)> = (failure.diagnostics.iter())
        .map(|d| (d.message.as_str(), d.span.clone(), d.notes[0].span.clone()))
        .collect();
    assert_eq!(
        notes,
        [
            ("version `1.0` is listed twice", Some(at(4, 9)), at(3, 9)),
            (
                "version `V2` differs from `v2` only in case",
                Some(at(6, 9)),
                at(5, 9)
            ),
        ]
    );
}
