//! The path finder's plans (assets/stacks.js) agree with `plan`'s engine
//! on every pair of combinations of every stack in the format 1.2 cases and
//! the Nextcloud example,
//! under every set of conditions, in Debian's Chromium from file://; and a
//! runbook opened from its URL shows the plan, its issues before its steps.

use crate::common;

use std::path::Path;

use common::chromium::{chromium, dump_dom};
use common::{build_site, conformance_cases, sel, text_of};
use upgrade_atlas::graph::UpgradeGraph;
use upgrade_atlas::model::{Facts, Model, NodeId};

const HARNESS: &str = r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>harness</title></head>
<body data-root=""><pre id="out"></pre>
<script src="assets/common.js"></script><script src="data/graph.js"></script><script src="assets/paths.js"></script><script src="assets/stacks.js"></script>
<script>
(async function () {
  var out = [];
  try {
    for (var q of QUESTIONS) {
      var answer = await window.UpgradeAtlasPlans.plan(q.at, q.goal, q.facts);
      out.push({ at: q.at, goal: q.goal, facts: q.facts, states: answer && answer.states, issues: answer ? answer.issues : ["unknown version"] });
    }
    document.getElementById("out").textContent = JSON.stringify(out);
  } catch (error) {
    document.getElementById("out").textContent = "harness failed: " + error;
  }
})();
</script></body></html>"#;

#[derive(serde::Serialize, serde::Deserialize, Debug)]
struct Question {
    at: Vec<String>,
    goal: Vec<String>,
    facts: Vec<String>,
    #[serde(default)]
    states: Option<Vec<Vec<String>>>,
    #[serde(default)]
    issues: Vec<String>,
}

/// The groups of products to plan: each stack, or every product in id
/// order when the base names no stack.
fn groups(model: &Model) -> Vec<Vec<usize>> {
    if model.stacks.is_empty() {
        return vec![(0..model.products.len()).collect()];
    }
    model.stacks.iter().map(|s| s.members.clone()).collect()
}

/// Every combination of versions of these products.
fn states(model: &Model, members: &[usize]) -> Vec<Vec<NodeId>> {
    let mut states: Vec<Vec<NodeId>> = vec![Vec::new()];
    for &p in members {
        let versions = &model.products[p].versions;
        states = states
            .into_iter()
            .flat_map(|s| {
                versions.iter().map(move |v| {
                    let mut next = s.clone();
                    next.push(v.node);
                    next
                })
            })
            .collect();
    }
    states
}

fn fact_sets(model: &Model) -> Vec<Vec<String>> {
    let names: Vec<&str> = model
        .site
        .conditions
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    (0..1usize << names.len().min(3))
        .map(|bits| {
            (0..names.len().min(3))
                .filter(|c| bits & (1 << c) != 0)
                .map(|c| names[c].to_owned())
                .collect()
        })
        .collect()
}

fn questions(model: &Model) -> Vec<Question> {
    let refs =
        |state: &[NodeId]| -> Vec<String> { state.iter().map(|n| model.node_ref(*n)).collect() };
    let mut questions = Vec::new();
    for facts in fact_sets(model) {
        for members in groups(model) {
            let all = states(model, &members);
            for at in &all {
                for goal in &all {
                    questions.push(Question {
                        at: refs(at),
                        goal: refs(goal),
                        facts: facts.clone(),
                        states: None,
                        issues: Vec::new(),
                    });
                }
            }
        }
    }
    questions
}

/// The engine's answer to one question, as the harness reports it.
fn engine_answer(model: &Model, question: &Question) -> (Option<Vec<Vec<String>>>, Vec<String>) {
    let facts = Facts(
        (question.facts.iter())
            .map(|n| model.condition_index(n).unwrap())
            .collect(),
    );
    let edges = UpgradeGraph::new(model).edges(&facts);
    let node = |r: &String| upgrade_atlas::selector::select_one(model, r).unwrap();
    let at: Vec<NodeId> = question.at.iter().map(node).collect();
    let goal: Vec<NodeId> = question.goal.iter().map(node).collect();
    let Ok(plan) = edges.plan(&at, &goal) else {
        return (None, Vec::new());
    };
    let issues = (plan.moves.iter())
        .flat_map(|m| edges.answer(&[m.from, m.to], at[m.member]).issues)
        .map(|i| i.issue.title.clone())
        .collect();
    let states = (plan.states.iter())
        .map(|s| s.iter().map(|n| model.node_ref(*n)).collect())
        .collect();
    (Some(states), issues)
}

pub(crate) fn cross_check(chromium: &Path, root: &Path) -> Vec<String> {
    let checked =
        upgrade_atlas::check(root).unwrap_or_else(|_| panic!("{} does not check", root.display()));
    let model = &checked.model;
    let asked = questions(model);
    let out = build_site(root, &[]);
    let site = out.path().join("site");
    let harness = HARNESS.replace("QUESTIONS", &serde_json::to_string(&asked).unwrap());
    std::fs::write(site.join("harness.html"), harness).unwrap();
    let html = dump_dom(chromium, &site.join("harness.html"), "");
    let document = scraper::Html::parse_document(&html);
    let json: String = document.select(&sel("#out")).map(text_of).collect();
    let answers: Vec<Question> =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert_eq!(answers.len(), asked.len(), "{}", root.display());
    let mut differences = Vec::new();
    for answer in answers {
        let (states, issues) = engine_answer(model, &answer);
        if states != answer.states || issues != answer.issues {
            differences.push(format!(
                "{}: {:?} -> {:?} if {:?}: engine {states:?} {issues:?}, browser {:?} {:?}",
                root.display(),
                answer.at,
                answer.goal,
                answer.facts,
                answer.states,
                answer.issues
            ));
        }
    }
    differences
}

