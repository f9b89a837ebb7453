//! Property tests of the upgrade graph: random knowledge bases are written to
//! disk, checked through the library, and every path is compared with a
//! brute-force search over edges computed independently from the spec.

use std::collections::BTreeSet;
use std::fmt::Write;

use proptest::prelude::*;
use upgrade_atlas::graph::UpgradeGraph;
use upgrade_atlas::model::Facts;

type Version = (usize, usize);
type EdgeSet = BTreeSet<(Version, Version)>;

#[derive(Debug, Clone)]
struct Product {
    versions: usize,
    /// 0 none, 1 sequential, 2 any-newer
    policy: u8,
    stop: Option<usize>,
}

#[derive(Debug, Clone)]
struct Kb {
    products: Vec<Product>,
    /// (from product, from version, to product, to version, supported)
    scenarios: Vec<(usize, usize, usize, usize, bool)>,
}

fn kb() -> impl Strategy<Value = Kb> {
    let product = (1usize..=4, 0u8..3, proptest::option::of(0usize..4)).prop_map(
        |(versions, policy, stop)| Product {
            versions,
            policy,
            stop: stop.filter(|s| *s < versions),
        },
    );
    (
        proptest::collection::vec(product, 1..=3),
        proptest::collection::vec(
            (0usize..3, 0usize..4, 0usize..3, 0usize..4, any::<bool>()),
            0..8,
        ),
    )
        .prop_map(|(products, raw)| {
            let mut scenarios: Vec<(usize, usize, usize, usize, bool)> = Vec::new();
            for (p, v, q, w, supported) in raw {
                let (p, q) = (p % products.len(), q % products.len());
                let (v, w) = (v % products[p].versions, w % products[q].versions);
                let forward = p != q || w > v;
                let clash = scenarios
                    .iter()
                    .any(|s| (s.0, s.1, s.2, s.3) == (p, v, q, w));
                if (supported && !forward) || (p, v) == (q, w) || clash {
                    continue;
                }
                scenarios.push((p, v, q, w, supported));
            }
            Kb {
                products,
                scenarios,
            }
        })
}

fn write(kb: &Kb) -> tempfile::TempDir {
    write_with(kb, &|_, _| String::new())
}

/// [`write`], with `extra(product, version)` added to each version's entry.
fn write_with(kb: &Kb, extra: &dyn Fn(usize, usize) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("products")).unwrap();
    std::fs::create_dir_all(content.join("scenarios")).unwrap();
    for (p, product) in kb.products.iter().enumerate() {
        let mut text = format!("name: P{p}\nversions:\n");
        for v in 0..product.versions {
            writeln!(text, "  - id: \"{v}\"").unwrap();
            text.push_str(&extra(p, v));
        }
        let policy = ["none", "sequential", "any-newer"][product.policy as usize];
        writeln!(text, "upgrades:\n  policy: {policy}").unwrap();
        if let (2, Some(stop)) = (product.policy, product.stop) {
            writeln!(text, "  required_stops: [\"{stop}\"]").unwrap();
        }
        std::fs::write(content.join(format!("products/p{p}.yaml")), text).unwrap();
    }
    for (i, (p, v, q, w, supported)) in kb.scenarios.iter().enumerate() {
        let direct = if *supported {
            "supported"
        } else {
            "unsupported"
        };
        let text = format!("from: p{p}@{v}\nto: p{q}@{w}\ndirect: {direct}\n");
        std::fs::write(content.join(format!("scenarios/s{i}.yaml")), text).unwrap();
    }
    dir
}

/// Node numbering as the model's: product by product, oldest first.
fn nodes(kb: &Kb) -> Vec<(usize, usize)> {
    kb.products
        .iter()
        .enumerate()
        .flat_map(|(p, product)| (0..product.versions).map(move |v| (p, v)))
        .collect()
}

/// The edges, straight from the spec's definitions.
fn spec_edges(kb: &Kb) -> EdgeSet {
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
    for (p, v, q, w, supported) in &kb.scenarios {
        if !supported {
            edges.remove(&((*p, *v), (*q, *w)));
        }
    }
    for (p, v, q, w, supported) in &kb.scenarios {
        if *supported {
            edges.insert(((*p, *v), (*q, *w)));
        }
    }
    edges
}

/// Every simple path from `from` to `to`, by exhaustive search.
pub(crate) fn all_paths(
    edges: &EdgeSet,
    from: (usize, usize),
    to: (usize, usize),
) -> Vec<Vec<(usize, usize)>> {
    fn walk(
        edges: &EdgeSet,
        path: &mut Vec<(usize, usize)>,
        to: (usize, usize),
        out: &mut Vec<Vec<(usize, usize)>>,
    ) {
        let last = *path.last().unwrap();
        if last == to {
            out.push(path.clone());
            return;
        }
        for (a, b) in edges.iter().copied() {
            if a == last && !path.contains(&b) {
                path.push(b);
                walk(edges, path, to, out);
                path.pop();
            }
        }
    }
    let mut out = Vec::new();
    walk(edges, &mut vec![from], to, &mut out);
    out
}

