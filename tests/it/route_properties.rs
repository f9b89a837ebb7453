//! Property tests of routes under conditions: random knowledge bases with
//! several rules a product (each maybe conditional), several required
//! stops (some conditional), conditional scenarios with issues and `via`
//! routes, and versions with conditional issues limited to where a server
//! began (`applies_if.originally`). For every set of facts, the engine's
//! edges, paths, `sources_of` and `path_issues` are compared with a brute
//! force written from docs/content-format.md alone; `check` must accept a
//! `via` exactly when its route is real under the scenario's conditions.

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::PathBuf;

use proptest::prelude::*;

use crate::graph_properties::{all_paths, best};
use crate::plan_properties::{Cond, Issue, holds, issue_title, issues_yaml, scenario_id};
use upgrade_atlas::diag::Level;
use upgrade_atlas::graph::{Origin, UpgradeGraph};
use upgrade_atlas::model::{Facts, Model};

/// (product, version index): product `pP`, version id `"V"`.
type Version = (usize, usize);
type EdgeSet = BTreeSet<(Version, Version)>;

#[derive(Debug, Clone)]
struct Rule {
    /// 1 sequential, 2 any-newer
    policy: u8,
    cond: Cond,
    /// Required stops (any-newer only): a version, and `When` or `Always`.
    stops: Vec<(usize, Cond)>,
}

#[derive(Debug, Clone)]
struct Product {
    versions: usize,
    rules: Vec<Rule>,
    /// Each version's issues.
    issues: Vec<Vec<Issue>>,
}

#[derive(Debug, Clone)]
struct Scenario {
    from: Version,
    to: Version,
    supported: bool,
    cond: Cond,
    issues: Vec<Issue>,
    /// An unsupported scenario's recommended stop.
    via: Option<Version>,
}

#[derive(Debug, Clone)]
struct Kb {
    products: Vec<Product>,
    scenarios: Vec<Scenario>,
}

fn cond() -> impl Strategy<Value = Cond> {
    prop_oneof![
        2 => Just(Cond::Always),
        1 => (0usize..2).prop_map(Cond::When),
        1 => (0usize..2).prop_map(Cond::Unless),
    ]
}

/// An issue; `originally` as raw numbers, fitted to the base later.
fn raw_issue() -> impl Strategy<Value = (Cond, Option<(usize, usize)>)> {
    (
        cond(),
        proptest::option::weighted(0.3, (0usize..3, 0usize..5)),
    )
}

fn rule() -> impl Strategy<Value = Rule> {
    let stop = (
        0usize..5,
        prop_oneof![Just(Cond::Always), (0usize..2).prop_map(Cond::When)],
    );
    (1u8..3, cond(), proptest::collection::vec(stop, 0..3)).prop_map(|(policy, cond, stops)| Rule {
        policy,
        cond,
        stops: if policy == 2 { stops } else { Vec::new() },
    })
}

type RawProduct = (usize, Vec<Rule>, Vec<Vec<(Cond, Option<(usize, usize)>)>>);
type RawScenario = (
    (usize, usize, usize, usize),
    bool,
    Cond,
    Vec<(Cond, Option<(usize, usize)>)>,
    Option<(usize, usize)>,
);

fn kb() -> impl Strategy<Value = Kb> {
    let product = (
        1usize..=5,
        proptest::collection::vec(rule(), 1..=2),
        proptest::collection::vec(proptest::collection::vec(raw_issue(), 0..=1), 5),
    );
    let scenario = (
        (0usize..3, 0usize..5, 0usize..3, 0usize..5),
        any::<bool>(),
        cond(),
        proptest::collection::vec(raw_issue(), 0..=2),
        proptest::option::weighted(0.4, (0usize..3, 0usize..5)),
    );
    (
        proptest::collection::vec(product, 1..=3),
        proptest::collection::vec(scenario, 0..6),
    )
        .prop_map(|(raw, scenarios): (Vec<RawProduct>, Vec<RawScenario>)| build(raw, scenarios))
}

