//! Commands that are not stages of the pipeline: they write a writer's
//! files (`init`, `new`, `theme eject`), print what the pipeline knows for
//! another tool (`export`), or answer a question about it (`path`, `plan`). Those
//! that write refuse to overwrite what a writer wrote.

pub mod completions;
pub mod eject;
pub mod export;
pub mod init;
pub mod new;
pub mod path;
pub mod runbook;
pub mod stack_plan;

use std::path::Path;

use crate::diag::Diagnostic;

/// What a command that writes files did, in words for the terminal.
pub struct Outcome {
    pub summary: String,
    /// Worth knowing, though the files were written (a scenario that
    /// already covers the new one's upgrade).
    pub warnings: Vec<crate::diag::Diagnostic>,
}

/// Whether `root` holds a knowledge base; if not, what to do.
pub fn knowledge_base_at(root: &Path) -> Result<(), Diagnostic> {
    if root.join("content").is_dir() {
        return Ok(());
    }
    let shown = if root == Path::new(".") {
        "this folder".to_owned()
    } else {
        root.display().to_string()
    };
    Err(Diagnostic::error_nowhere(format!(
        "no knowledge base in {shown}: it has no content/ folder"
    ))
    .with_hint(
        "run `upgrade-atlas init` to start one here, or pass --root with the folder that holds content/",
    ))
}

/// Fails unless `path` would be written inside the knowledge base at
/// `root`: a copied base may hold `content/products` or `templates` as a
/// link to a folder elsewhere, and a file must not be written out there.
/// Looks at the deepest part of the path that exists, links resolved.
fn check_inside(root: &Path, path: &Path) -> Result<(), Diagnostic> {
    let real_root = root
        .canonicalize()
        .map_err(|e| Diagnostic::error_at_path(root, format!("cannot read: {e}")))?;
    let mut existing = path.parent();
    while let Some(folder) = existing {
        if std::fs::symlink_metadata(folder).is_ok() {
            break;
        }
        existing = folder.parent();
    }
    let leads_out = existing
        .map(|folder| {
            folder
                .canonicalize()
                .map_or(true, |real| !real.starts_with(&real_root))
        })
        .unwrap_or(true);
    if leads_out {
        return Err(Diagnostic::error_at_path(
            path,
            "refusing to write this: a symbolic link on the way leads out of the knowledge base",
        )
        .with_hint(
            "links in a knowledge base are followed only while they stay inside it; replace the link with a folder",
        ));
    }
    Ok(())
}

/// Writes a new file inside the knowledge base at `root`, refusing to
/// replace one that exists (even when another process created it a moment
/// ago, or it is a link) and to write through a link that leads out.
fn write_new(root: &Path, path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    use std::io::Write;
    check_inside(root, path)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::error_at_path(parent, format!("cannot create: {e}")))?;
    }
    let cannot_write =
        |e: std::io::Error| Diagnostic::error_at_path(path, format!("cannot write: {e}"));
    let mut file = crate::safe_fs::create_new(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => {
            Diagnostic::error_at_path(path, "this file already exists")
                .with_hint("upgrade-atlas never overwrites a file: rename or remove it first")
        }
        _ => cannot_write(e),
    })?;
    file.write_all(bytes).map_err(cannot_write)
}
