//! `upgrade-atlas new product ID` and `new scenario FROM TO`: a file in the
//! right folder with the fields filled in and the optional ones commented,
//! which checks as written. Never overwrites.

use std::path::{Path, PathBuf};

use super::{Outcome, write_new};
use crate::diag::{Diagnostic, suggest};
use crate::model::{Model, NodeId};
use crate::selector::{self, Alternative, Comparison, Role, VersionSpec, select_nodes};

/// Writes `content/products/ID.yaml`, named `name` (one line) or, without
/// it, a name made from the id for the writer to check.
pub fn product(root: &Path, id: &str, name: Option<&str>) -> Result<Outcome, Diagnostic> {
    // The rule `check` applies, so that nothing is written that it refuses.
    if !selector::is_product_id(id) {
        return Err(Diagnostic::error_nowhere(format!("`{id}` cannot be a product id")).with_hint(
            "use lowercase letters, digits and `-`, starting with a letter or digit, e.g. `acme-server`",
        ));
    }
    if let Some(problem) = crate::resolve::id_problem(id) {
        return Err(
            Diagnostic::error_nowhere(format!("product id {problem}")).with_hint(format!(
                "ids become folder names of the site; choose another, e.g. `{id}-server`"
            )),
        );
    }
    if let Some(name) = name
        && (name.trim().is_empty() || name.contains(['\n', '\r']))
    {
        return Err(Diagnostic::error_nowhere("--name must be one line of text")
            .with_hint("e.g. --name \"Proxmox VE\""));
    }
    let path = root.join("content/products").join(format!("{id}.yaml"));
    write_new(root, &path, product_text(id, name).as_bytes())?;
    Ok(written(root, &path, "product"))
}

/// Writes `content/scenarios/PRODUCT/SPEC-to-TARGET.yaml`, with a warning
/// at each scenario that already covers one of its upgrades.
pub fn scenario(root: &Path, from: &str, to: &str) -> Result<Outcome, Diagnostic> {
    let refused = |side: &str, written: &str, e: selector::SelectorError| {
        Diagnostic::error_nowhere(format!("{side} `{written}`: {e}"))
    };
    let from_selector = selector::parse(from).map_err(|e| refused("FROM", from, e))?;
    let to_selector = selector::parse(to).map_err(|e| refused("TO", to, e))?;
    // Products that exist are checked when the knowledge base checks; one
    // with errors elsewhere still gets its new scenario.
    let model = crate::check(root).ok().map(|checked| checked.model);
    if let Some(model) = &model {
        known_products(model, &from_selector, &to_selector)?;
    }
    let path = scenario_path(root, &from_selector, &to_selector);
    let shown = path.strip_prefix(root).unwrap_or(&path);
    let (warnings, condition) = match &model {
        Some(model) => (
            already_covered(model, from.trim(), to.trim(), shown),
            model.site.conditions.first().map(|c| c.name.as_str()),
        ),
        None => (Vec::new(), None),
    };
    let text = scenario_text(from.trim(), to.trim(), condition);
    write_new(root, &path, text.as_bytes())?;
    Ok(Outcome {
        warnings,
        ..written(root, &path, "scenario")
    })
}

/// Fails unless both products are in the model, with "did you mean".
fn known_products(
    model: &Model,
    from: &selector::Selector,
    to: &selector::Selector,
) -> Result<(), Diagnostic> {
    let known: Vec<&str> = model.products.iter().map(|p| p.id.as_str()).collect();
    for (side, selector) in [("FROM", from), ("TO", to)] {
        if model.product_index(&selector.product).is_none() {
            return Err(Diagnostic::error_nowhere(format!(
                "{side}: no product `{}` in this knowledge base",
                selector.product
            ))
            .with_hint(suggest(&selector.product, "products", &known)));
        }
    }
    Ok(())
}

