//! Diagnostics: the one problem type that every stage returns.
//!
//! A diagnostic is data: its level, where it is (a line and column in a
//! file, or only a file or folder, or nowhere on disk for a command's
//! argument), a message, a hint, and notes that point at the other places
//! of the same problem. It is turned into text in one place,
//! [`Diagnostic::render_with`], which names each piece's [`Style`] so that
//! a terminal colours it from the data, never by reading the text back.
//! Stages collect every problem they find and hand back the whole list.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: an error stops the build, a warning does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Error,
    Warning,
}

impl Level {
    /// The word a rendered diagnostic shows.
    pub fn word(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }
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

    /// The place just after `before`, the start of a file's text: its line
    /// and its column in characters (a decoding error's valid part, or the
    /// text before something found in it).
    pub fn at_offset(file: impl Into<PathBuf>, before: &[u8]) -> Self {
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..])
            .chars()
            .count()
            + 1;
        Span::new(file, line, column)
    }

    /// The start of a file, for problems that concern a file's text as a
    /// whole (it is empty, it names a bad id). A folder has no text: it
    /// takes [`Diagnostic::error_at_path`] instead.
    pub fn file_start(file: impl Into<PathBuf>) -> Self {
        Span::new(file, 1, 1)
    }

    /// `file:line:column`.
    fn place(&self) -> String {
        format!(
            "{}:{}:{}",
            printable(&self.file.display().to_string()),
            self.line,
            self.column
        )
    }
}

/// Another place that takes part in a problem (the other side of a
/// contradiction, the first of two claims), shown with its own line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub level: Level,
    /// The line and column the problem is at; `None` when it has none to
    /// point at: a folder (the output), the site as a whole, or a
    /// command's argument.
    pub span: Option<Span>,
    /// What a problem without a span is about, named without a line (the
    /// output folder, `content`); `None` alongside a span, which names
    /// its own file, and for a problem with nothing on disk.
    // Boxed, as the hint and the notes are: a diagnostic is the error of
    // many `Result`s, and clippy holds an error to under 128 bytes.
    pub path: Option<Box<Path>>,
    pub message: String,
    pub hint: Option<Box<str>>,
    pub notes: Box<[Note]>,
}

/// What each piece of a rendered diagnostic is, so that a terminal can
/// colour it (see `terminal::paint`) without reading the text back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// The level word: `error`, `warning`.
    Level(Level),
    /// The word `note`.
    Note,
    /// The line numbers and bars of an excerpt.
    Gutter,
    /// The caret under the column.
    Caret,
}

impl Diagnostic {
    fn new(level: Level, span: Option<Span>, path: Option<PathBuf>, message: String) -> Self {
        Diagnostic {
            level,
            span,
            path: path.map(PathBuf::into_boxed_path),
            message,
            hint: None,
            notes: Box::default(),
        }
    }

    pub fn error(span: Span, message: impl Into<String>) -> Self {
        Diagnostic::new(Level::Error, Some(span), None, message.into())
    }

    pub fn warning(span: Span, message: impl Into<String>) -> Self {
        Diagnostic::new(Level::Warning, Some(span), None, message.into())
    }

    /// An error about a folder or the site as a whole: printed as
    /// `PATH: error: …`, never with a made-up `:1:1`, and with no excerpt.
    pub fn error_at_path(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic::new(Level::Error, None, Some(path.into()), message.into())
    }

    /// [`Diagnostic::error_at_path`] as a warning (a site-wide one, such
    /// as a search file grown too large).
    pub fn warning_at_path(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic::new(Level::Warning, None, Some(path.into()), message.into())
    }

    /// An error with no place on disk (a command's argument): printed as
    /// `error: …`.
    pub fn error_nowhere(message: impl Into<String>) -> Self {
        Diagnostic::new(Level::Error, None, None, message.into())
    }

