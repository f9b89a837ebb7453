//! Version pages (the heart of the site) and the upgrade matrix.

use super::urls::{self, Urls};
use super::views::*;
use super::{
    COMPACT_LIMIT, FULL_ANSWERS_LIMIT, MATRIX_ROWS_PER_PAGE, Page, Planner, REACHED_FROM_LIMIT,
};
use crate::graph::{Origin, PathIssue, PathTree, affected_components};
use crate::model::{Issue, NodeId, Severity};

/// Hop counts from one source to every node; `NONE` where there is no path.
pub type Row = Vec<u16>;
pub const NONE: u16 = u16::MAX;

pub fn row(tree: &PathTree, nodes: usize) -> Row {
    (0..nodes)
        .map(|to| {
            tree.hops(to)
                .map_or(NONE, |h| h.min(u32::from(NONE - 1)) as u16)
        })
        .collect()
}

fn reachable(from: NodeId, row: &Row) -> Vec<NodeId> {
    (0..row.len())
        .filter(|to| *to != from && row[*to] != NONE)
        .collect()
}

/// The targets a version page answers in full, hop by hop: every reachable
/// version, unless there are too many for one page.
pub fn answered_targets(from: NodeId, row: &Row) -> Vec<NodeId> {
    let reachable = reachable(from, row);
    if reachable.len() <= FULL_ANSWERS_LIMIT {
        reachable
    } else {
        Vec::new()
    }
}

/// When there are too many for full answers: the newest reachable version of
/// each product, at most [`COMPACT_LIMIT`] of them, so that no page grows
/// with the size of the whole knowledge base.
fn newest_per_product(model: &crate::model::Model, reachable: &[NodeId]) -> Vec<NodeId> {
    let mut newest: Vec<NodeId> = Vec::new();
    for &to in reachable {
        match newest.last_mut() {
            Some(last) if model.nodes[*last].product == model.nodes[to].product => *last = to,
            _ => newest.push(to),
        }
    }
    newest.truncate(COMPACT_LIMIT);
    newest
}

/// A query value for the path finder (`+` would read as a space).
pub fn query_value(text: &str) -> String {
    text.replace('%', "%25")
        .replace('+', "%2B")
        .replace('&', "%26")
        .replace('#', "%23")
}

