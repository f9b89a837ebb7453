//! Input limits: a few KB of YAML that used to take minutes and gigabytes
//! (the hardening issue, item 3) now end early, in bounded time and
//! memory, with an error at the place that asks too much, or stay linear.
//! Each run is the real binary under the guards of `tests/it/common/guarded.rs`
//! (killed past 10 s or 1 GiB): bounds, not speed measurements. The limits
//! are described in "Input limits" in docs/security.md.

use crate::common;

use std::fmt::Write as _;

use common::guarded::*;

/// A product of `versions` versions, ids "0", "1", ..., with `upgrades`
/// (a YAML value) when given.
fn product(name: &str, versions: usize, upgrades: Option<&str>) -> String {
    let mut yaml = format!("name: {name}\nversions:\n");
    for v in 0..versions {
        let _ = writeln!(yaml, "  - id: \"{v}\"");
    }
    if let Some(upgrades) = upgrades {
        let _ = writeln!(yaml, "upgrades: {upgrades}");
    }
    yaml
}

/// Checking a product of many versions is linear: 80,000 versions (1.3 MB)
/// took 420 s when the duplicate and case check compared every pair.
#[test]
fn eighty_thousand_versions_check_in_bounded_time() {
    let kb = Kb::new();
    kb.write("content/products/p.yaml", product("P", 80_000, None));
    kb.write(
        "content/scenarios/s.yaml",
        "from: p@0\nto: p@79999\ndirect: supported\nsummary: See [the last](@p@79999) and [the first](@p@0#top).\n",
    );
    let run = kb.check();
    assert_exit(&run, 0);
    assert!(
        run.stdout.contains("1 product, 80000 versions"),
        "{}",
        run.stdout
    );
}

/// A hint lists ten names and counts the rest: 20,000 versions and a `via`
/// of unknown versions wrote each of the 20,000 ids into every error.
#[test]
fn a_hint_lists_a_few_versions_however_many_there_are() {
    let kb = Kb::new();
    kb.write("content/products/p.yaml", product("P", 20_000, None));
    let unknown: Vec<String> = (0..1_000).map(|i| format!("p@x{i}")).collect();
    kb.write(
        "content/scenarios/s.yaml",
        format!(
            "from: p@0\nto: p@1\ndirect: supported\nvia: [{}]\n",
            unknown.join(", ")
        ),
    );
    let run = kb.check();
    assert_error_with_hint(
        &run,
        "content/scenarios/s.yaml",
        Some(4),
        &[
            "no version `x999`",
            "known versions of p: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 and 19990 more",
        ],
    );
    let errors = diagnostics(&run.stderr)
        .iter()
        .filter(|d| d.contains(": error: "))
        .count();
    assert_eq!(errors, 1_000, "one error for each unknown version");
    assert!(
        run.stderr.len() < 1_000 * 1024,
        "about a line and an excerpt per error, not every id: {} bytes",
        run.stderr.len()
    );
}

/// `from: p@*` to `q@*` over 10,000 versions each asked for 100,000,000
/// upgrades (207 s and 9.9 GB to check); a scenario covers at most 10,000.
#[test]
fn a_scenario_between_two_wide_selectors_is_refused_at_its_from() {
    let kb = Kb::new();
    kb.write("content/products/p.yaml", product("P", 10_000, None));
    kb.write("content/products/q.yaml", product("Q", 10_000, None));
    kb.write(
        "content/scenarios/s.yaml",
        "title: Everything\nfrom: p@*\nto: q@*\ndirect: supported\n",
    );
    let run = kb.check();
    assert_error_with_hint(
        &run,
        "content/scenarios/s.yaml",
        Some(2),
        &["cover 100000000 upgrades", "at most 10000", "Input limits"],
    );
    let output = kb.root().join("site");
    let run = kb.run(&["build", "--output", output.to_str().expect("a UTF-8 path")]);
    assert_error(
        &run,
        "content/scenarios/s.yaml",
        Some(2),
        &["at most 10000"],
    );
    assert!(!output.exists(), "a refused build writes nothing");
}

