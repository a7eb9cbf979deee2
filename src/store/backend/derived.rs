//! Derived state: what the store keeps beside the facts, in the transaction that changes
//! them, so that no reader ever derives it. A household's colour (and the history of its
//! colours) follows from its residents, returnees, key areas and isolation orders; a unit's
//! own counts (`unit_counts`) follow from its households and residents, and a roll-up sums
//! them over a path range; a returnee's `from_key_area` follows from the key areas over it.
//!
//! Every write path that changes a fact behind colours or counts calls `refresh` (or, for
//! key areas, `rederive_key_areas`) before it commits; nothing else writes these columns.
//!
//! The daily close's stored figures (`unit_day_figures`) are derived too: a write of a fact
//! dated on a day already closed calls `dated_fact`, which recounts that unit's closed days.

use sqlx::QueryBuilder;

use super::{Db, Tx};
use crate::domain::{Caller, Colour, ColourCause, ColourFacts, Stay, UnitPath};
use crate::store::scope::Scope;
use crate::store::{Figures, SqlStore, StoreResult};

/// After facts of `households` changed: their colours, then the counts of `units` (the units
/// those households lie in, whose counts include the colours).
pub(crate) async fn refresh(tx: &mut Tx, caller: &Caller, households: &[uuid::Uuid], units: &[String]) -> StoreResult<()> {
    refresh_colours(tx, caller, households).await?;
    refresh_counts(tx, units).await
}

/// Re-derives the colour of each household from its facts (renters, returnees within
/// their observation window, from a key area, an isolation order under way, as of
/// `caller.now`) and records every change of colour or cause.
pub(crate) async fn refresh_colours(tx: &mut Tx, caller: &Caller, ids: &[uuid::Uuid]) -> StoreResult<()> {
    for chunk in ids.chunks(crate::store::sql::CHUNK) {
        let mut query = sqlx::QueryBuilder::new(
            "SELECT h.id, h.colour, h.colour_cause, EXISTS (SELECT 1 FROM residents r WHERE r.household_id = h.id AND r.residence = 'renter'), ",
        );
        query.push("EXISTS (SELECT 1 FROM returnees t WHERE t.household_id = h.id AND t.observe_until > ").push_bind(caller.now).push("), ");
        query
            .push("EXISTS (SELECT 1 FROM returnees t WHERE t.household_id = h.id AND t.from_key_area AND t.observe_until > ")
            .push_bind(caller.now)
            .push("), ");
        query
            .push("EXISTS (SELECT 1 FROM isolations i WHERE i.household_id = h.id AND i.ended_at IS NULL AND i.starts_at <= ")
            .push_bind(caller.now)
            .push(") ");
        query.push("FROM households h WHERE h.id IN (");
        let mut list = query.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        query.push(")");
        let facts: Vec<(uuid::Uuid, String, String, bool, bool, bool, bool)> = query.build_query_as().fetch_all(&mut **tx).await?;
        let changes: Vec<(uuid::Uuid, String, Colour, ColourCause)> = facts
            .into_iter()
            .filter_map(|(id, old, old_cause, renters, returnee_in_window, from_key_area, under_isolation)| {
                let facts = ColourFacts { renters, returnee_in_window, from_key_area, under_isolation };
                let (colour, cause) = facts.colour();
                (old != colour.as_str() || old_cause != cause.as_str()).then_some((id, old, colour, cause))
            })
            .collect();
        for (id, _, colour, cause) in &changes {
            sqlx::query("UPDATE households SET colour = $1, colour_cause = $2 WHERE id = $3")
                .bind(colour.as_str())
                .bind(cause.as_str())
                .bind(*id)
                .execute(&mut **tx)
                .await?;
        }
        record_colour_changes(tx, caller, changes.iter().map(|(id, old, colour, cause)| (*id, (!old.is_empty()).then_some(old.as_str()), *colour, *cause)))
            .await?;
    }
    Ok(())
}

