//! The template contexts. Every page gets the [`Frame`] fields at the top
//! level and its own fields under `page`. Links are already relative to the
//! page; Markdown fields hold Markdown for the `markdown` filter.

use serde::Serialize;

#[derive(Serialize)]
pub struct PageContext<T> {
    #[serde(flatten)]
    pub frame: Frame,
    pub page: T,
}

#[derive(Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub language: String,
    /// `ltr` or `rtl`, for `dir` on the page.
    pub dir: &'static str,
    pub base_url: Option<String>,
}

#[derive(Serialize)]
pub struct Frame {
    pub site: SiteView,
    /// This page's path in the site, e.g. `products/a/1.0/index.html`.
    pub page_path: String,
    pub title: String,
    pub breadcrumbs: Vec<Link>,
    pub home_url: String,
    pub matrix_url: String,
    pub paths_url: String,
    pub search_url: String,
    /// The site root, relative to this page (`./`, `../`, ...).
    pub root_url: String,
    /// The `assets/` folder, relative to this page, ending in `/`.
    pub assets_url: String,
    pub canonical: Option<String>,
}

#[derive(Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// The path finder's page, and the search and 404 pages: nothing of their
/// own, so that they stay the same size whatever the knowledge base holds.
#[derive(Default, Serialize)]
pub struct FinderPage {}

#[derive(Serialize)]
pub struct HomePage {
    pub description: Option<String>,
    /// The first products; `all_products` links to the rest.
    pub products: Vec<ProductCard>,
    pub all_products: Option<Link>,
    pub targets: Vec<TargetCard>,
    pub releases: Vec<Release>,
    /// What leaves support next (every event, when the reader's day decides).
    pub leaving: Vec<super::support::SupportEvent>,
    /// Whether `today:` fixed the list, which then needs no script.
    pub leaving_fixed: bool,
    /// How many events the script keeps.
    pub leaving_next: usize,
    pub counts: Counts,
    /// The site's Atom feeds, for `<link rel="alternate">` in the head.
    pub feeds: Vec<Link>,
    /// Format 1.2's stacks.
    pub stacks: Vec<Link>,
}

#[derive(Serialize)]
pub struct Counts {
    pub products: usize,
    pub versions: usize,
    pub scenarios: usize,
    pub components: usize,
}

#[derive(Serialize)]
pub struct ProductCard {
    pub link: Link,
    pub vendor: Option<String>,
    pub summary: Option<String>,
    /// The first versions; the product page lists the rest.
    pub versions: Vec<Link>,
    pub more_versions: usize,
}

/// One page of the index of every product.
#[derive(Serialize)]
pub struct ProductIndexPage {
    pub products: Vec<ProductCard>,
    /// Every page of the index; empty when there is one.
    pub pages: Vec<PageLink>,
    pub count: usize,
}

/// A page of a listing; no `url` for the page being shown.
#[derive(Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: Option<String>,
}

#[derive(Serialize)]
pub struct TargetCard {
    pub link: Link,
    pub reached_from: usize,
}

#[derive(Serialize)]
pub struct Release {
    pub link: Link,
    pub released: String,
}

#[derive(Serialize)]
pub struct ProductPage {
    pub name: String,
    pub vendor: Option<String>,
    pub summary: Option<String>,
    pub notes: Option<String>,
    pub links: Vec<Link>,
    /// The stacks it is a member of (format 1.2).
    pub stacks: Vec<Link>,
    pub versions: Vec<VersionRow>,
    pub rules: Vec<String>,
    /// The diagram figure's content, generated and escaped in Rust: the SVG in
    /// a scrolling box and a caption of what it holds; absent when too large.
    pub diagram: Option<String>,
    pub diagram_text: Vec<String>,
    pub scenarios: Vec<ScenarioRow>,
    /// The lifecycle table and timeline, when any version states dates.
    pub lifecycle: Option<super::support::ProductLifecycle>,
    pub file: String,
}

#[derive(Serialize)]
pub struct VersionRow {
    pub link: Link,
    pub released: Option<String>,
    pub summary: Option<String>,
    pub components: Vec<Link>,
    pub stop: bool,
}

#[derive(Serialize)]
pub struct ScenarioRow {
    pub link: Link,
    pub supported: bool,
    pub conditions: Option<String>,
}

