use super::*;

fn date(text: &str) -> Date {
    Date::parse(text).unwrap_or_else(|| panic!("{text} is a date"))
}

#[test]
fn parses_only_calendar_days() {
    for good in [
        "1998-12-01",
        "2024-02-29",
        "2000-02-29",
        "1970-01-01",
        "0001-01-01",
    ] {
        assert_eq!(date(good).to_string(), good);
    }
    for bad in [
        "1900-02-29",
        "2023-02-29",
        "2024-02-30",
        "2024-06-31",
        "2024-12-00",
        "1998-13-01",
        "1998-00-10",
        "98-12-01",
        "December 1998",
        "2024-1-01",
        "+024-01-01",
        "2024-01-01 ",
        "２０２４-01-01",
    ] {
        assert_eq!(Date::parse(bad), None, "{bad}");
    }
}

#[test]
fn days_count_from_the_epoch() {
    assert_eq!(date("1970-01-01").days_since_epoch(), 0);
    assert_eq!(date("1970-01-02").days_since_epoch(), 1);
    assert_eq!(date("1969-12-31").days_since_epoch(), -1);
    assert_eq!(date("2000-03-01").days_since_epoch(), 11_017);
    assert_eq!(date("2024-02-29").plus_days(1), date("2024-03-01"));
    assert_eq!(date("2023-12-31").plus_days(1), date("2024-01-01"));
    assert_eq!(date("2027-06-30").plus_days(-180), date("2027-01-01"));
}

#[test]
fn every_day_of_four_centuries_round_trips() {
    let mut day = date("1900-01-01");
    let mut previous = day.civil();
    for _ in 0..(146_097 + 10) {
        day = day.plus_days(1);
        let civil = day.civil();
        assert_eq!(Date::from_civil(civil.0, civil.1, civil.2), day);
        assert!(civil > previous, "{civil:?} after {previous:?}");
        assert_eq!(Date::parse(&day.to_string()), Some(day));
        previous = civil;
    }
}

#[test]
fn words_name_the_month() {
    assert_eq!(date("2027-06-30").words(), "30 June 2027");
    assert_eq!(date("2024-01-05").words(), "5 January 2024");
}

fn lifecycle(released: &str, ends: Option<&str>, extended: Option<&str>) -> Lifecycle {
    Lifecycle {
        released: Some(date(released)),
        support_ends: Some(ends.map_or(SupportEnds::NotAnnounced, |e| SupportEnds::On(date(e)))),
        extended_support_ends: extended.map(date),
        ..Lifecycle::default()
    }
}

#[test]
fn status_on_each_side_of_each_date() {
    let v = lifecycle("2020-01-01", Some("2025-01-01"), Some("2028-01-01"));
    let labels = PhaseLabels::default();
    let words = |on: &str| crate::i18n::Messages::english().status(v.status(date(on)), &labels);
    assert_eq!(words("2019-12-31"), "Not released yet: due 1 January 2020");
    assert_eq!(words("2020-01-01"), "Supported until 1 January 2025");
    assert_eq!(words("2024-12-31"), "Supported until 1 January 2025");
    assert_eq!(
        words("2025-01-01"),
        "Extended support only, until 1 January 2028"
    );
    assert_eq!(words("2028-01-01"), "Out of support since 1 January 2028");
    assert!(v.in_support(date("2024-12-31")));
    assert!(!v.in_support(date("2025-01-01")));

    let plain = lifecycle("2020-01-01", Some("2025-01-01"), None);
    assert_eq!(
        crate::i18n::Messages::english().status(plain.status(date("2025-01-01")), &labels),
        "Out of support since 1 January 2025"
    );
    let open = lifecycle("2020-01-01", None, None);
    assert_eq!(open.status(date("2090-01-01")), Status::Supported(None));
    assert_eq!(
        Lifecycle::default().status(date("2020-01-01")),
        Status::Unknown
    );
    assert_eq!(
        v.events(),
        vec![date("2020-01-01"), date("2025-01-01"), date("2028-01-01")]
    );
}

#[test]
fn labels_name_the_extended_phase() {
    let labels = PhaseLabels {
        mainstream: "Active support".into(),
        extended: "Security support".into(),
    };
    let v = lifecycle("2020-01-01", Some("2025-01-01"), Some("2026-01-01"));
    assert_eq!(
        crate::i18n::Messages::english().status(v.status(date("2025-06-01")), &labels),
        "Security support only, until 1 January 2026"
    );
}

/// A phase named "... only" reads "Security updates only, until ...",
/// never "only only" (found by the corpus helper).
#[test]
fn a_phase_named_only_is_not_said_twice() {
    let v = lifecycle("2020-01-01", Some("2025-01-01"), Some("2026-01-01"));
    for extended in [
        "Security updates only",
        "Critical fixes ONLY.",
        "Patches only ",
    ] {
        let labels = PhaseLabels {
            mainstream: "Full support".into(),
            extended: extended.into(),
        };
        let words = crate::i18n::Messages::english().status(v.status(date("2025-06-01")), &labels);
        assert_eq!(
            words.to_lowercase().matches("only").count(),
            1,
            "{extended}: {words}"
        );
        assert!(words.ends_with(", until 1 January 2026"), "{words}");
    }
    let labels = PhaseLabels {
        mainstream: "Full support".into(),
        extended: "Commonly patched".into(),
    };
    assert_eq!(
        crate::i18n::Messages::english().status(v.status(date("2025-06-01")), &labels),
        "Commonly patched only, until 1 January 2026"
    );
}

#[test]
fn dates_that_contradict_each_other() {
    assert_eq!(
        lifecycle("2020-09-24", Some("2019-01-01"), None).disagreements(),
        vec![Disagreement::SupportEndsBeforeRelease {
            ends: date("2019-01-01"),
            released: date("2020-09-24")
        }]
    );
    assert_eq!(
        lifecycle("2021-09-30", Some("2026-11-12"), Some("2025-01-01")).disagreements(),
        vec![Disagreement::ExtendedBeforeMainstream {
            extended: date("2025-01-01"),
            mainstream: date("2026-11-12")
        }]
    );
    assert_eq!(
        lifecycle("2021-09-30", None, Some("2025-01-01")).disagreements(),
        vec![Disagreement::ExtendedWithoutEnd]
    );
    // The same day is fine: support may end the day it starts, and
    // extended support may be no longer than mainstream.
    assert!(
        lifecycle("2020-01-01", Some("2020-01-01"), Some("2020-01-01"))
            .disagreements()
            .is_empty()
    );
    let mut patched = lifecycle("2020-01-01", None, None);
    patched.latest_released = Some(date("2019-06-01"));
    assert_eq!(patched.disagreements().len(), 1);
}
