//! What a build wrote into an output folder, kept for the next build into
//! it: each file with what a page was made from or another file's bytes
//! hashed, and the file's stamp (device, inode, size, modification and change times) as
//! written, and the stamp of every folder. A rebuild whose output is still
//! exactly as recorded updates it in place ([`super::Update`]): it keeps a
//! page whose inputs did not change without rendering or reading it, and
//! writes only the files that changed.
//!
//! Records live in the builder's cache folder, never beside the output: a
//! knowledge base from someone else may ship a `public/` of its own, and
//! cannot forge a record. Each is named after a hash of the output's
//! absolute path. A folder's change time moves whenever a name in it is
//! added, removed or replaced, and nobody can set it back, so a folder put
//! in the output's place since (a clone, a tarball, a file copied in by
//! hand) does not match, and gets a full build.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::plan::Fingerprint;
use crate::render::MadeFrom;

/// Bumped when a record's shape or meaning changes: an older one is ignored.
const FORMAT: u32 = 1;

/// Records older than this are removed when a build saves its own: their
/// output is most likely gone (a test's temporary folder, an old clone).
const RECORD_LIFETIME: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 3600);

/// A file's or folder's identity and state on disk, as `lstat` gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    dev: u64,
    ino: u64,
    size: u64,
    modified: (i64, i64),
    changed: (i64, i64),
    folder: bool,
}

impl Stamp {
    /// The stamp of what is at `path`, which must be a regular file or a
    /// folder, never followed through a link.
    #[cfg(unix)]
    pub fn of(path: &Path) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::symlink_metadata(path).ok()?;
        let kind = meta.file_type();
        if !kind.is_file() && !kind.is_dir() {
            return None;
        }
        Some(Stamp {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            modified: (meta.mtime(), meta.mtime_nsec()),
            changed: (meta.ctime(), meta.ctime_nsec()),
            folder: kind.is_dir(),
        })
    }

    /// Without change times to trust, nothing is kept between builds.
    #[cfg(not(unix))]
    pub fn of(_path: &Path) -> Option<Stamp> {
        None
    }
}

/// One file of a recorded site.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entry {
    /// Its bytes, hashed; not kept for a page, which is told by what it
    /// was made from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Fingerprint>,
    pub stamp: Stamp,
    /// For a page, what it was made from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub made_from: Option<MadeFrom>,
}

/// What a build left in an output folder.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Record {
    format: u32,
    /// The program that wrote it: another one (a new release, a rebuilt
    /// binary) may render the same inputs otherwise, and renders every page.
    program: String,
    /// Every file by its site path (`/`-separated).
    pub files: HashMap<String, Entry>,
    /// Every folder by its site path, the output itself as `""`.
    pub folders: HashMap<String, Stamp>,
}

impl Record {
    /// A record of this program, to fill.
    pub fn new() -> Record {
        Record {
            format: FORMAT,
            program: program(),
            ..Record::default()
        }
    }

    /// Whether `output` holds what this record says, folder by folder: no
    /// name added, removed or replaced in any of them since. Files are
    /// checked one by one as they are kept.
    pub fn describes(&self, output: &Path) -> bool {
        self.format == FORMAT
            && self.program == program()
            && self.folders.contains_key("")
            && self
                .folders
                .iter()
                .all(|(folder, stamp)| Stamp::of(&in_site(output, folder)).as_ref() == Some(stamp))
    }
}

/// `output/site_path`.
pub fn in_site(output: &Path, site_path: &str) -> PathBuf {
    if site_path.is_empty() {
        output.to_path_buf()
    } else {
        output.join(site_path)
    }
}

/// This program's version and its binary's stamp.
fn program() -> String {
    let binary = std::env::current_exe()
        .ok()
        .and_then(|exe| std::fs::metadata(exe).ok());
    let stamp = binary.map(|meta| {
        let modified = meta
            .modified()
            .ok()
            .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
            .unwrap_or_default();
        format!("{} {}", meta.len(), modified.as_nanos())
    });
    format!(
        "{} {}",
        env!("CARGO_PKG_VERSION"),
        stamp.unwrap_or_default()
    )
}

/// Where builds keep their records: `$XDG_CACHE_HOME/upgrade-atlas/outputs`,
/// or `~/.cache/upgrade-atlas/outputs`; `None` without either.
pub fn default_place() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|path| path.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(cache.join("upgrade-atlas").join("outputs"))
}

/// The records of builds into one output, in the folder `place`.
pub struct Records {
    file: PathBuf,
}

impl Records {
    /// The record file for `output` (absolute) in `place`.
    pub fn for_output(place: &Path, output: &Path) -> Records {
        let name = crate::plan::fingerprint(&[output.as_os_str().as_encoded_bytes()]);
        Records {
            file: place.join(format!("{name:032x}.json")),
        }
    }

    /// The last record, if there is one this program can use.
    pub fn load(&self) -> Option<Record> {
        let bytes = std::fs::read(&self.file).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Forgets the record: the output is about to change in place, and a
    /// build killed while it changes must not leave a record that no longer
    /// describes it.
    pub fn forget(&self) {
        let _ = std::fs::remove_file(&self.file);
    }

    /// Saves `record`, whole or not at all, and removes the records of
    /// outputs no build has written into for a month. A record that cannot
    /// be saved costs the next build its speed, not its result.
    pub fn save(&self, record: &Record) {
        let Some(place) = self.file.parent() else {
            return;
        };
        if std::fs::create_dir_all(place).is_err() {
            return;
        }
        remove_old_records(place);
        let temporary = self
            .file
            .with_extension(format!("new-{}", std::process::id()));
        let written =
            write_json(&temporary, record).and_then(|()| std::fs::rename(&temporary, &self.file));
        if written.is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
    }
}

/// `record` as JSON in a new file at `path`, written as it is serialized
/// rather than held whole (14 MB at 10,000 scenarios).
fn write_json(path: &Path, record: &Record) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    serde_json::to_writer(&mut file, record)?;
    file.flush()
}

fn remove_old_records(place: &Path) {
    let Ok(entries) = std::fs::read_dir(place) else {
        return;
    };
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|meta| meta.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age > RECORD_LIFETIME);
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
