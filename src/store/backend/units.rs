//! `UnitStore` for this backend: units, staff, and figures rolled up over a subtree.

use async_trait::async_trait;

use sqlx::QueryBuilder;

use super::{Db, audit, derived};
use crate::domain::error::Reason;
use crate::domain::issuing_body::IssuingBody;
use crate::domain::{Caller, DomainError, Level, Login, UnitCode, UnitPath};
use crate::store::scope::{Scope, within_column};
use crate::store::{Duty, Figures, Issuer, SqlStore, StaffMember, StoreError, StoreResult, Unit, UnitStore, UpsertSummary};

#[async_trait]
impl UnitStore for SqlStore<Db> {
    async fn upsert_units(&self, caller: &Caller, units: &[(usize, crate::domain::unit::NewUnit)]) -> StoreResult<UpsertSummary> {
        use crate::domain::table::{RowError, RowProblem};
        use crate::store::units::UnitRow;
        let mut summary = UpsertSummary::default();
        let mut errors = Vec::new();
        let mut tx = self.writer.begin().await?;
        for (row, unit) in units {
            let parent: Option<UnitRow> = match &unit.parent {
                None => None,
                Some(parent) => {
                    let found: Option<UnitRow> = sqlx::query_as("SELECT code, name, level, parent_code, path FROM units WHERE code = $1")
                        .bind(parent.as_str())
                        .fetch_optional(&mut *tx)
                        .await?;
                    match found {
                        Some(p) => Some(p),
                        None => {
                            errors.push(RowError { row: *row, column: Some("parent_code"), problem: RowProblem::UnknownParent(parent.to_string()) });
                            continue;
                        }
                    }
                }
            };
            let parent_path = parent.as_ref().map(|p| UnitPath::from_stored(p.path.clone())).unwrap_or_else(UnitPath::root);
            let path = parent_path.child(&unit.code);
            if !caller.scope.contains(&path) {
                errors.push(RowError { row: *row, column: Some("parent_code"), problem: RowProblem::UnitNotInScope(unit.code.to_string()) });
                continue;
            }
            let level = unit.level.unwrap_or_else(|| Level::below(parent.as_ref().map(|p| Level::parse(&p.level).unwrap_or(Level::Grid))));
            let existing: Option<UnitRow> = sqlx::query_as("SELECT code, name, level, parent_code, path FROM units WHERE code = $1")
                .bind(unit.code.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            match existing {
                Some(old) if old.path != path.as_str() => {
                    errors.push(RowError { row: *row, column: Some("parent_code"), problem: RowProblem::ParentChanged(old.parent_code.unwrap_or_default()) });
                }
                Some(old) if old.name == unit.name => summary.unchanged += 1,
                Some(old) => {
                    sqlx::query("UPDATE units SET name = $1, updated_at = $2 WHERE code = $3")
                        .bind(&unit.name)
                        .bind(caller.now)
                        .bind(unit.code.as_str())
                        .execute(&mut *tx)
                        .await?;
                    audit(&mut tx, caller, "update", "unit", &unit.code, path.as_str(), serde_json::json!({"name": [old.name, unit.name]})).await?;
                    summary.renamed += 1;
                }
                None => {
                    sqlx::query(
                        "INSERT INTO units (code, name, level, parent_code, path, county_code, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
                    )
                    .bind(unit.code.as_str())
                    .bind(&unit.name)
                    .bind(level.as_str())
                    .bind(unit.parent.as_ref().map(|p| p.as_str()))
                    .bind(path.as_str())
                    .bind(path.county_code())
                    .bind(caller.now)
                    .execute(&mut *tx)
                    .await?;
                    derived::add_unit_counts(&mut tx, unit.code.as_str(), &path).await?;
                    summary.created += 1;
                }
            }
        }
        if !errors.is_empty() {
            return Err(StoreError::Rows(errors));
        }
        if summary.created > 0 {
            audit(&mut tx, caller, "import", "units", "", caller.scope.as_str(), serde_json::json!(summary)).await?;
        }
        tx.commit().await?;
        Ok(summary)
    }

    async fn create_unit(&self, caller: &Caller, unit: &crate::domain::unit::NewUnit) -> StoreResult<Unit> {
        let parent = unit.parent.as_ref().ok_or(StoreError::NotFound)?;
        let Some(parent) = self.unit(&caller.scope, parent).await? else {
            return Err(StoreError::NotFound);
        };
        let path = parent.path.child(&unit.code);
        let level = unit.level.unwrap_or(Level::below(Some(parent.level)));
        let mut tx = self.writer.begin().await?;
        sqlx::query("INSERT INTO units (code, name, level, parent_code, path, county_code, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)")
            .bind(unit.code.as_str())
            .bind(&unit.name)
            .bind(level.as_str())
            .bind(&parent.code)
            .bind(path.as_str())
            .bind(path.county_code())
            .bind(caller.now)
            .execute(&mut *tx)
            .await
            .map_err(|e| StoreError::unique(e, "unit code"))?;
        derived::add_unit_counts(&mut tx, unit.code.as_str(), &path).await?;
        audit(&mut tx, caller, "create", "unit", &unit.code, path.as_str(), serde_json::json!({"name": unit.name, "parent_code": parent.code})).await?;
        tx.commit().await?;
        Ok(Unit { code: unit.code.to_string(), name: unit.name.clone(), level, parent_code: Some(parent.code), path })
    }

    async fn rename_unit(&self, caller: &Caller, code: &UnitCode, name: &str) -> StoreResult<Unit> {
        let mut unit = self.unit(&caller.scope, code).await?.ok_or(StoreError::NotFound)?;
        let mut tx = self.writer.begin().await?;
        sqlx::query("UPDATE units SET name = $1, updated_at = $2 WHERE code = $3").bind(name).bind(caller.now).bind(code.as_str()).execute(&mut *tx).await?;
        audit(&mut tx, caller, "update", "unit", code, unit.path.as_str(), serde_json::json!({"name": [unit.name, name]})).await?;
        tx.commit().await?;
        unit.name = name.to_string();
        Ok(unit)
    }

    async fn unit(&self, scope: &UnitPath, code: &UnitCode) -> StoreResult<Option<Unit>> {
        let mut query = QueryBuilder::new("SELECT code, name, level, parent_code, path FROM units WHERE code = ");
        query.push_bind(code.as_str()).push(" AND ");
        Scope::of(scope).push_within(&mut query, "path");
        let row = query.build_query_as::<crate::store::units::UnitRow>().fetch_optional(&self.reader).await?;
        Ok(row.map(Into::into))
    }

    async fn names_on_path(&self, path: &UnitPath) -> StoreResult<Vec<(String, String)>> {
        let codes: Vec<&str> = path.codes().collect();
        let mut names = Vec::with_capacity(codes.len());
        for code in codes {
            let name: Option<String> = sqlx::query_scalar("SELECT name FROM units WHERE code = $1").bind(code).fetch_optional(&self.reader).await?;
            names.push((code.to_string(), name.unwrap_or_default()));
        }
        Ok(names)
    }

    async fn unit_names(&self, codes: &[&str]) -> StoreResult<Vec<(String, String)>> {
        let mut names = Vec::with_capacity(codes.len());
        for chunk in codes.chunks(500) {
            let mut query = QueryBuilder::new("SELECT code, name FROM units WHERE code IN (");
            let mut each = query.separated(", ");
            for code in chunk {
                each.push_bind(*code);
            }
            query.push(")");
            names.extend(query.build_query_as::<(String, String)>().fetch_all(&self.reader).await?);
        }
        Ok(names)
    }

    async fn children(&self, scope: &UnitPath, code: &UnitCode) -> StoreResult<Vec<(Unit, Figures)>> {
        // Each child's subtree is the range [path, path with its last '/' made '0'). CROSS
        // JOIN keeps SQLite's planner from scanning unit_counts in the outer loop.
        let mut query = QueryBuilder::new(
            "SELECT c.code, c.name, c.level, c.parent_code, c.path, COUNT(*) AS units, \
             CAST(COALESCE(SUM(uc.households), 0) AS BIGINT) AS households, CAST(COALESCE(SUM(uc.residents), 0) AS BIGINT) AS residents, \
             CAST(COALESCE(SUM(uc.red), 0) AS BIGINT) AS red, CAST(COALESCE(SUM(uc.yellow), 0) AS BIGINT) AS yellow, \
             CAST(COALESCE(SUM(uc.blue), 0) AS BIGINT) AS blue, CAST(COALESCE(SUM(uc.white), 0) AS BIGINT) AS white \
             FROM units c CROSS JOIN unit_counts uc \
             WHERE c.parent_code = ",
        );
        query.push_bind(code.as_str()).push(" AND ");
        Scope::of(scope).push_within(&mut query, "c.path");
        query.push(" AND ").push(within_column("uc.path", "c.path"));
        query.push(" GROUP BY c.code, c.name, c.level, c.parent_code, c.path ORDER BY c.code");
        let rows = query.build().fetch_all(&self.reader).await?;
        use sqlx::{FromRow, Row};
        rows.iter()
            .map(|row| {
                let unit: Unit = crate::store::units::UnitRow::from_row(row)?.into();
                let figures = Figures {
                    units: row.try_get::<i64, _>("units")? - 1,
                    households: row.try_get("households")?,
                    residents: row.try_get("residents")?,
                    red: row.try_get("red")?,
                    yellow: row.try_get("yellow")?,
                    blue: row.try_get("blue")?,
                    white: row.try_get("white")?,
                };
                Ok((unit, figures))
            })
            .collect()
    }

    async fn figures(&self, scope: &UnitPath, code: &UnitCode) -> StoreResult<Option<Figures>> {
        match self.unit(scope, code).await? {
            Some(unit) => Ok(Some(derived::subtree_figures(&self.reader, &unit.path).await?)),
            None => Ok(None),
        }
    }

    async fn set_staff(&self, caller: &Caller, unit: &UnitCode, login: &Login, duty: Option<Duty>) -> StoreResult<()> {
        let unit = self.unit(&caller.scope, unit).await?.ok_or(StoreError::NotFound)?;
        let mut query = QueryBuilder::new("SELECT a.id, a.role, u.path FROM accounts a JOIN units u ON u.code = a.unit_code WHERE a.login = ");
        query.push_bind(login.as_str()).push(" AND ");
        Scope::of(&caller.scope).push_within(&mut query, "u.path");
        // An unknown login is a problem with what was typed, named by its field.
        let unknown = || StoreError::Domain(DomainError::invalid("login", Reason::Unknown));
        let (account_id, role, path) = query.build_query_as::<(uuid::Uuid, String, String)>().fetch_optional(&self.reader).await?.ok_or_else(unknown)?;
        // Staff receive the alerts about the unit's residents: they must see the unit, and it
        // must be their work (a leader for 网格长, a member or leader for 网格员).
        if let Some(duty) = duty
            && (!UnitPath::from_stored(path).contains(&unit.path) || !crate::domain::Role::from_stored(&role)?.may_be_staff(duty == Duty::Leader))
        {
            return Err(StoreError::Domain(DomainError::invalid("login", Reason::NotStaff)));
        }
        let mut tx = self.writer.begin().await?;
        sqlx::query("DELETE FROM unit_staff WHERE unit_code = $1 AND account_id = $2").bind(&unit.code).bind(account_id).execute(&mut *tx).await?;
        if let Some(duty) = duty {
            if duty == Duty::Leader {
                sqlx::query("DELETE FROM unit_staff WHERE unit_code = $1 AND duty = 'leader'").bind(&unit.code).execute(&mut *tx).await?;
            }
            sqlx::query("INSERT INTO unit_staff (unit_code, account_id, duty) VALUES ($1, $2, $3)")
                .bind(&unit.code)
                .bind(account_id)
                .bind(duty.as_str())
                .execute(&mut *tx)
                .await?;
        }
        audit(
            &mut tx,
            caller,
            "update",
            "unit_staff",
            unit.code,
            unit.path.as_str(),
            serde_json::json!({"login": login.as_str(), "duty": duty.map(|d| d.as_str())}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn staff(&self, scope: &UnitPath, unit: &UnitCode) -> StoreResult<Vec<StaffMember>> {
        let mut query = QueryBuilder::new(
            "SELECT a.login, a.display_name, s.duty, (SELECT COUNT(*) FROM households h WHERE h.member_id = a.id) \
             FROM unit_staff s JOIN accounts a ON a.id = s.account_id JOIN units u ON u.code = s.unit_code \
             WHERE s.unit_code = ",
        );
        query.push_bind(unit.as_str()).push(" AND ");
        Scope::of(scope).push_within(&mut query, "u.path");
        query.push(" ORDER BY s.duty, a.login");
        let rows = query.build_query_as::<(String, String, String, i64)>().fetch_all(&self.reader).await?;
        Ok(rows.into_iter().map(|(login, display_name, duty, households)| StaffMember { login, display_name, duty, households }).collect())
    }

    async fn set_issuing_body(&self, caller: &Caller, code: &UnitCode, body: &IssuingBody) -> StoreResult<Issuer> {
        let unit = self.unit(&caller.scope, code).await?.ok_or(StoreError::NotFound)?;
        let mut tx = self.writer.begin().await?;
        let before: Option<(String, String, String)> =
            sqlx::query_as("SELECT name, phone, seal FROM issuing_bodies WHERE unit_code = $1").bind(code.as_str()).fetch_optional(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO issuing_bodies (unit_code, unit_path, name, phone, seal, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (unit_code) DO UPDATE SET name = excluded.name, phone = excluded.phone, seal = excluded.seal, \
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(code.as_str())
        .bind(unit.path.as_str())
        .bind(&body.name)
        .bind(&body.phone)
        .bind(&body.seal)
        .bind(caller.login.as_str())
        .bind(caller.now)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({"issuing_body": {"before": before, "after": [&body.name, &body.phone, &body.seal]}});
        audit(&mut tx, caller, "update", "unit", code, unit.path.as_str(), detail).await?;
        tx.commit().await?;
        Ok(Issuer {
            unit_code: unit.code,
            unit_name: unit.name,
            name: body.name.clone(),
            phone: body.phone.clone(),
            seal: body.seal.clone(),
            updated_at: caller.now,
        })
    }

    async fn units_by_depth(&self, scope: &UnitPath) -> StoreResult<Vec<(i64, i64)>> {
        let mut query = QueryBuilder::new(format!("SELECT {DEPTH} AS depth, COUNT(*) FROM units WHERE "));
        Scope::of(scope).push_within(&mut query, "path");
        query.push(" GROUP BY depth ORDER BY depth");
        Ok(query.build_query_as::<(i64, i64)>().fetch_all(&self.reader).await?)
    }

    async fn unit_tree(&self, scope: &UnitPath, max_depth: i64) -> StoreResult<Vec<Unit>> {
        let mut query = QueryBuilder::new("SELECT code, name, level, parent_code, path FROM units WHERE ");
        Scope::of(scope).push_within(&mut query, "path");
        query.push(format!(" AND {DEPTH} <= ")).push_bind(max_depth);
        // A path sorts after its parent's and before its next sibling's: tree order.
        query.push(" ORDER BY path");
        let rows = query.build_query_as::<crate::store::units::UnitRow>().fetch_all(&self.reader).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn issuing_body(&self, path: &UnitPath) -> StoreResult<Option<Issuer>> {
        if path.codes().next().is_none() {
            return Ok(None);
        }
        let mut query = QueryBuilder::new(
            "SELECT b.unit_code, u.name AS unit_name, b.name, b.phone, b.seal, b.updated_at \
             FROM issuing_bodies b JOIN units u ON u.code = b.unit_code WHERE b.unit_code IN (",
        );
        let mut codes = query.separated(", ");
        for code in path.codes() {
            codes.push_bind(code.to_string());
        }
        // The longest path is the nearest unit.
        query.push(") ORDER BY LENGTH(b.unit_path) DESC LIMIT 1");
        Ok(query.build_query_as::<Issuer>().fetch_optional(&self.reader).await?)
    }
}

impl SqlStore<Db> {}

/// A unit's depth in SQL both dialects speak: the codes of its path, `/15/1505/` being 2.
const DEPTH: &str = "CAST(LENGTH(path) - LENGTH(REPLACE(path, '/', '')) - 1 AS BIGINT)";
