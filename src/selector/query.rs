//! Selection queries: a selector resolved against the model.

use crate::diag::{Diagnostic, closest, list_some, suggest};
use crate::model::{Model, NodeId, Product};
use crate::selector::{self, VersionSpec};

/// Where a selector is used decides what it may match.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// `from`, `originally`: a bare product means all its versions.
    Many,
    /// `to`: a bare product only when it has one version; a spec may match several.
    Target,
    /// `via` and the command line: exactly one version.
    Exact,
}

const SELECTOR_HINT: &str = "a selector is `product` or `product@versions`: `p@1.0`, `p@1.*`, `p@>=1.0,<2.0`, `p@1.0|2.0`, `p@*`";

/// Resolves a selector against the model: the nodes it names, or why
/// not, as a diagnostic with no place yet (the caller knows where the
/// selector was written: [`Diagnostic::at`] a file's span, or nowhere
/// for the command line).
pub(crate) fn select_nodes(
    model: &Model,
    text: &str,
    role: Role,
) -> Result<Vec<NodeId>, Diagnostic> {
    select_or_explain(model, text, role)
        .map_err(|(message, hint)| Diagnostic::error_nowhere(message).with_hint(hint))
}

/// [`select_nodes`], its problem as a message and a hint.
fn select_or_explain(
    model: &Model,
    text: &str,
    role: Role,
) -> Result<Vec<NodeId>, (String, String)> {
    let parsed = selector::parse(text).map_err(|e| (e.to_string(), SELECTOR_HINT.to_owned()))?;
    let Some(index) = model.product_index(&parsed.product) else {
        let known: Vec<&str> = model.products.iter().map(|p| p.id.as_str()).collect();
        let hint = suggest(&parsed.product, "known products", &known);
        let message = if parsed.spec.is_some() {
            format!("unknown product `{}` in `{text}`", parsed.product)
        } else {
            format!("unknown product `{}`", parsed.product)
        };
        return Err((message, hint));
    };
    let product = &model.products[index];
    let count = product.versions.len();
    let known = || versions_hint(product, None);
    let all = VersionSpec::All;
    let spec = match (&parsed.spec, role) {
        (None, Role::Many) => &all,
        (None, _) if count == 1 => &all,
        (None, _) => {
            return Err((
                format!("`{text}` is ambiguous: {} has {count} versions", product.id),
                format!(
                    "name one, e.g. `{}@{}`; {}",
                    product.id,
                    product.versions.last().map_or("", |v| v.id.as_str()),
                    known()
                ),
            ));
        }
        (Some(spec), _) => spec,
    };
    let spec = spec.clone().with_ids(|name| product.id_of_alias(name));
    let matched = selector::matches(&spec, product).map_err(|m| {
        let wrong = m.unknown_version();
        (format!("`{text}`: {m}"), versions_hint(product, wrong))
    })?;
    if role == Role::Exact && matched.len() != 1 {
        return Err((
            format!(
                "`{text}` matches {} versions; exactly one is needed here",
                matched.len()
            ),
            known(),
        ));
    }
    Ok(matched
        .into_iter()
        .map(|i| product.versions[i].node)
        .collect())
}

/// Resolves a selector that must name exactly one version (command line).
pub fn select_one(model: &Model, text: &str) -> Result<NodeId, Diagnostic> {
    select_nodes(model, text, Role::Exact).map(|nodes| nodes[0])
}

/// "BackOffice Server 2.5–4.0", "Small Business Server", "G 15.0, 15.2".
pub fn describe_selection(model: &Model, nodes: &[NodeId]) -> String {
    let Some(&first) = nodes.first() else {
        return String::new();
    };
    let product = model.product_of(first);
    let indices: Vec<usize> = nodes.iter().map(|n| model.nodes[*n].version).collect();
    let name = |i: usize| product.versions[i].name.as_str();
    if indices.len() == product.versions.len() {
        return product.name.clone();
    }
    let contiguous = indices.windows(2).all(|w| w[1] == w[0] + 1);
    match indices.as_slice() {
        [one] => format!("{} {}", product.name, name(*one)),
        [first, .., last] if contiguous => {
            format!("{} {}–{}", product.name, name(*first), name(*last))
        }
        _ => {
            let names: Vec<&str> = indices.iter().map(|i| name(*i)).collect();
            format!("{} {}", product.name, names.join(", "))
        }
    }
}

/// "known versions of p: 1.0, 2.0, … and N more; aliases: …", with a near
/// id or alias first when `wrong` is a misspelling of one (`bulseye`:
/// did you mean `bullseye`?).
pub(crate) fn versions_hint(product: &Product, wrong: Option<&str>) -> String {
    let ids = product.version_ids();
    let aliases: Vec<&str> = (product.versions.iter())
        .flat_map(|v| v.aliases.iter().map(String::as_str))
        .collect();
    let mut known = format!("known versions of {}: {}", product.id, list_some(&ids));
    if !aliases.is_empty() {
        known.push_str(&format!("; aliases: {}", list_some(&aliases)));
    }
    let near = wrong.and_then(|wrong| closest(wrong, ids.iter().chain(&aliases).copied()));
    match near {
        Some(near) => format!("did you mean `{near}`? {known}"),
        None => known,
    }
}
