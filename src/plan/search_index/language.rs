//! How a site's text becomes the index's terms, in the site's language:
//! folded words, stemmed in English, German, French and Spanish, and runs
//! of Chinese, Japanese and Korean characters cut into overlapping pairs.
//!
//! The terms here must be the terms the script makes: [`fold`], [`words`]
//! and [`index_words`] do what `fold()`, `words()` and `indexWords()` in
//! `templates/assets/search.js` do, and the browser tests compare them.

use std::cell::RefCell;
use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// Which stemmer a site's words go through, from its `language`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stemming {
    /// Words are kept whole.
    None,
    /// Porter2, on words folded to letters a to z.
    English,
    /// Snowball's German, French or Spanish stemmer, on the word with its
    /// accents (see `index_form`).
    German,
    French,
    Spanish,
}

impl Stemming {
    /// The stemmer of a BCP 47 tag: its primary language, whatever region
    /// or script follows (`de-AT`, `fr-CA`, `es-419`).
    pub fn of(language: &str) -> Stemming {
        let language = language.to_ascii_lowercase();
        let primary = language.split('-').next().unwrap_or("");
        match primary {
            "en" => Stemming::English,
            "de" => Stemming::German,
            "fr" => Stemming::French,
            "es" => Stemming::Spanish,
            _ => Stemming::None,
        }
    }

    /// What the manifest says (`stem: "de"`), so that the script stems its
    /// terms alike and loads `assets/stem-de.js` for it.
    pub fn code(self) -> Option<&'static str> {
        match self {
            Stemming::None => None,
            Stemming::English => Some("en"),
            Stemming::German => Some("de"),
            Stemming::French => Some("fr"),
            Stemming::Spanish => Some("es"),
        }
    }

    fn algorithm(self) -> Option<Algorithm> {
        match self {
            Stemming::None => None,
            Stemming::English => Some(Algorithm::English),
            Stemming::German => Some(Algorithm::German),
            Stemming::French => Some(Algorithm::French),
            Stemming::Spanish => Some(Algorithm::Spanish),
        }
    }

    /// Whether the stemmer takes words with their accents.
    fn accented(self) -> bool {
        matches!(
            self,
            Stemming::German | Stemming::French | Stemming::Spanish
        )
    }

    /// The letters a word must be made of to be stemmed; other words (a
    /// version, a name in another script) are kept whole, so that the
    /// script's stemmer need handle no letter Snowball does not name.
    fn stems(self, word: &str) -> bool {
        let extra = match self {
            Stemming::None => return false,
            Stemming::English => "",
            Stemming::German => "äöüß",
            Stemming::French => "àâäçéèêëîïôöùûüÿœæ",
            Stemming::Spanish => "áéíóúüñ",
        };
        !word.is_empty()
            && word
                .chars()
                .all(|c| c.is_ascii_lowercase() || extra.contains(c))
    }
}

/// Whether the index stems English words: for a site whose `language` is
/// English (`en`, `en-GB`...).
pub fn stems_english(language: &str) -> bool {
    Stemming::of(language) == Stemming::English
}

/// Case and accents do not matter: canonical decomposition, the combining
/// marks U+0300..U+036F dropped, recomposed (so that a Japanese voiced
/// kana or a Korean syllable is one letter again), lower case. Exactly the
/// script's `fold()`: `normalize("NFD").replace(/[\u0300-\u036f]/g, "")
/// .normalize("NFC").toLowerCase()`.
pub fn fold(text: &str) -> String {
    // ASCII has no decomposition and no context-dependent case.
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let stripped: String = text.nfd().filter(|c| !is_accent(*c)).nfc().collect();
    // Like toLowerCase(), to_lowercase() maps a final capital sigma to ς.
    stripped.to_lowercase()
}

fn is_accent(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// Letters (`\p{L}`), digits (`\p{N}`) and dots make words.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '.';
    }
    matches!(
        c.general_category_group(),
        GeneralCategoryGroup::Letter | GeneralCategoryGroup::Number
    )
}

/// Chinese, Japanese and Korean letters: Han (with 々 〆 〇), Hiragana,
/// Katakana (with its half-width forms) and Hangul. The script's `CJK`
/// names the same ranges.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11ff}'
        | '\u{3005}'..='\u{3007}'
        | '\u{3040}'..='\u{30ff}'
        | '\u{3130}'..='\u{318f}'
        | '\u{31f0}'..='\u{31ff}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{ac00}'..='\u{d7af}'
        | '\u{f900}'..='\u{faff}'
        | '\u{ff66}'..='\u{ff9f}'
        | '\u{20000}'..='\u{323af}')
}

