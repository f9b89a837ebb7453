//! Property tests of plans (format 1.2, "Additions in version 1.2: stacks
//! and plans"): random small knowledge bases with requirements between
//! products, conditional scenarios and issues are checked through the
//! library, and every plan is compared with a brute force written from the
//! spec alone: edges from the spec's definitions, every valid move sequence
//! of the fewest moves collected breadth first with its whole list of
//! moves, and the spec's tie-break applied to that set. A refusal must give
//! the right reason, and each move of `plan --json` the issues `path`
//! gives for its hop, from that member's own start.

use std::cmp::Reverse;
use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::PathBuf;

use proptest::prelude::*;
use upgrade_atlas::commands::stack_plan::{self, PlanFormat, PlanQuestion};
use upgrade_atlas::graph::{NoPlan, Unmet, UpgradeGraph};
use upgrade_atlas::model::Facts;

/// (product, version index): product `pP`, version id `"V"`.
type Version = (usize, usize);
/// One version per member, in member order.
type State = Vec<Version>;
type EdgeSet = BTreeSet<(Version, Version)>;

/// The conditions a scenario may carry; `c0` and `c1` are declared.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Cond {
    Always,
    When(usize),
    Unless(usize),
}

/// A known issue: its conditions, and the version a server must have
/// started as for it to apply (`applies_if.originally`), if any. Its title
/// is made from where it is written, so that a list of titles says where
/// each issue came from.
#[derive(Debug, Clone)]
pub(crate) struct Issue {
    pub(crate) cond: Cond,
    pub(crate) originally: Option<Version>,
}

/// A requirement: versions of another product, by index.
#[derive(Debug, Clone)]
struct Requires {
    product: usize,
    versions: Vec<usize>,
}

#[derive(Debug, Clone)]
struct Product {
    versions: usize,
    /// 0 none, 1 sequential, 2 any-newer
    policy: u8,
    stop: Option<usize>,
    /// Each version's own `requires`.
    requires: Vec<Vec<Requires>>,
    /// A `requirements` rule: the versions from this index on, and what
    /// they require.
    rule: Option<(usize, Requires)>,
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
}

#[derive(Debug, Clone)]
pub(crate) struct Kb {
    products: Vec<Product>,
    scenarios: Vec<Scenario>,
}

#[derive(Debug, Clone)]
struct Question {
    from: State,
    to: State,
    facts: BTreeSet<usize>,
}

// ---- generation -------------------------------------------------------------------

/// A raw requirement: another product (an offset from this one, so never
/// itself) and a bit mask of its versions.
type RawRequires = (usize, u8);

fn requires_of(products: &[usize], product: usize, (offset, mask): RawRequires) -> Requires {
    let other = (product + 1 + offset % (products.len() - 1)) % products.len();
    let count = products[other];
    let mut versions: Vec<usize> = (0..count).filter(|w| mask & (1 << w) != 0).collect();
    if versions.is_empty() {
        // A selector that matches nothing is an error; keep one version.
        versions.push(mask as usize % count);
    }
    Requires {
        product: other,
        versions,
    }
}

/// A raw issue: its condition, and a version it applies to only when the
/// server started there.
type RawIssue = (u8, Option<(usize, usize)>);

fn raw_issues() -> impl Strategy<Value = Vec<RawIssue>> {
    let issue = (
        0u8..6,
        proptest::option::weighted(0.3, (0usize..3, 0usize..4)),
    );
    proptest::collection::vec(issue, 0..=2)
}

fn issue_from(sizes: &[usize], (cond, originally): RawIssue) -> Issue {
    Issue {
        cond: cond_from(cond),
        originally: originally.map(|(q, w)| (q % sizes.len(), w % sizes[q % sizes.len()])),
    }
}

/// One product's raw parts: versions, policy, stop, each version's
/// requirements (a likely first and a rare second), a rule, and each
/// version's issues.
type RawProduct = (
    usize,
    u8,
    Option<usize>,
    Vec<(Option<RawRequires>, Option<RawRequires>)>,
    Option<(usize, RawRequires)>,
    Vec<Vec<RawIssue>>,
);

