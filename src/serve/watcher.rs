//! Watching content/ and templates/, and saying what changed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::*;

/// Watches content/ and templates/ and rebuilds once changes settle.
/// Only changes count: reading files (as every rebuild does) must not
/// trigger another rebuild.
pub(super) fn watch(
    root: &Path,
    shared: Shared,
) -> notify::Result<Arc<Mutex<notify::RecommendedWatcher>>> {
    use notify::{RecursiveMode, Watcher};
    let (sender, receiver) = std::sync::mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(sender)?;
    // The root itself, not recursively, notices content/ or templates/
    // appearing; they are watched one by one so that target/ or public/ are not.
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    for folder in WATCHED {
        let path = root.join(folder);
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    let watcher = Arc::new(Mutex::new(watcher));
    let watching = Arc::clone(&watcher);
    // From now on the load stage may trust the events below to name every
    // changed file, and skip walking content/ when only known files changed.
    // (The first load after this walks.)
    crate::locked(&shared.cache).load.watched();
    // Events name absolute paths; compare them with the absolute root too.
    let roots = [
        root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
        root.to_path_buf(),
    ];
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        while let Ok(event) = receiver.recv() {
            if !is_relevant(&event, &roots) {
                continue;
            }
            // Let a burst of changes settle, noting every file it touched.
            let mut burst = vec![event];
            while let Ok(event) = receiver.recv_timeout(SETTLE) {
                burst.push(event);
            }
            let named = report(&burst, &roots, &shared);
            watch_new_folders(&root, &roots, &burst, &watching);
            let cause = describe_changes(&root, &named);
            rebuild(&root, &shared, Some(&cause));
        }
    });
    Ok(watcher)
}

/// How long the watcher waits for more events after one. An editor's save
/// (write, or write a copy and rename it over, then metadata) comes within
/// a millisecond or two; a longer burst (a git checkout) rebuilds twice,
/// which the caches keep cheap. Every millisecond here is one more before
/// the reader sees the change: 20 ms were a third of the 60 ms from save
/// to page at 10,000 scenarios (docs/performance.md, serve).
pub(super) const SETTLE: Duration = Duration::from_millis(10);

/// The folders whose changes rebuild the preview.
pub(super) const WATCHED: [&str; 2] = ["content", "templates"];

/// Starts watching content/ or templates/ when a burst of events created it
/// (a new knowledge base, a first template override).
pub(super) fn watch_new_folders(
    root: &Path,
    roots: &[PathBuf],
    burst: &[notify::Result<notify::Event>],
    watcher: &Mutex<notify::RecommendedWatcher>,
) {
    use notify::{EventKind, RecursiveMode, Watcher};
    let created = burst.iter().flatten().any(|event| {
        matches!(event.kind, EventKind::Create(_) | EventKind::Modify(_))
            && event.paths.iter().any(|path| {
                below(path, roots)
                    .is_some_and(|below| WATCHED.iter().any(|f| below == Path::new(f)))
            })
    });
    if !created {
        return;
    }
    let mut watcher = crate::locked(watcher);
    for folder in WATCHED {
        let path = root.join(folder);
        if path.is_dir() {
            // Watching a folder that is already watched changes nothing.
            let _ = watcher.watch(&path, RecursiveMode::Recursive);
        }
    }
}

/// Tells the load cache which files a burst of events touched.
/// Returns the files named, relative to the root.
pub(super) fn report(
    burst: &[notify::Result<notify::Event>],
    roots: &[PathBuf],
    shared: &Shared,
) -> BTreeSet<PathBuf> {
    let mut named = BTreeSet::new();
    let mut cache = crate::locked(&shared.cache);
    for event in burst {
        match event {
            Ok(event) if event.need_rescan() => cache.load.changed_somewhere(),
            Ok(event) if is_change(event) => {
                for path in &event.paths {
                    match below(path, roots) {
                        Some(file) => {
                            cache.load.changed(file);
                            named.insert(file.to_path_buf());
                        }
                        None => cache.load.changed_somewhere(),
                    }
                }
            }
            Ok(_) => {}
            Err(_) => cache.load.changed_somewhere(),
        }
    }
    named
}

/// "content/a.yaml and content/b.yaml changed; templates/x.html removed":
/// the files that are there now, and the content or template files that
/// are gone (an editor's temporary files come and go unnamed).
pub(super) fn describe_changes(root: &Path, named: &BTreeSet<PathBuf>) -> String {
    let (present, gone): (Vec<&PathBuf>, Vec<&PathBuf>) =
        named.iter().partition(|file| root.join(file).is_file());
    let gone: Vec<&PathBuf> = gone
        .into_iter()
        .filter(|file| is_source_file(file) && !root.join(file).exists())
        .collect();
    let mut parts = Vec::new();
    if !present.is_empty() {
        parts.push(format!("{} changed", list_files(&present)));
    }
    if !gone.is_empty() {
        parts.push(format!("{} removed", list_files(&gone)));
    }
    if parts.is_empty() {
        return "content/ or templates/ changed".to_owned();
    }
    parts.join("; ")
}

/// A file a knowledge base is made of, by its name: not hidden, not an
/// editor's backup, with an extension that content or templates use.
pub(super) fn is_source_file(file: &Path) -> bool {
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let extension = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    !name.starts_with('.')
        && [
            "yaml", "yml", "html", "css", "js", "svg", "png", "jpg", "pdf", "txt",
        ]
        .contains(&extension)
}

pub(super) fn list_files(files: &[&PathBuf]) -> String {
    // A file name can hold anything, escape sequences included: printed
    // as text, it cannot drive the terminal.
    let names: Vec<String> = files
        .iter()
        .map(|f| crate::diag::printable(&f.display().to_string()).into_owned())
        .collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [first, second] => format!("{first} and {second}"),
        [first, second, rest @ ..] => format!("{first}, {second} and {} more", rest.len()),
    }
}

/// Whether an event created, changed or removed something.
pub(super) fn is_change(event: &notify::Event) -> bool {
    use notify::EventKind;
    matches!(
        event.kind,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
    )
}

/// A change in content/ or templates/ (or somewhere unknown), or news
/// that changes were missed. Only changes count: reading files, as every
/// rebuild does, must not start another.
pub(super) fn is_relevant(event: &notify::Result<notify::Event>, roots: &[PathBuf]) -> bool {
    match event {
        Err(_) => true,
        Ok(event) if event.need_rescan() => true,
        Ok(event) => {
            is_change(event)
                && event.paths.iter().any(|path| {
                    below(path, roots).is_none_or(|below| {
                        below.starts_with("content") || below.starts_with("templates")
                    })
                })
        }
    }
}

/// `path` relative to the knowledge base root, known by either of its names.
pub(super) fn below<'p>(path: &'p Path, roots: &[PathBuf]) -> Option<&'p Path> {
    roots.iter().find_map(|root| path.strip_prefix(root).ok())
}
