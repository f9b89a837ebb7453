//! upgrade-atlas: a static site generator for upgrade knowledge bases.
//!
//! The pipeline runs one way, a module a stage:
//! `load` (files -> raw documents) -> `resolve` (raw -> checked [`model::Model`])
//! -> `graph` (model -> upgrade edges, paths and their issues) -> `plan`
//! (pages and URLs) -> `render` (HTML) -> `write` (the output folder).

pub mod commands;
pub mod diag;
pub mod graph;
pub mod i18n;
pub mod layout;
pub mod lifecycle;
pub mod load;
pub mod markdown;
pub mod model;
pub mod plan;
pub mod render;
pub mod resolve;
pub mod safe_fs;
pub mod selector;
#[cfg(feature = "serve")]
pub mod serve;
pub mod terminal;
pub mod walk;
pub mod write;

#[cfg(test)]
mod layering;

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

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

impl std::fmt::Display for Failure {
    /// Every problem as the terminal shows it, with its source line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for diagnostic in &self.diagnostics {
            writeln!(f, "{}", diagnostic.render(&self.sources))?;
        }
        Ok(())
    }
}

// Debug shows the problems too, so that `expect` in tests and benches
// prints what went wrong.
impl std::fmt::Debug for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Failure {}

impl Failure {
    /// The line that ends a failed run's report, the same from `check`,
    /// `build` and `serve`: `2 errors found`.
    pub fn summary(&self) -> String {
        let errors = self.diagnostics.iter().filter(|d| d.is_error()).count();
        format!("{} found", terminal::counted(errors, "error"))
    }
}

/// Runs load, resolve and graph checks on the knowledge base at `root`,
/// keeping nothing for a next run.
pub fn check(root: &Path) -> Result<Checked, Failure> {
    let (raw, problems) = load::load(root);
    check_loaded(raw, problems, &mut resolve::ResolveCache::for_one_run())
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
    let (raw, problems) = load::load_cached(root, &mut cache.load);
    check_loaded(raw, problems, &mut cache.resolve)
}

/// [`check`] of files given in memory, each path relative to content/
/// (see [`load::load_files`]): the fuzz target's way in.
pub fn check_files(files: &[(std::path::PathBuf, Vec<u8>)]) -> Result<Checked, Failure> {
    let (raw, problems) = load::load_files(files);
    check_loaded(raw, problems, &mut resolve::ResolveCache::for_one_run())
}

/// Resolve and graph checks of what was loaded, with the load's problems.
fn check_loaded(
    raw: load::RawKb,
    mut problems: Vec<Diagnostic>,
    cache: &mut resolve::ResolveCache,
) -> Result<Checked, Failure> {
    let loaded_cleanly = !diag::has_errors(&problems);
    let (model, resolve_problems) = resolve::resolve_cached(raw, cache);
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

/// A site rendered in memory.
pub struct Rendered {
    /// Sorted by path.
    pub files: Vec<render::OutputFile>,
    pub pages: usize,
    pub warnings: Vec<Diagnostic>,
}

/// Checks, plans and renders the site in memory.
pub fn render_site(root: &Path, options: &plan::PlanOptions) -> Result<Rendered, Failure> {
    let (checked, theme) = with_theme(root, check(root))?;
    let files = std::sync::Mutex::new(Vec::new());
    let previous = render::NoPrevious;
    let (pages, delivered) =
        render_checked(&checked, &theme, options, &Silent, &previous, |file| {
            locked(&files).push(file);
            Ok(())
        })?;
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Rendered {
        files,
        pages,
        warnings: delivered.warnings,
    })
}

/// What a build wrote.
pub struct Built {
    pub output: std::path::PathBuf,
    pub pages: usize,
    pub files: usize,
    /// Pages kept as the last build wrote them, their inputs unchanged.
    pub kept: usize,
    /// Whether the site was swapped in whole or the output changed in place.
    pub written: write::Written,
    pub warnings: Vec<Diagnostic>,
    /// To show the warnings against, with their lines, as `check` does.
    pub sources: Sources,
}

/// What a build tells as it goes, for `--verbose` and the progress line.
pub trait BuildObserver: Sync {
    /// A stage finished, described in words (`checked 12 files`), after `took`.
    fn stage(&self, _what: &str, _took: std::time::Duration) {}
    /// `done` of the site's `total` files are rendered and written.
    fn written(&self, _done: usize, _total: usize) {}
}

/// Tells nothing.
pub struct Silent;

impl BuildObserver for Silent {}

/// Checks, plans, renders and writes the whole site. Pages are written as
/// they are rendered, into a new folder that replaces the output only when
/// every stage succeeded; otherwise it is removed and the output left as it
/// was. Builds into one output take turns; `when_busy` says whether this one
/// waits for another that is running.
pub fn build(
    root: &Path,
    output: &Path,
    options: &plan::PlanOptions,
    when_busy: write::WhenBusy,
) -> Result<Built, Failure> {
    build_observed(root, output, options, when_busy, None, &Silent)
}

