//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test crate uses its own part of them

pub mod chromium;
pub mod guarded;
pub mod js;
pub mod links;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::LazyLock;

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

/// `upgrade-atlas --root ROOT build --output OUTPUT EXTRA...`, as it ran:
/// the one way the tests build a site (tests that must watch a build run,
/// such as concurrent_builds.rs, spawn it themselves).
pub fn build_into(root: &Path, output: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "--root",
        root.to_str().expect("a UTF-8 path"),
        "build",
        "--output",
        output.to_str().expect("a UTF-8 path"),
    ];
    args.extend_from_slice(extra);
    run(&args)
}

/// Builds the knowledge base at `root` with these extra arguments into the
/// folder `site` of a new temporary folder, which it returns; panics with
/// the build's errors when it fails.
pub fn build_site(root: &Path, extra: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let built = build_into(root, &out.path().join("site"), extra);
    assert!(
        built.status.success(),
        "build of {} failed: {}",
        root.display(),
        text(&built.stderr)
    );
    out
}

/// A property test's `default` cases, or as many as PROPTEST_CASES says,
/// for long runs.
pub fn proptest_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
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

/// The long-lived product's base (tests/fixtures/longlived: 132 releases,
/// required stops, 5 conditions).
pub fn long_lived_root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/longlived")
}

/// A folder for what a test process keeps to its end (statics are never
/// dropped, so their temp folders would stay): `read-sites-PID` under
/// target/tmp. Made once; the folders of earlier test processes that are no
/// longer running are removed then, so that runs do not pile up.
pub fn process_scratch() -> &'static Path {
    static SCRATCH: LazyLock<PathBuf> = LazyLock::new(|| {
        let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
        for entry in std::fs::read_dir(tmp).into_iter().flatten().flatten() {
            let name = entry.file_name();
            let pid = name.to_str().and_then(|n| n.strip_prefix("read-sites-"));
            if pid.is_some_and(|pid| !running(pid)) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        let mine = tmp.join(format!("read-sites-{}", std::process::id()));
        std::fs::create_dir_all(&mine).expect("a scratch folder");
        mine
    });
    &SCRATCH
}

/// Whether the process `pid` runs; where /proc does not say, it is taken to
/// run, and its folder stays.
fn running(pid: &str) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid).exists()
}

/// [`long_lived_root`] rendered in memory, once per test process: its
/// page-size and whole-answer tests read the same pages, and a render
/// takes some 30 s of CPU in a debug build.
pub fn long_lived_site() -> &'static upgrade_atlas::Rendered {
    static SITE: LazyLock<upgrade_atlas::Rendered> = LazyLock::new(|| {
        let options = upgrade_atlas::plan::PlanOptions::default();
        upgrade_atlas::render_site(&long_lived_root(), &options).expect("renders")
    });
    &SITE
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

/// A copy of the example with `language:` in its site.yaml set to `language`.
pub fn example_in(language: &str) -> tempfile::TempDir {
    let copy = copy_of_example();
    let site = copy.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&site).expect("the example has a site.yaml");
    assert!(
        text.contains("\nlanguage: en\n"),
        "the example's site.yaml names its language"
    );
    let text = text.replace("\nlanguage: en\n", &format!("\nlanguage: {language}\n"));
    std::fs::write(&site, text).expect("site.yaml written");
    copy
}

/// The folders of conformance cases kept in this repository: the format's
/// 1.0 cases and its 1.1 additions. Each is a copy of the suite of the same
/// name that the content format publishes; where that is checked out beside
/// the project (as `../shared/`), `copies_match_shared_conformance` compares.
pub const CONFORMANCE_SUITES: [&str; 3] = ["conformance", "conformance-1.1", "conformance-1.2"];

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

