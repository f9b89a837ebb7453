//! A rebuild into an output that is still exactly as the last build left it
//! (its [`Record`] says so): pages whose inputs did not change stay as they
//! are, unread, and files whose bytes did not change are not written. The
//! rest is written into a new folder beside the output first, so that a
//! failed build changes nothing. Then, when few files changed, they are
//! moved into the output one by one (a build killed among those moves
//! leaves no record, and the next one makes the whole site again); when
//! many did, the kept files are linked into the new folder, which is
//! swapped in whole, as a full build's is.

use std::collections::HashSet;
use std::path::Path;

use super::record::{Entry, Record, Records, Stamp, in_site};
use super::{OutputLock, PreviousSite, Staging, Written, failure, is_real_folder, safe_relative};
use crate::diag::Diagnostic;
use crate::plan::Fingerprint;
use crate::render::{MadeFrom, OutputFile, Previous};

/// A rebuild changes the output file by file only when it changes or
/// removes at most this many files, and at most half of the site's:
/// otherwise it swaps a whole new site in. The bound keeps short the
/// moment in which the output holds files of both builds.
const MOST_CHANGED_IN_PLACE: usize = 10_000;

/// Where a file of the new site comes from.
pub(super) enum Source {
    /// The file already in the output, whose stamp this is.
    There(Stamp),
    /// Written into the new folder beside the output.
    Written,
}

/// A file of the new site.
pub(super) struct Placed {
    pub path: String,
    pub source: Source,
    pub content: Option<Fingerprint>,
    pub made_from: Option<MadeFrom>,
}

/// An output being updated in place.
pub struct Update {
    /// The changed files, at their paths, in a folder beside the output.
    staging: Staging,
    records: Records,
    previous: Record,
}

impl Update {
    /// Starts updating the output `lock` holds, which `previous` describes.
    pub fn begin(
        lock: OutputLock,
        records: Records,
        previous: Record,
    ) -> Result<Update, Diagnostic> {
        // Its own list of placed files: the staging keeps none.
        let staging = Staging::start(lock, None, PreviousSite::default())?;
        Ok(Update {
            staging,
            records,
            previous,
        })
    }

    fn output(&self) -> &Path {
        &self.staging.lock.output
    }

    fn place(&self, placed: Placed) {
        crate::locked(&self.staging.placed).push(placed);
    }

    /// Takes one file of the new site; safe to call from many threads.
    pub fn put(&self, file: &OutputFile) -> Result<(), Diagnostic> {
        let content = content_of(file);
        let source = match content.and_then(|content| self.unchanged(&file.path, content)) {
            Some(stamp) => Source::There(stamp),
            None => {
                self.staging.put(file)?;
                Source::Written
            }
        };
        self.place(Placed {
            path: file.path.clone(),
            source,
            content,
            made_from: file.made_from.clone(),
        });
        Ok(())
    }

    /// The stamp of the output's file at `path` when it holds `content` and
    /// is still the file the last build wrote.
    fn unchanged(&self, path: &str, content: Fingerprint) -> Option<Stamp> {
        let entry = self.previous.files.get(path)?;
        (entry.content == Some(content)).then_some(())?;
        self.still_there(path, entry)
    }

    fn still_there(&self, path: &str, entry: &Entry) -> Option<Stamp> {
        safe_relative(path)?;
        let stamp = Stamp::of(&in_site(self.output(), path))?;
        (stamp == entry.stamp).then_some(stamp)
    }

    /// Puts the new site in place, records what the output now holds, and
    /// says how.
    pub fn finish(self) -> Result<Written, Diagnostic> {
        let mut placed = std::mem::take(&mut *crate::locked(&self.staging.placed));
        let new: HashSet<&str> = placed.iter().map(|p| p.path.as_str()).collect();
        let gone: Vec<&String> = (self.previous.files.keys())
            .filter(|path| !new.contains(path.as_str()))
            .collect();
        let changed = (placed.iter())
            .filter(|p| matches!(p.source, Source::Written))
            .count();
        let touched = changed + gone.len();
        let whole = touched > MOST_CHANGED_IN_PLACE || touched * 2 > placed.len();
        let output = self.output().to_path_buf();
        let folders = folders_of(placed.iter().map(|p| p.path.as_str()));
        let written = if whole {
            for file in &mut placed {
                if matches!(file.source, Source::There(_)) {
                    (self.staging.link_kept(&file.path))
                        .map_err(|e| failure(&output, "write the site", e))?;
                    // Stamped once in place: linking changes a file's stamp.
                    file.source = Source::Written;
                }
            }
            self.staging.finish()?;
            Written::Whole
        } else {
            let removed = gone.len();
            super::pause_at("staged");
            self.records.forget();
            for path in gone {
                remove_file_within(&output, path);
            }
            remove_emptied_folders(&output, self.previous.folders.keys(), &folders);
            for file in &placed {
                if matches!(file.source, Source::Written) {
                    move_into(&output, &file.path, &self.staging.folder.join(&file.path))
                        .map_err(|e| failure(&output, "write the site", e))?;
                }
            }
            // What is left is the marker and empty folders.
            drop(self.staging);
            Written::InPlace { changed, removed }
        };
        self.records.save(&record_of(&output, placed, &folders));
        Ok(written)
    }
}

