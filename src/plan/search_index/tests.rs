use super::documents::shown_body;
use super::sets::{BITMAP, DIGITS};
use super::*;

#[test]
fn a_long_text_is_kept_for_snippets_up_to_a_word_boundary() {
    let short = "Back up the data first.";
    assert_eq!(shown_body(short), short);
    let long = "word ".repeat(SHOWN_BODY_CHARS / 4) + "ünïcode";
    let shown = shown_body(&long);
    assert!(shown.ends_with("word…"), "{shown}");
    assert!(shown.chars().count() <= SHOWN_BODY_CHARS + 1);
    assert!(long.starts_with(shown.trim_end_matches('…')));
    let one_word = "x".repeat(SHOWN_BODY_CHARS * 2);
    assert_eq!(shown_body(&one_word).chars().count(), SHOWN_BODY_CHARS + 1);
}

fn document(title: &str, body: &str) -> SearchDocument {
    SearchDocument {
        t: title.into(),
        u: String::new(),
        k: "Issue",
        b: body.into(),
        c: String::new(),
        facets: Vec::new(),
    }
}

#[test]
fn words_fold_case_accents_and_trim_dots() {
    assert_eq!(
        words("Résumé: SQL-Server 4.5... ..x. ÅNGSTRÖM"),
        ["resume", "sql", "server", "4.5", "x", "angstrom"]
    );
    assert_eq!(words("ΟΔΟΣ ΣΑΣ"), ["οδος", "σας"]);
    // Marks outside U+0300..U+036F stay and split words, as in the script.
    assert_eq!(words("a\u{0483}b"), ["a", "b"]);
    assert!(words(" -- ... ").is_empty());
}

#[test]
fn inflected_forms_share_a_stem() {
    // The holes of the light stemmer this replaced: "status" lost its "s",
    // "copied" and "stopped" kept their "i" and double "p".
    for group in [
        &["status", "statuses"][..],
        &["copy", "copied", "copies", "copying"],
        &["stop", "stopped", "stopping", "stops"],
        &["upgrade", "upgrades", "upgraded", "upgrading"],
        &["downgrade", "downgrading"],
        &["library", "libraries"],
        &["class", "classes"],
        &["install", "installed", "installing", "installs"],
    ] {
        let stems: Vec<String> = group.iter().map(|w| stem(w)).collect();
        assert!(stems.iter().all(|s| s == &stems[0]), "{group:?}: {stems:?}");
    }
    assert_eq!(stem("upgrading"), "upgrad");
}

#[test]
fn only_plain_letters_are_stemmed() {
    for word in ["8.4", "v2.0.1", "résumés", "naïve", "x86s", ""] {
        assert_eq!(stem(word), word);
    }
    assert!(stems_english("en") && stems_english("en-GB") && !stems_english("de"));
}

/// Snowball's own words and stems (tests/fixtures/porter2): the crate is
/// Porter2 as the script's port is, word for word.
#[test]
fn stems_are_snowball_porter2() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/porter2/sample.txt"
    );
    let sample = std::fs::read_to_string(path).unwrap();
    let wrong: Vec<String> = sample
        .lines()
        .filter_map(|line| line.split_once(' '))
        .filter(|(word, want)| stem(word) != *want)
        .map(|(word, want)| format!("{word}: {} not {want}", stem(word)))
        .collect();
    assert!(sample.lines().count() > 3000);
    assert!(
        wrong.is_empty(),
        "{} differ: {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(10)]
    );
}

/// Texts that strain the word splitting (hyphens, dots, accents, repeated
/// words, Japanese), each with every stemming: what the index's shortcuts
/// must agree with [`index_words`] on.
fn awkward_texts() -> impl Iterator<Item = (&'static str, Stemming)> {
    let texts = [
        "Downgrades, downgraded and downgrading: the downgrade downgrade",
        "Wi-Fi wi-fi WI-FI cards card carding x-ray-tube 4.5.1 4.5.1. .x. Élan élans",
        "Die Pfade des Pfades: Straße, STRASSE, Übergänge; l'été étés 日本語のガイド 日本語",
        "",
        "- -- a-",
    ];
    let stemmings = [
        Stemming::None,
        Stemming::English,
        Stemming::German,
        Stemming::French,
    ];
    texts
        .into_iter()
        .flat_map(move |text| stemmings.map(|stemming| (text, stemming)))
}

