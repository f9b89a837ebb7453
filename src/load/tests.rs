use super::walk::*;
use super::*;
use crate::diag::Diagnostic;
use serde::de::DeserializeOwned;
use std::path::Path;

fn parse_str<T: DeserializeOwned + Fixup>(text: &str) -> Result<T, Diagnostic> {
    let mut problems = Vec::new();
    match parse::<T>(Path::new("content/x.yaml"), "x", text, &mut problems) {
        Some(doc) => Ok(doc.value),
        None => Err(problems.remove(0)),
    }
}

#[test]
fn plain_numbers_stay_text() {
    let product: RawProduct = parse_str(
            "name: A\nversions: [{id: 1.10}, {id: 4.0}]\nupgrades:\n  policy: any-newer\n  required_stops: [1.10, {version: 4.0, when: big}]\n",
        )
        .unwrap();
    let ids: Vec<&str> = product
        .versions
        .value
        .iter()
        .map(|v| v.id.value.as_str())
        .collect();
    assert_eq!(ids, ["1.10", "4.0"]);
    let Some(upgrades) = &product.upgrades else {
        panic!()
    };
    let OneOrMany::One(rule) = &upgrades.value else {
        panic!()
    };
    let stops = rule.required_stops.as_ref().unwrap();
    assert!(matches!(&stops[0].value, RawStop::Bare(Some(v)) if v == "1.10"));
    assert!(matches!(&stops[1].value, RawStop::Detailed(e) if e.version.value == "4.0"));
}

#[test]
fn upgrades_may_be_one_rule_or_a_list() {
    let product: RawProduct = parse_str(
            "name: A\nversions: [{id: a}]\nupgrades:\n  - { policy: sequential, when: [x, y] }\n  - policy: any-newer\n    unless: z\n",
        )
        .unwrap();
    let rules = product.upgrades.unwrap().value;
    let OneOrMany::Many(rules) = rules else {
        panic!()
    };
    assert_eq!(rules.len(), 2);
    assert!(matches!(&rules[0].when.as_ref().unwrap().value, Names::Many(n) if n.len() == 2));
    assert!(matches!(&rules[1].unless.as_ref().unwrap().value, Names::One(Some(n)) if n == "z"));
}

#[test]
fn unknown_field_names_line_and_suggests() {
    let error = parse_str::<RawComponent>("name: A\nsumary: x\n").unwrap_err();
    assert_eq!(error.span.map(|s| s.line), Some(2));
    assert_eq!(error.message, "unknown field `sumary`");
    assert!(error.hint.unwrap().starts_with("did you mean `summary`?"));
}

#[test]
fn a_markdown_link_at_the_start_of_text_says_to_quote_it() {
    let problem = parse_str::<RawComponent>("name: [the guide](@a) explains it\n")
        .expect_err("a flow sequence is not text");
    assert!(problem.message.contains("expected text"), "{problem}");
    assert!(
        problem
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("quote the whole value")),
        "{problem}"
    );
}

#[test]
fn missing_direct_says_how_to_fix() {
    let error = parse_str::<RawScenario>("from: a@1\nto: a@2\n").unwrap_err();
    assert!(error.message.contains("direct"));
    assert!(error.hint.unwrap().contains("supported"));
}

#[test]
fn empty_file_is_an_error_with_a_hint() {
    let mut problems = Vec::new();
    let file = Path::new("content/products/a.yaml");
    assert!(parse::<RawProduct>(file, "a", "# nothing\n", &mut problems).is_none());
    let [error] = problems.as_slice() else {
        panic!("one problem expected, got {problems:?}");
    };
    assert_eq!(error.message, "the file is empty");
    assert_eq!(
        error.hint.as_deref(),
        Some("a product needs `name` and `versions`")
    );
    // Outside the known folders the hint says what to do with the file.
    let elsewhere = parse_str::<RawProduct>("# nothing\n").unwrap_err();
    assert_eq!(
        elsewhere.hint.as_deref(),
        Some("write some YAML or delete the file")
    );
}

