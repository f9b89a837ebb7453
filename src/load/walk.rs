//! Walking `content/` and reading its files, with the cache that lets
//! `serve` read only what changed.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::*;
use crate::diag::{Diagnostic, Span};

/// Files parsed by an earlier load: a file whose size and modification
/// time (to the nanosecond where the file system keeps it) did not change is
/// not read again. `serve` keeps one between rebuilds, and while its watcher
/// reports every change, a rebuild after editing known files reads only
/// those, without walking `content/` again.
#[derive(Default)]
pub struct LoadCache {
    /// What the last walk found, in walk order, with what each file gave.
    pub(super) walk: Walk,
    /// Where each walked file is in `walk.files`, by path.
    pub(super) index: HashMap<PathBuf, usize>,
    /// Whether a walk now would find the same files, as far as the reported
    /// changes tell.
    pub(super) current: bool,
    /// While a watcher reports changes: the files (relative to the root)
    /// reported changed since the last load.
    pub(super) reported: Option<BTreeSet<PathBuf>>,
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
    pub(super) fn edited_files(&self, root: &Path) -> Option<Vec<usize>> {
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
pub(super) struct Walk {
    pub(super) files: Vec<Walked>,
    /// The folders it went through: one moved away takes its files along.
    pub(super) folders: HashSet<PathBuf>,
    pub(super) problems: Vec<Diagnostic>,
    pub(super) followed_links: bool,
}

/// A file found by a walk, and what reading it gave.
pub(super) struct Walked {
    pub(super) path: PathBuf,
    /// The path from the knowledge base root, as errors show it.
    pub(super) file: PathBuf,
    pub(super) kept: Option<Kept>,
}

/// What reading a file gave, and its stamp when it was read.
pub(super) struct Kept {
    pub(super) stamp: Option<Stamp>,
    pub(super) read: Read,
    pub(super) problems: Vec<Diagnostic>,
}

/// What tells that a file changed without reading it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) struct Stamp {
    pub(super) len: u64,
    pub(super) modified: Option<std::time::SystemTime>,
}

pub(super) fn stamp(path: &Path) -> Option<Stamp> {
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
    let mut kb = RawKb {
        sources: crate::diag::Sources::reading_from(root),
        ..RawKb::default()
    };
    let content = root.join("content");
    if !content.is_dir() {
        cache.current = false;
        let problem = Diagnostic::error_at_path("content", "no content/ folder here")
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
            let below_content = path.strip_prefix(&content).unwrap_or(path);
            let (read, problems, read_stamp) = read_entry(path, below_content, file);
            let stamp = known_stamp.or(read_stamp).or_else(|| stamp(path));
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
pub(super) fn stale_after_walk(files: &[Walked]) -> Vec<(usize, Option<Stamp>)> {
    files
        .par_iter()
        .enumerate()
        .filter_map(|(at, walked)| {
            // A file never read is read now, and stamped as it is opened.
            let Some(kept) = &walked.kept else {
                return Some((at, None));
            };
            let now = stamp(&walked.path);
            (now.is_none() || kept.stamp != now).then_some((at, now))
        })
        .collect()
}

/// Lists the files under content/, in name order, skipping hidden ones
/// and following links only as [`crate::walk`] allows.
pub(super) fn walk(root: &Path) -> Walk {
    let Some(walked) = crate::walk::walk(root, "content", is_hidden) else {
        return Walk::default();
    };
    let mut problems = walked.problems;
    problems.extend(
        (walked.folders.iter())
            .filter(|folder| is_yaml_named_folder(&relative(root, folder)))
            .map(|folder| {
                Diagnostic::error_at_path(
                    relative(root, folder),
                    "a folder where a YAML file belongs",
                )
                .with_hint("a name that ends in .yaml or .yml is read as a file; rename or remove the folder")
            }),
    );
    Walk {
        files: (walked.files.into_iter())
            .map(|path| Walked {
                file: relative(root, &path),
                path,
                kept: None,
            })
            .collect(),
        folders: walked.folders.into_iter().collect(),
        problems,
        followed_links: walked.followed_links,
    }
}

/// A folder below content/, outside static/, named like a YAML file
/// (`content/site.yaml/`): nothing in it would be read as what its name says.
fn is_yaml_named_folder(below_root: &Path) -> bool {
    let in_static = below_root
        .components()
        .nth(1)
        .is_some_and(|c| c.as_os_str() == "static");
    let name = below_root
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    !in_static && (name.ends_with(".yaml") || name.ends_with(".yml"))
}

/// `name~` (Emacs, Vim and others keep the previous version so) and
/// `#name#` (Emacs autosave).
pub(super) fn is_editor_backup(name: &str) -> bool {
    name.ends_with('~') || (name.len() > 2 && name.starts_with('#') && name.ends_with('#'))
}

pub(super) fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

pub(super) fn relative(root: &Path, path: &Path) -> PathBuf {
    crate::walk::relative(root, path)
}

/// What a file under content/ is, from where it lives.
pub(super) enum Kind {
    Site,
    Product(String),
    Component(String),
    Scenario(String),
    Stack(String),
    Messages(String),
    Static(PathBuf),
}

pub(super) fn classify(below_content: &Path) -> Result<Kind, Diagnostic> {
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
        if let Some(problem) = unsafe_static_name(&parts[1..], &shown.to_string()) {
            return Err(problem);
        }
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
        ["stacks", _] => Ok(Kind::Stack(stem.to_owned())),
        ["i18n", _] => Ok(Kind::Messages(stem.to_owned())),
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
            "products go in content/products/, components in content/components/, scenarios under content/scenarios/, stacks in content/stacks/, messages in content/i18n/, settings in content/site.yaml",
        )),
    }
}

