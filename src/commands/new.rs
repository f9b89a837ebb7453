//! `upgrade-atlas new product ID` and `new scenario FROM TO`: a file in the
//! right folder with the fields filled in and the optional ones commented,
//! which checks as written. Never overwrites.

use std::path::{Path, PathBuf};

use super::{Outcome, write_new};
use crate::diag::suggest;
use crate::selector;

/// Writes `content/products/ID.yaml`.
pub fn product(root: &Path, id: &str) -> Result<Outcome, String> {
    // The rule `check` applies, so that nothing is written that it refuses.
    if !selector::is_product_id(id) {
        return Err(format!(
            "`{id}` cannot be a product id\n\
             hint: use lowercase letters, digits and `-`, starting with a letter or digit, e.g. `acme-server`"
        ));
    }
    if let Some(problem) = crate::resolve::id_problem(id) {
        return Err(format!(
            "product id {problem}\n\
             hint: ids become folder names of the site; choose another, e.g. `{id}-server`"
        ));
    }
    let path = root.join("content/products").join(format!("{id}.yaml"));
    write_new(root, &path, product_text(id).as_bytes())?;
    Ok(written(root, &path, "product"))
}

/// Writes `content/scenarios/PRODUCT/SPEC-to-TARGET.yaml`.
pub fn scenario(root: &Path, from: &str, to: &str) -> Result<Outcome, String> {
    let from_selector = selector::parse(from).map_err(|e| format!("FROM `{from}`: {e}"))?;
    let to_selector = selector::parse(to).map_err(|e| format!("TO `{to}`: {e}"))?;
    // Products that exist are checked when the knowledge base checks; one
    // with errors elsewhere still gets its new scenario.
    if let Ok(checked) = crate::check(root) {
        let known: Vec<&str> = checked
            .model
            .products
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        for (side, selector) in [("FROM", &from_selector), ("TO", &to_selector)] {
            if checked.model.product_index(&selector.product).is_none() {
                return Err(format!(
                    "{side}: no product `{}` in this knowledge base; {}",
                    selector.product,
                    suggest(&selector.product, "products", &known)
                ));
            }
        }
    }
    let path = scenario_path(root, from, &from_selector, to);
    write_new(
        root,
        &path,
        scenario_text(from.trim(), to.trim()).as_bytes(),
    )?;
    Ok(written(root, &path, "scenario"))
}

fn written(root: &Path, path: &Path, what: &str) -> Outcome {
    let shown = path.strip_prefix(root).unwrap_or(path).display();
    Outcome {
        summary: format!("wrote {shown}: fill in the {what}, then run `upgrade-atlas check`"),
    }
}

/// `scenarios/acme-server/3.0-to-acme-cloud.yaml` for `acme-server@3.0`
/// and `acme-cloud`: the from product's folder, then both sides in words
/// that are valid in a scenario id.
fn scenario_path(root: &Path, from: &str, from_selector: &selector::Selector, to: &str) -> PathBuf {
    let versions = from
        .split_once('@')
        .map(|(_, spec)| file_word(spec))
        .filter(|word| !word.is_empty())
        .unwrap_or_else(|| "all".to_owned());
    let name = format!("{versions}-to-{}", file_word(&to.replace('@', "-")));
    // Within the limits `check` applies to a path segment and a scenario id.
    let room = crate::resolve::MAX_ID_CHARS
        .min(crate::resolve::MAX_SCENARIO_ID_CHARS - from_selector.product.chars().count() - 1);
    let name: String = name.chars().take(room).collect();
    let name = name.trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
    root.join("content/scenarios")
        .join(&from_selector.product)
        .join(format!("{name}.yaml"))
}

/// Lowercase letters, digits, `.`, `_` and `-`, other runs as one `-`,
/// starting and ending with a letter or digit.
fn file_word(text: &str) -> String {
    let mut word = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_') {
            word.push(c);
        } else if !word.ends_with('-') {
            word.push('-');
        }
    }
    word.trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_owned()
}

/// "acme-server" -> "Acme Server": a name to start from.
fn name_of(id: &str) -> String {
    id.split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).expect("strings serialize")
}

fn product_text(id: &str) -> String {
    format!(
        "# The product `{id}`: the file name is its id. Reference: docs/content-format.md, \"Products\".

name: {name}
# vendor: Who makes it
# summary: |
#   Markdown: what the product is, in a few sentences.

# Oldest first: the order alone says which version is newer.
versions:
  - id: \"1.0\"
    # name: \"1.0\"          how it is shown; the id by default
    # released: 2024-01-31  an ISO date
    # summary: Markdown.
    # issues:               known issues of moving past this version
    #   - title: What goes wrong
    #     severity: warning  blocking, warning or info

# How its versions upgrade to each other: sequential, any-newer or none.
# upgrades:
#   policy: sequential
",
        name = yaml_string(&name_of(id))
    )
}

fn scenario_text(from: &str, to: &str) -> String {
    format!(
        "# An upgrade from {from} to {to}. Reference: docs/content-format.md, \"Scenarios\".

from: {from_yaml}
to: {to_yaml}
# supported: one step from `from` to `to`; unsupported: not directly
direct: supported
# title: Plain text, one line (built from `from` and `to` when left out)
# updated: 2024-01-31  when it last changed in substance; feed.xml lists by it
# summary: |
#   Markdown: the answer in a few sentences.
# via: [product@version]  for `unsupported`: the route to take instead
# steps:
#   - What to do first.
# issues:
#   - title: What goes wrong
#     severity: warning  blocking, warning or info
#     body: Markdown.
# links:
#   - {{ title: Where to read more, url: \"https://example.com/\" }}
# sources:
#   - {{ title: Where the claim comes from, url: \"https://example.com/\", quote: \"...\" }}
",
        from_yaml = yaml_string(from),
        to_yaml = yaml_string(to),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_words_are_valid_scenario_ids() {
        assert_eq!(file_word(">=2.0,<3.0"), "2.0-3.0");
        assert_eq!(file_word("acme-cloud-Current"), "acme-cloud-current");
        assert_eq!(file_word("*"), "");
        assert_eq!(name_of("acme-server"), "Acme Server");
    }
}
