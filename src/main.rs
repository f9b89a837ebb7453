//! The `upgrade-atlas` command line: a thin layer over the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use upgrade_atlas::commands::{self, Outcome};
use upgrade_atlas::diag::{is_printable, printable, printable_lines, suggest};
use upgrade_atlas::graph::{Answer, Edges, Origin, UpgradeGraph};
use upgrade_atlas::lifecycle::{self, Date};
use upgrade_atlas::model::{Facts, Model, NodeId};
use upgrade_atlas::plan::PlanOptions;
use upgrade_atlas::serve::ServeOptions;
use upgrade_atlas::terminal::{self, ColourChoice, ProgressLine, Verbosity};
use upgrade_atlas::write::WhenBusy;
use upgrade_atlas::{BuildObserver, Checked, Failure, build_observed, check, resolve, selector};

// A build allocates and frees millions of small strings, on every core;
// the system allocator took about 40% of a build's CPU time for them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "upgrade-atlas",
    version,
    about = "Static sites for upgrade knowledge bases"
)]
struct Cli {
    /// The folder that holds content/ (and, optionally, templates/).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    /// Say only what went wrong: no summary, no progress line.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also say what each stage did and how long it took.
    #[arg(long, short, global = true)]
    verbose: bool,
    /// Colour the problems: on a terminal only (auto, and never when
    /// NO_COLOR is set), always, or never.
    #[arg(long, global = true, value_enum, default_value_t = Colour::Auto)]
    color: Colour,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Colour {
    Auto,
    Always,
    Never,
}

/// How a run speaks: colours and verbosity, decided once.
#[derive(Clone, Copy)]
struct Manners {
    colour: bool,
    verbosity: Verbosity,
}

#[derive(Subcommand)]
enum Command {
    /// Check the knowledge base and report every problem.
    Check,
    /// Print the supported upgrade path between two versions.
    Path {
        /// Where you are, e.g. backoffice-server@2.5
        from: String,
        /// Where you want to be, e.g. windows-xp-server (not with --to-supported)
        to: Option<String>,
        /// Instead of TO: the nearest version in support on --on DATE.
        #[arg(long)]
        to_supported: bool,
        /// The day support is judged on, YYYY-MM-DD (default: `today` in
        /// site.yaml, else today's date).
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        /// A condition that holds (repeatable), as declared in site.yaml.
        #[arg(long = "if", value_name = "CONDITION")]
        conditions: Vec<String>,
        /// The version the server was first installed as, when not FROM
        /// (for issues that apply only to servers that began as it).
        #[arg(long, value_name = "VERSION")]
        originally: Option<String>,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Build the site in memory, serve it, and rebuild and reload on every change.
    Serve {
        /// The port to listen on (0: any free port).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on. Any but loopback lets other machines see
        /// the preview, so serve warns (docs/security.md).
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
    },
    /// Check, then build the site.
    Build {
        /// Where to write the site (default: ROOT/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// The address the site will be published at, for sitemap.xml and
        /// canonical links (overrides base_url in site.yaml).
        #[arg(long)]
        base_url: Option<String>,
        /// Fail at once, instead of waiting, when another build into the
        /// same output is running.
        #[arg(long)]
        no_wait: bool,
    },
    /// Start a knowledge base in DIR (default: the --root folder), which
    /// must be empty or missing: site.yaml, two products, a scenario, all
    /// commented, and a .gitignore.
    Init {
        /// Where to start it.
        dir: Option<PathBuf>,
    },
    /// Write a new product or scenario file, fields filled in and commented.
    #[command(subcommand)]
    New(New),
    /// Work with the templates of the site.
    #[command(subcommand)]
    Theme(Theme),
    /// Print the upgrade graph or the matrix for another tool.
    #[command(subcommand)]
    Export(Export),
    /// Print a completion script for a shell, e.g.
    /// `upgrade-atlas completions bash > ~/.local/share/bash-completion/completions/upgrade-atlas`.
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
}

#[derive(Subcommand)]
enum New {
    /// content/products/ID.yaml, with one version to rename.
    Product {
        /// The product's id: lower-case letters, digits and dashes.
        id: String,
    },
    /// content/scenarios/FROM-PRODUCT/FROM-to-TO.yaml for an upgrade.
    Scenario {
        /// Where the upgrade starts, e.g. backoffice-server@4.5
        from: String,
        /// Where it ends, e.g. windows-xp-server
        to: String,
    },
}

#[derive(Subcommand)]
enum Theme {
    /// Copy built-in templates into templates/ to edit them (all of them
    /// when none is named). Refuses to overwrite a file.
    Eject {
        /// Template names, e.g. version.html partials/issue.html
        templates: Vec<String>,
    },
}

#[derive(Subcommand)]
enum Export {
    /// The upgrade graph under no conditions: versions and their edges.
    Graph {
        #[arg(long, value_enum, default_value_t = commands::export::GraphFormat::Dot)]
        format: commands::export::GraphFormat,
    },
    /// The upgrade matrix: one row a source version, one column a target,
    /// each cell the hops of the shortest path (empty when none).
    Matrix {
        #[arg(long, value_enum, default_value_t = commands::export::MatrixFormat::Csv)]
        format: commands::export::MatrixFormat,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root;
    let manners = Manners {
        colour: terminal::colour_for_stderr(match cli.color {
            Colour::Auto => ColourChoice::Auto,
            Colour::Always => ColourChoice::Always,
            Colour::Never => ColourChoice::Never,
        }),
        verbosity: match (cli.quiet, cli.verbose) {
            (true, _) => Verbosity::Quiet,
            (_, true) => Verbosity::Verbose,
            _ => Verbosity::Normal,
        },
    };
    let needs_knowledge_base = matches!(
        cli.command,
        Command::Check
            | Command::Path { .. }
            | Command::Build { .. }
            | Command::New(_)
            | Command::Export(_)
    );
    if needs_knowledge_base && let Err(message) = commands::knowledge_base_at(&root) {
        let code = if matches!(cli.command, Command::Path { .. }) {
            2
        } else {
            1
        };
        return fail(&message, manners, code);
    }
    match cli.command {
        Command::Check => run_check(&root, manners),
        Command::Path {
            from,
            to,
            to_supported,
            on,
            conditions,
            originally,
            json,
        } => {
            let to = match (to, to_supported) {
                (Some(to), false) => Destination::Version(to),
                (None, true) => Destination::Supported,
                (Some(_), true) => {
                    eprintln!("error: give TO or --to-supported, not both");
                    return ExitCode::from(2);
                }
                (None, false) => {
                    eprintln!("error: `path` needs FROM and TO, or FROM and --to-supported");
                    return ExitCode::from(2);
                }
            };
            run_path(
                &root,
                &Question {
                    from,
                    to,
                    on,
                    conditions,
                    originally,
                },
                json,
                manners,
            )
        }
        Command::Build {
            output,
            base_url,
            no_wait,
        } => {
            let when_busy = if no_wait {
                WhenBusy::GiveUp
            } else {
                WhenBusy::Wait
            };
            run_build(&root, output, base_url, when_busy, manners)
        }
        Command::Serve { port, bind, open } => {
            run_serve(&root, ServeOptions { bind, port, open }, manners)
        }
        Command::Init { dir } => outcome(commands::init::init(&dir.unwrap_or(root)), manners),
        Command::New(New::Product { id }) => outcome(commands::new::product(&root, &id), manners),
        Command::New(New::Scenario { from, to }) => {
            outcome(commands::new::scenario(&root, &from, &to), manners)
        }
        Command::Theme(Theme::Eject { templates }) => {
            outcome(commands::eject::eject(&root, &templates), manners)
        }
        Command::Export(Export::Graph { format }) => {
            exported(commands::export::graph(&root, format), manners)
        }
        Command::Export(Export::Matrix { format }) => {
            exported(commands::export::matrix(&root, format), manners)
        }
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "upgrade-atlas",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
    }
}

/// An error that names no file: `error: message`, exiting with `code`.
fn fail(message: &str, manners: Manners, code: u8) -> ExitCode {
    eprintln!(
        "{}: {}",
        terminal::error_label(manners.colour),
        printable_lines(message)
    );
    ExitCode::from(code)
}

/// What init, new and eject did: their summary (unless quiet), or their error.
fn outcome(result: Result<Outcome, String>, manners: Manners) -> ExitCode {
    match result {
        Ok(done) => {
            if manners.verbosity > Verbosity::Quiet {
                println!("{}", printable_lines(&done.summary));
            }
            ExitCode::SUCCESS
        }
        Err(message) => fail(&message, manners, 1),
    }
}

/// Export's output on stdout, or the knowledge base's problems.
fn exported(result: Result<String, Failure>, manners: Manners) -> ExitCode {
    match result {
        Ok(text) => {
            print!("{}", printable_lines(&text));
            ExitCode::SUCCESS
        }
        Err(failure) => report(&failure, manners),
    }
}

/// Checks the knowledge base, printing its problems (and exiting 1) or its warnings.
fn checked(root: &Path, manners: Manners) -> Result<Checked, ExitCode> {
    let checked = check(root).map_err(|failure| report(&failure, manners))?;
    print_warnings(&checked, manners);
    Ok(checked)
}

fn print_warnings(checked: &Checked, manners: Manners) {
    for warning in &checked.warnings {
        eprintln!(
            "{}",
            painted(&warning.render(&checked.model.sources), manners)
        );
    }
}

fn painted(rendered: &str, manners: Manners) -> String {
    if manners.colour {
        terminal::paint_diagnostic(rendered)
    } else {
        rendered.to_owned()
    }
}

fn run_check(root: &Path, manners: Manners) -> ExitCode {
    let model = match checked(root, manners) {
        Ok(checked) => checked.model,
        Err(code) => return code,
    };
    // What check accepts, build builds: the templates too.
    if let Err(diagnostics) = upgrade_atlas::render::Theme::load(root) {
        return report(
            &Failure {
                diagnostics,
                sources: model.sources,
            },
            manners,
        );
    }
    if manners.verbosity == Verbosity::Quiet {
        return ExitCode::SUCCESS;
    }
    println!(
        "{}: {} products, {} versions, {} components, {} scenarios",
        terminal::paint_success(
            "ok",
            manners.colour && std::io::IsTerminal::is_terminal(&std::io::stdout())
        ),
        model.products.len(),
        model.nodes.len(),
        model.components.len(),
        model.scenarios.len()
    );
    ExitCode::SUCCESS
}

/// What `path` is asked, as written on the command line.
struct Question {
    from: String,
    to: Destination,
    /// The day support is judged on, as written.
    on: Option<String>,
    conditions: Vec<String>,
    originally: Option<String>,
}

/// Where `path` should lead.
enum Destination {
    Version(String),
    /// The nearest version in support on the question's day.
    Supported,
}

/// `path` exits 0 with a path, 1 when there is none, 2 on errors.
fn run_path(root: &Path, question: &Question, json: bool, manners: Manners) -> ExitCode {
    let model = match check(root) {
        Ok(checked) => {
            print_warnings(&checked, manners);
            checked.model
        }
        Err(failure) => {
            report(&failure, manners);
            return ExitCode::from(2);
        }
    };
    match path(&model, question, json) {
        Ok((text, found)) => {
            // Names and titles come from the knowledge base: escaped, so
            // that printing them cannot drive the terminal.
            println!("{}", printable_lines(&text));
            if found {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(message) => fail(&printable(&message), manners, 2),
    }
}

fn run_serve(root: &Path, options: ServeOptions, manners: Manners) -> ExitCode {
    match upgrade_atlas::serve::serve(root, &options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(&printable(&message), manners, 1),
    }
}

/// A build's progress line on a terminal and, with `--verbose`, its stages.
struct BuildReport {
    progress: ProgressLine,
    verbose: bool,
}

impl BuildObserver for BuildReport {
    fn stage(&self, what: &str, took: std::time::Duration) {
        if self.verbose {
            self.progress.clear();
            eprintln!("{what} in {} ms", took.as_millis());
        }
    }

    fn written(&self, done: usize, total: usize) {
        self.progress.update(done, total);
    }
}

fn run_build(
    root: &Path,
    output: Option<PathBuf>,
    base_url: Option<String>,
    when_busy: WhenBusy,
    manners: Manners,
) -> ExitCode {
    let output = output.unwrap_or_else(|| root.join("public"));
    let base_url = match base_url.as_deref().map(resolve::normalized_base_url) {
        None => None,
        Some(Ok(url)) => Some(url),
        Some(Err(problem)) => {
            let message = format!(
                "--base-url {}; write it in full, e.g. https://kb.example.com/",
                printable(&problem)
            );
            return fail(&message, manners, 1);
        }
    };
    let observer = BuildReport {
        progress: ProgressLine::new(
            manners.verbosity > Verbosity::Quiet
                && std::io::IsTerminal::is_terminal(&std::io::stderr()),
        ),
        verbose: manners.verbosity == Verbosity::Verbose,
    };
    let started = std::time::Instant::now();
    let built = build_observed(
        root,
        &output,
        &PlanOptions {
            base_url,
            ..PlanOptions::default()
        },
        when_busy,
        &observer,
    );
    observer.progress.clear();
    match built {
        Ok(built) => {
            for warning in &built.warnings {
                eprintln!("{}", painted(&warning.to_string(), manners));
            }
            if manners.verbosity == Verbosity::Quiet {
                return ExitCode::SUCCESS;
            }
            println!(
                "built {} pages ({} files) into {} in {} ms",
                built.pages,
                built.files,
                built.output.display(),
                started.elapsed().as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(failure) => report(&failure, manners),
    }
}

fn report(failure: &Failure, manners: Manners) -> ExitCode {
    for diagnostic in &failure.diagnostics {
        eprintln!(
            "{}\n",
            painted(&diagnostic.render(&failure.sources), manners)
        );
    }
    let errors = failure.diagnostics.iter().filter(|d| d.is_error()).count();
    eprintln!("{errors} error{} found", if errors == 1 { "" } else { "s" });
    ExitCode::FAILURE
}

/// JSON with the characters serde_json leaves as they are but a terminal
/// acts on (DEL, C1 controls, bidirectional overrides) written as `\uXXXX`
/// escapes: the same JSON, safe to print. They can only be inside strings.
fn json_for_terminal(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if is_printable(c) {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        }
    }
    out
}

fn facts(model: &Model, names: &[String]) -> Result<Facts, String> {
    let mut facts = Facts::none();
    for name in names {
        match model.condition_index(name) {
            Some(id) => {
                facts.0.insert(id);
            }
            None => {
                let known: Vec<&str> = model
                    .site
                    .conditions
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect();
                return Err(if known.is_empty() {
                    format!("unknown condition `{name}`: this knowledge base declares none")
                } else {
                    format!(
                        "unknown condition `{name}`; {}",
                        suggest(name, "declared conditions", &known)
                    )
                });
            }
        }
    }
    Ok(facts)
}

/// The answer to `path`, as text or JSON, and whether a path exists.
fn path(model: &Model, question: &Question, json: bool) -> Result<(String, bool), String> {
    let from = selector::select_one(model, &question.from)?;
    let originally = match &question.originally {
        Some(selector) => selector::select_one(model, selector)?,
        None => from,
    };
    let on = support_day(model, question.on.as_deref())?;
    let facts = facts(model, &question.conditions)?;
    let graph = UpgradeGraph::new(model);
    let edges = graph.edges(&facts);
    let (to, route) = match &question.to {
        Destination::Version(to) => {
            let to = selector::select_one(model, to)?;
            (Some(to), edges.path(from, to))
        }
        Destination::Supported => {
            let route = lifecycle::route_to_supported(&edges, from, on);
            (route.as_ref().and_then(|r| r.last().copied()), route)
        }
    };
    let answer = route.map(|p| edges.answer(&p, originally));
    let found = answer.is_some();
    if json {
        let issues: Vec<_> = answer
            .iter()
            .flat_map(|a| &a.issues)
            .map(|found| upgrade_atlas::plan::api::path_issue(model, found))
            .collect();
        let mut value = serde_json::json!({
            "from": model.node_ref(from),
            "to": to.map(|to| model.node_ref(to)),
            "if": question.conditions,
            "originally": model.node_ref(originally),
            "path": answer.as_ref().map(|a| a.path.iter().map(|n| model.node_ref(*n)).collect::<Vec<_>>()),
            "issues": issues,
        });
        let ends = [Some(from), to].into_iter().flatten();
        if matches!(question.to, Destination::Supported)
            || ends.clone().any(|n| states_support(model, n))
        {
            value["support"] = support_json(model, from, to, on);
        }
        return Ok((json_for_terminal(&value.to_string()), found));
    }
    let mut text = match to {
        Some(to) if to == from && matches!(question.to, Destination::Supported) => format!(
            "{} is in support on {on}: nothing to upgrade.",
            model.node_title(from)
        ),
        Some(to) => describe(model, &edges, from, to, originally, answer.as_ref()),
        None => format!(
            "No version that {} can reach is in support on {on}.",
            model.node_title(from)
        ),
    };
    if let Some(support) = support_text(model, from, to, on) {
        // After the first line, which names the ends.
        let at = text.find('\n').unwrap_or(text.len());
        text.insert_str(at, &format!("\n{support}"));
    }
    Ok((text, found))
}

/// The day support is judged on: `--on`, else `today` in site.yaml, else today.
fn support_day(model: &Model, on: Option<&str>) -> Result<Date, String> {
    match on {
        Some(text) => Date::parse(text).ok_or_else(|| {
            format!("--on `{text}` is not a date: write a day of the calendar as YYYY-MM-DD")
        }),
        None => Ok(model.site.today.unwrap_or_else(Date::today_utc)),
    }
}

fn states_support(model: &Model, node: NodeId) -> bool {
    model.version(node).lifecycle.is_stated()
}

fn status_of(model: &Model, node: NodeId, on: Date) -> String {
    let labels = &model.product_of(node).phases;
    lifecycle::status_words(model.version(node).lifecycle.status(on), labels)
}

/// "Support on 2026-12-02: FROM out of support since …; TO supported until …",
/// when either end states its support.
fn support_text(model: &Model, from: NodeId, to: Option<NodeId>, on: Date) -> Option<String> {
    let ends: Vec<NodeId> = [Some(from), to].into_iter().flatten().collect();
    if !ends.iter().any(|n| states_support(model, *n)) {
        return None;
    }
    let mut ends: Vec<String> = ends
        .iter()
        .map(|n| format!("{}: {}", model.node_ref(*n), status_of(model, *n, on)))
        .collect();
    ends.dedup();
    Some(format!("Support on {on}: {}", ends.join("; ")))
}

fn support_json(model: &Model, from: NodeId, to: Option<NodeId>, on: Date) -> serde_json::Value {
    let end = |node: NodeId| {
        let lifecycle = &model.version(node).lifecycle;
        let mut map = lifecycle::json(lifecycle);
        let status = lifecycle.status(on);
        map.insert("status".into(), lifecycle::status_key(status).into());
        map.insert("statusText".into(), status_of(model, node, on).into());
        serde_json::Value::Object(map)
    };
    serde_json::json!({
        "on": on.to_string(),
        "from": end(from),
        "to": to.map(end),
    })
}

/// The human answer: hops, issues hop by hop (with where each comes
/// from), and the files behind each hop.
fn describe(
    model: &Model,
    edges: &Edges,
    from: NodeId,
    to: NodeId,
    originally: NodeId,
    answer: Option<&Answer>,
) -> String {
    let (a, b) = (model.node_title(from), model.node_title(to));
    let mut given = Vec::new();
    if !edges.facts.0.is_empty() {
        let names: Vec<&str> = edges
            .facts
            .0
            .iter()
            .map(|c| model.site.conditions[*c].name.as_str())
            .collect();
        given.push(format!("if {}", names.join(" and ")));
    }
    if originally != from {
        given.push(format!("originally {}", model.node_ref(originally)));
    }
    let given = if given.is_empty() {
        String::new()
    } else {
        format!(" ({})", given.join(", "))
    };
    // Scenarios that say the direct upgrade is not supported explain the detour.
    let refusals: String = edges
        .refusals(from, to)
        .into_iter()
        .map(|s| {
            let s = &model.scenarios[s];
            format!(
                "\nNot supported directly, says {}: {}",
                s.file.display(),
                s.title
            )
        })
        .collect();
    let Some(answer) = answer else {
        return format!("No supported upgrade path from {a} to {b}{given}.{refusals}");
    };
    if answer.hops.is_empty() {
        return format!("{a} is already {b}: nothing to upgrade.");
    }
    let count = answer.hops.len();
    let mut out = format!(
        "{a} -> {b}{given}: {count} hop{}\n\n  {}\n",
        if count == 1 { "" } else { "s" },
        answer
            .path
            .iter()
            .map(|n| model.node_ref(*n))
            .collect::<Vec<_>>()
            .join(" -> ")
    );
    for (number, hop) in answer.hops.iter().enumerate() {
        out.push_str(&format!(
            "\n{}. {} -> {}\n",
            number + 1,
            model.node_ref(hop.from),
            model.node_ref(hop.to)
        ));
        for found in &hop.issues {
            let source = match found.origin {
                Origin::Scenario(s) => model.scenarios[s].file.display().to_string(),
                Origin::Version(v) => format!(
                    "{}, moving past {}",
                    model.product_of(v).file.display(),
                    model.node_ref(v)
                ),
            };
            out.push_str(&format!(
                "   [{}] {} ({source})\n",
                found.issue.severity.word(),
                found.issue.title
            ));
        }
        if hop.scenarios.is_empty() {
            out.push_str(&format!(
                "   from the upgrade rules in {}\n",
                model.product_of(hop.from).file.display()
            ));
        } else {
            let files: Vec<String> = hop
                .scenarios
                .iter()
                .map(|s| model.scenarios[*s].file.display().to_string())
                .collect();
            out.push_str(&format!("   from {}\n", files.join(", ")));
        }
    }
    out.push_str(&refusals);
    out.trim_end().to_owned()
}
