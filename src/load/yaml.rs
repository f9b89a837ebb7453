//! A file's text -> a raw document: the characters text may hold, the
//! YAML parser's options and limits, and its errors as people read them.

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::*;
use crate::diag::{Diagnostic, Span, suggest};

/// Whether content may hold a character: not a control character (C0,
/// DEL, C1) but tab and the line breaks. Pages would carry the others as
/// they are, and terminals act on them.
pub(super) fn is_allowed_in_text(c: char) -> bool {
    !c.is_control() || matches!(c, '\t' | '\n' | '\r')
}

/// "U+001B (ESC)", for messages.
pub(super) fn describe_character(c: char) -> String {
    let name = match c {
        '\0' => " (NUL)",
        '\u{7}' => " (BEL)",
        '\u{8}' => " (backspace)",
        '\u{1b}' => " (ESC)",
        '\u{7f}' => " (DEL)",
        _ => "",
    };
    format!("U+{:04X}{name}", u32::from(c))
}

pub(super) const CONTROL_HINT: &str = "text holds no control characters but tab and line breaks: delete it (editors often show one as `^[` or a box)";

/// `text` without its bidirectional controls, with a warning at the first
/// one. They make text show in another order than it is written: a
/// command on a page could read one way and copy another. Earlier
/// releases published them, so this is a warning, not an error.
pub(super) fn without_bidi_controls(file: &Path, text: String) -> (String, Option<Diagnostic>) {
    let Some(at) = first_bidi_control(&text) else {
        return (text, None);
    };
    let c = text[at..].chars().next().unwrap_or_default();
    let warning = Diagnostic::warning(
        Span::at_offset(file, &text.as_bytes()[..at]),
        format!(
            "bidirectional control character U+{:04X} left out of the site: it shows text in another order than it is written",
            u32::from(c)
        ),
    )
    .with_hint("delete it (and any others in the file); right-to-left text needs no overrides");
    (
        text.replace(crate::diag::is_bidi_control, ""),
        Some(warning),
    )
}

/// The first control character written as it is in a file, as an error at its place.
pub(super) fn control_character(file: &Path, text: &str) -> Option<Diagnostic> {
    let at = first_control_character(text)?;
    let c = text[at..].chars().next()?;
    Some(
        Diagnostic::error(
            Span::at_offset(file, &text.as_bytes()[..at]),
            format!("control character {} in the file", describe_character(c)),
        )
        .with_hint(CONTROL_HINT),
    )
}