/// Whether a static file's name could be read as another path: a `\\` is
/// a folder separator to a browser and on Windows (`products\\index.html`
/// took the place of a generated page), and control characters or
/// bidirectional overrides hide what a name is.
fn unsafe_static_name(parts: &[&str], shown: &str) -> Option<Diagnostic> {
    let bad = parts
        .iter()
        .flat_map(|part| part.chars())
        .find(|&c| c == '\\' || !crate::diag::is_printable(c))?;
    let what = match bad {
        '\\' => {
            "a backslash (`\\`), which browsers and Windows read as a folder separator".to_owned()
        }
        c => format!(
            "the character U+{:04X}, which may not be in a file name",
            u32::from(c)
        ),
    };
    Some(
        Diagnostic::error(
            Span::file_start(format!("content/{shown}")),
            format!("static file name holds {what}"),
        )
        .with_hint("rename the file with letters, digits, `-`, `_`, `.` and `/` between folders"),
    )
}

/// What one file under content/ turned out to be.
#[derive(Clone)]
pub(super) enum Read {
    Static(StaticFile),
    Site(Option<Arc<RawDoc<RawSite>>>, Text),
    Product(String, Option<Arc<RawDoc<RawProduct>>>, Text),
    Component(String, Option<Arc<RawDoc<RawComponent>>>, Text),
    Scenario(String, Option<Arc<RawDoc<RawScenario>>>, Text),
    Stack(String, Option<Arc<RawDoc<RawStack>>>, Text),
    Messages(Option<Arc<RawDoc<RawMessages>>>, Text),
    /// Not readable, or not in a place that means anything.
    Nothing,
}

impl RawKb {
    fn add(&mut self, file: PathBuf, read: Read) {
        let text = match read {
            Read::Static(file) => {
                self.static_files.push(file);
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
            Read::Stack(id, doc, text) => {
                match doc {
                    Some(doc) => self.stacks.push(doc),
                    None => drop(self.broken.stacks.insert(id)),
                }
                text
            }
            Read::Messages(doc, text) => {
                self.messages.extend(doc);
                text
            }
        };
        if let Some(text) = text {
            self.sources.insert(file, text);
        }
    }
}

/// A file's text, when it is kept for the excerpts under its problems.
pub(super) type Text = Option<Arc<str>>;

/// Whether [`parse_entry`] keeps the text of a file that loaded cleanly:
/// one read from disk can be read again, one given in memory cannot.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum KeepText {
    Always,
    WithProblems,
}

pub(super) fn read_entry(
    path: &Path,
    below_content: &Path,
    file: &Path,
) -> (Read, Vec<Diagnostic>, Option<Stamp>) {
    let kind = match classify(below_content) {
        Ok(kind) => kind,
        Err(problem) => return (Read::Nothing, vec![problem], None),
    };
    if let Kind::Static(target) = kind {
        // Opened now, so that a file the build could not copy is an error
        // of `check`, not a page missing from the site.
        if let Err(error) = crate::safe_fs::open_regular(path, crate::safe_fs::Links::Follow) {
            let problem = Diagnostic::error_at_path(file, format!("cannot read: {error}"))
                .with_hint("check the file's permissions: every file in content/static/ is copied into the site");
            return (Read::Nothing, vec![problem], None);
        }
        let file = StaticFile {
            target,
            file: file.to_path_buf(),
            path: path.to_path_buf(),
        };
        return (Read::Static(file), Vec::new(), None);
    }
    let mut stamp = None;
    let text = read_bytes(path, file).and_then(|(bytes, read_stamp)| {
        stamp = Some(read_stamp);
        decode(file, bytes)
    });
    let (read, problems) = parse_entry(kind, file, text, KeepText::WithProblems);
    (read, problems, stamp)
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
            Ok(Kind::Static(target)) => {
                let file = StaticFile {
                    target,
                    path: file.clone(),
                    file: file.clone(),
                };
                (Read::Static(file), Vec::new())
            }
            Ok(_) if bytes.len() as u64 > MAX_FILE_BYTES => {
                (Read::Nothing, vec![too_large(&file, bytes.len() as u64)])
            }
            Ok(kind) => parse_entry(kind, &file, decode(&file, bytes.clone()), KeepText::Always),
        };
        problems.extend(found);
        kb.add(file, read);
    }
    (kb, problems)
}

