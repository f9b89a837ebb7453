//! `new scenario`: readable file names, a word when another scenario
//! already covers the upgrade, and commented examples (conditions among
//! them) that check when uncommented (writers' issue 23, item 3).

use crate::common;

use std::path::Path;
use std::process::Output;

use common::{run, text};

fn run_in(root: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--root", root.to_str().expect("a UTF-8 temp path")];
    all.extend_from_slice(args);
    run(&all)
}

/// A Proxmox VE and Ceph base; `conditions` is site.yaml's text.
fn proxmox(site: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("products")).unwrap();
    std::fs::write(content.join("site.yaml"), site).unwrap();
    std::fs::write(
        content.join("products/proxmox-ve.yaml"),
        "name: Proxmox VE\nversions:\n  - id: \"6.3\"\n  - id: \"6.4\"\n  - id: \"7.0\"\n  - id: \"7.4\"\n  - id: \"8.0\"\n  - id: \"8.1\"\nupgrades:\n  policy: any-newer\n",
    )
    .unwrap();
    std::fs::write(
        content.join("products/ceph.yaml"),
        "name: Ceph\nversions:\n  - id: \"16\"\n    aliases: [pacific]\n  - id: \"17\"\n  - id: \"18\"\n",
    )
    .unwrap();
    dir
}

