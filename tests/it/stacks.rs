//! Format 1.2 as readers meet it: `plan` as a runbook in text and Markdown,
//! the stack page (which versions run together, the plans, the runbook),
//! and what version, product and home pages say of requirements. The plans
//! themselves are held by the conformance cases (tests/conformance-1.2).

use crate::common;

use std::path::{Path, PathBuf};

use common::{build_site, run, sel, text, text_of};
use scraper::Html;

fn case(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/conformance-1.2/ok")
        .join(name)
}

fn plan(root: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["--root", root.to_str().unwrap(), "plan"];
    all.extend_from_slice(args);
    let out = run(&all);
    (out.status.code(), text(&out.stdout) + &text(&out.stderr))
}

fn page(site: &Path, path: &str) -> Html {
    let file = site.join("site").join(path);
    let html = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{path}: {e}"));
    Html::parse_document(&html)
}

fn texts(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css)).map(text_of).collect()
}

#[test]
fn plan_prints_a_runbook_with_issues_before_steps() {
    let root = case("stack-interleave");
    let (code, out) = plan(&root, &["app@1", "php@7.4", "--to", "app@3", "php@8.2"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.starts_with("App 1 + PHP 7.4 -> App 3 + PHP 8.2: 5 moves"),
        "{out}"
    );
    let first = out.find("1. PHP 7.4 -> PHP 8.0").expect("the first move");
    let blocking = out.find("[blocking] each() is removed").expect("its issue");
    let second = out.find("2. App 1 -> App 2").expect("the second move");
    assert!(first < blocking && blocking < second, "{out}");

    let (code, markdown) = plan(
        &root,
        &[
            "app@1", "php@7.4", "--to", "app@3", "php@8.2", "--format", "markdown",
        ],
    );
    assert_eq!(code, Some(0), "{markdown}");
    assert!(
        markdown.starts_with("# Upgrade plan: App 1 + PHP 7.4 → App 3 + PHP 8.2"),
        "{markdown}"
    );
    assert!(markdown.contains("## 4. App 2 → App 3"), "{markdown}");
    assert!(
        markdown.contains("- **warning**: Run the upgrade checker"),
        "{markdown}"
    );
}

#[test]
fn plan_names_the_requirements_that_stop_it() {
    let (code, out) = plan(
        &case("stack-deadlock"),
        &["x@1", "y@1", "--to", "x@2", "y@2"],
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("X 2 requires `y@2`, and Y 1 is not one of those"),
        "{out}"
    );
    assert!(
        out.contains("Y 2 requires `x@2`, and X 1 is not one of those"),
        "{out}"
    );
}

#[test]
fn plan_refuses_questions_that_make_no_sense() {
    let root = case("stack-interleave");
    for (args, words) in [
        (
            &["app@1", "php@7.4", "--to", "app@3"][..],
            "one target per member",
        ),
        (
            &["app@1", "app@2", "--to", "app@3", "app@3"][..],
            "two versions of app",
        ),
        (
            &[
                "app@1",
                "php@7.4",
                "--to",
                "app@3",
                "php@8.2",
                "--originally",
                "app@1",
            ][..],
            "only with one member",
        ),
        (&["app@1", "--to", "app@9"][..], "no version `9`"),
    ] {
        let (code, out) = plan(&root, args);
        assert_eq!(code, Some(2), "{args:?}: {out}");
        assert!(out.contains(words), "{args:?}: {out}");
    }
}

#[test]
fn the_stack_page_says_what_runs_together_and_how_to_get_to_the_newest() {
    let site = build_site(&case("stack-interleave"), &[]);
    let home = page(site.path(), "index.html");
    assert_eq!(texts(&home, "#stacks + p + ul a"), ["App on PHP"]);

    let stack = page(site.path(), "stacks/web/index.html");
    assert_eq!(
        texts(&stack, "ul.runs-beside li"),
        [
            "App 1: PHP 7.4, 8.0",
            "App 2: PHP 8.0, 8.1",
            "App 3: PHP 8.1, 8.2"
        ]
    );
    let cells: Vec<String> = stack
        .select(&sel(".compatibility tbody tr"))
        .map(|row| {
            row.select(&sel("td"))
                .map(|td| {
                    if td.value().classes().any(|c| c == "runs") {
                        '✓'
                    } else {
                        '-'
                    }
                })
                .collect()
        })
        .collect();
    assert_eq!(cells, ["✓✓--", "-✓✓-", "--✓✓"]);
    let plans = texts(&stack, ".stack-plan h3");
    assert_eq!(
        plans.len(),
        5,
        "every valid start but the newest: {plans:?}"
    );
    assert_eq!(plans[0], "From App 1 + PHP 7.4");
    let first_plan = texts(&stack, ".stack-plan:first-of-type ol.moves li");
    assert_eq!(first_plan.len(), 5, "{first_plan:?}");
    assert!(
        first_plan[0].starts_with("PHP 7.4 → PHP 8.0 1 blocking"),
        "{first_plan:?}"
    );

    let runbook = stack.select(&sel(".runbook")).next().expect("a runbook");
    assert_eq!(
        runbook.value().attr("data-runbook"),
        Some("stack:web:app@1+php@7.4")
    );
    let moves = texts(&stack, ".runbook-move h3");
    assert_eq!(moves[0], "1. PHP 7.4 → PHP 8.0");
    assert_eq!(moves.len(), 5);
    let first_issue = texts(&stack, ".runbook-move:first-child li.issue > strong");
    assert!(
        first_issue[0].contains("each() is removed"),
        "{first_issue:?}"
    );
}

#[test]
fn version_pages_say_what_they_need_and_who_refuses_them() {
    let site = build_site(&case("stack-interleave"), &[]);
    let app = page(site.path(), "products/app/2/index.html");
    assert_eq!(
        texts(&app, "section.beside li"),
        [
            "Needs PHP 8.0–8.1 whenever PHP runs beside it.",
            "Planned with the others in App on PHP."
        ]
    );
    let php = page(site.path(), "products/php/8.0/index.html");
    assert_eq!(
        texts(&php, "section.beside li"),
        [
            "Runs beside App 1, App 2.",
            "Not beside App 3, which needs PHP 8.1–8.2.",
            "Planned with the others in App on PHP."
        ]
    );
    let product = page(site.path(), "products/php/index.html");
    let stacks: Vec<String> = product
        .select(&sel("main a[href*='stacks/web/']"))
        .map(text_of)
        .collect();
    assert_eq!(stacks, ["App on PHP"]);
}

#[test]
fn a_static_folder_named_stacks_still_builds_without_stacks() {
    let kb = tempfile::tempdir().unwrap();
    let content = kb.path().join("content");
    std::fs::create_dir_all(content.join("products")).unwrap();
    std::fs::create_dir_all(content.join("static/stacks")).unwrap();
    std::fs::write(
        content.join("products/a.yaml"),
        "name: A\nversions: [{ id: \"1\" }]\n",
    )
    .unwrap();
    std::fs::write(content.join("static/stacks/notes.txt"), "kept\n").unwrap();
    let out = run(&["--root", kb.path().to_str().unwrap(), "check"]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    std::fs::create_dir_all(content.join("stacks")).unwrap();
    std::fs::write(
        content.join("products/b.yaml"),
        "name: B\nversions: [{ id: \"1\" }]\n",
    )
    .unwrap();
    std::fs::write(
        content.join("stacks/ab.yaml"),
        "name: AB\nmembers: [a, b]\n",
    )
    .unwrap();
    let out = run(&["--root", kb.path().to_str().unwrap(), "check"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("`static/stacks` would replace part of the generated site"));
}
