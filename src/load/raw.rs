//! The raw documents: what each YAML file holds, typed, with the place of
//! every value, and the deserializers for the "this or that" shapes.

use std::fmt;
use std::marker::PhantomData;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use crate::diag::Sources;

/// A value with the place it is written at. serde-saphyr's `Spanned`
/// keeps two whole locations beside the value, where it is referenced and
/// where an anchor defined it (56 bytes); only the first is ever shown, in
/// 16 bytes. The raw documents of 10,000 scenarios took 70 MB with
/// `Spanned`, for 34 MB of YAML.
#[derive(Clone, Debug, PartialEq)]
pub struct S<T> {
    pub value: T,
    pub referenced: Place,
}

impl<T> S<T> {
    pub fn new(value: T, referenced: Place) -> S<T> {
        S { value, referenced }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for S<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<T>::deserialize(deserializer)?;
        Ok(S {
            referenced: Place::of(&spanned.referenced),
            value: spanned.value,
        })
    }
}

/// Where a value is written: line and column from 1 (0 when unknown), and
/// its bytes in the file. Files are at most `MAX_FILE_BYTES`, so 32 bits
/// hold every figure.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Place {
    line: u32,
    column: u32,
    byte_offset: u32,
    byte_len: u32,
}

impl Place {
    const UNKNOWN: u32 = u32::MAX;

    fn of(location: &Location) -> Place {
        let figure = |n: Option<u64>| {
            n.and_then(|n| u32::try_from(n).ok())
                .unwrap_or(Self::UNKNOWN)
        };
        let span = location.span();
        Place {
            line: u32::try_from(location.line()).unwrap_or(u32::MAX),
            column: u32::try_from(location.column()).unwrap_or(u32::MAX),
            byte_offset: figure(span.byte_offset()),
            byte_len: figure(span.byte_len()),
        }
    }

    pub fn line(&self) -> u64 {
        u64::from(self.line)
    }

    pub fn column(&self) -> u64 {
        u64::from(self.column)
    }

    pub fn byte_offset(&self) -> Option<usize> {
        (self.byte_offset != Self::UNKNOWN).then_some(self.byte_offset as usize)
    }

    pub fn byte_len(&self) -> Option<usize> {
        (self.byte_len != Self::UNKNOWN).then_some(self.byte_len as usize)
    }
}

