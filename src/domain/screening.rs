//! Screening (排查): key areas, returnees and their observation window, door-to-door rounds.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::error::{DomainError, Reason};
use super::words::words;

/// Days a returnee's household stays yellow (or red, from a key area) after arrival.
pub const DEFAULT_OBSERVATION_DAYS: u32 = 14;

/// A key area (重点地区): a division code (a province `42`, a city `4201`, a county
/// `420102`) or a name, dangerous between two dates (the end open while it lasts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyArea {
    pub area: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

impl KeyArea {
    pub fn new(area: &str, valid_from: NaiveDate, valid_to: Option<NaiveDate>) -> Result<KeyArea, DomainError> {
        let area = super::text::label("area", area, 50)?;
        if valid_to.is_some_and(|to| to < valid_from) {
            return Err(DomainError::invalid("valid_to", Reason::DateOrder));
        }
        Ok(KeyArea { area, valid_from, valid_to })
    }

    /// Whether a stay touches this area inside its window. A code matches the codes under
    /// it; a name matches a place that names it (湖北 in 湖北省武汉市). A stay without dates
    /// counts as inside the window: a screening errs on the side of caution.
    pub fn touches(&self, stay: &Stay) -> bool {
        let place = stay.place.trim();
        let matches = if is_code(&self.area) && is_code(place) {
            place.starts_with(self.area.as_str())
        } else {
            let name = strip_suffix(&self.area);
            !name.is_empty() && place.contains(name)
        };
        let (from, to) = (stay.from.or(stay.to), stay.to.or(stay.from));
        let in_window = match (from, to) {
            (Some(from), Some(to)) => from <= self.valid_to.unwrap_or(NaiveDate::MAX) && to >= self.valid_from,
            _ => true,
        };
        matches && in_window
    }
}

fn is_code(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// 湖北省 → 湖北, 武汉市 → 武汉: people write a place with or without its suffix.
fn strip_suffix(name: &str) -> &str {
    let name = name.trim();
    for suffix in ["维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "特别行政区", "省", "市", "盟", "州", "地区", "县", "区", "旗"]
    {
        if let Some(stem) = name.strip_suffix(suffix)
            && stem.chars().count() >= 2
        {
            return stem;
        }
    }
    name
}

/// A place someone stayed, with the days if known (旅居史).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Stay {
    pub place: String,
    #[serde(default)]
    pub from: Option<NaiveDate>,
    #[serde(default)]
    pub to: Option<NaiveDate>,
}

impl Stay {
    pub fn new(place: &str, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<Stay, DomainError> {
        let place = super::text::label("travel", place, 100)?;
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            return Err(DomainError::invalid("travel", Reason::DateOrder));
        }
        Ok(Stay { place, from, to })
    }
}

/// Whether any stay touches any key area.
pub fn from_key_area(stays: &[Stay], areas: &[KeyArea]) -> bool {
    stays.iter().any(|stay| areas.iter().any(|area| area.touches(stay)))
}

/// The end of a returnee's observation window.
pub fn observe_until(arrived_at: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    arrived_at + Duration::days(i64::from(days))
}

words!(
    /// How a returnee travelled.
    Transport, "transport", { Train = "train" | "火车" | "高铁", Bus = "bus" | "客车" | "大巴", Car = "car" | "自驾" | "汽车", Flight = "flight" | "飞机", Other = "other" | "其他" }
);
words!(Health, "health", { Well = "well" | "健康" | "正常", Unwell = "unwell" | "异常" | "不适" });
words!(
    /// The outcome of a door-to-door visit in a screening round. Only `visited` covers a
    /// household: nobody home or a refusal means someone must go back (不漏一户).
    VisitOutcome, "outcome", { Visited = "visited" | "已走访", NobodyHome = "nobody_home" | "无人", Refused = "refused" | "拒绝" }
);

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: &str) -> NaiveDate {
        NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
    }

    fn hubei() -> KeyArea {
        KeyArea::new("42", day("2020-01-01"), Some(day("2020-02-15"))).unwrap()
    }

    #[test]
    fn a_code_matches_the_codes_below_it_within_the_window() {
        let stay = |place: &str, from, to| Stay::new(place, Some(day(from)), Some(day(to))).unwrap();
        assert!(hubei().touches(&stay("420102", "2020-01-20", "2020-01-25")));
        assert!(hubei().touches(&stay("420102", "2019-12-20", "2020-01-01")), "the first day of the window counts");
        assert!(hubei().touches(&stay("42", "2020-02-15", "2020-02-20")), "the last day counts");
        assert!(!hubei().touches(&stay("420102", "2020-02-16", "2020-02-20")), "after the window");
        assert!(!hubei().touches(&stay("4302", "2020-01-20", "2020-01-25")), "another province");
        assert!(!hubei().touches(&stay("142", "2020-01-20", "2020-01-25")), "a prefix, not a substring");
    }

    #[test]
    fn a_name_matches_with_or_without_its_suffix() {
        let wuhan = KeyArea::new("武汉市", day("2020-01-01"), None).unwrap();
        assert!(wuhan.touches(&Stay::new("湖北省武汉市江岸区", Some(day("2020-03-01")), None).unwrap()), "an open window");
        assert!(wuhan.touches(&Stay::new("武汉", None, None).unwrap()), "no dates counts as inside");
        assert!(!wuhan.touches(&Stay::new("北京市", None, None).unwrap()));
        assert!(!wuhan.touches(&Stay::new("武汉", Some(day("2019-12-01")), Some(day("2019-12-31"))).unwrap()));
    }

    #[test]
    fn windows_and_stays_are_checked() {
        assert!(KeyArea::new("42", day("2020-02-01"), Some(day("2020-01-01"))).is_err());
        assert!(KeyArea::new(" ", day("2020-02-01"), None).is_err());
        assert!(Stay::new("北京", Some(day("2020-02-01")), Some(day("2020-01-01"))).is_err());
        assert!(from_key_area(&[Stay::new("北京", None, None).unwrap(), Stay::new("420100", None, None).unwrap()], &[hubei()]));
    }
}