/// A warning at the `from` of each scenario that covers an upgrade the
/// new one (`new_file`) will: two scenarios for one upgrade are a
/// contradiction or a repeat unless conditions keep them apart, and a
/// writer who did not know of the first would not look.
fn already_covered(model: &Model, from: &str, to: &str, new_file: &Path) -> Vec<Diagnostic> {
    let (Ok(sources), Ok(targets)) = (
        select_nodes(model, from, Role::Many),
        select_nodes(model, to, Role::Target),
    ) else {
        return Vec::new();
    };
    model
        .scenarios
        .iter()
        .filter_map(|scenario| {
            let pairs: Vec<(NodeId, NodeId)> = sources
                .iter()
                .filter(|f| scenario.from.contains(f))
                .flat_map(|&f| {
                    targets
                        .iter()
                        .filter(move |&&t| t != f && scenario.to.contains(&t))
                        .map(move |&t| (f, t))
                })
                .collect();
            let (f, t) = *pairs.first()?;
            let more = match pairs.len() - 1 {
                0 => String::new(),
                1 => " and 1 more pair".to_owned(),
                n => format!(" and {n} more pairs"),
            };
            let message = format!(
                "scenario `{}` already covers {} -> {}{more}, as the new {} does",
                scenario.id,
                model.node_ref(f),
                model.node_ref(t),
                new_file.display()
            );
            Some(Diagnostic::warning(scenario.spans.from.clone(), message).with_hint(
                "say each upgrade once: narrow one scenario's `from` or `to`, or delete the new \
                 file; two that must both stay hold under different conditions \
                 (`when`/`unless`), or `check` calls a supported and an unsupported one a contradiction",
            ))
        })
        .collect()
}

fn written(root: &Path, path: &Path, what: &str) -> Outcome {
    let shown = path.strip_prefix(root).unwrap_or(path).display();
    Outcome {
        summary: format!("wrote {shown}: fill in the {what}, then run `upgrade-atlas check`"),
        warnings: Vec::new(),
    }
}

/// `scenarios/proxmox-ve/6.x-to-8.0.yaml` for `proxmox-ve@6.*` to
/// `proxmox-ve@>=8.0`, `scenarios/acme-server/3.0-to-acme-cloud.yaml` for
/// `acme-server@3.0` to `acme-cloud`: the from product's folder, then the
/// versions on each side in words, and the target's product only when it
/// is another. Every part is valid in a scenario id.
fn scenario_path(root: &Path, from: &selector::Selector, to: &selector::Selector) -> PathBuf {
    let words = |selector: &selector::Selector| selector.spec.as_ref().and_then(spec_words);
    let sources = words(from).unwrap_or_else(|| "all".to_owned());
    let target = match (to.product == from.product, words(to)) {
        (true, Some(versions)) => versions,
        (true, None) => "all".to_owned(),
        (false, Some(versions)) => format!("{}-{versions}", to.product),
        (false, None) => to.product.clone(),
    };
    let name = format!("{sources}-to-{target}");
    // Within the limits `check` applies to a path segment and a scenario id.
    let room = crate::resolve::MAX_ID_CHARS
        .min(crate::resolve::MAX_SCENARIO_ID_CHARS - from.product.chars().count() - 1);
    let name: String = name.chars().take(room).collect();
    let name = name.trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
    root.join("content/scenarios")
        .join(&from.product)
        .join(format!("{name}.yaml"))
}