/// A scenario of 100 by 100 versions is within the limit, and checks.
#[test]
fn a_scenario_of_ten_thousand_upgrades_is_within_the_limit() {
    let kb = Kb::new();
    kb.write("content/products/p.yaml", product("P", 100, None));
    kb.write("content/products/q.yaml", product("Q", 100, None));
    kb.write(
        "content/scenarios/s.yaml",
        "from: p@*\nto: q@*\ndirect: supported\n",
    );
    assert_exit(&kb.check(), 0);
}

/// `any-newer` over 2,000 versions (a 30 KB file) built for 71 s into
/// 607 MB; a product's rules allow at most 100,000 upgrades.
#[test]
fn any_newer_over_many_versions_is_refused_at_its_rule() {
    let kb = Kb::new();
    kb.write(
        "content/products/p.yaml",
        product("P", 2_000, Some("{ policy: any-newer }")),
    );
    let run = kb.check();
    assert_error_with_hint(
        &run,
        "content/products/p.yaml",
        Some(2_003),
        &[
            "allow 1999000 upgrades",
            "the limit is 100000",
            "required_stops",
        ],
    );
    // Required stops every ten versions keep the same product well within it.
    let stops: Vec<String> = (10..2_000)
        .step_by(10)
        .map(|v| format!("\"{v}\""))
        .collect();
    kb.write(
        "content/products/p.yaml",
        product(
            "P",
            2_000,
            Some(&format!(
                "{{ policy: any-newer, required_stops: [{}] }}",
                stops.join(", ")
            )),
        ),
    );
    assert_exit(&kb.check(), 0);
}

/// Many files within their own limits still add up: 101 scenarios of
/// 10,000 upgrades each pass the limit of the whole knowledge base.
#[test]
fn the_whole_knowledge_base_is_limited_too() {
    let kb = Kb::new();
    kb.write("content/products/p.yaml", product("P", 100, None));
    kb.write("content/products/q.yaml", product("Q", 100, None));
    for s in 0..101 {
        kb.write(
            &format!("content/scenarios/s{s:03}.yaml"),
            "from: p@*\nto: q@*\ndirect: supported\n",
        );
    }
    let run = kb.check();
    assert_error_with_hint(
        &run,
        "content/scenarios/s100.yaml",
        Some(1),
        &["more than 1000000 upgrades"],
    );
    let errors = diagnostics(&run.stderr)
        .iter()
        .filter(|d| d.contains(": error: "))
        .count();
    assert_eq!(errors, 1, "{}", excerpt(&run.stderr));
}

/// `applies_if.originally` expands selectors too: the issues of one file
/// name at most 10,000 versions.
#[test]
fn the_versions_named_by_originally_are_limited_per_file() {
    let kb = Kb::new();
    kb.write("content/products/p.yaml", product("P", 2_500, None));
    let mut scenario = "from: p@0\nto: p@1\ndirect: supported\nissues:\n".to_owned();
    for i in 0..5 {
        let _ = writeln!(
            scenario,
            "  - title: Issue {i}\n    applies_if:\n      originally: p"
        );
    }
    kb.write("content/scenarios/s.yaml", scenario);
    let run = kb.check();
    // The fifth issue, at line 4 + 4 * 3 + 3, passes 10,000.
    assert_error_with_hint(
        &run,
        "content/scenarios/s.yaml",
        Some(19),
        &["more than 10000 versions"],
    );
}

/// Dependents reach all the way down: a chain of n components has n²/2 of
/// them (3,000 components, about 100 KB of YAML, made 4.5 million).
#[test]
fn dependents_through_long_chains_are_limited() {
    let kb = Kb::new();
    kb.write("content/products/p.yaml", product("P", 1, None));
    for c in 0..1_500 {
        let depends = if c == 0 {
            String::new()
        } else {
            format!("depends_on: [c{:04}]\n", c - 1)
        };
        kb.write(
            &format!("content/components/c{c:04}.yaml"),
            format!("name: C{c}\n{depends}"),
        );
    }
    let run = kb.check();
    // c0000 has 1,499 dependents, c0001 1,498, ...: the count passes a
    // million with those of c1001.
    assert_error_with_hint(
        &run,
        "content/components/c1001.yaml",
        Some(1),
        &["more than 1000000 dependents"],
    );
}