#[test]
fn a_word_set_is_the_set_of_the_index_words() {
    for (text, stemming) in awkward_texts() {
        let mut expected = index_words(text, stemming);
        expected.sort_unstable();
        expected.dedup();
        assert_eq!(word_set(text, stemming), expected, "{text:?}, {stemming:?}");
    }
}

#[test]
fn word_counts_count_the_index_words() {
    for (text, stemming) in awkward_texts() {
        let mut expected: Vec<(String, usize)> = Vec::new();
        let mut words = index_words(text, stemming);
        words.sort_unstable();
        for word in words {
            match expected.last_mut() {
                Some((last, times)) if *last == word => *times += 1,
                _ => expected.push((word, 1)),
            }
        }
        let counts = word_counts(text, stemming);
        assert_eq!(counts, expected, "{text:?}, {stemming:?}");
    }
}

#[test]
fn hyphenated_words_are_also_found_joined() {
    assert_eq!(
        index_words("Wi-Fi firmware", Stemming::None),
        ["wi", "fi", "firmware", "wifi"]
    );
    assert_eq!(
        index_words("Wi-Fi cards", Stemming::English),
        ["wi", "fi", "card", "wifi"]
    );
}

#[test]
fn sets_round_trip_in_both_encodings() {
    let sparse = vec![0, 5, 31, 32, 1000, 40_000, 1 << 20];
    let dense: Vec<u32> = (0..600).filter(|n| n % 3 != 0).collect();
    for set in [sparse, dense, vec![], vec![0], vec![7]] {
        let code = encode_set(&set);
        assert_eq!(decode_set(&code), set, "{code}");
        assert!(code.bytes().all(|b| b == b'~' || DIGITS.contains(&b)));
    }
    assert!(!encode_set(&[0, 5, 1000]).starts_with(BITMAP));
    let dense: Vec<u32> = (0..600).collect();
    assert!(encode_set(&dense).starts_with(BITMAP));
    assert_eq!(encode_set(&dense).len(), 101);
}

#[test]
fn documents_are_numbered_by_title_length_then_site_order() {
    let documents = [
        document("Longer title", ""),
        document("Short", ""),
        document("Élan", ""),
        document("Small", ""),
        // One letter outside the BMP: two UTF-16 units, as JavaScript counts.
        document("\u{1D400}bc", ""),
    ];
    assert_eq!(ranking_order(&documents[..]), [2, 4, 1, 3, 0]);
}

#[test]
fn a_body_word_in_the_title_counts_for_the_title_only() {
    let documents = [
        document("Fax service", "The fax service"),
        document("Other", "fax"),
    ];
    let order = ranking_order(&documents[..]);
    let mut files = DocumentsFiles::new(DOCUMENTS_PER_FILE);
    let postings = postings(
        &documents[..],
        &order,
        Stemming::None,
        &mut files,
        &mut Facets::default(),
    );
    let fax = &postings.iter().find(|(w, _)| w == "fax").unwrap().1;
    assert_eq!(
        (fax.title.as_slice(), fax.body.as_slice()),
        (&[1][..], &[0][..])
    );
    // The kind is part of the body.
    let issue = &postings.iter().find(|(w, _)| w == "issue").unwrap().1;
    assert_eq!(issue.body, [0, 1]);
}

/// Large enough to need several words files.
fn many_documents() -> Vec<SearchDocument> {
    (0..3000)
        .map(|i| {
            document(
                &format!("Upgrade {i} of release r{}", i % 97),
                &format!("reboot restart rebuild w{i} x{} y{}", i % 13, i % 389),
            )
        })
        .collect()
}

/// Words files split past 2 KB.
fn small_files() -> SearchFiles {
    let limits = SearchLimits {
        words_file_bytes: 2048,
        ..SearchLimits::default()
    };
    index(&many_documents()[..], limits, "")
}

