//! The upgrade matrix: from every version to every version, a cell each.

use super::urls::{self, Urls};
use super::version::answers_in_full;
use super::views::*;
use super::{
    MATRIX_CELLS_PER_PAGE, MATRIX_ROWS_PER_PAGE, PRODUCTS_PER_PAGE, Page, PageId, Planner, Reach,
    listing_number, listing_path,
};

use crate::layout::MATRIX_DIR;
use crate::model::NodeId;
use std::collections::{BTreeMap, HashSet};

impl Planner<'_> {
    /// Whether the matrix is one table, or an index and a table per product.
    fn matrix_is_split(&self) -> bool {
        self.model.nodes.len() > 40
    }

    /// The sources of a product's matrix table, a page's worth at a time.
    fn matrix_chunks(&self, p: usize, reach: &Reach) -> Vec<Vec<NodeId>> {
        let model = self.model;
        let columns: Vec<NodeId> = model.products[p].versions.iter().map(|v| v.node).collect();
        let mut sources: Vec<NodeId> = columns
            .iter()
            .flat_map(|to| reach.sources[*to].iter().map(|(from, _)| *from))
            .chain(columns.iter().copied())
            .collect();
        sources.sort_unstable();
        sources.dedup();
        // A page holds about as many cells whatever the product: a long-lived
        // product's 132 columns made a 2.4 MB table of 17,000 cells.
        let rows = (MATRIX_CELLS_PER_PAGE / columns.len().max(1)).clamp(1, MATRIX_ROWS_PER_PAGE);
        sources.chunks(rows).map(<[NodeId]>::to_vec).collect()
    }

    pub(super) fn matrix_chunk_path(&self, p: usize, chunk: usize) -> String {
        match chunk {
            0 => format!("{MATRIX_DIR}/{}/index.html", self.model.products[p].id),
            _ => format!(
                "{MATRIX_DIR}/{}/{}/index.html",
                self.model.products[p].id,
                chunk + 1
            ),
        }
    }

    pub(super) fn matrix_pages(&self, reach: &Reach) -> Vec<PageId> {
        let mut pages = vec![PageId::MatrixIndex(0)];
        if self.matrix_is_split() {
            pages.extend((1..self.product_listing_pages()).map(PageId::MatrixIndex));
            for product in 0..self.model.products.len() {
                let chunks = self.matrix_chunks(product, reach).len();
                pages.extend((0..chunks).map(|chunk| PageId::MatrixTable { product, chunk }));
            }
        }
        pages
    }

    /// Which matrix page a path is: the whole table or a page of the index
    /// of per-product tables (`matrix/[index-<n>.html]`), or one page of a
    /// product's table (`matrix/<product>/[<n>/]index.html`).
    pub(super) fn matrix_page_at(&self, path: &str, reach: &Reach) -> Option<PageId> {
        let index_page = listing_number(path, MATRIX_DIR)
            .filter(|n| *n == 0 || (self.matrix_is_split() && *n < self.product_listing_pages()));
        if let Some(number) = index_page {
            return Some(PageId::MatrixIndex(number));
        }
        if !self.matrix_is_split() {
            return None;
        }
        let rest = path
            .strip_prefix(MATRIX_DIR)?
            .strip_prefix('/')?
            .strip_suffix("index.html")?;
        let (product_id, number) = match rest.trim_end_matches('/').split_once('/') {
            Some((id, n)) => (id, n.parse::<usize>().ok().filter(|n| *n >= 2)?),
            None => (rest.trim_end_matches('/'), 1),
        };
        let product = self.model.product_index(product_id)?;
        let chunk = number - 1;
        (chunk < self.matrix_chunks(product, reach).len())
            .then_some(PageId::MatrixTable { product, chunk })
    }

    /// The whole table, or page `number` of the index of per-product tables.
    pub(super) fn matrix_index_page(&self, number: usize, reach: &Reach) -> Page {
        let model = self.model;
        let path = &listing_path(MATRIX_DIR, number);
        let title = self.words("upgrade-matrix", &[]);
        {
            let frame = self.frame(path, title, Vec::new());
            let page = if self.matrix_is_split() {
                let first = number * PRODUCTS_PER_PAGE;
                let index = (first..model.products.len().min(first + PRODUCTS_PER_PAGE))
                    .map(|p| {
                        let product = model.products[p].name.as_str();
                        let name = self.words("matrix-upgrades-to", &[("product", product.into())]);
                        self.link(path, name, &self.matrix_chunk_path(p, 0))
                    })
                    .collect();
                let pages = self.product_listing_pages();
                MatrixPage {
                    index,
                    tables: Vec::new(),
                    pages: self
                        .listing_links(path, MATRIX_DIR, pages, number)
                        .into_iter()
                        .map(|l| Link {
                            title: l.number.to_string(),
                            url: l.url.unwrap_or_default(),
                        })
                        .collect(),
                }
            } else {
                MatrixPage {
                    index: Vec::new(),
                    tables: self
                        .product_families(reach)
                        .into_iter()
                        .map(|family| {
                            let nodes: Vec<NodeId> = family
                                .iter()
                                .flat_map(|p| model.products[*p].versions.iter().map(|v| v.node))
                                .collect();
                            let title = family
                                .iter()
                                .map(|p| model.products[*p].name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ");
                            self.matrix_table(path, title, &nodes, &nodes, reach)
                        })
                        .collect(),
                    pages: Vec::new(),
                }
            };
            self.make_page(path.to_owned(), "matrix.html", frame, page)
        }
    }

    /// Page `number` (from 0) of product `p`'s table.
    pub(super) fn matrix_table_page(&self, p: usize, number: usize, reach: &Reach) -> Option<Page> {
        let model = self.model;
        let path = &self.matrix_chunk_path(p, number);
        let chunks = self.matrix_chunks(p, reach);
        let chunk = chunks.get(number)?;
        let product = &model.products[p];
        let columns: Vec<NodeId> = product.versions.iter().map(|v| v.node).collect();
        let name = self.words(
            "matrix-upgrades-to",
            &[("product", product.name.as_str().into())],
        );
        let frame = self.frame(
            path,
            name.clone(),
            vec![(self.words("upgrade-matrix", &[]), urls::MATRIX.into())],
        );
        let table = self.matrix_table(path, name, chunk, &columns, reach);
        // Each page named by its rows: "from 12.0–13.3".
        let pages = if chunks.len() > 1 {
            (0..chunks.len())
                .map(|j| {
                    let rows = &chunks[j];
                    let (first, last) = (rows[0], rows[rows.len() - 1]);
                    let label = if model.nodes[first].product == model.nodes[last].product {
                        format!("{}–{}", model.node_title(first), model.version(last).name)
                    } else {
                        format!("{}–{}", model.node_title(first), model.node_title(last))
                    };
                    let url = if j == number {
                        String::new()
                    } else {
                        self.urls.relative(path, &self.matrix_chunk_path(p, j))
                    };
                    Link { title: label, url }
                })
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

    /// Products that connect at all (a path, or a scenario, in either
    /// direction, through any others), each set in product order: one table
    /// each, so that no table is mostly cells of products that never meet.
    fn product_families(&self, reach: &Reach) -> Vec<Vec<usize>> {
        let model = self.model;
        let mut family: Vec<usize> = (0..model.products.len()).collect();
        fn root(family: &mut [usize], mut p: usize) -> usize {
            while family[p] != p {
                family[p] = family[family[p]];
                p = family[p];
            }
            p
        }
        let mut join = |a: NodeId, b: NodeId| {
            let (a, b) = (model.nodes[a].product, model.nodes[b].product);
            let (a, b) = (root(&mut family, a), root(&mut family, b));
            family[a.max(b)] = a.min(b);
        };
        for (to, sources) in reach.sources.iter().enumerate() {
            for (from, _) in sources {
                join(*from, to);
            }
        }
        for scenario in &model.scenarios {
            let mut named = scenario.from.iter().chain(&scenario.to);
            if let Some(first) = named.next() {
                for other in named {
                    join(*first, *other);
                }
            }
        }
        let mut families: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for p in 0..model.products.len() {
            let r = root(&mut family, p);
            families.entry(r).or_default().push(p);
        }
        families.into_values().collect()
    }

    /// Pairs a scenario documents as not supported directly, and which.
    /// The refusals behind a table's cells: for each pair, the first
    /// unconditional unsupported scenario that names it. Only the scenarios
    /// that mention a row's version are looked at, so a table costs what
    /// its rows do, not the whole knowledge base.
    fn refused_pairs(
        &self,
        sources: &[NodeId],
        columns: &[NodeId],
    ) -> BTreeMap<(NodeId, NodeId), usize> {
        let columns: HashSet<NodeId> = columns.iter().copied().collect();
        let mut refused = BTreeMap::new();
        for &from in sources {
            // In scenario order, so the first refusal of a pair is kept.
            for &s in &self.mentions[from] {
                let scenario = &self.model.scenarios[s];
                if scenario.supported
                    || !scenario.condition.is_always()
                    || !scenario.from.contains(&from)
                {
                    continue;
                }
                for to in scenario.to.iter().filter(|n| columns.contains(n)) {
                    refused.entry((from, *to)).or_insert(s);
                }
            }
        }
        refused
    }

    fn matrix_table(
        &self,
        page: &str,
        title: String,
        sources: &[NodeId],
        columns: &[NodeId],
        reach: &Reach,
    ) -> MatrixTable {
        let model = self.model;
        let refused = self.refused_pairs(sources, columns);
        let mut column_groups: Vec<ColumnGroup> = Vec::new();
        for (i, &column) in columns.iter().enumerate() {
            let product = model.nodes[column].product;
            let continues = i > 0 && model.nodes[columns[i - 1]].product == product;
            match column_groups.last_mut() {
                Some(group) if continues => group.span += 1,
                _ => column_groups.push(ColumnGroup {
                    product: self.link(
                        page,
                        &model.products[product].name,
                        &Urls::product(model, product),
                    ),
                    span: 1,
                }),
            }
        }
        let rows: Vec<MatrixRow> = (0..sources.len())
            .map(|i| self.matrix_row(page, sources, i, columns, reach, &refused))
            .collect();
        let list = sources
            .iter()
            .zip(&rows)
            .map(|(&from, row)| self.matrix_list_row(page, from, columns, row))
            .collect();
        MatrixTable {
            title,
            column_groups,
            columns: columns
                .iter()
                .map(|n| {
                    let name = short_name(&model.version(*n).name);
                    self.link(page, name, &Urls::version(model, *n))
                })
                .collect(),
            rows,
            list,
        }
    }

    /// Row `i` of a table: `sources[i]` to every column.
    fn matrix_row(
        &self,
        page: &str,
        sources: &[NodeId],
        i: usize,
        columns: &[NodeId],
        reach: &Reach,
        refused: &BTreeMap<(NodeId, NodeId), usize>,
    ) -> MatrixRow {
        let model = self.model;
        let from = sources[i];
        let answered = answers_in_full(reach, from);
        let product = model.nodes[from].product;
        let starts_group = i == 0 || model.nodes[sources[i - 1]].product != product;
        MatrixRow {
            group: starts_group.then(|| {
                let name = &model.products[product].name;
                self.link(page, name, &Urls::product(model, product))
            }),
            from: self.link(page, &model.version(from).name, &Urls::version(model, from)),
            cells: columns
                .iter()
                .map(|&to| {
                    let hops = reach.hops(from, to);
                    let refusal = refused.get(&(from, to)).copied();
                    self.cell(page, from, to, hops, answered && hops.is_some(), refusal)
                })
                .collect(),
        }
    }

    /// A table row as text: its targets grouped by answer (direct first,
    /// then by hops, then those refused), each group's neighbouring columns
    /// said as one range. Targets are named by version alone when the
    /// table is one product's, else in full. No link a target: the row's
    /// version page answers each, and the list must stay small.
    fn matrix_list_row(
        &self,
        page: &str,
        from: NodeId,
        columns: &[NodeId],
        row: &MatrixRow,
    ) -> MatrixListRow {
        let model = self.model;
        let one_product = columns
            .iter()
            .all(|c| model.nodes[*c].product == model.nodes[columns[0]].product);
        let name = |n: NodeId| {
            if one_product {
                model.version(n).name.clone()
            } else {
                model.node_title(n)
            }
        };
        // (order, answer) -> runs of column indices.
        let mut groups: BTreeMap<(u32, String), Vec<(usize, usize)>> = BTreeMap::new();
        for (i, cell) in row.cells.iter().enumerate() {
            let key = match cell.kind {
                "direct" => (1, self.words("matrix-direct", &[])),
                "hops" => {
                    let hops: u32 = cell.label.parse().unwrap_or(u32::MAX);
                    (
                        hops,
                        self.words("count-hops-capital", &[("count", hops.into())]),
                    )
                }
                "refused" => (u32::MAX, self.words("not-supported-directly", &[])),
                _ => continue,
            };
            let runs = groups.entry(key).or_default();
            let same_product =
                |a: usize| model.nodes[columns[a]].product == model.nodes[columns[i]].product;
            match runs.last_mut() {
                Some((_, last)) if *last + 1 == i && same_product(*last) => *last = i,
                _ => runs.push((i, i)),
            }
        }
        MatrixListRow {
            from: self.link(page, model.node_title(from), &Urls::version(model, from)),
            groups: groups
                .into_iter()
                .map(|((_, answer), runs)| MatrixListGroup {
                    answer,
                    targets: runs
                        .iter()
                        .map(|&(first, last)| match first == last {
                            true => name(columns[first]),
                            // A run stays within a product: its end needs no product name.
                            false => format!(
                                "{}–{}",
                                name(columns[first]),
                                model.version(columns[last]).name
                            ),
                        })
                        .collect::<Vec<_>>()
                        .join(&self.words("list-separator", &[])),
                })
                .collect(),
        }
    }

    fn cell(
        &self,
        page: &str,
        from: NodeId,
        to: NodeId,
        hops: Option<u32>,
        answered: bool,
        refusal: Option<usize>,
    ) -> Cell {
        let model = self.model;
        let cell_words = |key: &str, hops: Option<u32>| {
            let mut args = vec![
                ("from", model.node_title(from).into()),
                ("to", model.node_title(to).into()),
            ];
            args.extend(hops.map(|n| ("hops", n.into())));
            self.words(key, &args)
        };
        let url = if answered && from != to {
            Some(self.urls.relative(
                page,
                &format!(
                    "{}#{}",
                    Urls::version(model, from),
                    Urls::answer_anchor(model, to)
                ),
            ))
        } else if hops.is_some() && from != to {
            Some(self.finder(page, from, to, None))
        } else {
            refusal.map(|s| self.urls.relative(page, &Urls::scenario(model, s)))
        };
        let (label, aria, kind) = match hops {
            _ if from == to => ("·".to_owned(), cell_words("matrix-cell-same", None), "same"),
            None if refusal.is_some() => (
                "✗".to_owned(),
                cell_words("matrix-cell-refused", None),
                "refused",
            ),
            None => ("—".to_owned(), cell_words("matrix-cell-none", None), "none"),
            Some(1) => (
                "✓".to_owned(),
                cell_words("matrix-cell-direct", None),
                "direct",
            ),
            Some(n) => (
                n.to_string(),
                cell_words("matrix-cell-hops", Some(n)),
                "hops",
            ),
        };
        Cell {
            label,
            url,
            aria,
            kind,
        }
    }
}

/// A column's heading: the version's name, or past eight characters its
/// first word (`11 "bullseye"` becomes `11`; `8.4 LTS` stays), so that a
/// product's columns fit side by side; each row names it in full.
fn short_name(name: &str) -> &str {
    if name.chars().count() <= 8 {
        return name;
    }
    name.split_whitespace().next().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::short_name;

    #[test]
    fn long_version_names_shorten_to_their_first_word() {
        assert_eq!(short_name("11 \"bullseye\""), "11");
        assert_eq!(short_name("8.4 LTS"), "8.4 LTS");
        assert_eq!(short_name("Windows XP Server"), "Windows");
        assert_eq!(short_name("averyveryverylongname"), "averyveryverylongname");
    }
}
