//! `serve` checks again after every change with a cache of parsed files and
//! resolved scenarios, told by its file watcher which files changed. Here a
//! series of edits, each reported as the watcher would, must give exactly
//! what a check from scratch gives: the same model and the same problems.

use crate::common;

use std::path::Path;

use upgrade_atlas::{CheckCache, check, check_cached};

/// The model (without its source texts, kept in a hash map) or the problems.
fn outcome(result: Result<upgrade_atlas::Checked, upgrade_atlas::Failure>) -> String {
    match result {
        Ok(checked) => {
            let model = &checked.model;
            let warnings: Vec<String> = checked.warnings.iter().map(|w| w.to_string()).collect();
            format!(
                "{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{warnings:#?}",
                model.site,
                model.products,
                model.nodes,
                model.components,
                model.scenarios,
                model.static_files
            )
        }
        Err(failure) => failure
            .diagnostics
            .iter()
            .map(|d| format!("{d}\n"))
            .collect(),
    }
}

/// One change to the knowledge base: files to write (`None` removes them),
/// or folders to move (to the path given).
struct Edit {
    what: &'static str,
    files: Vec<(&'static str, Option<String>)>,
}

fn edit(what: &'static str, files: Vec<(&'static str, Option<String>)>) -> Edit {
    Edit { what, files }
}

/// A folder moved out of the knowledge base (or back in).
const AWAY: &str = "away";

/// `text` with `from` replaced, which must be there: an edit that changes
/// nothing would test nothing.
fn swap(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "`{from}` is not in the text to edit");
    text.replace(from, to)
}

fn read(root: &Path, file: &str) -> String {
    std::fs::read_to_string(root.join(file)).expect("readable")
}

const TO_XP: &str = "content/scenarios/backoffice/4.5-to-xp.yaml";
const SBS_TO_XP: &str = "content/scenarios/small-business/to-xp.yaml";
const NEW: &str = "content/scenarios/backoffice/4.0-to-4.5.yaml";
const PRODUCT: &str = "content/products/backoffice-server.yaml";
const COMPONENT: &str = "content/components/fax-service.yaml";
const SITE: &str = "content/site.yaml";

