//! `CommandStore` for this backend.

use async_trait::async_trait;
use sqlx::QueryBuilder;

use super::Db;
use std::collections::HashMap;

use crate::domain::command::{ColourFigures, DayFigures, Tile};
use crate::domain::{Colour, Temperature, UnitCode, UnitPath};
use crate::store::command::{Day, DayReport, PlacedTile};
use crate::store::scope::Scope;
use crate::store::{CommandStore, SqlStore, StoreResult, Unit, UnitStore};

#[async_trait]
impl CommandStore for SqlStore<Db> {
    async fn colour_tiles(&self, scope: &UnitPath, unit: &UnitCode, limit: usize) -> StoreResult<Option<(Unit, Vec<PlacedTile>)>> {
        let Some(unit) = self.unit(scope, unit).await? else { return Ok(None) };
        // A group below a village of the map is named with its village (a township's map
        // holds many villages' 第一村民小组).
        let mut query = QueryBuilder::new("SELECT h.unit_code, CASE WHEN p.name IS NULL OR u.code = ");
        query.push_bind(unit.code.as_str().to_owned()).push(" OR u.parent_code = ").push_bind(unit.code.as_str().to_owned());
        query.push(
            " THEN u.name ELSE p.name || ' · ' || u.name END, h.id, h.household_no, h.colour \
             FROM households h JOIN units u ON u.code = h.unit_code LEFT JOIN units p ON p.code = u.parent_code WHERE ",
        );
        Scope::of(&unit.path).push_within(&mut query, "h.unit_path");
        query.push(" ORDER BY h.unit_path, h.household_no LIMIT ").push_bind(i64::try_from(limit).unwrap_or(i64::MAX));
        let rows: Vec<(String, String, uuid::Uuid, String, String)> = query.build_query_as().fetch_all(&self.reader).await?;
        let tiles = rows
            .into_iter()
            .map(|(code, name, household_id, household_no, colour)| {
                Ok((code, name, Tile { household_id, household_no, colour: Colour::from_stored(&colour)? }))
            })
            .collect::<StoreResult<_>>()?;
        Ok(Some((unit, tiles)))
    }

    async fn figure_records(
        &self,
        scope: &UnitPath,
        unit: &UnitCode,
        metric: crate::domain::trends::Metric,
        day: Day,
        fever: Temperature,
        offset: u32,
        limit: u32,
    ) -> StoreResult<Option<(Unit, Vec<crate::store::command::FigureRecord>, i64)>> {
        let Some(unit) = self.unit(scope, unit).await? else { return Ok(None) };
        let (records, total) = self.figure_rows(&unit.path, metric, day, fever.celsius(), offset, limit).await?;
        Ok(Some((unit, records, total)))
    }

    async fn day_report(&self, scope: &UnitPath, unit: &UnitCode, day: Day, fever: Temperature) -> StoreResult<Option<DayReport>> {
        let Some(unit) = self.unit(scope, unit).await? else { return Ok(None) };
        let children = self.children(scope, &UnitCode::parse(&unit.code)?).await?;
        // Children of one unit are one level down, so their paths have one length: facts are
        // grouped by their path's prefix of that length (a fact on the unit itself keeps its own).
        let prefix = children.first().map_or(unit.path.as_str().len() + 1, |(child, _)| child.path.as_str().len());
        let parts = Parts { path: &unit.path, by: PartBy::Prefix(prefix) };
        let mut figures = count_figures(&mut *self.reader.acquire().await?, &parts, day, fever.celsius()).await?;
        let mut report = DayReport { unit, own: DayFigures::default(), children: Vec::new() };
        for (child, _) in children {
            let mine = figures.remove(child.path.as_str()).unwrap_or_default();
            report.children.push((child, mine));
        }
        for rest in figures.values() {
            report.own.add(rest);
        }
        Ok(Some(report))
    }
}

