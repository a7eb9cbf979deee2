//! Households: lists (masked), full records (audited), 包联 assignment, and the derived
//! state kept beside them: colours with their history, and each unit's counts.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::residents::ResidentRecord;
use super::{Page, StoreResult};
use crate::domain::{Caller, Colour, Login, UnitCode, UnitPath};

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
    pub from: Option<String>,
    pub to: String,
    pub cause: String,
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
    pub colour_cause: String,
    pub member_login: Option<String>,
    pub colour_history: Vec<ColourChange>,
    pub residents: Vec<ResidentRecord>,
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
    pub colour: String,
    pub colour_cause: String,
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
                colour: Colour::parse_stored(&row.colour),
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

macro_rules! impl_households {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::HouseholdStore for $store {
            async fn households(
                &self,
                scope: &$crate::domain::UnitPath,
                unit: &$crate::domain::UnitCode,
                after: Option<&str>,
                limit: u32,
            ) -> $crate::store::StoreResult<Option<$crate::store::Page<$crate::store::HouseholdListItem>>> {
                use $crate::store::households::*;
                let Some(unit) = self.unit(scope, unit).await? else { return Ok(None) };
                let limit = limit.clamp(1, $crate::store::MAX_PAGE);
                let (low, high) = unit.path.range();
                let (after_path, after_no) = after.and_then(decode_cursor).unwrap_or_else(|| (String::new(), String::new()));
                let sql = format!("{HOUSEHOLD_SELECT} WHERE h.unit_path >= $1 AND h.unit_path < $2 AND (h.unit_path, h.household_no) > ($3, $4) ORDER BY h.unit_path, h.household_no LIMIT $5");
                let rows: Vec<HouseholdRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(low)
                    .bind(high)
                    .bind(after_path)
                    .bind(after_no)
                    .bind(i64::from(limit) + 1)
                    .fetch_all(&self.reader)
                    .await?;
                let mut rows = rows;
                let next = if rows.len() > limit as usize {
                    rows.truncate(limit as usize);
                    rows.last().map(|r| encode_cursor(&r.unit_path, &r.household_no))
                } else {
                    None
                };
                let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.id).collect();
                let residents = self.residents_of(&ids).await?;
                Ok(Some($crate::store::Page { items: list_items(rows, residents), next }))
            }

            async fn member_households(&self, scope: &$crate::domain::UnitPath, member: &$crate::domain::Login) -> $crate::store::StoreResult<Vec<$crate::store::HouseholdListItem>> {
                use $crate::store::households::*;
                let sql = format!("{HOUSEHOLD_SELECT} WHERE a.login = $1 AND h.unit_path >= $2 AND h.unit_path < $3 ORDER BY h.unit_path, h.household_no");
                let query = sqlx::query_as::<_, HouseholdRow>(sqlx::AssertSqlSafe(sql)).bind(member.as_str());
                let rows = $crate::store::sql::bind_range!(query, scope).fetch_all(&self.reader).await?;
                let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.id).collect();
                let residents = self.residents_of(&ids).await?;
                Ok(list_items(rows, residents))
            }

            async fn household(&self, caller: &$crate::domain::Caller, id: uuid::Uuid) -> $crate::store::StoreResult<Option<$crate::store::HouseholdRecord>> {
                use $crate::store::households::*;
                let sql = format!("{HOUSEHOLD_SELECT} WHERE h.id = $1 AND h.unit_path >= $2 AND h.unit_path < $3");
                let query = sqlx::query_as::<_, HouseholdRow>(sqlx::AssertSqlSafe(sql)).bind(id);
                let Some(row) = $crate::store::sql::bind_range!(query, caller.scope).fetch_optional(&self.reader).await? else {
                    return Ok(None);
                };
                let history: Vec<(chrono::DateTime<chrono::Utc>, Option<String>, String, String, String)> =
                    sqlx::query_as("SELECT at, from_colour, to_colour, cause, actor FROM colour_changes WHERE household_id = $1 ORDER BY id")
                        .bind(id)
                        .fetch_all(&self.reader)
                        .await?;
                let residents = self.residents_of(&[id]).await?;
                let mut tx = self.writer.begin().await?;
                $crate::store::sql::audit!(tx, caller, "read", "household", id, row.unit_path.as_str(), serde_json::json!({}));
                tx.commit().await?;
                Ok(Some($crate::store::HouseholdRecord {
                    id: row.id,
                    household_no: row.household_no,
                    unit_code: row.unit_code,
                    unit_path: $crate::domain::UnitPath::from_stored(row.unit_path),
                    head_name: row.head_name,
                    address: row.address,
                    colour: $crate::domain::Colour::parse_stored(&row.colour),
                    colour_cause: row.colour_cause,
                    member_login: row.member_login,
                    colour_history: history
                        .into_iter()
                        .map(|(at, from, to, cause, actor)| $crate::store::ColourChange { at, from, to, cause, actor })
                        .collect(),
                    residents,
                }))
            }

            async fn create_household(&self, caller: &$crate::domain::Caller, household: &$crate::store::NewHousehold) -> $crate::store::StoreResult<uuid::Uuid> {
                let unit = self.unit(&caller.scope, &household.unit_code).await?.ok_or($crate::store::StoreError::NotFound)?;
                let mut tx = self.writer.begin().await?;
                if Self::claim_id(&mut tx, caller, "household", household.id, household.fingerprint.as_deref(), &unit.path).await? == $crate::store::client_ids::Claim::Repeat {
                    return Ok(household.id);
                }
                let inserted = sqlx::query(
                    "INSERT INTO households (id, unit_code, unit_path, county_code, household_no, head_name, address, colour, colour_cause, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, '', $6, '', '', $7, $7) ON CONFLICT (id) DO NOTHING",
                )
                .bind(household.id)
                .bind(&unit.code)
                .bind(unit.path.as_str())
                .bind(unit.path.county_code())
                .bind(&household.household_no)
                .bind(&household.address)
                .bind(caller.now)
                .execute(&mut *tx)
                .await
                .map_err(|e| $crate::store::StoreError::unique(e, "household number"))?;
                $crate::store::client_ids::inserted(inserted.rows_affected())?;
                $crate::store::sql::audit!(tx, caller, "create", "household", household.id, unit.path.as_str(), serde_json::json!({"household_no": household.household_no, "address": household.address}));
                Self::refresh_colours(&mut tx, caller, &[household.id]).await?;
                Self::refresh_counts(&mut tx, &[unit.code]).await?;
                tx.commit().await?;
                Ok(household.id)
            }

            async fn update_household(&self, caller: &$crate::domain::Caller, id: uuid::Uuid, patch: &$crate::store::HouseholdPatch) -> $crate::store::StoreResult<()> {
                let query = sqlx::query_as::<_, (String, String, Option<String>)>("SELECT unit_path, household_no, address FROM households WHERE id = $1 AND unit_path >= $2 AND unit_path < $3").bind(id);
                let (path, old_no, old_address) = $crate::store::sql::bind_range!(query, caller.scope).fetch_optional(&self.reader).await?.ok_or($crate::store::StoreError::NotFound)?;
                let household_no = patch.household_no.clone().unwrap_or(old_no.clone());
                let address = patch.address.clone().or(old_address.clone());
                if household_no == old_no && address == old_address {
                    return Ok(());
                }
                let mut tx = self.writer.begin().await?;
                sqlx::query("UPDATE households SET household_no = $1, address = $2, updated_at = $3 WHERE id = $4")
                    .bind(&household_no)
                    .bind(&address)
                    .bind(caller.now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| $crate::store::StoreError::unique(e, "household number"))?;
                $crate::store::sql::audit!(tx, caller, "update", "household", id, path.as_str(), serde_json::json!({"household_no": [old_no, household_no], "address": [old_address, address]}));
                tx.commit().await?;
                Ok(())
            }

            async fn assign_member(&self, caller: &$crate::domain::Caller, id: uuid::Uuid, member: Option<&$crate::domain::Login>) -> $crate::store::StoreResult<()> {
                let query = sqlx::query_scalar::<_, String>("SELECT unit_path FROM households WHERE id = $1 AND unit_path >= $2 AND unit_path < $3").bind(id);
                let path = $crate::store::sql::bind_range!(query, caller.scope).fetch_optional(&self.reader).await?.ok_or($crate::store::StoreError::NotFound)?;
                let member_id: Option<uuid::Uuid> = match member {
                    None => None,
                    Some(login) => {
                        // The member must be able to see the household: their scope contains it.
                        let (id, role, scope): (uuid::Uuid, String, String) = sqlx::query_as("SELECT a.id, a.role, u.path FROM accounts a JOIN units u ON u.code = a.unit_code WHERE a.login = $1")
                            .bind(login.as_str())
                            .fetch_optional(&self.reader)
                            .await?
                            .ok_or($crate::store::StoreError::NotFound)?;
                        let role = $crate::domain::Role::parse(&role)?;
                        let scope = $crate::domain::UnitPath::from_stored(scope);
                        if !role.holds_households() || !scope.contains(&$crate::domain::UnitPath::from_stored(path.clone())) || !caller.scope.contains(&scope) {
                            return Err($crate::store::StoreError::Domain($crate::domain::DomainError::NotAllowed("member must be a grid member whose unit contains the household")));
                        }
                        Some(id)
                    }
                };
                let mut tx = self.writer.begin().await?;
                sqlx::query("UPDATE households SET member_id = $1, updated_at = $2 WHERE id = $3").bind(member_id).bind(caller.now).bind(id).execute(&mut *tx).await?;
                $crate::store::sql::audit!(tx, caller, "update", "household", id, path.as_str(), serde_json::json!({"member": member.map(|m| m.as_str())}));
                tx.commit().await?;
                Ok(())
            }
        }

        impl $store {
            /// Re-derives the colour of each household from its facts (renters, returnees within
            /// their observation window, from a key area, an isolation order under way, as of
            /// `caller.now`) and records every change of colour or cause.
            async fn refresh_colours(tx: &mut $crate::store::sql::Tx<$store>, caller: &$crate::domain::Caller, ids: &[uuid::Uuid]) -> $crate::store::StoreResult<()> {
                for chunk in ids.chunks($crate::store::sql::CHUNK) {
                    let mut query = sqlx::QueryBuilder::new("SELECT h.id, h.colour, h.colour_cause, EXISTS (SELECT 1 FROM residents r WHERE r.household_id = h.id AND r.residence = 'renter'), ");
                    query.push("EXISTS (SELECT 1 FROM returnees t WHERE t.household_id = h.id AND t.observe_until > ").push_bind(caller.now).push("), ");
                    query.push("EXISTS (SELECT 1 FROM returnees t WHERE t.household_id = h.id AND t.from_key_area AND t.observe_until > ").push_bind(caller.now).push("), ");
                    query.push("EXISTS (SELECT 1 FROM isolations i WHERE i.household_id = h.id AND i.ended_at IS NULL AND i.starts_at <= ").push_bind(caller.now).push(") ");
                    query.push("FROM households h WHERE h.id IN (");
                    let mut list = query.separated(", ");
                    for id in chunk {
                        list.push_bind(*id);
                    }
                    query.push(")");
                    let facts: Vec<(uuid::Uuid, String, String, bool, bool, bool, bool)> = query.build_query_as().fetch_all(&mut **tx).await?;
                    let changes: Vec<(uuid::Uuid, String, $crate::domain::Colour, $crate::domain::ColourCause)> = facts
                        .into_iter()
                        .filter_map(|(id, old, old_cause, renters, returnee_in_window, from_key_area, under_isolation)| {
                            let facts = $crate::domain::ColourFacts { renters, returnee_in_window, from_key_area, under_isolation };
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
                    Self::record_colour_changes(tx, caller, changes.iter().map(|(id, old, colour, cause)| (*id, (!old.is_empty()).then_some(old.as_str()), *colour, *cause))).await?;
                }
                Ok(())
            }

            async fn record_colour_changes<'a>(
                tx: &mut $crate::store::sql::Tx<$store>,
                caller: &$crate::domain::Caller,
                changes: impl Iterator<Item = (uuid::Uuid, Option<&'a str>, $crate::domain::Colour, $crate::domain::ColourCause)>,
            ) -> $crate::store::StoreResult<()> {
                let changes: Vec<_> = changes.collect();
                let sql = Self::colour_changes_sql();
                for chunk in changes.chunks($crate::store::sql::JSON_CHUNK) {
                    sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                        .bind($crate::store::households::colour_changes_json(chunk))
                        .bind(caller.now)
                        .bind(caller.login.as_str())
                        .execute(&mut **tx)
                        .await?;
                }
                Ok(())
            }

            /// Inserts the colour changes of the JSON rows `$1`, at `$2`, by `$3`.
            fn colour_changes_sql() -> String {
                use $crate::store::sql::Dialect as _;
                format!(
                    "INSERT INTO colour_changes (household_id, at, from_colour, to_colour, cause, actor) SELECT {}, $2, j.value ->> 1, j.value ->> 2, j.value ->> 3, $3 FROM {}",
                    Self::uuid("j.value ->> 0"),
                    Self::JSON_ROWS
                )
            }

            /// Rewrites the figures of the given units from their households and residents.
            async fn refresh_counts(tx: &mut $crate::store::sql::Tx<$store>, unit_codes: &[String]) -> $crate::store::StoreResult<()> {
                for chunk in unit_codes.chunks($crate::store::sql::CHUNK) {
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
        }
    };
}
pub(crate) use impl_households;
