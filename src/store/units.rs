//! Units of the grid, their staff, and their figures rolled up over the subtree.

use async_trait::async_trait;
use serde::Serialize;

use super::StoreResult;
use crate::domain::unit::NewUnit;
use crate::domain::{Caller, Level, Login, UnitCode, UnitPath};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Unit {
    pub code: String,
    pub name: String,
    pub level: Level,
    pub parent_code: Option<String>,
    /// The materialised path of codes from the top, `/15/1505/150502/`.
    #[schema(value_type = String)]
    pub path: UnitPath,
}

/// A unit's figures over its whole subtree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    /// Units below it, at any depth.
    pub units: i64,
    pub households: i64,
    pub residents: i64,
    pub red: i64,
    pub yellow: i64,
    pub blue: i64,
    pub white: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Duty {
    /// 网格长
    Leader,
    /// 网格员
    Member,
}

impl Duty {
    pub fn as_str(self) -> &'static str {
        match self {
            Duty::Leader => "leader",
            Duty::Member => "member",
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StaffMember {
    pub login: String,
    pub display_name: String,
    pub duty: String,
    pub households: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct UpsertSummary {
    pub created: usize,
    pub renamed: usize,
    pub unchanged: usize,
}

#[async_trait]
pub trait UnitStore {
    /// Creates or renames units, parents first, in one transaction. Each unit is given
    /// with its row number for errors; a parent may be in the batch or already stored.
    async fn upsert_units(&self, caller: &Caller, units: &[(usize, NewUnit)]) -> StoreResult<UpsertSummary>;
    async fn create_unit(&self, caller: &Caller, unit: &NewUnit) -> StoreResult<Unit>;
    async fn rename_unit(&self, caller: &Caller, code: &UnitCode, name: &str) -> StoreResult<Unit>;
    /// The unit, if it lies in `scope`.
    async fn unit(&self, scope: &UnitPath, code: &UnitCode) -> StoreResult<Option<Unit>>;
    /// Code and name of each unit on a path (for breadcrumbs; names are not personal data).
    async fn names_on_path(&self, path: &UnitPath) -> StoreResult<Vec<(String, String)>>;
    async fn children(&self, scope: &UnitPath, code: &UnitCode) -> StoreResult<Vec<(Unit, Figures)>>;
    async fn figures(&self, scope: &UnitPath, code: &UnitCode) -> StoreResult<Option<Figures>>;
    /// Makes an account the unit's leader or a member, or (with `None`) removes it.
    async fn set_staff(&self, caller: &Caller, unit: &UnitCode, login: &Login, duty: Option<Duty>) -> StoreResult<()>;
    async fn staff(&self, scope: &UnitPath, unit: &UnitCode) -> StoreResult<Vec<StaffMember>>;
}

#[derive(sqlx::FromRow)]
pub(crate) struct UnitRow {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
    pub path: String,
}

impl From<UnitRow> for Unit {
    fn from(row: UnitRow) -> Unit {
        Unit {
            code: row.code,
            name: row.name,
            level: Level::parse(&row.level).unwrap_or(Level::Grid),
            parent_code: row.parent_code,
            path: UnitPath::from_stored(row.path),
        }
    }
}

macro_rules! impl_units {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::UnitStore for $store {
            async fn upsert_units(
                &self,
                caller: &$crate::domain::Caller,
                units: &[(usize, $crate::domain::unit::NewUnit)],
            ) -> $crate::store::StoreResult<$crate::store::UpsertSummary> {
                use $crate::domain::table::{RowError, RowProblem};
                use $crate::store::units::UnitRow;
                let mut summary = $crate::store::UpsertSummary::default();
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
                    let parent_path = parent.as_ref().map(|p| $crate::domain::UnitPath::from_stored(p.path.clone())).unwrap_or_else($crate::domain::UnitPath::root);
                    let path = parent_path.child(&unit.code);
                    if !caller.scope.contains(&path) {
                        errors.push(RowError { row: *row, column: Some("parent_code"), problem: RowProblem::UnitNotInScope(unit.code.to_string()) });
                        continue;
                    }
                    let level = unit.level.unwrap_or_else(|| $crate::domain::Level::below(parent.as_ref().map(|p| $crate::domain::Level::parse(&p.level).unwrap_or($crate::domain::Level::Grid))));
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
                            $crate::store::sql::audit!(tx, caller, "update", "unit", unit.code, path.as_str(), serde_json::json!({"name": [old.name, unit.name]}));
                            summary.renamed += 1;
                        }
                        None => {
                            sqlx::query("INSERT INTO units (code, name, level, parent_code, path, county_code, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)")
                                .bind(unit.code.as_str())
                                .bind(&unit.name)
                                .bind(level.as_str())
                                .bind(unit.parent.as_ref().map(|p| p.as_str()))
                                .bind(path.as_str())
                                .bind(path.county_code())
                                .bind(caller.now)
                                .execute(&mut *tx)
                                .await?;
                            Self::add_unit_counts(&mut tx, unit.code.as_str(), &path).await?;
                            summary.created += 1;
                        }
                    }
                }
                if !errors.is_empty() {
                    return Err($crate::store::StoreError::Rows(errors));
                }
                if summary.created > 0 {
                    $crate::store::sql::audit!(tx, caller, "import", "units", "", caller.scope.as_str(), serde_json::json!(summary));
                }
                tx.commit().await?;
                Ok(summary)
            }

            async fn create_unit(&self, caller: &$crate::domain::Caller, unit: &$crate::domain::unit::NewUnit) -> $crate::store::StoreResult<$crate::store::Unit> {
                let parent = unit.parent.as_ref().ok_or($crate::store::StoreError::NotFound)?;
                let Some(parent) = self.unit(&caller.scope, parent).await? else {
                    return Err($crate::store::StoreError::NotFound);
                };
                let path = parent.path.child(&unit.code);
                let level = unit.level.unwrap_or($crate::domain::Level::below(Some(parent.level)));
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
                    .map_err(|e| $crate::store::StoreError::unique(e, "unit code"))?;
                Self::add_unit_counts(&mut tx, unit.code.as_str(), &path).await?;
                $crate::store::sql::audit!(tx, caller, "create", "unit", unit.code, path.as_str(), serde_json::json!({"name": unit.name, "parent_code": parent.code}));
                tx.commit().await?;
                Ok($crate::store::Unit { code: unit.code.to_string(), name: unit.name.clone(), level, parent_code: Some(parent.code), path })
            }

            async fn rename_unit(&self, caller: &$crate::domain::Caller, code: &$crate::domain::UnitCode, name: &str) -> $crate::store::StoreResult<$crate::store::Unit> {
                let mut unit = self.unit(&caller.scope, code).await?.ok_or($crate::store::StoreError::NotFound)?;
                let mut tx = self.writer.begin().await?;
                sqlx::query("UPDATE units SET name = $1, updated_at = $2 WHERE code = $3")
                    .bind(name)
                    .bind(caller.now)
                    .bind(code.as_str())
                    .execute(&mut *tx)
                    .await?;
                $crate::store::sql::audit!(tx, caller, "update", "unit", code, unit.path.as_str(), serde_json::json!({"name": [unit.name, name]}));
                tx.commit().await?;
                unit.name = name.to_string();
                Ok(unit)
            }

            async fn unit(&self, scope: &$crate::domain::UnitPath, code: &$crate::domain::UnitCode) -> $crate::store::StoreResult<Option<$crate::store::Unit>> {
                let query = sqlx::query_as::<_, $crate::store::units::UnitRow>("SELECT code, name, level, parent_code, path FROM units WHERE code = $1 AND path >= $2 AND path < $3")
                    .bind(code.as_str());
                let row = $crate::store::sql::bind_range!(query, scope).fetch_optional(&self.reader).await?;
                Ok(row.map(Into::into))
            }

            async fn names_on_path(&self, path: &$crate::domain::UnitPath) -> $crate::store::StoreResult<Vec<(String, String)>> {
                let codes: Vec<&str> = path.codes().collect();
                let mut names = Vec::with_capacity(codes.len());
                for code in codes {
                    let name: Option<String> = sqlx::query_scalar("SELECT name FROM units WHERE code = $1").bind(code).fetch_optional(&self.reader).await?;
                    names.push((code.to_string(), name.unwrap_or_default()));
                }
                Ok(names)
            }

            async fn children(&self, scope: &$crate::domain::UnitPath, code: &$crate::domain::UnitCode) -> $crate::store::StoreResult<Vec<($crate::store::Unit, $crate::store::Figures)>> {
                // Each child's subtree is the range [path, path with its last '/' made '0'). CROSS
                // JOIN keeps SQLite's planner from scanning unit_counts in the outer loop.
                let query = sqlx::query(
                    "SELECT c.code, c.name, c.level, c.parent_code, c.path, COUNT(*) AS units, \
                     CAST(COALESCE(SUM(uc.households), 0) AS BIGINT) AS households, CAST(COALESCE(SUM(uc.residents), 0) AS BIGINT) AS residents, \
                     CAST(COALESCE(SUM(uc.red), 0) AS BIGINT) AS red, CAST(COALESCE(SUM(uc.yellow), 0) AS BIGINT) AS yellow, \
                     CAST(COALESCE(SUM(uc.blue), 0) AS BIGINT) AS blue, CAST(COALESCE(SUM(uc.white), 0) AS BIGINT) AS white \
                     FROM units c CROSS JOIN unit_counts uc \
                     WHERE c.parent_code = $1 AND c.path >= $2 AND c.path < $3 \
                     AND uc.path >= c.path AND uc.path < substr(c.path, 1, length(c.path) - 1) || '0' \
                     GROUP BY c.code, c.name, c.level, c.parent_code, c.path ORDER BY c.code",
                )
                .bind(code.as_str());
                let rows = $crate::store::sql::bind_range!(query, scope).fetch_all(&self.reader).await?;
                use sqlx::{FromRow, Row};
                rows.iter()
                    .map(|row| {
                        let unit: $crate::store::Unit = $crate::store::units::UnitRow::from_row(row)?.into();
                        let figures = $crate::store::Figures {
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

            async fn figures(&self, scope: &$crate::domain::UnitPath, code: &$crate::domain::UnitCode) -> $crate::store::StoreResult<Option<$crate::store::Figures>> {
                match self.unit(scope, code).await? {
                    Some(unit) => Ok(Some(self.subtree_figures(&unit.path).await?)),
                    None => Ok(None),
                }
            }

            async fn set_staff(
                &self,
                caller: &$crate::domain::Caller,
                unit: &$crate::domain::UnitCode,
                login: &$crate::domain::Login,
                duty: Option<$crate::store::Duty>,
            ) -> $crate::store::StoreResult<()> {
                let unit = self.unit(&caller.scope, unit).await?.ok_or($crate::store::StoreError::NotFound)?;
                let query = sqlx::query_scalar::<_, uuid::Uuid>("SELECT a.id FROM accounts a JOIN units u ON u.code = a.unit_code WHERE a.login = $1 AND u.path >= $2 AND u.path < $3")
                    .bind(login.as_str());
                let account_id = $crate::store::sql::bind_range!(query, caller.scope).fetch_optional(&self.reader).await?.ok_or($crate::store::StoreError::NotFound)?;
                let mut tx = self.writer.begin().await?;
                sqlx::query("DELETE FROM unit_staff WHERE unit_code = $1 AND account_id = $2").bind(&unit.code).bind(account_id).execute(&mut *tx).await?;
                if let Some(duty) = duty {
                    if duty == $crate::store::Duty::Leader {
                        sqlx::query("DELETE FROM unit_staff WHERE unit_code = $1 AND duty = 'leader'").bind(&unit.code).execute(&mut *tx).await?;
                    }
                    sqlx::query("INSERT INTO unit_staff (unit_code, account_id, duty) VALUES ($1, $2, $3)")
                        .bind(&unit.code)
                        .bind(account_id)
                        .bind(duty.as_str())
                        .execute(&mut *tx)
                        .await?;
                }
                $crate::store::sql::audit!(tx, caller, "update", "unit_staff", unit.code, unit.path.as_str(), serde_json::json!({"login": login.as_str(), "duty": duty.map(|d| d.as_str())}));
                tx.commit().await?;
                Ok(())
            }

            async fn staff(&self, scope: &$crate::domain::UnitPath, unit: &$crate::domain::UnitCode) -> $crate::store::StoreResult<Vec<$crate::store::StaffMember>> {
                let query = sqlx::query_as::<_, (String, String, String, i64)>(
                    "SELECT a.login, a.display_name, s.duty, (SELECT COUNT(*) FROM households h WHERE h.member_id = a.id) \
                     FROM unit_staff s JOIN accounts a ON a.id = s.account_id JOIN units u ON u.code = s.unit_code \
                     WHERE s.unit_code = $1 AND u.path >= $2 AND u.path < $3 ORDER BY s.duty, a.login",
                )
                .bind(unit.as_str());
                let rows = $crate::store::sql::bind_range!(query, scope).fetch_all(&self.reader).await?;
                Ok(rows
                    .into_iter()
                    .map(|(login, display_name, duty, households)| $crate::store::StaffMember { login, display_name, duty, households })
                    .collect())
            }
        }

        impl $store {
            /// Every unit has a row of its own counts, so one range gives the whole subtree.
            async fn subtree_figures(&self, path: &$crate::domain::UnitPath) -> $crate::store::StoreResult<$crate::store::Figures> {
                let query = sqlx::query_as::<_, (i64, i64, i64, i64, i64, i64, i64)>(
                    "SELECT COUNT(*), CAST(COALESCE(SUM(households), 0) AS BIGINT), CAST(COALESCE(SUM(residents), 0) AS BIGINT), \
                     CAST(COALESCE(SUM(red), 0) AS BIGINT), CAST(COALESCE(SUM(yellow), 0) AS BIGINT), \
                     CAST(COALESCE(SUM(blue), 0) AS BIGINT), CAST(COALESCE(SUM(white), 0) AS BIGINT) \
                     FROM unit_counts WHERE path >= $1 AND path < $2",
                );
                let (units, households, residents, red, yellow, blue, white) = $crate::store::sql::bind_range!(query, path).fetch_one(&self.reader).await?;
                Ok($crate::store::Figures { units: units - 1, households, residents, red, yellow, blue, white })
            }

            async fn add_unit_counts(tx: &mut $crate::store::sql::Tx<$store>, code: &str, path: &$crate::domain::UnitPath) -> $crate::store::StoreResult<()> {
                sqlx::query("INSERT INTO unit_counts (unit_code, path) VALUES ($1, $2)").bind(code).bind(path.as_str()).execute(&mut **tx).await?;
                Ok(())
            }
        }
    };
}
pub(crate) use impl_units;
