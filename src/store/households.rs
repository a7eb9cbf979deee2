//! Households: lists (masked), full records (audited), 包联 assignment, and the derived
//! state kept beside them: colours with their history, and each unit's counts.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::residents::ResidentRecord;
use super::{Page, StoreResult};
use crate::domain::{Caller, Colour, ColourCause, Login, UnitCode, UnitPath};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HouseholdListItem {
    pub id: Uuid,
    pub household_no: String,
    pub unit_code: String,
    pub head_name: String,
    pub colour: Colour,
    pub address: Option<String>,
    pub residents: usize,
    /// The head's ID number and phone, masked.
    pub head_id_number: Option<String>,
    pub head_phone: Option<String>,
    pub member_login: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ColourChange {
    pub at: DateTime<Utc>,
    pub from: Option<Colour>,
    pub to: Colour,
    pub cause: ColourCause,
    pub actor: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HouseholdRecord {
    pub id: Uuid,
    pub household_no: String,
    pub unit_code: String,
    #[serde(skip)]
    pub unit_path: UnitPath,
    pub head_name: String,
    pub address: Option<String>,
    pub colour: Colour,
    pub colour_cause: ColourCause,
    pub member_login: Option<String>,
    pub colour_history: Vec<ColourChange>,
    pub residents: Vec<ResidentRecord>,
    /// Where each resident's other pages are: their time line over the checkpoints (if they
    /// passed one) and their isolation order (the open one, else the latest).
    pub links: Vec<ResidentLinks>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ResidentLinks {
    pub resident_id: Uuid,
    /// The person's id at the checkpoints (`/people/{id}`), if they were ever seen at one.
    pub person_id: Option<Uuid>,
    /// The resident's isolation order: the open one, else the latest.
    pub isolation_id: Option<Uuid>,
    /// Whether that order is still open.
    pub isolation_open: bool,
}

#[derive(Debug, Clone)]
pub struct NewHousehold {
    pub id: Uuid,
    /// Set when the client chose `id`: the digest of its request (`app::fingerprint`).
    pub fingerprint: Option<String>,
    pub unit_code: UnitCode,
    pub household_no: String,
    pub address: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct HouseholdPatch {
    pub household_no: Option<String>,
    pub address: Option<String>,
}

#[async_trait]
pub trait HouseholdStore {
    /// Households of a unit's whole subtree in (path, number) order; `None` if the unit
    /// is outside the scope.
    async fn households(&self, scope: &UnitPath, unit: &UnitCode, after: Option<&str>, limit: u32) -> StoreResult<Option<Page<HouseholdListItem>>>;
    /// The households of a unit's subtree with this household number (户号), each with the
    /// names of its unit's parent and its unit (`和平社区 一组`), in path order; `None` if the
    /// unit is outside the scope.
    async fn numbered(&self, scope: &UnitPath, unit: &UnitCode, household_no: &str) -> StoreResult<Option<Vec<(Uuid, String)>>>;
    /// The households a member holds (包联), within the scope.
    async fn member_households(&self, scope: &UnitPath, member: &Login) -> StoreResult<Vec<HouseholdListItem>>;
    /// The full record, unmasked; the reading is written to the audit log.
    async fn household(&self, caller: &Caller, id: Uuid) -> StoreResult<Option<HouseholdRecord>>;
    /// Creates a household; an existing `id` (a retried request) returns it unchanged.
    async fn create_household(&self, caller: &Caller, household: &NewHousehold) -> StoreResult<Uuid>;
    async fn update_household(&self, caller: &Caller, id: Uuid, patch: &HouseholdPatch) -> StoreResult<()>;
    /// Gives the household to a member to hold (包联), or takes it back with `None`.
    async fn assign_member(&self, caller: &Caller, id: Uuid, member: Option<&Login>) -> StoreResult<()>;
}

#[derive(sqlx::FromRow)]
pub(crate) struct HouseholdRow {
    pub id: Uuid,
    pub household_no: String,
    pub unit_code: String,
    pub unit_path: String,
    pub head_name: String,
    pub address: Option<String>,
    #[sqlx(try_from = "String")]
    pub colour: Colour,
    #[sqlx(try_from = "String")]
    pub colour_cause: ColourCause,
    pub member_login: Option<String>,
}

/// Cursor of the household list: the last item's path and number.
pub(crate) fn encode_cursor(path: &str, household_no: &str) -> String {
    hex::encode(format!("{path}\n{household_no}"))
}

pub(crate) fn decode_cursor(cursor: &str) -> Option<(String, String)> {
    let text = String::from_utf8(hex::decode(cursor).ok()?).ok()?;
    let (path, no) = text.split_once('\n')?;
    Some((path.to_string(), no.to_string()))
}

/// Turns household rows and their residents into masked list items.
pub(crate) fn list_items(rows: Vec<HouseholdRow>, residents: Vec<ResidentRecord>) -> Vec<HouseholdListItem> {
    use crate::domain::household::is_head;
    rows.into_iter()
        .map(|row| {
            let members: Vec<&ResidentRecord> = residents.iter().filter(|r| r.household_id == row.id).collect();
            let head = members.iter().find(|r| is_head(&r.relation)).or(members.first());
            HouseholdListItem {
                id: row.id,
                household_no: row.household_no,
                unit_code: row.unit_code,
                head_name: row.head_name,
                colour: row.colour,
                address: row.address,
                residents: members.len(),
                head_id_number: head.map(|r| crate::domain::id_number::mask(&r.id_number)),
                head_phone: head.and_then(|r| r.phone.as_deref()).map(crate::domain::phone::mask),
                member_login: row.member_login,
            }
        })
        .collect()
}

/// JSON rows for `colour_changes_sql`: (household, from, to, cause).
pub(crate) fn colour_changes_json(changes: &[(Uuid, Option<&str>, Colour, crate::domain::ColourCause)]) -> String {
    let rows: Vec<(String, Option<&str>, &str, &str)> =
        changes.iter().map(|(id, from, to, cause)| (id.simple().to_string(), *from, to.as_str(), cause.as_str())).collect();
    super::sql::json_rows(&rows)
}

pub(crate) const HOUSEHOLD_SELECT: &str = "SELECT h.id, h.household_no, h.unit_code, h.unit_path, h.head_name, h.address, h.colour, h.colour_cause, a.login AS member_login \
     FROM households h LEFT JOIN accounts a ON a.id = h.member_id";