/// [`build`], telling `observer` how it goes. With `records` (a folder of
/// the builder's, see [`write::default_records_place`]), what the build
/// wrote is recorded there, and a rebuild into an output still as the last
/// build left it renders and writes only what changed (`write::Writer`).
pub fn build_observed(
    root: &Path,
    output: &Path,
    options: &plan::PlanOptions,
    when_busy: write::WhenBusy,
    records: Option<&Path>,
    observer: &dyn BuildObserver,
) -> Result<Built, Failure> {
    let unplaced = |problem: Diagnostic| Failure {
        diagnostics: vec![problem],
        sources: Sources::default(),
    };
    let lock = write::lock_output(root, output, when_busy).map_err(unplaced)?;
    let target = lock.output().to_path_buf();
    let started = std::time::Instant::now();
    let (checked, theme) = with_theme(root, check(root))?;
    let model = &checked.model;
    observer.stage(
        &format!(
            "checked {}, {}, {}",
            terminal::counted(model.products.len(), "product"),
            terminal::counted(model.nodes.len(), "version"),
            terminal::counted(model.scenarios.len(), "scenario")
        ),
        started.elapsed(),
    );
    let started = std::time::Instant::now();
    let records = records.map(|place| write::Records::for_output(place, &target));
    let writer = write::Writer::begin(lock, records).map_err(unplaced)?;
    let (pages, delivered) =
        render_checked(&checked, &theme, options, observer, &writer, |file| {
            writer.put(&file)
        })?;
    let written = writer.finish().map_err(unplaced)?;
    observer.stage(
        &format!(
            "rendered and wrote {} pages, kept {}; {} files in all",
            pages - delivered.kept,
            delivered.kept,
            delivered.files
        ),
        started.elapsed(),
    );
    Ok(Built {
        output: target,
        pages,
        files: delivered.files,
        kept: delivered.kept,
        written,
        warnings: delivered.warnings,
        sources: checked.model.sources.clone(),
    })
}

/// The checked knowledge base at `root` with its theme.
pub(crate) fn with_theme(
    root: &Path,
    checked: Result<Checked, Failure>,
) -> Result<(Checked, render::Theme), Failure> {
    let checked = checked?;
    match render::Theme::load(root) {
        Ok(theme) => Ok((checked, theme)),
        Err(diagnostics) => Err(Failure {
            diagnostics,
            sources: checked.model.sources,
        }),
    }
}

/// Plans and renders a checked knowledge base, handing each file to
/// `deliver` but the pages `previous` keeps; returns the number of pages
/// and what was delivered, with every warning.
fn render_checked(
    checked: &Checked,
    theme: &render::Theme,
    options: &plan::PlanOptions,
    observer: &dyn BuildObserver,
    previous: &dyn render::Previous,
    deliver: impl Fn(render::OutputFile) -> Result<(), Diagnostic> + Sync,
) -> Result<(usize, render::Delivered), Failure> {
    let planned = plan::plan(&checked.model, options);
    let pages = planned.pages.len();
    // The progress counts pages: render delivers them first, and makes the
    // data files only after them.
    let done = std::sync::atomic::AtomicUsize::new(0);
    let deliver = |file| {
        deliver(file)?;
        let done = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if done <= pages {
            observer.written(done, pages);
        }
        Ok(())
    };
    let failure = |diagnostics| Failure {
        diagnostics,
        sources: checked.model.sources.clone(),
    };
    let mut delivered =
        render::render(&checked.model, planned, theme, previous, deliver).map_err(failure)?;
    delivered.files += copy_statics(&checked.model.static_files, deliver).map_err(failure)?;
    let mut warnings = checked.warnings.clone();
    warnings.append(&mut delivered.warnings);
    delivered.warnings = warnings;
    Ok((pages, delivered))
}

/// Hands each file of `content/static/` to `deliver`, read as `write` reads
/// it; returns how many, or every file that could not be read or delivered.
fn copy_statics(
    files: &[load::StaticFile],
    deliver: impl Fn(render::OutputFile) -> Result<(), Diagnostic>,
) -> Result<usize, Vec<Diagnostic>> {
    let problems: Vec<Diagnostic> = files
        .iter()
        .filter_map(|file| write::read_static(file).and_then(&deliver).err())
        .collect();
    if problems.is_empty() {
        Ok(files.len())
    } else {
        Err(problems)
    }
}

/// Locks `mutex` even when a thread panicked while holding it: every value
/// kept behind one is whole between two statements, and a build or a served
/// site should go on (or fail with its own error) rather than panic again.
pub(crate) fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
