//! `CheckinStore` for this backend. Check-ins go through the group committer; each backend
//! starts its own (`checkins_sqlite.rs`, `checkins_postgres.rs`).

use sqlx::QueryBuilder;

use async_trait::async_trait;

use super::{Db, audit, derived};
use crate::domain::{Caller, UnitCode, UnitPath};
use crate::store::scope::Scope;
use crate::store::{
    CheckedIn, CheckinHousehold, CheckinStore, CheckinSummary, MAX_PAGE, Missing, NewCheckin, Principal, SqlStore, StoreError, StoreResult, UnitStore,
};

#[async_trait]
impl CheckinStore for SqlStore<Db> {
    async fn check_in(&self, who: &Principal, checkins: &[NewCheckin]) -> StoreResult<Vec<CheckedIn>> {
        use std::collections::HashMap;
        // The last word on a resident's day wins, within a batch as across batches.
        let mut latest: HashMap<(uuid::Uuid, chrono::NaiveDate), usize> = HashMap::new();
        for (i, c) in checkins.iter().enumerate() {
            latest.insert((c.resident_id, c.day), i);
        }
        let mut rows: Vec<(usize, NewCheckin)> = latest.into_values().map(|i| (i + 1, checkins[i].clone())).collect();
        rows.sort_by_key(|(row, _)| *row);
        let job = |reply| crate::store::checkins::CheckinJob { who: who.clone(), rows, reply };
        let answered = crate::store::sql::submit!(self, checkins, committer: Self::start_committer::<crate::store::checkins::Checkins>, job)?;
        // A check-in for a day before today (a paper list typed in the next morning): its
        // day's stored figures, if it is closed, are counted again (`late_facts`).
        if answered.iter().any(|c| c.day < crate::domain::time::local_date(who.now())) {
            crate::store::HistoryStore::recount_late_facts(self).await?;
        }
        Ok(answered)
    }

    async fn checkin_token(&self, caller: &Caller, household: uuid::Uuid, new_token: &str, renew: bool) -> StoreResult<String> {
        let mut query = QueryBuilder::new("SELECT unit_path, checkin_token FROM households WHERE id = ");
        query.push_bind(household).push(" AND ");
        Scope::of(&caller.scope).push_within(&mut query, "unit_path");
        let (path, token) = query.build_query_as::<(String, Option<String>)>().fetch_optional(&self.reader).await?.ok_or(StoreError::NotFound)?;
        let mut tx = self.writer.begin().await?;
        if let (Some(_), true) = (&token, renew) {
            sqlx::query("UPDATE households SET checkin_token = $1 WHERE id = $2").bind(new_token).bind(household).execute(&mut *tx).await?;
            audit(&mut tx, caller, "update", "checkin_link", household, path.as_str(), serde_json::json!({"renewed": true})).await?;
            tx.commit().await?;
            return Ok(new_token.to_string());
        }
        if let Some(token) = token {
            // Whoever holds the link can report for the household: handing it out again is audited too.
            audit(&mut tx, caller, "read", "checkin_link", household, path.as_str(), serde_json::json!({})).await?;
            tx.commit().await?;
            return Ok(token);
        }
        sqlx::query("UPDATE households SET checkin_token = $1 WHERE id = $2 AND checkin_token IS NULL")
            .bind(new_token)
            .bind(household)
            .execute(&mut *tx)
            .await?;
        audit(&mut tx, caller, "create", "checkin_link", household, path.as_str(), serde_json::json!({})).await?;
        let token: String = sqlx::query_scalar("SELECT checkin_token FROM households WHERE id = $1").bind(household).fetch_one(&mut *tx).await?;
        tx.commit().await?;
        Ok(token)
    }

