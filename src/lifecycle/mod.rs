//! Support lifecycle: calendar dates, the phases of a version's support, and
//! where a version stands on a given day.
//!
//! Everything here is plain arithmetic on days, so that the build never
//! depends on the clock: pages state dates, and only `site.yaml`'s `today:`
//! (or the reader's clock, in the page script) decides what is past. It is
//! vocabulary beside the stages, as `model` is: reading the dates a file
//! states is `load`'s (`load::RawSupportEnds`), checking them `resolve`'s
//! (`resolve/lifecycle.rs`), and where a route to support heads `graph`'s
//! (`graph/support.rs`).

use std::fmt;

/// A day of the proleptic Gregorian calendar, as days since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i64);

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// `YYYY-MM-DD` naming a day the calendar has (`2024-02-29`, not `2023-02-29`).
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = &text[range];
            part.bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| part.parse().ok())
                .flatten()
        };
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        let year = i64::from(year);
        (day >= 1 && day <= days_in_month(year, month)).then(|| Date::from_civil(year, month, day))
    }

    /// Days since 1970-01-01 of a valid year, month and day: count the days
    /// of whole 400-year eras (146,097 days each), then of the years and
    /// months within the era, with years starting in March so that the leap
    /// day falls at the end of the year.
    fn from_civil(year: i64, month: u32, day: u32) -> Date {
        let year = if month <= 2 { year - 1 } else { year };
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let month_from_march = (i64::from(month) + 9) % 12;
        let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        Date(era * 146_097 + day_of_era - 719_468)
    }

    /// The year, month and day: `Date::from_civil` undone.
    pub fn civil(self) -> (i64, u32, u32) {
        let days = self.0 + 719_468;
        let era = days.div_euclid(146_097);
        let day_of_era = days - era * 146_097;
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let month_from_march = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
        let month = if month_from_march < 10 {
            month_from_march + 3
        } else {
            month_from_march - 9
        } as u32;
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        (year, month, day)
    }

    pub fn days_since_epoch(self) -> i64 {
        self.0
    }

    pub fn plus_days(self, days: i64) -> Date {
        Date(self.0 + days)
    }

    /// Today in UTC, from the system clock: only for answers printed at
    /// the command line, never for what a build writes.
    pub fn today_utc() -> Date {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Date(seconds.div_euclid(86_400))
    }

    /// For people: `30 June 2027`.
    pub fn words(self) -> String {
        let (year, month, day) = self.civil();
        format!("{day} {} {year}", MONTHS[month as usize - 1])
    }
}

/// ISO: `2027-06-30`.
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.civil();
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

/// When mainstream support ends: a day, or not announced (`false`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SupportEnds {
    On(Date),
    NotAnnounced,
}

/// What a version says about its support, checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lifecycle {
    pub released: Option<Date>,
    pub support_ends: Option<SupportEnds>,
    pub extended_support_ends: Option<Date>,
    pub lts: bool,
    /// The latest patch release, as written (`8.0.40`).
    pub latest: Option<String>,
    pub latest_released: Option<Date>,
}

/// Where a version stands on one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// The version says nothing about its support.
    Unknown,
    /// Released after that day.
    NotYetReleased(Date),
    /// In mainstream support: until a day, or with no end announced.
    Supported(Option<Date>),
    /// Mainstream support over, extended support until a day.
    ExtendedOnly(Date),
    /// Out of every support since a day.
    OutOfSupport(Date),
}

impl Lifecycle {
    /// Whether the version says anything about its support.
    pub fn is_stated(&self) -> bool {
        self.support_ends.is_some() || self.extended_support_ends.is_some()
    }

    /// The day mainstream support ends, when one is announced.
    pub fn mainstream_end(&self) -> Option<Date> {
        match self.support_ends {
            Some(SupportEnds::On(date)) => Some(date),
            _ => None,
        }
    }

    /// The last day anything supports the version ends: extended support's
    /// end when there is one, else mainstream's.
    pub fn final_end(&self) -> Option<Date> {
        self.extended_support_ends.or(self.mainstream_end())
    }