#[test]
fn a_cached_check_after_each_reported_edit_equals_a_fresh_check() {
    let dir = common::copy_of_example();
    let root = dir.path();
    let to_xp = read(root, TO_XP);
    let sbs_to_xp = read(root, SBS_TO_XP);
    let product = read(root, PRODUCT);
    let new_scenario = "from: backoffice-server@4.0\nto: backoffice-server@4.5\ndirect: supported\ntitle: Within BackOffice\nsummary: See [the 4.5 move](@scenario:backoffice/4.5-to-xp).\n".to_owned();
    let component = read(root, COMPONENT);
    let site = read(root, SITE);
    let untitled = swap(&new_scenario, "title: Within BackOffice\n", "");
    let named_version = swap(
        &product,
        "  - id: \"4.5\"\n",
        "  - id: \"4.5\"\n    name: Four-five\n",
    );
    let with_condition = format!("{site}conditions:\n  clustered: The server is a cluster node.\n");
    let edits = vec![
        edit(
            "retitle a scenario",
            vec![(
                TO_XP,
                Some(swap(&to_xp, "title: BackOffice", "title: Retitled")),
            )],
        ),
        edit(
            "a link to a scenario that does not exist yet",
            vec![(
                SBS_TO_XP,
                Some(swap(
                    &sbs_to_xp,
                    "(@scenario:backoffice/4.5-to-xp)",
                    "(@scenario:backoffice/4.0-to-4.5)",
                )),
            )],
        ),
        edit(
            "the scenario appears",
            vec![(NEW, Some(new_scenario.clone()))],
        ),
        edit(
            "it stops resolving",
            vec![(
                NEW,
                Some(swap(
                    &new_scenario,
                    "to: backoffice-server@4.5",
                    "to: nowhere@1",
                )),
            )],
        ),
        edit("it resolves again", vec![(NEW, Some(new_scenario.clone()))]),
        edit("it is removed", vec![(NEW, None)]),
        edit(
            "the link is fixed",
            vec![(SBS_TO_XP, Some(sbs_to_xp.clone()))],
        ),
        edit(
            "broken YAML",
            vec![(TO_XP, Some(swap(&to_xp, "direct: supported", "direct: [")))],
        ),
        edit("fixed YAML", vec![(TO_XP, Some(to_xp.clone()))]),
        edit(
            "a product loses a version that scenarios use",
            vec![(
                PRODUCT,
                Some(swap(&product, "  - id: \"4.5\"", "  - id: \"4.6\"")),
            )],
        ),
        edit(
            "the version is back",
            vec![(PRODUCT, Some(product.clone()))],
        ),
        edit(
            "an editor's temporary file comes and goes",
            vec![("content/scenarios/backoffice/.4.5-to-xp.yaml.swp", None)],
        ),
        edit(
            "a stray file next to the scenarios",
            vec![("content/scenarios/notes.txt", Some("not YAML".into()))],
        ),
        edit("it is gone", vec![("content/scenarios/notes.txt", None)]),
        edit(
            "a product's summary changes",
            vec![(
                PRODUCT,
                Some(swap(&product, "Microsoft's bundle", "The bundle")),
            )],
        ),
        edit(
            "a scenario without a title appears",
            vec![(NEW, Some(untitled.clone()))],
        ),
        edit(
            "a version gets the name that titles it",
            vec![(PRODUCT, Some(named_version.clone()))],
        ),
        edit(
            "the product is renamed",
            vec![(
                PRODUCT,
                Some(swap(
                    &named_version,
                    "name: Microsoft BackOffice",
                    "name: BackOffice",
                )),
            )],
        ),
        edit(
            "a component's summary changes",
            vec![(
                COMPONENT,
                Some(swap(&component, "The fax service", "The fax server")),
            )],
        ),
        edit(
            "a condition is declared and used",
            vec![
                (SITE, Some(with_condition.clone())),
                (NEW, Some(format!("{untitled}when: clustered\n"))),
            ],
        ),
        edit(
            "the condition is renamed",
            vec![(
                SITE,
                Some(swap(&with_condition, "clustered:", "cluster-node:")),
            )],
        ),
        edit(
            "all back as it was",
            vec![
                (SITE, Some(site.clone())),
                (PRODUCT, Some(product.clone())),
                (COMPONENT, Some(component.clone())),
                (NEW, None),
            ],
        ),
        edit(
            "a folder of scenarios moves out of content/",
            vec![("content/scenarios/small-business", Some(AWAY.into()))],
        ),
        edit(
            "and back in",
            vec![(AWAY, Some("content/scenarios/small-business".into()))],
        ),
    ];

    let mut cache = CheckCache::default();
    cache.load.watched();
    assert_eq!(
        outcome(check_cached(root, &mut cache)),
        outcome(check(root))
    );
    let mut saw_failure = false;
    for edit in &edits {
        for (file, text) in &edit.files {
            let path = root.join(file);
            match text {
                // A folder is renamed; the watcher names what it sees of it.
                Some(to) if path.is_dir() => {
                    std::fs::rename(&path, root.join(to)).expect("move");
                    cache.load.changed(Path::new(to));
                }
                Some(text) => std::fs::write(&path, text).expect("write"),
                None => drop(std::fs::remove_file(&path)),
            }
            cache.load.changed(Path::new(file));
        }
        let cached = outcome(check_cached(root, &mut cache));
        let fresh = outcome(check(root));
        saw_failure |= check(root).is_err();
        assert_eq!(cached, fresh, "after: {}", edit.what);
    }
    assert!(saw_failure, "the edits include broken states");
    assert!(check(root).is_ok(), "the edits end where they began");
}

#[test]
fn a_change_the_watcher_could_not_name_is_found_by_walking() {
    let dir = common::copy_of_example();
    let root = dir.path();
    let mut cache = CheckCache::default();
    cache.load.watched();
    check_cached(root, &mut cache).unwrap_or_else(|_| panic!("the example checks"));
    // A file is added without being reported, then "something" changed.
    let text = read(root, TO_XP).replace("title: BackOffice", "title: Copied");
    std::fs::write(root.join("content/scenarios/backoffice/copy.yaml"), text).expect("write");
    cache.load.changed_somewhere();
    let checked = check_cached(root, &mut cache).unwrap_or_else(|_| panic!("still checks"));
    assert!(
        checked
            .model
            .scenarios
            .iter()
            .any(|s| s.id == "backoffice/copy"),
        "the walk finds the new file"
    );
}