/// A file under `content/static/`, copied into the site as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaticFile {
    /// Its path in the site: below `static/`.
    pub target: PathBuf,
    /// Its path from the knowledge base root, as errors show it.
    pub file: PathBuf,
    /// Where to read it (the root joined), whatever the working folder.
    pub path: PathBuf,
}

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct RawKb {
    // Shared with the load cache, so that an unchanged file costs no copy.
    pub site: Option<Arc<RawDoc<RawSite>>>,
    pub products: Vec<Arc<RawDoc<RawProduct>>>,
    pub components: Vec<Arc<RawDoc<RawComponent>>>,
    pub scenarios: Vec<Arc<RawDoc<RawScenario>>>,
    pub stacks: Vec<Arc<RawDoc<RawStack>>>,
    /// `content/i18n/LANG.yaml`: the knowledge base's own messages, by
    /// language (the file's stem).
    pub messages: Vec<Arc<RawDoc<RawMessages>>>,
    /// Files under `content/static/`, copied verbatim.
    pub static_files: Vec<StaticFile>,
    pub sources: Sources,
    /// Ids whose files could not be read or parsed: references to them are
    /// not reported again as unknown, since the real problem is the file.
    pub broken: Broken,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Broken {
    pub products: std::collections::BTreeSet<String>,
    pub components: std::collections::BTreeSet<String>,
    pub scenarios: std::collections::BTreeSet<String>,
    pub stacks: std::collections::BTreeSet<String>,
}

/// One parsed file: where it is, the id its path gives it, and its value.
#[derive(Clone, Debug)]
pub struct RawDoc<T> {
    /// Path relative to the knowledge base root, e.g. `content/products/a.yaml`.
    pub file: PathBuf,
    /// The file stem, or for scenarios the path below `scenarios/` without extension.
    pub id: String,
    pub value: T,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    pub title: Option<S<String>>,
    pub description: Option<S<String>>,
    pub base_url: Option<S<String>>,
    pub language: Option<S<String>>,
    pub pretty_urls: Option<S<bool>>,
    pub markdown: Option<RawMarkdownSettings>,
    pub conditions: Option<Entries<S<String>, S<String>>>,
    pub today: Option<S<String>>,
    pub support_warning_days: Option<S<u32>>,
    pub support_phases: Option<RawPhaseLabels>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMarkdownSettings {
    pub raw_html: Option<S<bool>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProduct {
    pub name: S<String>,
    pub vendor: Option<S<String>>,
    pub summary: Option<S<String>>,
    pub notes: Option<S<String>>,
    pub links: Option<Vec<RawLink>>,
    pub versions: S<Vec<RawVersion>>,
    pub upgrades: Option<S<OneOrMany<RawRule>>>,
    pub support_phases: Option<RawPhaseLabels>,
    /// Format 1.2: requirements on other products for several versions at once.
    pub requirements: Option<Vec<RawRequirementRule>>,
    /// Format 1.2: support dates for several versions at once (a series).
    pub support: Option<Vec<RawSeriesSupport>>,
    /// Format 1.2: the ids this product had before, whose pages redirect here.
    pub moved_from: Option<Vec<S<String>>>,
}

/// `support: [{ versions: SPEC, support_ends: DATE|false,
/// extended_support_ends: DATE }]`: the dates of every version `versions`
/// names that does not state its own.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSeriesSupport {
    pub versions: S<String>,
    pub support_ends: Option<S<RawSupportEnds>>,
    pub extended_support_ends: Option<S<String>>,
}

/// `requirements: [{ versions: SPEC, requires: [SELECTOR, ...] }]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRequirementRule {
    pub versions: S<String>,
    pub requires: Vec<S<String>>,
}

/// `content/i18n/LANG.yaml`: messages of the site's built-in parts, each
/// key's Fluent pattern (`i18n/en.yaml` in the source lists them).
#[derive(Clone, Debug, Deserialize)]
#[serde(transparent)]
pub struct RawMessages(pub Entries<S<String>, S<String>>);

impl Fixup for RawMessages {
    fn fixup(&mut self, _: &str) {}
}

/// `content/stacks/ID.yaml` (format 1.2): products installed together.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStack {
    pub name: S<String>,
    pub summary: Option<S<String>>,
    pub members: S<Vec<S<String>>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVersion {
    pub id: S<String>,
    pub name: Option<S<String>>,
    pub released: Option<S<String>>,
    pub summary: Option<S<String>>,
    pub aliases: Option<Vec<S<String>>>,
    pub components: Option<Vec<S<String>>>,
    pub issues: Option<Vec<RawIssue>>,
    pub support_ends: Option<S<RawSupportEnds>>,
    pub extended_support_ends: Option<S<String>>,
    pub lts: Option<S<bool>>,
    pub latest: Option<S<String>>,
    pub latest_released: Option<S<String>>,
    pub sources: Option<Vec<RawSource>>,
    /// Format 1.2: the versions of other products this one runs beside.
    pub requires: Option<Vec<S<String>>>,
    /// Format 1.2: the ids this version had before.
    pub moved_from: Option<Vec<S<String>>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub policy: Option<S<RawPolicy>>,
    pub versions: Option<S<String>>,
    pub required_stops: Option<Vec<S<RawStop>>>,
    pub when: Option<S<Names>>,
    pub unless: Option<S<Names>>,
}

/// A required stop: `"4.5"` or `{ version: "17.1", when: large-tables }`.
#[derive(Clone, Debug)]
pub enum RawStop {
    /// The version as written; `None` when YAML read it as a number, in which
    /// case the loader takes the text from the source (see `Fixup`).
    Bare(Option<String>),
    Detailed(Box<RawStopEntry>),
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStopEntry {
    pub version: S<String>,
    pub when: Option<S<Names>>,
    pub unless: Option<S<Names>>,
}

/// A condition name or a list of them.
#[derive(Clone, Debug)]
pub enum Names {
    One(Option<String>),
    Many(Vec<S<String>>),
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawComponent {
    pub name: S<String>,
    pub summary: Option<S<String>>,
    pub depends_on: Option<Vec<S<String>>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direct {
    Supported,
    Unsupported,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub from: S<String>,
    pub to: S<String>,
    pub direct: S<Direct>,
    pub title: Option<S<String>>,
    /// When the scenario last changed in substance, for the feed.
    pub updated: Option<S<String>>,
    pub summary: Option<S<String>>,
    pub via: Option<S<Vec<S<String>>>>,
    pub steps: Option<Vec<S<String>>>,
    pub issues: Option<Vec<RawIssue>>,
    pub alternatives: Option<Vec<RawAlternative>>,
    pub links: Option<Vec<RawLink>>,
    pub sources: Option<Vec<RawSource>>,
    pub notes: Option<S<String>>,
    pub when: Option<S<Names>>,
    pub unless: Option<S<Names>>,
    /// Format 1.2: the ids (paths below `scenarios/`) this scenario had before.
    pub moved_from: Option<Vec<S<String>>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIssue {
    pub title: S<String>,
    pub severity: Option<S<RawSeverity>>,
    pub component: Option<S<String>>,
    pub body: Option<S<String>>,
    pub applies_if: Option<RawAppliesIf>,
    pub when: Option<S<Names>>,
    pub unless: Option<S<Names>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAppliesIf {
    pub originally: S<Selectors>,
}

/// A selector or a list of them (`applies_if.originally`).
#[derive(Clone, Debug)]
pub enum Selectors {
    /// As written; `None` when YAML read it as a number or a boolean, in
    /// which case the loader takes the text from the source (see `Fixup`).
    One(Option<String>),
    Many(Vec<S<String>>),
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlternative {
    pub title: S<String>,
    pub body: Option<S<String>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLink {
    pub title: S<String>,
    pub url: S<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub title: S<String>,
    pub url: S<String>,
    pub quote: Option<S<String>>,
    pub retrieved: Option<S<String>>,
}

/// A single value or a list of them (`upgrades`).
#[derive(Clone, Debug)]
pub enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    pub fn as_slice(&self) -> &[T] {
        match self {
            OneOrMany::One(item) => std::slice::from_ref(item),
            OneOrMany::Many(items) => items,
        }
    }
}

/// A mapping read as ordered `(key, value)` pairs, keeping the key's span.
#[derive(Clone, Debug)]
pub struct Entries<K, V>(pub Vec<(K, V)>);

/// Where serde-saphyr's typed scalars could not keep the text (a plain `4.5`
/// inside a "string or map" value arrives as a float), the text is taken back
/// from the source by the value's byte span.
pub(super) trait Fixup {
    fn fixup(&mut self, source: &str);
}

pub(super) fn source_text(source: &str, place: &Place) -> String {
    let start = place.byte_offset().unwrap_or(0);
    let end = start + place.byte_len().unwrap_or(0);
    source.get(start..end).unwrap_or_default().trim().to_owned()
}

impl Fixup for S<Names> {
    fn fixup(&mut self, source: &str) {
        if let Names::One(None) = self.value {
            self.value = Names::One(Some(source_text(source, &self.referenced)));
        }
    }
}

impl Fixup for S<Selectors> {
    fn fixup(&mut self, source: &str) {
        if let Selectors::One(None) = self.value {
            self.value = Selectors::One(Some(source_text(source, &self.referenced)));
        }
    }
}

impl Fixup for RawAppliesIf {
    fn fixup(&mut self, source: &str) {
        self.originally.fixup(source);
    }
}

impl Fixup for S<RawStop> {
    fn fixup(&mut self, source: &str) {
        match &mut self.value {
            RawStop::Bare(text @ None) => *text = Some(source_text(source, &self.referenced)),
            RawStop::Bare(Some(_)) => {}
            RawStop::Detailed(entry) => {
                entry.when.fixup(source);
                entry.unless.fixup(source);
            }
        }
    }
}

impl<T: Fixup> Fixup for Option<T> {
    fn fixup(&mut self, source: &str) {
        if let Some(value) = self {
            value.fixup(source);
        }
    }
}

impl<T: Fixup> Fixup for Vec<T> {
    fn fixup(&mut self, source: &str) {
        for value in self {
            value.fixup(source);
        }
    }
}

impl Fixup for RawRule {
    fn fixup(&mut self, source: &str) {
        self.required_stops.fixup(source);
        self.when.fixup(source);
        self.unless.fixup(source);
    }
}

impl Fixup for RawIssue {
    fn fixup(&mut self, source: &str) {
        self.when.fixup(source);
        self.unless.fixup(source);
        self.applies_if.fixup(source);
    }
}

impl Fixup for RawVersion {
    fn fixup(&mut self, source: &str) {
        self.issues.fixup(source);
    }
}

impl Fixup for RawProduct {
    fn fixup(&mut self, source: &str) {
        self.versions.value.fixup(source);
        if let Some(upgrades) = &mut self.upgrades {
            match &mut upgrades.value {
                OneOrMany::One(rule) => rule.fixup(source),
                OneOrMany::Many(rules) => rules.fixup(source),
            }
        }
    }
}

impl Fixup for RawScenario {
    fn fixup(&mut self, source: &str) {
        self.when.fixup(source);
        self.unless.fixup(source);
        self.issues.fixup(source);
    }
}

impl Fixup for RawSite {
    fn fixup(&mut self, _: &str) {}
}

impl Fixup for RawComponent {
    fn fixup(&mut self, _: &str) {}
}

impl Fixup for RawStack {
    fn fixup(&mut self, _: &str) {}
}

// ---- deserializers for the "this or that" shapes --------------------------

/// Visits any scalar as text; numbers and booleans report `None` so that the
/// loader recovers their exact spelling from the source.
macro_rules! scalar_as_text {
    ($make:expr) => {
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok($make(Some(v.to_owned())))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok($make(Some(v)))
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($make(None))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($make(None))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($make(None))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($make(None))
        }
    };
}

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NamesVisitor;
        impl<'de> Visitor<'de> for NamesVisitor {
            type Value = Names;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a condition name or a list of condition names")
            }
            scalar_as_text!(Names::One);
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Names, A::Error> {
                Vec::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Names::Many)
            }
        }
        deserializer.deserialize_any(NamesVisitor)
    }
}

impl<'de> Deserialize<'de> for Selectors {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SelectorsVisitor;
        impl<'de> Visitor<'de> for SelectorsVisitor {
            type Value = Selectors;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a selector (`product@version`) or a list of selectors")
            }
            scalar_as_text!(Selectors::One);
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Selectors, A::Error> {
                Vec::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Selectors::Many)
            }
        }
        deserializer.deserialize_any(SelectorsVisitor)
    }
}