/// The words of a text as the script's `words()` finds them: folded, split
/// on anything but letters, digits and dots, dots trimmed from both ends.
pub fn words(text: &str) -> Vec<String> {
    split_words(&fold(text)).map(str::to_owned).collect()
}

fn split_words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !is_word_char(c))
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty())
}

/// The text the words of a site in a language are cut from: folded, or
/// for a stemmer that takes accents only lower-cased and composed (the
/// script's `prepared()`), its words folded once stemmed.
fn prepared(text: &str, stemming: Stemming) -> String {
    if !stemming.accented() {
        return fold(text);
    }
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.to_lowercase().nfc().collect()
}

/// Whether a character is part of a word of a [`prepared`] text: accents
/// too where the text is not folded, so that a word is the same word.
fn in_chunk(c: char, stemming: Stemming) -> bool {
    is_word_char(c) || (stemming.accented() && is_accent(c))
}

/// The runs of word characters of a prepared text, dots not yet trimmed.
fn chunks(prepared: &str, stemming: Stemming) -> impl Iterator<Item = &str> {
    prepared
        .split(move |c: char| !in_chunk(c, stemming))
        .filter(|w| !w.is_empty())
}

/// The terms of one run of word characters, added to `out`: its parts in
/// Chinese, Japanese or Korean letters as overlapping pairs of letters
/// ("日本語" as "日本", "本語"; a single letter as itself), for a
/// script that writes no spaces between words; its other parts as words,
/// dots trimmed, each in its index form ([`index_form`]).
fn chunk_terms(chunk: &str, stemming: Stemming, out: &mut Vec<String>) {
    if !chunk.chars().any(is_cjk) {
        return push_word(chunk, stemming, out);
    }
    let mut rest = chunk;
    while let Some(first) = rest.chars().next() {
        let cjk = is_cjk(first);
        let end = rest
            .char_indices()
            .find(|(_, c)| is_cjk(*c) != cjk)
            .map_or(rest.len(), |(i, _)| i);
        let (run, after) = rest.split_at(end);
        if cjk {
            push_bigrams(run, out);
        } else {
            push_word(run, stemming, out);
        }
        rest = after;
    }
}

fn push_word(word: &str, stemming: Stemming, out: &mut Vec<String>) {
    let word = word.trim_matches('.');
    if word.is_empty() {
        return;
    }
    let form = index_form(word, stemming);
    if !form.is_empty() {
        out.push(form);
    }
}

fn push_bigrams(run: &str, out: &mut Vec<String>) {
    let letters: Vec<char> = run.chars().collect();
    if letters.len() == 1 {
        out.push(run.to_owned());
    }
    out.extend(letters.windows(2).map(|pair| pair.iter().collect()));
}

/// A word as the index holds it: stemmed in English after folding; in
/// German, French and Spanish stemmed with its accents, which those
/// stemmers read ("é" is not "e" to the French one), then folded, so that
/// a query typed without accents still finds it where the stems agree.
fn index_form(word: &str, stemming: Stemming) -> String {
    if !stemming.accented() {
        return remembered_stem(word, stemming);
    }
    if stemming.stems(word) {
        return fold(&remembered_stem(word, stemming));
    }
    fold(word).trim_matches('.').to_owned()
}

/// The English stem of a folded word: Porter2 (Snowball's English
/// stemmer, from the `rust-stemmers` crate), so that "status" and
/// "statuses", "copy" and "copied", "stop" and "stopped" share a stem. A
/// word that is not all plain letters a to z ("8.4", "naïve") is kept
/// whole: Snowball defines no stems for it, and the script, which stems
/// queries with its own port of the algorithm (`stem()` in
/// templates/assets/search.js), must give the same answer for every word.
/// tests/fixtures/porter2 holds Snowball's words on which both are tested.
pub fn stem(word: &str) -> String {
    stem_in(word, Stemming::English)
}

/// The stem of a word in a language's stemmer, or the word itself when it
/// is not made of the letters that stemmer takes (see `Stemming::stems`).
/// The script's ports: `stem()` in search.js, and `assets/stem-de.js`,
/// `stem-fr.js`, `stem-es.js`; tests/fixtures/snowball holds Snowball's
/// words on which they are compared.
pub fn stem_in(word: &str, stemming: Stemming) -> String {
    match stemming.algorithm() {
        Some(algorithm) if stemming.stems(word) => {
            Stemmer::create(algorithm).stem(word).into_owned()
        }
        _ => word.to_owned(),
    }
}

/// How many stems a thread keeps before it starts over, so that a
/// long-lived `serve` does not grow without end.
const REMEMBERED_STEMS: usize = 100_000;