    async fn checkin_household(&self, token: &str, day: chrono::NaiveDate) -> StoreResult<Option<CheckinHousehold>> {
        let found: Option<(uuid::Uuid, String, String)> =
            sqlx::query_as("SELECT id, household_no, unit_path FROM households WHERE checkin_token = $1").bind(token).fetch_optional(&self.reader).await?;
        let Some((id, household_no, path)) = found else { return Ok(None) };
        let members: Vec<(uuid::Uuid, String, String, Option<uuid::Uuid>)> = sqlx::query_as(
            "SELECT r.id, r.name, r.relation, c.resident_id FROM residents r LEFT JOIN checkins c ON c.resident_id = r.id AND c.day = $2 \
             WHERE r.household_id = $1 ORDER BY r.birth_date, r.id",
        )
        .bind(id)
        .bind(day)
        .fetch_all(&self.reader)
        .await?;
        Ok(Some(CheckinHousehold {
            id,
            household_no,
            unit_path: UnitPath::from_stored(path),
            members: members.into_iter().map(|(id, name, relation, done)| (id, name, relation, done.is_some())).collect(),
        }))
    }

    async fn checkin_summary(&self, caller: &Caller, unit: &UnitCode, day: chrono::NaiveDate, from: u32, limit: u32) -> StoreResult<Option<CheckinSummary>> {
        let Some(unit) = self.unit(&caller.scope, unit).await? else { return Ok(None) };
        let expected = derived::subtree_figures(&self.reader, &unit.path).await?.residents;
        let subtree = Scope::of(&unit.path);
        let mut query = QueryBuilder::new("SELECT COUNT(*), SUM(CASE WHEN same_as_yesterday THEN 1 ELSE 0 END) FROM checkins WHERE day = ");
        query.push_bind(day).push(" AND ");
        subtree.push_within(&mut query, "unit_path");
        let (reported, flagged) = query.build_query_as::<(i64, Option<i64>)>().fetch_one(&self.reader).await?;
        let mut query = QueryBuilder::new("SELECT COUNT(*) FROM residents r LEFT JOIN checkins c ON c.resident_id = r.id AND c.day = ");
        query.push_bind(day).push(" WHERE ");
        subtree.push_within(&mut query, "r.unit_path").push(" AND c.resident_id IS NULL");
        let missing_count: i64 = query.build_query_scalar().fetch_one(&self.reader).await?;
        let mut query = QueryBuilder::new(
            "SELECT r.id, r.name, r.household_id, h.household_no, h.unit_code, h.unit_path, r.phone, a.login FROM residents r JOIN households h ON h.id = r.household_id \
             LEFT JOIN accounts a ON a.id = h.member_id LEFT JOIN checkins c ON c.resident_id = r.id AND c.day = ",
        );
        query.push_bind(day).push(" WHERE ");
        subtree.push_within(&mut query, "r.unit_path");
        query.push(" AND c.resident_id IS NULL ORDER BY r.unit_path, h.household_no, r.birth_date, r.id LIMIT ").push_bind(i64::from(limit.clamp(1, MAX_PAGE)));
        query.push(" OFFSET ").push_bind(i64::from(from));
        type Row = (uuid::Uuid, String, uuid::Uuid, String, String, String, Option<String>, Option<String>);
        let missing = query.build_query_as::<Row>().fetch_all(&self.reader).await?;
        // The member who holds a household (包联) calls its people: they see the numbers in
        // full, and each household whose numbers they were shown is audited.
        let mut shown: Vec<(uuid::Uuid, &str)> = Vec::new();
        for (.., household_id, _, _, path, phone, member) in &missing {
            if phone.is_some() && member.as_deref() == Some(caller.login.as_str()) && !shown.iter().any(|(id, _)| id == household_id) {
                shown.push((*household_id, path.as_str()));
            }
        }
        if !shown.is_empty() {
            let mut tx = self.writer.begin().await?;
            for (household, path) in &shown {
                audit(&mut tx, caller, "read", "household", *household, path, serde_json::json!({"what": "phones"})).await?;
            }
            tx.commit().await?;
        }
        let missing = missing
            .into_iter()
            .map(|(resident_id, name, household_id, household_no, unit_code, _, phone, member)| {
                let held = member.as_deref() == Some(caller.login.as_str());
                Missing {
                    resident_id,
                    name,
                    household_id,
                    household_no,
                    unit_code,
                    phone: if held { phone } else { phone.as_deref().map(crate::domain::phone::mask) },
                    held,
                }
            })
            .collect();
        Ok(Some(CheckinSummary { day, expected, reported, missing_count, missing_from: from, flagged: flagged.unwrap_or(0), missing }))
    }
}