/// Where the first bidirectional control starts. Every file is scanned,
/// and they are all written in UTF-8 as 0xE2 and two more bytes, so only
/// the places of that byte are looked at (found with `memchr`).
fn first_bidi_control(text: &str) -> Option<usize> {
    memchr::memchr_iter(0xe2, text.as_bytes()).find(|&at| {
        text.get(at..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(crate::diag::is_bidi_control)
    })
}

/// Where the first character that [`is_allowed_in_text`] refuses starts.
/// Every file is scanned, so bytes are looked at rather than characters:
/// the controls are the bytes below 0x20 and 0x7F, and U+0080 to U+009F,
/// which UTF-8 writes 0xC2 0x80 to 0xC2 0x9F. Most files hold none, so a
/// pass without branches (which the compiler turns into vector code) picks
/// out the blocks that hold a byte worth a closer look.
fn first_control_character(text: &str) -> Option<usize> {
    const BLOCK: usize = 64;
    let bytes = text.as_bytes();
    let is_control_at = |at: usize| match bytes[at] {
        b'\t' | b'\n' | b'\r' => false,
        0..0x20 | 0x7f => true,
        0xc2 => bytes
            .get(at + 1)
            .is_some_and(|next| (0x80..0xa0).contains(next)),
        _ => false,
    };
    (bytes.chunks(BLOCK).enumerate())
        .filter(|(_, block)| {
            block
                .iter()
                .fold(false, |any, &b| any | may_start_control(b))
        })
        .find_map(|(n, block)| (n * BLOCK..n * BLOCK + block.len()).find(|&at| is_control_at(at)))
}

/// Whether a byte may start a control character: a cheap test for every
/// byte of a file, made of comparisons only.
fn may_start_control(b: u8) -> bool {
    (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r') | (b == 0x7f) | (b == 0xc2)
}

/// Any YAML value, each with its place: what the escapes of double-quoted
/// text (`"\e"`, `"\x07"`, `"\u0000"`) turned into, which the file's own
/// characters do not show.
pub(super) enum AnyValue {
    Text(String),
    List(Vec<Spanned<AnyValue>>),
    Map(Vec<Spanned<AnyValue>>),
    Other,
}

impl<'de> Deserialize<'de> for AnyValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnyVisitor;
        impl<'de> Visitor<'de> for AnyVisitor {
            type Value = AnyValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<AnyValue, E> {
                Ok(AnyValue::Text(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<AnyValue, E> {
                Ok(AnyValue::Text(v))
            }
            // `!!binary` text, which a string field takes as it decodes.
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<AnyValue, E> {
                Ok(AnyValue::Text(String::from_utf8_lossy(v).into_owned()))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<AnyValue, E> {
                Ok(AnyValue::Other)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<AnyValue, E> {
                Ok(AnyValue::Other)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<AnyValue, E> {
                Ok(AnyValue::Other)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<AnyValue, E> {
                Ok(AnyValue::Other)
            }
            fn visit_unit<E: de::Error>(self) -> Result<AnyValue, E> {
                Ok(AnyValue::Other)
            }
            fn visit_none<E: de::Error>(self) -> Result<AnyValue, E> {
                Ok(AnyValue::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AnyValue, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(AnyValue::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AnyValue, A::Error> {
                // Keys are names the format checks on its own terms.
                let mut values = Vec::new();
                while map.next_key::<de::IgnoredAny>()?.is_some() {
                    values.push(map.next_value()?);
                }
                Ok(AnyValue::Map(values))
            }
        }
        deserializer.deserialize_any(AnyVisitor)
    }
}

/// The first text value of a file that holds a control character once
/// its escapes are read (or its `!!binary` decoded), as an error at the
/// value. A value differs from the characters written only through an
/// escape (`\`) or a tag (`!`), so only a file with one is read again.
pub(super) fn escaped_control_character(file: &Path, text: &str) -> Option<Diagnostic> {
    memchr::memchr2(b'\\', b'!', text.as_bytes())?;
    let value =
        serde_saphyr::from_str_with_options::<Spanned<AnyValue>>(text, yaml_options()).ok()?;
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        match value.value {
            AnyValue::Text(text) => {
                if let Some(c) = text.chars().find(|c| !is_allowed_in_text(*c)) {
                    let at = &value.referenced;
                    return Some(
                        Diagnostic::error(
                            Span::new(file, at.line() as usize, at.column() as usize),
                            format!(
                                "this text holds the control character {}, written as an escape or a `!!binary` value",
                                describe_character(c)
                            ),
                        )
                        .with_hint(
                            "remove the escape (such as `\\e`, `\\a`, `\\0`, `\\x1b` or `\\u001b`) or the `!!binary` value: text holds no control characters but tab and line breaks",
                        ),
                    );
                }
            }
            AnyValue::List(items) | AnyValue::Map(items) => {
                pending.extend(items.into_iter().rev());
            }
            AnyValue::Other => {}
        }
    }
    None
}

pub(super) fn is_blank_yaml(text: &str) -> bool {
    text.lines().all(|line| {
        let line = line.trim_start_matches('\u{feff}').trim();
        line.is_empty() || line.starts_with('#') || line == "---"
    })
}

/// How many values YAML aliases may repeat in one file, all together.
pub const MAX_REPLAYED_EVENTS: usize = 100_000;

/// How many times one anchor may be repeated by aliases.
pub const MAX_ALIAS_EXPANSIONS: usize = 1_000;

pub(super) fn yaml_options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    // Alias bombs: a knowledge base has no need for mass expansion.
    options.alias_limits.max_total_replayed_events = MAX_REPLAYED_EVENTS;
    options.alias_limits.max_alias_expansions_per_anchor = MAX_ALIAS_EXPANSIONS;
    options.with_snippet = false;
    // Nothing reads comments: the parser still checks their syntax, but
    // keeps no text of them.
    options.emit_comments = false;
    options
}

pub(super) fn parse<T: DeserializeOwned + Fixup>(
    file: &Path,
    id: &str,
    text: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<RawDoc<T>> {
    if is_blank_yaml(text) {
        problems.push(
            Diagnostic::error(Span::file_start(file), "the file is empty")
                .with_hint(required_fields_hint(file)),
        );
        return None;
    }
    match serde_saphyr::from_str_with_options::<T>(text, yaml_options()) {
        Ok(mut value) => {
            if let Some(problem) = escaped_control_character(file, text) {
                problems.push(problem);
                return None;
            }
            value.fixup(text);
            Some(RawDoc {
                file: file.to_path_buf(),
                id: id.to_owned(),
                value,
            })
        }
        Err(error) => {
            problems.push(yaml_problem(file, &error));
            None
        }
    }
}

pub(super) fn required_fields_hint(file: &Path) -> String {
    let folder = file
        .components()
        .nth(1)
        .and_then(|c| c.as_os_str().to_str())
        .unwrap_or("");
    match folder {
        "products" => "a product needs `name` and `versions`".into(),
        "components" => "a component needs `name`".into(),
        "scenarios" => "a scenario needs `from`, `to` and `direct`".into(),
        _ => "write some YAML or delete the file".into(),
    }
}

/// Turns a serde-saphyr error into a diagnostic with words for writers.
/// Its kinds are matched as types (serde-saphyr's own variants, and the
/// parser's [`ScanErrorKind`] under them); only the wording of a few
/// serde messages is read as text, in [`serde_words`].
pub(super) fn yaml_problem(file: &Path, error: &serde_saphyr::Error) -> Diagnostic {
    use serde_saphyr::Error;
    // The error itself, without the snippet or the alias it was met through.
    let mut inner = error;
    while let Error::WithSnippet { error, .. } | Error::AliasError { error, .. } = inner {
        inner = error;
    }
    match error.location().filter(|l| l.line() > 0) {
        Some(at) => typed_problem(
            Span::new(file, at.line() as usize, at.column() as usize),
            inner,
        ),
        // No place to point at (the input as a whole): the file alone, with
        // no made-up line.
        None => {
            let mut problem = typed_problem(Span::file_start(file), inner);
            problem.span = None;
            problem.path = Some(file.into());
            problem
        }
    }
}

/// [`yaml_problem`] for the error `error`, met at `span`.
fn typed_problem(span: Span, error: &serde_saphyr::Error) -> Diagnostic {
    use serde_saphyr::Error;
    if let Error::ExternalMessage { source, .. } = error
        && let serde_saphyr::ExternalMessageSource::Parser(scan) = &**source
        && let Some(problem) = scan_problem(&span, scan.kind())
    {
        return problem;
    }
    match error {
        Error::MultipleDocuments { .. } => {
            Diagnostic::error(span, "a second YAML document starts here; a file holds one")
                .with_hint("remove the `---` line and what follows, or move it to a file of its own")
        }
        Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. }
        | Error::AliasReplayCounterOverflow { .. } => Diagnostic::error(
            span,
            format!(
                "YAML aliases repeat too much: an anchor may be repeated at most {MAX_ALIAS_EXPANSIONS} times, and aliases may repeat {MAX_REPLAYED_EVENTS} values in all"
            ),
        )
        .with_hint("write the values out instead of repeating them with `&anchor` and `*alias`"),
        Error::Budget { breach, .. } => budget_problem(span, breach),
        Error::SerdeInvalidType { unexpected, expected, .. } => {
            invalid_type(span, unexpected, expected)
        }
        Error::SerdeUnknownField { field, expected, .. } => unknown_field(span, field, expected),
        Error::SerdeMissingField { field, .. } => missing_field(span, field),
        Error::SerdeUnknownVariant { variant, expected, .. } => {
            Diagnostic::error(span, format!("unknown value `{variant}`"))
                .with_hint(format!("write one of {}", expected.join(", ")))
        }
        Error::DuplicateMappingKey { key, .. } => {
            let key = key.as_deref().unwrap_or_default();
            Diagnostic::error(span, format!("duplicate key `{key}`"))
                .with_hint("each key may appear once in a mapping; remove or merge one of them")
        }
        Error::NullIntoString { .. } | Error::InvalidCharNull { .. } => {
            Diagnostic::error(span, "a value is required here").with_hint(
                "write the value after the `:`, or leave the field out where it is optional",
            )
        }
        // The deserializer names the event it wanted by a fixed word.
        Error::Unexpected { expected, .. } if expected.starts_with("mapping") => {
            Diagnostic::error(span, "expected a mapping of `key: value` pairs here")
                .with_hint("write `key: value` lines, indented below the field, or `{ key: value }`")
        }
        Error::Unexpected { expected: "string scalar", .. } => {
            Diagnostic::error(span, "expected text here, found a YAML list or mapping")
                .with_hint("a value that starts with `[` or `{` is read as a list or a mapping; to start text with a Markdown link, quote the whole value (`summary: \"[the guide](@a) says so\"`) or write it as a block after `|`")
        }
        _ => Diagnostic::error(span, serde_words(&message_of(error)))
            .with_hint("see \"A few words about YAML\" in docs/content-format.md"),
    }
}

/// The YAML scanner's errors that a writer makes by hand, in their words.
fn scan_problem(span: &Span, kind: &ScanErrorKind) -> Option<Diagnostic> {
    let (message, hint) = match kind {
        ScanErrorKind::TabNotAllowed
        | ScanErrorKind::TabInBlockIndentation
        | ScanErrorKind::TabInIndentation => {
            ("tab used for indentation", "YAML indents with spaces only")
        }
        ScanErrorKind::UnclosedQuotedScalar => {
            ("quoted text is never closed", "add the closing quote")
        }
        _ => return None,
    };
    Some(Diagnostic::error(span.clone(), message).with_hint(hint))
}

use serde_saphyr::granit_parser::ErrorKind as ScanErrorKind;

/// serde-saphyr's message for `error`, without the " at line N, column M"
/// its `Display` adds (the diagnostic's span says where).
fn message_of(error: &serde_saphyr::Error) -> String {
    use serde_saphyr::MessageFormatter;
    serde_saphyr::DefaultMessageFormatter
        .format_message(error)
        .into_owned()
}

/// `expected X here, found Y`, for a value of the wrong kind.
fn invalid_type(span: Span, found: &str, expected: &str) -> Diagnostic {
    let expected = serde_words(expected);
    // Our own types go by their Rust names ("struct RawVersion").
    let expected = if expected.starts_with("struct ") || expected.starts_with("enum ") {
        "a mapping of `key: value` pairs"
    } else {
        &expected
    };
    Diagnostic::error(span, format!("expected {expected} here, found {found}"))
        .with_hint("see what the field takes in docs/content-format.md (YAML tags such as `!!binary` are not needed)")
}

fn unknown_field(span: Span, field: &str, expected: &[&str]) -> Diagnostic {
    let mut hint = suggest(field, "known fields", expected);
    // `{ title: Ceph, chapter 4, url: … }`: the comma ended the title,
    // and "chapter 4" became a key of its own.
    if field.contains(' ') {
        hint = format!(
            "a comma inside `{{ … }}` ends a value: if `{field}` belongs to the value before it, quote that value (`title: \"Ceph, {field}\"`); {hint}"
        );
    }
    Diagnostic::error(span, format!("unknown field `{field}`")).with_hint(hint)
}

fn missing_field(span: Span, field: &str) -> Diagnostic {
    let hint = match field {
        "direct" => "add `direct: supported` or `direct: unsupported`",
        "versions" => "list the versions, oldest first: `versions: [{ id: \"1.0\" }]`",
        _ => "add it",
    };
    Diagnostic::error(span, format!("missing required field `{field}`")).with_hint(hint)
}

/// The one piece of serde-saphyr's English read as text: what its
/// `Spanned` wrapper says it expects, "a span-aware newtype wrapper",
/// where the field's own kind would be meant (a `!!binary` list, a number
/// for a list). The wrapper's `expecting` is its only account of itself:
/// no type or variant carries it. `the_wrapper_still_calls_itself_so`
/// (load/tests.rs) fails if a release words it otherwise.
pub(super) fn serde_words(message: &str) -> String {
    message.replace(SPANNED_WORDS, "a value of another kind")
}

/// What serde-saphyr's `Spanned` says it expects (see [`serde_words`]).
pub(super) const SPANNED_WORDS: &str = "a span-aware newtype wrapper";

/// serde-saphyr's limits on one file (its defaults, but for aliases),
/// as errors that say which and what to do.
pub(super) fn budget_problem(
    span: Span,
    breach: &serde_saphyr::budget::BudgetBreach,
) -> Diagnostic {
    use serde_saphyr::budget::BudgetBreach;
    let split = "split the file: no knowledge base file needs to come near this";
    let (message, hint) = match breach {
        BudgetBreach::Aliases { .. } | BudgetBreach::Anchors { .. } => (
            "too many YAML anchors or aliases (the limit is 50,000 of each)".to_owned(),
            "write the values out instead of repeating them with `&anchor` and `*alias`",
        ),
        BudgetBreach::Depth { .. } => (
            "YAML nested too deep (the limit is 64 levels)".to_owned(),
            "a knowledge base file nests a few levels: look for unclosed `[` or `{`",
        ),
        BudgetBreach::Nodes { .. } => (
            "too many YAML values in one file (the limit is 250,000)".to_owned(),
            split,
        ),
        BudgetBreach::Events { .. } => (
            "too much YAML structure in one file (the limit is 1,000,000 parser events)".to_owned(),
            split,
        ),
        BudgetBreach::Documents { .. } => (
            "too many YAML documents (a file holds one)".to_owned(),
            "remove the `---` lines",
        ),
        other => (
            format!(
                "the file is beyond what is read: {}",
                format!("{other:?}").to_lowercase()
            ),
            split,
        ),
    };
    Diagnostic::error(span, message).with_hint(hint)
}
