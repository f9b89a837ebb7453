//! Builds into one output that run at the same time, or die at any moment
//! (kill -9): the output is always one whole site, never a mix and never
//! missing, and the next build removes whatever a killed one left. Each
//! build is a process of the real binary; `UPGRADE_ATLAS_TEST_PAUSE` (a
//! test-only hook, see `pause_at` in src/write.rs) stops one at a named point.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Stdio};
use std::time::{Duration, Instant};

use common::{entries, files};
use tempfile::TempDir;

type Site = BTreeMap<String, Vec<u8>>;

/// A small generated knowledge base: `products` products of three versions
/// and twice as many scenarios, every title carrying `tag`.
fn generated_base(tag: &str, products: usize) -> TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("products")).unwrap();
    std::fs::create_dir_all(content.join("scenarios")).unwrap();
    for p in 0..products {
        let mut yaml = format!("name: {tag} product {p}\nsummary: Made for a test.\nversions:\n");
        for v in 0..3 {
            writeln!(yaml, "  - id: \"{v}.0\"").unwrap();
        }
        yaml.push_str("upgrades: { policy: sequential }\n");
        std::fs::write(content.join(format!("products/p{p}.yaml")), yaml).unwrap();
    }
    for s in 0..2 * products {
        let (from, to) = (s % products, (s % products + 1) % products);
        let (from, to) = (from.min(to), from.max(to));
        let yaml = format!(
            "from: p{from}@{}.0\nto: p{to}@{}.0\ndirect: supported\ntitle: {tag} scenario {s}\n\
             summary: Moving on.\nissues:\n  - title: {tag} issue {s}\n    severity: warning\n    body: Watch it.\n",
            s % 3,
            (s + 1) % 3
        );
        std::fs::write(content.join(format!("scenarios/s{s}.yaml")), yaml).unwrap();
    }
    dir
}

/// Two knowledge bases, the site each builds alone, and an output folder.
struct Fixture {
    a: TempDir,
    b: TempDir,
    site_a: Site,
    site_b: Site,
    /// How long one build of `a` took, to spread the moments tests pick.
    build_time: Duration,
    _dir: TempDir,
    output: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let (a, b) = (generated_base("Alpha", 4), generated_base("Beta", 3));
        let dir = tempfile::tempdir().expect("a temporary folder");
        let started = Instant::now();
        let site_a = reference_site(a.path());
        let build_time = started.elapsed();
        let site_b = reference_site(b.path());
        assert_ne!(
            site_a.keys().collect::<Vec<_>>(),
            site_b.keys().collect::<Vec<_>>(),
            "the two sites must differ in their file lists"
        );
        let output = dir.path().join("site");
        Fixture {
            a,
            b,
            site_a,
            site_b,
            build_time,
            _dir: dir,
            output,
        }
    }

    /// The knowledge base `a` or `b`.
    fn kb(&self, which: char) -> &Path {
        if which == 'a' {
            self.a.path()
        } else {
            self.b.path()
        }
    }

    /// Builds `which` into the output, asserting success.
    fn build(&self, which: char) {
        let out = build(self.kb(which), &self.output, &[]).wait();
        assert!(out.success, "build of {which} failed: {}", out.stderr);
    }

    /// The site in the output, asserting that it is exactly one of the two.
    fn which_site(&self) -> char {
        assert!(self.output.is_dir(), "no site at all in the output");
        let site = files(&self.output);
        if site == self.site_a {
            'a'
        } else if site == self.site_b {
            'b'
        } else {
            panic!(
                "the output is neither site whole: {}",
                self.difference(&site)
            )
        }
    }

    fn difference(&self, site: &Site) -> String {
        let names = |s: &Site| s.keys().cloned().collect::<BTreeSet<_>>();
        let (found, a, b) = (names(site), names(&self.site_a), names(&self.site_b));
        format!(
            "{} files; {} missing from a, {} not in a; {} missing from b, {} not in b",
            found.len(),
            a.difference(&found).count(),
            found.difference(&a).count(),
            b.difference(&found).count(),
            found.difference(&b).count(),
        )
    }

    /// What is beside the output besides the output itself and the
    /// manifest of what the last build wrote.
    fn beside(&self) -> BTreeSet<String> {
        let mut names = entries(self.output.parent().unwrap());
        names.remove("site");
        names.remove(".site.manifest");
        names
    }

    fn lock_file(&self) -> PathBuf {
        self.output.with_file_name(".site.lock")
    }
}

