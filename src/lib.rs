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
pub mod serve;
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
    check_cached(root, &mut CheckCache::default())
}

/// What [`check_cached`] keeps between runs: parsed files and resolved
/// scenarios. `serve` keeps one for as long as it runs.
#[derive(Default)]
pub struct CheckCache {
    pub load: load::LoadCache,
    pub resolve: resolve::ResolveCache,
}

/// [`check`], parsing and resolving again only the files that changed since
/// `cache` was filled.
pub fn check_cached(root: &Path, cache: &mut CheckCache) -> Result<Checked, Failure> {
    let (raw, mut problems) = load::load_cached(root, &mut cache.load);
    let loaded_cleanly = !diag::has_errors(&problems);
    let (model, resolve_problems) = resolve::resolve_cached(raw, &mut cache.resolve);
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

/// A site rendered in memory, ready to be written or served.
pub struct Rendered {
    pub files: Vec<render::OutputFile>,
    pub pages: usize,
    pub warnings: Vec<Diagnostic>,
}

/// Checks, plans and renders the site in memory.
pub fn render_site(root: &Path, options: &plan::PlanOptions) -> Result<Rendered, Failure> {
    let checked = check(root)?;
    let fail = |diagnostics: Vec<Diagnostic>, model: Model| Failure {
        diagnostics,
        sources: model.sources,
    };
    let theme = match render::Theme::load(root) {
        Ok(theme) => theme,
        Err(problems) => return Err(fail(problems, checked.model)),
    };
    let planned = plan::plan(&checked.model, options);
    let pages = planned.pages.len();
    let mut warnings = checked.warnings;
    warnings.extend(planned.warnings.iter().cloned());
    match render::render(&checked.model, planned, &theme) {
        Ok(files) => Ok(Rendered {
            files,
            pages,
            warnings,
        }),
        Err(problems) => Err(fail(problems, checked.model)),
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
    let target = write::check_output(root, output).map_err(|problem| Failure {
        diagnostics: vec![problem],
        sources: Sources::default(),
    })?;
    let rendered = render_site(root, options)?;
    write::write(&target, &rendered.files).map_err(|problem| Failure {
        diagnostics: vec![problem],
        sources: Sources::default(),
    })?;
    Ok(Built {
        output: target,
        pages: rendered.pages,
        files: rendered.files.len(),
        warnings: rendered.warnings,
    })
}
