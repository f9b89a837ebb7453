//! The `upgrade-atlas` command line: a thin layer over the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use upgrade_atlas::commands::path::{self, Destination, Question};
use upgrade_atlas::commands::stack_plan::{self, PlanFormat, PlanQuestion};
use upgrade_atlas::commands::{self, Outcome};
use upgrade_atlas::diag::{Diagnostic, Sources, printable, printable_lines};
use upgrade_atlas::plan::PlanOptions;
#[cfg(feature = "serve")]
use upgrade_atlas::serve::ServeOptions;
use upgrade_atlas::terminal::{self, ColourChoice, ProgressLine, Verbosity};
use upgrade_atlas::write::WhenBusy;
use upgrade_atlas::{BuildObserver, Checked, Failure, build_observed, check, resolve};

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
    /// Plan the upgrade of a stack (format 1.2): the order in which its
    /// members move so that every state on the way keeps every requirement,
    /// as a runbook.
    Plan {
        /// One version per member, e.g. app@1 php@7.4
        #[arg(required = true, num_args = 1..)]
        from: Vec<String>,
        /// The versions to reach, one per member in the same order.
        #[arg(long, required = true, num_args = 1.., value_name = "TO")]
        to: Vec<String>,
        /// A condition that holds (repeatable), as declared in site.yaml.
        #[arg(long = "if", value_name = "CONDITION")]
        conditions: Vec<String>,
        /// With one member: the version it was first installed as.
        #[arg(long, value_name = "VERSION")]
        originally: Option<String>,
        /// Print one JSON object (the same as --format json).
        #[arg(long)]
        json: bool,
        /// text for a terminal, markdown for a change ticket, or json.
        #[arg(long, value_enum, default_value = "text")]
        format: PlanFormat,
    },
    /// Build the site in memory, serve it, and rebuild and reload on every change.
    #[cfg_attr(
        not(feature = "serve"),
        command(about = "Not built into this upgrade-atlas (built without the `serve` feature)")
    )]
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
        /// Also answer requests sent to this host name (besides localhost
        /// and IP addresses, the only ones answered otherwise, against DNS
        /// rebinding; docs/security.md). May be given several times.
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_host: Vec<String>,
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
        /// Render every page and write the whole site into a new folder
        /// swapped in at the end, even when the last build's record would
        /// let this one update the output in place.
        #[arg(long)]
        full: bool,
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
        /// How pages name it, e.g. "Proxmox VE" (default: made from the id,
        /// to check: `proxmox-ve` gives "Proxmox Ve").
        #[arg(long)]
        name: Option<String>,
    },
    /// content/scenarios/FROM-PRODUCT/FROM-to-TO.yaml for an upgrade;
    /// warns when another scenario already covers it.
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
    /// when none is named), or a translation table into content/i18n/
    /// (i18n/de.yaml). Refuses to overwrite a file.
    Eject {
        /// Template names, e.g. version.html partials/issue.html, or one
        /// table, e.g. i18n/de.yaml
        templates: Vec<String>,
    },
}