    /// The problem placed at `span`: a selector's problem, found with no
    /// place, where the file wrote the selector.
    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self.path = None;
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into().into_boxed_str());
        self
    }

    /// Adds another place that takes part in the problem.
    pub fn with_note(mut self, span: Span, message: impl Into<String>) -> Self {
        let mut notes = std::mem::take(&mut self.notes).into_vec();
        notes.push(Note {
            span,
            message: message.into(),
        });
        self.notes = notes.into_boxed_slice();
        self
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    /// The file or folder the problem is in, if any.
    pub fn file(&self) -> Option<&Path> {
        match &self.span {
            Some(span) => Some(&span.file),
            None => self.path.as_deref(),
        }
    }

    /// File, then line and column (a problem with no line first), then
    /// the words: the order diagnostics are shown in.
    #[allow(clippy::type_complexity)]
    fn sort_key(
        &self,
    ) -> (
        Option<&Path>,
        Option<(usize, usize)>,
        Level,
        &str,
        Option<&str>,
    ) {
        (
            self.file(),
            self.span.as_ref().map(|s| (s.line, s.column)),
            self.level,
            &self.message,
            self.hint.as_deref(),
        )
    }

    /// [`Diagnostic::render_with`] as plain text.
    pub fn render(&self, sources: &Sources) -> String {
        self.render_with(sources, &|_, text| text.to_owned())
    }

    /// The one way a diagnostic becomes text: its line (place, level,
    /// message, hint), the offending source line with a caret, then each
    /// note with its own line. `paint` gets every piece that has a
    /// [`Style`] and returns it as shown (coloured, or as it is).
    pub fn render_with(&self, sources: &Sources, paint: &dyn Fn(Style, &str) -> String) -> String {
        let mut out = self.headline(paint);
        if let Some(span) = &self.span {
            out.push_str(&excerpt(span, sources, paint));
        }
        for note in &self.notes {
            out.push_str(&format!(
                "\n{}: {}: {}",
                note.span.place(),
                paint(Style::Note, "note"),
                printable(&note.message)
            ));
            out.push_str(&excerpt(&note.span, sources, paint));
        }
        out
    }

    /// `place: level: message; hint; see also …`, on one line so that one
    /// line says everything (and `grep` finds it). Names and values from
    /// the knowledge base are escaped: whatever they hold, it stays one
    /// line of plain text.
    fn headline(&self, paint: &dyn Fn(Style, &str) -> String) -> String {
        let place = match (&self.span, &self.path) {
            (Some(span), _) => format!("{}: ", span.place()),
            (None, Some(path)) => format!("{}: ", printable(&path.display().to_string())),
            (None, None) => String::new(),
        };
        let mut line = format!(
            "{place}{}: {}",
            paint(Style::Level(self.level), self.level.word()),
            printable(&self.message)
        );
        if let Some(hint) = &self.hint {
            line.push_str(&format!("; {}", printable(hint)));
        }
        for note in &self.notes {
            line.push_str(&format!("; see also {}", note.span.place()));
        }
        line
    }
}

/// How many characters of a source line an excerpt shows. A longer line
/// (a minified template, a long Markdown paragraph) is cut to a window
/// around the column, so that the caret still stands under it.
const EXCERPT_WIDTH: usize = 120;

/// The source line at `span` with a caret under its column, or nothing
/// when the file's text is not known.
fn excerpt(span: &Span, sources: &Sources, paint: &dyn Fn(Style, &str) -> String) -> String {
    let Some(text) = sources.line(&span.file, span.line) else {
        return String::new();
    };
    let number = span.line.to_string();
    let pad = " ".repeat(number.len());
    let chars: Vec<char> = text.chars().collect();
    let column = span.column.saturating_sub(1).min(chars.len());
    let (start, end) = excerpt_window(chars.len(), column);
    // The line as the terminal shows it, escapes and all, with the caret
    // under the character it points at; `…` marks where it was cut.
    let mut line = String::new();
    let mut lead = String::new();
    if start > 0 {
        line.push('…');
        lead.push(' ');
    }
    for (at, &c) in chars[start..end].iter().enumerate() {
        let before = line.len();
        match c {
            '\t' => line.push('\t'),
            c => push_printable(&mut line, c),
        }
        if start + at < column {
            match c {
                '\t' => lead.push('\t'),
                _ => lead.extend(std::iter::repeat_n(' ', line[before..].chars().count())),
            }
        }
    }
    if end < chars.len() {
        line.push('…');
    }
    let (bar, numbered) = (
        paint(Style::Gutter, &format!(" {pad} |")),
        paint(Style::Gutter, &format!(" {number} |")),
    );
    format!(
        "\n{bar}\n{numbered} {line}\n{bar} {lead}{}",
        paint(Style::Caret, "^")
    )
}