#[test]
fn large_indexes_are_split_into_bounded_files() {
    let files = small_files();
    let manifest: serde_json::Value = serde_json::from_str(&files.manifest).unwrap();
    let leaves = manifest["leaves"].as_array().unwrap();
    assert!(leaves.len() > 3, "{manifest}");
    assert!(!manifest["splits"].as_array().unwrap().is_empty());
    let words_files = files.parts.iter().filter(|(n, _)| !n.starts_with('d'));
    for (name, json) in words_files {
        // A word's postings alone can pass the limit: 2 bitmaps of 3000 documents.
        assert!(json.len() < 2048 + 1100, "{name}: {}", json.len());
    }
    let documents_files: Vec<&String> = files
        .parts
        .iter()
        .filter(|(n, _)| n.starts_with('d'))
        .map(|(_, json)| json)
        .collect();
    assert_eq!(manifest["per_file"], DOCUMENTS_PER_FILE);
    assert_eq!(
        documents_files.len(),
        3000usize.div_ceil(DOCUMENTS_PER_FILE)
    );
    let mut titles = Vec::new();
    for (i, file) in documents_files.iter().enumerate() {
        // Document n is in file n / per_file, at n % per_file.
        assert_eq!(titles.len(), i * DOCUMENTS_PER_FILE);
        let held: Vec<serde_json::Value> = serde_json::from_str(file).unwrap();
        assert!(held.len() == DOCUMENTS_PER_FILE || i == documents_files.len() - 1);
        titles.extend(held.iter().map(|d| d["t"].as_str().unwrap().to_owned()));
    }
    let mut expected: Vec<String> = many_documents().into_iter().map(|d| d.t).collect();
    expected.sort_by_key(|t| t.len()); // stable: site order within a length
    assert_eq!(titles, expected);
}

#[test]
fn every_word_is_in_the_leaf_of_its_longest_listed_prefix() {
    let files = small_files();
    let manifest: serde_json::Value = serde_json::from_str(&files.manifest).unwrap();
    let leaves: Vec<&str> = manifest["leaves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    for (i, leaf) in leaves.iter().enumerate() {
        let json = &files
            .parts
            .iter()
            .find(|(n, _)| *n == format!("w{i}"))
            .unwrap()
            .1;
        let words: Vec<[String; 3]> = serde_json::from_str(json).unwrap();
        for [word, ..] in &words {
            assert!(word.starts_with(leaf), "{word} in leaf {leaf:?}");
            let deeper = leaves
                .iter()
                .any(|l| l.len() > leaf.len() && word.starts_with(l));
            assert!(!deeper, "{word} in {leaf:?} and a deeper leaf");
        }
    }
}

#[test]
fn a_split_prefix_file_merges_its_longer_words() {
    let files = small_files();
    let r = splits(&files)
        .iter()
        .position(|s| s == &["r", "r"])
        .expect("r is split");
    let json = &files
        .parts
        .iter()
        .find(|(n, _)| *n == format!("p{r}"))
        .unwrap()
        .1;
    let [exact_title, exact_body, title, body]: [String; 4] = serde_json::from_str(json).unwrap();
    assert_eq!((exact_title.as_str(), exact_body.as_str()), ("", ""));
    // Every title has "release" and every body "reboot".
    assert_eq!(decode_set(&title).len(), 3000);
    assert!(decode_set(&body).is_empty());
}

/// The `[key, prefix]` of the split nodes.
fn splits(files: &SearchFiles) -> Vec<[String; 2]> {
    let manifest: serde_json::Value = serde_json::from_str(&files.manifest).unwrap();
    serde_json::from_value(manifest["splits"].clone()).unwrap()
}

#[test]
fn a_chain_of_single_letters_takes_one_split() {
    // "configure", "configured", "configures", "configuration": past
    // "c" they share "configur", one node, not seven.
    let documents: Vec<SearchDocument> = (0..400)
        .map(|i| {
            let word = ["configure", "configured", "configures", "configuration"][i % 4];
            document(&format!("{word} {i}"), "")
        })
        .collect();
    let limits = SearchLimits {
        words_file_bytes: 100,
        ..SearchLimits::default()
    };
    let files = index(&documents[..], limits, "");
    let splits = splits(&files);
    assert!(
        splits.contains(&["c".into(), "configur".into()]),
        "{splits:?}"
    );
    let chain = [
        "co", "con", "conf", "confi", "config", "configu", "configur",
    ];
    assert!(
        !splits.iter().any(|[key, _]| chain.contains(&key.as_str())),
        "{splits:?}"
    );
    assert!(splits.contains(&["configure".into(), "configure".into()]));
}

