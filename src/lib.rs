//! upgrade-atlas: a static site generator for upgrade knowledge bases.
//!
//! The pipeline runs one way, a module a stage:
//! `load` (files -> raw documents) -> `resolve` (raw -> checked [`model::Model`])
//! -> `graph` (model -> upgrade edges, paths and their issues) -> `plan`
//! (pages and URLs) -> `render` (HTML) -> `write` (the output folder).

pub mod diag;
pub mod graph;
pub mod load;
pub mod markdown;
pub mod model;
pub mod plan;
pub mod render;
pub mod resolve;
pub mod selector;
pub mod write;

use std::path::Path;

use diag::{Diagnostic, Sources};
use model::Model;

/// A knowledge base that passed every check, with the warnings found on the way.
pub struct Checked {
    pub model: Model,
    pub warnings: Vec<Diagnostic>,
}

/// Why a knowledge base failed its checks: every problem found, sorted, and
/// the sources to show them against.
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

/// Runs load, resolve and graph checks on the knowledge base at `root`.
pub fn check(root: &Path) -> Result<Checked, Failure> {
    let (raw, mut problems) = load::load(root);
    let loaded_cleanly = !diag::has_errors(&problems);
    let (model, resolve_problems) = resolve::resolve(raw);
    problems.extend(resolve_problems);
    let complete = loaded_cleanly && !diag::has_errors(&problems);
    problems.extend(graph::UpgradeGraph::new(&model).check(complete));
    diag::sort(&mut problems);
    if diag::has_errors(&problems) {
        Err(Failure {
            diagnostics: problems,
            sources: model.sources,
        })
    } else {
        Ok(Checked {
            model,
            warnings: problems,
        })
    }
}

/// What a build wrote.
pub struct Built {
    pub output: std::path::PathBuf,
    pub pages: usize,
    pub files: usize,
    pub warnings: Vec<Diagnostic>,
}

/// Checks, plans, renders and writes the site. Nothing is written unless
/// every stage succeeded.
pub fn build(root: &Path, output: &Path, options: &plan::PlanOptions) -> Result<Built, Failure> {
    let checked = check(root)?;
    let fail = |diagnostics: Vec<Diagnostic>, model: Model| Failure {
        diagnostics,
        sources: model.sources,
    };
    let target = match write::check_output(root, output) {
        Ok(target) => target,
        Err(problem) => return Err(fail(vec![problem], checked.model)),
    };
    let theme = match render::Theme::load(root) {
        Ok(theme) => theme,
        Err(problems) => return Err(fail(problems, checked.model)),
    };
    let planned = plan::plan(&checked.model, options);
    let pages = planned.pages.len();
    let mut warnings = checked.warnings;
    warnings.extend(planned.warnings.iter().cloned());
    let files = match render::render(&checked.model, planned, &theme) {
        Ok(files) => files,
        Err(problems) => return Err(fail(problems, checked.model)),
    };
    if let Err(problem) = write::write(&target, &files) {
        return Err(fail(vec![problem], checked.model));
    }
    Ok(Built {
        output: target,
        pages,
        files: files.len(),
        warnings,
    })
}
