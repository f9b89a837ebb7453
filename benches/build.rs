//! Build benchmark over generated knowledge bases.
//!
//! `cargo bench --bench build` generates knowledge bases of increasing size
//! in a temp folder and reports the median time of: check (load, resolve,
//! graph); what `serve` does after one scenario file is edited, or one
//! product's summary, or its name, and the watcher names the file (check
//! with the kept cache, plan the site, parse the templates, render the
//! edited file's page); the
//! whole site rendered in memory; a full build written to disk; and a
//! rebuild in place after one scenario's title was edited, with the last
//! build's record.
//! `cargo bench --bench build -- 10000` runs only the 10,000-scenario size.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use upgrade_atlas::plan::{PlanOptions, Planner};
use upgrade_atlas::render::{Renderer, Theme};
use upgrade_atlas::write::WhenBusy;

// The allocator the binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Products of `versions` versions each, linked by `sequential` rules, and
/// `scenarios` supported scenarios from a version of one product to a later
/// product (each with an issue), spread evenly.
fn generate(root: &Path, products: usize, versions: usize, scenarios: usize) {
    let content = root.join("content");
    std::fs::create_dir_all(content.join("products")).unwrap();
    std::fs::create_dir_all(content.join("scenarios")).unwrap();
    for p in 0..products {
        let mut text =
            format!("name: Product {p}\nsummary: Generated product number {p}.\nversions:\n");
        for v in 0..versions {
            writeln!(text, "  - id: \"{v}.0\"").unwrap();
        }
        text.push_str("upgrades: { policy: sequential }\n");
        std::fs::write(content.join(format!("products/p{p:04}.yaml")), text).unwrap();
    }
    for s in 0..scenarios {
        let from = s % products;
        let to = (from + 1 + s / products % 7) % products;
        let (from, to) = if from < to { (from, to) } else { (to, from) };
        let to = if from == to { (to + 1) % products } else { to };
        let text = format!(
            "from: p{from:04}@{}.0\nto: p{to:04}@{}.0\ndirect: supported\ntitle: Scenario {s}\nsummary: Moving from product {from} to product {to}.\nissues:\n  - title: Known issue {s}\n    severity: warning\n    body: Something to watch in scenario {s}.\n",
            s % versions,
            (s / 3) % versions
        );
        std::fs::create_dir_all(content.join(format!("scenarios/g{:03}", s / 100))).unwrap();
        std::fs::write(
            content.join(format!("scenarios/g{:03}/s{s:05}.yaml", s / 100)),
            text,
        )
        .unwrap();
    }
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time(runs: usize, mut f: impl FnMut()) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let started = Instant::now();
                f();
                started.elapsed()
            })
            .collect(),
    )
}

/// What `serve` does once its watcher names an edited file: check with the
/// kept cache, plan the site, parse the templates and render the page a
/// browser asks for, which must show `expected`.
fn rebuild_after_edit(
    root: &Path,
    cache: &mut upgrade_atlas::CheckCache,
    file: &Path,
    page: &str,
    expected: &str,
) {
    cache.load.changed(file);
    let checked = upgrade_atlas::check_cached(root, cache)
        .unwrap_or_else(|failure| panic!("checks: {failure}"));
    let theme = Theme::load(root).unwrap_or_else(|failure| panic!("theme: {failure:?}"));
    let planner = Planner::new(&checked.model, &PlanOptions::default());
    let renderer = Renderer::new(&checked.model, planner.urls, &theme)
        .unwrap_or_else(|failure| panic!("templates: {failure:?}"));
    let page = planner.page(page).expect("the edited file's page");
    let html = renderer
        .page(page)
        .unwrap_or_else(|failure| panic!("renders: {failure:?}"));
    let expected = expected
        .split_once(": ")
        .map_or(expected, |(_, value)| value);
    assert!(String::from_utf8_lossy(&html.bytes).contains(expected));
}