/// The characters `start..end` of a line of `length` characters that an
/// excerpt shows: all of a short line; of a long one, [`EXCERPT_WIDTH`]
/// characters with `column` (0-based) in the middle where the line allows.
fn excerpt_window(length: usize, column: usize) -> (usize, usize) {
    if length <= EXCERPT_WIDTH {
        return (0, length);
    }
    let start = column
        .saturating_sub(EXCERPT_WIDTH / 2)
        .min(length - EXCERPT_WIDTH);
    (start, start + EXCERPT_WIDTH)
}

/// Whether a character may reach a terminal as it is. Control characters
/// (C0, DEL, C1) move the cursor, clear the screen or retitle the window;
/// the bidirectional overrides and isolates reorder what the reader sees.
pub fn is_printable(c: char) -> bool {
    !(c.is_control() || is_bidi_control(c))
}

/// Whether `c` overrides or embeds a direction of text (U+202A–U+202E) or
/// isolates one (U+2066–U+2069).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn push_printable(out: &mut String, c: char) {
    if is_printable(c) {
        out.push(c);
    } else {
        out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
    }
}

/// Text for a terminal, on one line: every character that is not
/// [printable](is_printable), line breaks included, written as `\u{1b}`.
/// Whatever a knowledge base holds, printing it cannot drive the reader's
/// terminal.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    escape_unless(text, |_| false)
}

/// [`printable`], keeping line feeds: for answers that span several lines.
pub fn printable_lines(text: &str) -> std::borrow::Cow<'_, str> {
    escape_unless(text, |c| c == '\n')
}

fn escape_unless(text: &str, keep: impl Fn(char) -> bool) -> std::borrow::Cow<'_, str> {
    if text.chars().all(|c| is_printable(c) || keep(c)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if keep(c) {
            out.push(c);
        } else {
            push_printable(&mut out, c);
        }
    }
    std::borrow::Cow::Owned(out)
}

impl fmt::Display for Diagnostic {
    /// The diagnostic's one line, without its excerpts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline(&|_, text| text.to_owned()))
    }
}

/// A diagnostic is the error of commands and queries too (a selector
/// on the command line), which callers may pass on with `?`.
impl std::error::Error for Diagnostic {}

/// Where diagnostics find the text of a file, to show the offending line.
/// Only the texts of files that had a problem while loading are kept (and
/// every text given in memory): the rest are read again from `root` when
/// a later stage reports on them. Keeping every text took 346 MB at
/// 100,000 scenarios.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    // Hashed, not ordered: ordering paths compares them component by
    // component, which cost more than parsing on large knowledge bases.
    texts: HashMap<PathBuf, std::sync::Arc<str>>,
    /// The folder the files' paths are relative to, to read them again.
    root: Option<PathBuf>,
}

impl Sources {
    /// Sources that read the texts they were not given from `root`.
    pub fn reading_from(root: &Path) -> Sources {
        Sources {
            texts: HashMap::new(),
            root: Some(root.to_path_buf()),
        }
    }

    pub fn insert(&mut self, file: PathBuf, text: impl Into<std::sync::Arc<str>>) {
        self.texts.insert(file, text.into());
    }

    /// The text of `file`: the one kept, or the file read again.
    pub fn text(&self, file: &Path) -> Option<std::sync::Arc<str>> {
        if let Some(text) = self.texts.get(file) {
            return Some(std::sync::Arc::clone(text));
        }
        read_inside(self.root.as_ref()?, file).map(Into::into)
    }

    fn line(&self, file: &Path, line: usize) -> Option<String> {
        let text = self.text(file)?;
        text.lines().nth(line.checked_sub(1)?).map(|l| {
            l.trim_end_matches('\r')
                .trim_start_matches('\u{feff}')
                .to_owned()
        })
    }
}

