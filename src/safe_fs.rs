//! Opening files where a knowledge base from someone else may have laid a
//! trap: a symbolic link to a file of the builder's, a FIFO that never
//! answers, a device that never ends (docs/security.md, "Files beside the
//! output" and "Links"). Every open here refuses what is not a regular
//! file, never blocks on opening, and every read stops at a bound.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// Content files above this size are refused: no hand-written knowledge base
/// needs one, and a runaway file should not stall every build. `diag` reads
/// a file again with the same bound when it reports on it.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Whether an open may go through a symbolic link at the path's last part.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Links {
    /// Follow it: the caller checked where it leads (the walk of `content/`).
    Follow,
    /// Refuse it: a link there can only be a trap.
    Refuse,
}

/// Flags that keep an open from following a link at the last part of the
/// path (`ELOOP` instead) and from waiting for a FIFO's other end.
fn guarded(options: &mut OpenOptions, links: Links) -> &mut OpenOptions {
    #[cfg(unix)]
    {
        use rustix::fs::OFlags;
        use std::os::unix::fs::OpenOptionsExt;
        let no_follow = match links {
            Links::Follow => OFlags::empty(),
            Links::Refuse => OFlags::NOFOLLOW,
        };
        // The flags are C's `int`; rustix keeps them as their bits.
        options.custom_flags((OFlags::NONBLOCK | no_follow).bits() as i32)
    }
    #[cfg(not(unix))]
    {
        let _ = links;
        options
    }
}

/// The error for a path that is there but is not a regular file.
fn not_regular(kind: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("it is {kind}, not a regular file"),
    )
}

/// Why `error` happened, in words, for an open made by this module: a link
/// refused by `O_NOFOLLOW` reads as "too many levels of symbolic links".
pub fn explain(error: &io::Error) -> String {
    #[cfg(unix)]
    if error.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) {
        return "it is a symbolic link, which is never followed here".to_owned();
    }
    error.to_string()
}

/// What kind of thing `metadata` describes, for a message.
pub fn kind_of(metadata: &std::fs::Metadata) -> &'static str {
    let kind = metadata.file_type();
    if kind.is_dir() {
        return "a folder";
    }
    if kind.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    if kind.is_file() {
        "a file"
    } else {
        "neither a file nor a folder"
    }
}

/// Fails unless the open `file` is a regular file.
fn regular(file: File) -> io::Result<File> {
    let metadata = file.metadata()?;
    if metadata.is_file() {
        Ok(file)
    } else {
        Err(not_regular(kind_of(&metadata)))
    }
}

/// Opens an existing regular file for reading.
pub fn open_regular(path: &Path, links: Links) -> io::Result<File> {
    regular(guarded(OpenOptions::new().read(true), links).open(path)?)
}

/// Opens a regular file for reading and writing, creating it if missing,
/// never through a link (the lock beside the output).
pub fn open_or_create(path: &Path) -> io::Result<File> {
    let file = guarded(
        OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false),
        Links::Refuse,
    )
    .open(path)?;
    regular(file)
}

/// Creates a new file for writing; fails if anything has that name, a link
/// included, so that nothing already there is written through.
pub fn create_new(path: &Path) -> io::Result<File> {
    guarded(
        OpenOptions::new().write(true).create_new(true),
        Links::Refuse,
    )
    .open(path)
}

/// What a bounded read found.
#[derive(Debug)]
pub enum Bounded {
    Bytes(Vec<u8>),
    /// The file holds more than the bound: its size, or the bound plus one
    /// when it grew while it was read.
    TooLarge(u64),
}

/// Reads an open regular file whole, unless it holds more than `limit`
/// bytes.
pub fn read_bounded(file: File, limit: u64) -> io::Result<Bounded> {
    let size = file.metadata()?.len();
    if size > limit {
        return Ok(Bounded::TooLarge(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // A file that grows while it is read stops at the limit.
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(Bounded::TooLarge(limit + 1));
    }
    Ok(Bounded::Bytes(bytes))
}

/// Makes a FIFO at `path`, for the tests of what refuses one.
#[cfg(all(test, unix))]
pub(crate) fn make_fifo(path: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, FileType, Mode, mknodat};
    Ok(mknodat(
        CWD,
        path,
        FileType::Fifo,
        Mode::RUSR | Mode::WUSR,
        0,
    )?)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_fifos_and_devices_are_refused_and_reads_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        std::fs::write(&file, "secret").unwrap();
        let link = dir.path().join("link");
        symlink(&file, &link).unwrap();

        assert!(open_regular(&link, Links::Follow).is_ok());
        let refused = open_regular(&link, Links::Refuse).unwrap_err();
        assert!(explain(&refused).contains("symbolic link"), "{refused}");
        assert!(
            create_new(&link).is_err(),
            "a link is never written through"
        );
        assert!(create_new(&file).is_err(), "nor an existing file");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "secret");
        let lock = dir.path().join("lock");
        symlink(dir.path().join("elsewhere"), &lock).unwrap();
        assert!(open_or_create(&lock).is_err());
        assert!(
            !dir.path().join("elsewhere").exists(),
            "nothing made at a link's target"
        );

        let fifo = dir.path().join("fifo");
        make_fifo(&fifo).unwrap();
        let error = open_regular(&fifo, Links::Follow).unwrap_err();
        assert!(error.to_string().contains("FIFO"), "{error}");
        assert!(open_or_create(&fifo).is_err());
        let error = open_regular(Path::new("/dev/zero"), Links::Follow).unwrap_err();
        assert!(error.to_string().contains("device"), "{error}");

        let opened = open_regular(&file, Links::Refuse).unwrap();
        assert!(matches!(
            read_bounded(opened, 5).unwrap(),
            Bounded::TooLarge(6)
        ));
        let opened = open_regular(&file, Links::Refuse).unwrap();
        assert!(matches!(read_bounded(opened, 6).unwrap(), Bounded::Bytes(b) if b == b"secret"));
    }
}