fn raw_product() -> impl Strategy<Value = RawProduct> {
    // Two masks or-ed: a requirement accepts most versions, as real ones
    // do, so that most states are valid and most questions have a plan.
    let requirement = (0usize..2, 1u8..16, 0u8..16).prop_map(|(o, a, b)| (o, a | b));
    (
        1usize..=4,
        prop_oneof![1 => Just(0u8), 2 => Just(1u8), 2 => Just(2u8)],
        proptest::option::of(0usize..4),
        proptest::collection::vec(
            (
                proptest::option::weighted(0.3, requirement.clone()),
                proptest::option::weighted(0.1, requirement.clone()),
            ),
            4,
        ),
        proptest::option::weighted(0.2, (0usize..4, requirement)),
        proptest::collection::vec(raw_issues(), 4),
    )
}

fn product_from(sizes: &[usize], p: usize, raw: RawProduct) -> Product {
    let (versions, policy, stop, per_version, rule, issues) = raw;
    let several = sizes.len() > 1;
    let requires = (0..versions)
        .map(|v| {
            let (first, second) = per_version[v];
            [first, second]
                .into_iter()
                .flatten()
                .filter(|_| several)
                .map(|r| requires_of(sizes, p, r))
                .collect()
        })
        .collect();
    Product {
        versions,
        policy,
        stop: stop.filter(|s| *s < versions),
        requires,
        rule: rule
            .filter(|_| several)
            .map(|(from, r)| (from % versions, requires_of(sizes, p, r))),
        issues: (issues.into_iter().take(versions))
            .map(|list| list.into_iter().map(|i| issue_from(sizes, i)).collect())
            .collect(),
    }
}

fn cond_from(raw: u8) -> Cond {
    match raw {
        2 => Cond::When(0),
        3 => Cond::When(1),
        4 => Cond::Unless(0),
        5 => Cond::Unless(1),
        _ => Cond::Always,
    }
}

/// Scenarios from raw numbers, without the ones the checker would refuse:
/// a supported upgrade back in time, a version to itself, and a pair one
/// scenario supports and another does not. Two scenarios may support one
/// pair, so that a hop's issues come from several, in id order.
fn scenarios_from(sizes: &[usize], raw: Vec<RawScenario>) -> Vec<Scenario> {
    let mut scenarios: Vec<Scenario> = Vec::new();
    for ((p, v, q, w, supported, cond), issues) in raw {
        let (p, q) = (p % sizes.len(), q % sizes.len());
        let (from, to) = ((p, v % sizes[p]), (q, w % sizes[q]));
        let forward = p != q || to.1 > from.1;
        let clash =
            (scenarios.iter()).any(|s| (s.from, s.to) == (from, to) && s.supported != supported);
        if (supported && !forward) || from == to || clash {
            continue;
        }
        scenarios.push(Scenario {
            from,
            to,
            supported,
            cond: cond_from(cond),
            issues: issues.into_iter().map(|i| issue_from(sizes, i)).collect(),
        });
    }
    scenarios
}

/// A raw scenario: from, to, supported, condition, and its issues.
type RawScenario = ((usize, usize, usize, usize, bool, u8), Vec<RawIssue>);

pub(crate) fn kb() -> impl Strategy<Value = Kb> {
    let scenario = (
        (
            0usize..3,
            0usize..4,
            0usize..3,
            0usize..4,
            any::<bool>(),
            0u8..6,
        ),
        raw_issues(),
    );
    (
        proptest::collection::vec(raw_product(), 2..=3),
        proptest::collection::vec(scenario, 0..8),
    )
        .prop_map(|(raw_products, raw_scenarios)| {
            let sizes: Vec<usize> = raw_products.iter().map(|r| r.0).collect();
            let products = (raw_products.into_iter().enumerate())
                .map(|(p, raw)| product_from(&sizes, p, raw))
                .collect();
            Kb {
                products,
                scenarios: scenarios_from(&sizes, raw_scenarios),
            }
        })
}

