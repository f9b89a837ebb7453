//! `upgrade-atlas init [DIR]`: a small knowledge base that checks and builds
//! at once, every file commented to teach the format.

use std::path::Path;

use super::{Outcome, write_new};
use crate::diag::Diagnostic;

/// The starter knowledge base: (path below DIR, text).
pub const STARTER: &[(&str, &str)] = &[
    (".gitignore", include_str!("starter/gitignore")),
    ("content/site.yaml", include_str!("starter/site.yaml")),
    (
        "content/products/acme-server.yaml",
        include_str!("starter/products/acme-server.yaml"),
    ),
    (
        "content/products/acme-cloud.yaml",
        include_str!("starter/products/acme-cloud.yaml"),
    ),
    (
        "content/scenarios/acme-server/3.0-to-acme-cloud.yaml",
        include_str!("starter/scenarios/acme-server/3.0-to-acme-cloud.yaml"),
    ),
];

/// Writes the starter into `dir`, which must be missing or empty. A `.git`
/// folder alone does not count: `git init` first is a natural order.
pub fn init(dir: &Path) -> Result<Outcome, Diagnostic> {
    if let Some(entries) = occupied(dir)? {
        return Err(Diagnostic::error_at_path(
            dir,
            format!("the folder is not empty ({entries}); init starts a knowledge base only in an empty or new folder"),
        )
        .with_hint("pick a new folder, e.g. `upgrade-atlas init my-upgrades`"));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| Diagnostic::error_at_path(dir, format!("cannot create: {e}")))?;
    for (path, text) in STARTER {
        write_new(dir, &dir.join(path), text.as_bytes())?;
    }
    let shown = dir.display();
    Ok(Outcome {
        summary: format!(
            "started a knowledge base in {shown}: site.yaml, two products and a scenario in {shown}/content/\n\
             next: `upgrade-atlas --root {shown} check`, then `build` or `serve`"
        ),
        warnings: Vec::new(),
    })
}

/// What `dir` holds besides `.git`, in words, or `None` when nothing.
fn occupied(dir: &Path) -> Result<Option<String>, Diagnostic> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Diagnostic::error_at_path(dir, format!("cannot read: {e}"))),
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name != ".git")
        .collect();
    if names.is_empty() {
        return Ok(None);
    }
    names.sort();
    let more = names.len().saturating_sub(3);
    names.truncate(3);
    let mut words = format!("it holds {}", names.join(", "));
    if more > 0 {
        words.push_str(&format!(" and {more} more"));
    }
    Ok(Some(words))
}
