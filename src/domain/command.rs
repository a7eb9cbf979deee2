//! The command view (指挥): what a unit's HQ or leader sees of its whole subtree. First, the
//! four-colour household map (四色图, 排查防控图): every household a tile in its colour, grouped
//! by villager group or grid, numbered, with the counts. Nothing personal is on it.

use serde::Serialize;
use uuid::Uuid;

use super::Colour;

/// The most households one map draws: a village or a grid (a township's map is its villages').
pub const MAX_MAP_HOUSEHOLDS: usize = 5_000;

/// Whether a unit with this many households has a map worth linking to: some, and no more
/// than one map draws.
pub fn fits_on_one_map(households: i64) -> bool {
    usize::try_from(households).is_ok_and(|n| n > 0 && n <= MAX_MAP_HOUSEHOLDS)
}

/// One household on the map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Tile {
    pub household_id: Uuid,
    pub household_no: String,
    pub colour: Colour,
}

/// The tiles of one unit (a villager group or grid), in household number order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TileGroup {
    pub unit_code: String,
    pub unit_name: String,
    pub tiles: Vec<Tile>,
}

/// How many households of each colour, red first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ColourCounts {
    pub red: usize,
    pub yellow: usize,
    pub blue: usize,
    pub white: usize,
}

impl ColourCounts {
    pub fn of<'a>(tiles: impl IntoIterator<Item = &'a Tile>) -> ColourCounts {
        let mut counts = ColourCounts::default();
        for tile in tiles {
            *counts.of_colour_mut(tile.colour) += 1;
        }
        counts
    }

    pub fn get(&self, colour: Colour) -> usize {
        match colour {
            Colour::Red => self.red,
            Colour::Yellow => self.yellow,
            Colour::Blue => self.blue,
            Colour::White => self.white,
        }
    }

    fn of_colour_mut(&mut self, colour: Colour) -> &mut usize {
        match colour {
            Colour::Red => &mut self.red,
            Colour::Yellow => &mut self.yellow,
            Colour::Blue => &mut self.blue,
            Colour::White => &mut self.white,
        }
    }

    pub fn total(&self) -> usize {
        self.red + self.yellow + self.blue + self.white
    }
}

/// A unit's four-colour map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ColourMap {
    pub unit_code: String,
    pub unit_name: String,
    pub counts: ColourCounts,
    pub groups: Vec<TileGroup>,
}

impl ColourMap {
    /// Groups tiles that arrive in (unit, household number) order under their units.
    pub fn new(unit_code: String, unit_name: String, tiles: Vec<(String, String, Tile)>) -> ColourMap {
        let mut groups: Vec<TileGroup> = Vec::new();
        for (code, name, tile) in tiles {
            match groups.last_mut() {
                Some(group) if group.unit_code == code => group.tiles.push(tile),
                _ => groups.push(TileGroup { unit_code: code, unit_name: name, tiles: vec![tile] }),
            }
        }
        let counts = ColourCounts::of(groups.iter().flat_map(|g| &g.tiles));
        ColourMap { unit_code, unit_name, counts, groups }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tile(no: &str, colour: Colour) -> Tile {
        Tile { household_id: Uuid::now_v7(), household_no: no.into(), colour }
    }

    #[test]
    fn tiles_group_under_their_units_and_count_by_colour() {
        let map = ColourMap::new(
            "150502001001".into(),
            "和平社区".into(),
            vec![
                ("150502001001001".into(), "一组".into(), tile("001", Colour::Red)),
                ("150502001001001".into(), "一组".into(), tile("002", Colour::White)),
                ("150502001001002".into(), "二组".into(), tile("001", Colour::Yellow)),
            ],
        );
        assert_eq!(map.groups.len(), 2);
        assert_eq!(map.groups[0].tiles.len(), 2);
        assert_eq!(map.groups[1].unit_name, "二组");
        assert_eq!(map.counts, ColourCounts { red: 1, yellow: 1, blue: 0, white: 1 });
        assert_eq!(map.counts.total(), 3);
    }
}

/// Start and end (exclusive) of a local day (Asia/Shanghai), the day every figure counts in.
pub fn day_bounds(day: chrono::NaiveDate) -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
    use chrono::TimeZone;
    let start = |d: chrono::NaiveDate| {
        let midnight = d.and_hms_opt(0, 0, 0).expect("midnight exists");
        super::time::REGION_TZ.from_local_datetime(&midnight).earliest().expect("China keeps no daylight saving").with_timezone(&chrono::Utc)
    };
    (start(day), start(day.succ_opt().unwrap_or(day)))
}