#[derive(Subcommand)]
enum Export {
    /// The upgrade graph: versions and their edges (under no conditions
    /// unless --if says which hold).
    Graph {
        #[arg(long, value_enum, default_value_t = commands::export::GraphFormat::Dot)]
        format: commands::export::GraphFormat,
        /// A condition that holds (repeatable), as declared in site.yaml.
        #[arg(long = "if", value_name = "CONDITION")]
        conditions: Vec<String>,
    },
    /// The upgrade matrix: one row a source version, one column a target,
    /// each cell the hops of the shortest path and its blocking issues,
    /// `2 (1 blocking)` (empty when there is no path).
    Matrix {
        #[arg(long, value_enum, default_value_t = commands::export::MatrixFormat::Csv)]
        format: commands::export::MatrixFormat,
        /// A condition that holds (repeatable), as declared in site.yaml.
        #[arg(long = "if", value_name = "CONDITION")]
        conditions: Vec<String>,
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
            | Command::Plan { .. }
            | Command::Build { .. }
            | Command::New(_)
            | Command::Export(_)
    );
    if needs_knowledge_base && let Err(problem) = commands::knowledge_base_at(&root) {
        let code = if matches!(cli.command, Command::Path { .. } | Command::Plan { .. }) {
            2
        } else {
            1
        };
        return refuse(&problem, manners, code);
    }
    match cli.command {
        Command::Check => run_check(&root, manners),
        Command::Plan {
            from,
            to,
            conditions,
            originally,
            json,
            format,
        } => {
            let question = PlanQuestion {
                from,
                to,
                conditions,
                originally,
            };
            let format = if json { PlanFormat::Json } else { format };
            run_plan(&root, &question, format, manners)
        }
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
            full,
        } => {
            let when_busy = if no_wait {
                WhenBusy::GiveUp
            } else {
                WhenBusy::Wait
            };
            let records = upgrade_atlas::write::default_records_place().filter(|_| !full);
            run_build(&root, output, base_url, when_busy, records, manners)
        }
        Command::Serve {
            port,
            bind,
            open,
            allow_host,
        } => run_serve(&root, (bind, port), open, allow_host, manners),
        Command::Init { dir } => {
            let dir = dir.unwrap_or(root);
            outcome(&dir, commands::init::init(&dir), manners)
        }
        Command::New(New::Product { id, name }) => outcome(
            &root,
            commands::new::product(&root, &id, name.as_deref()),
            manners,
        ),
        Command::New(New::Scenario { from, to }) => {
            outcome(&root, commands::new::scenario(&root, &from, &to), manners)
        }
        Command::Theme(Theme::Eject { templates }) => {
            outcome(&root, commands::eject::eject(&root, &templates), manners)
        }
        Command::Export(Export::Graph { format, conditions }) => {
            exported(commands::export::graph(&root, format, &conditions), manners)
        }
        Command::Export(Export::Matrix { format, conditions }) => exported(
            commands::export::matrix(&root, format, &conditions),
            manners,
        ),
        Command::Completions { shell } => {
            print!(
                "{}",
                commands::completions::script(shell, &mut Cli::command(), "upgrade-atlas")
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

/// A command's problem, as every diagnostic is shown (`error: message;
/// hint`, or `PATH: error: …`), exiting with `code`.
fn refuse(problem: &Diagnostic, manners: Manners, code: u8) -> ExitCode {
    eprintln!(
        "{}",
        terminal::show(problem, &Sources::default(), manners.colour)
    );
    ExitCode::from(code)
}

/// What init, new and eject did: their summary (unless quiet), or their error.
fn outcome(root: &Path, result: Result<Outcome, Diagnostic>, manners: Manners) -> ExitCode {
    match result {
        Ok(done) => {
            if manners.verbosity > Verbosity::Quiet {
                println!("{}", printable_lines(&done.summary));
            }
            let sources = upgrade_atlas::diag::Sources::reading_from(root);
            for warning in &done.warnings {
                eprintln!("{}", terminal::show(warning, &sources, manners.colour));
            }
            ExitCode::SUCCESS
        }
        Err(problem) => refuse(&problem, manners, 1),
    }
}

/// Export's output on stdout, or why there is none: `export` exits 1 when the knowledge base has errors, 2 for a `--if`
/// that names no condition (as `path` does).
fn exported(result: Result<String, commands::export::Refusal>, manners: Manners) -> ExitCode {
    match result {
        Ok(text) => {
            print!("{}", printable_lines(&text));
            ExitCode::SUCCESS
        }
        Err(commands::export::Refusal::Invalid(failure)) => report(&failure, manners),
        Err(commands::export::Refusal::UnknownCondition(problem)) => refuse(&problem, manners, 2),
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
            terminal::show(warning, &checked.model.sources, manners.colour)
        );
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
    if manners.verbosity != Verbosity::Quiet {
        println!(
            "{}: {}, {}, {}, {}",
            terminal::paint_success(
                "ok",
                manners.colour && std::io::IsTerminal::is_terminal(&std::io::stdout())
            ),
            terminal::counted(model.products.len(), "product"),
            terminal::counted(model.nodes.len(), "version"),
            terminal::counted(model.components.len(), "component"),
            terminal::counted(model.scenarios.len(), "scenario")
        );
    }
    // The process ends here: freeing the model value by value took 30 ms
    // of a 600 ms check at 10,000 scenarios, on one thread, for nothing.
    std::mem::forget(model);
    ExitCode::SUCCESS
}

/// `path` exits 0 with a path, 1 when there is none, 2 on errors.
fn run_path(root: &Path, question: &Question, json: bool, manners: Manners) -> ExitCode {
    answer_question(root, manners, |model| path::answer(model, question, json))
}

/// `plan` exits 0 with a plan, 1 when there is none, 2 on errors.
fn run_plan(
    root: &Path,
    question: &PlanQuestion,
    format: PlanFormat,
    manners: Manners,
) -> ExitCode {
    answer_question(root, manners, |model| {
        stack_plan::answer(model, question, format)
    })
}

/// Checks the knowledge base, then prints what `answer` says of it: exit 0
/// when it found an answer, 1 when there is none, 2 on errors.
fn answer_question(
    root: &Path,
    manners: Manners,
    answer: impl FnOnce(&upgrade_atlas::model::Model) -> Result<(String, bool), Diagnostic>,
) -> ExitCode {
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
    match answer(&model) {
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
        Err(problem) => refuse(&problem, manners, 2),
    }
}

#[cfg(feature = "serve")]
fn run_serve(
    root: &Path,
    (bind, port): (String, u16),
    open: bool,
    allowed_hosts: Vec<String>,
    manners: Manners,
) -> ExitCode {
    let options = ServeOptions {
        bind,
        port,
        open,
        allowed_hosts,
    };
    match upgrade_atlas::serve::serve(root, &options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error.to_string(), manners, 1),
    }
}

/// Without the `serve` feature the command stays, so that scripts and
/// completions see the same commands, and says why it cannot run.
#[cfg(not(feature = "serve"))]
fn run_serve(
    _root: &Path,
    _address: (String, u16),
    _open: bool,
    _allowed_hosts: Vec<String>,
    manners: Manners,
) -> ExitCode {
    fail(
        "serve is not built into this upgrade-atlas: it was compiled without the `serve` feature (`--no-default-features`); `build` and open public/index.html instead, or install with the default features",
        manners,
        1,
    )
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
    records: Option<PathBuf>,
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
        records.as_deref(),
        &observer,
    );
    observer.progress.clear();
    match built {
        Ok(built) => {
            // With their lines and carets, as `check` shows them.
            for warning in &built.warnings {
                eprintln!(
                    "{}",
                    terminal::show(warning, &built.sources, manners.colour)
                );
            }
            if manners.verbosity == Verbosity::Quiet {
                return ExitCode::SUCCESS;
            }
            println!(
                "built {} pages ({} files) into {} in {} ms{}",
                built.pages,
                built.files,
                built.output.display(),
                started.elapsed().as_millis(),
                how_written(&built)
            );
            ExitCode::SUCCESS
        }
        Err(failure) => report(&failure, manners),
    }
}

/// What a rebuild kept and changed, after the build's line; nothing for a
/// site written whole.
fn how_written(built: &upgrade_atlas::Built) -> String {
    match built.written {
        upgrade_atlas::write::Written::Whole => String::new(),
        upgrade_atlas::write::Written::InPlace { changed, removed } => format!(
            "; in place: {} kept, {} written, {} removed",
            terminal::counted(built.kept, "page"),
            terminal::counted(changed, "file"),
            terminal::counted(removed, "file")
        ),
    }
}

fn report(failure: &Failure, manners: Manners) -> ExitCode {
    for diagnostic in &failure.diagnostics {
        eprintln!(
            "{}\n",
            terminal::show(diagnostic, &failure.sources, manners.colour)
        );
    }
    eprintln!("{}", failure.summary());
    ExitCode::FAILURE
}