/// [`stem_in`], remembered by each thread for each stemmer: Porter2 costs
/// about ten times the light stemmer it replaced (0.7 µs a word;
/// docs/performance.md), and a site's documents share most of their
/// words, so most calls become one look-up. Words kept whole ("8.4.12")
/// are not worth remembering.
fn remembered_stem(word: &str, stemming: Stemming) -> String {
    if !stemming.stems(word) {
        return word.to_owned();
    }
    // One language's stems at a time (a site has one): looked up by the
    // word as borrowed, so that a word met before costs no allocation.
    thread_local! {
        static STEMS: RefCell<(u8, HashMap<String, String>)> = RefCell::default();
    }
    STEMS.with_borrow_mut(|(language, stems)| {
        if *language != stemming as u8 {
            *language = stemming as u8;
            stems.clear();
        }
        if let Some(known) = stems.get(word) {
            return known.clone();
        }
        if stems.len() >= REMEMBERED_STEMS {
            stems.clear();
        }
        let made = stem_in(word, stemming);
        stems.insert(word.to_owned(), made.clone());
        made
    })
}

/// The terms of a text in order, as the index holds them (see
/// [`chunk_terms`]), without the joined forms of hyphenated words.
fn sequence(text: &str, stemming: Stemming) -> Vec<String> {
    let prepared = prepared(text, stemming);
    let mut out = Vec::new();
    for chunk in chunks(&prepared, stemming) {
        chunk_terms(chunk, stemming, &mut out);
    }
    out
}

/// The terms a text is found by: its terms, and each hyphenated word also
/// joined ("Wi-Fi" is found by "wifi" too), in the site's language.
pub fn index_words(text: &str, stemming: Stemming) -> Vec<String> {
    let prepared = prepared(text, stemming);
    let mut out = Vec::new();
    for chunk in chunks(&prepared, stemming) {
        chunk_terms(chunk, stemming, &mut out);
    }
    for joined in joined_words(&prepared, stemming) {
        chunk_terms(&joined, stemming, &mut out);
    }
    out
}

/// Each hyphenated word of a prepared text, joined: "wi-fi" gives "wifi".
fn joined_words(prepared: &str, stemming: Stemming) -> impl Iterator<Item = String> + '_ {
    prepared
        .split(move |c: char| c != '-' && !in_chunk(c, stemming))
        .filter(|chunk| chunk.contains('-'))
        .filter_map(|chunk| {
            let parts: Vec<&str> = chunk
                .split('-')
                .map(|w| w.trim_matches('.'))
                .filter(|w| !w.is_empty())
                .collect();
            (parts.len() > 1).then(|| parts.concat())
        })
}

/// Each distinct term a text is found by ([`index_words`]), sorted, with
/// how many times the text holds it. The runs of letters are counted first,
/// borrowed from the text, and each distinct run is analysed once: a
/// scenario's text says most of its words many times, and making a term
/// (folding, a stem looked up) for every one of them, then sorting them
/// all, was 10 % of a 10,000-scenario build's CPU.
pub(super) fn word_counts(text: &str, stemming: Stemming) -> Vec<(String, usize)> {
    let prepared = prepared(text, stemming);
    let joined: Vec<String> = joined_words(&prepared, stemming).collect();
    let mut runs: HashMap<&str, usize> = HashMap::new();
    let all_runs = chunks(&prepared, stemming).chain(joined.iter().map(String::as_str));
    for run in all_runs {
        *runs.entry(run).or_default() += 1;
    }
    let mut counts: HashMap<String, usize> = HashMap::with_capacity(runs.len());
    let mut terms = Vec::new();
    for (run, times) in runs {
        chunk_terms(run, stemming, &mut terms);
        for term in terms.drain(..) {
            *counts.entry(term).or_default() += times;
        }
    }
    let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
    counts.sort_unstable();
    counts
}

/// The distinct terms a text is found by, sorted: the set of
/// [`index_words`], the terms of [`word_counts`].
pub(super) fn word_set(text: &str, stemming: Stemming) -> Vec<String> {
    let counts = word_counts(text, stemming);
    counts.into_iter().map(|(word, _)| word).collect()
}

/// Each pair of terms a text says one after the other, as the index holds
/// them, written `"first second"` (a space, which no term holds) and
/// sorted: what ranks a document whose text has a query's words side by
/// side above one that has them apart. Hyphenated words count as their
/// parts ("wi-fi" gives "wi fi"), as the script's `words()` splits them;
/// a run of Japanese gives its overlapping pairs in order.
pub(super) fn adjacent_pairs(text: &str, stemming: Stemming) -> Vec<String> {
    let sequence = sequence(text, stemming);
    let mut pairs: Vec<String> = sequence
        .windows(2)
        .map(|pair| format!("{} {}", pair[0], pair[1]))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}
