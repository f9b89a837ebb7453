//! The page's stemmers (`assets/stem-en.js`, a port of Porter2, and
//! `stem-de.js`, `stem-fr.js`, `stem-es.js`, ports of Snowball's German,
//! French and Spanish stemmers) and the index's (`search_index::stem_in`,
//! the rust-stemmers crate) give the same stem for every word of
//! Snowball's published vocabulary samples (tests/fixtures/porter2 and
//! tests/fixtures/snowball), in Debian's Chromium from file://. A query's
//! stem that differs from the index's by one letter finds nothing, so one
//! disagreement fails the test.

use crate::common;

use std::path::Path;

use common::chromium::{chromium, dump_dom};
use common::{sel, text_of};
use upgrade_atlas::plan::search_index::{Stemming, stem_in};

/// Loads one stemmer's script alone and prints the stem of every word of
/// `words.js` as JSON.
const HARNESS: &str = r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>harness</title></head>
<body data-root=""><pre id="out"></pre>
<script src="words.js"></script><script src="stem.js"></script>
<script>
var out = document.getElementById("out");
try {
  out.textContent = JSON.stringify(window.WORDS.map(window.UpgradeAtlasStemmers.CODE));
} catch (error) {
  out.textContent = "harness failed: " + error;
}
</script></body></html>"#;

/// English words outside Snowball's sample on which the two must agree
/// too: words of upgrade notes, the exceptional forms Snowball's old
/// vocabulary lacks, and words the script keeps whole (not all letters a to
/// z).
const MORE_EN: &[&str] = &[
    "upgrade",
    "upgrades",
    "upgraded",
    "upgrading",
    "downgrade",
    "downgrading",
    "statuses",
    "database",
    "databases",
    "replication",
    "replicated",
    "installation",
    "configured",
    "skis",
    "howe",
    "atlas",
    "cosmos",
    "inning",
    "outing",
    "herring",
    "arsenal",
    "arsenic",
    "kiwis",
    "sayyid",
    "yyyy",
    "ayyy",
    "ied",
    "ies",
    "s",
    "by",
    "",
    "8.4",
    "v2.0.1",
    "naïve",
    "résumés",
    "straße",
    "x86s",
];

/// German words of upgrade notes.
const MORE_DE: &[&str] = &[
    "aktualisierung",
    "aktualisierungen",
    "aktualisieren",
    "aktualisiert",
    "pfad",
    "pfade",
    "pfades",
    "pfaden",
    "datenbank",
    "datenbanken",
    "sicherung",
    "sicherungen",
    "gesichert",
    "übergang",
    "übergänge",
    "straße",
    "strassen",
    "dienste",
    "dienstes",
    "konfiguration",
    "konfigurationen",
    "installiert",
    "installieren",
    "voraussetzungen",
    "kompatibilität",
    "migration",
    "migrationen",
    "wiederherstellung",
    "schlüssel",
    "größe",
    "größer",
    "müssen",
    "unterstützt",
    "unterstützung",
    "veröffentlichung",
    "ä",
    "ß",
    "ee",
    "quae",
    "bauen",
    "bayern",
];

/// French words of upgrade notes.
const MORE_FR: &[&str] = &[
    "mise",
    "mises",
    "jour",
    "sauvegarde",
    "sauvegardes",
    "sauvegarder",
    "sauvegardé",
    "données",
    "donnée",
    "serveur",
    "serveurs",
    "installation",
    "installations",
    "installé",
    "installée",
    "migration",
    "migrations",
    "chemin",
    "chemins",
    "compatibilité",
    "prérequis",
    "redémarrer",
    "redémarrage",
    "configurée",
    "configurés",
    "été",
    "étés",
    "mises",
    "à",
    "ça",
    "français",
    "noël",
    "aiguë",
    "crayon",
    "quand",
    "paraître",
    "colère",
    "tapis",
    "s",
    "é",
];

/// Spanish words of upgrade notes.
const MORE_ES: &[&str] = &[
    "actualización",
    "actualizaciones",
    "actualizar",
    "actualizado",
    "servidor",
    "servidores",
    "ruta",
    "rutas",
    "copia",
    "copias",
    "seguridad",
    "migración",
    "migraciones",
    "instalación",
    "instalaciones",
    "instalado",
    "requisitos",
    "compatibilidad",
    "reiniciar",
    "configuración",
    "niño",
    "año",
    "años",
    "pingüino",
    "haciéndolo",
    "diciéndoselo",
    "cayendo",
    "arguyendo",
    "sigue",
    "siguen",
    "averigüé",
    "o",
    "á",
];

/// A sample's words (the first column of `word stem` lines), then `more`.
fn words(fixture: &str, more: &[&str]) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture);
    let sample = std::fs::read_to_string(path).unwrap();
    let mut words: Vec<String> = sample
        .lines()
        .filter_map(|line| line.split(' ').next())
        .map(str::to_owned)
        .collect();
    assert!(words.len() > 3000, "{fixture} has {} words", words.len());
    words.extend(more.iter().map(|w| w.to_string()));
    words
}

/// The script's stem of each word, from the harness page in Chromium.
fn script_stems(chromium: &Path, code: &str, words: &[String]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("templates/assets")
        .join(format!("stem-{code}.js"));
    std::fs::copy(script, dir.path().join("stem.js")).unwrap();
    // `<` escaped: the list sits in a script element.
    let list = serde_json::to_string(words)
        .unwrap()
        .replace('<', "\\u003c");
    std::fs::write(
        dir.path().join("words.js"),
        format!("window.WORDS = {list};\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("harness.html"),
        HARNESS.replace("CODE", code),
    )
    .unwrap();
    let html = dump_dom(chromium, &dir.path().join("harness.html"), "");
    let document = scraper::Html::parse_document(&html);
    let json = document
        .select(&sel("#out"))
        .map(text_of)
        .collect::<String>();
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

/// Every word's stem in the script and in the index, as one stemmer: the
/// words that stem differently.
fn differences(chromium: &Path, stemming: Stemming, words: &[String]) -> Vec<String> {
    let code = stemming.code().unwrap();
    let script = script_stems(chromium, code, words);
    assert_eq!(script.len(), words.len());
    words
        .iter()
        .zip(&script)
        .filter(|(word, script)| stem_in(word, stemming) != **script)
        .map(|(word, script)| {
            format!(
                "{code} {word:?}: index {:?}, script {script:?}",
                stem_in(word, stemming)
            )
        })
        .collect()
}

fn assert_none(differences: Vec<String>, count: usize) {
    assert!(
        differences.is_empty(),
        "{} of {count} words stem differently, first:\n{}",
        differences.len(),
        differences[..differences.len().min(10)].join("\n")
    );
}

#[test]
fn search_script_stems_as_the_index_does() {
    let Some(chromium) = chromium() else { return };
    let words = words("porter2/sample.txt", MORE_EN);
    assert_none(
        differences(&chromium, Stemming::English, &words),
        words.len(),
    );
}

#[test]
fn search_scripts_stem_german_french_spanish_as_the_index_does() {
    let Some(chromium) = chromium() else { return };
    let mut all = Vec::new();
    let mut count = 0;
    for (fixture, more, stemming) in [
        ("snowball/german.txt", MORE_DE, Stemming::German),
        ("snowball/french.txt", MORE_FR, Stemming::French),
        ("snowball/spanish.txt", MORE_ES, Stemming::Spanish),
    ] {
        let words = words(fixture, more);
        count += words.len();
        all.extend(differences(&chromium, stemming, &words));
    }
    assert_none(all, count);
}