/// Fits raw numbers to the base: versions that exist, stops within their
/// product, no scenario twice on a pair, no supported scenario backwards.
fn build(raw: Vec<RawProduct>, raw_scenarios: Vec<RawScenario>) -> Kb {
    let sizes: Vec<usize> = raw.iter().map(|p| p.0).collect();
    let fit = |(p, v): (usize, usize)| (p % sizes.len(), v % sizes[p % sizes.len()]);
    let issue = |(cond, originally): (Cond, Option<(usize, usize)>)| Issue {
        cond,
        originally: originally.map(fit),
    };
    let products = (raw.into_iter())
        .map(|(versions, mut rules, issues)| {
            for rule in &mut rules {
                rule.stops.retain(|(s, _)| *s < versions);
            }
            let issues = issues.into_iter().take(versions);
            Product {
                versions,
                rules,
                issues: issues
                    .map(|list| list.into_iter().map(issue).collect())
                    .collect(),
            }
        })
        .collect();
    let mut scenarios: Vec<Scenario> = Vec::new();
    for ((p, v, q, w), supported, cond, issues, via) in raw_scenarios {
        let (from, to) = (fit((p, v)), fit((q, w)));
        let backwards = from.0 == to.0 && to.1 <= from.1;
        let clash = scenarios.iter().any(|s| (s.from, s.to) == (from, to));
        if from == to || clash || (supported && backwards) || scenarios.len() >= 8 {
            continue;
        }
        let via = via
            .map(fit)
            .filter(|x| !supported && *x != from && *x != to);
        let issues = issues.into_iter().map(issue).collect();
        scenarios.push(Scenario {
            from,
            to,
            supported,
            cond,
            issues,
            via,
        });
    }
    Kb {
        products,
        scenarios,
    }
}

// ---- writing it -----------------------------------------------------------

fn cond_yaml(cond: Cond, indent: &str) -> String {
    match cond {
        Cond::Always => String::new(),
        Cond::When(c) => format!("{indent}when: c{c}\n"),
        Cond::Unless(c) => format!("{indent}unless: c{c}\n"),
    }
}

fn product_yaml(p: usize, product: &Product) -> String {
    let mut text = format!("name: P{p}\nversions:\n");
    for v in 0..product.versions {
        writeln!(text, "  - id: \"{v}\"").unwrap();
        text.push_str(&issues_yaml(
            &format!("p{p}@{v}"),
            &product.issues[v],
            "    ",
        ));
    }
    text.push_str("upgrades:\n");
    for rule in &product.rules {
        let policy = ["none", "sequential", "any-newer"][rule.policy as usize];
        writeln!(text, "  - policy: {policy}").unwrap();
        text.push_str(&cond_yaml(rule.cond, "    "));
        if !rule.stops.is_empty() {
            text.push_str("    required_stops:\n");
            for (stop, cond) in &rule.stops {
                match cond {
                    Cond::When(c) => {
                        writeln!(text, "      - {{ version: \"{stop}\", when: c{c} }}")
                    }
                    _ => writeln!(text, "      - \"{stop}\""),
                }
                .unwrap();
            }
        }
    }
    text
}

fn scenario_yaml(i: usize, s: &Scenario) -> String {
    let direct = if s.supported {
        "supported"
    } else {
        "unsupported"
    };
    let ((p, v), (q, w)) = (s.from, s.to);
    let mut text = format!("from: p{p}@{v}\nto: p{q}@{w}\ndirect: {direct}\n");
    text.push_str(&cond_yaml(s.cond, ""));
    if let Some((x, y)) = s.via {
        writeln!(text, "via: [\"p{x}@{y}\"]").unwrap();
    }
    text.push_str(&issues_yaml(&scenario_id(i), &s.issues, ""));
    text
}

