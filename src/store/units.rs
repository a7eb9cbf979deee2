//! Units of the grid, their staff, and their figures rolled up over the subtree.

use async_trait::async_trait;
use serde::Serialize;

use super::StoreResult;
use crate::domain::issuing_body::IssuingBody;
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

/// The issuing body a printout carries, with the unit that set it (the printout's own unit or
/// the nearest above it that has one).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema, sqlx::FromRow)]
pub struct Issuer {
    /// The unit whose HQ set it.
    pub unit_code: String,
    pub unit_name: String,
    pub name: String,
    pub phone: String,
    /// Empty when the body set no seal text.
    pub seal: String,
    pub updated_at: chrono::DateTime<chrono::Utc>,
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
    /// Code and name of each of these units that exists (names are not personal data).
    async fn unit_names(&self, codes: &[&str]) -> StoreResult<Vec<(String, String)>>;
    async fn children(&self, scope: &UnitPath, code: &UnitCode) -> StoreResult<Vec<(Unit, Figures)>>;
    async fn figures(&self, scope: &UnitPath, code: &UnitCode) -> StoreResult<Option<Figures>>;
    /// Makes an account the unit's leader or a member, or (with `None`) removes it.
    async fn set_staff(&self, caller: &Caller, unit: &UnitCode, login: &Login, duty: Option<Duty>) -> StoreResult<()>;
    async fn staff(&self, scope: &UnitPath, unit: &UnitCode) -> StoreResult<Vec<StaffMember>>;
    /// Sets the issuing body of a unit in the caller's scope (audited).
    async fn set_issuing_body(&self, caller: &Caller, unit: &UnitCode, body: &IssuingBody) -> StoreResult<Issuer>;
    /// The issuing body nearest up `path`: its own unit's, else its nearest ancestor's. Names
    /// and office numbers of public bodies, not personal data, as unit names are not.
    async fn issuing_body(&self, path: &UnitPath) -> StoreResult<Option<Issuer>>;
    /// How many units of `scope` lie at each depth of the tree (the number of codes in a path).
    async fn units_by_depth(&self, scope: &UnitPath) -> StoreResult<Vec<(i64, i64)>>;
    /// The units of `scope` down to `max_depth`, in tree order (each after its parent).
    async fn unit_tree(&self, scope: &UnitPath, max_depth: i64) -> StoreResult<Vec<Unit>>;
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
