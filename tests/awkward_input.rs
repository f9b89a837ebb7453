//! Awkward input: files that a careless loader misreads (byte order marks,
//! CRLF, versions that look like numbers) and files that would make it panic,
//! hang, overflow its stack or eat all memory (alias bombs, deep nesting,
//! huge files, symlink loops).
//!
//! These tests use the command-line contract only (see
//! `shared/conformance/README.md`): `upgrade-atlas --root DIR check` exits 0
//! when clean and 1 with errors on stderr, one error a line, starting with
//! `path:line:column:` (path relative to DIR), possibly followed by indented
//! lines (snippets, hints); `path FROM TO --json` prints one JSON object.
//!
//! Every run of the binary is watched: it is killed, and the test fails, if
//! it runs longer than [`TIMEOUT`] or its resident memory grows past
//! [`MAX_RSS_KIB`]. Both are generous guards against hangs and runaway
//! allocation, not speed measurements.

use std::fmt::Write as _;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tempfile::TempDir;

/// A run that takes longer than this is taken as a hang.
const TIMEOUT: Duration = Duration::from_secs(10);

/// A run whose peak resident memory exceeds this (in KiB) is taken as runaway.
const MAX_RSS_KIB: u64 = 1024 * 1024;

/// A valid product with two versions.
const PRODUCT_A: &str = "name: A\nversions:\n  - id: \"1.0\"\n  - id: \"2.0\"\n";

/// A knowledge base in a temporary folder.
struct Kb {
    dir: TempDir,
}

impl Kb {
    fn new() -> Self {
        Kb {
            dir: tempfile::tempdir().expect("create a temporary folder"),
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `bytes` to `rel` (relative to the root), creating its folders.
    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().expect("a file has a parent folder"))
            .expect("create folders");
        fs::write(&path, bytes).expect("write a file");
        path
    }

    /// Creates the folder `rel` (relative to the root) and its parents.
    fn mkdir(&self, rel: &str) -> PathBuf {
        let path = self.root().join(rel);
        fs::create_dir_all(&path).expect("create folders");
        path
    }

    fn run(&self, args: &[&str]) -> Run {
        run(self.root(), args)
    }

    fn check(&self) -> Run {
        self.run(&["check"])
    }

    /// Runs `path FROM TO --json`, asserts that it answers with the expected
    /// `from`, `to` and `path` (a list of versions, or null, for which it
    /// exits 1), and returns the whole JSON object.
    fn assert_path(&self, from: &str, to: &str, expected: &Value) -> Value {
        let run = self.run(&["path", from, to, "--json"]);
        assert_exit(&run, if expected.is_null() { 1 } else { 0 });
        let value: Value = serde_json::from_str(run.stdout.trim()).unwrap_or_else(|e| {
            panic!(
                "`path {from} {to} --json` did not print one JSON object ({e}); stdout:\n{}",
                excerpt(&run.stdout)
            )
        });
        assert_eq!(value["from"], json!(from), "`from` in {value}");
        assert_eq!(value["to"], json!(to), "`to` in {value}");
        assert_eq!(&value["path"], expected, "`path` in {value}");
        assert!(value["issues"].is_array(), "`issues` in {value}");
        value
    }
}

/// What one run of the binary did.
struct Run {
    args: Vec<String>,
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

/// Runs `upgrade-atlas --root ROOT ARGS...` under the hang and memory guards.
fn run(root: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_upgrade-atlas"))
        .arg("--root")
        .arg(root)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start upgrade-atlas");
    // Drain both pipes while waiting, so a chatty child never blocks on them.
    let stdout = drain(child.stdout.take().expect("piped stdout"));
    let stderr = drain(child.stderr.take().expect("piped stderr"));
    let started = Instant::now();
    let mut peak_kib = 0;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for upgrade-atlas") {
            break status;
        }
        peak_kib = peak_kib.max(peak_rss_kib(child.id()).unwrap_or(0));
        if started.elapsed() > TIMEOUT || peak_kib > MAX_RSS_KIB {
            // Ignore errors: the child may have exited in the meantime.
            let _ = child.kill();
            let _ = child.wait();
            let stderr = stderr.join().expect("stderr reader");
            panic!(
                "upgrade-atlas {args:?} killed after {:?} with a peak of {peak_kib} KiB \
                 resident (limits: {TIMEOUT:?}, {MAX_RSS_KIB} KiB); stderr so far:\n{}",
                started.elapsed(),
                excerpt(&stderr)
            );
        }
        thread::sleep(Duration::from_millis(5));
    };
    Run {
        args: args.iter().map(ToString::to_string).collect(),
        status,
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    }
}