/// A unit's figures for one day over its whole subtree (or one part of it: a child's, or
/// what is registered on the unit itself). Flows count what happened that day; stocks are as
/// they stood at the day's end (or now, for today). `households`, colours, `residents` and
/// `registrations_pending` are as they stand now, whatever the day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DayFigures {
    pub households: i64,
    pub households_by_colour: ColourFigures,
    pub residents: i64,
    pub returnees_arrived: i64,
    pub returnees_in_observation: i64,
    pub returnees_from_key_areas: i64,
    pub isolated_home: i64,
    pub isolated_central: i64,
    pub isolations_started: i64,
    pub isolations_released: i64,
    pub followups_done: i64,
    /// Isolation orders with a follow-up window on the day.
    pub followups_due: i64,
    /// Of those, the orders with a window closed (by the day's end, or now) and nobody
    /// following up since it opened.
    pub followups_overdue: i64,
    pub checkins_expected: i64,
    pub checkins_reported: i64,
    pub checkins_unwell: i64,
    pub passages_in: i64,
    pub passages_out: i64,
    pub turned_back: i64,
    pub referred: i64,
    pub fevers: i64,
    pub registrations_pending: i64,
    pub alerts_open: i64,
    pub alerts_acknowledged: i64,
    pub alerts_escalated: i64,
    /// What the evening sheet adds up since the records began (to the day's end, or now).
    pub totals: Totals,
}

/// Cumulative figures (累计): everything up to the day's end (or now, for today).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Totals {
    pub returnees: i64,
    pub returnees_from_key_areas: i64,
    /// Arrived that day from key areas (当日新增 of the column above).
    pub returnees_from_key_areas_arrived: i64,
    pub home_started: i64,
    pub home_started_that_day: i64,
    pub central_started: i64,
    pub central_started_that_day: i64,
    pub released: i64,
    pub passages: i64,
    pub turned_back: i64,
    pub fevers: i64,
    pub alerts_escalated: i64,
}

/// Households by colour.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ColourFigures {
    pub red: i64,
    pub yellow: i64,
    pub blue: i64,
    pub white: i64,
}

impl DayFigures {
    /// 报平安: reported of expected, in percent, when anyone is expected.
    pub fn checkin_rate(&self) -> Option<f64> {
        (self.checkins_expected > 0).then(|| (self.checkins_reported as f64 * 1000.0 / self.checkins_expected as f64).round() / 10.0)
    }

    pub fn checkins_missing(&self) -> i64 {
        (self.checkins_expected - self.checkins_reported).max(0)
    }

    /// Figures of parts added up (a unit is its children and what is registered on it).
    pub fn add(&mut self, other: &DayFigures) {
        macro_rules! sum {
            ($($field:ident),+) => { $(self.$field += other.$field;)+ };
        }
        sum!(
            households,
            residents,
            returnees_arrived,
            returnees_in_observation,
            returnees_from_key_areas,
            isolated_home,
            isolated_central,
            isolations_started,
            isolations_released,
            followups_done,
            followups_due,
            followups_overdue,
            checkins_expected,
            checkins_reported,
            checkins_unwell,
            passages_in,
            passages_out,
            turned_back,
            referred,
            fevers,
            registrations_pending,
            alerts_open,
            alerts_acknowledged,
            alerts_escalated
        );
        let (mine, theirs) = (&mut self.totals, &other.totals);
        mine.returnees += theirs.returnees;
        mine.returnees_from_key_areas += theirs.returnees_from_key_areas;
        mine.returnees_from_key_areas_arrived += theirs.returnees_from_key_areas_arrived;
        mine.home_started += theirs.home_started;
        mine.home_started_that_day += theirs.home_started_that_day;
        mine.central_started += theirs.central_started;
        mine.central_started_that_day += theirs.central_started_that_day;
        mine.released += theirs.released;
        mine.passages += theirs.passages;
        mine.turned_back += theirs.turned_back;
        mine.fevers += theirs.fevers;
        mine.alerts_escalated += theirs.alerts_escalated;
        self.households_by_colour.red += other.households_by_colour.red;
        self.households_by_colour.yellow += other.households_by_colour.yellow;
        self.households_by_colour.blue += other.households_by_colour.blue;
        self.households_by_colour.white += other.households_by_colour.white;
    }
}

