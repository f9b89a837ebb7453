//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test crate uses its own part of them

pub mod guarded;
pub mod links;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output};

/// Runs the real binary with these arguments.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_upgrade-atlas"))
        .args(args)
        .output()
        .expect("run upgrade-atlas")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Copies a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.expect("a readable entry");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("create a folder");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

/// A copy of the example knowledge base's `content/` in a temp folder.
pub fn copy_of_example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &dir.path().join("content"),
    );
    dir
}

/// The folders of conformance cases kept in this repository: the format's
/// 1.0 cases and its 1.1 additions. Each is a copy of the suite of the same
/// name that the content format publishes; where that is checked out beside
/// the project (as `../shared/`), `copies_match_shared_conformance` compares.
pub const CONFORMANCE_SUITES: [&str; 2] = ["conformance", "conformance-1.1"];

/// Every conformance case of one kind (`ok` or `bad`) in every suite, sorted.
pub fn conformance_cases(kind: &str) -> Vec<std::path::PathBuf> {
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cases: Vec<std::path::PathBuf> = CONFORMANCE_SUITES
        .iter()
        .flat_map(|suite| {
            std::fs::read_dir(project.join("tests").join(suite).join(kind))
                .unwrap_or_else(|e| panic!("tests/{suite}/{kind}: {e}"))
                .map(|e| e.expect("a readable entry").path())
        })
        .filter(|p| p.join("content").is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no conformance cases in {kind}/");
    cases
}

/// A test that needs something this machine lacks: outside CI it says so
/// and passes; under CI (where `.ci/run` installs everything) it fails.
///
/// The notice goes straight to the terminal: the test harness captures
/// `eprintln!` and shows it only for failing tests, which would hide the
/// skip behind an "ok".
pub fn missing(what: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{what} is missing, and CI must have it (.ci/run installs it)");
    }
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    let _ = writeln!(
        std::io::stderr().lock(),
        "SKIPPED in {test}: {what} is missing (under CI this fails)"
    );
}

/// `found`, or `None` after [`missing`] said that `what` is missing.
pub fn require<T>(what: &str, found: Option<T>) -> Option<T> {
    if found.is_none() {
        missing(what);
    }
    found
}

/// Whether `program` runs here (it answers `--version`).
pub fn runs(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Every file below `dir` (relative, `/`-separated) with its bytes.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("a readable entry"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                relative(dir, e.path()),
                std::fs::read(e.path()).expect("read a file"),
            )
        })
        .collect()
}

