//! Selectors: `product[@version-spec]`, used by scenarios, `via`, `originally`
//! and the command line. Parsing is separate from matching so that a spec can
//! be checked against a product's version list with a precise message; the
//! queries that resolve a selector against the whole model are in `query`.

mod query;

pub(crate) use query::{Role, select_nodes, versions_hint};
pub use query::{describe_selection, select_one};

/// Why a selector or a version spec names nothing. Typed, so that a
/// caller tells an unknown version (and suggests a near one) from a
/// malformed spec by its variant, not by reading the words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SelectorError {
    /// The part before `@` is not a product id.
    NotAProductId(String),
    /// An alternative is neither a version id nor an `N.*` prefix.
    NotAnAlternative(String),
    /// A part of a range that starts with no `>=`, `>`, `<=` or `<`.
    NotAComparison(String),
    /// A range's bound that is not a version id.
    NotAVersionId(String),
    /// An id (or alias) that names no version of the product.
    NoVersion(String),
    /// A spec that is well written but matches no version.
    MatchesNothing,
}

impl SelectorError {
    /// The id an unknown version was written as, to suggest a near one.
    pub fn unknown_version(&self) -> Option<&str> {
        match self {
            SelectorError::NoVersion(id) => Some(id),
            _ => None,
        }
    }
}

impl std::fmt::Display for SelectorError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SelectorError::NotAProductId(product) => write!(
                f,
                "`{product}` is not a product id (lowercase letters, digits and `-`)"
            ),
            SelectorError::NotAnAlternative(alternative) => {
                write!(f, "`{alternative}` is not a version id or a `N.*` prefix")
            }
            SelectorError::NotAComparison(part) => write!(
                f,
                "`{part}` is not a comparison; a range is written like `>=15.0,<15.4`"
            ),
            SelectorError::NotAVersionId(id) => write!(f, "`{id}` is not a version id"),
            SelectorError::NoVersion(id) => write!(f, "no version `{id}`"),
            SelectorError::MatchesNothing => f.write_str("matches no version"),
        }
    }
}

impl std::error::Error for SelectorError {}

/// A parsed `version-spec`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VersionSpec {
    All,
    /// `4.5 | 15.*`
    Alternatives(Vec<Alternative>),
    /// `>=15.0,<15.4`
    Range(Vec<(Comparison, String)>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Alternative {
    Exact(String),
    /// `15.*`: every version whose id starts with `15.`
    Prefix(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    AtLeast,
    Above,
    AtMost,
    Below,
}

/// `product` and, when written, its version spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Selector {
    pub product: String,
    pub spec: Option<VersionSpec>,
}

impl VersionSpec {
    /// The spec with each name that `id_of` knows as an alias replaced by
    /// its version's id; prefixes (`15.*`) are matched against ids only.
    pub fn with_ids(self, id_of: impl Fn(&str) -> Option<String>) -> VersionSpec {
        let id = |name: String| id_of(&name).unwrap_or(name);
        match self {
            VersionSpec::All => VersionSpec::All,
            VersionSpec::Alternatives(alternatives) => VersionSpec::Alternatives(
                alternatives
                    .into_iter()
                    .map(|alternative| match alternative {
                        Alternative::Exact(name) => Alternative::Exact(id(name)),
                        prefix => prefix,
                    })
                    .collect(),
            ),
            VersionSpec::Range(parts) => VersionSpec::Range(
                parts
                    .into_iter()
                    .map(|(comparison, name)| (comparison, id(name)))
                    .collect(),
            ),
        }
    }
}

pub fn is_product_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

pub fn is_version_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '+' | '-'))
}

pub fn parse(text: &str) -> Result<Selector, SelectorError> {
    let text = text.trim();
    let (product, spec) = match text.split_once('@') {
        Some((product, spec)) => (product, Some(parse_spec(spec)?)),
        None => (text, None),
    };
    if !is_product_id(product) {
        return Err(SelectorError::NotAProductId(product.to_owned()));
    }
    Ok(Selector {
        product: product.to_owned(),
        spec,
    })
}