/// The states each file may be in, for random sequences of edits. `None`:
/// the file is absent.
fn variants(root: &Path) -> Vec<(&'static str, Vec<Option<String>>)> {
    let to_xp = read(root, TO_XP);
    let sbs_to_xp = read(root, SBS_TO_XP);
    let product = read(root, PRODUCT);
    let component = read(root, COMPONENT);
    let site = read(root, SITE);
    let new_scenario = "from: backoffice-server@4.0\nto: backoffice-server@4.5\ndirect: supported\nsummary: See [the 4.5 move](@scenario:backoffice/4.5-to-xp) and [fax](@component:fax-service).\n";
    let with_condition = format!("{site}conditions:\n  clustered: The server is a cluster node.\n");
    vec![
        (
            TO_XP,
            vec![
                Some(to_xp.clone()),
                Some(swap(&to_xp, "title: BackOffice", "title: Retitled")),
                Some(swap(&to_xp, "direct: supported", "direct: [")),
                Some(swap(
                    &to_xp,
                    "component: fax-service",
                    "component: fax-servce",
                )),
            ],
        ),
        (
            SBS_TO_XP,
            vec![
                Some(sbs_to_xp.clone()),
                Some(swap(
                    &sbs_to_xp,
                    "(@scenario:backoffice/4.5-to-xp)",
                    "(@scenario:backoffice/4.0-to-4.5)",
                )),
            ],
        ),
        (
            NEW,
            vec![
                None,
                Some(new_scenario.to_owned()),
                Some(swap(
                    new_scenario,
                    "to: backoffice-server@4.5",
                    "to: nowhere@1",
                )),
                Some(format!("{new_scenario}when: clustered\n")),
            ],
        ),
        (
            PRODUCT,
            vec![
                Some(product.clone()),
                Some(swap(&product, "Microsoft's bundle", "The bundle")),
                Some(swap(&product, "  - id: \"4.5\"", "  - id: \"4.6\"")),
                Some(swap(
                    &product,
                    "  - id: \"4.0\"\n",
                    "  - id: \"4.0\"\n    name: Four\n",
                )),
                Some(swap(
                    &product,
                    "name: Microsoft BackOffice",
                    "name: BackOffice",
                )),
                Some("name: [\n".into()),
            ],
        ),
        (
            COMPONENT,
            vec![
                Some(component.clone()),
                Some(swap(&component, "The fax service", "The fax server")),
                None,
            ],
        ),
        (
            SITE,
            vec![
                Some(site.clone()),
                Some(with_condition.clone()),
                Some(swap(&with_condition, "clustered:", "cluster-node:")),
            ],
        ),
        (
            "content/scenarios/notes.txt",
            vec![None, Some("not YAML".into())],
        ),
    ]
}

mod random {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Random edits, one or more files at a time, each reported as the
        /// watcher would: the cached check always equals a fresh one.
        #[test]
        fn random_edits_keep_the_cached_check_right(
            steps in proptest::collection::vec(
                proptest::collection::vec((0usize..7, 0usize..6), 1..=3),
                1..=10,
            )
        ) {
            let dir = common::copy_of_example();
            let root = dir.path();
            let files = variants(root);
            let mut cache = CheckCache::default();
            cache.load.watched();
            check_cached(root, &mut cache).unwrap_or_else(|_| panic!("the example checks"));
            for (number, step) in steps.iter().enumerate() {
                for &(file, variant) in step {
                    let (name, states) = &files[file];
                    let path = root.join(name);
                    match &states[variant % states.len()] {
                        Some(text) => std::fs::write(&path, text).expect("write"),
                        None => drop(std::fs::remove_file(&path)),
                    }
                    cache.load.changed(Path::new(name));
                }
                let cached = outcome(check_cached(root, &mut cache));
                prop_assert_eq!(cached, outcome(check(root)), "after step {}: {:?}", number, step);
            }
        }
    }
}