fn drain(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Peak resident memory of a running process, where `/proc` tells it.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The start of a long output, for failure messages.
fn excerpt(text: &str) -> String {
    const MAX: usize = 4000;
    if text.len() <= MAX {
        return text.to_owned();
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}\n... ({} bytes in all)", &text[..end], text.len())
}

/// Asserts the exit code (a process killed by a signal, as on a stack
/// overflow, has none) and that nothing panicked.
fn assert_exit(run: &Run, code: i32) {
    assert!(
        !run.stderr.contains("panicked"),
        "upgrade-atlas {:?} panicked; stderr:\n{}",
        run.args,
        excerpt(&run.stderr)
    );
    assert_eq!(
        run.status.code(),
        Some(code),
        "upgrade-atlas {:?} ended with {} instead of exit code {code}; stderr:\n{}",
        run.args,
        run.status,
        excerpt(&run.stderr)
    );
}

/// Error output split into diagnostics: each line that does not start with
/// whitespace, together with the indented lines (snippets, hints) after it.
fn diagnostics(stderr: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in stderr.lines() {
        let indented = line.starts_with([' ', '\t']);
        match out.last_mut() {
            Some(last) if indented => {
                last.push('\n');
                last.push_str(line);
            }
            _ => out.push(line.to_owned()),
        }
    }
    out
}

/// Whether a diagnostic starts with `PATH:LINE:` (any line number if `line`
/// is `None`).
fn located_at(diagnostic: &str, path: &str, line: Option<u32>) -> bool {
    let Some(rest) = diagnostic
        .strip_prefix(path)
        .and_then(|r| r.strip_prefix(':'))
    else {
        return false;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || !rest[digits..].starts_with(':') {
        return false;
    }
    line.is_none_or(|l| rest[..digits] == l.to_string())
}

/// Asserts that check failed cleanly (exit 1, no panic) with a diagnostic
/// that starts with `PATH:LINE:` and contains every needle (ignoring case).
fn assert_error(run: &Run, path: &str, line: Option<u32>, needles: &[&str]) {
    assert_exit(run, 1);
    let found = diagnostics(&run.stderr).iter().any(|d| {
        let lower = d.to_lowercase();
        located_at(d, path, line) && needles.iter().all(|n| lower.contains(&n.to_lowercase()))
    });
    let at = line.map_or("LINE".to_owned(), |l| l.to_string());
    assert!(
        found,
        "expected an error starting with `{path}:{at}:` and containing {needles:?}; stderr:\n{}",
        excerpt(&run.stderr)
    );
}

/// Asserts that check failed cleanly with a diagnostic that starts with
/// `PATH:` (for problems that belong to no line, such as a symlink).
fn assert_names(run: &Run, path: &str) {
    assert_exit(run, 1);
    let prefix = format!("{path}:");
    assert!(
        diagnostics(&run.stderr)
            .iter()
            .any(|d| d.starts_with(&prefix)),
        "expected an error starting with `{prefix}`; stderr:\n{}",
        excerpt(&run.stderr)
    );
}

// ---------------------------------------------------------------------------
// Read correctly

#[test]
fn byte_order_mark_is_ignored() {
    let kb = Kb::new();
    kb.write(
        "content/products/a.yaml",
        format!("\u{feff}{PRODUCT_A}upgrades:\n  policy: sequential\n"),
    );
    assert_exit(&kb.check(), 0);
    kb.assert_path("a@1.0", "a@2.0", &json!(["a@1.0", "a@2.0"]));
}

#[test]
fn crlf_line_ends_are_read_like_lf() {
    let kb = Kb::new();
    let product = "name: A\n\
                   summary: |\n  First line.\n  Second line.\n\
                   versions:\n  - id: \"1.0\"\n  - id: 2.0\n  - id: \"3.0\"\n";
    let scenario = "from: a@1.0\n\
                    to: a@3.0\n\
                    direct: supported\n\
                    steps:\n  - Back up.\n  - Upgrade.\n\
                    issues:\n  - title: Mind the gap\n    severity: info\n    body: |\n      Two\n      lines.\n";
    kb.write("content/products/a.yaml", product.replace('\n', "\r\n"));
    kb.write("content/scenarios/s.yaml", scenario.replace('\n', "\r\n"));
    assert_exit(&kb.check(), 0);
    let value = kb.assert_path("a@1.0", "a@3.0", &json!(["a@1.0", "a@3.0"]));
    let issues = value["issues"].as_array().expect("issues");
    assert_eq!(issues.len(), 1, "issues in {value}");
    assert_eq!(issues[0]["title"], json!("Mind the gap"), "in {value}");
    assert_eq!(issues[0]["severity"], json!("info"), "in {value}");
    assert_eq!(issues[0]["scenario"], json!("s"), "in {value}");
    // 2.0 (unquoted, before a CR) must still be the version "2.0", and no
    // rule links the versions: the only route is the scenario.
    kb.assert_path("a@1.0", "a@2.0", &Value::Null);
}

#[test]
fn unquoted_versions_keep_their_text() {
    let kb = Kb::new();
    kb.write(
        "content/products/a.yaml",
        "name: A\n\
         versions:\n  - id: 1.9\n  - id: 1.10\n  - id: 1.100\n\
         upgrades: { policy: sequential }\n",
    );
    assert_exit(&kb.check(), 0);
    kb.assert_path("a@1.9", "a@1.100", &json!(["a@1.9", "a@1.10", "a@1.100"]));
}

#[test]
fn unquoted_float_and_alphanumeric_version_ids() {
    let kb = Kb::new();
    kb.write(
        "content/products/a.yaml",
        "name: A\n\
         versions:\n  - id: 4.0\n  - id: 2012r2\n    name: 2012 R2\n\
         upgrades: { policy: sequential }\n",
    );
    assert_exit(&kb.check(), 0);
    kb.assert_path("a@4.0", "a@2012r2", &json!(["a@4.0", "a@2012r2"]));
}

// ---------------------------------------------------------------------------
// Clear, located errors

#[test]
fn empty_product_file() {
    let kb = Kb::new();
    kb.write("content/products/b.yaml", PRODUCT_A.replace('A', "B"));
    kb.write("content/products/a.yaml", "");
    assert_error(&kb.check(), "content/products/a.yaml", Some(1), &[]);
}

#[test]
fn product_file_that_is_a_list() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", "- id: \"1.0\"\n- id: \"2.0\"\n");
    assert_error(&kb.check(), "content/products/a.yaml", Some(1), &[]);
}