/// The site `kb` builds into a folder of its own.
fn reference_site(kb: &Path) -> Site {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("site");
    let out = build(kb, &output, &[]).wait();
    assert!(out.success, "reference build failed: {}", out.stderr);
    files(&output)
}

/// A build running in the background.
struct Running {
    child: Child,
    stderr: BufReader<ChildStderr>,
    /// Everything read from stderr so far.
    said: String,
}

struct Finished {
    success: bool,
    stderr: String,
}

/// Starts a build of `kb` into `output`, with `env` set.
fn build(kb: &Path, output: &Path, env: &[(&str, &str)]) -> Running {
    build_with(kb, output, env, &[])
}

fn build_with(kb: &Path, output: &Path, env: &[(&str, &str)], args: &[&str]) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_upgrade-atlas"))
        .arg("--root")
        .arg(kb)
        .arg("build")
        .arg("--output")
        .arg(output)
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start upgrade-atlas");
    let stderr = BufReader::new(child.stderr.take().expect("piped stderr"));
    Running {
        child,
        stderr,
        said: String::new(),
    }
}

/// A build that stops at `point` until its standard input closes.
fn paused_build(kb: &Path, output: &Path, point: &str) -> Running {
    let mut running = build(kb, output, &[("UPGRADE_ATLAS_TEST_PAUSE", point)]);
    running.wait_for(&format!("paused at {point}"));
    running
}

impl Running {
    /// Reads stderr up to the line that contains `words`, and returns it.
    fn wait_for(&mut self, words: &str) -> String {
        loop {
            let mut line = String::new();
            let read = self.stderr.read_line(&mut line).expect("read stderr");
            assert!(
                read > 0,
                "the build ended before saying {words:?}: {}",
                self.said
            );
            self.said.push_str(&line);
            if line.contains(words) {
                return line;
            }
        }
    }

    /// Lets a paused build go on.
    fn go_on(&mut self) {
        drop(self.child.stdin.take());
    }

    fn wait(mut self) -> Finished {
        self.go_on();
        let mut rest = String::new();
        let _ = self.stderr.read_to_string(&mut rest);
        let status = self.child.wait().expect("wait for upgrade-atlas");
        Finished {
            success: status.success(),
            stderr: format!("{}{rest}", self.said),
        }
    }

    /// kill -9, and wait for the end.
    fn kill(mut self) {
        self.child.kill().expect("kill upgrade-atlas");
        self.child.wait().expect("wait for upgrade-atlas");
    }
}

