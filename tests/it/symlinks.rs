//! Symbolic links (the hardening issue, item 5), under the one rule of
//! `src/walk.rs` and "Links" in docs/security.md: a link is followed only
//! while its resolved target stays inside the folder it belongs to
//! (`content/` and `templates/` themselves: the knowledge base); anything
//! else is an error at the link and nothing behind it is read. The output
//! is compared with the knowledge base by resolved paths.
#![cfg(unix)]

use crate::common;

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
    assert_error_at_path(&run, "content/scenarios/usr", &["symbolic link leads out"]);
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
    assert_error_at_path(&run, "content/products/gone.yaml", &["points at nothing"]);
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
    assert_error_at_path(&run, "templates", &["symbolic link leads out"]);
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

/// Makes a FIFO (named pipe) at `path`.
fn fifo(path: &Path) {
    use rustix::fs::{CWD, FileType, Mode, mknodat};
    mknodat(CWD, path, FileType::Fifo, Mode::RUSR | Mode::WUSR, 0).expect("mkfifo");
}

/// The hardening issue's first high, end to end: a cloned repository that
/// ships `.public.manifest-new` as a link to the builder's `~/.bashrc` and a
/// static file named like a shell command got the command written into
/// `.bashrc` by a plain `build`. Nothing beside the output is written or
/// made through a link now.
#[test]
fn a_cloned_base_cannot_write_over_a_file_of_the_builders() {
    let home = tempfile::tempdir().expect("a home");
    let bashrc = home.path().join(".bashrc");
    std::fs::write(&bashrc, "export PATH=$PATH\n").expect("a bashrc");
    let clone = home.path().join("src/kb");
    let kb_root = clone.as_path();
    std::fs::create_dir_all(kb_root.join("content/products")).expect("folders");
    std::fs::write(kb_root.join("content/products/a.yaml"), PRODUCT).expect("a product");
    std::fs::create_dir_all(kb_root.join("content/static/files")).expect("folders");
    std::fs::write(kb_root.join("content/static/files/x;touch PWNED;#"), "x").expect("a file");
    for name in [".public.manifest-new", ".public.manifest"] {
        symlink("../../.bashrc", kb_root.join(name)).expect("a link");
    }
    symlink("../../elsewhere", kb_root.join(".public.lock")).expect("a link");

    let run = run(kb_root, &["build"]);
    assert_exit(&run, 1);
    assert!(run.stderr.contains(".public.lock"), "{}", run.stderr);
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert!(!home.path().join("elsewhere").exists());
    std::fs::remove_file(kb_root.join(".public.lock")).expect("remove the lock link");

    for _ in 0..2 {
        let run = common::guarded::run(kb_root, &["build"]);
        assert_exit(&run, 0);
    }
    assert_eq!(
        std::fs::read_to_string(&bashrc).expect("the bashrc"),
        "export PATH=$PATH\n"
    );
    assert!(kb_root.join("public/files/x;touch PWNED;#").is_file());
}

/// The second high: a refused link printed the first line of what it
/// points at under its error (a token from `~/.git-credentials`, the
/// environment from `/proc/self/environ`), and a link to `/dev/zero` made
/// `check` read until memory ran out. Not a byte of the target is printed,
/// and the run ends at once (the guard kills it past 10 s or 1 GiB).
#[test]
fn a_refused_link_prints_nothing_of_what_it_points_at() {
    let home = tempfile::tempdir().expect("a home");
    let secret = home.path().join(".git-credentials");
    std::fs::write(&secret, "https://user:ghp_SECRETTOKEN@github.com\n").expect("a secret");
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT);
    symlink(&secret, kb.root().join("content/products/b.yaml")).expect("a link");
    symlink(
        "/proc/self/environ",
        kb.root().join("content/products/env.yaml"),
    )
    .expect("a link");
    symlink("/dev/zero", kb.root().join("content/products/zero.yaml")).expect("a link");
    symlink(&secret, kb.root().join("content/site.yaml")).expect("a link");
    let run = kb.check();
    assert_exit(&run, 1);
    for link in ["b.yaml", "env.yaml", "zero.yaml"] {
        assert_error_at_path(
            &run,
            &format!("content/products/{link}"),
            &["symbolic link leads out"],
        );
    }
    assert!(!run.stderr.contains("SECRETTOKEN"), "{}", run.stderr);
    assert!(!run.stderr.contains("PATH="), "{}", run.stderr);
    assert!(!run.stderr.contains("\\u{0}"), "{}", run.stderr);
    let site = kb.root().join("site");
    let run = kb.run(&["build", "--output", output_arg(&site)]);
    assert_exit(&run, 1);
    assert!(!run.stderr.contains("SECRETTOKEN"), "{}", run.stderr);
}