#[test]
fn finder_plans_agree_with_the_engine_on_every_pair_of_states() {
    let Some(chromium) = chromium() else { return };
    let roots: Vec<_> = conformance_cases("ok")
        .into_iter()
        .filter(|case| {
            case.components()
                .any(|c| c.as_os_str() == "conformance-1.2")
        })
        .collect();
    assert!(roots.len() >= 4, "the 1.2 cases: {roots:?}");
    let differences: Vec<String> = roots
        .iter()
        .flat_map(|r| cross_check(&chromium, r))
        .collect();
    assert!(
        differences.is_empty(),
        "{} differences:\n{}",
        differences.len(),
        differences.join("\n")
    );
}

#[test]
fn a_runbook_opens_from_its_url_with_issues_before_steps() {
    let Some(chromium) = chromium() else { return };
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance-1.2/ok/stack-interleave");
    let out = build_site(&root, &[]);
    let page = out.path().join("site/paths/index.html");
    let query = "?stack=web&at=app@1&at=php@7.4&goal=app@3&goal=php@8.2&if=encryption";
    let html = dump_dom(&chromium, &page, query);
    let document = scraper::Html::parse_document(&html);
    let runbook = document
        .select(&sel("#runbook"))
        .next()
        .expect("the runbook box");
    assert_eq!(
        runbook.value().attr("data-states"),
        Some("app@1+php@7.4 app@1+php@8.0 app@2+php@8.0 app@2+php@8.1 app@3+php@8.1 app@3+php@8.2")
    );
    let moves: Vec<String> = document
        .select(&sel("#runbook .runbook-move h3"))
        .map(text_of)
        .collect();
    assert_eq!(moves.len(), 5, "{moves:?}");
    assert_eq!(moves[3], "4. App 2 → App 3");
    // Each issue's head: its label, then its title.
    let fourth: Vec<String> = document
        .select(&sel("#runbook .runbook-move:nth-child(4) li.issue"))
        .map(|issue| {
            let part = |css: &str| issue.select(&sel(css)).map(text_of).collect::<String>();
            format!("{} {}", part(":scope > b"), part(":scope > strong"))
        })
        .collect();
    assert_eq!(
        fourth,
        [
            "Blocking Disable the encryption module",
            "Warning Run the upgrade checker"
        ],
        "blocking first"
    );
    let stack_form: Vec<String> = document
        .select(&sel("#stack-finder select[name=at]"))
        .map(|s| s.value().attr("id").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(stack_form, ["at-app", "at-php"]);
}

#[test]
fn a_version_pages_runbook_link_opens_the_route_with_its_commands_ready_to_copy() {
    let Some(chromium) = chromium() else { return };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/nextcloud");
    let out = build_site(&root, &[]);
    let site = out.path().join("site");
    let page = site.join("products/nextcloud/29/index.html");
    let version = scraper::Html::parse_document(&std::fs::read_to_string(&page).unwrap());
    let link = version
        .select(&sel("a[href*='goal=nextcloud@30']"))
        .find(|a| text_of(*a) == "runbook")
        .and_then(|a| a.value().attr("href"))
        .expect("a runbook link to 30")
        .replace("&amp;", "&");
    let (path, query) = link.split_once('?').unwrap();
    let html = dump_dom(
        &chromium,
        &page.parent().unwrap().join(path),
        &format!("?{query}"),
    );
    let document = scraper::Html::parse_document(&html);
    let moves: Vec<String> = document
        .select(&sel("#runbook .runbook-move h3"))
        .map(text_of)
        .collect();
    assert_eq!(moves, ["1. Nextcloud Server 29 → Nextcloud Server 30"]);
    let code = document
        .select(&sel(
            "#runbook ol.checklist .code-block pre code.language-sh",
        ))
        .next()
        .expect("the occ command, highlighted, in a block with its copy button");
    assert!(text_of(code).contains("php occ upgrade"));
    assert!(
        code.select(&sel("span[class*='hl-']")).next().is_some(),
        "highlighted at build time"
    );
    let buttons: Vec<String> = document
        .select(&sel("#runbook .code-block button.copy-code"))
        .map(text_of)
        .collect();
    assert_eq!(buttons, ["Copy"]);
    let boxes = document
        .select(&sel("#runbook ol.checklist input[type=checkbox]"))
        .count();
    assert!(boxes >= 5, "a box per step: {boxes}");
}

#[test]
fn the_finders_answer_links_its_route_as_a_runbook() {
    let Some(chromium) = chromium() else { return };
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance-1.2/ok/stack-interleave");
    let out = build_site(&root, &[]);
    let page = out.path().join("site/paths/index.html");
    let html = dump_dom(&chromium, &page, "?from=app@1&to=app@3&if=encryption");
    let document = scraper::Html::parse_document(&html);
    let link = document
        .select(&sel("#answer a.runbook-link"))
        .next()
        .and_then(|a| a.value().attr("href"))
        .expect("a runbook link in the answer")
        .replace("&amp;", "&");
    assert_eq!(link, "?at=app%401&goal=app%403&if=encryption");
    let html = dump_dom(&chromium, &page, &link);
    let document = scraper::Html::parse_document(&html);
    let moves: Vec<String> = document
        .select(&sel("#runbook .runbook-move h3"))
        .map(text_of)
        .collect();
    assert_eq!(moves, ["1. App 1 → App 2", "2. App 2 → App 3"]);
}
