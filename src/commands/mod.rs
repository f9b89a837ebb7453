//! Commands that are not stages of the pipeline: they write a writer's
//! files (`init`, `new`, `theme eject`), print what the pipeline knows for
//! another tool (`export`), or answer a question about it (`path`). Those
//! that write refuse to overwrite what a writer wrote.

pub mod eject;
pub mod export;
pub mod init;
pub mod new;
pub mod path;

use std::path::Path;

/// What a command that writes files did, in words for the terminal.
pub struct Outcome {
    pub summary: String,
}

/// Whether `root` holds a knowledge base; if not, what to do, in words.
pub fn knowledge_base_at(root: &Path) -> Result<(), String> {
    if root.join("content").is_dir() {
        return Ok(());
    }
    let shown = if root == Path::new(".") {
        "this folder".to_owned()
    } else {
        root.display().to_string()
    };
    Err(format!(
        "no knowledge base in {shown}: it has no content/ folder\n\
         hint: run `upgrade-atlas init` to start one here, or pass --root with the folder that holds content/"
    ))
}

/// Writes a new file, refusing to replace one that exists (even when
/// another process created it a moment ago).
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => format!(
                "{} already exists; upgrade-atlas never overwrites a file: rename or remove it first",
                path.display()
            ),
            _ => format!("cannot write {}: {e}", path.display()),
        })?;
    file.write_all(bytes)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}