/// A knowledge base that ships `public` as a link to another site's output
/// (which carries the marker) got that site replaced.
#[test]
fn an_output_that_is_a_link_inside_the_knowledge_base_is_refused() {
    let other = tempfile::tempdir().expect("another site");
    let other_site = other.path().join("public");
    std::fs::create_dir_all(&other_site).expect("a folder");
    std::fs::write(other_site.join(".upgrade-atlas-output"), "").expect("a marker");
    std::fs::write(other_site.join("index.html"), "the other site").expect("a page");
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT);
    symlink(&other_site, kb.root().join("public")).expect("a link");
    let run = kb.run(&["build"]);
    assert_exit(&run, 1);
    assert!(
        run.stderr
            .contains("symbolic link inside the knowledge base"),
        "{}",
        run.stderr
    );
    std::fs::create_dir_all(kb.root().join("out")).expect("a folder");
    symlink(&other_site, kb.root().join("out/site")).expect("a link");
    let deep = kb.root().join("out/site");
    let run = kb.run(&["build", "--output", output_arg(&deep)]);
    assert_exit(&run, 1);
    assert_eq!(
        std::fs::read_to_string(other_site.join("index.html")).expect("the page"),
        "the other site"
    );
}

/// Static files that could not be copied (a FIFO, one that cannot be read)
/// were left out of the site without a word, names with a backslash or a
/// control character took the place of generated files, and a folder named
/// `site.yaml` was ignored: each is a located error of `check`.
#[test]
fn static_files_that_cannot_be_published_as_named_are_errors() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT);
    kb.write(
        "content/static/products\\index.html",
        "<script>evil()</script>",
    );
    kb.write("content/static/data\\search.js", "evil()");
    kb.write("content/static/x\\..\\..\\..\\p.txt", "x");
    kb.write("content/static/bell\u{7}.txt", "x");
    kb.write("content/static/ok.txt", "fine");
    fifo(&kb.root().join("content/static/pipe"));
    fifo(&kb.root().join("content/products/b.yaml"));
    kb.mkdir("content/site.yaml");
    let run = kb.check();
    assert_exit(&run, 1);
    for (file, needle) in [
        ("content/static/products\\index.html", "backslash"),
        ("content/static/data\\search.js", "backslash"),
        ("content/static/x\\..\\..\\..\\p.txt", "backslash"),
        ("content/static/bell\\u{7}.txt", "U+0007"),
    ] {
        assert_error_with_hint(&run, file, Some(1), &[needle]);
    }
    // A FIFO and a folder have no lines: named alone, with no `:1:1`.
    for (file, needle) in [
        ("content/static/pipe", "FIFO"),
        ("content/products/b.yaml", "FIFO"),
        ("content/site.yaml", "a folder where a YAML file belongs"),
    ] {
        assert_error_at_path(&run, file, &[needle]);
    }
    assert_eq!(errors(&run).len(), 7, "{}", run.stderr);
}