/// The text of `file` (relative to `root`), read again for an excerpt only
/// when it is a regular file inside the knowledge base, reached however
/// its links lead. An error is often *about* a link that leads out (to
/// `~/.git-credentials`, `/proc/self/environ`, `/dev/zero`): what it
/// points at is never read, let alone printed.
fn read_inside(root: &Path, file: &Path) -> Option<String> {
    let path = root.join(file);
    let real = path.canonicalize().ok()?;
    if !real.starts_with(root.canonicalize().ok()?) {
        return None;
    }
    let opened = crate::safe_fs::open_regular(&real, crate::safe_fs::Links::Refuse).ok()?;
    // Anything larger than a content file may be was refused by the load.
    match crate::safe_fs::read_bounded(opened, crate::safe_fs::MAX_FILE_BYTES).ok()? {
        crate::safe_fs::Bounded::Bytes(bytes) => String::from_utf8(bytes).ok(),
        crate::safe_fs::Bounded::TooLarge(_) => None,
    }
}

/// Sorts diagnostics by file, then position, and drops exact repeats, so that
/// output is stable whatever order the stages found them in.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}

pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// How many names a hint lists before it says "and N more".
pub const HINT_NAMES: usize = 10;

/// Above this many candidates a hint suggests no near name: comparing a
/// misspelling with every one of them would cost more than it helps.
pub const MAX_SUGGESTION_CANDIDATES: usize = 1_000;

/// The hint for a name that names nothing: "did you mean `x`? known
/// products: a, b, c and 17 more", where `what` says what the list holds.
/// It lists at most [`HINT_NAMES`] names, so that a misspelling in a
/// knowledge base of thousands of versions gets a short hint.
pub fn suggest(wrong: &str, what: &str, known: &[&str]) -> String {
    let listed = list_some(known);
    match closest(wrong, known.iter().copied()) {
        Some(near) => format!("did you mean `{near}`? {what}: {listed}"),
        None => format!("{what}: {listed}"),
    }
}

/// "a, b, c" or, past [`HINT_NAMES`] names, "a, b, … j and 17 more".
pub fn list_some(names: &[&str]) -> String {
    if names.len() <= HINT_NAMES {
        return names.join(", ");
    }
    let rest = names.len() - HINT_NAMES;
    format!("{} and {rest} more", names[..HINT_NAMES].join(", "))
}