#[test]
fn long_shared_prefixes_do_not_multiply_files() {
    // Words of thousands of letters that differ only at the end, and
    // words that each extend the last: a file a letter would be
    // quadratic in the text, and a recursion a letter deep overflows.
    let long = "x".repeat(20_000);
    let mut documents: Vec<SearchDocument> = ["a", "b", "c"]
        .iter()
        .map(|end| document(&format!("{long}{end}"), ""))
        .collect();
    documents.extend((1..=300).map(|n| document(&"y".repeat(n), "")));
    let limits = SearchLimits {
        words_file_bytes: 64,
        ..SearchLimits::default()
    };
    let files = index(&documents[..], limits, "");
    let splits = splits(&files);
    assert!(splits.len() < 310, "{} splits", splits.len());
    let bytes: usize = files.parts.iter().map(|(_, json)| json.len()).sum();
    assert!(files.manifest.len() + bytes < 2_000_000, "{bytes} bytes");
}

#[test]
fn the_index_is_the_same_every_time() {
    let a = small_files();
    let b = small_files();
    assert_eq!(a.manifest, b.manifest);
    assert!(a.parts == b.parts);
}

#[test]
fn a_body_word_said_often_is_marked_frequent() {
    let documents = [
        document("One", "cache cache cache"),
        document("Two", "cache cache"),
        document("Three", "cache"),
    ];
    let order = ranking_order(&documents[..]);
    let mut files = DocumentsFiles::new(DOCUMENTS_PER_FILE);
    let postings = postings(
        &documents[..],
        &order,
        Stemming::None,
        &mut files,
        &mut Facets::default(),
    );
    let cache = &postings.iter().find(|(w, _)| w == "cache").unwrap().1;
    // Numbered by title length: "One" 0, "Two" 1, "Three" 2.
    assert_eq!(cache.body, [0, 1, 2]);
    assert_eq!(cache.frequent, [0]);
}

#[test]
fn facets_hold_the_documents_of_each_kind_product_and_severity() {
    let mut issue = document("Blocking one", "");
    issue.facets = vec!["p1".into(), "sblocking".into()];
    let mut scenario = document("A scenario", "");
    scenario.k = "Scenario";
    scenario.facets = vec!["p1".into(), "p2".into()];
    let files = index(&[issue, scenario][..], SearchLimits::default(), "en");
    let facet = |name: &str| {
        let (_, json) = files.parts.iter().find(|(n, _)| n == name).unwrap();
        decode_set(&serde_json::from_str::<String>(json).unwrap())
    };
    // Numbered by title length: the issue's title is the longer.
    assert_eq!(facet("fkissue"), [1]);
    assert_eq!(facet("fkscenario"), [0]);
    assert_eq!(facet("fp1"), [0, 1]);
    assert_eq!(facet("fp2"), [0]);
    assert_eq!(facet("fsblocking"), [1]);
}

/// A title's adjacent words are held as a pair, "first second", with the
/// documents whose title says them side by side; a body's are not (they
/// would make the words files about four times larger).
#[test]
fn a_titles_adjacent_words_are_held_as_pairs() {
    let documents = [
        document("Wonka Mailer 4.2", "mailer wonka said apart"),
        document("Mailer for Wonka", "a wonka mailer in the body"),
    ];
    let files = index(&documents[..], SearchLimits::default(), "en");
    let words: Vec<Vec<String>> = serde_json::from_str(&files.parts[0].1).unwrap();
    let entry = |word: &str| words.iter().find(|e| e[0] == word).cloned();
    let pair = entry("wonka mailer").expect("the title's pair");
    // Document 0 (the shorter title is numbered first) has it in its title.
    assert_eq!(decode_set(&pair[1]), vec![0]);
    assert!(pair[2].is_empty(), "no body pairs: {pair:?}");
    assert!(entry("mailer 4.2").is_some() && entry("mailer for").is_some());
    assert!(entry("in the").is_none(), "a body's pair: {words:?}");
    assert_eq!(
        adjacent_pairs("Wi-Fi setup", Stemming::English),
        ["fi setup", "wi fi"]
    );
}

