use super::*;

#[test]
fn unsafe_paths_are_refused() {
    assert!(safe_relative("products/a/index.html").is_some());
    assert!(safe_relative("../etc/passwd").is_none());
    assert!(safe_relative("/etc/passwd").is_none());
    assert!(safe_relative("a/../../b").is_none());
    assert!(safe_relative("").is_none());
}

#[cfg(unix)]
#[test]
fn protected_places_are_compared_resolved() {
    let kb = tempfile::tempdir().unwrap();
    let root = kb.path();
    std::fs::create_dir_all(root.join("kb-content/products")).unwrap();
    std::fs::create_dir_all(root.join("theme")).unwrap();
    std::os::unix::fs::symlink(root.join("kb-content"), root.join("content")).unwrap();
    std::os::unix::fs::symlink("theme", root.join("templates")).unwrap();
    for inside in [
        "content/products/x",
        "kb-content/products/x",
        "templates/x",
        "theme",
    ] {
        let refused = check_output(root, &root.join(inside))
            .expect_err(&format!("{inside} is part of the knowledge base"));
        assert!(refused.message.contains("inside"), "{refused}");
    }
    assert!(check_output(root, &root.join("public")).is_ok());
}

#[test]
fn protected_places_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content")).unwrap();
    assert!(check_output(root, Path::new("/")).is_err());
    assert!(check_output(root, root).is_err());
    assert!(check_output(root, &root.join("content")).is_err());
    assert!(check_output(root, &root.join("content/sub")).is_err());
    assert!(check_output(root, &root.join("templates")).is_err());
    assert!(check_output(root, &root.join("..")).is_err());
    assert!(check_output(root, &root.join("public")).is_ok());
}

/// Builds one page, `index.html` saying `text`, into `output`.
fn build_page(root: &Path, output: &Path, text: &str) {
    let lock = lock_output(root, output, WhenBusy::GiveUp).unwrap();
    let staging = Staging::begin(lock, None).unwrap();
    let page = OutputFile::data("index.html".into(), text.into());
    staging.put(&page).unwrap();
    staging.finish().unwrap();
}

/// What a folder holds.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A folder holding `files` (name, text).
fn folder(path: &Path, files: &[(&str, &str)]) {
    std::fs::create_dir_all(path).unwrap();
    for (name, text) in files {
        std::fs::write(path.join(name), text).unwrap();
    }
}

fn index(output: &Path) -> String {
    std::fs::read_to_string(output.join("index.html")).unwrap()
}

// Unix only: elsewhere the lock file stays beside the output.
#[cfg(unix)]
#[test]
fn foreign_folders_are_refused_and_ours_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let foreign = root.join("foreign");
    folder(&foreign, &[("keep.txt", "mine")]);
    assert!(check_output(root, &foreign).is_err());
    assert!(lock_output(root, &foreign, WhenBusy::Wait).is_err());
    assert_eq!(names_in(root), ["foreign"], "a refusal wrote nothing");

    let output = check_output(root, &root.join("public")).unwrap();
    build_page(root, &output, "one");
    build_page(root, &output, "two");
    assert_eq!(index(&output), "two");
    assert!(check_output(root, &output).is_ok());
    assert_eq!(names_in(root), ["foreign", "public"]);
}

#[test]
fn leftover_names_are_recognised_exactly() {
    let kind = |file_name: &str| leftover_kind(file_name, "site.v2");
    assert_eq!(kind(".site.v2.new-42"), Some(Leftover::Staging));
    assert_eq!(kind(".site.v2.old-42"), Some(Leftover::Previous));
    assert_eq!(kind(".site.v2.trash-42-0"), Some(Leftover::Trash));
    for other in [
        ".site.v2.lock",
        ".site.v2.new-",
        ".site.v2.new-backup",
        ".site.v2.old-1.bak",
        ".site.v2.trash-1-",
        ".site.v2.trash",
        ".site.v2x.new-42",
        "site.v2.new-42",
        ".site.new-42",
        ".site.v2.new-1.new-2",
    ] {
        assert_eq!(kind(other), None, "{other}");
    }
}

// Unix only: elsewhere the lock file stays beside the output.
#[cfg(unix)]
#[test]
fn leftovers_of_dead_builds_are_removed_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let output = root.join("public");
    build_page(root, &output, "live");
    let ours = [(MARKER, MARKER_TEXT), ("index.html", "x")];
    folder(&root.join(".public.new-11"), &ours);
    folder(&root.join(".public.old-12"), &[]);
    // A folder half deleted: the marker went first.
    folder(&root.join(".public.trash-13-0"), &[("a.html", "x")]);
    // Named like ours but not provably ours, or named otherwise: kept.
    folder(&root.join(".public.new-14"), &[("notes.txt", "mine")]);
    folder(&root.join(".public.new-backup"), &ours);
    folder(&root.join(".other.new-15"), &ours);

    let lock = lock_output(root, &output, WhenBusy::GiveUp).unwrap();
    let kept = [
        ".other.new-15",
        ".public.new-14",
        ".public.new-backup",
        "public",
    ];
    let mut while_locked = kept.to_vec();
    while_locked.insert(1, ".public.lock");
    assert_eq!(names_in(root), while_locked);
    assert_eq!(index(&output), "live");
    drop(lock);
    assert_eq!(names_in(root), kept, "the lock file went with the lock");
}

