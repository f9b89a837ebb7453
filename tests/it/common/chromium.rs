//! Debian's Chromium, headless, for tests that read what a page's scripts
//! made of it.

use std::path::{Path, PathBuf};
use std::process::Command;

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
pub fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| "/usr/bin/chromium".into());
    super::require("chromium", path.is_file().then_some(path))
}

/// The DOM after scripts ran, of a page opened from file:// with a query.
pub fn dump_dom(chromium: &Path, file: &Path, query: &str) -> String {
    dump_dom_with(chromium, file, query, &[])
}

/// [`dump_dom`] with more Chromium flags (`--force-dark-mode`, ...).
pub fn dump_dom_with(chromium: &Path, file: &Path, query: &str, flags: &[&str]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}{}", file.display(), query);
    let out = Command::new(chromium)
        .args(FLAGS)
        .args(flags)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--virtual-time-budget=5000", "--dump-dom", &url])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