/// A version spec in words for a file name: `6.4`, `6.x` for `6.*`,
/// `16-or-17` for `16|17`, `8.0` for `>=8.0` (the versions it starts at),
/// `2.0-before-3.0` for `>=2.0,<3.0`; `None` for every version.
fn spec_words(spec: &VersionSpec) -> Option<String> {
    let words: Vec<String> = match spec {
        VersionSpec::All => return None,
        VersionSpec::Alternatives(alternatives) => alternatives
            .iter()
            .map(|alternative| match alternative {
                Alternative::Exact(id) => file_word(id),
                Alternative::Prefix(prefix) => format!("{}.x", file_word(prefix)),
            })
            .collect(),
        VersionSpec::Range(bounds) => bounds
            .iter()
            .map(|(comparison, id)| {
                let id = file_word(id);
                match comparison {
                    Comparison::AtLeast => id,
                    Comparison::Above => format!("after-{id}"),
                    Comparison::AtMost => format!("up-to-{id}"),
                    Comparison::Below => format!("before-{id}"),
                }
            })
            .collect(),
    };
    let joiner = if matches!(spec, VersionSpec::Range(_)) {
        "-"
    } else {
        "-or-"
    };
    Some(words.join(joiner)).filter(|w| !w.is_empty())
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

/// A product file whose commented settings each check when uncommented:
/// what they mean is said on comment lines of its own above them.
fn product_text(id: &str, name: Option<&str>) -> String {
    // A name made from the id cannot know "VE" from "Ve": say so.
    let made = if name.is_some() {
        "# How pages name it."
    } else {
        "# How pages name it: check the capitals, it was made from the id\n# (`new product ID --name 'Proxmox VE'` gives it at once)."
    };
    format!(
        "# The product `{id}`: the file name is its id. Reference: docs/content-format.md, \"Products\".

{made}
name: {name}
# Who makes it, and a few sentences of Markdown about it:
# vendor: Who makes it
# summary: |
#   What the product is, in a few sentences.

# Oldest first: the order alone says which version is newer.
versions:
  - id: \"1.0\"
    # How pages show it (the id by default), its release day (an ISO date),
    # Markdown about it, and the known issues of moving past it (severity
    # is blocking, warning or info):
    # name: \"1.0\"
    # released: 2024-01-31
    # summary: What this version changed.
    # issues:
    #   - title: What goes wrong
    #     severity: warning

# How its versions upgrade to each other: sequential (each to the next),
# any-newer, or none (only scenarios say; the default).
# upgrades:
#   policy: sequential
",
        name = yaml_string(&name.map_or_else(|| name_of(id), |n| n.trim().to_owned()))
    )
}

/// A scenario file whose commented settings each check when uncommented
/// (and all of them together). `condition` is one the knowledge base
/// declares, to show `when` with; without one, the comment says how.
fn scenario_text(from: &str, to: &str, condition: Option<&str>) -> String {
    format!(
        "# An upgrade from {from} to {to}. Reference: docs/content-format.md, \"Scenarios\".

from: {from_yaml}
to: {to_yaml}
# Supported: one step from `from` to `to`. Unsupported: not directly; then
# `via: [product@version]` may name the versions to stop at instead.
direct: supported
# One line of plain text (built from `from` and `to` when left out), the
# day it last changed in substance (feed.xml lists by it), and the answer
# in a few sentences of Markdown:
# title: The upgrade in a few words
# updated: 2024-01-31
# summary: |
#   What to expect, in a few sentences.
# steps:
#   - What to do first.
# Known issues (severity is blocking, warning or info), where to read
# more, and where the claim comes from:
# issues:
#   - title: What goes wrong
#     severity: warning
#     body: Markdown.
# links:
#   - {{ title: Where to read more, url: \"https://example.com/\" }}
# sources:
#   - {{ title: Where the claim comes from, url: \"https://example.com/\", quote: \"...\" }}
{conditions}",
        from_yaml = yaml_string(from),
        to_yaml = yaml_string(to),
        conditions = conditions_comment(condition),
    )
}

/// How a scenario is made to hold only in some situations: with a
/// declared condition, a `when` to uncomment; without, where to declare one.
fn conditions_comment(condition: Option<&str>) -> String {
    match condition {
        Some(name) => format!(
            "# Only when conditions declared in site.yaml all hold (or, with
# `unless: [{name}]`, only when none of them holds). Issues take `when`
# and `unless` too.
# when: [{name}]
"
        ),
        None => "# To have it hold only in some situations, declare conditions in site.yaml
# (docs/content-format.md, \"Conditions\"), then add `when: [name]` here (only
# when they all hold) or `unless: [name]` (only when none holds). Issues
# take `when` and `unless` too.
"
        .to_owned(),
    }
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

    #[test]
    fn specs_in_words() {
        let words = |spec: &str| spec_words(&selector::parse_spec(spec).unwrap());
        assert_eq!(words("6.*").as_deref(), Some("6.x"));
        assert_eq!(words(">=8.0").as_deref(), Some("8.0"));
        assert_eq!(words(">2,<=4").as_deref(), Some("after-2-up-to-4"));
        assert_eq!(words("<3.0").as_deref(), Some("before-3.0"));
        assert_eq!(words("1.0|2.*|RC+1").as_deref(), Some("1.0-or-2.x-or-rc-1"));
        assert_eq!(words("*"), None);
    }
}