    /// Support ends on its day: the day itself is already out of support.
    pub fn status(&self, on: Date) -> Status {
        if !self.is_stated() {
            return Status::Unknown;
        }
        if let Some(released) = self.released.filter(|r| *r > on) {
            return Status::NotYetReleased(released);
        }
        match (self.support_ends, self.extended_support_ends) {
            (Some(SupportEnds::NotAnnounced), _) => Status::Supported(None),
            (Some(SupportEnds::On(end)), _) if on < end => Status::Supported(Some(end)),
            (_, Some(extended)) if on < extended => Status::ExtendedOnly(extended),
            (Some(SupportEnds::On(end)), None) => Status::OutOfSupport(end),
            (_, Some(extended)) => Status::OutOfSupport(extended),
            (None, None) => Status::Unknown,
        }
    }

    /// In mainstream support on that day: the versions a route to a
    /// supported version may end at. Extended support is often paid for
    /// and only patches security, so it does not count.
    pub fn in_support(&self, on: Date) -> bool {
        matches!(self.status(on), Status::Supported(_))
    }

    /// Days on which [`Lifecycle::status`] changes, in order.
    pub fn events(&self) -> Vec<Date> {
        let mut events: Vec<Date> = [
            self.released,
            self.mainstream_end(),
            self.extended_support_ends,
        ]
        .into_iter()
        .flatten()
        .collect();
        events.sort_unstable();
        events.dedup();
        events
    }
}

/// The names of the two phases of support, for a site or a product.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhaseLabels {
    pub mainstream: String,
    pub extended: String,
}

impl Default for PhaseLabels {
    fn default() -> Self {
        PhaseLabels {
            mainstream: "Mainstream support".into(),
            extended: "Extended support".into(),
        }
    }
}

/// A short key for a status, for CSS classes, the page script and JSON.
pub fn status_key(status: Status) -> &'static str {
    match status {
        Status::Unknown => "unknown",
        Status::NotYetReleased(_) => "unreleased",
        Status::Supported(_) => "supported",
        Status::ExtendedOnly(_) => "extended",
        Status::OutOfSupport(_) => "ended",
    }
}

/// Why a lifecycle's dates do not agree with each other.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Disagreement {
    SupportEndsBeforeRelease { ends: Date, released: Date },
    ExtendedBeforeMainstream { extended: Date, mainstream: Date },
    ExtendedWithoutEnd,
    LatestBeforeRelease { latest: Date, released: Date },
}

impl Lifecycle {
    /// Dates that contradict each other (each is a real date already).
    pub fn disagreements(&self) -> Vec<Disagreement> {
        let mut found = Vec::new();
        if let (Some(ends), Some(released)) = (self.mainstream_end(), self.released)
            && ends < released
        {
            found.push(Disagreement::SupportEndsBeforeRelease { ends, released });
        }
        match (self.extended_support_ends, self.support_ends) {
            (Some(extended), Some(SupportEnds::On(mainstream))) if extended < mainstream => {
                found.push(Disagreement::ExtendedBeforeMainstream {
                    extended,
                    mainstream,
                });
            }
            (Some(_), Some(SupportEnds::NotAnnounced)) => {
                found.push(Disagreement::ExtendedWithoutEnd)
            }
            _ => {}
        }
        if let (Some(latest), Some(released)) = (self.latest_released, self.released)
            && latest < released
        {
            found.push(Disagreement::LatestBeforeRelease { latest, released });
        }
        found
    }
}

/// The error message and hint for a disagreement.
pub fn disagreement_text(problem: &Disagreement) -> (String, String) {
    match problem {
        Disagreement::SupportEndsBeforeRelease { ends, released } => (
            format!("support ends on {ends}, before the version was released on {released}"),
            "support_ends is the day mainstream support ends; check both dates against the source".into(),
        ),
        Disagreement::ExtendedBeforeMainstream {
            extended,
            mainstream,
        } => (
            format!(
                "extended support ends on {extended}, before mainstream support ends on {mainstream}"
            ),
            "extended support follows mainstream support: extended_support_ends is the later of the two dates".into(),
        ),
        Disagreement::ExtendedWithoutEnd => (
            "extended support ends, but the end of mainstream support is not announced".into(),
            "give support_ends a date, or leave extended_support_ends out until it is known".into(),
        ),
        Disagreement::LatestBeforeRelease { latest, released } => (
            format!(
                "the latest patch was released on {latest}, before the version itself on {released}"
            ),
            "latest_released is the day the patch named in `latest` came out".into(),
        ),
    }
}

#[cfg(test)]
mod tests;
