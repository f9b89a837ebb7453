//! Stage 5, render: planned pages -> HTML through Tera, in parallel.
//!
//! Templates are the built-in theme (embedded at compile time) with the
//! knowledge base's own `templates/` layered over it: a file there replaces
//! the built-in one of the same name. Templates are parsed once. They get a
//! `markdown` filter and a `url` function, both of which resolve `@`
//! references relative to the page being rendered, and the words of the
//! site's language (`trans`, `link`, `date`, `in_sentence`: render/words.rs).
//!
//! Data files are written as planned, but for the HTML some carry for the
//! theme to render ([`crate::plan::Fragments`]: the path finder's issues,
//! through `partials/issue.html`), which [`Renderer::data_file`] renders
//! and appends.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Kwargs, State, Tera, Value};

use crate::diag::{Diagnostic, Span};
use crate::i18n::Messages;
use crate::model::Model;
use crate::plan::{DataFile, Fingerprint, Fragments, Links, Page, Plan, Urls};

mod words;

mod theme {
    include!(concat!(env!("OUT_DIR"), "/theme.rs"));
}

/// A file of the finished site.
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
    /// What a page was made from; `None` for the files made again on every
    /// build (data files, assets, `content/static/`).
    pub made_from: Option<MadeFrom>,
}

impl OutputFile {
    /// A file that is not a page.
    pub fn data(path: String, bytes: Vec<u8>) -> OutputFile {
        OutputFile {
            path,
            bytes,
            made_from: None,
        }
    }
}

/// What a page's file was made from, as a rebuild needs it to tell whether
/// it would make the same file: its inputs hashed with what every page
/// depends on ([`Renderer::page_unless_kept`]), and the `@` references it
/// resolved, each with the site path it led to.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MadeFrom {
    pub fingerprint: Fingerprint,
    pub references: Vec<(String, String)>,
}

impl MadeFrom {
    /// Whether a page made from `fingerprint` now, with each reference
    /// still `leads`-ing where it led, is made from what this says.
    pub fn is_still(&self, fingerprint: Fingerprint, leads: &dyn Fn(&str, &str) -> bool) -> bool {
        self.fingerprint == fingerprint
            && (self.references.iter()).all(|(reference, target)| leads(reference, target))
    }
}

/// The previous build of the same output, as far as rendering can use it.
pub trait Previous: Sync {
    /// Whether the page at `path` may stay as the previous build left it:
    /// it was made from `fingerprint` then, each reference it resolved still
    /// `leads` (reference, site path) where it led, and its file is still
    /// the one written. A page it keeps is its own to keep: render makes
    /// nothing for it.
    fn keeps(
        &self,
        path: &str,
        fingerprint: Fingerprint,
        leads: &dyn Fn(&str, &str) -> bool,
    ) -> bool;

    /// Whether what each page is made from is kept for a build to come:
    /// when it is not, render does not work it out.
    fn remembers(&self) -> bool {
        true
    }
}

/// No previous build to keep anything of: every page is rendered.
pub struct NoPrevious;

impl Previous for NoPrevious {
    fn keeps(&self, _: &str, _: Fingerprint, _: &dyn Fn(&str, &str) -> bool) -> bool {
        false
    }

    fn remembers(&self) -> bool {
        false
    }
}