impl<'de> Deserialize<'de> for RawStop {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StopVisitor;
        impl<'de> Visitor<'de> for StopVisitor {
            type Value = RawStop;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a version id or a mapping with `version` and `when`")
            }
            scalar_as_text!(RawStop::Bare);
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawStop, A::Error> {
                RawStopEntry::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|entry| RawStop::Detailed(Box::new(entry)))
            }
        }
        deserializer.deserialize_any(StopVisitor)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OneOrManyVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrManyVisitor<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping (`{ policy: sequential }`) or a list of them")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                Vec::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(OneOrMany::Many)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(OneOrMany::One)
            }
        }
        deserializer.deserialize_any(OneOrManyVisitor(PhantomData))
    }
}

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Entries<K, V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<K, V>(PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for EntriesVisitor<K, V> {
            type Value = Entries<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of names to descriptions")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor(PhantomData))
    }
}

/// `upgrades.policy` as written; resolve turns it into `model::Policy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RawPolicy {
    None,
    Sequential,
    AnyNewer,
}

/// An issue's `severity` as written; resolve turns it into `model::Severity`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawSeverity {
    Blocking,
    Warning,
    Info,
}

/// `support_ends` as written: a date, or `false` for "not announced".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RawSupportEnds {
    Text(String),
    Flag(bool),
}

impl<'de> Deserialize<'de> for RawSupportEnds {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SupportEndsVisitor;
        impl Visitor<'_> for SupportEndsVisitor {
            type Value = RawSupportEnds;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an ISO date (YYYY-MM-DD) or `false`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawSupportEnds, E> {
                Ok(RawSupportEnds::Text(v.to_owned()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawSupportEnds, E> {
                Ok(RawSupportEnds::Flag(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawSupportEnds, E> {
                Ok(RawSupportEnds::Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawSupportEnds, E> {
                Ok(RawSupportEnds::Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawSupportEnds, E> {
                Ok(RawSupportEnds::Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(SupportEndsVisitor)
    }
}

/// `support_phases` in `site.yaml` or a product's file: the names of the two phases.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPhaseLabels {
    pub mainstream: Option<S<String>>,
    pub extended: Option<S<String>>,
}