/// The condition on an order (`order` names the isolations row) that it runs during one of
/// the day's follow-up windows (`due`, as `FollowupWindows::slots` has it), or (not `due`)
/// that it ran through a window that has closed by `day.until` (not released before the
/// window closed) with no follow-up of the order from the window's opening until then. One
/// order counts once, whatever the number of its windows that day.
pub(super) fn push_followup_condition(q: &mut QueryBuilder<Db>, order: &str, day: Day, due: bool) {
    q.push("(FALSE");
    for (opens, closes) in day.followup_windows.on(day.date) {
        if !due && closes > day.until {
            continue;
        }
        q.push(format!(" OR ({order}.starts_at < ")).push_bind(closes);
        q.push(format!(" AND {order}.planned_end > ")).push_bind(opens);
        q.push(format!(" AND ({order}.ended_at IS NULL OR {order}.ended_at > ")).push_bind(opens).push(")");
        if !due {
            q.push(format!(" AND ({order}.ended_at IS NULL OR {order}.ended_at >= ")).push_bind(closes).push(")");
            q.push(format!(" AND NOT EXISTS (SELECT 1 FROM followups f WHERE f.isolation_id = {order}.id AND f.at >= ")).push_bind(opens);
            q.push(" AND f.at < ").push_bind(day.until).push(")");
        }
        q.push(")");
    }
    q.push(")");
}