/// The theme: templates by name and assets by path, built-in first, then the
/// knowledge base's overrides.
pub struct Theme {
    templates: BTreeMap<String, (String, PathBuf)>,
    assets: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    pub fn load(root: &Path) -> Result<Theme, Vec<Diagnostic>> {
        let mut templates: BTreeMap<String, (String, PathBuf)> = theme::TEMPLATES
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    (
                        text.to_string(),
                        PathBuf::from(format!("(built-in)/{name}")),
                    ),
                )
            })
            .collect();
        let mut assets: BTreeMap<String, Vec<u8>> = theme::ASSETS
            .iter()
            .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
            .collect();
        let dir = root.join("templates");
        // Links are followed as for content/ (see crate::walk).
        let walked = crate::walk::walk(root, "templates", |_| false).unwrap_or_default();
        let mut problems = walked.problems;
        for path in walked.files {
            let name = path
                .strip_prefix(&dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let file = crate::walk::relative(root, &path);
            let cannot_read = |error: std::io::Error| {
                Diagnostic::error_at_path(&file, format!("cannot read: {error}"))
                    .with_hint("check the file's permissions; templates are UTF-8 text")
            };
            match name.strip_prefix("assets/") {
                Some(asset) => match std::fs::read(&path) {
                    Ok(bytes) => {
                        assets.insert(asset.to_owned(), bytes);
                    }
                    Err(error) => problems.push(cannot_read(error)),
                },
                None => match std::fs::read_to_string(&path) {
                    Ok(text) => {
                        templates.insert(name, (text, file));
                    }
                    Err(error) => problems.push(cannot_read(error)),
                },
            }
        }
        problems.extend(unused_templates(root, &templates));
        if problems.is_empty() {
            Ok(Theme { templates, assets })
        } else {
            Err(problems)
        }
    }

    pub fn assets(&self) -> impl Iterator<Item = (&String, &Vec<u8>)> {
        self.assets.iter()
    }
}

/// Every file of the built-in theme as `theme eject` writes it below
/// `templates/`: (path, bytes), templates then assets.
pub fn builtin_files() -> impl Iterator<Item = (String, &'static [u8])> {
    let templates = theme::TEMPLATES
        .iter()
        .map(|(name, text)| (name.to_string(), text.as_bytes()));
    let assets = theme::ASSETS
        .iter()
        .map(|(name, bytes)| (format!("assets/{name}"), *bytes));
    templates.chain(assets)
}

/// A knowledge base's template that replaces no built-in one and that no
/// other template includes, extends or imports is a mistake: most likely a
/// misspelt override (`verison.html`), which would otherwise be ignored.
/// A file that a template's symbolic link points at is that template.
fn unused_templates(
    root: &Path,
    templates: &BTreeMap<String, (String, PathBuf)>,
) -> Vec<Diagnostic> {
    let builtin: Vec<&str> = theme::TEMPLATES.iter().map(|(name, _)| *name).collect();
    let real = |file: &Path| std::fs::canonicalize(root.join(file)).ok();
    let overrides: Vec<PathBuf> = templates
        .iter()
        .filter(|(name, _)| builtin.contains(&name.as_str()))
        .filter_map(|(_, (_, file))| real(file))
        .collect();
    let used = |name: &str, file: &Path| {
        real(file).is_some_and(|path| overrides.contains(&path))
            || templates.iter().any(|(other, (text, _))| {
                other != name
                    && (text.contains(&format!("\"{name}\""))
                        || text.contains(&format!("'{name}'")))
            })
    };
    templates
        .iter()
        .filter(|(name, (_, file))| !builtin.contains(&name.as_str()) && !used(name, file))
        .map(|(name, (_, file))| {
            Diagnostic::error(
                Span::file_start(file),
                format!("`{name}` is no built-in template, and no template uses it"),
            )
            .with_hint(format!(
                "an override takes the name of the template it replaces; {} (docs/templates.md); \
                 a template of your own must be included by another",
                crate::diag::suggest(name, "built-in templates", &builtin)
            ))
        })
        .collect()
}

/// What every page's file depends on beside its own values: the templates,
/// the site's messages and how links are written, hashed.
fn shared_inputs(theme: &Theme, links: &Links, messages: &Messages) -> Fingerprint {
    let mut parts: Vec<&[u8]> = Vec::new();
    let settings = links.settings().map(u8::from);
    parts.push(&settings);
    for (name, (text, _)) in &theme.templates {
        parts.extend([name.as_bytes(), text.as_bytes()]);
    }
    parts.push(messages.language().as_bytes());
    let patterns = messages.patterns();
    for (key, pattern) in &patterns {
        parts.extend([key.as_bytes(), pattern.as_bytes()]);
    }
    crate::plan::fingerprint(&parts)
}

