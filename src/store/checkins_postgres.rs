//! PostgreSQL's side of check-ins as a group write (`checkins::Checkins`): the reads and writes
//! of a group, one statement per kind, in the transaction of `postgres::write_group`.

use chrono::NaiveDate;
use sqlx::{FromRow, Postgres, QueryBuilder, Row};
use uuid::Uuid;

use super::StoreResult;
use super::accounts::{AccountRow, SESSION_ACCOUNT};
use super::checkins::{CheckinJob, GroupKeys, GroupPlan, GroupReads};
use super::sql::CHUNK;
use crate::domain::Health;
use crate::domain::UnitPath;
use crate::domain::checkin::{Report, Whereabouts};

type Tx = super::postgres::PgTx;

/// What a group needs, read inside its transaction, so that a session ended before the commit
/// writes nothing.
pub(crate) async fn read_group(tx: &mut Tx, jobs: &[CheckinJob]) -> StoreResult<GroupReads> {
    let keys = GroupKeys::of(jobs);
    Ok(GroupReads { sessions: sessions(tx, &keys.tokens).await?, homes: homes(tx, &keys.residents).await?, yesterday: reports_before(tx, &keys.timed).await? })
}

/// Writes a group's planned rows and audit entries.
pub(crate) async fn write_group(tx: &mut Tx, plan: &GroupPlan<'_>) -> StoreResult<()> {
    // In (unit, day) order: the counts beside the check-ins (`checkin_counts`, kept by a
    // trigger) are then locked in one order by every group, so two groups never wait on each other.
    let mut rows: Vec<_> = plan.rows.iter().collect();
    rows.sort_by(|a, b| (a.path.as_str(), a.checkin.day).cmp(&(b.path.as_str(), b.checkin.day)));
    for chunk in rows.chunks(CHUNK) {
        let mut query = QueryBuilder::<Postgres>::new(
            "INSERT INTO checkins (resident_id, day, household_id, unit_path, county_code, status, symptoms, location, place, at, via, actor, same_as_yesterday) ",
        );
        query.push_values(chunk, |mut row, planned| {
            let (c, caller) = (planned.checkin, plan.caller_of(planned.job));
            row.push_bind(c.resident_id)
                .push_bind(c.day)
                .push_bind(planned.household)
                .push_bind(planned.path.as_str().to_string())
                .push_bind(planned.path.county_code().map(str::to_string))
                .push_bind(c.report.status.as_str())
                .push_bind(serde_json::to_string(&c.report.symptoms).unwrap_or_else(|_| "[]".into()))
                .push_bind(c.report.location.as_str())
                .push_bind(c.report.place.clone())
                .push_bind(caller.now)
                .push_bind(c.via.as_str())
                .push_bind(caller.login.clone())
                .push_bind(planned.same_as_yesterday);
        });
        query.push(super::checkins::UPSERT);
        query.build().execute(&mut **tx).await?;
    }
    for (path, day) in &plan.late {
        sqlx::query(super::history::LATE_FACT_INSERT).bind(path).bind(day).execute(&mut **tx).await?;
    }
    for chunk in plan.audits.chunks(CHUNK) {
        let mut audit = QueryBuilder::<Postgres>::new("INSERT INTO audit_log (at, actor, action, entity, entity_id, unit_path, county_code, detail) ");
        audit.push_values(chunk, |mut row, entry| {
            let caller = plan.caller_of(entry.job);
            row.push_bind(caller.now)
                .push_bind(caller.login.clone())
                .push_bind("create")
                .push_bind("checkins")
                .push_bind(entry.count.to_string())
                .push_bind(entry.unit_path.as_str().to_string())
                .push_bind(entry.unit_path.county_code().map(str::to_string))
                .push_bind(entry.detail.clone());
        });
        audit.build().execute(&mut **tx).await?;
    }
    Ok(())
}

async fn sessions(tx: &mut Tx, tokens: &[&str]) -> StoreResult<std::collections::HashMap<String, (chrono::DateTime<chrono::Utc>, super::Account)>> {
    let mut sessions = std::collections::HashMap::new();
    if tokens.is_empty() {
        return Ok(sessions);
    }
    let sql = format!("SELECT {SESSION_ACCOUNT} WHERE s.token = ANY($1)");
    for row in sqlx::query(sqlx::AssertSqlSafe(sql)).bind(tokens).fetch_all(&mut **tx).await? {
        let account = AccountRow::from_row(&row)?.into_account()?;
        sessions.insert(row.try_get("token")?, (row.try_get("expires_at")?, account));
    }
    Ok(sessions)
}

async fn homes(tx: &mut Tx, ids: &[Uuid]) -> StoreResult<std::collections::HashMap<Uuid, (Uuid, UnitPath)>> {
    let found: Vec<(Uuid, Uuid, String)> =
        sqlx::query_as("SELECT id, household_id, unit_path FROM residents WHERE id = ANY($1)").bind(ids).fetch_all(&mut **tx).await?;
    Ok(found.into_iter().map(|(id, household, path)| (id, (household, UnitPath::from_stored(path)))).collect())
}

/// The report of the day before each (resident, day): one key of the primary key
/// `(resident_id, day)` per check-in, never a resident's whole history.
async fn reports_before(tx: &mut Tx, wanted: &[(Uuid, NaiveDate)]) -> StoreResult<std::collections::HashMap<(Uuid, NaiveDate), Report>> {
    let mut found = std::collections::HashMap::new();
    let (ids, days): (Vec<Uuid>, Vec<NaiveDate>) = wanted.iter().filter_map(|(id, day)| Some((*id, day.pred_opt()?))).unzip();
    if ids.is_empty() {
        return Ok(found);
    }
    let rows: Vec<(Uuid, NaiveDate, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT c.resident_id, c.day, c.status, c.symptoms, c.location, c.place FROM UNNEST($1::uuid[], $2::date[]) AS w(resident_id, day) \
             JOIN checkins c ON c.resident_id = w.resident_id AND c.day = w.day",
    )
    .bind(&ids)
    .bind(&days)
    .fetch_all(&mut **tx)
    .await?;
    for (id, day, status, symptoms, location, place) in rows {
        if let Some(next) = day.succ_opt() {
            let report = Report {
                status: Health::from_stored(&status)?,
                symptoms: super::sql::stored_list(&symptoms)?,
                location: Whereabouts::from_stored(&location)?,
                place,
            };
            found.insert((id, next), report);
        }
    }
    Ok(found)
}