/// Writes a scenario with `new`; returns the file it names and stderr.
fn new_scenario(root: &Path, from: &str, to: &str) -> (String, String) {
    let out = run_in(root, &["new", "scenario", from, to]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    let file = said
        .strip_prefix("wrote ")
        .and_then(|rest| rest.split_once(':'))
        .map(|(file, _)| file.to_owned())
        .unwrap_or_else(|| panic!("no file named: {said}"));
    (file, text(&out.stderr))
}

#[test]
fn file_names_read_as_the_upgrade_and_do_not_repeat_the_product() {
    let kb = proxmox("title: T\n");
    for (from, to, file) in [
        (
            "proxmox-ve@6.*",
            "proxmox-ve@>=8.0",
            "content/scenarios/proxmox-ve/6.x-to-8.0.yaml",
        ),
        (
            "proxmox-ve@6.4",
            "proxmox-ve@7.0",
            "content/scenarios/proxmox-ve/6.4-to-7.0.yaml",
        ),
        (
            "proxmox-ve@7.4",
            "ceph@>=17,<18",
            "content/scenarios/proxmox-ve/7.4-to-ceph-17-before-18.yaml",
        ),
        (
            "ceph@pacific|17",
            "proxmox-ve@8.1",
            "content/scenarios/ceph/pacific-or-17-to-proxmox-ve-8.1.yaml",
        ),
        (
            "ceph",
            "proxmox-ve@8.0",
            "content/scenarios/ceph/all-to-proxmox-ve-8.0.yaml",
        ),
    ] {
        let (written, _) = new_scenario(kb.path(), from, to);
        assert_eq!(written, file, "{from} -> {to}");
        assert!(kb.path().join(file).is_file());
    }
}

#[test]
fn a_pair_another_scenario_covers_gets_a_warning_naming_it() {
    let kb = proxmox("title: T\n");
    let (first, said) = new_scenario(kb.path(), "proxmox-ve@6.*", "proxmox-ve@>=8.0");
    assert_eq!(said, "", "nothing covers it yet");
    let (second, said) = new_scenario(kb.path(), "proxmox-ve@6.4", "proxmox-ve@8.1");
    assert!(kb.path().join(&second).is_file(), "written all the same");
    assert!(
        said.contains(&format!("{first}:3:7: warning: scenario `proxmox-ve/6.x-to-8.0` already covers proxmox-ve@6.4 -> proxmox-ve@8.1")),
        "{said}"
    );
    assert!(
        said.contains("when"),
        "the hint says how both may stay: {said}"
    );
    let (_, said) = new_scenario(kb.path(), "proxmox-ve@6.*", "proxmox-ve@7.0");
    assert_eq!(said, "", "6.x -> 7.0 is new: {said}");
    // Several pairs are counted.
    let (_, said) = new_scenario(kb.path(), "proxmox-ve@6.3|6.4", "proxmox-ve@8.*");
    assert!(said.contains("and 3 more pairs"), "{said}");
}

/// Every commented setting in `text` made a setting: a `# key: ...` line
/// or one indented under it (`#   - item`), wherever the comment starts.
/// Prose comments start with a capital or a backquote and stay.
fn uncommented(text: &str) -> String {
    let setting = |body: &str| {
        let body = body.trim_start_matches("- ");
        body.starts_with("  ")
            || body.split_once(':').is_some_and(|(key, rest)| {
                !key.is_empty()
                    && key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    && (rest.is_empty() || rest.starts_with(' '))
            })
    };
    text.lines()
        .map(|line| {
            let indent = line.len() - line.trim_start().len();
            match line[indent..].strip_prefix("# ") {
                Some(body) if setting(body) => format!("{}{body}\n", &line[..indent]),
                _ => format!("{line}\n"),
            }
        })
        .collect()
}

#[test]
fn the_uncommenting_helper_takes_settings_only() {
    let text = "# Prose: stays.\n# key: v\n#   - item\n  # name: x\n# `when` in prose\n";
    assert_eq!(
        uncommented(text),
        "# Prose: stays.\nkey: v\n  - item\n  name: x\n# `when` in prose\n"
    );
}

#[test]
fn new_files_mention_conditions_and_check_when_uncommented() {
    for site in [
        "title: T\nconditions:\n  clustered: The server is a node of a cluster.\n",
        "title: T\n",
    ] {
        let kb = proxmox(site);
        let (scenario, _) = new_scenario(kb.path(), "proxmox-ve@7.4", "proxmox-ve@8.0");
        let out = run_in(kb.path(), &["new", "product", "proxmox-backup"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let scenario = kb.path().join(scenario);
        let written = std::fs::read_to_string(&scenario).unwrap();
        assert!(
            written.contains("`when") && written.contains("`unless"),
            "{written}"
        );
        if site.contains("clustered") {
            assert!(written.contains("# when: [clustered]"), "{written}");
        }
        let product = kb.path().join("content/products/proxmox-backup.yaml");
        for file in [&scenario, &product] {
            let before = std::fs::read_to_string(file).unwrap();
            let after = uncommented(&before);
            assert!(after.lines().count() > 0 && after != before, "{after}");
            std::fs::write(file, &after).unwrap();
            let check = run_in(kb.path(), &["check"]);
            assert!(
                check.status.success(),
                "{} uncommented:\n{after}\n{}",
                file.display(),
                text(&check.stderr)
            );
        }
    }
}

#[test]
fn new_product_takes_its_name_as_written() {
    let kb = proxmox("title: T\n");
    let out = run_in(
        kb.path(),
        &[
            "new",
            "product",
            "proxmox-mail",
            "--name",
            "Proxmox Mail Gateway VE",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written =
        std::fs::read_to_string(kb.path().join("content/products/proxmox-mail.yaml")).unwrap();
    assert!(
        written
            .lines()
            .any(|l| l.starts_with("name: ") && l.contains("Proxmox Mail Gateway VE")),
        "{written}"
    );
    let check = run_in(kb.path(), &["check"]);
    assert!(check.status.success(), "{}", text(&check.stderr));

    let out = run_in(kb.path(), &["new", "product", "proxmox-other"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let made =
        std::fs::read_to_string(kb.path().join("content/products/proxmox-other.yaml")).unwrap();
    assert!(
        made.contains("check the capitals") && made.contains("--name"),
        "{made}"
    );

    let out = run_in(
        kb.path(),
        &["new", "product", "proxmox-third", "--name", " "],
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("--name must be one line"),
        "{}",
        text(&out.stderr)
    );
}