fn page_path(state: &State) -> String {
    state
        .get::<String>("page_path")
        .ok()
        .flatten()
        .unwrap_or_default()
}

fn engine(
    theme: &Theme,
    links: Arc<Links>,
    messages: Arc<Messages>,
) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml", ".svg"]);
    words::register(&mut tera, messages);
    let filter_links = Arc::clone(&links);
    tera.register_filter("markdown", move |text: &str, _: Kwargs, state: &State| {
        Value::safe_string(&filter_links.markdown(&page_path(state), text))
    });
    tera.register_function(
        "url",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let reference: String = kwargs.must_get("ref")?;
            let destination = format!("@{}", reference.trim_start_matches('@'));
            links
                .resolve(&page_path(state), &destination)
                .ok_or_else(|| {
                    tera::Error::message(format!(
                        "url(): `{reference}` points at nothing in this knowledge base"
                    ))
                })
        },
    );
    let sources: Vec<(&str, &str)> = theme
        .templates
        .iter()
        .map(|(name, (text, _))| (name.as_str(), text.as_str()))
        .collect();
    tera.add_raw_templates(sources)
        .map_err(|error| vec![template_problem(theme, &error)])?;
    Ok(tera)
}

/// A template error, named by the template's file (the override's path for a
/// knowledge base's own template). Tera's own report is a block of lines
/// with an excerpt of its own; ours shows the line (cut to fit around the
/// column), so the error is taken apart: its message and place from
/// Tera's typed report, and the places that included the template, as notes.
fn template_problem(theme: &Theme, error: &tera::Error) -> Diagnostic {
    let file_of = |name: &str| theme.templates.get(name).map(|(_, file)| file.clone());
    let report = match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => report,
        kind => return unplaced_template_problem(theme, kind, &error.to_string()),
    };
    let place = report.span();
    let Some(file) = file_of(report.filename()) else {
        return unplaced_template_problem(theme, error.kind(), &error.to_string());
    };
    // Tera's columns are 0-based.
    let span = Span::new(file, place.start_line, place.start_col + 1);
    let mut problem = Diagnostic::error(span, format!("template error: {}", report.message()));
    for (name, line, column) in callers(&error.to_string()) {
        if let Some(file) = file_of(name) {
            problem = problem.with_note(Span::new(file, line, column), "included from here");
        }
    }
    problem
}

/// A template error Tera gives no place in a template for (a missing
/// parent, a loop of includes): named by the template its kind names,
/// without a line. A bare message names no template in its data, so the
/// longest template name it mentions is taken.
fn unplaced_template_problem(theme: &Theme, kind: &tera::ErrorKind, report: &str) -> Diagnostic {
    let named = match kind {
        tera::ErrorKind::CircularExtend { tpl, .. }
        | tera::ErrorKind::CircularInclude { tpl, .. } => Some(tpl.as_str()),
        tera::ErrorKind::MissingParent { current, .. } => Some(current.as_str()),
        _ => theme
            .templates
            .keys()
            .filter(|name| report.contains(name.as_str()))
            .max_by_key(|name| name.len())
            .map(String::as_str),
    };
    let file = named
        .and_then(|name| theme.templates.get(name))
        .map_or_else(|| PathBuf::from("templates"), |(_, file)| file.clone());
    Diagnostic::error_at_path(file, format!("template error: {}", report.trim()))
}

/// The templates that included the one in error, innermost first. Tera
/// keeps them in its report as notes, but its `Note` type is private to
/// the crate and has no accessor, so they are read from the report's
/// text: `note: called from NAME:LINE:COL` lines. The test
/// `callers_are_read_from_a_real_tera_report` fails if Tera words them
/// otherwise.
fn callers(report: &str) -> Vec<(&str, usize, usize)> {
    report
        .lines()
        .filter_map(|line| line.strip_prefix("note: called from "))
        .filter_map(|marked| place_of(marked.trim()))
        .collect()
}

/// The template, line and column of a `name:LINE:COL` mark.
fn place_of(marked: &str) -> Option<(&str, usize, usize)> {
    let mut parts = marked.rsplitn(3, ':');
    let column = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((parts.next()?, line, column))
}