/// Names of everything (files and folders) directly inside `dir`.
pub fn entries(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .expect("a readable folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect()
}

/// `path` relative to `dir`, `/`-separated.
pub fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .expect("inside the folder")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Words for generated text: plain English, accents, other scripts, final
/// sigma, a ligature, dotted versions, and marks that split words.
const VOCABULARY: &[&str] = &[
    "upgrade",
    "upgrades",
    "upgraded",
    "server",
    "service",
    "services",
    "setup",
    "cluster",
    "cache",
    "cipher",
    "certificate",
    "rollback",
    "restart",
    "release",
    "replica",
    "database",
    "data",
    "driver",
    "agent",
    "a",
    "an",
    "as",
    "is",
    "it",
    "to",
    "the",
    "then",
    "résumé",
    "Résumé",
    "café",
    "CAFÉ",
    "naïve",
    "Ærø",
    "Straße",
    "STRASSE",
    "İstanbul",
    "ΟΔΟΣ",
    "οδός",
    "Σίσυφος",
    "Москва",
    "日本語",
    "ﬁle",
    "Ångström",
    "Å",
    "4.5",
    "4.0",
    "v2.0.1",
    "...dots...",
    "x.y.z",
    "١٢٣",
    "Ⅻ",
    "½",
    "e\u{301}te\u{301}",
    "a\u{483}b",
    "Ⓐlpha",
    "tls",
    "TLS1.2",
    "ipv6",
    "IPv6",
    "o'clock",
    "co-op",
    "C++",
    "e-mail",
];

/// Numbers that look random and are the same on every run.
pub struct Sequence(u64);

impl Sequence {
    pub fn new(seed: u64) -> Self {
        Sequence(seed)
    }

    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }

    /// `count` words of the vocabulary, space-separated.
    pub fn words(&mut self, count: usize) -> String {
        (0..count)
            .map(|_| VOCABULARY[self.below(VOCABULARY.len())])
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// From `least` to `most` words of the vocabulary.
    pub fn some_words(&mut self, least: usize, most: usize) -> String {
        let count = least + self.below(most - least + 1);
        self.words(count)
    }
}

/// A YAML scalar holding `text` (JSON strings are YAML double-quoted scalars).
fn yaml(text: &str) -> String {
    serde_json::to_string(text).expect("strings serialize")
}

/// A knowledge base in `root/content` of `products` products with
/// `versions` sequential versions each and `scenarios` scenarios between
/// them, with issues, steps and notes in words of [`VOCABULARY`]: the same
/// base for the same numbers.
pub fn generate_base(root: &Path, products: usize, versions: usize, scenarios: usize) {
    let content = root.join("content");
    std::fs::create_dir_all(content.join("products")).expect("create products/");
    std::fs::create_dir_all(content.join("scenarios")).expect("create scenarios/");
    std::fs::write(
        content.join("site.yaml"),
        "title: Generated knowledge base\n",
    )
    .expect("write site.yaml");
    let mut random = Sequence::new(products as u64 * 1000 + scenarios as u64);
    for p in 0..products {
        let mut text = format!(
            "name: {}\nsummary: {}\nversions:\n",
            yaml(&format!("{} {p}", random.words(2))),
            yaml(&random.words(12))
        );
        for v in 0..versions {
            text.push_str(&format!(
                "  - id: \"{v}.{}\"\n    summary: {}\n",
                v % 3,
                yaml(&random.words(5))
            ));
            if random.below(4) == 0 {
                text.push_str(&format!(
                    "    issues:\n      - title: {}\n        severity: info\n",
                    yaml(&random.words(4))
                ));
            }
        }
        text.push_str("upgrades: { policy: sequential }\n");
        std::fs::write(content.join(format!("products/p{p:03}.yaml")), text)
            .expect("write a product");
    }
    for s in 0..scenarios {
        let from = random.below(products);
        let to = (from + 1 + random.below(products - 1)) % products;
        let version = |v: usize| format!("{v}.{}", v % 3);
        let (from_version, to_version) = (random.below(versions), random.below(versions));
        let title = match random.below(3) {
            0 => String::new(),
            _ => format!("title: {}\n", yaml(&random.some_words(2, 7))),
        };
        let mut text = format!(
            "from: p{from:03}@{}\nto: p{to:03}@{}\ndirect: supported\n{title}summary: {}\n\
             steps:\n  - {}\n  - {}\nnotes: {}\nissues:\n",
            version(from_version),
            version(to_version),
            yaml(&random.some_words(10, 39)),
            yaml(&random.words(6)),
            yaml(&random.words(6)),
            yaml(&random.some_words(0, 79)),
        );
        for _ in 0..1 + random.below(3) {
            text.push_str(&format!(
                "  - title: {}\n    severity: warning\n    body: {}\n",
                yaml(&random.some_words(1, 5)),
                yaml(&random.some_words(0, 19))
            ));
        }
        std::fs::write(content.join(format!("scenarios/s{s:04}.yaml")), text)
            .expect("write a scenario");
    }
}

/// A CSS selector, parsed.
pub fn sel(css: &str) -> scraper::Selector {
    scraper::Selector::parse(css).unwrap_or_else(|e| panic!("selector {css}: {e:?}"))
}

/// The text of an element, whitespace collapsed.
pub fn text_of(element: scraper::ElementRef) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
