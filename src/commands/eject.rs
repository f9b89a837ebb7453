//! `upgrade-atlas theme eject [TEMPLATE...]`: copies built-in templates
//! (all of them, with the assets, when none is named) into `templates/`,
//! where the build takes them instead of its own. Copied unchanged, they
//! build a byte-identical site. `i18n/LANG.yaml` copies a translation
//! table into `content/i18n/` instead: the built-in one of that language,
//! or the English one to translate from for a language without one.

use std::path::Path;

use super::{Outcome, check_inside, write_new};
use crate::diag::{Diagnostic, suggest};
use crate::render::builtin_files;

pub fn eject(root: &Path, names: &[String]) -> Result<Outcome, Diagnostic> {
    if let [name] = names
        && let Some(file) = name.strip_prefix("i18n/")
    {
        return eject_table(root, file);
    }
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

/// `i18n/LANG.yaml`: the table a knowledge base overrides messages in.
fn eject_table(root: &Path, file: &str) -> Result<Outcome, Diagnostic> {
    let language = file.strip_suffix(".yaml").unwrap_or(file);
    let valid =
        !language.is_empty() && (language.chars()).all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !valid {
        return Err(
            Diagnostic::error_nowhere(format!("`i18n/{file}` does not name a language")).with_hint(
                "name a table as i18n/LANG.yaml, with a BCP 47 tag: i18n/de.yaml, i18n/pt-BR.yaml",
            ),
        );
    }
    let primary = crate::i18n::primary(language);
    let (text, from) = match crate::i18n::BUILT_IN
        .iter()
        .find(|(name, _)| *name == primary)
    {
        Some((_, text)) => (*text, primary.as_str()),
        None => (crate::i18n::BUILT_IN[0].1, "en"),
    };
    let target = root.join("content/i18n").join(format!("{language}.yaml"));
    if std::fs::symlink_metadata(&target).is_ok() {
        return Err(Diagnostic::error_at_path(
            format!("content/i18n/{language}.yaml"),
            "the file is there already; theme eject never overwrites a file",
        )
        .with_hint("move it away first, or edit it as it is"));
    }
    check_inside(root, &target)?;
    write_new(root, &target, text.as_bytes())?;
    let summary = if from == primary {
        format!(
            "copied the built-in `{from}` table into content/i18n/{language}.yaml: change the messages you want, and delete the others"
        )
    } else {
        format!(
            "no table for `{language}` is built in: copied the English one into content/i18n/{language}.yaml to translate"
        )
    };
    Ok(Outcome {
        summary,
        warnings: Vec::new(),
    })
}