impl Drop for Running {
    /// A test that fails leaves no build running.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A small, seeded pseudo-random generator (xorshift), so that a failing
/// sequence of moments can be told apart by its seed.
struct Moments(u64);

impl Moments {
    /// A moment between now and `span` from now.
    fn within(&mut self, span: Duration) -> Duration {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        span.mul_f64((self.0 % 1000) as f64 / 1000.0)
    }
}

#[test]
fn staggered_builds_into_one_output_leave_one_whole_site() {
    let fixture = Fixture::new();
    let mut moments = Moments(0x5eed_b0a7);
    for round in 0..8 {
        // Three builds, each started while the one before is probably
        // checking, rendering or swapping; who starts first alternates.
        let order = if round % 2 == 0 { "aba" } else { "bab" };
        let mut running = Vec::new();
        for which in order.chars() {
            running.push((which, build(fixture.kb(which), &fixture.output, &[])));
            std::thread::sleep(moments.within(fixture.build_time));
        }
        for (which, build) in running {
            let out = build.wait();
            assert!(
                out.success,
                "round {round}: build of {which} failed: {}",
                out.stderr
            );
        }
        fixture.which_site();
        assert_eq!(
            fixture.beside(),
            BTreeSet::new(),
            "round {round}: leftovers"
        );
    }
    fixture.build('b');
    assert_eq!(fixture.which_site(), 'b');
}

#[test]
fn a_build_waits_its_turn_says_so_and_never_touches_the_running_one() {
    let fixture = Fixture::new();
    let output = fixture.output.display().to_string();
    let first = paused_build(fixture.kb('a'), &fixture.output, "staged");
    let staging = fixture
        .beside()
        .into_iter()
        .find(|name| name.starts_with(".site.new-"))
        .expect("the first build's new site beside the output");
    let staging = fixture.output.with_file_name(staging);

    let mut second = build(
        fixture.kb('b'),
        &fixture.output,
        &[("UPGRADE_ATLAS_TEST_PAUSE", "locked")],
    );
    let waiting = second.wait_for("waiting");
    assert_eq!(
        waiting.trim_end(),
        format!(
            "waiting for another build into {output} to finish (lock held on {})",
            fixture.lock_file().display()
        )
    );
    let impatient = build_with(fixture.kb('b'), &fixture.output, &[], &["--no-wait"]).wait();
    assert!(!impatient.success);
    assert!(
        impatient.stderr.contains(&format!(
            "another build into `{output}` is running (lock held on {})",
            fixture.lock_file().display()
        )),
        "{}",
        impatient.stderr
    );
    assert_eq!(
        files(&staging),
        fixture.site_a,
        "the first build's new site was touched while it ran"
    );
    assert!(!fixture.output.exists());

    let first = first.wait();
    assert!(first.success, "{}", first.stderr);
    second.wait_for("paused at locked");
    assert_eq!(fixture.which_site(), 'a');
    // The first build removed its lock file as it ended; the second must
    // hold the lock on the file that is there now, not on the one removed.
    let impatient = build_with(fixture.kb('a'), &fixture.output, &[], &["--no-wait"]).wait();
    assert!(
        impatient.stderr.contains("is running"),
        "two builds held the lock at once: {}",
        impatient.stderr
    );

    let second = second.wait();
    assert!(second.success, "{}", second.stderr);
    assert_eq!(
        second.stderr.matches("waiting for").count(),
        1,
        "said more than once: {}",
        second.stderr
    );
    assert_eq!(fixture.which_site(), 'b');
    assert_eq!(fixture.beside(), BTreeSet::new());
}

/// The site in the output after a build of `b` over `a` is killed at
/// `point`, and what it leaves beside the output.
fn kill_at(fixture: &Fixture, point: &str) -> (char, BTreeSet<String>) {
    fixture.build('a');
    paused_build(fixture.kb('b'), &fixture.output, point).kill();
    (fixture.which_site(), fixture.beside())
}

fn starting_with(names: &BTreeSet<String>, prefix: &str) -> Vec<PathBuf> {
    names
        .iter()
        .filter(|name| name.starts_with(prefix))
        .map(PathBuf::from)
        .collect()
}

#[test]
fn a_build_killed_at_each_step_leaves_a_whole_site_and_the_next_removes_its_leftovers() {
    let fixture = Fixture::new();
    let broken = generated_base("Broken", 2);
    std::fs::write(
        broken.path().join("content/products/broken.yaml"),
        "name: [never closed\n",
    )
    .unwrap();
    for (point, site_left, leftover) in [
        ("locked", 'a', None),
        ("staged", 'a', Some(".site.new-")),
        ("swapped", 'b', Some(".site.new-")),
        ("trash", 'b', Some(".site.trash-")),
    ] {
        let (site, beside) = kill_at(&fixture, point);
        assert_eq!(site, site_left, "killed at {point}");
        assert!(
            beside.contains(".site.lock"),
            "killed at {point}: {beside:?}"
        );
        if let Some(prefix) = leftover {
            let found = starting_with(&beside, prefix);
            assert_eq!(found.len(), 1, "killed at {point}: {beside:?}");
            if point == "trash" {
                // As if killed half-way through deleting it, marker first.
                let marker = fixture
                    .output
                    .with_file_name(&found[0])
                    .join(".upgrade-atlas-output");
                std::fs::remove_file(marker).unwrap();
            }
        }

        // Even a build that fails its check removes the leftovers.
        let failed = build(broken.path(), &fixture.output, &[]).wait();
        assert!(!failed.success, "killed at {point}: the broken base built");
        assert!(failed.stderr.contains("broken.yaml"), "{}", failed.stderr);
        assert_eq!(fixture.which_site(), site_left, "killed at {point}");
        assert_eq!(fixture.beside(), BTreeSet::new(), "killed at {point}");

        fixture.build('b');
        assert_eq!(fixture.which_site(), 'b', "after a kill at {point}");
    }
}

#[test]
fn builds_killed_at_random_moments_never_leave_a_broken_or_missing_site() {
    let fixture = Fixture::new();
    fixture.build('a');
    let mut moments = Moments(0xdead_beef);
    for round in 0..12 {
        let which = if round % 2 == 0 { 'b' } else { 'a' };
        let running = build(fixture.kb(which), &fixture.output, &[]);
        std::thread::sleep(moments.within(fixture.build_time.mul_f64(1.5)));
        running.kill();
        fixture.which_site();
    }
    fixture.build('a');
    assert_eq!(fixture.which_site(), 'a');
    assert_eq!(fixture.beside(), BTreeSet::new(), "leftovers after a build");
}