/// Renders every planned page; returns the site's files or every template error.
/// Templates parsed once, with the helpers bound to one model: renders any
/// planned page.
pub struct Renderer<'t> {
    tera: Tera,
    theme: &'t Theme,
    links: Arc<Links>,
    /// What every page's file depends on beside its own values, hashed.
    shared_inputs: Fingerprint,
}

impl<'t> Renderer<'t> {
    pub fn new(model: &Model, urls: Urls, theme: &'t Theme) -> Result<Self, Vec<Diagnostic>> {
        let links = Arc::new(Links::new(model, urls));
        Self::with_links(theme, links, Arc::clone(&model.site.messages))
    }

    /// A renderer whose `@` references resolve through `links`, made for
    /// this model (`serve` keeps them between rebuilds).
    pub fn with_links(
        theme: &'t Theme,
        links: Arc<Links>,
        messages: Arc<Messages>,
    ) -> Result<Self, Vec<Diagnostic>> {
        let shared_inputs = shared_inputs(theme, &links, &messages);
        let tera = engine(theme, Arc::clone(&links), messages)?;
        Ok(Renderer {
            tera,
            theme,
            links,
            shared_inputs,
        })
    }

    /// A page, or nothing when `previous` keeps the file it made of the
    /// same inputs. A page rendered says what it was made from, for the
    /// next build, when `previous` remembers it.
    pub fn page_unless_kept(
        &self,
        page: Page,
        previous: &dyn Previous,
    ) -> Result<Option<OutputFile>, Diagnostic> {
        if !previous.remembers() {
            return self.page(page).map(Some);
        }
        let own = page.fingerprint().to_le_bytes();
        let fingerprint = crate::plan::fingerprint(&[&self.shared_inputs.to_le_bytes(), &own]);
        let leads = |reference: &str, target: &str| self.links.target(reference) == Some(target);
        if previous.keeps(&page.path, fingerprint, &leads) {
            return Ok(None);
        }
        let (file, references) = Links::recording(|| self.page(page));
        let mut file = file?;
        file.made_from = Some(MadeFrom {
            fingerprint,
            references,
        });
        Ok(Some(file))
    }

    pub fn page(&self, page: Page) -> Result<OutputFile, Diagnostic> {
        let context = match page.context {
            crate::plan::Context::Json(bytes) => return Ok(OutputFile::data(page.path, bytes)),
            crate::plan::Context::Template(view) => view.context(),
        };
        let html = self
            .tera
            .render(page.template, &context)
            .map_err(|e| template_problem(self.theme, &e))?;
        // Only HTML is squeezed: in XML and text the template's lines are
        // what the file says.
        let bytes = if page.path.ends_with(".html") {
            squeeze(&html).into_bytes()
        } else {
            html.into_bytes()
        };
        Ok(OutputFile::data(page.path, bytes))
    }
}

impl Renderer<'_> {
    /// A data file, finished: the HTML it carries rendered through the
    /// theme (the finder's issues) and written after its bytes.
    pub fn data_file(&self, file: DataFile) -> Result<OutputFile, Diagnostic> {
        let mut bytes = file.bytes;
        if let Some(fragments) = file.fragments {
            bytes.extend(self.fragments(&fragments)?.into_bytes());
        }
        Ok(OutputFile::data(file.path, bytes))
    }

    /// `before[...];`: each fragment rendered and squeezed as a page is,
    /// as a single-quoted JavaScript string.
    fn fragments(&self, fragments: &Fragments) -> Result<String, Diagnostic> {
        let html = (fragments.contexts.par_iter())
            .map(|context| {
                let html = (self.tera)
                    .render(fragments.template, context)
                    .map_err(|e| template_problem(self.theme, &e))?;
                Ok(squeeze(&html))
            })
            .collect::<Result<Vec<String>, Diagnostic>>()?;
        // Single-quoted: the fragments' attributes quote with `"`.
        let strings: Vec<String> = html.iter().map(|h| crate::plan::single_quoted(h)).collect();
        Ok(format!("{}[{}];\n", fragments.before, strings.join(",")))
    }
}

