//! A rebuild with the last build's record renders and writes only what
//! changed, updating the output in place; whatever the edits, the output
//! must be byte for byte what a clean build of the same knowledge base
//! writes, and a build that fails must leave it as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use upgrade_atlas::plan::PlanOptions;
use upgrade_atlas::write::{WhenBusy, Written};
use upgrade_atlas::{Built, Failure, Silent, build, build_observed};

use crate::common::{self, Sequence};

/// An output folder, with a folder of its own for the builds' records.
struct Output {
    scratch: tempfile::TempDir,
}

impl Output {
    fn new() -> Output {
        Output {
            scratch: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// Where the site is.
    fn site(&self) -> PathBuf {
        self.scratch.path().join("site")
    }

    /// A build of `root` into the site that keeps its record.
    fn rebuild(&self, root: &Path) -> Result<Built, Failure> {
        build_observed(
            root,
            &self.site(),
            &PlanOptions::default(),
            WhenBusy::Wait,
            Some(&self.scratch.path().join("records")),
            &Silent,
        )
    }
}

/// Replaces the first `from` in the file at `path` with `to`; `from` must
/// be there, or the edit would test nothing.
fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "`{from}` is not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// The site a clean build writes, with no record anywhere.
fn clean_build(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let scratch = tempfile::tempdir().expect("temp dir");
    let output = scratch.path().join("site");
    build(root, &output, &PlanOptions::default(), WhenBusy::Wait).expect("a clean build");
    common::files(&output)
}

/// Fails, naming the files that differ, unless `output` holds `expected`.
fn assert_site_is(output: &Path, expected: &BTreeMap<String, Vec<u8>>, when: &str) {
    let actual = common::files(output);
    let differing: Vec<&String> = (actual.keys().chain(expected.keys()))
        .filter(|path| actual.get(*path) != expected.get(*path))
        .collect();
    assert!(
        differing.is_empty(),
        "{when}: these files differ: {differing:?}"
    );
}

/// Every file below `root/content` and `root/templates`, relative to root.
fn sources(root: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = ["content", "templates"]
        .iter()
        .flat_map(|top| walkdir::WalkDir::new(root.join(top)).sort_by_file_name())
        .flatten()
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.path().strip_prefix(root).unwrap().to_path_buf())
        .collect();
    found.sort();
    found
}

/// One random change to the knowledge base, or to the output behind the
/// build's back; says what it did.
fn random_edit(root: &Path, output: &Path, pristine: &Path, random: &mut Sequence) -> String {
    let files = sources(root);
    let file = &files[random.below(files.len())];
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    match random.below(9) {
        // A title, a summary or a name: the most common edit.
        0..=2 => {
            let words = random.some_words(1, 3);
            let edits = [
                ("title: \"", format!("title: \"{words} ")),
                ("summary: \"", format!("summary: \"{words} ")),
                ("title: ", format!("title: {words} ")),
                ("summary: |\n", format!("summary: |\n  {words}.\n")),
            ];
            let (from, to) = (edits.iter())
                .find(|(from, _)| text.contains(from))
                .map_or(("\n", "\n".to_owned()), |(from, to)| (*from, to.clone()));
            std::fs::write(&path, text.replacen(from, &to, 1)).unwrap();
            format!("edited {}", file.display())
        }
        3 => {
            let moved = path.with_file_name(format!("moved-{}.yaml", random.below(1000)));
            std::fs::rename(&path, &moved).unwrap();
            format!("renamed {}", file.display())
        }
        4 => {
            std::fs::remove_file(&path).unwrap();
            format!("deleted {}", file.display())
        }
        5 => {
            let copy = path.with_file_name(format!("copy-{}.yaml", random.below(1000)));
            std::fs::write(&copy, &text).unwrap();
            format!("copied {}", file.display())
        }
        6 => {
            // Back to the example as it was, so that the edits do not leave
            // it failing for good.
            std::fs::remove_dir_all(root.join("content")).unwrap();
            common::copy_tree(&pristine.join("content"), &root.join("content"));
            "put the example back".to_owned()
        }
        7 => {
            // A page of the output changed by hand.
            let pages = common::files(output);
            let page = pages.keys().nth(random.below(pages.len().max(1)));
            if let Some(page) = page {
                let mut bytes = pages[page].clone();
                bytes.extend_from_slice(b"<!-- edited by hand -->");
                std::fs::write(output.join(page), bytes).unwrap();
            }
            format!("changed {page:?} in the output")
        }
        _ => {
            // A file added to the output by hand.
            std::fs::write(output.join("products/stray.html"), "stray").unwrap();
            "added a stray file to the output".to_owned()
        }
    }
}

/// How the rounds of [`random_rebuilds`] went.
#[derive(Debug, Default)]
struct Rounds {
    built: usize,
    kept_pages: usize,
    in_place: usize,
}

/// `rounds` random edits to the knowledge base at `kb` (restored from
/// `pristine`), each followed by a rebuild with a record, compared with a
/// clean build.
fn random_rebuilds(kb: &Path, pristine: &Path, rounds: u32, seed: u64) -> Rounds {
    let out = Output::new();
    let output = out.site();
    let first = out.rebuild(kb).expect("the base builds");
    assert_eq!(first.kept, 0, "nothing to keep before the first build");
    let mut random = Sequence::new(seed);
    let mut seen = Rounds::default();
    for round in 0..rounds {
        let before = common::files(&output);
        let edit = random_edit(kb, &output, pristine, &mut random);
        let tampered = edit.contains("output");
        match out.rebuild(kb) {
            Ok(built) => {
                seen.built += 1;
                seen.kept_pages += usize::from(built.kept > 0);
                seen.in_place += usize::from(built.written != Written::Whole);
                let when = format!("round {round}, after it {edit}");
                assert_site_is(&output, &clean_build(kb), &when);
            }
            Err(_) if !tampered => {
                let when = format!("round {round}, after it {edit}, the build failed");
                assert_site_is(&output, &before, &when);
            }
            Err(_) => {}
        }
    }
    seen
}

#[test]
fn a_rebuild_in_place_writes_what_a_clean_build_writes() {
    let pristine = common::copy_of_example();
    let kb = common::copy_of_example();
    let rounds = random_rebuilds(
        kb.path(),
        pristine.path(),
        common::proptest_cases(32),
        0x5eed,
    );
    // The comparisons hold for full builds too: the rounds must have been
    // rebuilds that kept pages, and most of them in place, for them to say
    // anything of those.
    assert!(rounds.kept_pages * 2 >= rounds.built, "{rounds:?}");
    assert!(rounds.in_place * 2 >= rounds.built, "{rounds:?}");
}

#[cfg(unix)]
#[test]
fn an_edit_to_one_scenario_renders_only_the_pages_it_reaches() {
    use std::os::unix::fs::MetadataExt;
    let kb = common::copy_of_example();
    let out = Output::new();
    let output = out.site();
    let first = out.rebuild(kb.path()).expect("the example builds");
    let unchanged = out.rebuild(kb.path()).expect("a rebuild");
    assert_eq!(
        unchanged.kept, first.pages,
        "a rebuild with no edit keeps every page"
    );
    let scenario = kb
        .path()
        .join("content/scenarios/backoffice/2.5-to-xp.yaml");
    edit(&scenario, "title: ", "title: Revised ");
    let home = std::fs::metadata(output.join("components/fax-service/index.html")).unwrap();
    let edited = out.rebuild(kb.path()).expect("a rebuild");
    assert!(
        edited.kept > 0 && edited.kept < first.pages,
        "kept {} of {} pages",
        edited.kept,
        first.pages
    );
    let scenario_page =
        std::fs::read_to_string(output.join("scenarios/backoffice/2.5-to-xp/index.html")).unwrap();
    assert!(
        scenario_page.contains("Revised BackOffice"),
        "the scenario's page shows the edit"
    );
    // A page the edit does not reach is the same file, not written again.
    let after = std::fs::metadata(output.join("components/fax-service/index.html")).unwrap();
    assert_eq!(
        (home.ino(), home.mtime_nsec()),
        (after.ino(), after.mtime_nsec())
    );
    assert_site_is(&output, &clean_build(kb.path()), "after the edit");
}

#[test]
fn a_kept_page_still_follows_its_references() {
    let kb = common::copy_of_example();
    let out = Output::new();
    let output = out.site();
    let product = kb.path().join("content/products/backoffice-server.yaml");
    let text = std::fs::read_to_string(&product).unwrap();
    let with_alias = |version: &str| {
        text.replacen(
            &format!("  - id: \"{version}\"\n"),
            &format!("  - id: \"{version}\"\n    aliases: [current]\n"),
            1,
        )
    };
    std::fs::write(&product, with_alias("4.0")).unwrap();
    let component = kb.path().join("content/components/fax-service.yaml");
    edit(
        &component,
        "summary: |\n",
        "summary: |\n  See [the current release](@backoffice-server@current).\n",
    );
    out.rebuild(kb.path()).expect("the example builds");
    // The alias moves; the component's own text does not change.
    std::fs::write(&product, with_alias("4.5")).unwrap();
    out.rebuild(kb.path()).expect("a rebuild");
    let page = std::fs::read_to_string(output.join("components/fax-service/index.html")).unwrap();
    assert!(
        page.contains("backoffice-server/4.5/index.html\">the current release"),
        "the link follows the alias to 4.5"
    );
    assert_site_is(&output, &clean_build(kb.path()), "after the alias moved");
}

/// A link put into the output since the last build (a checkout of a
/// repository that tracks `public/`, say) is never written through: the
/// folder that holds it changed, so the rebuild makes the whole site anew.
#[cfg(unix)]
#[test]
fn a_link_planted_in_the_output_is_never_followed() {
    let kb = common::copy_of_example();
    let out = Output::new();
    let output = out.site();
    let victim = out.scratch.path().join("victim");
    std::fs::create_dir(&victim).unwrap();
    std::fs::write(victim.join("index.html"), "the builder's own file").unwrap();
    out.rebuild(kb.path()).expect("the example builds");
    let planted = output.join("components/fax-service");
    std::fs::remove_dir_all(&planted).unwrap();
    std::os::unix::fs::symlink(&victim, &planted).unwrap();
    let component = kb.path().join("content/components/fax-service.yaml");
    edit(&component, "summary: |\n", "summary: |\n  Edited.\n");
    let built = out.rebuild(kb.path()).expect("a rebuild");
    assert_eq!(
        built.kept, 0,
        "the output changed behind the build's back: no page is kept"
    );
    assert_eq!(
        std::fs::read_to_string(victim.join("index.html")).unwrap(),
        "the builder's own file"
    );
    assert_site_is(&output, &clean_build(kb.path()), "after a link was planted");
}

#[test]
fn a_removed_scenario_leaves_no_page_behind() {
    let kb = common::copy_of_example();
    let out = Output::new();
    let output = out.site();
    let scenarios = kb.path().join("content/scenarios/small-business");
    let again = scenarios.join("again.yaml");
    std::fs::copy(scenarios.join("to-backoffice-4.5.yaml"), &again).unwrap();
    out.rebuild(kb.path()).expect("the example builds");
    assert!(
        output
            .join("scenarios/small-business/again/index.html")
            .is_file()
    );
    std::fs::remove_file(&again).unwrap();
    let built = out.rebuild(kb.path()).expect("a rebuild");
    let Written::InPlace { removed, .. } = built.written else {
        panic!(
            "one scenario fewer is a change in place: {:?}",
            built.written
        );
    };
    assert!(removed >= 1, "the scenario's page is removed");
    assert!(!output.join("scenarios/small-business/again").exists());
    assert_site_is(&output, &clean_build(kb.path()), "after the scenario went");
}
