//! `OrganisationStore` for this backend (三个制度).

use sqlx::QueryBuilder;

use async_trait::async_trait;

use super::{Db, audit};
use crate::domain::{Caller, UnitCode, UnitPath};
use crate::store::scope::Scope;
use crate::store::{Member, NewMember, OrgDay, Organisation, OrganisationStore, SqlStore, StoreError, StoreResult, UnitStore};

#[async_trait]
impl OrganisationStore for SqlStore<Db> {
    async fn create_organisation(
        &self,
        caller: &Caller,
        id: uuid::Uuid,
        fingerprint: Option<&str>,
        unit: &UnitCode,
        name: &str,
        kind: &str,
    ) -> StoreResult<Organisation> {
        let unit = self.unit(&caller.scope, unit).await?.ok_or(StoreError::NotFound)?;
        let mut tx = self.writer.begin().await?;
        if Self::claim_id(&mut tx, caller, "organisation", id, fingerprint, &unit.path).await? == crate::store::client_ids::Claim::New {
            let inserted = sqlx::query(
                "INSERT INTO organisations (id, unit_code, unit_path, name, kind, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
            )
            .bind(id)
            .bind(&unit.code)
            .bind(unit.path.as_str())
            .bind(name)
            .bind(kind)
            .bind(caller.now)
            .execute(&mut *tx)
            .await?;
            crate::store::client_ids::inserted(inserted.rows_affected())?;
            audit(&mut tx, caller, "create", "organisation", id, unit.path.as_str(), serde_json::json!({"name": name, "kind": kind})).await?;
        }
        let (id, unit_code, name, kind): (uuid::Uuid, String, String, String) =
            sqlx::query_as("SELECT id, unit_code, name, kind FROM organisations WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
        tx.commit().await?;
        Ok(Organisation { id, unit_code, name, kind })
    }

    async fn organisations(&self, scope: &UnitPath, unit: &UnitCode) -> StoreResult<Option<Vec<Organisation>>> {
        let Some(unit) = self.unit(scope, unit).await? else { return Ok(None) };
        let mut query = QueryBuilder::new("SELECT id, unit_code, name, kind FROM organisations WHERE ");
        Scope::of(&unit.path).push_within(&mut query, "unit_path").push(" ORDER BY name");
        let rows = query.build_query_as::<(uuid::Uuid, String, String, String)>().fetch_all(&self.reader).await?;
        Ok(Some(rows.into_iter().map(|(id, unit_code, name, kind)| Organisation { id, unit_code, name, kind }).collect()))
    }

    async fn add_members(&self, caller: &Caller, org: uuid::Uuid, members: &[NewMember]) -> StoreResult<usize> {
        use crate::domain::table::{RowError, RowProblem};
        let path = self.org_path(&caller.scope, org).await?.ok_or(StoreError::NotFound)?;
        let staff: Vec<uuid::Uuid> =
            sqlx::query_scalar("SELECT id FROM org_members WHERE org_id = $1 AND relative_of IS NULL").bind(org).fetch_all(&self.reader).await?;
        let new_staff: Vec<uuid::Uuid> = members.iter().filter(|m| m.relative_of.is_none()).map(|m| m.id).collect();
        let errors: Vec<RowError> = members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.relative_of.is_some_and(|of| !staff.contains(&of) && !new_staff.contains(&of)))
            .map(|(i, _)| RowError { row: i + 1, column: Some("relative_of"), problem: RowProblem::NotFound })
            .collect();
        if !errors.is_empty() {
            return Err(StoreError::Rows(errors));
        }
        let mut tx = self.writer.begin().await?;
        let mut added = 0;
        // Staff first, so that relatives added with them find them.
        let mut ordered: Vec<&NewMember> = members.iter().collect();
        ordered.sort_by_key(|m| m.relative_of.is_some());
        for m in ordered {
            if Self::claim_id(&mut tx, caller, "org_member", m.id, m.fingerprint.as_deref(), &path).await? == crate::store::client_ids::Claim::Repeat {
                continue;
            }
            let inserted = sqlx::query(
                "INSERT INTO org_members (id, org_id, unit_path, name, id_number, phone, relative_of, relation, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING",
            )
            .bind(m.id)
            .bind(org)
            .bind(path.as_str())
            .bind(&m.name)
            .bind(m.id_number.as_ref().map(|i| i.as_str()))
            .bind(m.phone.as_ref().map(|p| p.as_str()))
            .bind(m.relative_of)
            .bind(&m.relation)
            .bind(caller.now)
            .execute(&mut *tx)
            .await?;
            crate::store::client_ids::inserted(inserted.rows_affected())?;
            added += 1;
        }
        audit(&mut tx, caller, "create", "org_members", org, path.as_str(), serde_json::json!({"added": added})).await?;
        tx.commit().await?;
        Ok(added)
    }