/// Drops blank lines and the indentation of lines outside `<pre>` and
/// `<textarea>`: browsers ignore both, and on a large site they are megabytes
/// that every reader downloads.
fn squeeze(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut preformatted: usize = 0;
    for line in html.split_inclusive('\n') {
        let kept = if preformatted > 0 {
            line
        } else {
            line.trim_start_matches([' ', '\t'])
        };
        if preformatted == 0 && kept.trim().is_empty() {
            continue;
        }
        out.push_str(kept);
        let (opened, closed) = preformatting_tags(line);
        preformatted = (preformatted + opened).saturating_sub(closed);
    }
    out
}

/// How many `<pre>` and `<textarea>` tags `line` opens and closes (case
/// aside; a tag name ends at `>` or whitespace, so `<prefix>` is no
/// `<pre>`). One pass over the places of `<`: most lines have one or two.
fn preformatting_tags(line: &str) -> (usize, usize) {
    let bytes = line.as_bytes();
    let (mut opened, mut closed) = (0, 0);
    for (at, _) in line.match_indices('<') {
        let after = &bytes[at + 1..];
        let (closing, name) = match after.split_first() {
            Some((b'/', name)) => (true, name),
            _ => (false, after),
        };
        if ["pre", "textarea"].iter().any(|tag| names(name, tag)) {
            if closing {
                closed += 1;
            } else {
                opened += 1;
            }
        }
    }
    (opened, closed)
}

/// Whether a tag's text starts with the name `tag`, whole.
fn names(text: &[u8], tag: &str) -> bool {
    text.get(..tag.len())
        .is_some_and(|name| name.eq_ignore_ascii_case(tag.as_bytes()))
        && text
            .get(tag.len())
            .is_some_and(|b| *b == b'>' || b.is_ascii_whitespace())
}

/// What [`render`] delivered.
pub struct Delivered {
    /// The site's files, those kept from the previous build included.
    pub files: usize,
    /// The pages kept from the previous build, not rendered again.
    pub kept: usize,
    /// Warnings made on the way (a search index past its size).
    pub warnings: Vec<Diagnostic>,
}