/// While watched, reported edits of known files are read alone; anything
/// else means walking content/ again.
#[test]
fn reported_changes_decide_between_reading_and_walking() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let products = root.join("content/products");
    std::fs::create_dir_all(&products).unwrap();
    std::fs::write(
        products.join("a.yaml"),
        "name: A\nversions: [{id: \"1\"}]\n",
    )
    .unwrap();
    let mut cache = LoadCache::default();
    cache.watched();
    load_cached(root, &mut cache);
    let decide = |cache: &mut LoadCache, files: &[&str]| {
        for file in files {
            cache.changed(Path::new(file));
        }
        let decision = cache.edited_files(root);
        load_cached(root, cache);
        decision
    };
    let a = "content/products/a.yaml";
    assert_eq!(
        decide(&mut cache, &[a]),
        Some(vec![0]),
        "an edit is read alone"
    );
    assert_eq!(
        decide(
            &mut cache,
            &["templates/base.html", "content/products/.a.yaml.swp"]
        ),
        Some(vec![]),
        "templates and hidden files are not content"
    );
    std::fs::write(
        products.join("b.yaml"),
        "name: B\nversions: [{id: \"1\"}]\n",
    )
    .unwrap();
    assert_eq!(
        decide(&mut cache, &["content/products/b.yaml"]),
        None,
        "a new file"
    );
    std::fs::create_dir(root.join("content/components")).unwrap();
    assert_eq!(
        decide(&mut cache, &["content/components"]),
        None,
        "a new folder"
    );
    std::fs::remove_file(products.join("b.yaml")).unwrap();
    assert_eq!(
        decide(&mut cache, &["content/products/b.yaml"]),
        None,
        "a removal"
    );
    cache.changed_somewhere();
    assert_eq!(cache.edited_files(root), None, "an unnamed change");
    load_cached(root, &mut cache);
    #[cfg(unix)]
    {
        std::fs::write(
            products.join("c.yaml"),
            "name: C\nversions: [{id: \"1\"}]\n",
        )
        .unwrap();
        std::fs::remove_file(products.join("a.yaml")).unwrap();
        std::os::unix::fs::symlink(products.join("c.yaml"), products.join("a.yaml")).unwrap();
        assert_eq!(decide(&mut cache, &[a]), None, "a file that became a link");
        assert_eq!(
            decide(&mut cache, &["content/products/c.yaml"]),
            None,
            "a knowledge base with links is always walked"
        );
    }
    let unwatched = LoadCache::default();
    assert_eq!(unwatched.edited_files(root), None, "without a watcher");
}

#[test]
fn the_cache_reparses_only_changed_files() {
    let dir = tempfile::tempdir().unwrap();
    let products = dir.path().join("content/products");
    std::fs::create_dir_all(&products).unwrap();
    std::fs::write(
        products.join("a.yaml"),
        "name: A\nversions: [{id: \"1\"}]\n",
    )
    .unwrap();
    std::fs::write(
        products.join("b.yaml"),
        "name: B\nversions: [{id: \"1\"}]\n",
    )
    .unwrap();
    let mut cache = LoadCache::default();
    let (first, problems) = load_cached(dir.path(), &mut cache);
    assert!(problems.is_empty());
    assert_eq!(first.products.len(), 2);
    std::fs::write(
        products.join("b.yaml"),
        "name: Bee\nversions: [{id: \"1\"}]\n",
    )
    .unwrap();
    std::fs::remove_file(products.join("a.yaml")).unwrap();
    let (second, _) = load_cached(dir.path(), &mut cache);
    let names: Vec<&str> = second
        .products
        .iter()
        .map(|p| p.value.name.value.as_str())
        .collect();
    assert_eq!(names, ["Bee"]);
    assert_eq!(cache.walk.files.len(), 1, "removed files leave the cache");
    std::fs::write(products.join("b.yaml"), "name: [\n").unwrap();
    let (third, problems) = load_cached(dir.path(), &mut cache);
    assert!(third.products.is_empty() && problems.len() == 1);
    assert!(third.broken.products.contains("b"));
}

#[test]
fn classify_by_place() {
    assert!(matches!(classify(Path::new("site.yaml")), Ok(Kind::Site)));
    assert!(matches!(classify(Path::new("products/a.yml")), Ok(Kind::Product(id)) if id == "a"));
    assert!(
        matches!(classify(Path::new("scenarios/x/y/2.5-to-xp.yaml")), Ok(Kind::Scenario(id)) if id == "x/y/2.5-to-xp")
    );
    assert!(
        matches!(classify(Path::new("static/img/a.png")), Ok(Kind::Static(p)) if p == Path::new("img/a.png"))
    );
    assert!(classify(Path::new("notes.txt")).is_err());
    assert!(classify(Path::new("products/deep/a.yaml")).is_err());
}