pub fn parse_spec(spec: &str) -> Result<VersionSpec, SelectorError> {
    let spec = spec.trim();
    if spec == "*" {
        return Ok(VersionSpec::All);
    }
    if spec.starts_with(['<', '>']) {
        return spec
            .split(',')
            .map(|part| parse_comparison(part.trim()))
            .collect::<Result<_, _>>()
            .map(VersionSpec::Range);
    }
    spec.split('|')
        .map(|alt| {
            let alt = alt.trim();
            let (id, prefix) = match alt.strip_suffix(".*") {
                Some(prefix) => (prefix, true),
                None => (alt, false),
            };
            if !is_version_id(id) {
                return Err(SelectorError::NotAnAlternative(alt.to_owned()));
            }
            Ok(if prefix {
                Alternative::Prefix(format!("{id}."))
            } else {
                Alternative::Exact(id.to_owned())
            })
        })
        .collect::<Result<_, _>>()
        .map(VersionSpec::Alternatives)
}

fn parse_comparison(part: &str) -> Result<(Comparison, String), SelectorError> {
    let (comparison, id) = if let Some(id) = part.strip_prefix(">=") {
        (Comparison::AtLeast, id)
    } else if let Some(id) = part.strip_prefix("<=") {
        (Comparison::AtMost, id)
    } else if let Some(id) = part.strip_prefix('>') {
        (Comparison::Above, id)
    } else if let Some(id) = part.strip_prefix('<') {
        (Comparison::Below, id)
    } else {
        return Err(SelectorError::NotAComparison(part.to_owned()));
    };
    let id = id.trim();
    if !is_version_id(id) {
        return Err(SelectorError::NotAVersionId(id.to_owned()));
    }
    Ok((comparison, id.to_owned()))
}

/// A product's versions as selectors see them: ids in list order, and a
/// way to find one by id.
pub trait Versions {
    fn count(&self) -> usize;
    fn id(&self, index: usize) -> &str;
    fn position(&self, id: &str) -> Option<usize>;
}

/// A product's versions, by their ids (aliases are resolved before).
impl Versions for crate::model::Product {
    fn count(&self) -> usize {
        self.versions.len()
    }

    fn id(&self, index: usize) -> &str {
        &self.versions[index].id
    }

    fn position(&self, id: &str) -> Option<usize> {
        self.names.position_of_id(id)
    }
}

impl Versions for [&str] {
    fn count(&self) -> usize {
        self.len()
    }

    fn id(&self, index: usize) -> &str {
        self[index]
    }

    fn position(&self, id: &str) -> Option<usize> {
        self.iter().position(|v| *v == id)
    }
}

/// The indices (in list order) of the versions a spec matches, or why not.
/// An exact id or a range bound that names no version is an error even when
/// other alternatives match: it is almost always a typo. Exact ids and
/// ranges cost what they match, not the length of the list (but for a
/// list of alternatives, which costs one flag a version).
pub fn matches<V: Versions + ?Sized>(
    spec: &VersionSpec,
    versions: &V,
) -> Result<Vec<usize>, SelectorError> {
    let position = |id: &str| {
        versions
            .position(id)
            .ok_or_else(|| SelectorError::NoVersion(id.to_owned()))
    };
    let count = versions.count();
    let matched: Vec<usize> = match spec {
        VersionSpec::All => (0..count).collect(),
        VersionSpec::Alternatives(alternatives) => {
            if let [Alternative::Exact(id)] = alternatives.as_slice() {
                return Ok(vec![position(id)?]);
            }
            let mut hits = vec![false; count];
            for alternative in alternatives {
                match alternative {
                    Alternative::Exact(id) => hits[position(id)?] = true,
                    Alternative::Prefix(prefix) => {
                        for (i, hit) in hits.iter_mut().enumerate() {
                            *hit |= versions.id(i).starts_with(prefix.as_str());
                        }
                    }
                }
            }
            (0..count).filter(|i| hits[*i]).collect()
        }
        VersionSpec::Range(bounds) => {
            let mut low = 0usize;
            let mut high = count;
            for (comparison, id) in bounds {
                let at = position(id)?;
                match comparison {
                    Comparison::AtLeast => low = low.max(at),
                    Comparison::Above => low = low.max(at + 1),
                    Comparison::AtMost => high = high.min(at + 1),
                    Comparison::Below => high = high.min(at),
                }
            }
            (low..high.max(low)).collect()
        }
    };
    if matched.is_empty() {
        return Err(SelectorError::MatchesNothing);
    }
    Ok(matched)
}

