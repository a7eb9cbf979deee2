//! `HistoryStore` for this backend: the daily close and the stored days a trend sums.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{QueryBuilder, Row};

use super::Db;
use super::command::{PartBy, Parts, count_figures};
use crate::domain::command::DayFigures;
use crate::domain::{Temperature, UnitCode, UnitPath};
use crate::store::command::Day;
use crate::store::history::{COLUMNS, figures, values};
use crate::store::{HistoryStore, SqlStore, StoreResult, Unit, UnitStore};

/// Rows written by one statement: well under both backends' limit of bound values.
const ROWS_PER_INSERT: usize = 400;

#[async_trait]
impl HistoryStore for SqlStore<Db> {
    async fn close_day(&self, day: Day, fever: Temperature, now: DateTime<Utc>) -> StoreResult<usize> {
        let root = UnitPath::root();
        // Counted inside the writing transaction, so that no late fact for the day falls
        // between the count and the rows (its own recount waits for this transaction).
        let mut tx = self.writer.begin().await?;
        let mut counted = count_figures(&mut tx, &Parts { path: &root, by: PartBy::OwnUnit }, day, fever.celsius()).await?;
        let units: Vec<(String, String)> = sqlx::query_as("SELECT code, path FROM units").fetch_all(&mut *tx).await?;
        let own: Vec<(&str, &str, [i64; 28])> =
            units.iter().map(|(code, path)| (code.as_str(), path.as_str(), values(&counted.remove(path).unwrap_or_default()))).collect();
        // Each unit's subtree: its own figures added to its own row and to each unit's above it.
        let mut subtree: std::collections::HashMap<&str, [i64; 28]> = units.iter().map(|(_, path)| (path.as_str(), [0; 28])).collect();
        for (_, path, v) in &own {
            for above in units_above_and(path) {
                if let Some(sum) = subtree.get_mut(above) {
                    sum.iter_mut().zip(v).for_each(|(s, v)| *s += v);
                }
            }
        }
        sqlx::query("DELETE FROM unit_day_figures WHERE day = $1").bind(day.date).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM subtree_day_figures WHERE day = $1").bind(day.date).execute(&mut *tx).await?;
        for chunk in own.chunks(ROWS_PER_INSERT) {
            let mut insert = QueryBuilder::new(format!("INSERT INTO unit_day_figures (unit_code, unit_path, day, {}) ", COLUMNS.join(", ")));
            insert.push_values(chunk, |mut row, (code, path, v)| {
                row.push_bind(code.to_string()).push_bind(path.to_string()).push_bind(day.date);
                for value in v {
                    row.push_bind(*value);
                }
            });
            insert.build().execute(&mut *tx).await?;
            let mut insert = QueryBuilder::new(format!("INSERT INTO subtree_day_figures (unit_path, day, {}) ", COLUMNS.join(", ")));
            insert.push_values(chunk, |mut row, (_, path, _)| {
                row.push_bind(path.to_string()).push_bind(day.date);
                for value in subtree[path] {
                    row.push_bind(value);
                }
            });
            insert.build().execute(&mut *tx).await?;
        }
        sqlx::query(
            "INSERT INTO day_closes (day, closed_at, fever, followup_windows) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (day) DO UPDATE SET closed_at = excluded.closed_at, fever = excluded.fever, followup_windows = excluded.followup_windows",
        )
        .bind(day.date)
        .bind(now)
        .bind(fever.celsius())
        .bind(day.followup_windows.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(units.len())
    }

    async fn last_closed_day(&self) -> StoreResult<Option<NaiveDate>> {
        Ok(sqlx::query_scalar("SELECT day FROM day_closes ORDER BY day DESC LIMIT 1").fetch_optional(&self.reader).await?)
    }

    async fn first_fact_day(&self) -> StoreResult<Option<NaiveDate>> {
        let first: Option<DateTime<Utc>> = sqlx::query_scalar("SELECT at FROM audit_log ORDER BY id LIMIT 1").fetch_optional(&self.reader).await?;
        Ok(first.map(crate::domain::time::local_date))
    }

    async fn closed_days(
        &self,
        scope: &UnitPath,
        unit: &UnitCode,
        first: NaiveDate,
        last: NaiveDate,
    ) -> StoreResult<Option<(Unit, Vec<(NaiveDate, DayFigures)>)>> {
        let Some(unit) = self.unit(scope, unit).await? else { return Ok(None) };
        // The subtree's own row of each day: kept by the close and the recounts.
        let mut query = QueryBuilder::new(format!("SELECT day, {} FROM subtree_day_figures WHERE unit_path = ", COLUMNS.join(", ")));
        query.push_bind(unit.path.as_str().to_owned()).push(" AND day >= ").push_bind(first).push(" AND day <= ").push_bind(last);
        query.push(" ORDER BY day");
        let rows = query.build().fetch_all(&self.reader).await?;
        let days = rows
            .iter()
            .map(|row| {
                let day: NaiveDate = row.try_get(0)?;
                let mut v = [0i64; COLUMNS.len()];
                for (i, value) in v.iter_mut().enumerate() {
                    *value = row.try_get(i + 1)?;
                }
                Ok((day, figures(&v)))
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok(Some((unit, days)))
    }

    async fn recount_late_facts(&self) -> StoreResult<usize> {
        // Notes are taken by id: one written after this transaction's read (a fact committed
        // beside it) stays for the next turn, and a note of a day whose close has not
        // committed waits for it.
        let mut tx = self.writer.begin().await?;
        let notes: Vec<(i64, String, NaiveDate)> =
            sqlx::query_as("SELECT id, unit_path, day FROM late_facts ORDER BY id LIMIT 1000").fetch_all(&mut *tx).await?;
        if notes.is_empty() {
            return Ok(0);
        }
        let mut days: std::collections::BTreeMap<(String, NaiveDate), Vec<i64>> = std::collections::BTreeMap::new();
        for (id, path, day) in notes {
            days.entry((path, day)).or_default().push(id);
        }
        let mut taken = Vec::new();
        for ((path, day), ids) in days {
            let close: Option<(f64, String)> =
                sqlx::query_as("SELECT fever, followup_windows FROM day_closes WHERE day = $1").bind(day).fetch_optional(&mut *tx).await?;
            if let Some((fever, windows)) = close {
                recount_day(&mut tx, &UnitPath::from_stored(path), day, fever, &windows).await?;
                taken.extend(ids);
            }
        }
        for chunk in taken.chunks(crate::store::sql::CHUNK) {
            let mut delete = QueryBuilder::new("DELETE FROM late_facts WHERE id IN (");
            let mut list = delete.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            delete.push(")");
            delete.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(taken.len())
    }
}

/// After a fact dated `at` was written on the unit at `path` (a returnee's arrival, the start
/// of an isolation order): the unit's stored figures of each closed day from that day on,
/// counted again from the facts. A fact of today changes no closed day and costs nothing here.
pub(crate) async fn recount_closed_days(tx: &mut super::Tx, now: DateTime<Utc>, path: &str, at: DateTime<Utc>) -> StoreResult<()> {
    let day = crate::domain::time::local_date(at);
    if day >= crate::domain::time::local_date(now) {
        return Ok(());
    }
    let closes: Vec<(NaiveDate, f64, String)> =
        sqlx::query_as("SELECT day, fever, followup_windows FROM day_closes WHERE day >= $1 ORDER BY day").bind(day).fetch_all(&mut **tx).await?;
    let path = UnitPath::from_stored(path.to_owned());
    for (date, fever, windows) in closes {
        recount_day(tx, &path, date, fever, &windows).await?;
    }
    Ok(())
}

/// The stored figures of the unit at `path` (its own, not its subtree's) for the closed day
/// `date`, counted again from the facts, with the fever line and follow-up windows of its close.
async fn recount_day(tx: &mut super::Tx, path: &UnitPath, date: NaiveDate, fever: f64, windows: &str) -> StoreResult<()> {
    let (starts, ends) = crate::domain::command::day_bounds(date);
    let followup_windows = crate::domain::isolation::FollowupWindows::parse(windows)?;
    let day = Day { date, starts, ends, until: ends, followup_windows };
    let counted = count_figures(tx, &Parts { path, by: PartBy::OnlyUnit }, day, fever).await?.remove(path.as_str()).unwrap_or_default();
    let counted_columns = &COLUMNS[crate::store::history::COUNTED_FROM..];
    let counted = &values(&counted)[crate::store::history::COUNTED_FROM..];
    let mut select = QueryBuilder::new(format!("SELECT {} FROM unit_day_figures WHERE unit_path = ", counted_columns.join(", ")));
    select.push_bind(path.as_str().to_owned()).push(" AND day = ").push_bind(date);
    // A unit made after the day's close has no row of that day, here or in any subtree's.
    let Some(stored) = select.build().fetch_optional(&mut **tx).await? else { return Ok(()) };
    let mut update = QueryBuilder::new("UPDATE unit_day_figures SET ");
    let mut list = update.separated(", ");
    for (column, value) in counted_columns.iter().zip(counted) {
        list.push(format!("{column} = ")).push_bind_unseparated(*value);
    }
    update.push(" WHERE unit_path = ").push_bind(path.as_str().to_owned()).push(" AND day = ").push_bind(date);
    update.build().execute(&mut **tx).await?;
    // What changed, added to the subtree rows of the unit and of every unit above it.
    let mut change = QueryBuilder::new("UPDATE subtree_day_figures SET ");
    let mut list = change.separated(", ");
    let mut changed = false;
    for (i, (column, value)) in counted_columns.iter().zip(counted).enumerate() {
        let delta = value - stored.try_get::<i64, _>(i)?;
        changed |= delta != 0;
        list.push(format!("{column} = {column} + ")).push_bind_unseparated(delta);
    }
    if !changed {
        return Ok(());
    }
    change.push(" WHERE day = ").push_bind(date).push(" AND unit_path IN (");
    let mut paths = change.separated(", ");
    for above in units_above_and(path.as_str()) {
        paths.push_bind(above.to_owned());
    }
    change.push(")");
    change.build().execute(&mut **tx).await?;
    Ok(())
}

/// The paths of a unit and of every unit above it: each prefix of its path that ends a
/// segment (`/15/`, `/15/1505/`, …, the path itself).
fn units_above_and(path: &str) -> impl Iterator<Item = &str> {
    path.char_indices().filter(|&(i, c)| c == '/' && i > 0).map(move |(i, _)| &path[..=i])
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_path_names_the_units_above_it_and_itself() {
        let paths: Vec<&str> = super::units_above_and("/15/1505/150502/").collect();
        assert_eq!(paths, ["/15/", "/15/1505/", "/15/1505/150502/"]);
    }
}
