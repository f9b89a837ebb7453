//! Symbolic links (the hardening issue, item 5), under the one rule of
//! `src/walk.rs` and "Links" in docs/security.md: a link is followed only
//! while its resolved target stays inside the folder it belongs to
//! (`content/` and `templates/` themselves: the knowledge base); anything
//! else is an error at the link and nothing behind it is read. The output
//! is compared with the knowledge base by resolved paths.
#![cfg(unix)]

mod common;

use std::os::unix::fs::symlink;
use std::path::Path;

use common::guarded::*;

const PRODUCT: &str =
    "name: A\nversions: [{id: \"1\"}, {id: \"2\"}]\nupgrades: {policy: sequential}\n";

fn errors(run: &Run) -> Vec<String> {
    diagnostics(&run.stderr)
        .into_iter()
        .filter(|d| d.contains(": error: "))
        .collect()
}

fn output_arg(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// With content/ a link, `--output content/products/x` wrote the site into
/// the knowledge base: the protected folders are compared resolved.
#[test]
fn an_output_inside_a_linked_content_folder_is_refused() {
    let kb = Kb::new();
    kb.write("kb-content/products/a.yaml", PRODUCT);
    symlink(kb.root().join("kb-content"), kb.root().join("content")).expect("a link");
    assert_exit(&kb.check(), 0);
    for output in ["content/products/x", "kb-content/products/x"] {
        let target = kb.root().join(output);
        let run = kb.run(&["build", "--output", output_arg(&target)]);
        assert_exit(&run, 1);
        assert!(run.stderr.contains("inside content/"), "{}", run.stderr);
        assert!(!target.exists(), "nothing written into the knowledge base");
    }
    assert_eq!(
        common::entries(&kb.root().join("kb-content/products")),
        ["a.yaml".to_owned()].into()
    );
}

/// A folder link that leads out was reported and then walked anyway (all
/// of /usr: 10 s and 6,000 errors). It is one error, and nothing behind it
/// is read.
#[test]
fn a_folder_link_that_leads_out_is_one_error_and_not_walked() {
    let outside = tempfile::tempdir().expect("a folder");
    for i in 0..200 {
        let file = outside.path().join(format!("share/doc/{i}/notes.txt"));
        std::fs::create_dir_all(file.parent().unwrap()).expect("folders");
        std::fs::write(&file, "not YAML").expect("a file");
        std::fs::write(file.with_file_name("x.yaml"), "name: [").expect("a file");
    }
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT);
    kb.mkdir("content/scenarios");
    symlink(outside.path(), kb.root().join("content/scenarios/usr")).expect("a link");
    let run = kb.check();
    assert_error_with_hint(
        &run,
        "content/scenarios/usr",
        Some(1),
        &["symbolic link leads out"],
    );
    assert_eq!(errors(&run).len(), 1, "{}", excerpt(&run.stderr));
}

/// A link inside content/ to another place inside is followed, and a link
/// to nothing is an error of its own.
#[test]
fn links_inside_content_are_followed_and_dangling_ones_reported() {
    let kb = Kb::new();
    kb.write("content/shared/a.yaml", PRODUCT);
    kb.mkdir("content/products");
    symlink(
        "../shared/a.yaml",
        kb.root().join("content/products/a.yaml"),
    )
    .expect("a link");
    kb.write(
        "content/scenarios/s.yaml",
        "from: a@1\nto: a@2\ndirect: supported\n",
    );
    // content/shared/a.yaml is itself a YAML file in no meaningful place.
    let run = kb.check();
    assert_error_with_hint(&run, "content/shared/a.yaml", Some(1), &["means nothing"]);
    assert_eq!(
        errors(&run).len(),
        1,
        "the linked product reads: {}",
        run.stderr
    );
    symlink("missing.yaml", kb.root().join("content/products/gone.yaml")).expect("a link");
    let run = kb.check();
    assert_error_with_hint(
        &run,
        "content/products/gone.yaml",
        Some(1),
        &["points at nothing"],
    );
}

/// `templates/` as a link to /etc read every file there: a templates/
/// that leads out of the knowledge base is refused, and nothing is read.
#[test]
fn templates_that_lead_out_of_the_knowledge_base_are_refused() {
    let outside = tempfile::tempdir().expect("a folder");
    std::fs::write(outside.path().join("passwd"), "root:x:0:0").expect("a file");
    std::fs::create_dir_all(outside.path().join("assets")).expect("a folder");
    std::fs::write(outside.path().join("assets/secret.txt"), "secret").expect("a file");
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT);
    symlink(outside.path(), kb.root().join("templates")).expect("a link");
    let site = kb.root().join("site");
    let run = kb.run(&["build", "--output", output_arg(&site)]);
    assert_error_with_hint(&run, "templates", Some(1), &["symbolic link leads out"]);
    assert_eq!(errors(&run).len(), 1, "{}", excerpt(&run.stderr));
    assert!(!site.exists(), "nothing built, so nothing published");
}

/// Symbolic links to files in templates/ were silently ignored; one that
/// stays inside is a template like any other.
#[test]
fn a_linked_template_inside_templates_is_used() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT);
    kb.write(
        "templates/mine/404.html",
        "<!doctype html><html lang=\"en\"><head><title>Lost</title></head><body><p>LINKED TEMPLATE</p></body></html>\n",
    );
    symlink("mine/404.html", kb.root().join("templates/404.html")).expect("a link");
    let site = kb.root().join("site");
    let run = kb.run(&["build", "--output", output_arg(&site)]);
    assert_exit(&run, 0);
    let page = std::fs::read_to_string(site.join("404.html")).expect("404.html");
    assert!(page.contains("LINKED TEMPLATE"), "{page}");
}
