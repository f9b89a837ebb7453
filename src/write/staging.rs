//! A new site written whole into a folder beside the output, and swapped
//! in when complete.

use std::path::{Path, PathBuf};

use super::in_place::{Placed, Source, content_of, folders_of, record_of};
use super::{
    MARKER, MARKER_TEXT, OutputLock, Records, beside, discard, failure, has_marker, is_ours,
    is_real_folder, may_replace, pause_at, refuse, safe_relative, swap, unsafe_path,
};
use crate::diag::Diagnostic;
use crate::render::OutputFile;
use crate::safe_fs;

/// A new site being written in a folder beside the output, whose lock it
/// holds. `finish` swaps it in; dropped unfinished, it is removed.
pub struct Staging {
    pub(super) folder: PathBuf,
    pub(super) lock: OutputLock,
    finished: bool,
    /// The previous site's files, to link unchanged ones from.
    previous: PreviousSite,
    /// Where to record what was written, for the next build.
    records: Option<Records>,
    pub(super) placed: std::sync::Mutex<Vec<Placed>>,
}

/// The previous site, when its files may be reused: a real folder (not a
/// link) that carries the marker. A file is reused, hard-linked into the
/// new site instead of written again, only when its bytes on disk are the
/// bytes this build would write, and only a regular file reached without
/// going through any link: a prebuilt output from someone else (a tarball,
/// a clone) can neither keep its own pages nor have a file from outside
/// linked into the site. A link costs a name in a folder, not an inode and
/// its data, and rebuilding over an existing site is the usual case.
#[derive(Default)]
pub(super) struct PreviousSite {
    /// Every regular file of the previous site, by its path in the site
    /// (`/`-separated), found by a walk that follows no link.
    files: std::collections::HashSet<String>,
}

impl PreviousSite {
    fn of(output: &Path) -> PreviousSite {
        if !is_real_folder(output) || !has_marker(output) {
            return PreviousSite::default();
        }
        let files = walkdir::WalkDir::new(output)
            .follow_links(false)
            .into_iter()
            .flatten()
            .filter(|entry| entry.file_type().is_file())
            .filter_map(|entry| {
                let relative = entry.path().strip_prefix(output).ok()?;
                let parts: Option<Vec<&str>> = relative
                    .components()
                    .map(|c| c.as_os_str().to_str())
                    .collect();
                Some(parts?.join("/"))
            })
            .collect();
        PreviousSite { files }
    }

    /// Whether `old`, the previous site's file at `site_path`, holds exactly
    /// `bytes`, read from the file itself and never through a link.
    fn holds(&self, site_path: &str, old: &Path, bytes: &[u8]) -> bool {
        if !self.files.contains(site_path) {
            return false;
        }
        let Ok(file) = safe_fs::open_regular(old, safe_fs::Links::Refuse) else {
            return false;
        };
        if file.metadata().map(|m| m.len()).ok() != Some(bytes.len() as u64) {
            return false;
        }
        matches!(
            safe_fs::read_bounded(file, bytes.len() as u64),
            Ok(safe_fs::Bounded::Bytes(on_disk)) if on_disk == bytes
        )
    }
}

/// Makes the folder `path` goes in. Most pages have a folder of their own
/// whose parent exists: one `mkdir` is then all it takes, where
/// `create_dir_all` would look the folder up first.
fn make_parent(path: &Path) -> std::io::Result<()> {
    let Some(parent) = path.parent() else {
        return Ok(());
    };
    match std::fs::create_dir(parent) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(parent)
        }
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        done => done,
    }
}

/// Writes a new file, which nothing may already have the name of.
fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    safe_fs::create_new(path)?.write_all(bytes)
}

impl Staging {
    /// Starts a new site beside the output `lock` holds; with `records`,
    /// what it writes is recorded there for the next build.
    pub fn begin(lock: OutputLock, records: Option<Records>) -> Result<Staging, Diagnostic> {
        let previous = PreviousSite::of(&lock.output);
        Staging::start(lock, records, previous)
    }

    /// [`Staging::begin`], reusing the files of `previous`.
    pub(super) fn start(
        lock: OutputLock,
        records: Option<Records>,
        previous: PreviousSite,
    ) -> Result<Staging, Diagnostic> {
        let (parent, name) = beside(&lock.output);
        let staging = Staging {
            folder: parent.join(format!(".{name}.new-{}", std::process::id())),
            lock,
            finished: false,
            previous,
            records,
            placed: std::sync::Mutex::new(Vec::new()),
        };
        // `create_dir`, not `create_dir_all`: a folder of that name that the
        // lock holder did not remove is not to be written into.
        std::fs::create_dir(&staging.folder)
            .and_then(|()| write_file(&staging.folder.join(MARKER), MARKER_TEXT.as_bytes()))
            .map_err(|e| failure(&staging.lock.output, "write the site", e))?;
        Ok(staging)
    }

    /// Writes one file; safe to call from many threads at once.
    pub fn put(&self, file: &OutputFile) -> Result<(), Diagnostic> {
        let output = &self.lock.output;
        let Some(relative) = safe_relative(&file.path) else {
            return Err(unsafe_path(output, &file.path));
        };
        if self.records.is_some() {
            crate::locked(&self.placed).push(Placed {
                path: file.path.clone(),
                source: Source::Written,
                content: content_of(file),
                made_from: file.made_from.clone(),
            });
        }
        let path = self.folder.join(&relative);
        let old = output.join(&relative);
        make_parent(&path)
            .and_then(|()| {
                let reused = self.previous.holds(&file.path, &old, &file.bytes)
                    && std::fs::hard_link(&old, &path).is_ok();
                if reused {
                    Ok(())
                } else {
                    write_file(&path, &file.bytes)
                }
            })
            .map_err(|e| failure(output, "write the site", e))
    }

    /// Whether what it writes is recorded for the next build.
    pub(super) fn records_kept(&self) -> bool {
        self.records.is_some()
    }

    /// Links the output's file at `path`, which the caller checked is the
    /// previous build's own, into the new site.
    pub(super) fn link_kept(&self, path: &str) -> std::io::Result<()> {
        let new = self.folder.join(path);
        make_parent(&new)?;
        std::fs::hard_link(self.lock.output.join(path), new)
    }

    /// Puts the new site in the output's place, then deletes the previous
    /// one (if that fails, the next build deletes it).
    pub fn finish(mut self) -> Result<(), Diagnostic> {
        pause_at("staged");
        let output = self.lock.output.clone();
        // Checked again: something else may have been put in the output's
        // place while this build rendered, and it is not ours to replace.
        if !may_replace(&output) {
            return Err(refuse(
                &output,
                format!(
                    "refusing to replace `{}`: it changed during the build and upgrade-atlas did not create what is there now",
                    output.display()
                ),
                "move it away and build again",
            ));
        }
        let previous =
            swap(&self.folder, &output).map_err(|e| failure(&output, "write the site", e))?;
        self.finished = true;
        pause_at("swapped");
        if let Some(previous) = previous
            && is_ours(&previous)
        {
            let _ = discard(&previous, &output);
        }
        // Stamped only now: a file linked from the previous site changed
        // when that site was deleted.
        if let Some(records) = &self.records {
            let placed = std::mem::take(&mut *crate::locked(&self.placed));
            let folders = folders_of(placed.iter().map(|p| p.path.as_str()));
            records.save(&record_of(&output, placed, &folders));
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = discard(&self.folder, &self.lock.output);
        }
    }
}
