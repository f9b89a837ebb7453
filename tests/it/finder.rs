//! The path finder stays small however large the knowledge base grows: its
//! page holds no list of products or versions, and its data comes as a small
//! core plus one part a product, of which an answer loads only those its
//! search reaches. (That the finder's answers equal `path` on every pair is
//! tests/it/browser.rs, in Chromium.)

use crate::common;

use common::text;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use serde::Deserialize;

/// The goal for every page of the site, at any size.
const PAGE_LIMIT: u64 = 200 * 1024;
/// Any one file the finder loads (the core, or one product's part) in the
/// generated base below, of a couple of thousand versions; the core grows
/// by some 50 bytes a product.
const FINDER_FILE_LIMIT: u64 = 256 * 1024;

/// `families` groups of `family` products of `versions` versions each,
/// upgraded in sequence, with scenarios from each version to the next
/// product of its family, carrying steps and issues with Markdown bodies,
/// some under a condition.
fn generate(root: &Path, families: usize, family: usize, versions: usize) {
    let content = root.join("content");
    fs::create_dir_all(content.join("products")).unwrap();
    fs::create_dir_all(content.join("scenarios")).unwrap();
    fs::write(
        content.join("site.yaml"),
        "title: Finder scale\nconditions:\n  replicated: The server is a replica.\n",
    )
    .unwrap();
    for f in 0..families {
        for m in 0..family {
            let mut yaml = format!("name: Family {f} product {m}\nversions:\n");
            for v in 0..versions {
                let _ = writeln!(yaml, "  - id: \"{v}.0\"");
            }
            yaml.push_str("upgrades: { policy: sequential }\n");
            fs::write(content.join(format!("products/f{f:03}-p{m}.yaml")), yaml).unwrap();
            if m + 1 == family {
                continue;
            }
            for v in 0..versions {
                let yaml = format!(
                    "from: f{f:03}-p{m}@{v}.0\nto: f{f:03}-p{}@{v}.0\ndirect: supported\n\
                     steps:\n  - Back up **everything**.\n  - Run `upgrade --check`.\n\
                     issues:\n  - title: Issue {f}-{m}-{v}\n    severity: warning\n    \
                     body: Read [the notes](https://example.com/{v}) <em>first</em>.\n  \
                     - title: Replicas {f}-{m}-{v}\n    severity: blocking\n    when: replicated\n",
                    m + 1
                );
                fs::write(
                    content.join(format!("scenarios/f{f:03}-{m}-{v}.yaml")),
                    yaml,
                )
                .unwrap();
            }
        }
    }
}

fn build(root: &Path, out: &Path) {
    let result = common::build_into(root, out, &[]);
    assert!(
        result.status.success(),
        "build failed: {}",
        text(&result.stderr)
    );
}

#[derive(Deserialize)]
struct Core {
    products: Vec<CoreProduct>,
}

#[derive(Deserialize)]
struct CoreProduct {
    id: String,
    versions: usize,
}

#[derive(Deserialize)]
struct Part {
    versions: Vec<serde_json::Value>,
    #[serde(default)]
    scenarios: Vec<PartScenario>,
}

#[derive(Deserialize)]
struct PartScenario {
    id: String,
    from: Vec<usize>,
    #[serde(default)]
    steps: Vec<String>,
}

/// The JSON a data script holds: `JSON.parse('…')` or a literal after `=`
/// (for a finder part, its first line that assigns, the part; the issues'
/// HTML follows it).
fn script_json<T: for<'de> Deserialize<'de>>(script: &str) -> T {
    let assignment = (script.lines())
        .find(|line| line.contains(" = ") && !line.contains(" || "))
        .expect("an assignment");
    let assigned = assignment.trim_end().trim_end_matches(';');
    let value = assigned.rsplit_once(" = ").expect("an assignment").1;
    match value
        .strip_prefix("JSON.parse(")
        .and_then(|v| v.strip_suffix(')'))
    {
        Some(literal) => {
            let json = common::js::string(literal);
            serde_json::from_str(&json).expect("JSON in the string")
        }
        None => serde_json::from_str(value).expect("a JSON literal"),
    }
}

fn size(path: &Path) -> u64 {
    fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .len()
}