fn files(kb: &Kb) -> Vec<(PathBuf, Vec<u8>)> {
    let site = "conditions:\n  c0: The first fact.\n  c1: The second fact.\n";
    let mut files = vec![(PathBuf::from("site.yaml"), site.as_bytes().to_vec())];
    for (p, product) in kb.products.iter().enumerate() {
        let path = PathBuf::from(format!("products/p{p}.yaml"));
        files.push((path, product_yaml(p, product).into_bytes()));
    }
    for (i, s) in kb.scenarios.iter().enumerate() {
        let path = PathBuf::from(format!("scenarios/{}.yaml", scenario_id(i)));
        files.push((path, scenario_yaml(i, s).into_bytes()));
    }
    files
}

// ---- the brute force, from the spec --------------------------------------

/// "Several rules": the upgrades of the rules that apply, put together; an
/// any-newer upgrade exists only if no stop that applies lies strictly
/// between; unsupported scenarios remove their pair, supported ones add it.
fn spec_edges(kb: &Kb, facts: &BTreeSet<usize>) -> EdgeSet {
    let mut edges = BTreeSet::new();
    for (p, product) in kb.products.iter().enumerate() {
        for rule in product.rules.iter().filter(|r| holds(r.cond, facts)) {
            for a in 0..product.versions {
                for b in a + 1..product.versions {
                    let stopped =
                        (rule.stops.iter()).any(|(s, c)| a < *s && *s < b && holds(*c, facts));
                    let allowed = match rule.policy {
                        1 => b == a + 1,
                        _ => !stopped,
                    };
                    if allowed {
                        edges.insert(((p, a), (p, b)));
                    }
                }
            }
        }
    }
    let applying = kb.scenarios.iter().filter(|s| holds(s.cond, facts));
    for s in applying.clone().filter(|s| !s.supported) {
        edges.remove(&(s.from, s.to));
    }
    for s in applying.filter(|s| s.supported) {
        edges.insert((s.from, s.to));
    }
    edges
}

/// The issues along a path, hop by hop: those of the supported scenarios
/// on the hop that apply, by id as text, then those of the versions the hop
/// moves past, oldest first; each kept if its conditions hold and its
/// `originally`, if any, names where the server began.
fn spec_issues(kb: &Kb, facts: &BTreeSet<usize>, path: &[Version], began: Version) -> Vec<String> {
    let keep =
        |issue: &Issue| holds(issue.cond, facts) && issue.originally.is_none_or(|o| o == began);
    let mut found = Vec::new();
    for hop in path.windows(2) {
        let mut scenarios: Vec<(String, &Scenario)> = (kb.scenarios.iter().enumerate())
            .filter(|(_, s)| {
                s.supported && (s.from, s.to) == (hop[0], hop[1]) && holds(s.cond, facts)
            })
            .map(|(i, s)| (scenario_id(i), s))
            .collect();
        scenarios.sort_by(|a, b| a.0.cmp(&b.0));
        for (id, s) in scenarios {
            let kept = s.issues.iter().enumerate().filter(|(_, i)| keep(i));
            found.extend(kept.map(|(i, _)| issue_title(&id, i)));
        }
        let ((p, a), (q, b)) = (hop[0], hop[1]);
        if p == q && a < b {
            for v in a + 1..=b {
                let issues = &kb.products[p].issues[v];
                let kept = issues.iter().enumerate().filter(|(_, i)| keep(i));
                found.extend(kept.map(|(i, _)| issue_title(&format!("p{p}@{v}"), i)));
            }
        }
    }
    found
}

/// The facts a `via` is checked under: its scenario's `when`, no others.
fn via_facts(s: &Scenario) -> BTreeSet<usize> {
    match s.cond {
        Cond::When(c) => BTreeSet::from([c]),
        _ => BTreeSet::new(),
    }
}

fn via_holds(kb: &Kb, s: &Scenario) -> bool {
    let Some(via) = s.via else { return true };
    let edges = spec_edges(kb, &via_facts(s));
    edges.contains(&(s.from, via)) && edges.contains(&(via, s.to))
}

// ---- the comparison -------------------------------------------------------