#[test]
fn a_language_tag_picks_its_stemmer() {
    for (tag, stemming) in [
        ("en", Stemming::English),
        ("en-GB", Stemming::English),
        ("de", Stemming::German),
        ("de-AT", Stemming::German),
        ("FR-ca", Stemming::French),
        ("es-419", Stemming::Spanish),
        ("ja", Stemming::None),
        ("nl", Stemming::None),
        ("", Stemming::None),
    ] {
        assert_eq!(Stemming::of(tag), stemming, "{tag}");
    }
    assert_eq!(Stemming::German.code(), Some("de"));
    assert_eq!(Stemming::None.code(), None);
}

#[test]
fn german_french_and_spanish_forms_share_a_term() {
    for (stemming, group) in [
        (Stemming::German, &["Pfad", "Pfade", "Pfades", "PFADEN"][..]),
        (Stemming::German, &["Übergang", "Übergänge", "ubergange"]),
        (Stemming::German, &["Straße", "Strasse"]),
        (
            Stemming::French,
            &["sauvegarde", "sauvegardes", "Sauvegarder"],
        ),
        (Stemming::French, &["données", "Donnée"]),
        (
            Stemming::Spanish,
            &["actualización", "actualizaciones", "actualizar"],
        ),
    ] {
        let terms: Vec<Vec<String>> = group.iter().map(|w| index_words(w, stemming)).collect();
        assert!(terms.iter().all(|t| t == &terms[0]), "{group:?}: {terms:?}");
    }
    // Stemmed with its accents, then folded.
    assert_eq!(
        index_words("Übergänge 8.4 naïf", Stemming::German),
        ["ubergang", "8.4", "naif"]
    );
    assert_eq!(index_words("étés", Stemming::French), ["ete"]);
}

#[test]
fn chinese_japanese_and_korean_runs_are_cut_into_pairs() {
    assert_eq!(
        index_words("日本語のガイド", Stemming::None),
        ["日本", "本語", "語の", "のガ", "ガイ", "イド"]
    );
    assert_eq!(index_words("本", Stemming::None), ["本"]);
    // Latin words around them stay words, stemmed in the site's language.
    assert_eq!(
        index_words("Windows版の upgrades", Stemming::English),
        ["window", "版の", "upgrad"]
    );
    // A voiced kana, decomposed and recomposed by folding, stays one letter.
    assert_eq!(index_words("ガ\u{3099}", Stemming::None), ["ガ"]);
    assert_eq!(index_words("カ\u{3099}イ", Stemming::None), ["ガイ"]);
    assert_eq!(index_words("한국어", Stemming::None), ["한국", "국어"]);
    assert_eq!(adjacent_pairs("日本語", Stemming::None), ["日本 本語"]);
}

/// Snowball's own German, French and Spanish words and stems
/// (tests/fixtures/snowball): the crate is the version of the algorithms
/// the script's ports follow.
#[test]
fn stems_are_snowball_german_french_spanish() {
    for (name, stemming) in [
        ("german", Stemming::German),
        ("french", Stemming::French),
        ("spanish", Stemming::Spanish),
    ] {
        let path = format!(
            "{}/tests/fixtures/snowball/{name}.txt",
            env!("CARGO_MANIFEST_DIR")
        );
        let sample = std::fs::read_to_string(path).unwrap();
        let wrong: Vec<String> = sample
            .lines()
            .filter_map(|line| line.split_once(' '))
            .filter(|(word, want)| stem_in(word, stemming) != *want)
            .map(|(word, want)| format!("{word}: {} not {want}", stem_in(word, stemming)))
            .collect();
        assert!(sample.lines().count() > 3000, "{name}");
        assert!(
            wrong.is_empty(),
            "{name}: {} differ: {:?}",
            wrong.len(),
            &wrong[..wrong.len().min(10)]
        );
    }
}
