//! Terminal manners shared by every command: whether to colour, how loud
//! to be, the colours of a diagnostic, and the progress line of a long build.
//!
//! None of this changes what a command decides or writes; it only changes
//! what a person sees on stderr.

use std::io::{IsTerminal, Write};

use crate::diag::{Diagnostic, Level, Sources, Style};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// `--color`: `auto` colours only a terminal, and never when `NO_COLOR` is set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ColourChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// Whether to colour stderr. `NO_COLOR` counts when set to anything but the
/// empty string (<https://no-color.org>); `TERM=dumb` cannot show colours.
/// An explicit `--color always` wins over both, as the person asked for it.
pub fn colour_wanted(
    choice: ColourChoice,
    stderr_is_terminal: bool,
    no_color: Option<&str>,
    term: Option<&str>,
) -> bool {
    match choice {
        ColourChoice::Always => true,
        ColourChoice::Never => false,
        ColourChoice::Auto => {
            stderr_is_terminal && no_color.is_none_or(str::is_empty) && term != Some("dumb")
        }
    }
}

/// [`colour_wanted`] for this process's stderr and environment.
pub fn colour_for_stderr(choice: ColourChoice) -> bool {
    let no_color = std::env::var("NO_COLOR").ok();
    let term = std::env::var("TERM").ok();
    colour_wanted(
        choice,
        std::io::stderr().is_terminal(),
        no_color.as_deref(),
        term.as_deref(),
    )
}

/// How much a command says besides its answer and its problems.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// `--quiet`: problems and warnings only; no summary, no progress.
    Quiet,
    #[default]
    Normal,
    /// `--verbose`: also what each stage did and how long it took.
    Verbose,
}

const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const CYAN: &str = "\x1b[1;36m";
const BLUE: &str = "\x1b[1;34m";
const GREEN: &str = "\x1b[1;32m";
const RESET: &str = "\x1b[0m";

/// A diagnostic as stderr shows it: with its excerpts, and coloured
/// when `colour` is set. The colours come from each piece's
/// [`Style`], which the one renderer names, never from the text: a
/// message that itself says ": error: " stays plain.
pub fn show(diagnostic: &Diagnostic, sources: &Sources, colour: bool) -> String {
    if colour {
        diagnostic.render_with(sources, &paint)
    } else {
        diagnostic.render(sources)
    }
}

/// One piece of a diagnostic in its colour.
pub fn paint(style: Style, text: &str) -> String {
    let colour = match style {
        Style::Level(Level::Error) | Style::Caret => RED,
        Style::Level(Level::Warning) => YELLOW,
        Style::Note => CYAN,
        Style::Gutter => BLUE,
    };
    format!("{colour}{text}{RESET}")
}

/// A summary word (`ok`, `built`) in green when colouring.
pub fn paint_success(word: &str, colour: bool) -> String {
    if colour {
        format!("{GREEN}{word}{RESET}")
    } else {
        word.to_owned()
    }
}

/// `error` in red when colouring, for messages that have no file to name.
pub fn error_label(colour: bool) -> String {
    if colour {
        paint(Style::Level(Level::Error), "error")
    } else {
        "error".to_owned()
    }
}

/// Builds draw no progress line before they have run this long: a short
/// build would only flicker.
pub const PROGRESS_AFTER: Duration = Duration::from_secs(1);
/// Nor redraw it more often than this.
pub const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// Whether the progress line is due: after [`PROGRESS_AFTER`], then at most
/// every [`PROGRESS_EVERY`], and always for the last file once it was shown.
pub fn progress_due(
    started: Instant,
    last_drawn: Option<Instant>,
    now: Instant,
    finished: bool,
) -> bool {
    if now.duration_since(started) < PROGRESS_AFTER {
        return false;
    }
    match last_drawn {
        None => true,
        Some(last) => finished || now.duration_since(last) >= PROGRESS_EVERY,
    }
}

/// The words of the progress line.
pub fn progress_text(done: usize, total: usize) -> String {
    let percent = (done * 100).checked_div(total).unwrap_or(100);
    format!("building: {done}/{total} pages ({percent}%)")
}