#[derive(Serialize)]
pub struct VersionPage {
    pub product: Link,
    /// The product's notes (Markdown), which hold for every version.
    pub product_notes: Option<String>,
    pub name: String,
    pub released: Option<String>,
    pub summary: Option<String>,
    pub previous: Option<Link>,
    pub next: Option<Link>,
    pub components: Vec<Link>,
    /// Format 1.2: what it needs beside it and who accepts it.
    pub requirements: super::stack::Requirements,
    pub issues: Vec<IssueView>,
    /// Said once above the answers, when the site declares conditions.
    pub conditions_note: Option<String>,
    /// Whether any answer changes under a condition (the table's last column).
    pub any_changes: bool,
    /// A row a target, its whole route hop by hop: what the page showed
    /// before the route map, kept for themes made then.
    pub answers: Vec<AnswerRow>,
    /// The routes from here, said once as a tree of stops.
    pub route_map: super::route_map::RouteMap,
    /// Every hop of the routes above, once.
    pub hops: Vec<HopSection>,
    /// The issues of the versions the hops reach or pass, once each.
    pub on_the_way: Vec<VersionIssues>,
    /// When the version reaches too many versions for full answers: the
    /// newest reachable version of each product, briefly.
    pub compact: Vec<CompactAnswer>,
    /// Reachable versions that this page does not list.
    pub more_targets: usize,
    pub unsupported: Vec<Unsupported>,
    pub reached_from: Vec<ReachedFrom>,
    pub reached_from_more: usize,
    pub scenarios: Vec<ScenarioRow>,
    /// Where the scenarios that mention this version got their facts.
    pub sources: Vec<SourceView>,
    /// Its support status and, near or past the end, the way out.
    pub support: Option<super::support::SupportView>,
    pub file: String,
}

/// One target of a version page: its default route, hop by hop, and what changes.
#[derive(Serialize)]
pub struct AnswerRow {
    pub anchor: String,
    pub target: Link,
    pub hops: usize,
    /// Empty when no path exists unless a condition holds.
    pub route: Vec<HopRef>,
    pub issue_summary: String,
    pub blocking: usize,
    pub changes: Vec<ChangeView>,
}

/// A hop of a route, pointing at its section on the same page.
#[derive(Serialize)]
pub struct HopRef {
    pub anchor: String,
    pub label: String,
    pub issue_summary: String,
    pub blocking: bool,
}

/// What changes for one target when a condition holds, or when the server
/// was originally another version.
#[derive(Serialize)]
pub struct ChangeView {
    /// "If the server is a replica"
    pub condition: String,
    /// "2 more issues (1 blocking, 1 warning)"
    pub effect: String,
    /// The route then, when it is another one.
    pub route: Vec<HopRef>,
    /// The titles of the issues that come or go, joined.
    pub issues: Option<String>,
    pub finder_url: String,
}

/// A hop, once per page, with every scenario and issue it can carry.
#[derive(Serialize)]
pub struct HopSection {
    pub anchor: String,
    /// Both ends named in full: "Product 12.3 → Product 12.5".
    pub label: String,
    pub from: Link,
    pub to: Link,
    /// When only the product's rules allow the hop.
    pub rule: Option<String>,
    /// The hop's issues by the scenario that brings them.
    pub groups: Vec<IssueGroup>,
    /// The versions it reaches or passes whose issues apply, each linking
    /// to its entry in the page's `on_the_way`.
    pub passes: Vec<Link>,
}

/// A version's own issues, on a version page whose routes reach or pass it.
#[derive(Serialize)]
pub struct VersionIssues {
    pub anchor: String,
    pub link: Link,
    pub issues: Vec<IssueView>,
}

#[derive(Serialize)]
pub struct IssueGroup {
    /// The scenario, or the version moved past.
    pub source: Link,
    pub moving_past: bool,
    /// The conditions the scenario needs, in words.
    pub only_if: Option<String>,
    pub issues: Vec<IssueView>,
}

#[derive(Serialize)]
pub struct CompactAnswer {
    pub target: Link,
    pub hops: usize,
    pub issue_summary: String,
    pub blocking: usize,
    pub finder_url: String,
}

