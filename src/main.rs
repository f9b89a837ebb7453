//! The `upgrade-atlas` command line: a thin layer over the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use upgrade_atlas::diag::{is_printable, printable, printable_lines, suggest};
use upgrade_atlas::graph::{Answer, Edges, Origin, UpgradeGraph, affected_components};
use upgrade_atlas::model::{Facts, Model, NodeId};
use upgrade_atlas::plan::PlanOptions;
use upgrade_atlas::serve::ServeOptions;
use upgrade_atlas::write::WhenBusy;
use upgrade_atlas::{Checked, Failure, build, check, resolve, selector};

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
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the knowledge base and report every problem.
    Check,
    /// Print the supported upgrade path between two versions.
    Path {
        /// Where you are, e.g. backoffice-server@2.5
        from: String,
        /// Where you want to be, e.g. windows-xp-server
        to: String,
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root;
    match cli.command {
        Command::Check => run_check(&root),
        Command::Path {
            from,
            to,
            conditions,
            originally,
            json,
        } => run_path(
            &root,
            &Question {
                from,
                to,
                conditions,
                originally,
            },
            json,
        ),
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
            run_build(&root, output, base_url, when_busy)
        }
        Command::Serve { port, bind, open } => run_serve(&root, ServeOptions { bind, port, open }),
    }
}

/// Checks the knowledge base, printing its problems (and exiting 1) or its warnings.
fn checked(root: &Path) -> Result<Checked, ExitCode> {
    let checked = check(root).map_err(|failure| report(&failure))?;
    for warning in &checked.warnings {
        eprintln!("{}", warning.render(&checked.model.sources));
    }
    Ok(checked)
}

fn run_check(root: &Path) -> ExitCode {
    let model = match checked(root) {
        Ok(checked) => checked.model,
        Err(code) => return code,
    };
    println!(
        "ok: {} products, {} versions, {} components, {} scenarios",
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
    to: String,
    conditions: Vec<String>,
    originally: Option<String>,
}

/// `path` exits 0 with a path, 1 when there is none, 2 on errors.
fn run_path(root: &Path, question: &Question, json: bool) -> ExitCode {
    let model = match check(root) {
        Ok(checked) => {
            for warning in &checked.warnings {
                eprintln!("{}", warning.render(&checked.model.sources));
            }
            checked.model
        }
        Err(failure) => {
            report(&failure);
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
        Err(message) => {
            eprintln!("error: {}", printable(&message));
            ExitCode::from(2)
        }
    }
}

fn run_serve(root: &Path, options: ServeOptions) -> ExitCode {
    match upgrade_atlas::serve::serve(root, &options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {}", printable(&message));
            ExitCode::FAILURE
        }
    }
}

fn run_build(
    root: &Path,
    output: Option<PathBuf>,
    base_url: Option<String>,
    when_busy: WhenBusy,
) -> ExitCode {
    let output = output.unwrap_or_else(|| root.join("public"));
    if let Some(problem) = base_url.as_deref().and_then(resolve::base_url_problem) {
        eprintln!(
            "error: --base-url {}; write it in full, e.g. https://kb.example.com/",
            printable(&problem)
        );
        return ExitCode::FAILURE;
    }
    let base_url = base_url.map(|b| format!("{}/", b.trim_end_matches('/')));
    let started = std::time::Instant::now();
    match build(
        root,
        &output,
        &PlanOptions {
            base_url,
            ..PlanOptions::default()
        },
        when_busy,
    ) {
        Ok(built) => {
            for warning in &built.warnings {
                eprintln!("{warning}");
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
        Err(failure) => report(&failure),
    }
}

fn report(failure: &Failure) -> ExitCode {
    for diagnostic in &failure.diagnostics {
        eprintln!("{}\n", diagnostic.render(&failure.sources));
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
    let to = selector::select_one(model, &question.to)?;
    let originally = match &question.originally {
        Some(selector) => selector::select_one(model, selector)?,
        None => from,
    };
    let facts = facts(model, &question.conditions)?;
    let graph = UpgradeGraph::new(model);
    let edges = graph.edges(&facts);
    let answer = edges.path(from, to).map(|p| edges.answer(&p, originally));
    let found = answer.is_some();
    if json {
        let issues: Vec<_> = answer
            .iter()
            .flat_map(|a| &a.issues)
            .map(|found| {
                let (scenario, version) = match found.origin {
                    Origin::Scenario(s) => (Some(model.scenarios[s].id.clone()), None),
                    Origin::Version(v) => (None, Some(model.node_ref(v))),
                };
                let components: Vec<&str> = affected_components(model, found.issue)
                    .into_iter()
                    .map(|c| model.components[c].id.as_str())
                    .collect();
                serde_json::json!({
                    "title": found.issue.title,
                    "severity": found.issue.severity.word(),
                    "scenario": scenario,
                    "version": version,
                    "components": components,
                    "hop": found.hop,
                })
            })
            .collect();
        let value = serde_json::json!({
            "from": model.node_ref(from),
            "to": model.node_ref(to),
            "if": question.conditions,
            "originally": model.node_ref(originally),
            "path": answer.as_ref().map(|a| a.path.iter().map(|n| model.node_ref(*n)).collect::<Vec<_>>()),
            "issues": issues,
        });
        return Ok((json_for_terminal(&value.to_string()), found));
    }
    let text = describe(model, &edges, from, to, originally, answer.as_ref());
    Ok((text, found))
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