/// What a content file gives once its text is known (or known to be unreadable).
pub(super) fn parse_entry(
    kind: Kind,
    file: &Path,
    text: Result<String, Diagnostic>,
    keep: KeepText,
) -> (Read, Vec<Diagnostic>) {
    // A file that cannot be used counts as broken, so that what refers to
    // it is not reported again; its text, when there is one, stays for
    // the excerpt under the error.
    let broken = |kind: Kind, text: Arc<str>| match kind {
        Kind::Product(id) => Read::Product(id, None, Some(text)),
        Kind::Component(id) => Read::Component(id, None, Some(text)),
        Kind::Scenario(id) => Read::Scenario(id, None, Some(text)),
        Kind::Stack(id) => Read::Stack(id, None, Some(text)),
        Kind::Messages(_) => Read::Messages(None, Some(text)),
        Kind::Site => Read::Site(None, Some(text)),
        Kind::Static(_) => Read::Nothing,
    };
    let text = match text {
        Ok(text) => text,
        Err(problem) => return (broken(kind, Arc::from("")), vec![problem]),
    };
    if let Some(problem) = control_character(file, &text) {
        return (broken(kind, text.into()), vec![problem]);
    }
    let (text, bidi) = without_bidi_controls(file, text);
    let mut problems: Vec<Diagnostic> = bidi.into_iter().collect();
    let read = match kind {
        // An empty site.yaml means "all defaults".
        Kind::Site if is_blank_yaml(&text) => Read::Site(None, None),
        Kind::Site => Read::Site(
            parse(file, "site", &text, &mut problems).map(Arc::new),
            None,
        ),
        Kind::Product(id) => {
            let doc = parse(file, &id, &text, &mut problems).map(Arc::new);
            Read::Product(id, doc, None)
        }
        Kind::Component(id) => {
            let doc = parse(file, &id, &text, &mut problems).map(Arc::new);
            Read::Component(id, doc, None)
        }
        Kind::Scenario(id) => {
            let doc = parse(file, &id, &text, &mut problems).map(Arc::new);
            Read::Scenario(id, doc, None)
        }
        Kind::Stack(id) => {
            let doc = parse(file, &id, &text, &mut problems).map(Arc::new);
            Read::Stack(id, doc, None)
        }
        Kind::Messages(_) if is_blank_yaml(&text) => Read::Messages(None, None),
        Kind::Messages(language) => Read::Messages(
            parse(file, &language, &text, &mut problems).map(Arc::new),
            None,
        ),
        Kind::Static(_) => Read::Nothing,
    };
    if keep == KeepText::Always || !problems.is_empty() {
        return (read.with_text(text.into()), problems);
    }
    (read, problems)
}

impl Read {
    fn with_text(self, text: Arc<str>) -> Read {
        match self {
            Read::Site(doc, _) => Read::Site(doc, Some(text)),
            Read::Product(id, doc, _) => Read::Product(id, doc, Some(text)),
            Read::Component(id, doc, _) => Read::Component(id, doc, Some(text)),
            Read::Scenario(id, doc, _) => Read::Scenario(id, doc, Some(text)),
            Read::Stack(id, doc, _) => Read::Stack(id, doc, Some(text)),
            Read::Messages(doc, _) => Read::Messages(doc, Some(text)),
            other => other,
        }
    }
}

pub(super) fn too_large(file: &Path, size: u64) -> Diagnostic {
    Diagnostic::error_at_path(
        file,
        format!(
            "file is too large ({:.1} MiB; the limit is {} MiB)",
            size as f64 / 1048576.0,
            MAX_FILE_BYTES / 1048576
        ),
    )
    .with_hint("split it into several files")
}

/// A file's bytes, with its stamp as it was opened: one open and one
/// `fstat` a file, since every file of the knowledge base is read.
pub(super) fn read_bytes(path: &Path, file: &Path) -> Result<(Vec<u8>, Stamp), Diagnostic> {
    use crate::safe_fs::{Bounded, Links, open_regular, read_bounded};
    let cannot_read = |e: std::io::Error| {
        Diagnostic::error_at_path(file, format!("cannot read: {e}"))
            .with_hint("check the file's permissions")
    };
    // Links were checked by the walk; what they lead to must still be a
    // regular file now.
    let opened = open_regular(path, Links::Follow).map_err(cannot_read)?;
    let metadata = opened.metadata().map_err(cannot_read)?;
    let bytes = match read_bounded(opened, MAX_FILE_BYTES).map_err(cannot_read)? {
        Bounded::Bytes(bytes) => bytes,
        Bounded::TooLarge(size) => return Err(too_large(file, size)),
    };
    let stamp = Stamp {
        len: metadata.len(),
        modified: metadata.modified().ok(),
    };
    Ok((bytes, stamp))
}

pub(super) fn decode(file: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        Diagnostic::error(Span::at_offset(file, valid), "file is not valid UTF-8")
            .with_hint("save the file as UTF-8")
    })
}
