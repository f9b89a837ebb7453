//! Stage 1, load: `content/` -> raw documents with source spans.
//!
//! Walks the content folder in sorted order, reads every YAML file into the
//! typed raw structures below (unknown fields refused), and keeps each file's
//! text so that later stages and the error printer can point into it. Nothing
//! here knows what an id means; that is `resolve`'s job.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::marker::PhantomData;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use crate::diag::{Diagnostic, Sources, Span, suggest};

/// Content files above this size are refused: no hand-written knowledge base
/// needs one, and a runaway file should not stall every build.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

pub type S<T> = Spanned<T>;

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct RawKb {
    // Shared with the load cache, so that an unchanged file costs no copy.
    pub site: Option<Arc<RawDoc<RawSite>>>,
    pub products: Vec<Arc<RawDoc<RawProduct>>>,
    pub components: Vec<Arc<RawDoc<RawComponent>>>,
    pub scenarios: Vec<Arc<RawDoc<RawScenario>>>,
    /// Files under `content/static/`, copied verbatim: (path below static/, path from root).
    pub static_files: Vec<(PathBuf, PathBuf)>,
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
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Policy {
    #[default]
    None,
    Sequential,
    AnyNewer,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    pub policy: Option<S<Policy>>,
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
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Blocking,
    #[default]
    Warning,
    Info,
}

impl Severity {
    /// As written in content and in JSON: `blocking`, `warning`, `info`.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Blocking => "blocking",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// As shown to readers: `Blocking`, `Warning`, `Info`.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Blocking => "Blocking",
            Severity::Warning => "Warning",
            Severity::Info => "Info",
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIssue {
    pub title: S<String>,
    pub severity: Option<S<Severity>>,
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
trait Fixup {
    fn fixup(&mut self, source: &str);
}

fn source_text(source: &str, location: &Location) -> String {
    let span = location.span();
    let start = span.byte_offset().unwrap_or(0) as usize;
    let end = start + span.byte_len().unwrap_or(0) as usize;
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

// ---- walking and reading ----------------------------------------------------

/// Files parsed by an earlier load: a file whose size and modification
/// time (to the nanosecond where the file system keeps it) did not change is
/// not read again. `serve` keeps one between rebuilds, and while its watcher
/// reports every change, a rebuild after editing known files reads only
/// those, without walking `content/` again.
#[derive(Default)]
pub struct LoadCache {
    /// What the last walk found, in walk order, with what each file gave.
    walk: Walk,
    /// Where each walked file is in `walk.files`, by path.
    index: HashMap<PathBuf, usize>,
    /// Whether a walk now would find the same files, as far as the reported
    /// changes tell.
    current: bool,
    /// While a watcher reports changes: the files (relative to the root)
    /// reported changed since the last load.
    reported: Option<BTreeSet<PathBuf>>,
}

impl LoadCache {
    /// From the next load on, every change is reported through
    /// [`LoadCache::changed`] or [`LoadCache::changed_somewhere`]. The next
    /// load still walks, for what changed before the watcher started.
    pub fn watched(&mut self) {
        self.reported = Some(BTreeSet::new());
        self.current = false;
    }

    /// `file` (relative to the root) was created, changed or removed.
    pub fn changed(&mut self, file: &Path) {
        if let Some(reported) = &mut self.reported {
            reported.insert(file.to_path_buf());
        }
    }

    /// Something changed that cannot be named: the next load walks again.
    pub fn changed_somewhere(&mut self) {
        self.current = false;
    }

    /// Where the reported files are in the walk, when the reported changes
    /// are all edits of files the last walk found, so that walking again
    /// would find the same files; `None` when content/ must be walked.
    fn edited_files(&self, root: &Path) -> Option<Vec<usize>> {
        let reported = self.reported.as_ref()?;
        if !self.current || self.walk.followed_links {
            // A change to a link's target is reported under the target's name.
            return None;
        }
        let mut edited = Vec::new();
        for file in reported {
            let Ok(below_content) = file.strip_prefix("content") else {
                continue; // templates/: not this stage's business
            };
            if below_content.components().any(|c| is_hidden(c.as_os_str())) {
                continue; // the walk skips hidden files and folders
            }
            let path = root.join(file);
            let known = self.index.get(&path);
            match (std::fs::symlink_metadata(&path), known) {
                (Ok(metadata), Some(&at)) if metadata.is_file() => edited.push(at),
                // Come and gone, like an editor's temporary file.
                (Err(error), None)
                    if error.kind() == std::io::ErrorKind::NotFound
                        && !self.walk.folders.contains(&path) => {}
                _ => return None,
            }
        }
        Some(edited)
    }

    /// Walks content/ again, keeping what each file still there gave.
    fn walk_again(&mut self, root: &Path) {
        let mut kept: HashMap<PathBuf, Kept> = std::mem::take(&mut self.walk.files)
            .into_iter()
            .filter_map(|walked| Some((walked.path, walked.kept?)))
            .collect();
        self.walk = walk(root);
        for walked in &mut self.walk.files {
            walked.kept = kept.remove(&walked.path);
        }
        self.index = (self.walk.files.iter().enumerate())
            .map(|(at, walked)| (walked.path.clone(), at))
            .collect();
        self.current = true;
    }
}

/// What a walk of content/ found.
#[derive(Default)]
struct Walk {
    files: Vec<Walked>,
    /// The folders it went through: one moved away takes its files along.
    folders: HashSet<PathBuf>,
    problems: Vec<Diagnostic>,
    followed_links: bool,
}

/// A file found by a walk, and what reading it gave.
struct Walked {
    path: PathBuf,
    /// The path from the knowledge base root, as errors show it.
    file: PathBuf,
    kept: Option<Kept>,
}

/// What reading a file gave, and its stamp when it was read.
struct Kept {
    stamp: Option<Stamp>,
    read: Read,
    problems: Vec<Diagnostic>,
}

/// What tells that a file changed without reading it.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let metadata = std::fs::metadata(path).ok()?;
    Some(Stamp {
        len: metadata.len(),
        modified: metadata.modified().ok(),
    })
}

/// Reads `root/content`. Returns what could be read and every problem found.
pub fn load(root: &Path) -> (RawKb, Vec<Diagnostic>) {
    load_cached(root, &mut LoadCache::default())
}

/// [`load`], reusing what `cache` holds for unchanged files and keeping the
/// new results in it.
pub fn load_cached(root: &Path, cache: &mut LoadCache) -> (RawKb, Vec<Diagnostic>) {
    let mut kb = RawKb::default();
    let content = root.join("content");
    if !content.is_dir() {
        cache.current = false;
        let problem = Diagnostic::error(Span::file_start("content"), "no content/ folder here")
            .with_hint(format!(
                "run upgrade-atlas in the folder that holds content/, or pass --root (looked in {})",
                root.display()
            ));
        return (kb, vec![problem]);
    }
    let stale: Vec<(usize, Option<Stamp>)> = match cache.edited_files(root) {
        Some(edited) => edited.into_iter().map(|at| (at, None)).collect(),
        None => {
            cache.walk_again(root);
            stale_after_walk(&cache.walk.files)
        }
    };
    if let Some(reported) = &mut cache.reported {
        reported.clear();
    }
    // Parsing is the slow part and files are independent: read them in
    // parallel, then gather the results in walk order.
    let files = &cache.walk.files;
    let fresh: Vec<(usize, Kept)> = stale
        .into_par_iter()
        .map(|(at, known_stamp)| {
            let Walked { path, file, .. } = &files[at];
            let stamp = known_stamp.or_else(|| stamp(path));
            let below_content = path.strip_prefix(&content).unwrap_or(path);
            let (read, problems) = read_entry(root, path, below_content, file);
            let kept = Kept {
                stamp,
                read,
                problems,
            };
            (at, kept)
        })
        .collect();
    for (at, kept) in fresh {
        cache.walk.files[at].kept = Some(kept);
    }
    let mut problems = cache.walk.problems.clone();
    for walked in &cache.walk.files {
        if let Some(kept) = &walked.kept {
            problems.extend(kept.problems.iter().cloned());
            kb.add(walked.file.clone(), kept.read.clone());
        }
    }
    (kb, problems)
}

/// The files to read again after a walk, each with its new stamp: those
/// never read, and those whose stamp changed or cannot be read.
fn stale_after_walk(files: &[Walked]) -> Vec<(usize, Option<Stamp>)> {
    files
        .par_iter()
        .enumerate()
        .filter_map(|(at, walked)| {
            let now = stamp(&walked.path);
            match &walked.kept {
                Some(kept) if now.is_some() && kept.stamp == now => None,
                _ => Some((at, now)),
            }
        })
        .collect()
}

/// Lists the files under content/, in name order, skipping hidden ones
/// and following links only as [`crate::walk`] allows.
fn walk(root: &Path) -> Walk {
    let Some(walked) = crate::walk::walk(root, "content", is_hidden) else {
        return Walk::default();
    };
    Walk {
        files: (walked.files.into_iter())
            .map(|path| Walked {
                file: relative(root, &path),
                path,
                kept: None,
            })
            .collect(),
        folders: walked.folders.into_iter().collect(),
        problems: walked.problems,
        followed_links: walked.followed_links,
    }
}

/// `name~` (Emacs, Vim and others keep the previous version so) and
/// `#name#` (Emacs autosave).
fn is_editor_backup(name: &str) -> bool {
    name.ends_with('~') || (name.len() > 2 && name.starts_with('#') && name.ends_with('#'))
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    crate::walk::relative(root, path)
}

/// What a file under content/ is, from where it lives.
enum Kind {
    Site,
    Product(String),
    Component(String),
    Scenario(String),
    Static(PathBuf),
}

fn classify(below_content: &Path) -> Result<Kind, Diagnostic> {
    let parts: Vec<&str> = below_content
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => part.to_str(),
            _ => None,
        })
        .collect();
    let shown = below_content.display();
    if parts.len() != below_content.components().count() {
        return Err(Diagnostic::error(
            Span::file_start(format!("content/{shown}")),
            "file name is not valid UTF-8",
        )
        .with_hint("rename it: ids come from file names, which must be UTF-8"));
    }
    if parts.first() == Some(&"static") {
        return Ok(Kind::Static(parts[1..].iter().collect()));
    }
    let name = parts.last().copied().unwrap_or_default();
    let Some(stem) = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
    else {
        let hint = if is_editor_backup(name) {
            "it looks like an editor's backup or autosave file: delete it, and have the editor keep them outside content/ (Emacs: backup-directory-alist; Vim: backupdir)"
        } else {
            "move it to content/static/ to have it copied into the site, or delete it"
        };
        return Err(Diagnostic::error(
            Span::file_start(format!("content/{shown}")),
            "stray file: only YAML files are read from content/",
        )
        .with_hint(hint));
    };
    match parts.as_slice() {
        [_] if stem == "site" => Ok(Kind::Site),
        ["products", _] => Ok(Kind::Product(stem.to_owned())),
        ["components", _] => Ok(Kind::Component(stem.to_owned())),
        ["scenarios", folders @ .., _] => {
            let mut id: Vec<&str> = folders.to_vec();
            id.push(stem);
            Ok(Kind::Scenario(id.join("/")))
        }
        _ => Err(Diagnostic::error(
            Span::file_start(format!("content/{shown}")),
            "YAML file in a place that means nothing",
        )
        .with_hint(
            "products go in content/products/, components in content/components/, scenarios under content/scenarios/, settings in content/site.yaml",
        )),
    }
}

/// What one file under content/ turned out to be.
#[derive(Clone)]
enum Read {
    Static(PathBuf, PathBuf),
    Site(Option<Arc<RawDoc<RawSite>>>, Arc<str>),
    Product(String, Option<Arc<RawDoc<RawProduct>>>, Arc<str>),
    Component(String, Option<Arc<RawDoc<RawComponent>>>, Arc<str>),
    Scenario(String, Option<Arc<RawDoc<RawScenario>>>, Arc<str>),
    /// Not readable, or not in a place that means anything.
    Nothing,
}

impl RawKb {
    fn add(&mut self, file: PathBuf, read: Read) {
        let text = match read {
            Read::Static(target, source) => {
                self.static_files.push((target, source));
                return;
            }
            Read::Nothing => return,
            Read::Site(doc, text) => {
                self.site = doc;
                text
            }
            Read::Product(id, doc, text) => {
                match doc {
                    Some(doc) => self.products.push(doc),
                    None => drop(self.broken.products.insert(id)),
                }
                text
            }
            Read::Component(id, doc, text) => {
                match doc {
                    Some(doc) => self.components.push(doc),
                    None => drop(self.broken.components.insert(id)),
                }
                text
            }
            Read::Scenario(id, doc, text) => {
                match doc {
                    Some(doc) => self.scenarios.push(doc),
                    None => drop(self.broken.scenarios.insert(id)),
                }
                text
            }
        };
        self.sources.insert(file, text);
    }
}

fn read_entry(
    root: &Path,
    path: &Path,
    below_content: &Path,
    file: &Path,
) -> (Read, Vec<Diagnostic>) {
    let kind = match classify(below_content) {
        Ok(kind) => kind,
        Err(problem) => return (Read::Nothing, vec![problem]),
    };
    if let Kind::Static(target) = kind {
        return (Read::Static(target, relative(root, path)), Vec::new());
    }
    let text = read_bytes(path, file).and_then(|bytes| decode(file, bytes));
    parse_entry(kind, file, text)
}

/// Loads files given in memory as the files below content/ (each path
/// relative to content/), as [`load`] reads them from disk: for fuzzing,
/// and for tests that need no folder.
pub fn load_files(files: &[(PathBuf, Vec<u8>)]) -> (RawKb, Vec<Diagnostic>) {
    let mut sorted: Vec<&(PathBuf, Vec<u8>)> = files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut kb = RawKb::default();
    let mut problems = Vec::new();
    for (below_content, bytes) in sorted {
        let file = Path::new("content").join(below_content);
        let (read, found) = match classify(below_content) {
            Err(problem) => (Read::Nothing, vec![problem]),
            Ok(Kind::Static(target)) => (Read::Static(target, file.clone()), Vec::new()),
            Ok(_) if bytes.len() as u64 > MAX_FILE_BYTES => {
                (Read::Nothing, vec![too_large(&file, bytes.len() as u64)])
            }
            Ok(kind) => parse_entry(kind, &file, decode(&file, bytes.clone())),
        };
        problems.extend(found);
        kb.add(file, read);
    }
    (kb, problems)
}

/// What a content file gives once its text is known (or known to be unreadable).
fn parse_entry(
    kind: Kind,
    file: &Path,
    text: Result<String, Diagnostic>,
) -> (Read, Vec<Diagnostic>) {
    // A file that cannot be used counts as broken, so that what refers to
    // it is not reported again; its text, when there is one, stays for
    // the excerpt under the error.
    let broken = |kind: Kind, text: Arc<str>| match kind {
        Kind::Product(id) => Read::Product(id, None, text),
        Kind::Component(id) => Read::Component(id, None, text),
        Kind::Scenario(id) => Read::Scenario(id, None, text),
        Kind::Site => Read::Site(None, text),
        Kind::Static(_) => Read::Nothing,
    };
    let text = match text {
        Ok(text) => text,
        Err(problem) => return (broken(kind, Arc::from("")), vec![problem]),
    };
    if let Some(problem) = control_character(file, &text) {
        return (broken(kind, text.into()), vec![problem]);
    }
    let mut problems = Vec::new();
    let read = match kind {
        // An empty site.yaml means "all defaults".
        Kind::Site if is_blank_yaml(&text) => Read::Site(None, text.into()),
        Kind::Site => Read::Site(
            parse(file, "site", &text, &mut problems).map(Arc::new),
            text.into(),
        ),
        Kind::Product(id) => {
            let doc = parse(file, &id, &text, &mut problems).map(Arc::new);
            Read::Product(id, doc, text.into())
        }
        Kind::Component(id) => {
            let doc = parse(file, &id, &text, &mut problems).map(Arc::new);
            Read::Component(id, doc, text.into())
        }
        Kind::Scenario(id) => {
            let doc = parse(file, &id, &text, &mut problems).map(Arc::new);
            Read::Scenario(id, doc, text.into())
        }
        Kind::Static(_) => Read::Nothing,
    };
    (read, problems)
}

fn too_large(file: &Path, size: u64) -> Diagnostic {
    Diagnostic::error(
        Span::file_start(file),
        format!(
            "file is too large ({:.1} MiB; the limit is {} MiB)",
            size as f64 / 1048576.0,
            MAX_FILE_BYTES / 1048576
        ),
    )
    .with_hint("split it into several files")
}

fn read_bytes(path: &Path, file: &Path) -> Result<Vec<u8>, Diagnostic> {
    let cannot_read = |e: std::io::Error| {
        Diagnostic::error(Span::file_start(file), format!("cannot read: {e}"))
            .with_hint("check the file's permissions")
    };
    let size = std::fs::metadata(path).map_err(cannot_read)?.len();
    if size > MAX_FILE_BYTES {
        return Err(too_large(file, size));
    }
    std::fs::read(path).map_err(cannot_read)
}

fn decode(file: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&valid[line_start..])
            .chars()
            .count()
            + 1;
        Diagnostic::error(Span::new(file, line, column), "file is not valid UTF-8")
            .with_hint("save the file as UTF-8")
    })
}

