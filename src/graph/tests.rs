use super::*;

fn product(versions: usize, rules: Vec<Rule>) -> Product {
    Product {
        id: "p".into(),
        name: "P".into(),
        vendor: None,
        summary: None,
        notes: None,
        links: Vec::new(),
        versions: (0..versions)
            .map(|v| Version {
                id: v.to_string(),
                aliases: Vec::new(),
                name: v.to_string(),
                released: None,
                summary: None,
                components: Vec::new(),
                issues: Vec::new(),
                lifecycle: Lifecycle::default(),
                sources: Vec::new(),
                requires: Vec::new(),
                node: v,
            })
            .collect(),
        names: VersionNames::default(),
        rules,
        phases: PhaseLabels::default(),
        file: "content/products/p.yaml".into(),
    }
}

fn rule(policy: Policy, members: Vec<usize>, stops: Vec<Stop>) -> Rule {
    Rule {
        policy,
        members,
        versions_spec: None,
        stops,
        condition: Condition::default(),
    }
}

fn when(condition: ConditionId) -> Condition {
    Condition {
        when: vec![condition],
        unless: Vec::new(),
    }
}

#[test]
fn any_newer_reaches_the_first_stop_but_never_passes_it() {
    let stops = vec![Stop {
        version: 2,
        condition: Condition::default(),
    }];
    let p = product(5, vec![rule(Policy::AnyNewer, (0..5).collect(), stops)]);
    let edges = rule_edges(&p, &Facts::none());
    assert_eq!(edges, [(0, 1), (0, 2), (1, 2), (2, 3), (2, 4), (3, 4)]);
}

#[test]
fn conditional_stops_apply_only_when_their_facts_hold() {
    let stops = vec![Stop {
        version: 1,
        condition: when(0),
    }];
    let p = product(3, vec![rule(Policy::AnyNewer, vec![0, 1, 2], stops)]);
    assert!(rule_edges(&p, &Facts::none()).contains(&(0, 2)));
    assert!(!rule_edges(&p, &Facts([0].into_iter().collect())).contains(&(0, 2)));
}

/// The limit on a product's upgrades counts what `rule_edges` makes
/// when no condition holds, without making them.
#[test]
fn most_upgrades_counts_the_edges_of_a_rule() {
    let stop = |version| Stop {
        version,
        condition: Condition::default(),
    };
    let conditional = Stop {
        version: 3,
        condition: when(0),
    };
    let rules = [
        rule(Policy::AnyNewer, (0..40).collect(), Vec::new()),
        rule(Policy::AnyNewer, (0..40).collect(), vec![stop(7), stop(30)]),
        rule(
            Policy::AnyNewer,
            vec![1, 4, 9, 16, 25],
            vec![stop(9), conditional],
        ),
        rule(Policy::Sequential, vec![2, 3, 5, 8], Vec::new()),
        rule(Policy::None, (0..40).collect(), Vec::new()),
    ];
    for rule in rules {
        let expected = rule.most_upgrades();
        let p = product(40, vec![rule]);
        assert_eq!(rule_edges(&p, &Facts::none()).len(), expected);
    }
}

#[test]
fn sequential_over_members_links_each_to_the_next_member() {
    let p = product(5, vec![rule(Policy::Sequential, vec![0, 2, 4], Vec::new())]);
    assert_eq!(rule_edges(&p, &Facts::none()), [(0, 2), (2, 4)]);
}

#[test]
fn conditions_are_compatible_unless_one_requires_what_the_other_excludes() {
    let clustered = when(0);
    let not_clustered = Condition {
        when: Vec::new(),
        unless: vec![0],
    };
    assert!(!clustered.compatible(&not_clustered));
    assert!(clustered.compatible(&when(1)));
    assert!(Condition::default().compatible(&not_clustered));
}
