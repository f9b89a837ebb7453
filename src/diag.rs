//! Diagnostics: the one problem type that every stage returns.
//!
//! A diagnostic names a file (relative to the knowledge base root), a line and
//! a column (1-based, in characters), a message and, where one helps, a hint.
//! Stages collect every problem they find and hand back the whole list.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Error,
    Warning,
}

/// A place in a source file, 1-based.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl Span {
    pub fn new(file: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Span {
            file: file.into(),
            line: line.max(1),
            column: column.max(1),
        }
    }

    /// The start of a file, for problems that concern the file as a whole.
    pub fn file_start(file: impl Into<PathBuf>) -> Self {
        Span::new(file, 1, 1)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub level: Level,
    pub span: Span,
    pub message: String,
    pub hint: Option<String>,
    /// Other places that take part in the same problem (the other side of
    /// a contradiction), each shown with its own source line.
    pub notes: Vec<(Span, String)>,
}

impl Diagnostic {
    pub fn error(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Error,
            span,
            message: message.into(),
            hint: None,
            notes: Vec::new(),
        }
    }

    pub fn warning(span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Warning,
            ..Diagnostic::error(span, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds another place that takes part in the problem.
    pub fn with_note(mut self, span: Span, note: impl Into<String>) -> Self {
        self.notes.push((span, note.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    /// The diagnostic followed by the offending source line and a caret,
    /// then each note with its own line.
    pub fn render(&self, sources: &Sources) -> String {
        let mut out = self.to_string();
        out.push_str(&excerpt(&self.span, sources));
        for (span, note) in &self.notes {
            out.push_str(&format!(
                "\n{}:{}:{}: note: {note}",
                span.file.display(),
                span.line,
                span.column
            ));
            out.push_str(&excerpt(span, sources));
        }
        out
    }
}

/// The source line at `span` with a caret under its column, or nothing
/// when the file's text is not known.
fn excerpt(span: &Span, sources: &Sources) -> String {
    let Some(text) = sources.line(&span.file, span.line) else {
        return String::new();
    };
    let number = span.line.to_string();
    let pad = " ".repeat(number.len());
    let shown: String = text.chars().take(160).collect();
    let caret_at = span.column.saturating_sub(1).min(shown.chars().count());
    let lead: String = shown
        .chars()
        .take(caret_at)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    format!("\n {pad} |\n {number} | {shown}\n {pad} | {lead}^")
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {level}: {}",
            self.span.file.display(),
            self.span.line,
            self.span.column,
            self.message
        )?;
        // The hint stays on the same line so that one line says everything.
        if let Some(hint) = &self.hint {
            write!(f, "; {hint}")?;
        }
        for (span, _) in &self.notes {
            write!(
                f,
                "; see also {}:{}:{}",
                span.file.display(),
                span.line,
                span.column
            )?;
        }
        Ok(())
    }
}

/// The text of every file read, so that diagnostics can show the offending line.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    // Hashed, not ordered: ordering paths compares them component by
    // component, which cost more than parsing on large knowledge bases.
    texts: HashMap<PathBuf, std::sync::Arc<str>>,
}

impl Sources {
    pub fn insert(&mut self, file: PathBuf, text: impl Into<std::sync::Arc<str>>) {
        self.texts.insert(file, text.into());
    }

    pub fn text(&self, file: &Path) -> Option<&str> {
        self.texts.get(file).map(|text| &**text)
    }

    fn line(&self, file: &Path, line: usize) -> Option<&str> {
        let text = self.text(file)?;
        text.lines()
            .nth(line.checked_sub(1)?)
            .map(|l| l.trim_end_matches('\r').trim_start_matches('\u{feff}'))
    }
}

/// Sorts diagnostics by file, then position, and drops exact repeats, so that
/// output is stable whatever order the stages found them in.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (&a.span, a.level, &a.message, &a.hint).cmp(&(&b.span, b.level, &b.message, &b.hint))
    });
    diagnostics.dedup();
}

pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// "did you mean" for a misspelt name, by edit distance.
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (wrong.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(wrong, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Edit distance counting a swap of two neighbours as one edit ("nmae").
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    rows[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_puts_location_message_and_hint_on_one_line() {
        let d = Diagnostic::error(Span::new("content/a.yaml", 3, 7), "no version 9.9")
            .with_hint("known versions: 1.0, 2.0");
        assert_eq!(
            d.to_string(),
            "content/a.yaml:3:7: error: no version 9.9; known versions: 1.0, 2.0"
        );
    }

    #[test]
    fn render_points_at_the_column() {
        let mut sources = Sources::default();
        sources.insert("a.yaml".into(), "name: A\nto: zzz\n");
        let d = Diagnostic::error(Span::new("a.yaml", 2, 5), "unknown product");
        let shown = d.render(&sources);
        assert!(shown.ends_with(" 2 | to: zzz\n   |     ^"), "{shown}");
    }

    #[test]
    fn closest_suggests_near_names_only() {
        let fields = ["name", "summary", "versions"];
        assert_eq!(closest("sumary", fields), Some("summary"));
        assert_eq!(closest("nmae", fields), Some("name"));
        assert_eq!(closest("colour", fields), None);
    }
}
