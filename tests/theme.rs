//! `theme eject` and the knowledge base's own templates.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{copy_of_example, run, text};

fn run_in(root: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["--root", root.to_str().unwrap()];
    all.extend_from_slice(args);
    run(&all)
}

/// Every file of a built site and its bytes.
fn site_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e.path().strip_prefix(dir).unwrap().display().to_string();
            (name, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn build_into(root: &Path, output: &Path) {
    let out = run_in(root, &["build", "--output", output.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn ejecting_everything_builds_a_byte_identical_site() {
    let kb = copy_of_example();
    let outputs = tempfile::tempdir().unwrap();
    build_into(kb.path(), &outputs.path().join("before"));

    let out = run_in(kb.path(), &["theme", "eject"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("copied "));
    assert!(kb.path().join("templates/version.html").is_file());
    assert!(kb.path().join("templates/partials/issue.html").is_file());
    assert!(kb.path().join("templates/assets/style.css").is_file());
    build_into(kb.path(), &outputs.path().join("after"));

    let before = site_files(&outputs.path().join("before"));
    let after = site_files(&outputs.path().join("after"));
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &before {
        assert!(after[name] == *bytes, "{name} differs after eject");
    }

    // Edited, an ejected template changes the site.
    let version = kb.path().join("templates/version.html");
    let edited = std::fs::read_to_string(&version).unwrap().replacen(
        "{% block main %}",
        "{% block main %}<p>EDITED</p>",
        1,
    );
    std::fs::write(&version, edited).unwrap();
    build_into(kb.path(), &outputs.path().join("edited"));
    let page = std::fs::read_to_string(
        outputs
            .path()
            .join("edited/products/backoffice-server/4.5/index.html"),
    )
    .unwrap();
    assert!(page.contains("<p>EDITED</p>"));
}

#[test]
fn eject_copies_named_templates_and_never_overwrites() {
    let kb = copy_of_example();
    let out = run_in(
        kb.path(),
        &["theme", "eject", "version.html", "partials/issue.html"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written: Vec<String> = walkdir::WalkDir::new(kb.path().join("templates"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(written.len(), 2, "{written:?}");

    let again = run_in(kb.path(), &["theme", "eject"]);
    assert_eq!(again.status.code(), Some(1));
    let said = text(&again.stderr);
    assert!(
        said.contains("templates/ already has partials/issue.html, version.html"),
        "{said}"
    );
    assert!(
        !kb.path().join("templates/base.html").exists(),
        "nothing written"
    );

    let typo = run_in(kb.path(), &["theme", "eject", "verison.html"]);
    assert_eq!(typo.status.code(), Some(1));
    assert!(
        text(&typo.stderr)
            .contains("no built-in template `verison.html`; did you mean `version.html`?"),
        "{}",
        text(&typo.stderr)
    );
}

#[test]
fn a_misnamed_override_fails_check_and_build_with_a_hint() {
    for (name, near) in [
        ("verison.html", "version.html"),
        ("partials/isue.html", "partials/issue.html"),
    ] {
        let kb = copy_of_example();
        let file = kb.path().join("templates").join(name);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "<p>mine</p>\n").unwrap();
        for command in ["check", "build"] {
            let out = run_in(kb.path(), &[command]);
            assert_eq!(out.status.code(), Some(1), "{command} {name}");
            let said = text(&out.stderr);
            assert!(
                said.contains(&format!(
                    "templates/{name}:1:1: error: `{name}` is no built-in template, and no template uses it"
                )),
                "{said}"
            );
            assert!(said.contains(&format!("did you mean `{near}`?")), "{said}");
        }
        assert!(!kb.path().join("public").exists(), "no site written");
    }
}

#[test]
fn a_template_of_ones_own_is_fine_when_an_override_includes_it() {
    let kb = copy_of_example();
    assert!(
        run_in(kb.path(), &["theme", "eject", "base.html"])
            .status
            .success()
    );
    let base = kb.path().join("templates/base.html");
    let text_before = std::fs::read_to_string(&base).unwrap();
    let edited = text_before.replacen(
        "</body>",
        "{% include \"partials/footer-note.html\" %}</body>",
        1,
    );
    assert_ne!(edited, text_before, "base.html has a </body>");
    std::fs::write(&base, edited).unwrap();
    std::fs::create_dir_all(kb.path().join("templates/partials")).unwrap();
    std::fs::write(
        kb.path().join("templates/partials/footer-note.html"),
        "<p class=\"note\">Our own footer</p>\n",
    )
    .unwrap();
    let outputs = tempfile::tempdir().unwrap();
    build_into(kb.path(), &outputs.path().join("site"));
    let home = std::fs::read_to_string(outputs.path().join("site/index.html")).unwrap();
    assert!(home.contains("Our own footer"));
}
