//! Runs every conformance case in tests/conformance (format 1.0),
//! tests/conformance-1.1 and tests/conformance-1.2 (their additions) through
//! the real binary, with the matching rules of tests/conformance/README.md
//! and, for plans, of tests/conformance-1.2/README.md.

use crate::common;

use common::{CONFORMANCE_SUITES, conformance_cases, missing, run, text};

/// Cases of features not built yet, each with the reason: such a case must
/// still fail, so that it leaves this list the day its feature lands.
const NOT_YET: &[(&str, &str)] = &[];

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default)]
    paths: Vec<PathCase>,
    #[serde(default)]
    plans: Vec<PlanCase>,
    #[serde(default)]
    affected_components: Vec<Affected>,
    /// Checked by the site tests, which build every case.
    #[serde(default)]
    #[allow(dead_code)]
    html_must_not_contain: Vec<String>,
    #[serde(default)]
    errors: Vec<ExpectedError>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PathCase {
    from: String,
    to: String,
    #[serde(default, rename = "if")]
    conditions: Vec<String>,
    originally: Option<String>,
    path: Option<Vec<String>>,
    issues: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanCase {
    from: Vec<String>,
    to: Vec<String>,
    #[serde(default, rename = "if")]
    conditions: Vec<String>,
    states: Option<Vec<Vec<String>>>,
    issues: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Affected {
    issue: String,
    components: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedError {
    file: String,
    line: Option<u32>,
    contains: Option<String>,
}

fn expect(case: &Path) -> Expect {
    let text = std::fs::read_to_string(case.join("expect.yaml")).expect("expect.yaml");
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", case.display()))
}

/// `suite/kind/case`, as in [`NOT_YET`].
fn name(case: &Path) -> String {
    let parts: Vec<String> = case
        .iter()
        .rev()
        .take(3)
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    format!("{}/{}/{}", parts[2], parts[1], parts[0])
}

/// Runs `path` and returns its JSON answer. It must exit 0 with a path and
/// 1 without one, printing the answer either way.
fn path_json(case: &Path, want: &PathCase) -> Result<serde_json::Value, String> {
    let (from, to) = (want.from.as_str(), want.to.as_str());
    let root = case.to_str().unwrap();
    let mut args = vec!["--root", root, "path", from, to, "--json"];
    for condition in &want.conditions {
        args.extend(["--if", condition]);
    }
    if let Some(originally) = &want.originally {
        args.extend(["--originally", originally]);
    }
    let out = run(&args);
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| {
        format!(
            "path {from} {to}: bad JSON {e}: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        )
    })?;
    let want_code = if answer["path"].is_null() { 1 } else { 0 };
    if out.status.code() != Some(want_code) {
        return Err(format!(
            "path {from} {to} exited with {:?}, want {want_code}: {}",
            out.status.code(),
            text(&out.stderr)
        ));
    }
    Ok(answer)
}

/// Runs `plan` and compares its states and its moves' issues with the
/// case. It must exit 0 with a plan and 1 without one, printing the JSON
/// object either way.
fn check_plan(case: &Path, want: &PlanCase) -> Result<(), String> {
    let mut args = vec!["--root", case.to_str().unwrap(), "plan"];
    args.extend(want.from.iter().map(String::as_str));
    args.push("--to");
    args.extend(want.to.iter().map(String::as_str));
    for condition in &want.conditions {
        args.extend(["--if", condition]);
    }
    args.push("--json");
    let asked = format!(
        "plan {:?} -> {:?} if {:?}",
        want.from, want.to, want.conditions
    );
    let out = run(&args);
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| {
        format!(
            "{asked}: bad JSON {e}: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        )
    })?;
    let want_code = if want.states.is_some() { 0 } else { 1 };
    if out.status.code() != Some(want_code) {
        return Err(format!(
            "{asked} exited with {:?}, want {want_code}: {}",
            out.status.code(),
            text(&out.stderr)
        ));
    }
    let states: Option<Vec<Vec<String>>> =
        serde_json::from_value(answer["states"].clone()).map_err(|e| format!("{asked}: {e}"))?;
    if states != want.states {
        return Err(format!(
            "{asked}: want states {:?}, got {states:?}",
            want.states
        ));
    }
    if want.states.is_none() != answer["plan"].is_null() {
        return Err(format!("{asked}: `plan` and `states` disagree: {answer}"));
    }
    if let Some(want_issues) = &want.issues {
        let got: Vec<String> = (answer["plan"].as_array().into_iter().flatten())
            .flat_map(|step| step["issues"].as_array().cloned().unwrap_or_default())
            .map(|i| i["title"].as_str().unwrap_or_default().to_owned())
            .collect();
        if &got != want_issues {
            return Err(format!("{asked}: want issues {want_issues:?}, got {got:?}"));
        }
    }
    Ok(())
}

fn check_ok_case(case: &Path) -> Vec<String> {
    let mut failures = Vec::new();
    let expect = expect(case);
    let out = run(&["--root", case.to_str().unwrap(), "check"]);
    if !out.status.success() {
        return vec![format!("check failed: {}", text(&out.stderr))];
    }
    let mut answers = Vec::new();
    for want in &expect.paths {
        let answer = match path_json(case, want) {
            Ok(answer) => answer,
            Err(problem) => {
                failures.push(problem);
                continue;
            }
        };
        let got_path: Option<Vec<String>> =
            serde_json::from_value(answer["path"].clone()).unwrap_or(None);
        if got_path != want.path {
            failures.push(format!(
                "path {} -> {} if {:?}: want {:?}, got {:?}",
                want.from, want.to, want.conditions, want.path, got_path
            ));
        }
        if let Some(want_issues) = &want.issues {
            let got: Vec<String> = answer["issues"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|i| i["title"].as_str().unwrap_or_default().to_owned())
                .collect();
            if &got != want_issues {
                failures.push(format!(
                    "issues {} -> {}: want {want_issues:?}, got {got:?}",
                    want.from, want.to
                ));
            }
        }
        answers.push(answer);
    }
    for want in &expect.plans {
        failures.extend(check_plan(case, want).err());
    }
    for want in &expect.affected_components {
        let found = answers
            .iter()
            .flat_map(|a| a["issues"].as_array().cloned().unwrap_or_default())
            .find(|i| i["title"] == want.issue.as_str());
        match found {
            None => failures.push(format!(
                "issue {:?} is on none of the expected paths",
                want.issue
            )),
            Some(issue) => {
                let got: Vec<String> =
                    serde_json::from_value(issue["components"].clone()).unwrap_or_default();
                if got != want.components {
                    failures.push(format!(
                        "components of {:?}: want {:?}, got {got:?}",
                        want.issue, want.components
                    ));
                }
            }
        }
    }
    failures
}

/// One error line matches when it names the file, shows the line and holds the text.
fn matches_error(line: &str, want: &ExpectedError) -> bool {
    let Some((location, _)) = line.split_once(": ") else {
        return false;
    };
    let file_part = location.split(':').next().unwrap_or_default();
    let names_file = file_part.ends_with(&want.file);
    let shows_line = want
        .line
        .is_none_or(|n| line.contains(&format!(":{n}:")) || line.contains(&format!("line {n}")));
    let contains = want
        .contains
        .as_ref()
        .is_none_or(|t| line.to_lowercase().contains(&t.to_lowercase()));
    names_file && shows_line && contains
}

fn check_bad_case(case: &Path) -> Vec<String> {
    let mut failures = Vec::new();
    let expect = expect(case);
    let out = run(&["--root", case.to_str().unwrap(), "check"]);
    let stderr = text(&out.stderr);
    if out.status.code() != Some(1) {
        failures.push(format!("check exited with {:?}, want 1", out.status.code()));
    }
    if stderr.contains("panicked") {
        failures.push(format!("check panicked: {stderr}"));
    }
    for want in &expect.errors {
        if !stderr.lines().any(|line| matches_error(line, want)) {
            failures.push(format!(
                "no error line for file {} line {:?} containing {:?} in:\n{stderr}",
                want.file, want.line, want.contains
            ));
        }
    }
    failures
}

fn run_all(kind: &str, check: fn(&Path) -> Vec<String>) {
    let mut failures: Vec<String> = Vec::new();
    for case in conformance_cases(kind) {
        let name = name(&case);
        let found = check(&case);
        match NOT_YET.iter().find(|(n, _)| *n == name) {
            Some((_, why)) if found.is_empty() => failures.push(format!(
                "{name} passes now: take it off NOT_YET (it was there because {why})"
            )),
            Some((_, why)) => eprintln!("{name}: expected to fail: {why}"),
            None => failures.extend(found.into_iter().map(|f| format!("{name}: {f}"))),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn ok_cases_check_and_answer_paths() {
    run_all("ok", check_ok_case);
}

#[test]
fn bad_cases_fail_with_located_errors() {
    run_all("bad", check_bad_case);
}

fn tree(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).expect("read");
            (e.path().strip_prefix(root).unwrap().to_path_buf(), bytes)
        })
        .collect();
    files.sort();
    files
}

/// New cases arrive in the content format's own suites; where those are
/// checked out beside the project (`../shared/conformance` and
/// `../shared/conformance-1.1`), the copies here must match them. Elsewhere
/// (a lone clone) the comparison is skipped, visibly, and fails under CI.
#[test]
fn copies_match_shared_conformance() {
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    for suite in CONFORMANCE_SUITES {
        let shared = project.join("../shared").join(suite);
        if !shared.is_dir() {
            missing(&format!(
                "../shared/{suite} (to compare tests/{suite} with)"
            ));
            continue;
        }
        let copy = project.join("tests").join(suite);
        let ours: Vec<PathBuf> = tree(&copy).into_iter().map(|(p, _)| p).collect();
        let theirs: Vec<PathBuf> = tree(&shared).into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            ours, theirs,
            "tests/{suite} lists other files than ../shared/{suite}: copy it again"
        );
        assert!(
            tree(&copy) == tree(&shared),
            "tests/{suite} differs from ../shared/{suite}: copy it again"
        );
    }
}

#[test]
fn error_matching_rules() {
    let want = ExpectedError {
        file: "scenarios/s.yaml".into(),
        line: Some(2),
        contains: Some("NoSuch".into()),
    };
    assert!(matches_error(
        "content/scenarios/s.yaml:2:5: error: unknown product `nosuch`",
        &want
    ));
    assert!(!matches_error(
        "content/scenarios/s.yaml:3:5: error: unknown product `nosuch`",
        &want
    ));
    assert!(!matches_error(
        "content/scenarios/t.yaml:2:5: error: unknown product `nosuch`",
        &want
    ));
}
