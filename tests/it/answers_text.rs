//! The `path` and `plan` answers as a reader sees them in a terminal,
//! kept as insta snapshots (tests/it/snapshots/): any change to their text
//! shows in review as a diff of the answer, not of the code. The
//! knowledge bases are the example, examples/postgresql and
//! examples/nextcloud (a stack), so the answers are real ones.

use crate::common;

use std::path::{Path, PathBuf};

fn project() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What `upgrade-atlas --root ROOT ARGS...` prints, with its exit code; no
/// colour, and `--on` fixed where support is judged, so that the answer
/// does not depend on the day the test runs.
fn answer(root: &Path, args: &[&str]) -> String {
    let mut all = vec!["--root", root.to_str().unwrap()];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--color", "never"]);
    let run = common::run(&all);
    format!(
        "$ upgrade-atlas {}\nexit {}\n{}{}",
        args.join(" "),
        run.status.code().unwrap_or(-1),
        common::text(&run.stdout),
        common::text(&run.stderr)
    )
}

#[test]
fn path_answers_read_as_they_did() {
    let example = project();
    let postgresql = project().join("examples/postgresql");
    let answers = [
        answer(
            &example,
            &["path", "small-business-server@4.0", "windows-xp-server"],
        ),
        answer(
            &example,
            &["path", "backoffice-server@2.5", "windows-xp-server"],
        ),
        answer(
            &example,
            &[
                "path",
                "backoffice-server@4.5",
                "windows-xp-server",
                "--originally",
                "small-business-server@4.0",
            ],
        ),
        answer(
            &example,
            &["path", "windows-xp-server@xp", "backoffice-server@4.5"],
        ),
        answer(
            &example,
            &[
                "path",
                "backoffice-server@4.0",
                "windows-xp-server",
                "--json",
            ],
        ),
        answer(
            &postgresql,
            &[
                "path",
                "postgresql@9.6",
                "postgresql@16",
                "--on",
                "2026-12-01",
            ],
        ),
        answer(
            &postgresql,
            &[
                "path",
                "postgresql@12",
                "--to-supported",
                "--on",
                "2026-12-01",
            ],
        ),
    ];
    insta::assert_snapshot!("path_answers", answers.join("\n"));
}

#[test]
fn plan_answers_read_as_they_did() {
    let nextcloud = project().join("examples/nextcloud");
    let answers = [
        answer(
            &nextcloud,
            &[
                "plan",
                "nextcloud@25",
                "php@7.4",
                "--to",
                "nextcloud@28",
                "php@8.2",
            ],
        ),
        answer(
            &nextcloud,
            &[
                "plan",
                "nextcloud@23",
                "php@7.3",
                "--to",
                "nextcloud@30",
                "php@8.3",
            ],
        ),
        answer(
            &nextcloud,
            &[
                "plan",
                "nextcloud@28",
                "php@8.2",
                "--to",
                "nextcloud@25",
                "php@7.4",
            ],
        ),
    ];
    insta::assert_snapshot!("plan_answers", answers.join("\n"));
}