/// Whether content may hold a character: not a control character (C0,
/// DEL, C1) but tab and the line breaks. Pages would carry the others as
/// they are, and terminals act on them.
fn is_allowed_in_text(c: char) -> bool {
    !c.is_control() || matches!(c, '\t' | '\n' | '\r')
}

/// "U+001B (ESC)", for messages.
fn describe_character(c: char) -> String {
    let name = match c {
        '\0' => " (NUL)",
        '\u{7}' => " (BEL)",
        '\u{8}' => " (backspace)",
        '\u{1b}' => " (ESC)",
        '\u{7f}' => " (DEL)",
        _ => "",
    };
    format!("U+{:04X}{name}", u32::from(c))
}

const CONTROL_HINT: &str = "text holds no control characters but tab and line breaks: delete it (editors often show one as `^[` or a box)";

/// The first control character written as it is in a file, as an error at its place.
fn control_character(file: &Path, text: &str) -> Option<Diagnostic> {
    let (mut line, mut column) = (1, 1);
    for c in text.chars() {
        if !is_allowed_in_text(c) {
            return Some(
                Diagnostic::error(
                    Span::new(file, line, column),
                    format!("control character {} in the file", describe_character(c)),
                )
                .with_hint(CONTROL_HINT),
            );
        }
        if c == '\n' {
            (line, column) = (line + 1, 1);
        } else {
            column += 1;
        }
    }
    None
}

