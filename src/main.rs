//! The `upgrade-atlas` command line: a thin layer over the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use upgrade_atlas::graph::{Origin, UpgradeGraph, affected_components};
use upgrade_atlas::model::{Facts, Model, NodeId};
use upgrade_atlas::plan::PlanOptions;
use upgrade_atlas::serve::ServeOptions;
use upgrade_atlas::{Checked, Failure, build, check, resolve};

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
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Build the site in memory, serve it, and rebuild and reload on every change.
    Serve {
        /// The port to listen on (0: any free port).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on.
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
            json,
        } => run_path(&root, &from, &to, &conditions, json),
        Command::Build { output, base_url } => run_build(&root, output, base_url),
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

fn run_path(root: &Path, from: &str, to: &str, conditions: &[String], json: bool) -> ExitCode {
    let model = match checked(root) {
        Ok(checked) => checked.model,
        Err(code) => return code,
    };
    match path(&model, from, to, conditions, json) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run_serve(root: &Path, options: ServeOptions) -> ExitCode {
    match upgrade_atlas::serve::serve(root, &options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run_build(root: &Path, output: Option<PathBuf>, base_url: Option<String>) -> ExitCode {
    let output = output.unwrap_or_else(|| root.join("public"));
    if let Some(url) = &base_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        eprintln!(
            "error: --base-url `{url}` is not an http(s) URL; write it in full, e.g. https://kb.example.com/"
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
                        "unknown condition `{name}`; declared conditions: {}",
                        known.join(", ")
                    )
                });
            }
        }
    }
    Ok(facts)
}

fn path(
    model: &Model,
    from: &str,
    to: &str,
    conditions: &[String],
    json: bool,
) -> Result<String, String> {
    let from = resolve::select_one(model, from)?;
    let to = resolve::select_one(model, to)?;
    let facts = facts(model, conditions)?;
    let graph = UpgradeGraph::new(model);
    let edges = graph.edges(&facts);
    let path = edges.path(from, to);
    let issues = path
        .as_deref()
        .map(|p| edges.path_issues(p))
        .unwrap_or_default();
    if json {
        let issues: Vec<_> = issues
            .iter()
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
                })
            })
            .collect();
        let value = serde_json::json!({
            "from": model.node_ref(from),
            "to": model.node_ref(to),
            "path": path.as_ref().map(|p| p.iter().map(|n| model.node_ref(*n)).collect::<Vec<_>>()),
            "issues": issues,
        });
        return Ok(value.to_string());
    }
    Ok(describe(model, &edges, from, to, path.as_deref(), &issues))
}

/// The human answer: hops, issues hop by hop, and the files behind each hop.
fn describe(
    model: &Model,
    edges: &upgrade_atlas::graph::Edges,
    from: NodeId,
    to: NodeId,
    path: Option<&[NodeId]>,
    issues: &[upgrade_atlas::graph::PathIssue],
) -> String {
    let (a, b) = (model.node_title(from), model.node_title(to));
    // Scenarios that say the direct upgrade is not supported explain the detour.
    let refusals: Vec<String> = model
        .scenarios
        .iter()
        .filter(|s| {
            !s.supported
                && s.condition.holds(&edges.facts)
                && s.from.contains(&from)
                && s.to.contains(&to)
        })
        .map(|s| {
            format!(
                "\nNot supported directly, says {}: {}",
                s.file.display(),
                s.title
            )
        })
        .collect();
    let Some(path) = path else {
        return format!(
            "No supported upgrade path from {a} to {b}.{}",
            refusals.concat()
        );
    };
    if path.len() == 1 {
        return format!("{a} is already {b}: nothing to upgrade.");
    }
    let hops = path.len() - 1;
    let mut out = format!(
        "{a} -> {b}: {hops} hop{}\n\n  {}\n",
        if hops == 1 { "" } else { "s" },
        path.iter()
            .map(|n| model.node_ref(*n))
            .collect::<Vec<_>>()
            .join(" -> ")
    );
    for (hop, pair) in path.windows(2).enumerate() {
        out.push_str(&format!(
            "\n{}. {} -> {}\n",
            hop + 1,
            model.node_ref(pair[0]),
            model.node_ref(pair[1])
        ));
        let mut here: Vec<_> = issues.iter().filter(|i| i.hop == hop).collect();
        here.sort_by_key(|i| i.issue.severity);
        for found in here {
            out.push_str(&format!(
                "   [{}] {}\n",
                found.issue.severity.word(),
                found.issue.title
            ));
        }
        let files: Vec<String> = edges
            .scenarios_for(pair[0], pair[1])
            .into_iter()
            .map(|s| model.scenarios[s].file.display().to_string())
            .collect();
        if files.is_empty() {
            out.push_str(&format!(
                "   from the upgrade rules in {}\n",
                model.product_of(pair[0]).file.display()
            ));
        } else {
            out.push_str(&format!("   from {}\n", files.join(", ")));
        }
    }
    out.push_str(&refusals.concat());
    out.trim_end().to_owned()
}