#[test]
fn editor_backups_are_stray_files_with_their_own_hint() {
    let hint = |name: &str| {
        let problem = classify(Path::new(name)).err().expect("a stray file");
        problem.hint.unwrap_or_default()
    };
    assert!(hint("scenarios/a.yaml~").contains("editor's backup"));
    assert!(hint("products/#a.yaml#").contains("editor's backup"));
    assert!(hint("notes.txt").contains("content/static/"));
    assert!(hint("#").contains("content/static/"));
}

/// The scans for control and bidirectional characters look at a file a
/// block of bytes at a time: a character is found wherever it falls,
/// across a block's end too, and allowed characters are never taken for one.
#[test]
fn control_and_bidi_characters_are_found_at_every_offset() {
    let file = Path::new("content/x.yaml");
    // Allowed characters whose UTF-8 starts with a byte the scans stop at.
    let allowed = "é\u{a0}—\t…\r\n";
    assert!(control_character(file, &allowed.repeat(40)).is_none());
    assert!(without_bidi_controls(file, allowed.repeat(40)).1.is_none());
    for at in 0..200 {
        let column = at + 1;
        for control in ['\u{1b}', '\u{7f}', '\u{85}', '\u{9f}'] {
            let text = format!("{}{control}{}", "x".repeat(at), "y".repeat(200 - at));
            let found = control_character(file, &text)
                .and_then(|d| d.span)
                .map(|s| s.column);
            assert_eq!(found, Some(column), "{control:?} after {at} bytes");
        }
        let text = format!("{}\u{202e}—", "—".repeat(at));
        let (kept, warning) = without_bidi_controls(file, text);
        assert_eq!(
            warning.and_then(|w| w.span).map(|s| s.column),
            Some(column),
            "after {at}"
        );
        assert_eq!(kept, "—".repeat(at + 1));
    }
}

/// The problems a writer makes by hand, each read from serde-saphyr's
/// typed error (its variant, or the YAML scanner's kind under it), in
/// our words, at the place of the mistake.
#[test]
fn yaml_errors_are_matched_on_their_types() {
    let cases: [(&str, &str, &str, usize); 8] = [
        (
            "name: A\nversions:\n\t- id: \"1\"\n",
            "tab used for indentation",
            "spaces only",
            3,
        ),
        (
            "name: \"A\nversions: []\n",
            "quoted text is never closed",
            "closing quote",
            1,
        ),
        (
            "name: A\nname: B\nversions: []\n",
            "duplicate key `name`",
            "may appear once",
            2,
        ),
        (
            "name: A\n",
            "missing required field `versions`",
            "oldest first",
            1,
        ),
        (
            "name: A\nversions: [5]\n",
            "expected a mapping of `key: value` pairs here",
            "write `key: value` lines",
            2,
        ),
        (
            "name:\nversions: []\n",
            "a value is required here",
            "after the `:`",
            1,
        ),
        (
            "name: A\nversions: 5\n",
            "expected",
            "docs/content-format.md",
            2,
        ),
        (
            "name: A\nversions: []\nsumary: x\n",
            "unknown field `sumary`",
            "did you mean `summary`?",
            3,
        ),
    ];
    for (text, message, hint, line) in cases {
        let error = parse_str::<RawProduct>(text).unwrap_err();
        assert!(error.message.contains(message), "{text:?}: {error}");
        assert!(
            error.hint.as_deref().unwrap_or("").contains(hint),
            "{text:?}: {error}"
        );
        assert_eq!(
            error.span.as_ref().map(|s| s.line),
            Some(line),
            "{text:?}: {error}"
        );
    }
}

/// The one piece of serde-saphyr's English still read as text (see
/// `yaml::serde_words`): what its `Spanned` wrapper says it expects when
/// a deserializer hands it something else. This fails when a release
/// words it otherwise, and the replacement would silently stop.
#[test]
fn the_wrapper_still_calls_itself_so() {
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    let number: serde::de::value::U32Deserializer<serde::de::value::Error> =
        5u32.into_deserializer();
    let error = serde_saphyr::Spanned::<Vec<String>>::deserialize(number).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "invalid type: integer `5`, expected {}",
            super::yaml::SPANNED_WORDS
        )
    );
    assert_eq!(
        super::yaml::serde_words(&error.to_string()),
        "invalid type: integer `5`, expected a value of another kind"
    );
}