/// A static file that cannot be read is an error, not a file missing from
/// the site. Root reads every file whatever its mode, so as root (as in CI)
/// the check runs as the user `nobody`, through util-linux's `setpriv`.
#[test]
fn an_unreadable_static_file_is_an_error() {
    use std::os::unix::fs::PermissionsExt;
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT);
    let file = kb.write("content/static/locked.txt", "x");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let run = if rustix::process::geteuid().is_root() {
        for folder in ["", "content", "content/products", "content/static"] {
            let path = kb.root().join(folder);
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        }
        let as_nobody = |binary: &Path| {
            let mut command = std::process::Command::new("setpriv");
            command
                .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(binary);
            command
        };
        // The build's binary may sit where `nobody` cannot reach it (a clone
        // under /root): then a copy beside the knowledge base runs.
        let mut binary = std::path::PathBuf::from(env!("CARGO_BIN_EXE_upgrade-atlas"));
        let reachable = as_nobody(&binary)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !reachable {
            let copy = kb.root().join("upgrade-atlas");
            std::fs::copy(&binary, &copy).expect("a copy of the binary");
            std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).expect("chmod");
            binary = copy;
        }
        let output = as_nobody(&binary)
            .arg("--root")
            .arg(kb.root())
            .arg("check")
            .output()
            .expect("setpriv (util-linux) runs the check as nobody");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        stderr
    } else {
        kb.check().stderr
    };
    let found = diagnostics(&run);
    assert!(
        found
            .iter()
            .any(|d| d.starts_with("content/static/locked.txt: error: cannot read")),
        "{run}"
    );
}

/// `new` and `theme eject` followed a `content/products` or `templates`
/// link out of the knowledge base (24 templates written elsewhere), and
/// eject wrote 19 files before failing on a dangling link. Nothing is
/// written outside, and a refused eject writes nothing at all.
#[test]
fn new_and_eject_write_nothing_through_a_link_that_leads_out() {
    let outside = tempfile::tempdir().expect("a folder");
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT);
    std::fs::create_dir_all(kb.root().join("content/scenarios")).expect("a folder");
    symlink(outside.path(), kb.root().join("content/scenarios/a")).expect("a link");
    symlink(outside.path(), kb.root().join("templates")).expect("a link");
    let run = kb.run(&["new", "scenario", "a@1", "a@2"]);
    assert_exit(&run, 1);
    assert!(
        run.stderr.contains("leads out of the knowledge base"),
        "{}",
        run.stderr
    );
    let run = kb.run(&["theme", "eject"]);
    assert_exit(&run, 1);
    assert!(
        common::entries(outside.path()).is_empty(),
        "nothing written outside"
    );

    std::fs::remove_file(kb.root().join("templates")).expect("remove the link");
    kb.mkdir("templates");
    symlink("nowhere.html", kb.root().join("templates/404.html")).expect("a dangling link");
    let run = kb.run(&["theme", "eject"]);
    assert_exit(&run, 1);
    assert_eq!(
        common::entries(&kb.root().join("templates")),
        ["404.html".to_owned()].into(),
        "a refused eject writes nothing"
    );
}

/// `new` writes only what `check` accepts: `con` is a Windows device name,
/// and a long scenario name is cut to the limits of a scenario id.
#[test]
fn new_refuses_or_shortens_what_check_would_refuse() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT);
    let run = kb.run(&["new", "product", "con"]);
    assert_exit(&run, 1);
    assert!(run.stderr.contains("device"), "{}", run.stderr);
    assert!(!kb.root().join("content/products/con.yaml").exists());
    let long = format!("a@>={}", "1".repeat(160));
    let run = kb.run(&["new", "scenario", &long, "a@2"]);
    assert_exit(&run, 0);
    let written = common::entries(&kb.root().join("content/scenarios/a"));
    let name = written.iter().next().expect("a scenario file");
    assert!(name.chars().count() <= 105, "{name}");
    std::fs::write(
        kb.root().join("content/scenarios/a").join(name),
        "from: a@1\nto: a@2\ndirect: supported\n",
    )
    .expect("a scenario");
    assert_exit(&kb.check(), 0);
}