    async fn org_check_in(
        &self,
        caller: &Caller,
        org: uuid::Uuid,
        day: chrono::NaiveDate,
        reports: &[(uuid::Uuid, crate::domain::checkin::Report)],
    ) -> StoreResult<usize> {
        use crate::domain::table::{RowError, RowProblem};
        let path = self.org_path(&caller.scope, org).await?.ok_or(StoreError::NotFound)?;
        let members: Vec<uuid::Uuid> = sqlx::query_scalar("SELECT id FROM org_members WHERE org_id = $1").bind(org).fetch_all(&self.reader).await?;
        let errors: Vec<RowError> = reports
            .iter()
            .enumerate()
            .filter(|(_, (m, _))| !members.contains(m))
            .map(|(i, _)| RowError { row: i + 1, column: Some("member_id"), problem: RowProblem::NotFound })
            .collect();
        if !errors.is_empty() {
            return Err(StoreError::Rows(errors));
        }
        let mut tx = self.writer.begin().await?;
        for (member, report) in reports {
            sqlx::query(
                "INSERT INTO org_checkins (member_id, day, org_id, status, symptoms, location, place, at, actor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (member_id, day) DO UPDATE SET status = excluded.status, symptoms = excluded.symptoms, location = excluded.location, \
                 place = excluded.place, at = excluded.at, actor = excluded.actor",
            )
            .bind(*member)
            .bind(day)
            .bind(org)
            .bind(report.status.as_str())
            .bind(serde_json::to_string(&report.symptoms).unwrap_or_else(|_| "[]".into()))
            .bind(report.location.as_str())
            .bind(&report.place)
            .bind(caller.now)
            .bind(&caller.login)
            .execute(&mut *tx)
            .await?;
        }
        audit(&mut tx, caller, "create", "org_checkins", org, path.as_str(), serde_json::json!({"day": day, "count": reports.len()})).await?;
        tx.commit().await?;
        Ok(reports.len())
    }

    async fn staff_link(&self, caller: &Caller, org: uuid::Uuid, member: uuid::Uuid, new_token: &str) -> StoreResult<String> {
        let path = self.org_path(&caller.scope, org).await?.ok_or(StoreError::NotFound)?;
        let token: Option<Option<String>> = sqlx::query_scalar("SELECT link_token FROM org_members WHERE id = $1 AND org_id = $2 AND relative_of IS NULL")
            .bind(member)
            .bind(org)
            .fetch_optional(&self.reader)
            .await?;
        match token.ok_or(StoreError::NotFound)? {
            Some(token) => {
                // Whoever holds the link reports for the staff member: handing it out again is audited too.
                let mut tx = self.writer.begin().await?;
                audit(&mut tx, caller, "read", "staff_link", member, path.as_str(), serde_json::json!({"org": org})).await?;
                tx.commit().await?;
                Ok(token)
            }
            None => {
                let mut tx = self.writer.begin().await?;
                sqlx::query("UPDATE org_members SET link_token = $1 WHERE id = $2 AND link_token IS NULL")
                    .bind(new_token)
                    .bind(member)
                    .execute(&mut *tx)
                    .await?;
                audit(&mut tx, caller, "create", "staff_link", member, path.as_str(), serde_json::json!({"org": org})).await?;
                let token: String = sqlx::query_scalar("SELECT link_token FROM org_members WHERE id = $1").bind(member).fetch_one(&mut *tx).await?;
                tx.commit().await?;
                Ok(token)
            }
        }
    }