/// Builds a base of 2,000 versions: run in CI (.ci/run), or with
/// `cargo test -- --ignored`.
#[test]
#[ignore = "big input (2,000 versions): CI runs it; locally `cargo test -- --ignored`"]
fn the_finder_page_and_its_data_stay_small_as_the_base_grows() {
    let small = tempfile::tempdir().unwrap();
    let large = tempfile::tempdir().unwrap();
    generate(small.path(), 2, 3, 4);
    generate(large.path(), 50, 5, 8); // 2,000 versions, 1,600 scenarios
    let out = tempfile::tempdir().unwrap();
    let (small_site, large_site) = (out.path().join("small"), out.path().join("large"));
    build(small.path(), &small_site);
    build(large.path(), &large_site);

    // The page is the same whatever the base holds: no list of versions.
    let page = fs::read(large_site.join("paths/index.html")).unwrap();
    assert_eq!(
        page,
        fs::read(small_site.join("paths/index.html")).unwrap(),
        "the finder page changed with the size of the base"
    );
    assert!(page.len() as u64 <= PAGE_LIMIT, "{} bytes", page.len());

    // The core, and one part a product.
    let core_file = large_site.join("data/graph.js");
    let core: Core = script_json(&fs::read_to_string(&core_file).unwrap());
    assert_eq!(core.products.len(), 250);
    let mut loaded = vec![(size(&core_file), "data/graph.js".to_owned())];
    let mut scenarios = BTreeSet::new();
    let mut first = 0;
    for product in &core.products {
        let name = format!("data/graph/{}.js", product.id);
        let path = large_site.join(&name);
        loaded.push((size(&path), name.clone()));
        let part: Part = script_json(&fs::read_to_string(&path).unwrap());
        assert_eq!(part.versions.len(), product.versions, "{name}");
        // Each scenario is in the part of the product it starts from, once,
        // with its steps rendered from Markdown.
        for scenario in part.scenarios {
            let range = first..first + product.versions;
            assert!(
                scenario.from.iter().all(|n| range.contains(n)),
                "{name}: {} starts elsewhere",
                scenario.id
            );
            assert_eq!(
                scenario.steps,
                [
                    "<p>Back up <strong>everything</strong>.</p>\n",
                    "<p>Run <code>upgrade --check</code>.</p>\n"
                ]
            );
            assert!(
                scenarios.insert(scenario.id.clone()),
                "{} twice",
                scenario.id
            );
        }
        first += product.versions;
    }
    assert_eq!(scenarios.len(), 50 * 4 * 8, "every scenario in some part");
    loaded.sort();
    let (largest, name) = loaded.last().unwrap();
    assert!(
        *largest <= FINDER_FILE_LIMIT,
        "{name} is {largest} bytes, over {FINDER_FILE_LIMIT}"
    );
}

/// Issue texts reach the finder as HTML the build rendered, with whatever
/// HTML the writer typed escaped, exactly as pages show them.
#[test]
fn issue_texts_in_the_finder_data_are_rendered_and_escaped() {
    let kb = tempfile::tempdir().unwrap();
    generate(kb.path(), 1, 2, 2);
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    build(kb.path(), &site);
    let raw = fs::read_to_string(site.join("data/graph/f000-p0.js")).unwrap();
    let html = issue_html(&raw);
    let body =
        "<p>Read <a href=\"https://example.com/0\">the notes</a> &lt;em&gt;first&lt;/em&gt;.</p>";
    assert!(html[0].contains(body), "{}", html[0]);
    // The part is a file of its own, loaded with `<script src>`: its `<`
    // stay as written; only the line separators old engines refuse are
    // escaped.
    assert!(!raw.contains(['\u{2028}', '\u{2029}']), "{raw:.200}");
}

/// What the scripts share with the generator comes from the generator: the
/// core carries its limits and severities, the scripts read them from there
/// and repeat none of them, and `paths.js` reads the format the build writes.
#[test]
fn the_scripts_read_the_generators_constants_from_the_data() {
    use upgrade_atlas::model::Severity;
    let kb = tempfile::tempdir().unwrap();
    generate(kb.path(), 1, 2, 2);
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    build(kb.path(), &site);
    let core: serde_json::Value =
        script_json(&fs::read_to_string(site.join("data/graph.js")).unwrap());
    assert_eq!(core["format"], upgrade_atlas::plan::FINDER_FORMAT);
    assert_eq!(
        core["limits"]["combined_conditions"],
        upgrade_atlas::plan::MAX_COMBINED_CONDITIONS
    );
    assert_eq!(
        core["limits"]["plan_states"],
        upgrade_atlas::graph::MAX_PLAN_STATES
    );
    let words: Vec<&str> = Severity::ALL.iter().map(|s| s.word()).collect();
    let shown: Vec<&str> = (core["severities"].as_array().unwrap().iter())
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(shown, words);

    let asset = |name: &str| {
        fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("templates/assets")
                .join(name),
        )
        .unwrap()
    };
    let paths = asset("paths.js");
    let format = format!("var FORMAT = {};", upgrade_atlas::plan::FINDER_FORMAT);
    assert!(paths.contains(&format), "paths.js reads another format");
    for name in ["paths.js", "stacks.js"] {
        let script = asset(name);
        let states = upgrade_atlas::graph::MAX_PLAN_STATES.to_string();
        let repeated = [
            states.as_str(),
            "\"Blocking\"",
            "blocking: 0",
            "_CONDITIONS = 5",
        ];
        for constant in repeated {
            assert!(!script.contains(constant), "{name} repeats {constant}");
        }
    }
}

/// The issues' HTML a finder part sets after the part: `….html = [...];`.
fn issue_html(script: &str) -> Vec<String> {
    let line = (script.lines())
        .find(|line| line.contains("].html = "))
        .expect("the issues' HTML");
    let array = line
        .split_once("].html = ")
        .unwrap()
        .1
        .trim_end_matches(';');
    common::js::strings(array)
}
