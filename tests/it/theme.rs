//! `theme eject` and the knowledge base's own templates.

use crate::common;

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

/// Puts `inserted` on a line of its own after line `after` of the ejected
/// template `name`; returns the line's number.
fn insert_line(kb: &Path, name: &str, after: usize, inserted: &str) -> usize {
    assert!(run_in(kb, &["theme", "eject", name]).status.success());
    let file = kb.join("templates").join(name);
    let mut lines: Vec<String> = std::fs::read_to_string(&file)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    lines.insert(after, inserted.to_owned());
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    after + 1
}

/// The character the excerpt's caret points at: the excerpt is the line
/// ` N | text` followed by `   | ` and spaces up to the `^`.
fn under_caret(said: &str, number: usize) -> char {
    let prefix = format!(" {number} | ");
    let lines: Vec<&str> = said.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no excerpt of line {number}: {said}"));
    let source: Vec<char> = lines[at].chars().collect();
    let caret = lines[at + 1]
        .chars()
        .position(|c| c == '^')
        .unwrap_or_else(|| panic!("no caret: {said}"));
    source[caret]
}

#[test]
fn a_template_error_far_into_a_long_line_is_readable_and_points_at_its_column() {
    let long = "x".repeat(360);
    for (name, inserted, message, pointed) in [
        (
            "base.html",
            format!("<p>{long}{{{{ nope( }}}}</p>"),
            "error: template error: Found `}}` but expected identifier.",
            '}',
        ),
        (
            "partials/issue.html",
            format!("<p>{long}{{{{ issue.nothing.deeper }}}}</p>"),
            "error: template error: Field `nothing` is not defined.",
            'n',
        ),
    ] {
        let kb = copy_of_example();
        // After the partial's opening comment, inside its item.
        let after = if name == "base.html" { 1 } else { 5 };
        let line = insert_line(kb.path(), name, after, &inserted);
        let site = kb.path().join("public");
        let out = run_in(kb.path(), &["build", "--output", site.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let said = text(&out.stderr);
        assert!(!said.contains("\\u{a}"), "line breaks escaped: {said}");
        let column = inserted.find(pointed).unwrap() + 1;
        let place = format!("templates/{name}:{line}:{column}: {message}");
        assert!(said.contains(&place), "no `{place}` in {said}");
        assert_eq!(under_caret(&said, line), pointed, "{said}");
    }
}

/// A theme's `partials/issue.html` reaches the path finder: the build
/// renders each issue of the finder's data through it, as it renders the
/// issues of pages, so that the finder shows what the theme shows.
#[test]
fn an_issue_partial_of_a_theme_reaches_the_path_finder() {
    let kb = copy_of_example();
    let outputs = tempfile::tempdir().unwrap();
    let partial = kb.path().join("templates/partials/issue.html");
    std::fs::create_dir_all(partial.parent().unwrap()).unwrap();
    std::fs::write(
        &partial,
        "<li class=\"issue themed {{ issue.severity }}\"><em>{{ issue.severity_label }}</em> \
         {{ issue.title }}</li>\n",
    )
    .unwrap();
    build_into(kb.path(), outputs.path());
    let part =
        std::fs::read_to_string(outputs.path().join("data/graph/backoffice-server.js")).unwrap();
    let html = part
        .lines()
        .find_map(|line| line.split_once("].html = "))
        .map(|(_, array)| array.trim_end_matches(';'))
        .expect("the part carries its issues' HTML");
    let html = common::js::strings(html);
    assert!(!html.is_empty());
    for item in &html {
        assert!(item.starts_with("<li class=\"issue themed "), "{item}");
    }
}
