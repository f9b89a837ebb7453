//! Checking the support dates a version, series or site states, each
//! problem at its place.

use std::path::Path;

use crate::diag::{Diagnostic, Span};
use crate::lifecycle::{
    Date, Disagreement, Lifecycle, PhaseLabels, SupportEnds, disagreement_text,
};
use crate::load::{RawPhaseLabels, RawSupportEnds, S};

/// A version's lifecycle fields, as read.
#[derive(Clone, Copy, Default)]
pub struct RawDates<'a> {
    pub released: Option<&'a S<String>>,
    pub support_ends: Option<&'a S<RawSupportEnds>>,
    pub extended_support_ends: Option<&'a S<String>>,
    pub lts: Option<&'a S<bool>>,
    pub latest: Option<&'a S<String>>,
    pub latest_released: Option<&'a S<String>>,
}

fn at<T>(file: &Path, value: &S<T>) -> Span {
    Span::new(
        file,
        value.referenced.line() as usize,
        value.referenced.column() as usize,
    )
}

/// Shortened for a message, so that a runaway value does not flood it.
fn shown(text: &str) -> String {
    if text.chars().count() <= 40 {
        return text.to_owned();
    }
    let start: String = text.chars().take(40).collect();
    format!("{start}…")
}

const DATE_HINT: &str = "write a day of the calendar as YYYY-MM-DD, e.g. 2024-02-29";

/// A date field: reported when it is not a day of the calendar.
pub fn checked_date(file: &Path, raw: &S<String>, problems: &mut Vec<Diagnostic>) -> Option<Date> {
    let date = Date::parse(&raw.value);
    if date.is_none() {
        problems.push(
            Diagnostic::error(
                at(file, raw),
                format!("`{}` is not a date", shown(&raw.value)),
            )
            .with_hint(DATE_HINT),
        );
    }
    date
}

/// The lifecycle a version states, each problem reported where it is.
/// `released` is checked as a date by the caller, with the other dates of
/// the file; here it only takes part in the comparisons.
pub fn checked(file: &Path, raw: RawDates, problems: &mut Vec<Diagnostic>) -> Lifecycle {
    let support_ends = raw.support_ends.and_then(|ends| match &ends.value {
        RawSupportEnds::Flag(false) => Some(SupportEnds::NotAnnounced),
        RawSupportEnds::Flag(true) => {
            problems.push(
                Diagnostic::error(at(file, ends), "`support_ends: true` says no date")
                    .with_hint("give the day mainstream support ends, as YYYY-MM-DD, or `false` while it is not announced"),
            );
            None
        }
        RawSupportEnds::Text(text) => {
            let text = S::new(text.clone(), ends.referenced);
            checked_date(file, &text, problems).map(SupportEnds::On)
        }
    });
    let lifecycle = Lifecycle {
        released: raw.released.and_then(|r| Date::parse(&r.value)),
        support_ends,
        extended_support_ends: raw
            .extended_support_ends
            .and_then(|d| checked_date(file, d, problems)),
        lts: raw.lts.is_some_and(|l| l.value),
        latest: raw.latest.map(|l| l.value.clone()),
        latest_released: raw
            .latest_released
            .and_then(|d| checked_date(file, d, problems)),
    };
    if let (Some(when), None) = (raw.latest_released, raw.latest) {
        problems.push(
            Diagnostic::error(at(file, when), "`latest_released` without `latest`")
                .with_hint("name the patch release too, e.g. `latest: \"8.0.40\"`"),
        );
    }
    for problem in lifecycle.disagreements() {
        let place = match problem {
            Disagreement::SupportEndsBeforeRelease { .. } => raw.support_ends.map(|r| at(file, r)),
            Disagreement::ExtendedBeforeMainstream { .. } | Disagreement::ExtendedWithoutEnd => {
                raw.extended_support_ends.map(|r| at(file, r))
            }
            Disagreement::LatestBeforeRelease { .. } => raw.latest_released.map(|r| at(file, r)),
        };
        let (message, hint) = disagreement_text(&problem);
        let place = place.unwrap_or_else(|| Span::file_start(file));
        problems.push(Diagnostic::error(place, message).with_hint(hint));
    }
    lifecycle
}

