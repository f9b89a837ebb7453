use super::*;
use std::path::PathBuf;

#[test]
fn request_paths_map_to_site_files() {
    assert_eq!(site_path("/").as_deref(), Some("index.html"));
    assert_eq!(
        site_path("/products/a/?x=1").as_deref(),
        Some("products/a/index.html")
    );
    assert_eq!(
        site_path("/assets/style.css").as_deref(),
        Some("assets/style.css")
    );
    assert_eq!(site_path("/a%20b.html").as_deref(), Some("a b.html"));
}

#[test]
fn traversal_is_refused() {
    assert_eq!(site_path("/../etc/passwd"), None);
    assert_eq!(site_path("/a/%2e%2e/%2e%2e/etc/passwd"), None);
    assert_eq!(site_path("/a/..%2f..%2fetc"), None);
    assert_eq!(site_path("//etc/passwd"), None);
    assert_eq!(site_path("/a%5c..%5cb"), None);
    assert_eq!(site_path("/%00"), None);
    assert_eq!(site_path("/%zz"), None);
    assert_eq!(site_path("http://example.com/"), None);
}

#[test]
fn which_events_rebuild() {
    use notify::event::{AccessKind, CreateKind, Flag};
    use notify::{Event, EventKind};
    let roots = [PathBuf::from("/kb")];
    let created =
        |path: &str| Ok(Event::new(EventKind::Create(CreateKind::File)).add_path(path.into()));
    assert!(is_relevant(&created("/kb/content/a.yaml"), &roots));
    assert!(is_relevant(&created("/kb/templates/base.html"), &roots));
    assert!(!is_relevant(&created("/kb/public/index.html"), &roots));
    // Somewhere unknown (say, through a link): better rebuild.
    assert!(is_relevant(&created("/elsewhere/a.yaml"), &roots));
    let read = Event::new(EventKind::Access(AccessKind::Any)).add_path("/kb/content/a.yaml".into());
    assert!(!is_relevant(&Ok(read), &roots), "rebuilds read files");
    // Missed events must not go unnoticed.
    let overflow = Event::new(EventKind::Other).set_flag(Flag::Rescan);
    assert!(is_relevant(&Ok(overflow), &roots));
    assert!(is_relevant(&Err(notify::Error::generic("lost")), &roots));
}

#[test]
fn changes_are_named_in_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let names = ["a.yaml", "b.yaml", "c.yaml", "d.yaml"];
    for name in names {
        std::fs::write(dir.path().join(name), "").unwrap();
    }
    let named = |list: &[&str]| list.iter().map(PathBuf::from).collect();
    let describe = |list: &[&str]| describe_changes(dir.path(), &named(list));
    assert_eq!(describe(&["a.yaml"]), "a.yaml changed");
    // A name is printed as text, never as a terminal's escape sequence.
    std::fs::write(dir.path().join("a\u{1b}[2J.yaml"), "").unwrap();
    assert_eq!(describe(&["a\u{1b}[2J.yaml"]), "a\\u{1b}[2J.yaml changed");
    assert_eq!(describe(&["a.yaml", "b.yaml"]), "a.yaml and b.yaml changed");
    assert_eq!(describe(&names), "a.yaml, b.yaml and 2 more changed");
    // A temporary file already gone is not named.
    assert_eq!(describe(&["a.yaml", "4913"]), "a.yaml changed");
    assert_eq!(describe(&["4913"]), "content/ or templates/ changed");
    // A removed file is said to be removed, not to have changed.
    assert_eq!(
        describe(&["a.yaml", "gone.yaml"]),
        "a.yaml changed; gone.yaml removed"
    );
    assert_eq!(
        describe(&["templates/version.html"]),
        "templates/version.html removed"
    );
}

#[test]
fn reload_script_goes_before_the_body_ends() {
    let html = Arc::new(b"<html><body><p>x</p></body></html>".to_vec());
    let parts = with_reload(&html);
    let page = String::from_utf8(parts.concat()).unwrap();
    assert!(page.ends_with(&format!("{RELOAD_SCRIPT}</body></html>")));
    // The page's own bytes are shared, not copied.
    assert_eq!(parts[0].as_ptr(), html.as_ptr());
    let bare = Arc::new(b"<p>no body</p>".to_vec());
    let page = String::from_utf8(with_reload(&bare).concat()).unwrap();
    assert!(page.ends_with(RELOAD_SCRIPT));
}

#[test]
fn hosts_answered_are_local_names_addresses_and_the_allowed() {
    assert_eq!(host_name("[::1]:1111"), "[::1]");
    assert_eq!(host_name("kb.test:80"), "kb.test");
    assert_eq!(host_name("kb.test"), "kb.test");
    let allowed = vec!["docs.internal".to_owned()];
    for yes in [
        "localhost",
        "a.localhost",
        "127.0.0.1",
        "10.1.2.3",
        "[::1]",
        "localhost.",
        "docs.internal",
    ] {
        assert!(host_allowed(yes, &allowed), "{yes}");
    }
    for no in [
        "evil.example",
        "127.0.0.1.nip.io",
        "localhost.evil",
        "[::1",
        "docs.internal.evil",
        "",
    ] {
        assert!(!host_allowed(no, &allowed), "{no}");
    }
}