/// The day a figure is asked for: `YYYY-MM-DD`, today when blank, never after today.
pub fn report_date(raw: &str, today: chrono::NaiveDate) -> Result<chrono::NaiveDate, super::DomainError> {
    if raw.trim().is_empty() {
        return Ok(today);
    }
    let day = super::time::parse_date("date", raw)?;
    if day > today {
        return Err(super::DomainError::invalid("date", super::error::Reason::InFuture));
    }
    Ok(day)
}

/// A value on the evening sheet: a count, or a rate (a fraction; none when nobody is expected).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SheetValue {
    Count(i64),
    Rate(Option<f64>),
}

/// A column of the evening sheet (日报表): its group and its own header, each in Chinese and
/// English, and how its value is read off a unit's figures.
pub struct SheetColumn {
    pub group: (&'static str, &'static str),
    pub header: (&'static str, &'static str),
    pub value: fn(&DayFigures) -> SheetValue,
}

const DAY: (&str, &str) = ("当日新增", "that day");
const TOTAL: (&str, &str) = ("累计", "to date");
const NOW: (&str, &str) = ("现有", "now");

macro_rules! column {
    ($group:expr, $header:expr, |$f:ident| $value:expr) => {
        SheetColumn { group: $group, header: $header, value: |$f: &DayFigures| SheetValue::Count($value) }
    };
}

/// The evening sheet's columns, in order, grouped under two-level headers.
pub const SHEET: &[SheetColumn] = &[
    column!(("返乡人员", "Returnees"), DAY, |f| f.returnees_arrived),
    column!(("返乡人员", "Returnees"), TOTAL, |f| f.totals.returnees),
    column!(("来自重点地区", "From key areas"), DAY, |f| f.totals.returnees_from_key_areas_arrived),
    column!(("来自重点地区", "From key areas"), TOTAL, |f| f.totals.returnees_from_key_areas),
    column!(("居家隔离", "Home isolation"), DAY, |f| f.totals.home_started_that_day),
    column!(("居家隔离", "Home isolation"), TOTAL, |f| f.totals.home_started),
    column!(("居家隔离", "Home isolation"), NOW, |f| f.isolated_home),
    column!(("集中隔离", "Central isolation"), DAY, |f| f.totals.central_started_that_day),
    column!(("集中隔离", "Central isolation"), TOTAL, |f| f.totals.central_started),
    column!(("集中隔离", "Central isolation"), NOW, |f| f.isolated_central),
    column!(("解除隔离", "Released"), DAY, |f| f.isolations_released),
    column!(("解除隔离", "Released"), TOTAL, |f| f.totals.released),
    column!(("报平安", "Daily check-in"), ("应报", "expected"), |f| f.checkins_expected),
    column!(("报平安", "Daily check-in"), ("已报", "reported"), |f| f.checkins_reported),
    column!(("报平安", "Daily check-in"), ("未报", "missing"), |f| f.checkins_missing()),
    SheetColumn {
        group: ("报平安", "Daily check-in"),
        header: ("报平安率", "rate"),
        value: |f: &DayFigures| SheetValue::Rate(f.checkin_rate().map(|r| r / 100.0)),
    },
    column!(("卡点通行", "Checkpoint passages"), DAY, |f| f.passages_in + f.passages_out),
    column!(("卡点通行", "Checkpoint passages"), TOTAL, |f| f.totals.passages),
    column!(("劝返", "Turned back"), DAY, |f| f.turned_back),
    column!(("劝返", "Turned back"), TOTAL, |f| f.totals.turned_back),
    column!(("发热", "Fevers"), DAY, |f| f.fevers),
    column!(("发热", "Fevers"), TOTAL, |f| f.totals.fevers),
    column!(("预警", "Alerts"), ("未处理", "open"), |f| f.alerts_open),
    column!(("预警", "Alerts"), ("当日升级", "escalated that day"), |f| f.alerts_escalated),
    column!(("预警", "Alerts"), ("累计升级", "escalated to date"), |f| f.totals.alerts_escalated),
];

/// The columns a rate is computed from on the total row: (reported, expected).
pub fn rate_parts() -> (usize, usize) {
    let at = |header: &str| SHEET.iter().position(|c| c.header.0 == header).expect("the sheet has the column");
    (at("已报"), at("应报"))
}