/// A question's raw parts: how many members, an order of the products,
/// each member's start and target versions, a product to migrate to (or
/// none), and which of the two conditions hold.
type RawQuestion = (
    usize,
    [u8; 3],
    [(usize, usize, Option<usize>); 3],
    [bool; 2],
);

fn raw_question() -> impl Strategy<Value = RawQuestion> {
    (
        0usize..4,
        any::<[u8; 3]>(),
        any::<[(usize, usize, Option<usize>); 3]>(),
        any::<[bool; 2]>(),
    )
}

fn question_from(kb: &Kb, raw: &RawQuestion) -> Question {
    let (count, keys, members, facts) = raw;
    let n = kb.products.len();
    let mut order: Vec<usize> = (0..n).collect();
    // The member order matters to the tie-break, so it is shuffled too.
    order.sort_by_key(|p| (keys[*p], *p));
    // Mostly every product, for plans that have to interleave.
    order.truncate(match count {
        0 => 1,
        1 => 2,
        _ => n,
    });
    let from: State = (order.iter().zip(members))
        // The older half, so that most members have somewhere to go.
        .map(|(&p, m)| (p, m.0 % kb.products[p].versions.div_ceil(2)))
        .collect();
    // A member migrates along a supported scenario to another product now
    // and then; otherwise it moves up its own product, or anywhere at all.
    let migrations = |p: usize| -> Vec<Version> {
        (kb.scenarios.iter())
            .filter(|s| s.supported && s.from.0 == p && s.to.0 != p)
            .map(|s| s.to)
            .collect()
    };
    let target = |&(p, v): &Version, m: &(usize, usize, Option<usize>)| {
        let away = migrations(p);
        let versions = kb.products[p].versions;
        match m.2 {
            Some(x) if !away.is_empty() => away[x % away.len()],
            _ if m.1.is_multiple_of(5) => (p, m.1 % versions),
            _ if v + 1 < versions => (p, v + 1 + m.1 % (versions - v - 1)),
            _ => (p, v),
        }
    };
    let mut to: State = from
        .iter()
        .zip(members)
        .map(|(v, m)| target(v, m))
        .collect();
    let products: BTreeSet<usize> = to.iter().map(|v| v.0).collect();
    if products.len() < to.len() {
        // `plan` refuses a target that names a product twice; migrate nowhere.
        let stay = members.map(|(f, t, _)| (f, t, None));
        to = from.iter().zip(&stay).map(|(v, m)| target(v, m)).collect();
    }
    Question {
        from,
        to,
        facts: (0..2).filter(|c| facts[*c]).collect(),
    }
}

// ---- writing the knowledge base ---------------------------------------------------

/// A requirement as written in `requires`: `p1@0|2`.
fn written(r: &Requires) -> String {
    let versions: Vec<String> = r.versions.iter().map(|w| w.to_string()).collect();
    format!("p{}@{}", r.product, versions.join("|"))
}

fn selector(r: &Requires) -> String {
    format!("\"{}\"", written(r))
}

/// The title of the `i`-th issue written at `place`.
pub(crate) fn issue_title(place: &str, i: usize) -> String {
    format!("{place} #{i}")
}

/// An `issues:` list, each line indented by `indent`.
pub(crate) fn issues_yaml(place: &str, issues: &[Issue], indent: &str) -> String {
    if issues.is_empty() {
        return String::new();
    }
    let mut text = format!("{indent}issues:\n");
    for (i, issue) in issues.iter().enumerate() {
        writeln!(text, "{indent}  - title: \"{}\"", issue_title(place, i)).unwrap();
        match issue.cond {
            Cond::Always => {}
            Cond::When(c) => writeln!(text, "{indent}    when: c{c}").unwrap(),
            Cond::Unless(c) => writeln!(text, "{indent}    unless: c{c}").unwrap(),
        }
        if let Some((q, w)) = issue.originally {
            writeln!(
                text,
                "{indent}    applies_if: {{ originally: [\"p{q}@{w}\"] }}"
            )
            .unwrap();
        }
    }
    text
}

