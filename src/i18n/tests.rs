use super::*;

fn english_keys() -> Vec<String> {
    builtin_entries("en").into_iter().map(|e| e.key).collect()
}

#[test]
fn every_built_in_table_reads_and_every_pattern_is_fluent() {
    for (language, text) in BUILT_IN {
        let parsed: Result<std::collections::BTreeMap<String, String>, _> =
            serde_saphyr::from_str(text);
        let entries = parsed.unwrap_or_else(|e| panic!("i18n/{language}.yaml: {e}"));
        for (key, pattern) in entries {
            assert_eq!(
                pattern_problem(&key, &pattern),
                None,
                "i18n/{language}.yaml"
            );
            if key.starts_with("script-") {
                assert_eq!(
                    script_problem(&pattern),
                    None,
                    "i18n/{language}.yaml: {key}"
                );
            }
        }
    }
}

#[test]
fn every_built_in_table_has_every_english_key_and_no_other() {
    let english = english_keys();
    for (language, _) in BUILT_IN.iter().skip(1) {
        let keys: Vec<String> = builtin_entries(language)
            .into_iter()
            .map(|e| e.key)
            .collect();
        let missing: Vec<&String> = english.iter().filter(|k| !keys.contains(k)).collect();
        let extra: Vec<&String> = keys.iter().filter(|k| !english.contains(k)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "i18n/{language}.yaml lacks {missing:?} and has {extra:?} that English has not"
        );
    }
}

#[test]
fn translations_use_only_the_variables_english_gives() {
    let english: std::collections::HashMap<String, String> = builtin_entries("en")
        .into_iter()
        .map(|e| (e.key, e.pattern))
        .collect();
    for (language, _) in BUILT_IN.iter().skip(1) {
        for entry in builtin_entries(language) {
            let Some(original) = english.get(&entry.key) else {
                continue;
            };
            let given = variables(original);
            let used = variables(&entry.pattern);
            assert!(
                used.is_subset(&given),
                "i18n/{language}.yaml: `{}` uses {used:?}, English gives {given:?}",
                entry.key
            );
        }
    }
}

#[test]
fn plural_forms_follow_the_count() {
    let english = Messages::english();
    assert_eq!(
        english.text("count-hops", &[("count", 1usize.into())]),
        "1 hop"
    );
    assert_eq!(
        english.text("count-hops", &[("count", 3usize.into())]),
        "3 hops"
    );
}

#[test]
fn html_escapes_the_messages_text_but_not_its_arguments() {
    let own = [Entry {
        key: "greeting".into(),
        pattern: "Fish & { $what }".into(),
    }];
    let messages = Messages::new("en", &own);
    assert_eq!(
        messages.html("greeting", &[("what", "<b>chips</b>".into())]),
        "Fish &amp; <b>chips</b>"
    );
    assert_eq!(
        messages.text("greeting", &[("what", "chips".into())]),
        "Fish & chips"
    );
}

#[test]
fn a_knowledge_bases_message_overrides_the_built_in_one() {
    let own = [Entry {
        key: "nav-matrix".into(),
        pattern: "Grid".into(),
    }];
    assert_eq!(Messages::new("de", &own).text("nav-matrix", &[]), "Grid");
}

#[test]
fn dates_are_written_the_languages_way() {
    let day = Date::parse("2027-11-11").unwrap();
    assert_eq!(Messages::english().date(day), "11 November 2027");
    assert_eq!(Messages::new("de", &[]).date(day), "11. November 2027");
    assert_eq!(Messages::new("ja", &[]).date(day), "2027年11月11日");
    let first = Date::parse("2027-05-01").unwrap();
    assert_eq!(Messages::new("fr", &[]).date(first), "1er mai 2027");
    assert_eq!(Messages::new("es", &[]).date(first), "1 de mayo de 2027");
}

#[test]
fn a_missing_key_shows_itself() {
    assert_eq!(Messages::english().text("no-such-key", &[]), "no-such-key");
}

#[test]
fn direction_follows_the_script() {
    assert_eq!(direction("de-CH"), "ltr");
    assert_eq!(direction("ar"), "rtl");
    assert_eq!(direction("he-IL"), "rtl");
}

#[test]
fn scripts_get_their_messages_compiled() {
    let own = [Entry {
        key: "script-hops".into(),
        pattern: "{ $n ->\n    [one] one hop\n   *[other] { $n } hops\n}".into(),
    }];
    let messages = Messages::new("en", &own);
    let table = messages.script_table();
    let (_, pattern) = table.iter().find(|(key, _)| *key == "script-hops").unwrap();
    assert_eq!(
        pattern.to_string(),
        r#"[{"s":"n","o":[["one","one hop"],["other",[{"v":"n"}," hops"]]],"d":1}]"#
    );
}