pub(crate) async fn record_colour_changes<'a>(
    tx: &mut Tx,
    caller: &Caller,
    changes: impl Iterator<Item = (uuid::Uuid, Option<&'a str>, Colour, ColourCause)>,
) -> StoreResult<()> {
    let changes: Vec<_> = changes.collect();
    let sql = colour_changes_sql();
    for chunk in changes.chunks(crate::store::sql::JSON_CHUNK) {
        sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .bind(crate::store::households::colour_changes_json(chunk))
            .bind(caller.now)
            .bind(caller.login.as_str())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Inserts the colour changes of the JSON rows `$1`, at `$2`, by `$3`.
pub(crate) fn colour_changes_sql() -> String {
    use crate::store::sql::Dialect as _;
    format!(
        "INSERT INTO colour_changes (household_id, at, from_colour, to_colour, cause, actor) SELECT {}, $2, j.value ->> 1, j.value ->> 2, j.value ->> 3, $3 FROM {}",
        SqlStore::<Db>::uuid("j.value ->> 0"),
        SqlStore::<Db>::JSON_ROWS
    )
}

/// Rewrites the figures of the given units from their households and residents.
pub(crate) async fn refresh_counts(tx: &mut Tx, unit_codes: &[String]) -> StoreResult<()> {
    for chunk in unit_codes.chunks(crate::store::sql::CHUNK) {
        let mut query = sqlx::QueryBuilder::new(
            "INSERT INTO unit_counts (unit_code, path, households, red, yellow, blue, white, residents) \
             SELECT u.code, u.path, \
             (SELECT COUNT(*) FROM households h WHERE h.unit_code = u.code), \
             (SELECT COUNT(*) FROM households h WHERE h.unit_code = u.code AND h.colour = 'red'), \
             (SELECT COUNT(*) FROM households h WHERE h.unit_code = u.code AND h.colour = 'yellow'), \
             (SELECT COUNT(*) FROM households h WHERE h.unit_code = u.code AND h.colour = 'blue'), \
             (SELECT COUNT(*) FROM households h WHERE h.unit_code = u.code AND h.colour = 'white'), \
             (SELECT COUNT(*) FROM residents r WHERE r.unit_path = u.path) \
             FROM units u WHERE u.code IN (",
        );
        let mut list = query.separated(", ");
        for code in chunk {
            list.push_bind(code.as_str());
        }
        query.push(
            ") ON CONFLICT (unit_code) DO UPDATE SET households = excluded.households, red = excluded.red, yellow = excluded.yellow, \
             blue = excluded.blue, white = excluded.white, residents = excluded.residents",
        );
        query.build().execute(&mut **tx).await?;
    }
    Ok(())
}

pub(crate) async fn add_unit_counts(tx: &mut Tx, code: &str, path: &UnitPath) -> StoreResult<()> {
    sqlx::query("INSERT INTO unit_counts (unit_code, path) VALUES ($1, $2)").bind(code).bind(path.as_str()).execute(&mut **tx).await?;
    Ok(())
}

/// Every unit has a row of its own counts, so one range gives the whole subtree.
pub(crate) async fn subtree_figures(reader: &sqlx::Pool<Db>, path: &UnitPath) -> StoreResult<Figures> {
    let mut query = QueryBuilder::new(
        "SELECT COUNT(*), CAST(COALESCE(SUM(households), 0) AS BIGINT), CAST(COALESCE(SUM(residents), 0) AS BIGINT), \
         CAST(COALESCE(SUM(red), 0) AS BIGINT), CAST(COALESCE(SUM(yellow), 0) AS BIGINT), \
         CAST(COALESCE(SUM(blue), 0) AS BIGINT), CAST(COALESCE(SUM(white), 0) AS BIGINT) \
         FROM unit_counts WHERE ",
    );
    Scope::of(path).push_within(&mut query, "path");
    let (units, households, residents, red, yellow, blue, white) = query.build_query_as::<(i64, i64, i64, i64, i64, i64, i64)>().fetch_one(reader).await?;
    Ok(Figures { units: units - 1, households, residents, red, yellow, blue, white })
}

/// The first colours of the households a roster import's run creates, which were derived
/// when the import was planned and moved in with them.
pub(crate) async fn record_first_colours_of_run(tx: &mut Tx, caller: &Caller, run: uuid::Uuid) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO colour_changes (household_id, at, from_colour, to_colour, cause, actor) \
         SELECT id, $2, NULL, colour, colour_cause, $3 FROM import_households WHERE run_id = $1 AND seen_head_name IS NULL",
    )
    .bind(run)
    .bind(caller.now)
    .bind(caller.login.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// After a fact dated `at` was written on the unit at `path` (a returnee's arrival, an
/// isolation order's start, typed for an earlier day): the daily close's stored figures of
/// that unit, for every closed day from then on, counted again from the facts. A fact of today
/// touches no closed day and costs no query.
pub(crate) async fn dated_fact(tx: &mut Tx, now: chrono::DateTime<chrono::Utc>, path: &str, at: chrono::DateTime<chrono::Utc>) -> StoreResult<()> {
    super::history::recount_closed_days(tx, now, path, at).await
}

/// Every key area, read inside the transaction that depends on them.
pub(crate) async fn key_area_rows(tx: &mut Tx) -> StoreResult<Vec<crate::store::screening::KeyAreaRow>> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(crate::store::screening::KEY_AREA_SELECT)).fetch_all(&mut **tx).await?)
}

/// After key areas change over `path`: re-derives `from_key_area` of every returnee
/// below it, and the colours and counts that follow.
pub(crate) async fn rederive_key_areas(tx: &mut Tx, caller: &Caller, path: &UnitPath) -> StoreResult<()> {
    let rows = key_area_rows(tx).await?;
    let mut query = QueryBuilder::new(
        "SELECT t.id, t.household_id, h.unit_code, t.unit_path, t.origin, t.travel, t.arrived_at, t.from_key_area \
         FROM returnees t JOIN households h ON h.id = t.household_id WHERE ",
    );
    Scope::of(path).push_within(&mut query, "t.unit_path");
    let returnees: Vec<ReturneeFacts> = query.build_query_as().fetch_all(&mut **tx).await?;
    let mut households = Vec::new();
    let mut units = Vec::new();
    for (id, household, unit_code, at_path, origin, travel, arrived_at, was) in returnees {
        let areas = crate::store::screening::areas_over(&rows, &at_path);
        let travel: Vec<Stay> = serde_json::from_str(&travel).map_err(|_| crate::domain::UnknownWord { kind: "travel", word: travel.clone() })?;
        let now = crate::domain::screening::from_key_area(&crate::store::screening::stays_of(&origin, &travel, arrived_at), &areas);
        if now != was {
            sqlx::query("UPDATE returnees SET from_key_area = $1 WHERE id = $2").bind(now).bind(id).execute(&mut **tx).await?;
            households.push(household);
            units.push(unit_code);
        }
    }
    units.sort();
    units.dedup();
    refresh(tx, caller, &households, &units).await
}

/// A returnee's facts behind `from_key_area`: (id, household, unit code, path, origin, travel, arrival, from a key area).
type ReturneeFacts = (uuid::Uuid, uuid::Uuid, String, String, String, String, chrono::DateTime<chrono::Utc>, bool);