// Unix only: elsewhere the lock file stays beside the output.
#[cfg(unix)]
#[test]
fn a_swap_cut_between_its_two_renames_is_undone_by_the_next_build() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let output = root.join("public");
    build_page(root, &output, "previous");
    // What a build killed between the two renames leaves.
    std::fs::rename(&output, root.join(".public.old-99")).unwrap();
    folder(
        &root.join(".public.new-99"),
        &[(MARKER, MARKER_TEXT), ("index.html", "new")],
    );

    let lock = lock_output(root, &output, WhenBusy::GiveUp).unwrap();
    assert_eq!(index(&output), "previous");
    drop(lock);
    assert_eq!(names_in(root), ["public"]);
}

// Unix only: elsewhere the lock file stays beside the output.
#[cfg(unix)]
#[test]
fn of_two_previous_sites_aside_neither_is_guessed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let ours = [(MARKER, MARKER_TEXT), ("index.html", "old")];
    folder(&root.join(".public.old-1"), &ours);
    folder(&root.join(".public.old-2"), &ours);
    build_page(root, &root.join("public"), "new");
    assert_eq!(index(&root.join("public")), "new");
    assert_eq!(names_in(root), ["public"]);
}

fn build_files(root: &Path, output: &Path, files: &[(&str, &str)]) {
    let lock = lock_output(root, output, WhenBusy::GiveUp).unwrap();
    let staging = Staging::begin(lock, None).unwrap();
    for (path, text) in files {
        let file = OutputFile::data((*path).into(), text.as_bytes().to_vec());
        staging.put(&file).unwrap();
    }
    staging.finish().unwrap();
}

#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(path).unwrap())
}

#[cfg(unix)]
#[test]
fn unchanged_files_are_linked_from_the_previous_site_and_the_rest_written() {
    let dir = tempfile::tempdir().unwrap();
    let (root, output) = (dir.path().join("kb"), dir.path().join("site"));
    std::fs::create_dir_all(&root).unwrap();
    let first = [("a.html", "same"), ("b/c.html", "old"), ("d.html", "kept")];
    build_files(&root, &output, &first);
    let before = [
        inode(&output.join("a.html")),
        inode(&output.join("b/c.html")),
    ];

    // Edited by hand after the build: its bytes differ, so it is written.
    std::fs::write(output.join("d.html"), "edited").unwrap();
    let second = [("a.html", "same"), ("b/c.html", "new"), ("d.html", "kept")];
    build_files(&root, &output, &second);

    assert_eq!(
        inode(&output.join("a.html")),
        before[0],
        "unchanged: linked"
    );
    assert_ne!(
        inode(&output.join("b/c.html")),
        before[1],
        "changed: written"
    );
    for (path, text) in second {
        assert_eq!(std::fs::read_to_string(output.join(path)).unwrap(), text);
    }
    build_files(&root, &output, &[("a.html", "other"), ("b/c.html", "new")]);
    assert_eq!(
        std::fs::read_to_string(output.join("a.html")).unwrap(),
        "other"
    );
    assert!(
        !output.join("d.html").exists(),
        "the new site is only what was built"
    );
}

