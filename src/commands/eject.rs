//! `upgrade-atlas theme eject [TEMPLATE...]`: copies built-in templates
//! (all of them, with the assets, when none is named) into `templates/`,
//! where the build takes them instead of its own. Copied unchanged, they
//! build a byte-identical site.

use std::path::Path;

use super::{Outcome, check_inside, write_new};
use crate::diag::{Diagnostic, suggest};
use crate::render::builtin_files;

pub fn eject(root: &Path, names: &[String]) -> Result<Outcome, Diagnostic> {
    let builtin: Vec<(String, &[u8])> = builtin_files().collect();
    let chosen: Vec<&(String, &[u8])> = if names.is_empty() {
        builtin.iter().collect()
    } else {
        let known: Vec<&str> = builtin.iter().map(|(name, _)| name.as_str()).collect();
        names
            .iter()
            .map(|wanted| {
                let wanted = wanted.trim_start_matches("templates/");
                builtin
                    .iter()
                    .find(|(name, _)| name == wanted)
                    .ok_or_else(|| {
                        Diagnostic::error_nowhere(format!("no built-in template `{wanted}`"))
                            .with_hint(suggest(wanted, "built-in templates", &known))
                    })
            })
            .collect::<Result<_, _>>()?
    };
    let dir = root.join("templates");
    // Nothing is written when any file is there already: a half-done
    // eject would mix the writer's templates with fresh copies.
    // A link counts as taken, whether or not it leads anywhere.
    let taken: Vec<&str> = chosen
        .iter()
        .filter(|(name, _)| std::fs::symlink_metadata(dir.join(name)).is_ok())
        .map(|(name, _)| name.as_str())
        .collect();
    if !taken.is_empty() {
        return Err(Diagnostic::error_at_path(
            "templates",
            format!(
                "templates/ already has {}; theme eject never overwrites a file",
                taken.join(", ")
            ),
        )
        .with_hint("move those files away first, or name only the templates you want"));
    }
    for (name, _) in &chosen {
        check_inside(root, &dir.join(name))?;
    }
    for (name, bytes) in &chosen {
        write_new(root, &dir.join(name), bytes)?;
    }
    let summary = match chosen.as_slice() {
        [(name, _)] => format!("copied {name} into templates/: edit it there"),
        _ => format!(
            "copied {} built-in files into templates/: edit any of them, and delete those you leave as they are",
            chosen.len()
        ),
    };
    Ok(Outcome {
        summary,
        warnings: Vec::new(),
    })
}