#[test]
fn tab_indentation() {
    let kb = Kb::new();
    kb.write(
        "content/products/a.yaml",
        "name: A\nversions:\n\t- id: \"1.0\"\n\t- id: \"2.0\"\n",
    );
    assert_error(&kb.check(), "content/products/a.yaml", Some(3), &[]);
}

#[test]
fn duplicate_key_names_the_second() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", format!("{PRODUCT_A}name: B\n"));
    assert_error(&kb.check(), "content/products/a.yaml", Some(5), &["name"]);
}

#[test]
fn non_utf8_bytes() {
    let kb = Kb::new();
    let mut bytes = b"name: A\xff\n".to_vec();
    bytes.extend_from_slice(b"versions:\n  - id: \"1.0\"\n  - id: \"2.0\"\n");
    kb.write("content/products/a.yaml", bytes);
    assert_error(&kb.check(), "content/products/a.yaml", Some(1), &["utf"]);
}

#[test]
fn ten_megabyte_file() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT_A);
    let summary = "x".repeat(10 * 1024 * 1024);
    kb.write(
        "content/scenarios/big.yaml",
        format!("from: a@1.0\nto: a@2.0\ndirect: supported\nsummary: {summary}\n"),
    );
    let run = kb.check();
    assert_error(&run, "content/scenarios/big.yaml", None, &[]);
    assert!(
        run.stderr.len() < 1024 * 1024,
        "the error output echoes the huge file back ({} bytes)",
        run.stderr.len()
    );
}

#[test]
fn alias_bomb() {
    // Billion laughs: nine levels of nine aliases, 9^9 copies of "lol" when
    // expanded.
    let mut text = format!("{PRODUCT_A}l0: &l0 lol\n");
    for level in 1..=9 {
        let aliases = vec![format!("*l{}", level - 1); 9].join(", ");
        writeln!(text, "l{level}: &l{level} [{aliases}]").expect("write to a String");
    }
    text.push_str("summary: *l9\n");
    let kb = Kb::new();
    kb.write("content/products/a.yaml", text);
    assert_error(&kb.check(), "content/products/a.yaml", None, &[]);
}

#[test]
fn deep_nesting_in_a_value() {
    let kb = Kb::new();
    kb.write(
        "content/products/a.yaml",
        format!(
            "{PRODUCT_A}summary: {}{}\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ),
    );
    assert_error(&kb.check(), "content/products/a.yaml", Some(5), &[]);
}

#[test]
fn deep_nesting_at_top_level() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT_A);
    kb.write(
        "content/products/deep.yaml",
        format!("{}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
    );
    assert_error(&kb.check(), "content/products/deep.yaml", Some(1), &[]);
}

