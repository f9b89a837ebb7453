//! The data a site gives out: api/v1/ against its JSON Schemas and against
//! `path`, `export graph` and `export matrix` parsed back, and the feed
//! parsed as Atom.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{run, text};
use serde_json::Value;

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file below `dir`, by its path relative to `dir`.
fn files_below(dir: &Path) -> BTreeMap<String, PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e.path().strip_prefix(dir).unwrap();
            (
                relative.to_string_lossy().replace('\\', "/"),
                e.path().to_path_buf(),
            )
        })
        .collect()
}

fn validator(schema: &str) -> jsonschema::Validator {
    let schema = read_json(&example().join("docs/api").join(schema));
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("the schema compiles: {e}"))
}

/// Every file below `api` with its kind, each asserted valid against the
/// schema of its kind (`site` names the knowledge base in a failure).
fn validated_api_files(
    api: &Path,
    schemas: &[(&'static str, jsonschema::Validator)],
    site: &str,
) -> Vec<(&'static str, Value)> {
    files_below(api)
        .into_iter()
        .map(|(name, path)| {
            let kind = match name.as_str() {
                "index.json" => "index",
                "graph.json" => "graph",
                _ if name.matches('/').count() == 1 => "product",
                _ => "version",
            };
            let (_, validator) = schemas.iter().find(|(k, _)| *k == kind).unwrap();
            let value = read_json(&path);
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{site} {name} ({kind}): {errors:#?}");
            (kind, value)
        })
        .collect()
}

/// The schemas in docs/api/ are those the API's types generate
/// (`src/plan/api/types.rs`), so a field added to a file is in its schema.
/// `UPGRADE_ATLAS_WRITE_SCHEMAS=1` writes them again instead.
#[test]
fn the_committed_schemas_are_the_ones_the_types_generate() {
    let dir = example().join("docs/api");
    let rewrite = std::env::var_os("UPGRADE_ATLAS_WRITE_SCHEMAS").is_some();
    let mut stale = Vec::new();
    for (name, generated) in upgrade_atlas::plan::api::schemas() {
        let path = dir.join(name);
        if rewrite {
            std::fs::write(&path, &generated).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(generated.as_str()) {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "docs/api/{stale:?} differ from what src/plan/api/types.rs generates; write them \
         again with `UPGRADE_ATLAS_WRITE_SCHEMAS=1 cargo test --test it -- \
         data_out::the_committed_schemas` and commit them"
    );
}

#[test]
fn every_api_file_validates_against_its_schema() {
    let out = common::build_site(&example(), &[]);
    let api = out.path().join("site/api/v1");
    let schemas = [
        ("index", validator("index.schema.json")),
        ("graph", validator("graph.schema.json")),
        ("product", validator("product.schema.json")),
        ("version", validator("version.schema.json")),
    ];
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (kind, _) in validated_api_files(&api, &schemas, "example") {
        *seen.entry(kind).or_default() += 1;
    }
    // The example has three products and six versions.
    assert_eq!(seen.get("index"), Some(&1));
    assert_eq!(seen.get("graph"), Some(&1));
    assert_eq!(seen.get("product"), Some(&3));
    assert_eq!(seen.get("version"), Some(&6), "{seen:?}");

    // A schema that cannot fail proves nothing: a wrong file is refused.
    let (_, product) = &schemas[2];
    let mut wrong = read_json(&api.join("products/backoffice-server.json"));
    wrong["versions"][0]["issues"] = serde_json::json!([{ "title": "x", "severity": "fatal" }]);
    assert!(!product.is_valid(&wrong));

    // Support dates, where a knowledge base states them, fit the schemas too.
    let dated = common::build_site(&example().join("examples/postgresql"), &[]);
    let api = dated.path().join("site/api/v1");
    let dates = validated_api_files(&api, &schemas, "postgresql")
        .iter()
        .filter(|(_, value)| value.get("lifecycle").is_some())
        .count();
    assert!(dates > 0, "the version files carry their support dates");
    let mut wrong = read_json(&api.join("products/postgresql.json"));
    wrong["versions"][0]["lifecycle"]["support"] = serde_json::json!(3);
    assert!(!product.is_valid(&wrong));
}

#[test]
fn version_files_agree_with_path_on_every_pair() {
    let out = common::build_site(&example(), &[]);
    let api = out.path().join("site/api/v1");
    let graph = read_json(&api.join("graph.json"));
    let versions: Vec<&str> = graph["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["ref"].as_str().unwrap())
        .collect();
    let root = example();
    let mut answered = 0;
    for from in &versions {
        let (product, version) = from.split_once('@').unwrap();
        let file = read_json(&api.join(format!("products/{product}/{version}.json")));
        assert_eq!(file["ref"], *from);
        let targets: BTreeMap<&str, &Value> = file["targets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["to"].as_str().unwrap(), t))
            .collect();
        for to in &versions {
            if to == from {
                continue;
            }
            let asked = run(&["--root", root.to_str().unwrap(), "path", from, to, "--json"]);
            let answer: Value = serde_json::from_slice(&asked.stdout).unwrap();
            match targets.get(to) {
                Some(target) => {
                    assert_eq!(asked.status.code(), Some(0), "{from} -> {to}");
                    assert_eq!(target["path"], answer["path"], "{from} -> {to}");
                    assert_eq!(
                        issues_on(&file, &target["path"]),
                        answer["issues"],
                        "{from} -> {to}"
                    );
                    let blocking = answer["issues"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|i| i["severity"] == "blocking")
                        .count();
                    assert_eq!(target["blocking"], blocking, "{from} -> {to}");
                    let hops = answer["path"].as_array().unwrap().len() - 1;
                    assert_eq!(target["hops"], hops, "{from} -> {to}");
                    answered += 1;
                }
                None => assert_eq!(asked.status.code(), Some(1), "{from} -> {to}"),
            }
        }
    }
    assert_eq!(answered, 10, "the example's pairs with a path");
}

/// A path's issues as `path --json` gives them, put together from the
/// version file's direct upgrades, hop by hop.
fn issues_on(file: &Value, path: &Value) -> Value {
    let refs: Vec<&str> = path
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    let mut issues = Vec::new();
    for (hop, pair) in refs.windows(2).enumerate() {
        let upgrade = file["upgrades"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["from"] == pair[0] && u["to"] == pair[1])
            .unwrap_or_else(|| panic!("{} -> {} is listed in upgrades", pair[0], pair[1]));
        for issue in upgrade["issues"].as_array().unwrap() {
            let mut issue = issue.clone();
            issue["hop"] = hop.into();
            issues.push(issue);
        }
    }
    Value::Array(issues)
}

#[test]
fn the_graph_names_versions_by_selector() {
    let out = common::build_site(&example(), &[]);
    let graph = read_json(&out.path().join("site/api/v1/graph.json"));
    let upgrade = graph["upgrades"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["from"] == "backoffice-server@4.5" && u["to"] == "windows-xp-server@xp")
        .expect("the 4.5 -> XP upgrade");
    assert_eq!(
        upgrade["scenarios"],
        serde_json::json!(["backoffice/4.5-to-xp"])
    );
    let scenario = graph["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "backoffice/4.5-to-xp")
        .unwrap();
    assert_eq!(
        scenario["from"],
        serde_json::json!(["backoffice-server@4.5"])
    );
    assert_eq!(scenario["url"], "scenarios/backoffice/4.5-to-xp/index.html");
}

fn export(args: &[&str]) -> String {
    let root = example();
    let mut all = vec!["--root", root.to_str().unwrap(), "export"];
    all.extend_from_slice(args);
    let out = run(&all);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn export_graph_as_dot_and_mermaid_matches_the_golden_files() {
    insta::assert_snapshot!("export_graph_dot", export(&["graph", "--format", "dot"]));
    insta::assert_snapshot!(
        "export_graph_mermaid",
        export(&["graph", "--format", "mermaid"])
    );
    assert_eq!(
        export(&["graph"]),
        export(&["graph", "--format", "dot"]),
        "dot by default"
    );
}

/// The site's graph.json without its site links.
fn without_urls(mut value: Value) -> Value {
    match &mut value {
        Value::Object(map) => {
            map.remove("url");
            for v in map.values_mut() {
                *v = without_urls(v.take());
            }
        }
        Value::Array(items) => {
            for v in items.iter_mut() {
                *v = without_urls(v.take());
            }
        }
        _ => {}
    }
    value
}

#[test]
fn export_graph_as_json_is_the_site_graph_without_links() {
    let exported: Value = serde_json::from_str(&export(&["graph", "--format", "json"])).unwrap();
    let out = common::build_site(&example(), &[]);
    let site = read_json(&out.path().join("site/api/v1/graph.json"));
    assert_eq!(exported, without_urls(site));
    let errors: Vec<String> = validator("graph.schema.json")
        .iter_errors(&exported)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn export_matrix_csv_parses_and_agrees_with_the_version_files() {
    let csv_text = export(&["matrix", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[0], "from");
    let out = common::build_site(&example(), &[]);
    let api = out.path().join("site/api/v1");
    let mut rows = 0;
    for record in reader.records() {
        let record = record.unwrap();
        assert_eq!(record.len(), header.len());
        let from = &record[0];
        let (product, version) = from.split_once('@').unwrap();
        let file = read_json(&api.join(format!("products/{product}/{version}.json")));
        for (column, cell) in record.iter().enumerate().skip(1) {
            let to = &header[column];
            let expected = if to == from {
                "0".to_owned()
            } else {
                file["targets"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|t| t["to"] == *to.as_str())
                    .map(|t| matrix_cell(&t["hops"], &t["blocking"]))
                    .unwrap_or_default()
            };
            assert_eq!(cell, expected, "{from} -> {to}");
        }
        rows += 1;
    }
    assert_eq!(rows, header.len() - 1, "one row a version");
    assert!(csv_text.contains("small-business-server@4.0,"));
    assert!(
        csv_text.contains(" blocking)"),
        "no blocking count: {csv_text}"
    );
}

/// A matrix cell as the CSV says it: the hops, and the blocking issues on
/// the way when there are any.
fn matrix_cell(hops: &Value, blocking: &Value) -> String {
    match blocking.as_u64().expect("a count") {
        0 => hops.to_string(),
        n => format!("{hops} ({n} blocking)"),
    }
}

#[test]
fn export_matrix_if_conditions_counts_the_blocking_issues_for_those_facts() {
    let cell = |csv_text: &str, from: &str, to: &str| -> String {
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let column = header.iter().position(|h| h == to).unwrap();
        reader
            .records()
            .map(Result::unwrap)
            .find(|r| &r[0] == from)
            .map(|r| r[column].to_owned())
            .unwrap()
    };
    // Replicas must run 8.0 before the source does: blocking only then.
    let plain = export_conditions(&["matrix"]).unwrap();
    assert_eq!(cell(&plain, "mysql@5.7", "mysql@8.0"), "1");
    let replication = export_conditions(&["matrix", "--if", "replication"]).unwrap();
    assert_eq!(
        cell(&replication, "mysql@5.7", "mysql@8.0"),
        "1 (2 blocking)"
    );
}

/// `export` on the fixture with conditions; the output, or the exit code
/// and what was said on stderr.
fn export_conditions(args: &[&str]) -> Result<String, (Option<i32>, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/conditions");
    let mut all = vec!["--root", root.to_str().unwrap(), "export"];
    all.extend_from_slice(args);
    let out = run(&all);
    if out.status.success() {
        Ok(text(&out.stdout))
    } else {
        Err((out.status.code(), text(&out.stderr)))
    }
}

#[test]
fn export_graph_if_conditions_draws_the_graph_for_those_facts() {
    // With a large database, 5.6 -> 5.7 is refused and MariaDB leads to 5.7.
    let refused = "\"mysql@5.6\" -> \"mysql@5.7\"";
    let detour = "\"mariadb@10.3\" -> \"mysql@5.7\"";
    let plain = export_conditions(&["graph"]).unwrap();
    assert!(
        plain.contains(refused) && !plain.contains(detour),
        "{plain}"
    );
    let large = export_conditions(&["graph", "--if", "large"]).unwrap();
    assert!(
        !large.contains(refused) && large.contains(detour),
        "{large}"
    );
    let both = export_conditions(&["graph", "--if", "large", "--if", "replication"]).unwrap();
    assert!(both.contains(detour), "{both}");

    let json: Value = serde_json::from_str(
        &export_conditions(&["graph", "--format", "json", "--if", "large"]).unwrap(),
    )
    .unwrap();
    let upgrades: Vec<(String, String)> = json["upgrades"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["from"].as_str().unwrap().into(),
                u["to"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(upgrades.contains(&("mariadb@10.3".into(), "mysql@5.7".into())));
    assert!(!upgrades.contains(&("mysql@5.6".into(), "mysql@5.7".into())));
    let mermaid = export_conditions(&["graph", "--format", "mermaid", "--if", "large"]).unwrap();
    assert_ne!(
        mermaid,
        export_conditions(&["graph", "--format", "mermaid"]).unwrap()
    );

    let (code, said) = export_conditions(&["graph", "--if", "lareg"]).unwrap_err();
    assert_eq!(code, Some(2), "{said}");
    assert!(
        said.contains("unknown condition `lareg`") && said.contains("did you mean `large`?"),
        "{said}"
    );
}

#[test]
fn the_feed_is_atom_with_absolute_ids_and_only_with_a_base_url() {
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path();
    assert!(run(&["init", kb.to_str().unwrap()]).status.success());
    // A second scenario, newer, and a third without a date: not in the feed.
    let scenarios = kb.join("content/scenarios/acme-server");
    std::fs::write(
        scenarios.join("1.0-to-acme-cloud.yaml"),
        "from: acme-server@1.0\nto: acme-cloud\ndirect: unsupported\nupdated: 2024-05-02\n\
         title: Acme Server 1.0 & Acme Cloud\nsummary: Go to **3.0** first.\n",
    )
    .unwrap();
    std::fs::write(
        scenarios.join("2.0-to-acme-cloud.yaml"),
        "from: acme-server@2.0\nto: acme-cloud\ndirect: unsupported\n",
    )
    .unwrap();

    let out = common::build_site(kb, &["--base-url", "https://kb.example.com/docs"]);
    let xml = std::fs::read_to_string(out.path().join("site/feed.xml")).unwrap();
    let feed: atom_syndication::Feed = xml.parse().expect("valid Atom");
    assert_eq!(feed.id(), "https://kb.example.com/docs/feed.xml");
    assert_eq!(
        feed.title().as_str(),
        "Acme upgrade guide: upgrade scenarios"
    );
    assert_eq!(feed.updated().to_rfc3339(), "2024-05-02T00:00:00+00:00");
    let entries: Vec<(&str, &str, String)> = feed
        .entries()
        .iter()
        .map(|e| (e.id(), e.title().as_str(), e.updated().to_rfc3339()))
        .collect();
    assert_eq!(
        entries,
        vec![
            (
                "https://kb.example.com/docs/scenarios/acme-server/1.0-to-acme-cloud/index.html",
                "Acme Server 1.0 & Acme Cloud",
                "2024-05-02T00:00:00+00:00".to_owned()
            ),
            (
                "https://kb.example.com/docs/scenarios/acme-server/3.0-to-acme-cloud/index.html",
                "Acme Server 3.0 to Acme Cloud",
                "2024-01-10T00:00:00+00:00".to_owned()
            ),
        ]
    );
    let first = &feed.entries()[0];
    assert_eq!(first.links()[0].href(), first.id());
    assert_eq!(
        first.summary().map(|s| s.as_str()),
        Some("Go to 3.0 first.")
    );

    // The home page announces the feed, and only when it is written.
    let feed_links = |site: &Path| -> Vec<String> {
        let home = std::fs::read_to_string(site.join("index.html")).unwrap();
        let html = scraper::Html::parse_document(&home);
        let selector =
            scraper::Selector::parse(r#"head link[rel="alternate"][type="application/atom+xml"]"#)
                .unwrap();
        html.select(&selector)
            .map(|l| l.value().attr("href").unwrap().to_owned())
            .collect()
    };
    assert_eq!(feed_links(&out.path().join("site")), ["feed.xml"]);
    let without = common::build_site(kb, &[]);
    assert!(
        !without.path().join("site/feed.xml").exists(),
        "no feed without a base URL"
    );
    assert!(feed_links(&without.path().join("site")).is_empty());

    // The feed, robots.txt and the sitemap are templates: escaped (the `&`
    // of the title above), and a theme replaces them as it replaces pages.
    assert!(
        xml.contains("<title>Acme Server 1.0 &amp; Acme Cloud</title>"),
        "{xml}"
    );
    let templates = kb.join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("atom.xml"),
        "<feed>{% for entry in entries %}<e>{{ entry.title }}</e>{% endfor %}</feed>\n",
    )
    .unwrap();
    std::fs::write(
        templates.join("robots.txt"),
        "User-agent: *\nDisallow: /drafts/\n{% if base_url %}Sitemap: {{ base_url }}sitemap.xml\n{% endif %}",
    )
    .unwrap();
    let themed = common::build_site(kb, &["--base-url", "https://kb.example.com/docs"]);
    let read = |name: &str| std::fs::read_to_string(themed.path().join("site").join(name)).unwrap();
    assert_eq!(
        read("feed.xml"),
        "<feed><e>Acme Server 1.0 &amp; Acme Cloud</e><e>Acme Server 3.0 to Acme Cloud</e></feed>\n"
    );
    assert_eq!(
        read("robots.txt"),
        "User-agent: *\nDisallow: /drafts/\nSitemap: https://kb.example.com/docs/sitemap.xml\n"
    );
}

#[test]
fn a_version_that_reaches_many_lists_the_newest_of_each_product() {
    let dir = tempfile::tempdir().unwrap();
    let products = dir.path().join("content/products");
    std::fs::create_dir_all(&products).unwrap();
    // Past FULL_ANSWERS_LIMIT (150) reachable versions.
    let versions: String = (0..170).map(|v| format!("  - id: \"{v}\"\n")).collect();
    std::fs::write(
        products.join("long.yaml"),
        format!("name: Long\nversions:\n{versions}upgrades: {{ policy: sequential }}\n"),
    )
    .unwrap();
    let out = common::build_site(dir.path(), &[]);
    let api = out.path().join("site/api/v1/products/long");
    let first = read_json(&api.join("0.json"));
    assert_eq!(first["reachable"], 169);
    assert_eq!(first["complete"], false);
    let targets: Vec<&str> = first["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["to"].as_str().unwrap())
        .collect();
    assert_eq!(targets, ["long@169"]);
    assert_eq!(first["targets"][0]["hops"], 169);
    let near_the_end = read_json(&api.join("160.json"));
    assert_eq!(near_the_end["complete"], true);
    assert_eq!(near_the_end["targets"].as_array().unwrap().len(), 9);
    let errors: Vec<String> = validator("version.schema.json")
        .iter_errors(&first)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}