fn product_yaml(p: usize, product: &Product) -> String {
    let mut text = format!("name: P{p}\nversions:\n");
    for v in 0..product.versions {
        writeln!(text, "  - id: \"{v}\"").unwrap();
        if !product.requires[v].is_empty() {
            let list: Vec<String> = product.requires[v].iter().map(selector).collect();
            writeln!(text, "    requires: [{}]", list.join(", ")).unwrap();
        }
        text.push_str(&issues_yaml(
            &format!("p{p}@{v}"),
            &product.issues[v],
            "    ",
        ));
    }
    let policy = ["none", "sequential", "any-newer"][product.policy as usize];
    writeln!(text, "upgrades:\n  policy: {policy}").unwrap();
    if let (2, Some(stop)) = (product.policy, product.stop) {
        writeln!(text, "  required_stops: [\"{stop}\"]").unwrap();
    }
    if let Some((from, r)) = &product.rule {
        let rule = format!("{{ versions: \">={from}\", requires: [{}] }}", selector(r));
        writeln!(text, "requirements:\n  - {rule}").unwrap();
    }
    text
}

fn scenario_yaml(i: usize, s: &Scenario) -> String {
    let direct = if s.supported {
        "supported"
    } else {
        "unsupported"
    };
    let (p, v) = s.from;
    let (q, w) = s.to;
    let mut text = format!("from: p{p}@{v}\nto: p{q}@{w}\ndirect: {direct}\n");
    match s.cond {
        Cond::Always => {}
        Cond::When(c) => writeln!(text, "when: c{c}").unwrap(),
        Cond::Unless(c) => writeln!(text, "unless: c{c}").unwrap(),
    }
    text.push_str(&issues_yaml(&scenario_id(i), &s.issues, ""));
    text
}

/// Scenario ids whose byte order is not their number's (`s10` sorts
/// before `s2`), since the spec orders a hop's scenarios by id as strings.
pub(crate) fn scenario_id(i: usize) -> String {
    format!("s{}", [7, 10, 2, 31, 4, 15, 0, 23][i])
}