#[derive(Serialize)]
pub struct IssueView {
    /// Its anchor, in the list of a scenario's or version's own issues.
    pub anchor: Option<String>,
    pub title: String,
    pub severity: &'static str,
    pub severity_label: String,
    pub body: Option<String>,
    pub components: Vec<Link>,
    pub origin: Option<Link>,
    /// The declared conditions it needs, in words.
    pub only_if: Option<String>,
    /// On a version page: it does not apply by default to that version.
    pub conditional: bool,
    /// The versions the server must have started as, in words.
    pub applies_if: Option<String>,
}

#[derive(Serialize)]
pub struct Unsupported {
    pub scenario: Link,
    pub target: String,
    pub summary: Option<String>,
    pub via: Vec<Link>,
    pub alternatives: Vec<AlternativeView>,
    pub conditions: Option<String>,
}

#[derive(Serialize)]
pub struct AlternativeView {
    pub title: String,
    pub body: Option<String>,
}

#[derive(Serialize)]
pub struct ReachedFrom {
    pub link: Link,
    pub hops: u32,
}

#[derive(Serialize)]
pub struct ScenarioPage {
    pub title: String,
    pub supported: bool,
    pub verdict: String,
    pub from: Selection,
    pub to: Selection,
    pub summary: Option<String>,
    /// The recommended route: from, via..., to (when each is one version).
    pub route: Vec<Link>,
    pub via: Vec<Link>,
    pub steps: Vec<String>,
    pub issues: Vec<IssueView>,
    pub alternatives: Vec<AlternativeView>,
    pub links: Vec<Link>,
    pub sources: Vec<SourceView>,
    pub notes: Option<String>,
    /// The notes of each product the scenario names (from, to, via), in
    /// product order: they hold for every version, so the scenario's
    /// reader needs them as a version page's does.
    pub product_notes: Vec<ProductNotes>,
    pub conditions: Option<String>,
    pub file: String,
}

#[derive(Serialize)]
pub struct ProductNotes {
    pub product: Link,
    /// Markdown.
    pub notes: String,
}

#[derive(Serialize)]
pub struct Selection {
    pub selector: String,
    pub description: String,
    pub versions: Vec<Link>,
}

#[derive(Serialize)]
pub struct SourceView {
    pub title: String,
    pub url: String,
    /// Every distinct quote the knowledge base takes from it.
    pub quotes: Vec<String>,
    pub retrieved: Option<String>,
}

#[derive(Serialize)]
pub struct ComponentPage {
    pub name: String,
    pub summary: Option<String>,
    pub shipped_in: Vec<Link>,
    pub depends_on: Vec<Link>,
    pub dependents: Vec<Link>,
    pub issues: Vec<IssueView>,
    pub file: String,
}

#[derive(Serialize)]
pub struct MatrixPage {
    /// Other matrix pages, when the matrix is split.
    pub index: Vec<Link>,
    pub tables: Vec<MatrixTable>,
    pub pages: Vec<Link>,
}

#[derive(Serialize)]
pub struct MatrixTable {
    pub title: String,
    /// The products over the columns, each spanning its versions.
    pub column_groups: Vec<ColumnGroup>,
    /// Each column's version, by its name alone (the group names the product).
    pub columns: Vec<Link>,
    pub rows: Vec<MatrixRow>,
    /// The same answers as a list, a row each: what prints and reads on a
    /// phone where a wide table cannot.
    pub list: Vec<MatrixListRow>,
}

/// A row of the matrix as text: from this version, the targets of each
/// answer ("direct", "2 hops", ...), runs of neighbouring versions as ranges.
#[derive(Serialize)]
pub struct MatrixListRow {
    pub from: Link,
    pub groups: Vec<MatrixListGroup>,
}

#[derive(Serialize)]
pub struct MatrixListGroup {
    /// "Direct", "2 hops", "Not supported directly".
    pub answer: String,
    /// "13.2–13.12, 14.0".
    pub targets: String,
}

#[derive(Serialize)]
pub struct ColumnGroup {
    pub product: Link,
    pub span: usize,
}

#[derive(Serialize)]
pub struct MatrixRow {
    /// The product, on the first row of each product's versions.
    pub group: Option<Link>,
    /// The version, by its name alone (the group row names the product).
    pub from: Link,
    pub cells: Vec<Cell>,
}

#[derive(Serialize)]
pub struct Cell {
    pub label: String,
    pub url: Option<String>,
    pub aria: String,
    pub kind: &'static str,
}