/// tests/browser/node_modules with `package`, and Node.js to run it, or
/// `None` after saying which is missing.
pub fn node_package(package: &str) -> Option<PathBuf> {
    require("node (Node.js)", runs("node").then_some(()))?;
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser/node_modules")
        .join(package);
    require(
        &format!("tests/browser/node_modules/{package} (npm ci in tests/browser)"),
        path.exists().then_some(path),
    )
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

/// A knowledge base shaped like the ones people read, larger than the
/// example and written to strain a page: a database of 16 versions (the
/// newest an LTS with a long name), a directory service that upgrades into
/// it, and a distribution of 14 versions named like `11 "bullseye"`;
/// release dates, conditions, issues only under a condition, a long
/// configuration line in code, a documented "not supported" with a way
/// round it, a refused downgrade, and a component whose name is not its id.
pub fn generate_reading_base(root: &Path) {
    let content = root.join("content");
    for dir in ["products", "scenarios", "components"] {
        std::fs::create_dir_all(content.join(dir)).expect("create a folder");
    }
    let write = |path: &str, text: String| {
        std::fs::write(content.join(path), text).expect("write a file");
    };
    write(
        "site.yaml",
        "title: Database and distribution upgrades (generated)\nlanguage: en\n\
         description: Generated to read at every width, in print and without JavaScript.\n\
         conditions:\n  replica: The server is a replica.\n  large: The database holds more than 1 TB.\n"
            .into(),
    );
    write(
        "components/usrmerge.yaml",
        "name: Merged /usr\nsummary: The root file system's `/bin`, `/sbin` and `/lib` are links into `/usr`.\n".into(),
    );
    write("components/wifi.yaml", "name: Wi-Fi firmware\n".into());
    let mut database = String::from(
        "name: Relational Database Community Server\nvendor: Generated Systems\n\
         summary: A database server whose every release is an upgrade of the one before.\nversions:\n",
    );
    for v in 0..16 {
        // The newest is a long-term release: 8.4, after 8.2.
        let (major, minor) = if v == 15 { (8, 4) } else { (5 + v / 4, v % 4) };
        let name = if v == 15 { "\n    name: 8.4 LTS" } else { "" };
        database.push_str(&format!(
            "  - id: \"{major}.{minor}\"{name}\n    released: 20{:02}-{:02}-03\n    summary: Release {major}.{minor} of the server, with the planner and replication changes of its year.\n",
            8 + v,
            1 + v % 12
        ));
        if v == 9 {
            database.push_str(
                "    issues:\n      - title: Downgrading needs a logical dump\n        severity: warning\n        body: \"Set `default_authentication_plugin=mysql_native_password` before you downgrade.\"\n",
            );
        }
    }
    database.push_str("upgrades:\n  policy: sequential\n");
    write("products/database.yaml", database);
    write(
        "products/directory.yaml",
        "name: Directory Service for Enterprise Networks\nversions:\n  - id: \"1\"\n  - id: \"2\"\n  - id: \"3\"\n  - id: \"4\"\nupgrades:\n  policy: sequential\n".into(),
    );
    let codenames = [
        "hamm", "slink", "potato", "woody", "sarge", "etch", "lenny", "squeeze", "wheezy",
        "jessie", "stretch", "buster", "bullseye", "bookworm",
    ];
    let mut distribution = String::from("name: Distribution\nversions:\n");
    for (i, codename) in codenames.iter().enumerate() {
        let usr = if i >= 12 {
            "\n    components: [usrmerge, wifi]"
        } else {
            ""
        };
        distribution.push_str(&format!(
            "  - id: \"{}\"\n    name: '{} \"{codename}\"'\n    aliases: [{codename}]\n    released: 20{:02}-{:02}-1{}{usr}\n",
            i + 1,
            i + 1,
            i + 10,
            1 + i % 12,
            i % 10
        ));
    }
    distribution.push_str("upgrades:\n  policy: sequential\n");
    write("products/distribution.yaml", distribution);
    write(
        "scenarios/directory-into-database.yaml",
        "from: directory@4\nto: database@6.0\ndirect: supported\ntitle: Move the directory's store into the database server\n\
         steps:\n  - Export the directory with `slapcat -n 1 -l /var/backups/directory-export-with-a-long-name.ldif`.\n  - Import it.\n\
         issues:\n  - title: Replicas keep the old schema until they are rebuilt\n    severity: blocking\n    when: replica\n    body: Rebuild each replica from the new primary.\n  - title: Large stores need a maintenance window\n    severity: info\n    when: large\n"
            .into(),
    );
    write(
        "scenarios/database-skip.yaml",
        "from: database@7.2\nto: database@8.0\ndirect: unsupported\nvia: [database@7.3]\ntitle: From 7.2 straight to 8.0\n\
         summary: Not supported in one step; go through 7.3.\nalternatives:\n  - title: Dump and reload\n    body: Restore a logical dump into a fresh server.\n"
            .into(),
    );
    write(
        "scenarios/database-downgrade.yaml",
        "from: database@7.1\nto: database@7.0\ndirect: unsupported\ntitle: Going back from 7.1 to 7.0\n\
         summary: Downgrades are not supported; restore the backup you took before the upgrade.\n"
            .into(),
    );
    write(
        "scenarios/database-8.yaml",
        "from: database@7.3\nto: database@8.0\ndirect: supported\n\
         issues:\n  - title: The default authentication plugin changes\n    severity: warning\n\
         \x20   body: |\n      Clients that cannot use the new plugin fail to log in. Until they can, set:\n\n\
         \x20     ```\n      [mysqld]\n      default_authentication_plugin=mysql_native_password # keeps clients of the 5.x series and every connector released before 2018 working\n      ```\n\
         \x20 - title: Replicas must run 8.0 before the primary does\n    severity: blocking\n    when: replica\n"
            .into(),
    );
    write(
        "scenarios/distribution-usrmerge.yaml",
        "from: distribution@12\nto: distribution@13\ndirect: supported\ntitle: Upgrade to 13 \"bullseye\" with merged /usr\n\
         issues:\n  - title: Files in /bin move under /usr\n    severity: warning\n    component: usrmerge\n\
         \x20 - title: Wi-Fi needs the non-free firmware\n    severity: info\n    component: wifi\n"
            .into(),
    );
}