fn nodes(kb: &Kb) -> Vec<Version> {
    (kb.products.iter().enumerate())
        .flat_map(|(p, product)| (0..product.versions).map(move |v| (p, v)))
        .collect()
}

fn facts_of(model: &Model, facts: &BTreeSet<usize>) -> Facts {
    let ids = facts
        .iter()
        .map(|c| model.condition_index(&format!("c{c}")));
    Facts(ids.map(|c| c.expect("a declared condition")).collect())
}

fn titles(model: &Model, found: &[upgrade_atlas::graph::PathIssue]) -> Vec<String> {
    let place = |origin: Origin| match origin {
        Origin::Scenario(s) => model.scenarios[s].id.clone(),
        Origin::Version(v) => model.node_ref(v),
    };
    (found.iter())
        .map(|f| {
            let title = &f.issue.title;
            assert!(
                title.starts_with(&place(f.origin)),
                "{title} from {:?}",
                f.origin
            );
            title.clone()
        })
        .collect()
}

fn compare(kb: &Kb, model: &Model, facts: &BTreeSet<usize>) -> Result<(), TestCaseError> {
    let graph = UpgradeGraph::new(model);
    let edges = graph.edges(&facts_of(model, facts));
    let expected = spec_edges(kb, facts);
    let index = nodes(kb);
    let trees: Vec<_> = (0..index.len()).map(|n| edges.paths_from(n)).collect();
    for (from, &a) in index.iter().enumerate() {
        let tree = &trees[from];
        for (to, &b) in index.iter().enumerate() {
            prop_assert_eq!(
                edges.has(from, to),
                expected.contains(&(a, b)),
                "edge {:?} -> {:?} under {:?}",
                a,
                b,
                facts
            );
            let found = tree.path_to(to);
            let path = found
                .as_ref()
                .map(|p| p.iter().map(|n| index[*n]).collect::<Vec<_>>());
            prop_assert_eq!(
                &path,
                &best(all_paths(&expected, a, b)),
                "path {:?} -> {:?} under {:?}",
                a,
                b,
                facts
            );
            let Some(found) = found else { continue };
            // From where the path starts, and from every other version.
            for (began, &origin) in index.iter().enumerate() {
                let engine = titles(model, &edges.path_issues(&found, began));
                let spec = spec_issues(kb, facts, path.as_deref().unwrap(), origin);
                prop_assert_eq!(
                    engine,
                    spec,
                    "issues {:?} -> {:?} under {:?}, began as {:?}",
                    a,
                    b,
                    facts,
                    origin
                );
            }
        }
        // Searching backwards finds what searching forwards does.
        let mut sources: Vec<(usize, u32)> = Vec::new();
        for (source, _) in index.iter().enumerate().filter(|(s, _)| *s != from) {
            if let Some(path) = trees[source].path_to(from) {
                sources.push((source, path.len() as u32 - 1));
            }
        }
        prop_assert_eq!(edges.sources_of(from), sources, "sources of {:?}", a);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::common::proptest_cases(96)))]

    #[test]
    fn routes_under_conditions_stops_via_and_origins_follow_the_spec(kb in kb()) {
        let checked = upgrade_atlas::check_files(&files(&kb));
        let vias_hold = kb.scenarios.iter().all(|s| via_holds(&kb, s));
        match checked {
            Ok(checked) => {
                prop_assert!(vias_hold, "check accepted a via that is no route");
                for facts in [vec![], vec![0], vec![1], vec![0, 1]] {
                    compare(&kb, &checked.model, &facts.into_iter().collect())?;
                }
            }
            Err(failure) => {
                let errors = failure.diagnostics.iter().filter(|d| d.level == Level::Error);
                let all: Vec<String> = errors.map(|d| d.to_string()).collect();
                prop_assert!(!vias_hold, "check refused a sound base:\n{}", all.join("\n"));
                prop_assert!(all.iter().all(|d| d.contains("via")), "not only via errors:\n{}", all.join("\n"));
            }
        }
    }
}
