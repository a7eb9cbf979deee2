//! Isolation (隔离): orders for home isolation or centralised observation, their twice-daily
//! follow-ups (日监测、日报告、日回访) and when each is due.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};

use super::error::{DomainError, Reason};
use super::time::REGION_TZ;
use super::words::words;

pub const DEFAULT_ISOLATION_DAYS: u32 = 14;
pub const MAX_ISOLATION_DAYS: u32 = 60;
/// A paired cadre (结对包保) holds one to three households.
pub const MAX_HOUSEHOLDS_PER_CADRE: usize = 3;

words!(IsolationKind, "kind", { Home = "home" | "居家" | "居家隔离", Central = "central" | "集中" | "集中隔离" });
words!(
    /// Why someone is isolated.
    IsolationReason, "reason", { KeyArea = "key_area" | "重点地区", Contact = "contact" | "密接" | "密切接触", Fever = "fever" | "发热", Other = "other" | "其他" }
);
words!(Reached, "reached", { Phone = "phone" | "电话", Visit = "visit" | "上门", NotReached = "not_reached" | "未联系上" });
words!(
    Symptom, "symptoms", { Fever = "fever" | "发热", Cough = "cough" | "咳嗽", Fatigue = "fatigue" | "乏力", Breathlessness = "breathlessness" | "气促",
    SoreThroat = "sore_throat" | "咽痛", Diarrhoea = "diarrhoea" | "腹泻", LossOfTaste = "loss_of_taste" | "味觉丧失", Other = "other" | "其他" }
);
words!(Need, "needs", { Food = "food" | "食品", Medicine = "medicine" | "药品", Other = "other" | "其他" });

/// Parses a list of words, dropping repeats.
pub fn parse_list<T: PartialEq>(raw: &[String], parse: impl Fn(&str) -> Result<T, DomainError>) -> Result<Vec<T>, DomainError> {
    let mut out = Vec::new();
    for word in raw.iter().filter(|w| !w.trim().is_empty()) {
        let item = parse(word)?;
        if !out.contains(&item) {
            out.push(item);
        }
    }
    Ok(out)
}

/// The two daily follow-up windows, in local time: morning and afternoon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowupWindows(pub [(NaiveTime, NaiveTime); 2]);

impl Default for FollowupWindows {
    fn default() -> FollowupWindows {
        let at = |h| NaiveTime::from_hms_opt(h, 0, 0).expect("valid hour");
        FollowupWindows([(at(7), at(12)), (at(14), at(19))])
    }
}

impl FollowupWindows {
    /// `07:00-12:00,14:00-19:00`.
    pub fn parse(raw: &str) -> Result<FollowupWindows, DomainError> {
        let bad = || DomainError::invalid("followup_windows", Reason::TimeFormat);
        let mut windows = Vec::new();
        for part in raw.split(',') {
            let (from, to) = part.trim().split_once('-').ok_or_else(bad)?;
            let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| bad());
            let (from, to) = (time(from)?, time(to)?);
            if to <= from {
                return Err(DomainError::invalid("followup_windows", Reason::DateOrder));
            }
            windows.push((from, to));
        }
        match windows.as_slice() {
            [morning, afternoon] if morning.1 <= afternoon.0 => Ok(FollowupWindows([*morning, *afternoon])),
            _ => Err(bad()),
        }
    }

    /// The windows of a local day, opening and closing, in UTC.
    pub fn on(&self, day: NaiveDate) -> [(DateTime<Utc>, DateTime<Utc>); 2] {
        self.0.map(|(from, to)| (local(day, from), local(day, to)))
    }

    /// The follow-up slots of an order running over `[start, end)`, in time order: each
    /// window of each local day that overlaps the order.
    pub fn slots(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<Slot> {
        let first = start.with_timezone(&REGION_TZ).date_naive();
        let last = end.with_timezone(&REGION_TZ).date_naive();
        let mut slots = Vec::new();
        let mut day = first;
        while day <= last {
            for (index, (from, to)) in self.0.iter().enumerate() {
                let (opens, closes) = (local(day, *from), local(day, *to));
                if closes > start && opens < end {
                    slots.push(Slot { day, index, opens, closes });
                }
            }
            day = day.succ_opt().expect("a date after this one");
        }
        slots
    }
}

/// As `parse` reads them: `07:00-12:00,14:00-19:00`.
impl std::fmt::Display for FollowupWindows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let [(a, b), (c, d)] = self.0;
        write!(f, "{}-{},{}-{}", a.format("%H:%M"), b.format("%H:%M"), c.format("%H:%M"), d.format("%H:%M"))
    }
}

fn local(day: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    REGION_TZ.from_local_datetime(&day.and_time(time)).earliest().expect("Asia/Shanghai has no gaps").with_timezone(&Utc)
}

/// One follow-up that is due: a window of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub day: NaiveDate,
    /// 0 for the morning, 1 for the afternoon.
    pub index: usize,
    pub opens: DateTime<Utc>,
    pub closes: DateTime<Utc>,
}

impl Slot {
    /// A stable name for the slot, as escalations record it: `2020-02-01/0`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.day, self.index)
    }

    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.opens <= at && at < self.closes
    }
}

/// The end of an order that starts at `start` and lasts `days`.
pub fn planned_end(start: DateTime<Utc>, days: u32) -> Result<DateTime<Utc>, DomainError> {
    super::text::number_between("days", days, 1, i64::from(MAX_ISOLATION_DAYS))?;
    Ok(start + Duration::days(i64::from(days)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_time;

    #[test]
    fn two_slots_a_day_over_the_order() {
        let windows = FollowupWindows::default();
        let start = parse_time("start", "2020-02-01T10:00").unwrap();
        let slots = windows.slots(start, start + Duration::days(1));
        let keys: Vec<String> = slots.iter().map(Slot::key).collect();
        assert_eq!(keys, ["2020-02-01/0", "2020-02-01/1", "2020-02-02/0"], "from 10:00 one day to 10:00 the next");
        assert!(slots[0].contains(parse_time("at", "2020-02-01T11:59").unwrap()));
        assert!(!slots[0].contains(parse_time("at", "2020-02-01T12:00").unwrap()), "the window's end is outside it");
        assert_eq!(windows.slots(start, start + Duration::days(14)).len(), 29, "the first morning, 13 full days, and the last morning (the final follow-up)");
    }

    #[test]
    fn windows_are_configurable() {
        let windows = FollowupWindows::parse("08:00-11:30, 15:00-18:00").unwrap();
        assert_eq!(windows.to_string(), "08:00-11:30,15:00-18:00", "kept as read back");
        assert_eq!(FollowupWindows::parse(&FollowupWindows::default().to_string()), Ok(FollowupWindows::default()));
        let day = NaiveDate::from_ymd_opt(2020, 2, 1).unwrap();
        assert_eq!(windows.on(day)[0].0, parse_time("at", "2020-02-01T08:00").unwrap());
        assert_eq!(windows.on(day)[1].1, parse_time("at", "2020-02-01T18:00").unwrap());
        assert_eq!(windows.0[0].1, NaiveTime::from_hms_opt(11, 30, 0).unwrap());
        for bad in ["08:00-11:30", "12:00-08:00,14:00-15:00", "14:00-18:00,08:00-11:00", "morning"] {
            assert!(FollowupWindows::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn orders_last_one_to_sixty_days() {
        let start = parse_time("start", "2020-02-01T10:00").unwrap();
        assert_eq!(planned_end(start, 14).unwrap(), start + Duration::days(14));
        assert!(planned_end(start, 0).is_err() && planned_end(start, 61).is_err());
    }
}