/// Counts a day's figures from the facts under `parts.path`, grouped as `parts` says: the
/// dashboard's by child, the daily close's by each fact's own unit. A fever is a passage at or
/// above `fever` °C.
// Each query's row is a tuple of its counts, named where it is read just below.
#[allow(clippy::type_complexity)]
pub(super) async fn count_figures(
    conn: &mut <Db as sqlx::Database>::Connection,
    parts: &Parts<'_>,
    day: Day,
    fever: f64,
) -> StoreResult<HashMap<String, DayFigures>> {
    let mut figures: HashMap<String, DayFigures> = HashMap::new();
    // Flows count [from, to); stocks stand at `at` (the day's end, or now); totals run to `to`.
    let (from, to, at) = (day.starts, day.ends, day.until);

    let rows: Vec<(String, i64, i64, i64, i64, i64, i64)> = parts
        .count(&mut *conn, "path", |q| {
            q.push("CAST(SUM(households) AS BIGINT), CAST(SUM(red) AS BIGINT), CAST(SUM(yellow) AS BIGINT), ");
            q.push("CAST(SUM(blue) AS BIGINT), CAST(SUM(white) AS BIGINT), CAST(SUM(residents) AS BIGINT) FROM unit_counts WHERE TRUE");
        })
        .await?;
    for (part, households, red, yellow, blue, white, residents) in rows {
        let f = figures.entry(part).or_default();
        f.households = households;
        f.households_by_colour = ColourFigures { red, yellow, blue, white };
        f.residents = residents;
        f.checkins_expected = residents;
    }

    let rows: Vec<(String, i64, i64, i64, i64, i64, i64)> = parts
        .count(&mut *conn, "unit_path", |q| {
            q.push("COUNT(*), CAST(SUM(CASE WHEN from_key_area THEN 1 ELSE 0 END) AS BIGINT), ");
            when(q, "arrived_at >= ", from, " AND from_key_area");
            when(q, "arrived_at >= ", from, "");
            when(q, "observe_until > ", at, "");
            q.push("CAST(SUM(CASE WHEN observe_until > ").push_bind(at).push(" AND from_key_area THEN 1 ELSE 0 END) AS BIGINT) ");
            q.push("FROM returnees WHERE arrived_at < ").push_bind(at);
        })
        .await?;
    for (part, total, key_area_total, key_area_arrived, arrived, observed, key_area) in rows {
        let f = figures.entry(part).or_default();
        (f.returnees_arrived, f.returnees_in_observation, f.returnees_from_key_areas) = (arrived, observed, key_area);
        (f.totals.returnees, f.totals.returnees_from_key_areas, f.totals.returnees_from_key_areas_arrived) = (total, key_area_total, key_area_arrived);
    }

    let rows: Vec<(String, i64, i64, i64, i64, i64, i64, i64, i64, i64)> = parts
        .count(&mut *conn, "unit_path", |q| {
            for kind in ["home", "central"] {
                q.push("CAST(SUM(CASE WHEN kind = ").push_bind(kind).push(" AND starts_at <= ").push_bind(at);
                q.push(" AND (ended_at IS NULL OR ended_at > ")
                    .push_bind(at)
                    .push(") AND planned_end > ")
                    .push_bind(at)
                    .push(" THEN 1 ELSE 0 END) AS BIGINT), ");
                q.push("CAST(SUM(CASE WHEN kind = ").push_bind(kind).push(" THEN 1 ELSE 0 END) AS BIGINT), ");
                q.push("CAST(SUM(CASE WHEN kind = ").push_bind(kind).push(" AND starts_at >= ").push_bind(from).push(" THEN 1 ELSE 0 END) AS BIGINT), ");
            }
            when(q, "starts_at >= ", from, "");
            q.push("CAST(SUM(CASE WHEN ended_at >= ").push_bind(from).push(" AND ended_at < ").push_bind(to).push(" THEN 1 ELSE 0 END) AS BIGINT), ");
            q.push("CAST(SUM(CASE WHEN ended_at < ").push_bind(to).push(" THEN 1 ELSE 0 END) AS BIGINT) ");
            q.push("FROM isolations WHERE starts_at < ").push_bind(to);
        })
        .await?;
    for (part, home, home_total, home_day, central, central_total, central_day, started, released, released_total) in rows {
        let f = figures.entry(part).or_default();
        (f.isolated_home, f.isolated_central, f.isolations_started, f.isolations_released) = (home, central, started, released);
        let t = &mut f.totals;
        (t.home_started, t.home_started_that_day, t.central_started, t.central_started_that_day, t.released) =
            (home_total, home_day, central_total, central_day, released_total);
    }

    let rows: Vec<(String, i64)> = parts
        .count(&mut *conn, "unit_path", |q| {
            q.push("COUNT(*) FROM followups WHERE at >= ").push_bind(from).push(" AND at < ").push_bind(to);
        })
        .await?;
    for (part, done) in rows {
        figures.entry(part).or_default().followups_done = done;
    }

    let rows: Vec<(String, i64, i64)> = parts
        .count(&mut *conn, "unit_path", |q| {
            for due in [true, false] {
                q.push("CAST(SUM(CASE WHEN ");
                push_followup_condition(q, "isolations", day, due);
                q.push(" THEN 1 ELSE 0 END) AS BIGINT)").push(if due { ", " } else { "" });
            }
            q.push(" FROM isolations WHERE TRUE");
        })
        .await?;
    for (part, due, overdue) in rows {
        let f = figures.entry(part).or_default();
        (f.followups_due, f.followups_overdue) = (due, overdue);
    }

    let rows: Vec<(String, i64, i64)> = parts
        .count(&mut *conn, "unit_path", |q| {
            // Kept per unit and day beside the check-ins (migration 0016), not counted from them.
            q.push("CAST(SUM(reported) AS BIGINT), CAST(SUM(unwell) AS BIGINT) FROM checkin_counts WHERE day = ").push_bind(day.date);
        })
        .await?;
    for (part, reported, unwell) in rows {
        let f = figures.entry(part).or_default();
        (f.checkins_reported, f.checkins_unwell) = (reported, unwell);
    }

    let rows: Vec<(String, i64, i64, i64, i64, i64, i64, i64, i64)> = parts
        .count(&mut *conn, "unit_path", |q| {
            when(q, "at >= ", from, " AND direction = 'in'");
            when(q, "at >= ", from, " AND direction = 'out'");
            when(q, "at >= ", from, " AND outcome = 'turned_back'");
            when(q, "at >= ", from, " AND outcome = 'referred'");
            q.push("CAST(SUM(CASE WHEN at >= ").push_bind(from).push(" AND temperature >= ").push_bind(fever).push(" THEN 1 ELSE 0 END) AS BIGINT), ");
            q.push("COUNT(*), CAST(SUM(CASE WHEN outcome = 'turned_back' THEN 1 ELSE 0 END) AS BIGINT), ");
            q.push("CAST(SUM(CASE WHEN temperature >= ").push_bind(fever).push(" THEN 1 ELSE 0 END) AS BIGINT) FROM passages WHERE at < ").push_bind(to);
        })
        .await?;
    for (part, passages_in, passages_out, turned_back, referred, fevers, total, turned_back_total, fevers_total) in rows {
        let f = figures.entry(part).or_default();
        (f.passages_in, f.passages_out, f.turned_back, f.referred, f.fevers) = (passages_in, passages_out, turned_back, referred, fevers);
        (f.totals.passages, f.totals.turned_back, f.totals.fevers) = (total, turned_back_total, fevers_total);
    }

    let rows: Vec<(String, i64)> = parts
        .count(&mut *conn, "unit_path", |q| {
            q.push("COUNT(*) FROM registrations WHERE passage_id IS NULL");
        })
        .await?;
    for (part, pending) in rows {
        figures.entry(part).or_default().registrations_pending = pending;
    }

    let rows: Vec<(String, i64, i64)> = parts
        .count(&mut *conn, "unit_path", |q| {
            q.push("CAST(SUM(CASE WHEN created_at <= ").push_bind(at).push(" AND (acknowledged_at IS NULL OR acknowledged_at > ").push_bind(at);
            q.push(") THEN 1 ELSE 0 END) AS BIGINT), ");
            q.push("CAST(SUM(CASE WHEN acknowledged_at >= ")
                .push_bind(from)
                .push(" AND acknowledged_at < ")
                .push_bind(to)
                .push(" THEN 1 ELSE 0 END) AS BIGINT) ");
            q.push("FROM alerts WHERE kind <> 'escalation'");
        })
        .await?;
    for (part, open, acknowledged) in rows {
        let f = figures.entry(part).or_default();
        (f.alerts_open, f.alerts_acknowledged) = (open, acknowledged);
    }

    let rows: Vec<(String, i64, i64)> = parts
        .count(&mut *conn, "unit_path", |q| {
            when(q, "at >= ", from, "");
            q.push("COUNT(*) FROM escalations WHERE at < ").push_bind(to);
        })
        .await?;
    for (part, escalated, total) in rows {
        let f = figures.entry(part).or_default();
        (f.alerts_escalated, f.totals.alerts_escalated) = (escalated, total);
    }

    Ok(figures)
}

