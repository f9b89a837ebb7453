//! Runs of the real binary under guards: each run is killed, and the test
//! fails, if it uses more than [`CPU_LIMIT`] of processor time, waits longer
//! than [`TIMEOUT`], or its resident memory grows past [`MAX_RSS_KIB`]. They
//! are generous guards against runaway work, hangs and runaway allocation,
//! not speed measurements. Processor time, unlike the clock, does not grow
//! when the machine is shared: the wall-clock limit only catches a run that
//! waits forever. With them, helpers that read the
//! command-line contract: `path:line:column: message; hint` diagnostics,
//! one a line, followed by indented lines (snippets).

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tempfile::TempDir;

/// A run that uses more processor time than this is taken as runaway work
/// (the quadratic version check of 80,000 versions took 420 s; the debug
/// binary needs about 1 s now).
pub const CPU_LIMIT: Duration = Duration::from_secs(10);

/// A run that takes longer than this by the clock is taken as a hang, even
/// on a loaded machine.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// A run whose peak resident memory exceeds this (in KiB) is taken as runaway.
pub const MAX_RSS_KIB: u64 = 1024 * 1024;

/// A knowledge base in a temporary folder.
pub struct Kb {
    pub dir: TempDir,
}

impl Kb {
    pub fn new() -> Self {
        Kb {
            dir: tempfile::tempdir().expect("create a temporary folder"),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `bytes` to `rel` (relative to the root), creating its folders.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().expect("a file has a parent folder"))
            .expect("create folders");
        fs::write(&path, bytes).expect("write a file");
        path
    }

    /// Creates the folder `rel` (relative to the root) and its parents.
    pub fn mkdir(&self, rel: &str) -> PathBuf {
        let path = self.root().join(rel);
        fs::create_dir_all(&path).expect("create folders");
        path
    }

    pub fn run(&self, args: &[&str]) -> Run {
        run(self.root(), args)
    }

    pub fn check(&self) -> Run {
        self.run(&["check"])
    }

    /// Runs `path FROM TO --json`, asserts that it answers with the expected
    /// `from`, `to` and `path` (a list of versions, or null, for which it
    /// exits 1), and returns the whole JSON object.
    pub fn assert_path(&self, from: &str, to: &str, expected: &Value) -> Value {
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
pub struct Run {
    pub args: Vec<String>,
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `upgrade-atlas --root ROOT ARGS...` under the hang and memory guards.
pub fn run(root: &Path, args: &[&str]) -> Run {
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
    let mut cpu = Duration::ZERO;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for upgrade-atlas") {
            break status;
        }
        peak_kib = peak_kib.max(peak_rss_kib(child.id()).unwrap_or(0));
        cpu = cpu_time(child.id()).unwrap_or(cpu);
        if cpu > CPU_LIMIT || started.elapsed() > TIMEOUT || peak_kib > MAX_RSS_KIB {
            // Ignore errors: the child may have exited in the meantime.
            let _ = child.kill();
            let _ = child.wait();
            let stderr = stderr.join().expect("stderr reader");
            panic!(
                "upgrade-atlas {args:?} killed after {:?} ({cpu:?} of processor time) with a \
                 peak of {peak_kib} KiB resident (limits: {CPU_LIMIT:?} of processor time, \
                 {TIMEOUT:?}, {MAX_RSS_KIB} KiB); stderr so far:\n{}",
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

pub fn drain(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Processor time (user and system) of a running process, where `/proc`
/// tells it. Its `stat` counts in clock ticks of 1/100 s (USER_HZ, 100 on
/// every Linux the tests run on).
pub fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold
    // spaces: state is field 3, utime 14 and stime 15.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |n: usize| fields.get(n - 3)?.parse::<u64>().ok();
    Some(Duration::from_millis((ticks(14)? + ticks(15)?) * 10))
}

/// Peak resident memory of a running process, where `/proc` tells it.
pub fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The start of a long output, for failure messages.
pub fn excerpt(text: &str) -> String {
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
pub fn assert_exit(run: &Run, code: i32) {
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
pub fn diagnostics(stderr: &str) -> Vec<String> {
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
pub fn located_at(diagnostic: &str, path: &str, line: Option<u32>) -> bool {
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
pub fn assert_error(run: &Run, path: &str, line: Option<u32>, needles: &[&str]) {
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
pub fn assert_names(run: &Run, path: &str) {
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

/// [`assert_error`], and the diagnostic carries a hint: its first line goes
/// on after the message with `; `.
pub fn assert_error_with_hint(run: &Run, path: &str, line: Option<u32>, needles: &[&str]) {
    assert_error(run, path, line, needles);
    let hinted = diagnostics(&run.stderr).iter().any(|d| {
        let lower = d.to_lowercase();
        let first = d.lines().next().unwrap_or_default();
        located_at(d, path, line)
            && needles.iter().all(|n| lower.contains(&n.to_lowercase()))
            && first
                .split_once(": error: ")
                .is_some_and(|(_, rest)| rest.contains("; "))
    });
    assert!(
        hinted,
        "the error at {path} has no hint (`; ` after the message); stderr:\n{}",
        excerpt(&run.stderr)
    );
}

/// Asserts that check failed cleanly with an error about `path` as a
/// whole (a link, a folder, a file that cannot be read), printed as
/// `PATH: error: message; hint` with no made-up line, and containing
/// every needle (ignoring case).
pub fn assert_error_at_path(run: &Run, path: &str, needles: &[&str]) {
    assert_exit(run, 1);
    let prefix = format!("{path}: error: ");
    let found = diagnostics(&run.stderr).iter().any(|d| {
        let lower = d.to_lowercase();
        let first = d.lines().next().unwrap_or_default();
        d.starts_with(&prefix)
            && first.contains("; ")
            && needles.iter().all(|n| lower.contains(&n.to_lowercase()))
    });
    assert!(
        found,
        "expected an error starting with `{prefix}`, with a hint, containing {needles:?}; stderr:\n{}",
        excerpt(&run.stderr)
    );
}