#[cfg(test)]
mod tests {
    use super::*;

    const G: [&str; 7] = ["15.0", "15.1", "15.2", "15.3", "15.4", "16.0", "16.1"];

    fn select(spec: &str) -> Result<Vec<&'static str>, SelectorError> {
        let spec = parse_spec(spec)?;
        Ok(matches(&spec, &G[..])?.into_iter().map(|i| G[i]).collect())
    }

    #[test]
    fn exact_union_prefix_and_all() {
        assert_eq!(select("15.4").unwrap(), ["15.4"]);
        assert_eq!(select("16.1|15.0").unwrap(), ["15.0", "16.1"]);
        assert_eq!(select("16.*").unwrap(), ["16.0", "16.1"]);
        assert_eq!(select("*").unwrap().len(), 7);
    }

    #[test]
    fn ranges_use_list_order() {
        assert_eq!(
            select(">=15.0,<15.4").unwrap(),
            ["15.0", "15.1", "15.2", "15.3"]
        );
        assert_eq!(select(">15.3,<=16.0").unwrap(), ["15.4", "16.0"]);
        assert_eq!(select("<15.1").unwrap(), ["15.0"]);
    }

    #[test]
    fn empty_and_unknown_are_errors() {
        assert_eq!(select(">16.1").unwrap_err(), SelectorError::MatchesNothing);
        assert_eq!(
            select(">=16.0,<15.0").unwrap_err(),
            SelectorError::MatchesNothing
        );
        let unknown = select("15.0|9.9").unwrap_err();
        assert_eq!(unknown.unknown_version(), Some("9.9"));
        assert_eq!(unknown.to_string(), "no version `9.9`");
        assert_eq!(select("17.*").unwrap_err(), SelectorError::MatchesNothing);
        assert_eq!(
            select("=>15.0").unwrap_err(),
            SelectorError::NotAnAlternative("=>15.0".into())
        );
        assert_eq!(
            select(">=15.0,15.4").unwrap_err(),
            SelectorError::NotAComparison("15.4".into())
        );
        assert_eq!(
            select("<1 2").unwrap_err(),
            SelectorError::NotAVersionId("1 2".into())
        );
        assert_eq!(
            select("1.x*").unwrap_err(),
            SelectorError::NotAnAlternative("1.x*".into())
        );
    }

    #[test]
    fn product_part_is_checked() {
        assert_eq!(parse("a@1.0").unwrap().product, "a");
        assert_eq!(parse("windows-xp-server").unwrap().spec, None);
        assert_eq!(
            parse("Bad@1").unwrap_err(),
            SelectorError::NotAProductId("Bad".into())
        );
        assert!(parse("a@../../etc").is_err());
    }

    #[test]
    fn ids() {
        assert!(is_version_id("2012r2"));
        assert!(is_version_id("1.0+build_2-rc"));
        assert!(!is_version_id("../etc"));
        assert!(!is_version_id(""));
        assert!(is_product_id("backoffice-server"));
        assert!(!is_product_id("-x"));
        assert!(!is_product_id("Bad_Name"));
    }
}