/// `CAST(SUM(CASE WHEN <column><op> <value><and> THEN 1 ELSE 0 END) AS BIGINT), `: a count of
/// the rows that meet a condition on a bound time, among those the query reads (and a comma:
/// the query's last figure is written plainly).
fn when(q: &mut QueryBuilder<Db>, column_op: &str, value: chrono::DateTime<chrono::Utc>, and: &str) {
    q.push("CAST(SUM(CASE WHEN ").push(column_op).push_bind(value).push(and).push(" THEN 1 ELSE 0 END) AS BIGINT), ");
}

/// How counted facts are grouped.
pub(super) enum PartBy {
    /// By the child each lies under: the prefix of this length of its path.
    Prefix(usize),
    /// By the unit each is registered on (its whole path), over the subtree.
    OwnUnit,
    /// Only what is registered on the unit itself.
    OnlyUnit,
}

/// Counts over a unit's subtree, grouped as `by` says.
pub(super) struct Parts<'a> {
    pub(super) path: &'a UnitPath,
    pub(super) by: PartBy,
}

impl Parts<'_> {
    /// `SELECT <part>, <query> AND <in the subtree> GROUP BY <part>`, where `query` writes the
    /// figures, `FROM` and the first condition. Sums are cast to 64-bit integers (PostgreSQL sums
    /// into wider types).
    async fn count<T>(&self, conn: &mut <Db as sqlx::Database>::Connection, path_column: &str, query: impl FnOnce(&mut QueryBuilder<Db>)) -> StoreResult<Vec<T>>
    where
        T: for<'r> sqlx::FromRow<'r, <Db as sqlx::Database>::Row> + Send + Unpin,
    {
        let part = match self.by {
            PartBy::Prefix(prefix) => format!("substr({path_column}, 1, {prefix})"),
            PartBy::OwnUnit | PartBy::OnlyUnit => path_column.to_owned(),
        };
        let mut builder = QueryBuilder::new(format!("SELECT {part} AS part, "));
        query(&mut builder);
        builder.push(" AND ");
        match self.by {
            PartBy::OnlyUnit => builder.push(path_column).push(" = ").push_bind(self.path.as_str().to_owned()),
            _ => Scope::of(self.path).push_within(&mut builder, path_column),
        };
        builder.push(" GROUP BY part");
        Ok(builder.build_query_as::<T>().fetch_all(&mut *conn).await?)
    }
}