/// A prebuilt output from someone else (a tarball, a clone) keeps none of
/// its own bytes, and no file is linked in from outside through a link in
/// it: reuse compares the bytes on disk, reached without any link.
#[cfg(unix)]
#[test]
fn a_forged_previous_site_keeps_nothing_and_links_nothing_in() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let (root, output) = (dir.path().join("kb"), dir.path().join("site"));
    std::fs::create_dir_all(&root).unwrap();
    let private = dir.path().join("private");
    std::fs::create_dir_all(&private).unwrap();
    std::fs::write(private.join("key.txt"), "the page").unwrap();
    std::fs::write(private.join("one.html"), "the page").unwrap();
    // The forged site: the marker, an attacker's index, a manifest of the
    // kind earlier releases trusted, and links to the private folder.
    std::fs::create_dir_all(&output).unwrap();
    std::fs::write(output.join(MARKER), MARKER_TEXT).unwrap();
    std::fs::write(output.join("index.html"), "<script>evil()</script>").unwrap();
    symlink(&private, output.join("files")).unwrap();
    symlink(private.join("one.html"), output.join("one.html")).unwrap();
    let manifest = dir.path().join(".site.manifest");
    std::fs::write(
        &manifest,
        "0000000000000000 23 0 index.html
",
    )
    .unwrap();

    let pages = [
        ("index.html", "the real page"),
        ("files/key.txt", "the page"),
        ("one.html", "the page"),
    ];
    build_files(&root, &output, &pages);
    for (path, text) in pages {
        assert_eq!(std::fs::read_to_string(output.join(path)).unwrap(), text);
    }
    assert_ne!(
        inode(&output.join("files/key.txt")),
        inode(&private.join("key.txt"))
    );
    assert_ne!(
        inode(&output.join("one.html")),
        inode(&private.join("one.html"))
    );
    assert!(
        !std::fs::symlink_metadata(output.join("files"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        !manifest.exists(),
        "an earlier release's manifest is removed"
    );
    assert_eq!(
        std::fs::read_to_string(private.join("key.txt")).unwrap(),
        "the page"
    );
}

/// Files beside the output are never written or created through a link,
/// and a FIFO there cannot hang the build.
#[cfg(unix)]
#[test]
fn links_and_fifos_beside_the_output_are_never_followed() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let (root, output) = (dir.path().join("kb"), dir.path().join("site"));
    std::fs::create_dir_all(&root).unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "the builder's file").unwrap();
    symlink(&victim, dir.path().join(".site.manifest-new")).unwrap();
    symlink(&victim, dir.path().join(".site.manifest")).unwrap();
    build_files(&root, &output, &[("index.html", "x;touch PWNED;#")]);
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "the builder's file"
    );

    let elsewhere = dir.path().join("elsewhere");
    symlink(&elsewhere, dir.path().join(".site.lock")).unwrap();
    let refused = lock_output(&root, &output, WhenBusy::GiveUp).err().unwrap();
    assert!(refused.message.contains("symbolic link"), "{refused}");
    assert!(
        !elsewhere.exists(),
        "no file made where the lock's link leads"
    );
    std::fs::remove_file(dir.path().join(".site.lock")).unwrap();

    crate::safe_fs::make_fifo(&dir.path().join(".site.lock")).unwrap();
    let refused = lock_output(&root, &output, WhenBusy::GiveUp).err().unwrap();
    assert!(refused.message.contains("FIFO"), "{refused}");
}

/// Something put in the output's place during a build, not made by
/// upgrade-atlas, is not replaced.
#[test]
fn an_output_swapped_for_a_foreign_folder_during_the_build_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let (root, output) = (dir.path().join("kb"), dir.path().join("site"));
    std::fs::create_dir_all(&root).unwrap();
    build_files(&root, &output, &[("index.html", "old")]);
    let lock = lock_output(&root, &output, WhenBusy::GiveUp).unwrap();
    let staging = Staging::begin(lock, None).unwrap();
    std::fs::remove_dir_all(&output).unwrap();
    folder(&output, &[("mine.txt", "someone's")]);
    let refused = staging.finish().err().unwrap();
    assert!(
        refused.message.contains("changed during the build"),
        "{refused}"
    );
    assert_eq!(
        std::fs::read_to_string(output.join("mine.txt")).unwrap(),
        "someone's"
    );
}

#[test]
fn both_ways_of_swapping_swap() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (staging, output) = (root.join(".public.new-1"), root.join("public"));
    folder(&staging, &[("index.html", "new")]);
    folder(&output, &[("index.html", "old")]);
    let previous = swap_by_renames(&staging, &output).unwrap();
    assert_eq!(
        (index(&output), index(&previous)),
        ("new".into(), "old".into())
    );
    assert!(!staging.exists());

    std::fs::rename(&previous, &staging).unwrap();
    let exchanged = exchange(&staging, &output).unwrap();
    let expected = if exchanged {
        ("old", "new")
    } else {
        ("new", "old")
    };
    assert_eq!(
        (index(&output), index(&staging)),
        (expected.0.into(), expected.1.into())
    );
    if !exchanged && cfg!(target_os = "linux") {
        eprintln!("skipped: this file system cannot swap in one step; tested the fallback only");
        assert!(
            std::env::var_os("CI").is_none(),
            "renameat2(RENAME_EXCHANGE) must work where CI runs"
        );
    }
}

// Unix only: elsewhere the lock file stays beside the output.
#[cfg(unix)]
#[test]
fn one_lock_per_output_and_its_file_goes_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let output = root.join("public");
    let first = lock_output(root, &output, WhenBusy::GiveUp).unwrap();
    let refused = lock_output(root, &output, WhenBusy::GiveUp).err().unwrap();
    assert!(
        refused.to_string().contains("another build into"),
        "{refused}"
    );
    assert!(lock_output(root, &root.join("other"), WhenBusy::GiveUp).is_ok());

    // A build that opened the lock file before the holder released it.
    let lock_file = root.join(".public.lock");
    let waiter = File::open(&lock_file).unwrap();
    drop(first);
    assert!(!lock_file.exists());
    waiter.try_lock().unwrap();
    assert!(
        !is_still_at(&waiter, &lock_file),
        "a waiter must notice that the file it locked is gone"
    );
    let second = lock_output(root, &output, WhenBusy::GiveUp).unwrap();
    assert!(is_still_at(&second.file, &lock_file));
}