/// The one-line progress of a build on a terminal's stderr, drawn over
/// itself and wiped when the build ends, so that nothing of it stays in
/// the scrollback or reaches a pipe.
pub struct ProgressLine {
    started: Instant,
    last_drawn: Mutex<Option<Instant>>,
    enabled: bool,
}

impl ProgressLine {
    /// A progress line that draws only when `enabled` (stderr is a
    /// terminal, not `--quiet`).
    pub fn new(enabled: bool) -> Self {
        ProgressLine {
            started: Instant::now(),
            last_drawn: Mutex::new(None),
            enabled,
        }
    }

    pub fn update(&self, done: usize, total: usize) {
        if !self.enabled {
            return;
        }
        let mut last = crate::locked(&self.last_drawn);
        let now = Instant::now();
        if progress_due(self.started, *last, now, done >= total) {
            *last = Some(now);
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K{}", progress_text(done, total));
            let _ = err.flush();
        }
    }

    /// Wipes the line, if one was drawn.
    pub fn clear(&self) {
        let last = crate::locked(&self.last_drawn);
        if self.enabled && last.is_some() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
        }
    }
}

/// "1 scenario", "2 scenarios": a count and its noun, for a summary line.
pub fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;

    #[test]
    fn colours_only_a_terminal_without_no_color() {
        use ColourChoice::*;
        assert!(colour_wanted(Auto, true, None, Some("xterm")));
        assert!(!colour_wanted(Auto, false, None, Some("xterm")), "piped");
        assert!(!colour_wanted(Auto, true, Some("1"), None), "NO_COLOR=1");
        assert!(colour_wanted(Auto, true, Some(""), None), "empty NO_COLOR");
        assert!(!colour_wanted(Auto, true, None, Some("dumb")));
        assert!(colour_wanted(Always, false, Some("1"), None));
        assert!(!colour_wanted(Never, true, None, None));
    }

    #[test]
    fn paints_level_words_gutter_and_caret_from_the_data() {
        let mut sources = Sources::default();
        sources.insert("content/a.yaml".into(), "nmae: A\n");
        sources.insert("content/b.yaml".into(), "x: 1\n");
        // A message that itself says ": error: " is not painted: the
        // colours come from the data, not from the words.
        let diagnostic = Diagnostic::error(
            Span::new("content/a.yaml", 1, 1),
            "unknown field `nmae`: error: here",
        )
        .with_hint("did you mean `name`?")
        .with_note(Span::new("content/b.yaml", 1, 1), "the other side");
        let painted = show(&diagnostic, &sources, true);
        assert!(painted.starts_with(&format!(
            "content/a.yaml:1:1: {RED}error{RESET}: unknown field `nmae`: error: here"
        )));
        assert!(painted.contains(&format!("{BLUE} 1 |{RESET} nmae: A")));
        assert!(painted.contains(&format!("{BLUE}   |{RESET} {RED}^{RESET}")));
        assert!(painted.contains(&format!(
            "content/b.yaml:1:1: {CYAN}note{RESET}: the other side"
        )));
        // Without the escapes it is the plain text, which is what a pipe gets.
        let plain = painted
            .replace(RED, "")
            .replace(BLUE, "")
            .replace(CYAN, "")
            .replace(RESET, "");
        assert_eq!(plain, show(&diagnostic, &sources, false));
        let warning = Diagnostic::warning_at_path("content", "big");
        assert_eq!(
            show(&warning, &sources, true),
            format!("content: {YELLOW}warning{RESET}: big")
        );
    }

    #[test]
    fn progress_waits_a_second_then_throttles() {
        let start = Instant::now();
        let at = |ms| start + Duration::from_millis(ms);
        assert!(!progress_due(start, None, at(999), false));
        assert!(progress_due(start, None, at(1000), false));
        assert!(!progress_due(start, Some(at(1000)), at(1050), false));
        assert!(progress_due(start, Some(at(1000)), at(1050), true));
        assert!(progress_due(start, Some(at(1000)), at(1100), false));
        assert_eq!(progress_text(5, 20), "building: 5/20 pages (25%)");
        assert_eq!(progress_text(0, 0), "building: 0/0 pages (100%)");
    }
}