/// "did you mean" for a misspelt name, by edit distance; `None` as well
/// when there are more than [`MAX_SUGGESTION_CANDIDATES`] candidates.
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let candidates: Vec<&str> = candidates
        .into_iter()
        .take(MAX_SUGGESTION_CANDIDATES + 1)
        .collect();
    if candidates.len() > MAX_SUGGESTION_CANDIDATES {
        return None;
    }
    let length = wrong.chars().count();
    let limit = (length / 3).max(1);
    candidates
        .into_iter()
        // The distance is at least the difference in length: skip the far ones.
        .filter(|c| c.chars().count().abs_diff(length) <= limit)
        // Optimal string alignment: a swap of two neighbours ("nmae") is one edit.
        .map(|c| (strsim::osa_distance(wrong, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
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
    fn a_problem_without_a_line_names_its_path_or_nothing() {
        let mut sources = Sources::default();
        sources.insert("public".into(), "not a file, but a folder\n");
        let folder = Diagnostic::error_at_path("public", "not ours").with_hint("pick another");
        assert_eq!(folder.span, None);
        // No made-up `:1:1`, and no excerpt even when a text is known.
        assert_eq!(
            folder.render(&sources),
            "public: error: not ours; pick another"
        );
        let nowhere = Diagnostic::error_nowhere("`x y` is not a product id").with_hint("use `-`");
        assert_eq!(
            nowhere.render(&sources),
            "error: `x y` is not a product id; use `-`"
        );
        assert_eq!(nowhere.file(), None);
        // Sorted with its folder, before the lines of the files inside it.
        let mut all = vec![
            Diagnostic::error(Span::new("public", 2, 1), "b"),
            folder.clone(),
            nowhere.clone(),
        ];
        sort(&mut all);
        assert_eq!(all[0], nowhere);
        assert_eq!(all[1], folder);
    }

    #[test]
    fn notes_are_parts_with_their_own_place() {
        let mut sources = Sources::default();
        sources.insert("a.yaml".into(), "direct: unsupported\n");
        sources.insert("b.yaml".into(), "direct: supported\n");
        let d = Diagnostic::error(Span::new("a.yaml", 1, 9), "contradiction")
            .with_note(Span::new("b.yaml", 1, 9), "the other side");
        assert_eq!(d.notes[0].span, Span::new("b.yaml", 1, 9));
        assert_eq!(
            d.render(&sources),
            "a.yaml:1:9: error: contradiction; see also b.yaml:1:9\n   |\n 1 | direct: unsupported\n   |         ^\n\
             b.yaml:1:9: note: the other side\n   |\n 1 | direct: supported\n   |         ^"
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
    fn a_long_line_is_cut_around_the_column() {
        let mut sources = Sources::default();
        let long = format!("{}X{}", "a".repeat(363), "b".repeat(300));
        sources.insert("t.html".into(), format!("short\n{long}\n"));
        let shown = Diagnostic::error(Span::new("t.html", 2, 364), "here").render(&sources);
        let lines: Vec<&str> = shown.lines().collect();
        let (source, caret) = (lines[lines.len() - 2], lines[lines.len() - 1]);
        let under = caret.chars().position(|c| c == '^').unwrap();
        assert_eq!(source.chars().nth(under), Some('X'), "{shown}");
        assert!(
            source.starts_with(" 2 | …a") && source.ends_with("b…"),
            "{shown}"
        );
        assert!(source.chars().count() < EXCERPT_WIDTH + 10, "{shown}");
        // Near either end, the window keeps its width and shows that end.
        assert_eq!(excerpt_window(500, 3), (0, EXCERPT_WIDTH));
        assert_eq!(excerpt_window(500, 499), (500 - EXCERPT_WIDTH, 500));
        assert_eq!(excerpt_window(80, 79), (0, 80));
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let mut sources = Sources::default();
        sources.insert("a.yaml".into(), "from: \"\u{1b}]0;PWNED\u{7}\" x\n");
        let d = Diagnostic::error(
            Span::new("a\u{1b}[2J.yaml", 1, 20),
            "unknown product `\u{1b}]0;PWNED\u{7}\u{1b}[2J`\nsecond line",
        )
        .with_hint("known: \u{9b}31m, \u{202e}abc");
        let shown = d.to_string();
        assert_eq!(
            shown,
            "a\\u{1b}[2J.yaml:1:20: error: unknown product `\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J`\\u{a}second line; known: \\u{9b}31m, \\u{202e}abc"
        );
        sources.insert(
            "a\u{1b}[2J.yaml".into(),
            "from: \"\u{1b}]0;PWNED\u{7}\" x\n",
        );
        let rendered = d.render(&sources);
        assert!(
            !rendered.chars().any(|c| c.is_control() && c != '\n'),
            "{rendered}"
        );
        // The caret still points at the `x`, after the escapes.
        let line = "from: \"\\u{1b}]0;PWNED\\u{7}\" x";
        let caret = format!("{}^", " ".repeat(line.len() - 1));
        assert!(
            rendered.ends_with(&format!(" 1 | {line}\n   | {caret}")),
            "{rendered}"
        );
        assert_eq!(printable_lines("a\nb\u{7}"), "a\nb\\u{7}");
        assert!(matches!(printable("plain"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn hints_list_a_few_names_and_count_the_rest() {
        let many: Vec<String> = (0..25).map(|i| format!("v{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(
            suggest("v7x", "known versions", &many),
            "did you mean `v7`? known versions: v0, v1, v2, v3, v4, v5, v6, v7, v8, v9 and 15 more"
        );
        assert_eq!(suggest("zzz", "known", &["a", "b"]), "known: a, b");
        let huge: Vec<String> = (0..=MAX_SUGGESTION_CANDIDATES)
            .map(|i| format!("n{i}"))
            .collect();
        assert_eq!(closest("n1x", huge.iter().map(String::as_str)), None);
    }

    #[test]
    fn closest_suggests_near_names_only() {
        let fields = ["name", "summary", "versions"];
        assert_eq!(closest("sumary", fields), Some("summary"));
        assert_eq!(closest("nmae", fields), Some("name"));
        assert_eq!(closest("colour", fields), None);
    }
}