/// Any YAML value, each with its place: what the escapes of double-quoted
/// text (`"\e"`, `"\x07"`, `"\u0000"`) turned into, which the file's own
/// characters do not show.
enum AnyValue {
    Text(String),
    List(Vec<Spanned<AnyValue>>),
    Map(Vec<Spanned<AnyValue>>),
    Other,
}

impl<'de> Deserialize<'de> for AnyValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnyVisitor;
        impl<'de> Visitor<'de> for AnyVisitor {
            type Value = AnyValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<AnyValue, E> {
                Ok(AnyValue::Text(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<AnyValue, E> {
                Ok(AnyValue::Text(v))
            }
            // `!!binary` text, which a string field takes as it decodes.
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<AnyValue, E> {
                Ok(AnyValue::Text(String::from_utf8_lossy(v).into_owned()))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<AnyValue, E> {
                Ok(AnyValue::Other)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<AnyValue, E> {
                Ok(AnyValue::Other)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<AnyValue, E> {
                Ok(AnyValue::Other)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<AnyValue, E> {
                Ok(AnyValue::Other)
            }
            fn visit_unit<E: de::Error>(self) -> Result<AnyValue, E> {
                Ok(AnyValue::Other)
            }
            fn visit_none<E: de::Error>(self) -> Result<AnyValue, E> {
                Ok(AnyValue::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AnyValue, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(AnyValue::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AnyValue, A::Error> {
                // Keys are names the format checks on its own terms.
                let mut values = Vec::new();
                while map.next_key::<de::IgnoredAny>()?.is_some() {
                    values.push(map.next_value()?);
                }
                Ok(AnyValue::Map(values))
            }
        }
        deserializer.deserialize_any(AnyVisitor)
    }
}

/// The first text value of a file that holds a control character once
/// its escapes are read (or its `!!binary` decoded), as an error at the
/// value. A value differs from the characters written only through an
/// escape (`\`) or a tag (`!`), so only a file with one is read again.
fn escaped_control_character(file: &Path, text: &str) -> Option<Diagnostic> {
    if !text.contains(['\\', '!']) {
        return None;
    }
    let value =
        serde_saphyr::from_str_with_options::<Spanned<AnyValue>>(text, yaml_options()).ok()?;
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        match value.value {
            AnyValue::Text(text) => {
                if let Some(c) = text.chars().find(|c| !is_allowed_in_text(*c)) {
                    let at = &value.referenced;
                    return Some(
                        Diagnostic::error(
                            Span::new(file, at.line() as usize, at.column() as usize),
                            format!(
                                "this text holds the control character {}, written as an escape or a `!!binary` value",
                                describe_character(c)
                            ),
                        )
                        .with_hint(
                            "remove the escape (such as `\\e`, `\\a`, `\\0`, `\\x1b` or `\\u001b`) or the `!!binary` value: text holds no control characters but tab and line breaks",
                        ),
                    );
                }
            }
            AnyValue::List(items) | AnyValue::Map(items) => {
                pending.extend(items.into_iter().rev());
            }
            AnyValue::Other => {}
        }
    }
    None
}

fn is_blank_yaml(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim_start_matches('\u{feff}').trim();
        line.is_empty() || line.starts_with('#') || line == "---"
    })
}

/// How many values YAML aliases may repeat in one file, all together.
pub const MAX_REPLAYED_EVENTS: usize = 100_000;

/// How many times one anchor may be repeated by aliases.
pub const MAX_ALIAS_EXPANSIONS: usize = 1_000;

fn yaml_options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    // Alias bombs: a knowledge base has no need for mass expansion.
    options.alias_limits.max_total_replayed_events = MAX_REPLAYED_EVENTS;
    options.alias_limits.max_alias_expansions_per_anchor = MAX_ALIAS_EXPANSIONS;
    options.with_snippet = false;
    options
}

fn parse<T: DeserializeOwned + Fixup>(
    file: &Path,
    id: &str,
    text: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<RawDoc<T>> {
    if is_blank_yaml(text) {
        problems.push(
            Diagnostic::error(Span::file_start(file), "the file is empty")
                .with_hint(required_fields_hint(file)),
        );
        return None;
    }
    match serde_saphyr::from_str_with_options::<T>(text, yaml_options()) {
        Ok(mut value) => {
            if let Some(problem) = escaped_control_character(file, text) {
                problems.push(problem);
                return None;
            }
            value.fixup(text);
            Some(RawDoc {
                file: file.to_path_buf(),
                id: id.to_owned(),
                value,
            })
        }
        Err(error) => {
            problems.push(yaml_problem(file, &error));
            None
        }
    }
}

fn required_fields_hint(file: &Path) -> String {
    let folder = file
        .components()
        .nth(1)
        .and_then(|c| c.as_os_str().to_str())
        .unwrap_or("");
    match folder {
        "products" => "a product needs `name` and `versions`".into(),
        "components" => "a component needs `name`".into(),
        "scenarios" => "a scenario needs `from`, `to` and `direct`".into(),
        _ => "write some YAML or delete the file".into(),
    }
}

/// Turns a serde-saphyr error into a diagnostic with words for writers.
fn yaml_problem(file: &Path, error: &serde_saphyr::Error) -> Diagnostic {
    use serde_saphyr::Error;
    let (line, column) = error
        .location()
        .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
    let span = Span::new(file, line, column);
    // The error itself, without the snippet or the alias it was met through.
    let mut error = error;
    while let Error::WithSnippet { error: inner, .. } | Error::AliasError { error: inner, .. } =
        error
    {
        error = inner;
    }
    match error {
        Error::MultipleDocuments { .. } => {
            Diagnostic::error(span, "a second YAML document starts here; a file holds one")
                .with_hint("remove the `---` line and what follows, or move it to a file of its own")
        }
        Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. }
        | Error::AliasReplayCounterOverflow { .. } => Diagnostic::error(
            span,
            format!(
                "YAML aliases repeat too much: an anchor may be repeated at most {MAX_ALIAS_EXPANSIONS} times, and aliases may repeat {MAX_REPLAYED_EVENTS} values in all"
            ),
        )
        .with_hint("write the values out instead of repeating them with `&anchor` and `*alias`"),
        Error::Budget { breach, .. } => budget_problem(span, breach),
        _ => explain(span, &without_location(&error.to_string())),
    }
}

/// serde-saphyr's limits on one file (its defaults, but for aliases),
/// as errors that say which and what to do.
fn budget_problem(span: Span, breach: &serde_saphyr::budget::BudgetBreach) -> Diagnostic {
    use serde_saphyr::budget::BudgetBreach;
    let split = "split the file: no knowledge base file needs to come near this";
    let (message, hint) = match breach {
        BudgetBreach::Aliases { .. } | BudgetBreach::Anchors { .. } => (
            "too many YAML anchors or aliases (the limit is 50,000 of each)".to_owned(),
            "write the values out instead of repeating them with `&anchor` and `*alias`",
        ),
        BudgetBreach::Depth { .. } => (
            "YAML nested too deep (the limit is 64 levels)".to_owned(),
            "a knowledge base file nests a few levels: look for unclosed `[` or `{`",
        ),
        BudgetBreach::Nodes { .. } => (
            "too many YAML values in one file (the limit is 250,000)".to_owned(),
            split,
        ),
        BudgetBreach::Events { .. } => (
            "too much YAML structure in one file (the limit is 1,000,000 parser events)".to_owned(),
            split,
        ),
        BudgetBreach::Documents { .. } => (
            "too many YAML documents (a file holds one)".to_owned(),
            "remove the `---` lines",
        ),
        other => (
            format!(
                "the file is beyond what is read: {}",
                format!("{other:?}").to_lowercase()
            ),
            split,
        ),
    };
    Diagnostic::error(span, message).with_hint(hint)
}

/// A serde-saphyr message without the " at line N, column M" it ends with.
fn without_location(message: &str) -> String {
    if let Some((text, place)) = message.rsplit_once(" at line ")
        && let Some((line, column)) = place.split_once(", column ")
        && [line, column]
            .iter()
            .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
    {
        return text.to_owned();
    }
    message.to_owned()
}

fn explain(span: Span, message: &str) -> Diagnostic {
    // serde-saphyr names its wrapper of placed values where the field's own
    // kind would be meant (a `!!binary` list, a number for a list).
    let message = &message.replace("a span-aware newtype wrapper", "a value of another kind");
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        // Our own types go by their Rust names ("struct RawVersion").
        let expected = if expected.starts_with("struct ") || expected.starts_with("enum ") {
            "a mapping of `key: value` pairs"
        } else {
            expected
        };
        return Diagnostic::error(span, format!("expected {expected} here, found {found}"))
            .with_hint("see what the field takes in docs/content-format.md (YAML tags such as `!!binary` are not needed)");
    }
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known: Vec<&str> = expected
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .split(", ")
            .map(|f| f.trim_matches('`'))
            .filter(|f| !f.is_empty())
            .collect();
        let hint = suggest(field, "known fields", &known);
        return Diagnostic::error(span, format!("unknown field `{field}`")).with_hint(hint);
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.trim_end_matches('`');
        let hint = match field {
            "direct" => "add `direct: supported` or `direct: unsupported`",
            "versions" => "list the versions, oldest first: `versions: [{ id: \"1.0\" }]`",
            _ => "add it",
        };
        return Diagnostic::error(span, format!("missing required field `{field}`"))
            .with_hint(hint);
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let choices = expected
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ");
        return Diagnostic::error(span, format!("unknown value `{value}`"))
            .with_hint(format!("write one of {choices}"));
    }
    if message.contains("expected mapping") {
        return Diagnostic::error(span, "expected a mapping of `key: value` pairs here")
            .with_hint("write `key: value` lines, indented below the field, or `{ key: value }`");
    }
    if message.contains("duplicate mapping key") {
        let key = message
            .split_once("duplicate mapping key: ")
            .map_or("", |(_, k)| k.split(',').next().unwrap_or(""));
        return Diagnostic::error(span, format!("duplicate key `{key}`"))
            .with_hint("each key may appear once in a mapping; remove or merge one of them");
    }
    if message.contains("tabs disallowed") {
        return Diagnostic::error(span, "tab used for indentation")
            .with_hint("YAML indents with spaces only");
    }
    if message.contains("unclosed quote") {
        return Diagnostic::error(span, "quoted text is never closed")
            .with_hint("add the closing quote");
    }
    if message.contains("expected string scalar") {
        return Diagnostic::error(span, "expected text here, found a YAML list or mapping")
            .with_hint("a value that starts with `[` or `{` is read as a list or a mapping; to start text with a Markdown link, quote the whole value (`summary: \"[the guide](@a) says so\"`) or write it as a block after `|`");
    }
    if message.contains("cannot deserialize null") {
        return Diagnostic::error(span, "a value is required here").with_hint(
            "write the value after the `:`, or leave the field out where it is optional",
        );
    }
    Diagnostic::error(span, message.to_owned())
        .with_hint("see \"A few words about YAML\" in docs/content-format.md")
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(
            matches!(&rules[1].unless.as_ref().unwrap().value, Names::One(Some(n)) if n == "z")
        );
    }

    #[test]
    fn unknown_field_names_line_and_suggests() {
        let error = parse_str::<RawComponent>("name: A\nsumary: x\n").unwrap_err();
        assert_eq!(error.span.line, 2);
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
        let error = parse_str::<RawProduct>("# nothing\n").unwrap_err();
        assert_eq!(error.message, "the file is empty");
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
        assert!(
            matches!(classify(Path::new("products/a.yml")), Ok(Kind::Product(id)) if id == "a")
        );
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
}