/// Renders every planned page in parallel and hands each file of the site
/// (pages, then data files and assets) to `deliver` as soon as it is
/// ready, so that a build writes while it renders and never holds the
/// whole site; a page whose file `previous` keeps is not rendered. Returns
/// what was delivered, or every template error and every problem `deliver`
/// reported.
pub fn render(
    model: &Model,
    plan: Plan,
    theme: &Theme,
    previous: &dyn Previous,
    deliver: impl Fn(OutputFile) -> Result<(), Diagnostic> + Sync,
) -> Result<Delivered, Vec<Diagnostic>> {
    let renderer = Renderer::new(model, plan.planner.urls, theme)?;
    let kept = std::sync::atomic::AtomicUsize::new(0);
    let mut problems: Vec<Diagnostic> = plan
        .pages
        .par_iter()
        .filter_map(|id| {
            let page = plan
                .planner
                .page_of(*id)
                .expect("every listed page can be planned");
            match renderer.page_unless_kept(page, previous) {
                Ok(Some(file)) => deliver(file).err(),
                Ok(None) => {
                    kept.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    None
                }
                Err(problem) => Some(problem),
            }
        })
        .collect();
    let mut crawler_files = Vec::new();
    // Kept pages are the site's files too.
    let mut delivered = plan.pages.len();
    for page in plan.planner.crawler_pages(&plan.pages) {
        match renderer.page_unless_kept(page, previous) {
            Ok(Some(file)) => crawler_files.push(file),
            Ok(None) => delivered += 1,
            Err(problem) => problems.push(problem),
        }
    }
    let mut deliver_one = |file: OutputFile| {
        delivered += 1;
        if let Err(problem) = deliver(file) {
            problems.push(problem);
        }
    };
    let mut unrendered = Vec::new();
    let (failed, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = plan
        .planner
        .each_file(&mut |file| match renderer.data_file(file) {
            Ok(file) => deliver_one(file),
            Err(problem) => unrendered.push(problem),
        })
        .into_iter()
        .partition(Diagnostic::is_error);
    crawler_files.into_iter().for_each(&mut deliver_one);
    for (name, bytes) in theme.assets() {
        deliver_one(OutputFile::data(format!("assets/{name}"), bytes.clone()));
    }
    problems.extend(failed);
    problems.extend(unrendered);
    if problems.is_empty() {
        return Ok(Delivered {
            files: delivered,
            kept: kept.into_inner(),
            warnings,
        });
    }
    // One problem repeated by many pages (a broken partial, a full disk) is
    // reported once.
    let mut distinct: Vec<Diagnostic> = Vec::new();
    for problem in problems {
        if !distinct.contains(&problem) {
            distinct.push(problem);
        }
    }
    Err(distinct)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squeezing_keeps_preformatted_text() {
        let html = "<ul>\n  <li>a</li>\n\n  <li>b</li>\n</ul>\n<pre><code>  x\n\n    y\n</code></pre>\n  <p>z</p>\n";
        assert_eq!(
            squeeze(html),
            "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<pre><code>  x\n\n    y\n</code></pre>\n<p>z</p>\n"
        );
        assert_eq!(
            squeeze("<PRE class=x>\n  a\n</PRE>\n  b"),
            "<PRE class=x>\n  a\n</PRE>\nb"
        );
        assert_eq!(squeeze("<prefix>\n  a"), "<prefix>\na");
        assert_eq!(
            squeeze("<textarea>\n  a\n\n</TEXTAREA>\n  <pre>x</pre> <pre\n  y\n</pre>\n  z"),
            "<textarea>\n  a\n\n</TEXTAREA>\n<pre>x</pre> <pre\n  y\n</pre>\nz"
        );
        assert_eq!(squeeze("</prefix>\n  a"), "</prefix>\na");
    }

    #[test]
    fn callers_are_read_from_teras_notes() {
        let report = "error: x\n --> partials/issue.html:2:5\n  |\n\n\
                      note: called from version.html:64:85\n   |\n\n\
                      note: called from base.html:3:14\n";
        assert_eq!(
            callers(report),
            vec![("version.html", 64, 85), ("base.html", 3, 14)]
        );
        assert_eq!(callers("error: no notes"), vec![]);
        assert_eq!(place_of("a:b:c"), None);
    }

    /// Tera's notes are read from its words (see [`callers`]): this fails
    /// when a Tera release words or places them otherwise.
    #[test]
    fn callers_are_read_from_a_real_tera_report() {
        let mut tera = Tera::new();
        tera.add_raw_templates([
            ("page.html", "<p>\n  {% include \"part.html\" %}</p>"),
            ("part.html", "{{ nothing.here }}"),
        ])
        .expect("both templates parse");
        let error = tera
            .render("page.html", &tera::Context::new())
            .expect_err("the partial reads an undefined value");
        let tera::ErrorKind::RenderingError(report) = error.kind() else {
            panic!("a rendering error with a report: {error:?}");
        };
        assert_eq!(report.filename(), "part.html");
        assert_eq!(callers(&error.to_string()), vec![("page.html", 2, 14)]);
    }

    /// An error with no place in a template names the template its kind
    /// names, with no made-up line.
    #[test]
    fn a_missing_parent_names_its_child_without_a_line() {
        let theme = Theme {
            templates: [(
                "child.html".to_owned(),
                (String::new(), PathBuf::from("templates/child.html")),
            )]
            .into(),
            assets: BTreeMap::new(),
        };
        let kind = tera::ErrorKind::MissingParent {
            current: "child.html".into(),
            parent: "gone.html".into(),
        };
        let problem = unplaced_template_problem(&theme, &kind, "inherits from gone.html");
        assert_eq!(problem.span, None);
        assert!(
            problem
                .to_string()
                .starts_with("templates/child.html: error: template error:"),
            "{problem}"
        );
    }
}