/// The median time of a build with a record, after one scenario's title
/// was edited since the last.
fn rebuild_after_one_edit(root: &Path, output: &Path, runs: usize) -> Duration {
    let records = tempfile::tempdir().unwrap();
    let build = || {
        upgrade_atlas::build_observed(
            root,
            output,
            &PlanOptions::default(),
            WhenBusy::Wait,
            Some(records.path()),
            &upgrade_atlas::Silent,
        )
        .unwrap_or_else(|failure| panic!("builds: {failure}"))
    };
    build();
    let file = root.join("content/scenarios/g000/s00001.yaml");
    let original = std::fs::read_to_string(&file).unwrap();
    let mut round = 0;
    median(
        (0..runs)
            .map(|_| {
                round += 1;
                let edited = original.replace(
                    "title: Scenario 1",
                    &format!("title: Scenario 1, edit {round}"),
                );
                std::fs::write(&file, edited).unwrap();
                let started = Instant::now();
                let built = build();
                let took = started.elapsed();
                assert!(built.kept > 0, "a rebuild keeps pages");
                took
            })
            .collect(),
    )
}

fn main() {
    let only: Option<usize> = std::env::args().skip(1).find_map(|a| a.parse().ok());
    let sizes = [(20, 5, 100), (100, 8, 1_000), (250, 8, 10_000)];
    println!(
        "{:>9} {:>9} {:>9} {:>12} {:>15} {:>15} {:>15} {:>16} {:>12} {:>12}",
        "scenarios",
        "versions",
        "pages",
        "check",
        "serve: scenario",
        "product text",
        "product name",
        "render all (mem)",
        "build",
        "rebuild"
    );
    for (products, versions, scenarios) in sizes {
        if only.is_some_and(|n| n != scenarios) {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        generate(dir.path(), products, versions, scenarios);
        let root = dir.path();
        let runs = if scenarios >= 10_000 { 3 } else { 5 };
        let check = time(runs, || {
            upgrade_atlas::check(root)
                .unwrap_or_else(|failure| panic!("generated knowledge base checks: {failure}"));
        });
        let mut pages = 0;
        let render = time(runs, || {
            pages = upgrade_atlas::render_site(root, &PlanOptions::default())
                .unwrap_or_else(|failure| panic!("renders: {failure:?}"))
                .pages;
        });
        // serve keeps the parsed files between rebuilds, and its watcher
        // names each changed file.
        let mut cache = upgrade_atlas::CheckCache::default();
        cache.load.watched();
        upgrade_atlas::check_cached(root, &mut cache)
            .unwrap_or_else(|failure| panic!("checks: {failure}"));
        let mut round = 0;
        let mut edit = |file: &str, from: &str, page: &str| {
            let original = std::fs::read_to_string(root.join(file)).unwrap();
            let runs = (0..runs).map(|_| {
                round += 1;
                let to = format!("{from}, edit {round}");
                std::fs::write(root.join(file), original.replace(from, &to)).unwrap();
                let started = Instant::now();
                rebuild_after_edit(root, &mut cache, Path::new(file), page, &to);
                let took = started.elapsed();
                // As serve does once the new site is out.
                cache.resolve.tidy();
                took
            });
            median(runs.collect())
        };
        let scenario_edit = edit(
            "content/scenarios/g000/s00000.yaml",
            "title: Scenario 0",
            "scenarios/g000/s00000/index.html",
        );
        let product_text_edit = edit(
            "content/products/p0000.yaml",
            "summary: Generated product number 0",
            "products/p0000/index.html",
        );
        // A new name can change every scenario's default title: all resolve again.
        let product_name_edit = edit(
            "content/products/p0000.yaml",
            "name: Product 0",
            "products/p0000/index.html",
        );
        let output = dir.path().join("public");
        let build = time(runs, || {
            upgrade_atlas::build(root, &output, &PlanOptions::default(), WhenBusy::Wait)
                .unwrap_or_else(|failure| panic!("builds: {failure}"));
        });
        let rebuild = rebuild_after_one_edit(root, &output, runs);
        println!(
            "{scenarios:>9} {:>9} {pages:>9} {:>10.1}ms {:>13.1}ms {:>13.1}ms {:>13.1}ms {:>14.1}ms {:>10.1}ms {:>10.1}ms",
            products * versions,
            check.as_secs_f64() * 1e3,
            scenario_edit.as_secs_f64() * 1e3,
            product_text_edit.as_secs_f64() * 1e3,
            product_name_edit.as_secs_f64() * 1e3,
            render.as_secs_f64() * 1e3,
            build.as_secs_f64() * 1e3,
            rebuild.as_secs_f64() * 1e3
        );
    }
}
