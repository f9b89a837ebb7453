//! Debian's Chromium, headless, for tests that read what a page's scripts
//! made of it.
//!
//! A capture used to launch `chromium --dump-dom` for each page, some 2 s
//! apiece; now a test process keeps its browsers open
//! (tests/browser/dump-dom.mjs, through playwright-core) and a capture costs
//! a page load. The helper does what --dump-dom does, with the same budget of
//! virtual time, in a fresh browser context each time.

use std::collections::HashMap;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{LazyLock, Mutex};

pub const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// The browser, or `None` after saying it is missing (which fails under CI).
/// Captures drive it through Node.js and tests/browser's playwright-core,
/// so those are required too.
pub fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| "/usr/bin/chromium".into());
    let path = super::require("chromium", path.is_file().then_some(path))?;
    super::node_package("playwright-core")?;
    Some(path)
}

/// The DOM after scripts ran, of a page opened from file:// with a query.
pub fn dump_dom(chromium: &Path, file: &Path, query: &str) -> String {
    dump_dom_with(chromium, file, query, &[])
}

/// [`dump_dom`] with more Chromium flags (`--force-dark-mode`, ...): they
/// are the launch flags of a browser of their own, so that they mean what
/// they mean on Chromium's command line.
pub fn dump_dom_with(chromium: &Path, file: &Path, query: &str, flags: &[&str]) -> String {
    let url = format!("file://{}{}", file.display(), query);
    let kind = BrowserKind {
        chromium: chromium.to_owned(),
        flags: flags.iter().map(|&f| f.to_owned()).collect(),
    };
    let mut browser = idle_browser(&kind).unwrap_or_else(|| OpenBrowser::launch(&kind));
    match browser.capture(&url) {
        Answer::Dom(dom) => {
            // Only a browser that gave a DOM goes back for the next capture:
            // after an error it may be broken (the helper then exits as its
            // stdin closes).
            IDLE.lock().unwrap().entry(kind).or_default().push(browser);
            dom
        }
        Answer::Error(error) => panic!("chromium failed on {url}: {error}"),
    }
}

/// Which browser a capture needs: the program and its extra flags.
#[derive(Clone, PartialEq, Eq, Hash)]
struct BrowserKind {
    chromium: PathBuf,
    flags: Vec<String>,
}

/// Browsers open and not capturing, by kind. Tests capture from several
/// threads at once; each takes a browser of its own, so the pool grows to
/// as many of a kind as captured at the same time. The browsers close when
/// the test process ends and their helpers' stdin with it.
static IDLE: LazyLock<Mutex<HashMap<BrowserKind, Vec<OpenBrowser>>>> =
    LazyLock::new(Default::default);

fn idle_browser(kind: &BrowserKind) -> Option<OpenBrowser> {
    IDLE.lock().unwrap().get_mut(kind)?.pop()
}

/// tests/browser/dump-dom.mjs with its browser open.
struct OpenBrowser {
    helper: Child,
    requests: ChildStdin,
    answers: BufReader<ChildStdout>,
}

/// What the helper said of one page.
enum Answer {
    Dom(String),
    Error(String),
}

impl OpenBrowser {
    fn launch(kind: &BrowserKind) -> OpenBrowser {
        let mut helper = Command::new("node")
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser"))
            .arg("dump-dom.mjs")
            .args(FLAGS)
            .args(&kind.flags)
            .env("CHROMIUM", &kind.chromium)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // Read only when the helper has died, to say why.
            .stderr(Stdio::piped())
            .spawn()
            .expect("node runs");
        let requests = helper.stdin.take().expect("piped stdin");
        let answers = BufReader::new(helper.stdout.take().expect("piped stdout"));
        OpenBrowser {
            helper,
            requests,
            answers,
        }
    }

    /// The DOM of `url`, or what went wrong with it; panics (and so leaves
    /// the pool) when the helper itself is gone.
    fn capture(&mut self, url: &str) -> Answer {
        let mut line = String::new();
        let asked = writeln!(self.requests, "{url}").and_then(|()| self.requests.flush());
        let answered = asked.and_then(|()| self.answers.read_line(&mut line));
        if !matches!(answered, Ok(n) if n > 0) {
            panic!("the DOM helper died: {answered:?}\n{}", self.last_words());
        }
        let answer: serde_json::Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("the DOM helper said {line:?}: {e}"));
        match (answer["dom"].as_str(), answer["error"].as_str()) {
            (Some(dom), _) => Answer::Dom(dom.to_owned()),
            (None, Some(error)) => Answer::Error(error.to_owned()),
            _ => panic!("the DOM helper said {line:?}"),
        }
    }

    /// What the helper wrote to stderr before it died.
    fn last_words(&mut self) -> String {
        let mut stderr = String::new();
        if let Some(mut pipe) = self.helper.stderr.take() {
            let _ = pipe.read_to_string(&mut stderr);
        }
        stderr
    }
}