impl Previous for Update {
    fn keeps(
        &self,
        path: &str,
        fingerprint: Fingerprint,
        leads: &dyn Fn(&str, &str) -> bool,
    ) -> bool {
        let Some(entry) = self.previous.files.get(path) else {
            return false;
        };
        let Some(made_from) = &entry.made_from else {
            return false;
        };
        let same_inputs = made_from.is_still(fingerprint, leads);
        let Some(stamp) = same_inputs.then(|| self.still_there(path, entry)).flatten() else {
            return false;
        };
        self.place(Placed {
            path: path.to_owned(),
            source: Source::There(stamp),
            content: entry.content,
            made_from: Some(made_from.clone()),
        });
        true
    }
}

/// A file's bytes hashed, for the next build to tell whether it would
/// write the same: not for a page, which is told by what it was made from
/// (hashing every page's bytes too cost a first build a tenth more time).
pub(super) fn content_of(file: &OutputFile) -> Option<Fingerprint> {
    match file.made_from {
        Some(_) => None,
        None => Some(crate::plan::fingerprint(&[&file.bytes])),
    }
}

/// The folders on the way to a site path, outermost first: `a` and `a/b`
/// for `a/b/c.html`.
fn folders_on_the_way(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(|(slash, _)| &path[..slash])
}

/// Every folder that holds a file of `paths`, the site's root as `""`.
pub(super) fn folders_of<'p>(paths: impl Iterator<Item = &'p str>) -> HashSet<String> {
    let mut folders = HashSet::from([String::new()]);
    for path in paths {
        for folder in folders_on_the_way(path) {
            if !folders.contains(folder) {
                folders.insert(folder.to_owned());
            }
        }
    }
    folders
}

/// The record of the output once `placed` are its files.
pub(super) fn record_of(output: &Path, placed: Vec<Placed>, folders: &HashSet<String>) -> Record {
    let mut record = Record::new();
    record.files = placed
        .into_iter()
        .filter_map(|file| {
            let stamp = match file.source {
                Source::There(stamp) => stamp,
                Source::Written => Stamp::of(&in_site(output, &file.path))?,
            };
            let entry = Entry {
                content: file.content,
                stamp,
                made_from: file.made_from,
            };
            Some((file.path, entry))
        })
        .collect();
    record.folders = (folders.iter())
        .filter_map(|folder| Some((folder.clone(), Stamp::of(&in_site(output, folder))?)))
        .collect();
    record
}

/// Whether each folder on the way from `output` to `path` is a folder of
/// its own, not a link: only then is a name in it the output's to change.
fn folders_on_the_way_are_real(output: &Path, path: &str) -> bool {
    folders_on_the_way(path).all(|folder| is_real_folder(&output.join(folder)))
}

/// Removes the output's file at `path`, never through a link.
fn remove_file_within(output: &Path, path: &str) {
    if safe_relative(path).is_some() && folders_on_the_way_are_real(output, path) {
        let _ = std::fs::remove_file(output.join(path));
    }
}

/// Removes the folders the site had and no longer has, deepest first,
/// when nothing else is left in them.
fn remove_emptied_folders<'f>(
    output: &Path,
    had: impl Iterator<Item = &'f String>,
    has: &HashSet<String>,
) {
    let mut emptied: Vec<&String> = had.filter(|folder| !has.contains(*folder)).collect();
    emptied.sort_by_key(|folder| std::cmp::Reverse(folder.len()));
    for folder in emptied {
        if safe_relative(folder).is_some() && folders_on_the_way_are_real(output, folder) {
            let _ = std::fs::remove_dir(output.join(folder));
        }
    }
}

/// Moves `changed` to `path` in the output, making the folders on the way
/// and putting a folder in place of anything else found there: the output
/// is ours, and only a folder of its own is ever written into.
fn move_into(output: &Path, path: &str, changed: &Path) -> std::io::Result<()> {
    for folder in folders_on_the_way(path) {
        make_real_folder(&output.join(folder))?;
    }
    let target = output.join(path);
    if is_real_folder(&target) {
        std::fs::remove_dir_all(&target)?;
    }
    // A rename replaces a link there, never what it leads to.
    std::fs::rename(changed, target)
}

fn make_real_folder(folder: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(folder) {
        Ok(meta) if meta.file_type().is_dir() => Ok(()),
        Ok(_) => {
            std::fs::remove_file(folder)?;
            std::fs::create_dir(folder)
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => std::fs::create_dir(folder),
        Err(error) => Err(error),
    }
}