impl Planner<'_> {
    pub(super) fn finder(
        &self,
        from_page: &str,
        from: NodeId,
        to: NodeId,
        condition: Option<&str>,
    ) -> String {
        let model = self.model;
        let mut target = format!(
            "{}?from={}&to={}",
            urls::PATHS,
            query_value(&model.node_ref(from)),
            query_value(&model.node_ref(to))
        );
        if let Some(condition) = condition {
            target.push_str(&format!("&if={}", query_value(condition)));
        }
        self.urls.relative(from_page, &target)
    }

    pub(super) fn version_page(&self, node: NodeId, rows: &[Row]) -> Page {
        let model = self.model;
        let product = model.product_of(node);
        let version = model.version(node);
        let n = model.nodes[node];
        let path = Urls::version(model, node);
        let frame = self.frame(
            &path,
            model.node_title(node),
            vec![(product.name.clone(), Urls::product(model, n.product))],
        );
        let tree = self.analysis.default.paths_from(node);
        let variant_trees: Vec<(usize, PathTree)> = self
            .analysis
            .variants
            .iter()
            .map(|(c, edges)| (*c, edges.paths_from(node)))
            .collect();
        let row = &rows[node];
        let reachable = reachable(node, row);
        let (targets, compact): (Vec<NodeId>, Vec<CompactAnswer>) = if reachable.len()
            <= FULL_ANSWERS_LIMIT
        {
            // Versions reachable only when a condition holds get an answer too.
            let only_variant = (0..row.len()).filter(|to| {
                *to != node
                    && row[*to] == NONE
                    && variant_trees.iter().any(|(_, t)| t.hops(*to).is_some())
            });
            let mut targets: Vec<NodeId> = reachable.iter().copied().chain(only_variant).collect();
            targets.sort_unstable();
            (targets, Vec::new())
        } else {
            let compact = newest_per_product(model, &reachable)
                .into_iter()
                .map(|to| self.compact_answer(&path, node, to, &tree))
                .collect();
            (Vec::new(), compact)
        };
        let answers = targets
            .iter()
            .map(|to| self.answer(&path, node, *to, &tree, &variant_trees))
            .collect();
        let mut reached: Vec<(u16, NodeId)> = (0..rows.len())
            .filter(|from| *from != node && rows[*from][node] != NONE)
            .map(|from| (rows[from][node], from))
            .collect();
        reached.sort_unstable();
        let reached_from_more = reached.len().saturating_sub(REACHED_FROM_LIMIT);
        let reached_from = reached
            .into_iter()
            .take(REACHED_FROM_LIMIT)
            .map(|(hops, from)| Reach {
                link: self.node_link(&path, from),
                hops: u32::from(hops),
            })
            .collect();
        let versions = &product.versions;
        let page = VersionPage {
            product: self.link(&path, &product.name, &Urls::product(model, n.product)),
            name: version.name.clone(),
            released: version.released.clone(),
            summary: version.summary.clone(),
            previous: n
                .version
                .checked_sub(1)
                .map(|i| self.node_link(&path, versions[i].node)),
            next: versions
                .get(n.version + 1)
                .map(|v| self.node_link(&path, v.node)),
            components: version
                .components
                .iter()
                .map(|c| self.component_link(&path, *c))
                .collect(),
            issues: version
                .issues
                .iter()
                .map(|i| self.issue_view(&path, i, None))
                .collect(),
            answers,
            more_targets: reachable
                .len()
                .saturating_sub(targets.len().max(compact.len())),
            compact,
            unsupported: self.mentions[node]
                .iter()
                .filter(|s| {
                    !model.scenarios[**s].supported && model.scenarios[**s].from.contains(&node)
                })
                .map(|s| self.unsupported(&path, *s))
                .collect(),
            reached_from,
            reached_from_more,
            scenarios: self.mentions[node]
                .iter()
                .map(|s| self.scenario_row(&path, *s))
                .collect(),
            sources: self.sources_of(&path, &self.mentions[node]),
            file: product.file.display().to_string(),
        };
        self.make_page(path, "version.html", frame, page)
    }

    fn compact_answer(
        &self,
        page: &str,
        from: NodeId,
        to: NodeId,
        tree: &PathTree,
    ) -> CompactAnswer {
        let route = tree.path_to(to).unwrap_or_default();
        let issues = self.analysis.default.path_issues(&route);
        CompactAnswer {
            target: self.node_link(page, to),
            hops: route.len().saturating_sub(1),
            issue_summary: issue_summary(&issues),
            blocking: issues
                .iter()
                .filter(|i| i.issue.severity == Severity::Blocking)
                .count(),
            finder_url: self.finder(page, from, to, None),
        }
    }

    fn answer(
        &self,
        page: &str,
        from: NodeId,
        to: NodeId,
        tree: &PathTree,
        variants: &[(usize, PathTree)],
    ) -> Answer {
        let model = self.model;
        let default_path = tree.path_to(to);
        let edges = &self.analysis.default;
        let issues = default_path
            .as_deref()
            .map(|p| edges.path_issues(p))
            .unwrap_or_default();
        let steps = default_path
            .as_deref()
            .map(|p| {
                p.windows(2)
                    .enumerate()
                    .map(|(hop, pair)| {
                        let scenarios: Vec<Link> = edges
                            .scenarios_for(pair[0], pair[1])
                            .into_iter()
                            .map(|s| {
                                self.link(
                                    page,
                                    &model.scenarios[s].title,
                                    &Urls::scenario(model, s),
                                )
                            })
                            .collect();
                        let rule = scenarios.is_empty().then(|| {
                            format!(
                                "Allowed by the upgrade rules of {}.",
                                model.product_of(pair[0]).name
                            )
                        });
                        let mut here: Vec<&PathIssue> =
                            issues.iter().filter(|i| i.hop == hop).collect();
                        here.sort_by_key(|i| i.issue.severity);
                        Hop {
                            from: self.node_link(page, pair[0]),
                            to: self.node_link(page, pair[1]),
                            scenarios,
                            rule,
                            issues: here
                                .into_iter()
                                .map(|i| self.path_issue_view(page, i))
                                .collect(),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let variants = variants
            .iter()
            .filter_map(|(condition, tree)| {
                let variant_path = tree.path_to(to);
                if variant_path == default_path {
                    return None;
                }
                let def = &model.site.conditions[*condition];
                let facts_edges = &self
                    .analysis
                    .variants
                    .iter()
                    .find(|(c, _)| c == condition)?
                    .1;
                let variant_issues = variant_path
                    .as_deref()
                    .map(|p| facts_edges.path_issues(p))
                    .unwrap_or_default();
                Some(Variant {
                    condition: def.name.clone(),
                    description: def.description.clone(),
                    path: variant_path
                        .map(|p| p.iter().map(|n| self.node_link(page, *n)).collect()),
                    issue_summary: issue_summary(&variant_issues),
                    finder_url: self.finder(page, from, to, Some(&def.name)),
                })
            })
            .collect();
        Answer {
            anchor: Urls::answer_anchor(model, to),
            target: self.node_link(page, to),
            hops: default_path.as_ref().map_or(0, |p| p.len() - 1),
            path: default_path
                .iter()
                .flatten()
                .map(|n| self.node_link(page, *n))
                .collect(),
            blocking: issues
                .iter()
                .filter(|i| i.issue.severity == Severity::Blocking)
                .count(),
            issue_summary: issue_summary(&issues),
            steps,
            variants,
            finder_url: self.finder(page, from, to, None),
        }
    }

    fn path_issue_view(&self, page: &str, found: &PathIssue) -> IssueView {
        let model = self.model;
        let origin = match found.origin {
            Origin::Scenario(s) => {
                self.link(page, &model.scenarios[s].title, &Urls::scenario(model, s))
            }
            Origin::Version(v) => self.link(
                page,
                format!("moving past {}", model.node_title(v)),
                &Urls::version(model, v),
            ),
        };
        self.issue_view(page, found.issue, Some(origin))
    }

    pub(super) fn issue_view(&self, page: &str, issue: &Issue, origin: Option<Link>) -> IssueView {
        let model = self.model;
        IssueView {
            title: issue.title.clone(),
            severity: issue.severity.word(),
            severity_label: issue.severity.label(),
            body: issue.body.clone(),
            components: affected_components(model, issue)
                .into_iter()
                .map(|c| self.component_link(page, c))
                .collect(),
            origin,
            applies_if: issue.originally.as_ref().map(|nodes| {
                format!(
                    "Only if the installation was originally {}.",
                    self.describe_nodes(nodes)
                )
            }),
        }
    }

    /// "Small Business Server 4.0–4.5 or BackOffice Server 2.5".
    pub(super) fn describe_nodes(&self, nodes: &[NodeId]) -> String {
        let model = self.model;
        let mut groups: Vec<Vec<NodeId>> = Vec::new();
        for &node in nodes {
            match groups.last_mut() {
                Some(group) if model.nodes[group[0]].product == model.nodes[node].product => {
                    group.push(node)
                }
                _ => groups.push(vec![node]),
            }
        }
        groups
            .iter()
            .map(|g| crate::resolve::describe_selection(model, g))
            .collect::<Vec<_>>()
            .join(" or ")
    }

    fn unsupported(&self, page: &str, s: usize) -> Unsupported {
        let model = self.model;
        let scenario = &model.scenarios[s];
        Unsupported {
            scenario: self.link(page, &scenario.title, &Urls::scenario(model, s)),
            target: crate::resolve::describe_selection(model, &scenario.to),
            summary: scenario.summary.clone(),
            via: scenario
                .via
                .iter()
                .map(|n| self.node_link(page, *n))
                .collect(),
            alternatives: Self::alternatives(&scenario.alternatives),
            conditions: self.condition_words(&scenario.condition),
        }
    }

    // ---- matrix ---------------------------------------------------------------

    /// Whether the matrix is one table, or an index and a table per product.
    fn matrix_is_split(&self) -> bool {
        self.model.nodes.len() > 40
    }

    /// The sources of a product's matrix table, a page's worth at a time.
    fn matrix_chunks(&self, p: usize, rows: &[Row]) -> Vec<Vec<NodeId>> {
        let model = self.model;
        let columns: Vec<NodeId> = model.products[p].versions.iter().map(|v| v.node).collect();
        let sources: Vec<NodeId> = (0..model.nodes.len())
            .filter(|from| {
                model.nodes[*from].product == p || columns.iter().any(|to| rows[*from][*to] != NONE)
            })
            .collect();
        sources
            .chunks(MATRIX_ROWS_PER_PAGE)
            .map(<[NodeId]>::to_vec)
            .collect()
    }

    fn matrix_chunk_path(&self, p: usize, chunk: usize) -> String {
        match chunk {
            0 => format!("matrix/{}/index.html", self.model.products[p].id),
            _ => format!(
                "matrix/{}/{}/index.html",
                self.model.products[p].id,
                chunk + 1
            ),
        }
    }

    pub(super) fn matrix_paths(&self, rows: &[Row]) -> Vec<String> {
        let mut paths = vec![urls::MATRIX.to_owned()];
        if self.matrix_is_split() {
            for p in 0..self.model.products.len() {
                let chunks = self.matrix_chunks(p, rows).len().max(1);
                paths.extend((0..chunks).map(|i| self.matrix_chunk_path(p, i)));
            }
        }
        paths
    }

    /// A matrix page: the whole table, the index of per-product tables, or
    /// one page of a product's table (`matrix/<product>/[<n>/]index.html`).
    pub(super) fn matrix_page(&self, path: &str, rows: &[Row]) -> Option<Page> {
        let model = self.model;
        let title = "Upgrade matrix".to_owned();
        if path == urls::MATRIX {
            let frame = self.frame(path, title, Vec::new());
            let page = if self.matrix_is_split() {
                let index = (0..model.products.len())
                    .map(|p| {
                        let name = format!("Upgrades to {}", model.products[p].name);
                        self.link(path, name, &self.matrix_chunk_path(p, 0))
                    })
                    .collect();
                MatrixPage {
                    index,
                    tables: Vec::new(),
                    pages: Vec::new(),
                }
            } else {
                let all: Vec<NodeId> = (0..model.nodes.len()).collect();
                MatrixPage {
                    index: Vec::new(),
                    tables: vec![self.matrix_table(path, "All versions".into(), &all, &all, rows)],
                    pages: Vec::new(),
                }
            };
            return Some(self.make_page(path.to_owned(), "matrix.html", frame, page));
        }
        if !self.matrix_is_split() {
            return None;
        }
        let rest = path.strip_prefix("matrix/")?.strip_suffix("index.html")?;
        let (product_id, number) = match rest.trim_end_matches('/').split_once('/') {
            Some((id, n)) => (id, n.parse::<usize>().ok().filter(|n| *n >= 2)?),
            None => (rest.trim_end_matches('/'), 1),
        };
        let p = model.product_index(product_id)?;
        let chunks = self.matrix_chunks(p, rows);
        let chunk = chunks.get(number - 1)?;
        let product = &model.products[p];
        let columns: Vec<NodeId> = product.versions.iter().map(|v| v.node).collect();
        let name = format!("Upgrades to {}", product.name);
        let frame = self.frame(
            path,
            name.clone(),
            vec![("Upgrade matrix".into(), urls::MATRIX.into())],
        );
        let table = self.matrix_table(path, name, chunk, &columns, rows);
        let pages = if chunks.len() > 1 {
            (0..chunks.len())
                .map(|j| self.link(path, format!("{}", j + 1), &self.matrix_chunk_path(p, j)))
                .collect()
        } else {
            Vec::new()
        };
        let page = MatrixPage {
            index: Vec::new(),
            tables: vec![table],
            pages,
        };
        Some(self.make_page(path.to_owned(), "matrix.html", frame, page))
    }

    fn matrix_table(
        &self,
        page: &str,
        title: String,
        sources: &[NodeId],
        columns: &[NodeId],
        rows: &[Row],
    ) -> MatrixTable {
        MatrixTable {
            title,
            columns: columns.iter().map(|n| self.node_link(page, *n)).collect(),
            rows: sources
                .iter()
                .enumerate()
                .map(|(i, &from)| {
                    let answered = answered_targets(from, &rows[from]);
                    let product = self.model.nodes[from].product;
                    let starts_group =
                        i == 0 || self.model.nodes[sources[i - 1]].product != product;
                    MatrixRow {
                        group: starts_group.then(|| {
                            let name = &self.model.products[product].name;
                            self.link(page, name, &Urls::product(self.model, product))
                        }),
                        from: self.link(
                            page,
                            &self.model.version(from).name,
                            &Urls::version(self.model, from),
                        ),
                        cells: columns
                            .iter()
                            .map(|&to| {
                                self.cell(page, from, to, rows[from][to], answered.contains(&to))
                            })
                            .collect(),
                    }
                })
                .collect(),
        }
    }

    fn cell(&self, page: &str, from: NodeId, to: NodeId, hops: u16, answered: bool) -> Cell {
        let model = self.model;
        let names = format!("{} to {}", model.node_title(from), model.node_title(to));
        let url = if answered {
            Some(self.urls.relative(
                page,
                &format!(
                    "{}#{}",
                    Urls::version(model, from),
                    Urls::answer_anchor(model, to)
                ),
            ))
        } else if hops != NONE && from != to {
            Some(self.finder(page, from, to, None))
        } else {
            None
        };
        let (label, aria, kind) = match hops {
            _ if from == to => ("·".to_owned(), format!("{names}: same version"), "same"),
            NONE => (
                "—".to_owned(),
                format!("{names}: no supported path"),
                "none",
            ),
            1 => ("✓".to_owned(), format!("{names}: direct upgrade"), "direct"),
            n => (n.to_string(), format!("{names}: {n} hops"), "hops"),
        };
        Cell {
            label,
            url,
            aria,
            kind,
        }
    }
}

/// "1 blocking, 2 warnings", or "none".
pub fn issue_summary(issues: &[PathIssue]) -> String {
    let count = |s: Severity| issues.iter().filter(|i| i.issue.severity == s).count();
    let parts: Vec<String> = [
        (count(Severity::Blocking), "blocking", "blocking"),
        (count(Severity::Warning), "warning", "warnings"),
        (count(Severity::Info), "note", "notes"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
    .collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}
