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
    let words = |on: &str| status_words(v.status(date(on)), &labels);
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
        status_words(plain.status(date("2025-01-01")), &labels),
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
        status_words(v.status(date("2025-06-01")), &labels),
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
        let words = status_words(v.status(date("2025-06-01")), &labels);
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
        status_words(v.status(date("2025-06-01")), &labels),
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

#[test]
fn nearest_is_fewest_hops_then_longest_support() {
    let lifecycles = [
        lifecycle("2020-01-01", Some("2025-01-01"), None),
        lifecycle("2021-01-01", Some("2026-01-01"), None),
        lifecycle("2022-01-01", Some("2027-01-01"), None),
        lifecycle("2023-01-01", None, None),
    ];
    let of = |n: usize| &lifecycles[n];
    let on = date("2025-06-01");
    let supported = |n: usize| of(n).in_support(on);
    assert_eq!(nearest(&[(1, 1), (2, 1), (3, 2)], of, supported), Some(2));
    assert_eq!(nearest(&[(1, 1), (2, 2), (3, 2)], of, supported), Some(1));
    assert_eq!(nearest(&[(2, 2), (3, 2)], of, supported), Some(3));
    assert_eq!(nearest(&[(0, 1)], of, supported), None);
}

#[test]
fn stretches_change_only_when_the_answer_does() {
    let mut lts = lifecycle("2022-01-01", Some("2027-01-01"), Some("2030-01-01"));
    lts.lts = true;
    let lifecycles = [
        lifecycle("2020-01-01", Some("2025-01-01"), None),
        lifecycle("2021-01-01", Some("2026-01-01"), None),
        lts,
        lifecycle("2024-01-01", Some("2028-01-01"), None),
    ];
    let of = |n: usize| &lifecycles[n];
    let reached = [(1, 1), (2, 1), (3, 1)];
    let found = stretches(date("2024-07-01"), &reached, of, |_, _| true);
    let heading = |nearest, lts| Some(Heading { nearest, lts });
    assert_eq!(
        found,
        vec![
            Stretch {
                from: date("2024-07-01"),
                until: Some(date("2027-01-01")),
                heading: heading(3, Some(2))
            },
            Stretch {
                from: date("2027-01-01"),
                until: Some(date("2028-01-01")),
                heading: heading(3, None)
            },
            Stretch {
                from: date("2028-01-01"),
                until: None,
                heading: None
            },
        ]
    );
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
        .map(|d| format!("{}:{}: {}", d.span.line, d.span.column, d.message))
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
