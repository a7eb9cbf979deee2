//! Daily check-ins (报平安): every resident once a day, by themselves, by the household head
//! for everyone, by a grid member for households without phones, or by a unit for its staff.

use serde::Serialize;

use super::isolation::Symptom;
use super::words::words;
use super::{Caller, DomainError, Health};

words!(Whereabouts, "location", { Home = "home" | "在家", Elsewhere = "elsewhere" | "外出" | "其他地方" });
words!(
    /// How a check-in arrived.
    Via, "via", { Household = "household", Member = "member", Batch = "batch", Api = "api" }
);

/// The facts of a check-in that "the same as yesterday" compares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub status: Health,
    pub symptoms: Vec<Symptom>,
    pub location: Whereabouts,
    pub place: Option<String>,
}

/// Seconds under which a form filled the same as yesterday is flagged for review: auto-fill
/// tools submit unchanged forms in a blink (a known failure of such systems).
pub const SAME_AS_YESTERDAY_SECONDS: i64 = 10;

/// The time a form took to fill, from the `opened_at` the page carried: the browser sends it
/// back, so a time before the page was made or over a day is not believed (no time at all).
pub fn time_to_fill(opened_at: i64, now: i64) -> Option<i64> {
    let seconds = now.checked_sub(opened_at)?;
    (0..=86_400).contains(&seconds).then_some(seconds)
}

/// Whether a check-in deserves a second look: identical to the day before and sent faster
/// than a person reads the form. Without a time to fill (an API call), identical alone is no flag.
pub fn same_as_yesterday(today: &Report, yesterday: Option<&Report>, seconds_to_fill: Option<i64>) -> bool {
    yesterday == Some(today) && seconds_to_fill.is_some_and(|s| s < SAME_AS_YESTERDAY_SECONDS)
}

/// Whether an account may report check-ins for the residents in its scope (a household's own
/// link needs no account, and no such rule).
pub fn may_report(caller: &Caller) -> Result<(), DomainError> {
    caller.require(caller.role.screens(), "report check-ins")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_to_fill_from_the_browser_is_believed_only_when_plausible() {
        assert_eq!(time_to_fill(1_000, 1_004), Some(4));
        assert_eq!(time_to_fill(1_000, 1_000), Some(0));
        assert_eq!(time_to_fill(2_000, 1_000), None, "opened after it was sent");
        assert_eq!(time_to_fill(0, 1_000_000), None, "over a day");
        assert_eq!(time_to_fill(i64::MIN, 1), None, "no overflow");
    }

    fn well() -> Report {
        Report { status: Health::Well, symptoms: vec![], location: Whereabouts::Home, place: None }
    }

    #[test]
    fn identical_and_hurried_is_flagged() {
        assert!(same_as_yesterday(&well(), Some(&well()), Some(3)));
        assert!(!same_as_yesterday(&well(), Some(&well()), Some(30)), "read and confirmed");
        assert!(!same_as_yesterday(&well(), Some(&well()), None));
        let unwell = Report { status: Health::Unwell, symptoms: vec![Symptom::Cough], ..well() };
        assert!(!same_as_yesterday(&unwell, Some(&well()), Some(3)), "a change is news, not fraud");
        assert!(!same_as_yesterday(&well(), None, Some(3)));
    }
}