#[cfg(unix)]
#[test]
fn symlink_loop() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT_A);
    let scenarios = kb.mkdir("content/scenarios");
    // content/scenarios/loop -> content/, so content/scenarios/loop/scenarios/loop/...
    std::os::unix::fs::symlink("..", scenarios.join("loop")).expect("create a symlink");
    assert_names(&kb.check(), "content/scenarios/loop");
}

#[cfg(unix)]
#[test]
fn symlink_out_of_content() {
    let outside = tempfile::tempdir().expect("create a temporary folder");
    let target = outside.path().join("b.yaml");
    fs::write(&target, PRODUCT_A.replace('A', "B")).expect("write a file");
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT_A);
    let products = kb.mkdir("content/products");
    std::os::unix::fs::symlink(&target, products.join("b.yaml")).expect("create a symlink");
    assert_names(&kb.check(), "content/products/b.yaml");
}

#[test]
fn unknown_field_in_a_version_suggests_the_known_one() {
    let kb = Kb::new();
    kb.write(
        "content/products/a.yaml",
        "name: A\nversions:\n  - id: \"1.0\"\n    nmae: x\n  - id: \"2.0\"\n",
    );
    let run = kb.check();
    assert_error(&run, "content/products/a.yaml", Some(4), &["nmae"]);
    let hinted = diagnostics(&run.stderr).iter().any(|d| {
        let lower = d.to_lowercase();
        located_at(d, "content/products/a.yaml", Some(4))
            && lower
                .split_once("did you mean")
                .is_some_and(|(_, hint)| hint.contains("name"))
    });
    assert!(
        hinted,
        "expected the error on line 4 to say \"did you mean `name`\"; stderr:\n{}",
        excerpt(&run.stderr)
    );
}

#[test]
fn unsupported_value_of_direct_lists_the_choices() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT_A);
    kb.write(
        "content/scenarios/s.yaml",
        "from: a@1.0\nto: a@2.0\ndirect: maybe\n",
    );
    let run = kb.check();
    assert_error(&run, "content/scenarios/s.yaml", Some(3), &["unsupported"]);
    // Both choices: "supported" on its own as well as inside "unsupported".
    let listed = diagnostics(&run.stderr).iter().any(|d| {
        located_at(d, "content/scenarios/s.yaml", Some(3))
            && d.to_lowercase().matches("supported").count() >= 2
    });
    assert!(
        listed,
        "expected the error on line 3 to list `supported` and `unsupported`; stderr:\n{}",
        excerpt(&run.stderr)
    );
}

#[test]
fn every_broken_file_is_reported_at_once() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT_A);
    kb.write(
        "content/products/b.yaml",
        "name: B\nversions:\n\t- id: \"1.0\"\n",
    );
    kb.write(
        "content/products/c.yaml",
        b"name: C\xff\nversions:\n  - id: \"1.0\"\n",
    );
    kb.write("content/products/e.yaml", "");
    kb.write(
        "content/scenarios/x/s1.yaml",
        "from: a@1.0\nto: a@2.0\ndirect: maybe\n",
    );
    kb.write(
        "content/scenarios/s2.yaml",
        "from: a@1.0\nto: a@2.0\ndirect: supported\nsumary: typo\n",
    );
    let run = kb.check();
    for path in [
        "content/products/b.yaml",
        "content/products/c.yaml",
        "content/products/e.yaml",
        "content/scenarios/x/s1.yaml",
        "content/scenarios/s2.yaml",
    ] {
        assert_error(&run, path, None, &[]);
    }
}

#[test]
fn uppercase_product_id() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT_A);
    kb.write("content/products/Upper.yaml", PRODUCT_A.replace('A', "U"));
    assert_names(&kb.check(), "content/products/Upper.yaml");
}

#[test]
fn product_id_starting_with_a_dash() {
    let kb = Kb::new();
    kb.write("content/products/a.yaml", PRODUCT_A);
    kb.write("content/products/-bad.yaml", PRODUCT_A.replace('A', "Bad"));
    assert_names(&kb.check(), "content/products/-bad.yaml");
}

#[test]
fn missing_content_folder() {
    let kb = Kb::new();
    kb.write("README.md", "Not a knowledge base.\n");
    let run = kb.check();
    assert_exit(&run, 1);
    assert!(
        run.stderr.to_lowercase().contains("content"),
        "expected stderr to say that content/ is missing; stderr:\n{}",
        excerpt(&run.stderr)
    );
}