/// The phase labels of a site or product, over those it inherits.
pub fn checked_labels(
    file: &Path,
    raw: Option<&RawPhaseLabels>,
    inherited: &PhaseLabels,
    problems: &mut Vec<Diagnostic>,
) -> PhaseLabels {
    let mut labels = inherited.clone();
    let Some(raw) = raw else {
        return labels;
    };
    for (field, slot) in [
        (&raw.mainstream, &mut labels.mainstream),
        (&raw.extended, &mut labels.extended),
    ] {
        let Some(value) = field else { continue };
        let text = value.value.trim();
        if text.is_empty() || text.contains(['\n', '\r']) {
            problems.push(
                Diagnostic::error(at(file, value), "a phase label is one line of text").with_hint(
                    "e.g. `mainstream: Active support` and `extended: Security support`",
                ),
            );
        } else {
            *slot = text.to_owned();
        }
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap_or_else(|| panic!("{text} is a date"))
    }

    #[derive(Deserialize)]
    struct Fields {
        released: Option<S<String>>,
        support_ends: Option<S<RawSupportEnds>>,
        extended_support_ends: Option<S<String>>,
        lts: Option<S<bool>>,
        latest: Option<S<String>>,
        latest_released: Option<S<String>>,
    }

    /// Each line of `yaml` is a version; the problems as `line: message`.
    fn problems_of(yaml: &str) -> (Vec<Lifecycle>, Vec<String>) {
        let versions: Vec<Fields> = serde_saphyr::from_str(yaml).expect("YAML");
        let mut problems = Vec::new();
        let lifecycles = versions
            .iter()
            .map(|v| {
                let raw = RawDates {
                    released: v.released.as_ref(),
                    support_ends: v.support_ends.as_ref(),
                    extended_support_ends: v.extended_support_ends.as_ref(),
                    lts: v.lts.as_ref(),
                    latest: v.latest.as_ref(),
                    latest_released: v.latest_released.as_ref(),
                };
                checked(Path::new("p.yaml"), raw, &mut problems)
            })
            .collect();
        let lines = problems
            .iter()
            .map(|d| {
                let span = d.span.as_ref().expect("a date problem has a place");
                format!("{}:{}: {}", span.line, span.column, d.message)
            })
            .collect();
        (lifecycles, lines)
    }

    #[test]
    fn located_errors_for_each_bad_date() {
        let (_, problems) = problems_of(
            "- { released: 2019-10-03, support_ends: 2024-02-30 }\n\
         - { released: 2020-09-24, support_ends: 2019-01-01 }\n\
         - { released: 2021-09-30, support_ends: 2026-11-12, extended_support_ends: 2025-01-01 }\n\
         - { support_ends: true }\n\
         - { support_ends: 2024, latest_released: 2024-01-01 }\n",
        );
        assert_eq!(
            problems,
            vec![
                "1:41: `2024-02-30` is not a date",
                "2:41: support ends on 2019-01-01, before the version was released on 2020-09-24",
                "3:76: extended support ends on 2025-01-01, before mainstream support ends on 2026-11-12",
                "4:19: `support_ends: true` says no date",
                "5:19: `2024` is not a date",
                "5:42: `latest_released` without `latest`",
            ]
        );
    }

    #[test]
    fn good_fields_are_read() {
        let (lifecycles, problems) = problems_of(
            "- { released: 2018-04-19, support_ends: 2023-10-25, extended_support_ends: 2026-04-30, lts: true, latest: 8.0.40, latest_released: 2024-10-15 }\n\
         - { released: 2023-06-21, support_ends: false, latest: \"8.1.0\" }\n",
        );
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(
            lifecycles[0],
            Lifecycle {
                released: Some(date("2018-04-19")),
                support_ends: Some(SupportEnds::On(date("2023-10-25"))),
                extended_support_ends: Some(date("2026-04-30")),
                lts: true,
                latest: Some("8.0.40".into()),
                latest_released: Some(date("2024-10-15")),
            }
        );
        assert_eq!(lifecycles[1].support_ends, Some(SupportEnds::NotAnnounced));
        assert_eq!(lifecycles[1].latest.as_deref(), Some("8.1.0"));
    }
}