    async fn staff_by_link(&self, token: &str, day: chrono::NaiveDate) -> StoreResult<Option<(uuid::Uuid, crate::store::organisations::StaffLink)>> {
        let found: Option<(uuid::Uuid, uuid::Uuid, String, String, String, String)> = sqlx::query_as(
            "SELECT m.id, o.id, o.unit_code, o.unit_path, o.name, o.kind FROM org_members m JOIN organisations o ON o.id = m.org_id WHERE m.link_token = $1",
        )
        .bind(token)
        .fetch_optional(&self.reader)
        .await?;
        let Some((staff, org, unit_code, path, name, kind)) = found else { return Ok(None) };
        let rows: Vec<(uuid::Uuid, String, Option<String>, Option<uuid::Uuid>)> = sqlx::query_as(
            "SELECT m.id, m.name, m.relation, c.member_id FROM org_members m LEFT JOIN org_checkins c ON c.member_id = m.id AND c.day = $2 \
             WHERE m.id = $1 OR m.relative_of = $1 ORDER BY m.relative_of IS NOT NULL, m.created_at, m.id",
        )
        .bind(staff)
        .bind(day)
        .fetch_all(&self.reader)
        .await?;
        Ok(Some((
            staff,
            crate::store::organisations::StaffLink {
                org: Organisation { id: org, unit_code, name, kind },
                unit_path: UnitPath::from_stored(path),
                people: rows.into_iter().map(|(id, name, relation, done)| (id, name, relation, done.is_some())).collect(),
            },
        )))
    }

    async fn org_day(&self, caller: &Caller, org: uuid::Uuid, day: chrono::NaiveDate) -> StoreResult<Option<OrgDay>> {
        let Some(path) = self.org_path(&caller.scope, org).await? else { return Ok(None) };
        let (name, kind): (String, String) = sqlx::query_as("SELECT name, kind FROM organisations WHERE id = $1").bind(org).fetch_one(&self.reader).await?;
        let mut tx = self.writer.begin().await?;
        audit(&mut tx, caller, "read", "organisation", org, path.as_str(), serde_json::json!({"what": "day", "day": day})).await?;
        tx.commit().await?;
        let rows: Vec<(uuid::Uuid, String, Option<String>, Option<String>, Option<uuid::Uuid>, Option<String>, Option<uuid::Uuid>)> = sqlx::query_as(
            "SELECT m.id, m.name, m.id_number, m.phone, m.relative_of, m.relation, c.member_id FROM org_members m \
             LEFT JOIN org_checkins c ON c.member_id = m.id AND c.day = $2 WHERE m.org_id = $1 ORDER BY m.created_at, m.id",
        )
        .bind(org)
        .bind(day)
        .fetch_all(&self.reader)
        .await?;
        let members: Vec<Member> = rows
            .into_iter()
            .map(|(id, name, id_number, phone, relative_of, relation, done)| Member {
                id,
                name,
                id_number: id_number.as_deref().map(crate::domain::id_number::mask),
                phone: phone.as_deref().map(crate::domain::phone::mask),
                relative_of,
                relation,
                reported: done.is_some(),
            })
            .collect();
        let reported = members.iter().filter(|m| m.reported).count() as i64;
        let expected = members.len() as i64;
        Ok(Some(OrgDay { name, kind, day, expected, reported, missing_count: expected - reported, members }))
    }
}

impl SqlStore<Db> {
    pub(crate) async fn org_path(&self, scope: &UnitPath, org: uuid::Uuid) -> StoreResult<Option<UnitPath>> {
        let mut query = QueryBuilder::new("SELECT unit_path FROM organisations WHERE id = ");
        query.push_bind(org).push(" AND ");
        Scope::of(scope).push_within(&mut query, "unit_path");
        Ok(query.build_query_scalar::<String>().fetch_optional(&self.reader).await?.map(UnitPath::from_stored))
    }
}