/// The spec's preference: fewest hops, then stops compared first to last,
/// lower product id first, newer version first.
pub(crate) fn best(paths: Vec<Vec<(usize, usize)>>) -> Option<Vec<(usize, usize)>> {
    paths.into_iter().min_by_key(|path| {
        (
            path.len(),
            path.iter()
                .map(|(p, v)| (*p, std::cmp::Reverse(*v)))
                .collect::<Vec<_>>(),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: crate::common::proptest_cases(200), ..ProptestConfig::default() })]

    #[test]
    fn paths_are_real_shortest_and_preferred(kb in kb()) {
        let dir = write(&kb);
        let checked = upgrade_atlas::check(dir.path()).map_err(|f| {
            TestCaseError::fail(f.diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))
        })?;
        let model = &checked.model;
        let graph = UpgradeGraph::new(model);
        let edges = graph.edges(&Facts::none());
        let expected_edges = spec_edges(&kb);
        let index = nodes(&kb);
        for (from, &a) in index.iter().enumerate() {
            let tree = edges.paths_from(from);
            for (to, &b) in index.iter().enumerate() {
                prop_assert_eq!(edges.has(from, to), expected_edges.contains(&(a, b)), "edge {:?} -> {:?}", a, b);
                let found = tree.path_to(to).map(|p| p.into_iter().map(|n| index[n]).collect::<Vec<_>>());
                let brute = best(all_paths(&expected_edges, a, b));
                if let Some(path) = &found {
                    for hop in path.windows(2) {
                        prop_assert!(expected_edges.contains(&(hop[0], hop[1])), "hop {:?} is not an edge", hop);
                    }
                }
                prop_assert_eq!(found.is_none(), brute.is_none(), "reachability {:?} -> {:?}", a, b);
                prop_assert_eq!(found, brute, "path {:?} -> {:?}", a, b);
            }
        }
    }
}

/// A version's support, as day numbers from 2020-01-01: released on
/// `released`; mainstream support ends on `ends` (`None`: not announced);
/// or nothing stated at all.
#[derive(Debug, Clone, Copy)]
struct Support {
    stated: bool,
    released: Option<i64>,
    ends: Option<i64>,
}

fn support() -> impl Strategy<Value = Support> {
    (
        any::<bool>(),
        proptest::option::of(0i64..1500),
        proptest::option::weighted(0.8, 0i64..1500),
    )
        .prop_map(|(stated, released, length)| Support {
            stated,
            released,
            ends: length.map(|l| released.unwrap_or(0) + l),
        })
}

fn day(offset: i64) -> String {
    let start = upgrade_atlas::lifecycle::Date::parse("2020-01-01").unwrap();
    start.plus_days(offset).to_string()
}

/// In mainstream support on `on`, straight from the definition: released
/// by then, and its support ends after it or is not announced.
fn in_support(support: &Support, on: i64) -> bool {
    support.stated
        && support.released.is_none_or(|r| r <= on)
        && support.ends.is_none_or(|e| on < e)
}

/// The spec of `path --to-supported`, by exhaustive search: among the
/// versions in support, those with the fewest hops; of them, the one
/// supported longest (no end announced first), then released last, then
/// first in node order; and the preferred path to it.
fn brute_to_supported(
    edges: &EdgeSet,
    index: &[(usize, usize)],
    supports: &[Support],
    from: usize,
    on: i64,
) -> Option<Vec<(usize, usize)>> {
    if in_support(&supports[from], on) {
        return Some(vec![index[from]]);
    }
    (0..index.len())
        .filter(|t| *t != from && in_support(&supports[*t], on))
        .filter_map(|t| best(all_paths(edges, index[from], index[t])).map(|p| (t, p)))
        .min_by_key(|(t, path)| {
            let s = &supports[*t];
            (
                path.len(),
                std::cmp::Reverse((s.ends.is_none(), s.ends)),
                std::cmp::Reverse(s.released),
                *t,
            )
        })
        .map(|(_, path)| path)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: crate::common::proptest_cases(150), ..ProptestConfig::default() })]

    #[test]
    fn routes_to_support_are_the_nearest_supported(
        kb in kb(),
        supports in proptest::collection::vec(support(), 12),
        on in 0i64..2500,
    ) {
        let index = nodes(&kb);
        let supports: Vec<Support> = (0..index.len()).map(|n| supports[n % supports.len()]).collect();
        let dir = write_with(&kb, &|p, v| {
            let node = index.iter().position(|x| *x == (p, v)).unwrap();
            let s = supports[node];
            if !s.stated {
                return String::new();
            }
            let mut text = String::new();
            if let Some(r) = s.released {
                writeln!(text, "    released: {}", day(r)).unwrap();
            }
            match s.ends {
                Some(e) => writeln!(text, "    support_ends: {}", day(e)).unwrap(),
                None => writeln!(text, "    support_ends: false").unwrap(),
            }
            text
        });
        let checked = upgrade_atlas::check(dir.path()).map_err(|f| {
            TestCaseError::fail(f.diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))
        })?;
        let model = &checked.model;
        let graph = UpgradeGraph::new(model);
        let edges = graph.edges(&Facts::none());
        let expected_edges = spec_edges(&kb);
        let on_day = upgrade_atlas::lifecycle::Date::parse(&day(on)).unwrap();
        for from in 0..index.len() {
            let found = upgrade_atlas::graph::support::route_to_supported(&edges, from, on_day)
                .map(|p| p.into_iter().map(|n| index[n]).collect::<Vec<_>>());
            let brute = brute_to_supported(&expected_edges, &index, &supports, from, on);
            prop_assert_eq!(found, brute, "from {:?} on day {}", index[from], on);
        }
    }
}