/// The knowledge base's files, relative to `content/`.
pub(crate) fn files(kb: &Kb) -> Vec<(PathBuf, Vec<u8>)> {
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

// ---- the brute force, from the spec ------------------------------------------------

pub(crate) fn holds(cond: Cond, facts: &BTreeSet<usize>) -> bool {
    match cond {
        Cond::Always => true,
        Cond::When(c) => facts.contains(&c),
        Cond::Unless(c) => !facts.contains(&c),
    }
}

/// The edges when `facts` hold: the rules' edges, less the pairs of the
/// unsupported scenarios that apply, plus those of the supported ones.
fn spec_edges(kb: &Kb, facts: &BTreeSet<usize>) -> EdgeSet {
    let mut edges = BTreeSet::new();
    for (p, product) in kb.products.iter().enumerate() {
        for a in 0..product.versions {
            for b in a + 1..product.versions {
                let rule = match product.policy {
                    1 => b == a + 1,
                    2 => !product.stop.is_some_and(|s| a < s && s < b),
                    _ => false,
                };
                if rule {
                    edges.insert(((p, a), (p, b)));
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

/// Every requirement on `version`: its own, and the product rule's when
/// the rule names it.
fn requirements(kb: &Kb, (p, v): Version) -> Vec<&Requires> {
    let product = &kb.products[p];
    let mut found: Vec<&Requires> = product.requires[v].iter().collect();
    if let Some((from, r)) = &product.rule
        && v >= *from
    {
        found.push(r);
    }
    found
}

/// Valid: every requirement of every member's version on the product
/// another member is a version of holds.
fn valid(kb: &Kb, state: &[Version]) -> bool {
    state.iter().all(|&version| {
        requirements(kb, version).iter().all(|r| {
            state
                .iter()
                .filter(|beside| beside.0 == r.product)
                .all(|beside| r.versions.contains(&beside.1))
        })
    })
}

/// A requirement a state breaks: the version, its requirement as written,
/// and the version beside it that the requirement does not accept.
type Broken = (Version, String, Version);

/// Every requirement `state` breaks, straight from the definition.
fn broken(kb: &Kb, state: &[Version]) -> BTreeSet<Broken> {
    let mut found = BTreeSet::new();
    for &version in state {
        for r in requirements(kb, version) {
            for &beside in state {
                if beside.0 == r.product && !r.versions.contains(&beside.1) {
                    found.insert((version, written(r), beside));
                }
            }
        }
    }
    found
}

/// Whether some move sequence, valid or not, leads from `from` to `to`.
fn reachable(edges: &EdgeSet, from: &State, to: &State) -> bool {
    let mut seen = BTreeSet::from([from.clone()]);
    let mut todo = vec![from.clone()];
    while let Some(state) = todo.pop() {
        if &state == to {
            return true;
        }
        for (_, next) in moves(edges, &state) {
            if seen.insert(next.clone()) {
                todo.push(next);
            }
        }
    }
    false
}

/// How a move ranks in the tie-break: the member listed earlier first;
/// for one member, the lower product id first, then the newer version.
type MoveKey = (usize, usize, Reverse<usize>);

/// Every move out of `state`: one member along one edge, never onto a
/// product that another member is a version of. Validity is not judged.
fn moves(edges: &EdgeSet, state: &[Version]) -> Vec<(MoveKey, State)> {
    let mut found = Vec::new();
    for (member, &at) in state.iter().enumerate() {
        for &(a, b) in edges {
            let taken = (state.iter().enumerate()).any(|(o, v)| o != member && v.0 == b.0);
            if a == at && !taken {
                let mut next = state.to_vec();
                next[member] = b;
                found.push(((member, b.0, Reverse(b.1)), next));
            }
        }
    }
    found
}

/// One move sequence, with the states it passes.
#[derive(Clone)]
struct Walk {
    keys: Vec<MoveKey>,
    states: Vec<State>,
}

/// Past this many sequences in one layer the case is skipped, rather than
/// left to fill the memory: small bases never come near it.
const MAX_WALKS: usize = 200_000;

/// All valid move sequences of the fewest moves, breadth first with whole
/// paths: a state first reached in layer k is never passed later, since a
/// sequence through it later would not be shortest. `Err` when too many.
fn shortest_walks(kb: &Kb, edges: &EdgeSet, q: &Question) -> Result<Vec<Walk>, ()> {
    if !valid(kb, &q.from) || !valid(kb, &q.to) {
        return Ok(Vec::new());
    }
    let mut seen: BTreeSet<State> = BTreeSet::from([q.from.clone()]);
    let mut layer = vec![Walk {
        keys: Vec::new(),
        states: vec![q.from.clone()],
    }];
    while !layer.is_empty() {
        let arrived: Vec<Walk> = (layer.iter())
            .filter(|w| w.states.last() == Some(&q.to))
            .cloned()
            .collect();
        if !arrived.is_empty() {
            return Ok(arrived);
        }
        let mut next = Vec::new();
        let mut reached = BTreeSet::new();
        for walk in &layer {
            for (key, state) in moves(edges, walk.states.last().unwrap()) {
                if seen.contains(&state) || !valid(kb, &state) {
                    continue;
                }
                reached.insert(state.clone());
                let mut longer = walk.clone();
                longer.keys.push(key);
                longer.states.push(state);
                next.push(longer);
            }
        }
        if next.len() > MAX_WALKS {
            return Err(());
        }
        seen.extend(reached);
        layer = next;
    }
    Ok(Vec::new())
}

/// The spec's plan: of the shortest sequences, the one whose moves win
/// compared one by one, first move first.
fn brute_plan(walks: Vec<Walk>) -> Option<Vec<State>> {
    walks
        .into_iter()
        .min_by(|a, b| a.keys.cmp(&b.keys))
        .map(|w| w.states)
}

/// The titles of the issues `path` gives for the hop `a -> b` when
/// `facts` hold, for a server that started as `originally`, from the spec:
/// the issues of the supported scenarios that cover the hop, by scenario
/// id as strings, then those of the versions the hop moves past inside a
/// product, oldest first; each only if its conditions hold and, with
/// `applies_if.originally`, if the server started there.
fn hop_issues(
    kb: &Kb,
    (a, b): (Version, Version),
    facts: &BTreeSet<usize>,
    originally: Version,
) -> Vec<String> {
    let applies = |issue: &Issue| {
        holds(issue.cond, facts) && issue.originally.is_none_or(|o| o == originally)
    };
    let mut covering: Vec<usize> = (0..kb.scenarios.len())
        .filter(|&i| {
            let s = &kb.scenarios[i];
            s.supported && (s.from, s.to) == (a, b) && holds(s.cond, facts)
        })
        .collect();
    covering.sort_by_key(|&i| scenario_id(i));
    let mut titles = Vec::new();
    for i in covering {
        for (k, issue) in kb.scenarios[i].issues.iter().enumerate() {
            if applies(issue) {
                titles.push(issue_title(&scenario_id(i), k));
            }
        }
    }
    let passed = if a.0 == b.0 { a.1 + 1..b.1 + 1 } else { 0..0 };
    for u in passed {
        for (k, issue) in kb.products[a.0].issues[u].iter().enumerate() {
            if applies(issue) {
                titles.push(issue_title(&format!("p{}@{u}", a.0), k));
            }
        }
    }
    titles
}

// ---- the property ------------------------------------------------------------------

/// Node numbering as the model's: product by product, oldest first.
fn nodes(kb: &Kb) -> Vec<Version> {
    (kb.products.iter().enumerate())
        .flat_map(|(p, product)| (0..product.versions).map(move |v| (p, v)))
        .collect()
}

/// The requirements a `NoOrder` names are real breaks, and there is one
/// whenever some order would have got there but for the requirements.
fn no_order_is_explained(
    kb: &Kb,
    named: &BTreeSet<Broken>,
    edges: &EdgeSet,
    q: &Question,
) -> Result<(), TestCaseError> {
    for (version, requirement, beside) in named {
        let real = requirements(kb, *version).into_iter().any(|r| {
            &written(r) == requirement && r.product == beside.0 && !r.versions.contains(&beside.1)
        });
        prop_assert!(
            real,
            "{:?} breaks nothing ({:?})",
            (version, requirement, beside),
            q
        );
    }
    if reachable(edges, &q.from, &q.to) {
        prop_assert!(!named.is_empty(), "no requirement named for {:?}", q);
    }
    Ok(())
}

/// When no order reaches the target even with the requirements set aside,
/// no requirement stopped the plan, so none may be named: the answer would
/// blame a requirement for what the upgrade graph alone rules out.
fn no_order_blames_no_requirement(
    named: &BTreeSet<Broken>,
    edges: &EdgeSet,
    q: &Question,
) -> Result<(), TestCaseError> {
    if !reachable(edges, &q.from, &q.to) {
        prop_assert!(named.is_empty(), "{:?} blamed for {:?}", named, q);
    }
    Ok(())
}

/// What a question is checked against: the knowledge base as generated,
/// its model as loaded, and the version of each node.
struct Case<'a> {
    kb: &'a Kb,
    model: &'a upgrade_atlas::model::Model,
    index: Vec<Version>,
    /// Also hold refusals to [`no_order_blames_no_requirement`].
    strict_blame: bool,
}

impl Case<'_> {
    fn node(&self, v: &Version) -> usize {
        self.index.iter().position(|x| x == v).unwrap()
    }

    fn state(&self, nodes: &[usize]) -> State {
        nodes.iter().map(|n| self.index[*n]).collect()
    }

    /// The engine's list of unmet requirements, in the brute force's terms.
    fn unmet(&self, list: &[Unmet]) -> BTreeSet<Broken> {
        (list.iter())
            .map(|u| {
                let r = &self.model.version(u.version).requires[u.requirement];
                (
                    self.index[u.version],
                    r.selector.clone(),
                    self.index[u.beside],
                )
            })
            .collect()
    }
}

fn check(kb: &Kb, questions: &[RawQuestion], strict_blame: bool) -> Result<(), TestCaseError> {
    let checked = upgrade_atlas::check_files(&files(kb)).map_err(|f| {
        let all: Vec<String> = f.diagnostics.iter().map(|d| d.to_string()).collect();
        TestCaseError::fail(all.join("\n"))
    })?;
    let case = Case {
        kb,
        model: &checked.model,
        index: nodes(kb),
        strict_blame,
    };
    let graph = UpgradeGraph::new(case.model);
    for raw in questions {
        check_question(&case, &graph, &question_from(kb, raw))?;
    }
    Ok(())
}

fn check_question(case: &Case, graph: &UpgradeGraph, q: &Question) -> Result<(), TestCaseError> {
    let names = (q.facts.iter()).map(|c| case.model.condition_index(&format!("c{c}")));
    let facts = Facts(names.map(|c| c.expect("a declared condition")).collect());
    let edges = graph.edges(&facts);
    let expected_edges = spec_edges(case.kb, &q.facts);
    for (a, &x) in case.index.iter().enumerate() {
        for (b, &y) in case.index.iter().enumerate() {
            let want = expected_edges.contains(&(x, y));
            prop_assert_eq!(edges.has(a, b), want, "edge {:?} -> {:?}", x, y);
        }
    }
    let Ok(walks) = shortest_walks(case.kb, &expected_edges, q) else {
        return Ok(());
    };
    let from: Vec<usize> = q.from.iter().map(|v| case.node(v)).collect();
    let to: Vec<usize> = q.to.iter().map(|v| case.node(v)).collect();
    let found = match edges.plan(&from, &to) {
        Ok(plan) => {
            // The moves and the states tell the same story.
            prop_assert_eq!(plan.moves.len() + 1, plan.states.len());
            for (i, step) in plan.moves.iter().enumerate() {
                prop_assert_eq!(plan.states[i][step.member], step.from);
                prop_assert_eq!(plan.states[i + 1][step.member], step.to);
            }
            Some(
                plan.states
                    .iter()
                    .map(|s| case.state(s))
                    .collect::<Vec<_>>(),
            )
        }
        Err(why) => {
            check_refusal(case, &why, &expected_edges, q)?;
            None
        }
    };
    if let ([start], [end], Some(states)) = (&from[..], &to[..], &found) {
        // With one member, the plan takes the route `path` gives.
        let route = edges.path(*start, *end).expect("a route");
        let route: Vec<State> = route.into_iter().map(|n| vec![case.index[n]]).collect();
        prop_assert_eq!(&route, states, "one member's plan and `path`");
    }
    prop_assert_eq!(found, brute_plan(walks), "plan for {:?}", q);
    Ok(())
}

/// A refusal gives the right reason, and names the right requirements.
fn check_refusal(
    case: &Case,
    why: &NoPlan,
    edges: &EdgeSet,
    q: &Question,
) -> Result<(), TestCaseError> {
    let kb = case.kb;
    match why {
        NoPlan::InvalidStart(list) => {
            prop_assert_eq!(case.unmet(list), broken(kb, &q.from), "start of {:?}", q);
        }
        NoPlan::InvalidEnd(list) => {
            prop_assert!(broken(kb, &q.from).is_empty(), "{:?}", q);
            prop_assert_eq!(case.unmet(list), broken(kb, &q.to), "end of {:?}", q);
        }
        NoPlan::NoOrder(list) => {
            prop_assert!(valid(kb, &q.from) && valid(kb, &q.to), "{:?}", q);
            let named = case.unmet(list);
            no_order_is_explained(kb, &named, edges, q)?;
            if case.strict_blame {
                no_order_blames_no_requirement(&named, edges, q)?;
            }
        }
        NoPlan::TooLarge => prop_assert!(false, "too large: {:?}", q),
    }
    Ok(())
}

/// `p1@2` -> (1, 2).
fn version_of(written: &serde_json::Value) -> Version {
    let text = written.as_str().expect("a version");
    let (product, version) = text.strip_prefix('p').unwrap().split_once('@').unwrap();
    (product.parse().unwrap(), version.parse().unwrap())
}

/// Each move of the `plan` command's JSON answer carries the issues that
/// `path` gives for that one hop, from that member's own start.
fn check_move_issues(kb: &Kb, questions: &[RawQuestion]) -> Result<(), TestCaseError> {
    let checked = upgrade_atlas::check_files(&files(kb)).map_err(|f| {
        let all: Vec<String> = f.diagnostics.iter().map(|d| d.to_string()).collect();
        TestCaseError::fail(all.join("\n"))
    })?;
    let refs =
        |state: &State| -> Vec<String> { state.iter().map(|(p, v)| format!("p{p}@{v}")).collect() };
    for raw in questions {
        let q = question_from(kb, raw);
        let question = PlanQuestion {
            from: refs(&q.from),
            to: refs(&q.to),
            conditions: q.facts.iter().map(|c| format!("c{c}")).collect(),
            originally: None,
        };
        let (json, _) = stack_plan::answer(&checked.model, &question, PlanFormat::Json)
            .map_err(|problem| TestCaseError::fail(problem.to_string()))?;
        let answer: serde_json::Value = serde_json::from_str(&json).unwrap();
        for step in answer["plan"].as_array().into_iter().flatten() {
            let member = step["member"].as_u64().unwrap() as usize;
            let hop = (version_of(&step["from"]), version_of(&step["to"]));
            let titles: Vec<&str> = (step["issues"].as_array().unwrap().iter())
                .map(|i| i["title"].as_str().unwrap())
                .collect();
            let want = hop_issues(kb, hop, &q.facts, q.from[member]);
            prop_assert_eq!(titles, want, "move {:?} of {:?}", hop, q);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: crate::common::proptest_cases(400), ..ProptestConfig::default() })]

    #[test]
    fn plans_are_valid_shortest_and_preferred(
        kb in kb(),
        questions in proptest::collection::vec(raw_question(), 1..=6),
    ) {
        check(&kb, &questions, false)?;
    }

    #[test]
    fn each_move_meets_the_issues_of_its_hop_from_its_members_start(
        kb in kb(),
        questions in proptest::collection::vec(raw_question(), 1..=6),
    ) {
        check_move_issues(&kb, &questions)?;
    }

    /// The smallest case: p0 has versions 0 and 1 and no upgrade at all;
    /// p1 goes 0 -> 1 (sequential) and p1 1 requires `p0@1`. `plan p0@0
    /// p1@0 --to p0@1 p1@0` answers "every order of upgrades passes a state
    /// that breaks a requirement: P1 1 requires `p0@1`, and P0 0 is not one
    /// of those", though p1 need not move and nothing takes p0 to 1: `plan
    /// p0@0 --to p0@1` rightly says "some member has no upgrade path to its
    /// target". The engine names the requirements of every state it turned
    /// away, whether or not an order could have got there without them.
    #[test]

    fn refusals_blame_requirements_only_when_they_stopped_the_plan(
        kb in kb(),
        questions in proptest::collection::vec(raw_question(), 1..=6),
    ) {
        check(&kb, &questions, true)?;
    }
}
