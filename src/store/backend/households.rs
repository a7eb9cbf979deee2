//! `HouseholdStore` for this backend.

use sqlx::QueryBuilder;

use async_trait::async_trait;

use super::{Db, audit, derived};
use crate::domain::error::Reason;
use crate::domain::{Caller, Colour, DomainError, Login, Role, UnitCode, UnitPath};
use crate::store::scope::Scope;
use crate::store::{
    HouseholdListItem, HouseholdPatch, HouseholdRecord, HouseholdStore, MAX_PAGE, NewHousehold, Page, SqlStore, StoreError, StoreResult, UnitStore,
};

#[async_trait]
impl HouseholdStore for SqlStore<Db> {
    async fn households(&self, scope: &UnitPath, unit: &UnitCode, after: Option<&str>, limit: u32) -> StoreResult<Option<Page<HouseholdListItem>>> {
        use crate::store::households::*;
        let Some(unit) = self.unit(scope, unit).await? else { return Ok(None) };
        let limit = limit.clamp(1, MAX_PAGE);
        let (after_path, after_no) = match after {
            None => (String::new(), String::new()),
            Some(cursor) => decode_cursor(cursor).ok_or(crate::domain::DomainError::invalid("after", crate::domain::error::Reason::NotACursor))?,
        };
        let mut query = QueryBuilder::new(format!("{HOUSEHOLD_SELECT} WHERE "));
        Scope::of(&unit.path).push_within(&mut query, "h.unit_path");
        query.push(" AND (h.unit_path, h.household_no) > (").push_bind(after_path).push(", ").push_bind(after_no).push(")");
        query.push(" ORDER BY h.unit_path, h.household_no LIMIT ").push_bind(i64::from(limit) + 1);
        let rows: Vec<HouseholdRow> = query.build_query_as().fetch_all(&self.reader).await?;
        let mut rows = rows;
        let next = if rows.len() > limit as usize {
            rows.truncate(limit as usize);
            rows.last().map(|r| encode_cursor(&r.unit_path, &r.household_no))
        } else {
            None
        };
        let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.id).collect();
        let residents = self.residents_of(&ids).await?;
        Ok(Some(Page { items: list_items(rows, residents), next }))
    }

    async fn numbered(&self, scope: &UnitPath, unit: &UnitCode, household_no: &str) -> StoreResult<Option<Vec<(uuid::Uuid, String)>>> {
        let Some(unit) = self.unit(scope, unit).await? else { return Ok(None) };
        let mut query = QueryBuilder::new(
            "SELECT h.id, COALESCE(p.name, '') || ' ' || u.name FROM households h JOIN units u ON u.code = h.unit_code \
             LEFT JOIN units p ON p.code = u.parent_code WHERE h.household_no = ",
        );
        query.push_bind(household_no.to_owned()).push(" AND ");
        Scope::of(&unit.path).push_within(&mut query, "h.unit_path");
        query.push(" ORDER BY h.unit_path LIMIT 50");
        Ok(Some(query.build_query_as().fetch_all(&self.reader).await?))
    }

    async fn member_households(&self, scope: &UnitPath, member: &Login) -> StoreResult<Vec<HouseholdListItem>> {
        use crate::store::households::*;
        let mut query = QueryBuilder::new(format!("{HOUSEHOLD_SELECT} WHERE a.login = "));
        query.push_bind(member.as_str()).push(" AND ");
        Scope::of(scope).push_within(&mut query, "h.unit_path").push(" ORDER BY h.unit_path, h.household_no");
        let rows = query.build_query_as::<HouseholdRow>().fetch_all(&self.reader).await?;
        let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.id).collect();
        let residents = self.residents_of(&ids).await?;
        Ok(list_items(rows, residents))
    }

    async fn household(&self, caller: &Caller, id: uuid::Uuid) -> StoreResult<Option<HouseholdRecord>> {
        use crate::store::households::*;
        let mut query = QueryBuilder::new(format!("{HOUSEHOLD_SELECT} WHERE h.id = "));
        query.push_bind(id).push(" AND ");
        Scope::of(&caller.scope).push_within(&mut query, "h.unit_path");
        let Some(row) = query.build_query_as::<HouseholdRow>().fetch_optional(&self.reader).await? else {
            return Ok(None);
        };
        let history: Vec<(chrono::DateTime<chrono::Utc>, Option<String>, String, String, String)> =
            sqlx::query_as("SELECT at, from_colour, to_colour, cause, actor FROM colour_changes WHERE household_id = $1 ORDER BY id")
                .bind(id)
                .fetch_all(&self.reader)
                .await?;
        let residents = self.residents_of(&[id]).await?;
        let links = self.resident_links(id, &residents).await?;
        let mut tx = self.writer.begin().await?;
        audit(&mut tx, caller, "read", "household", id, row.unit_path.as_str(), serde_json::json!({})).await?;
        tx.commit().await?;
        Ok(Some(HouseholdRecord {
            id: row.id,
            household_no: row.household_no,
            unit_code: row.unit_code,
            unit_path: UnitPath::from_stored(row.unit_path),
            head_name: row.head_name,
            address: row.address,
            colour: row.colour,
            colour_cause: row.colour_cause,
            member_login: row.member_login,
            colour_history: history
                .into_iter()
                .map(|(at, from, to, cause, actor)| {
                    Ok::<_, StoreError>(ColourChange {
                        at,
                        from: from.as_deref().map(Colour::from_stored).transpose()?,
                        to: Colour::from_stored(&to)?,
                        cause: crate::domain::ColourCause::from_stored(&cause)?,
                        actor,
                    })
                })
                .collect::<Result<_, _>>()?,
            residents,
            links,
        }))
    }

    async fn create_household(&self, caller: &Caller, household: &NewHousehold) -> StoreResult<uuid::Uuid> {
        let unit = self.unit(&caller.scope, &household.unit_code).await?.ok_or(StoreError::NotFound)?;
        let mut tx = self.writer.begin().await?;
        if Self::claim_id(&mut tx, caller, "household", household.id, household.fingerprint.as_deref(), &unit.path).await?
            == crate::store::client_ids::Claim::Repeat
        {
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
        .map_err(|e| StoreError::unique(e, "household number"))?;
        crate::store::client_ids::inserted(inserted.rows_affected())?;
        audit(
            &mut tx,
            caller,
            "create",
            "household",
            household.id,
            unit.path.as_str(),
            serde_json::json!({"household_no": household.household_no, "address": household.address}),
        )
        .await?;
        derived::refresh(&mut tx, caller, &[household.id], &[unit.code]).await?;
        tx.commit().await?;
        Ok(household.id)
    }

    async fn update_household(&self, caller: &Caller, id: uuid::Uuid, patch: &HouseholdPatch) -> StoreResult<()> {
        let mut query = QueryBuilder::new("SELECT unit_path, household_no, address FROM households WHERE id = ");
        query.push_bind(id).push(" AND ");
        Scope::of(&caller.scope).push_within(&mut query, "unit_path");
        let (path, old_no, old_address) =
            query.build_query_as::<(String, String, Option<String>)>().fetch_optional(&self.reader).await?.ok_or(StoreError::NotFound)?;
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
            .map_err(|e| StoreError::unique(e, "household number"))?;
        audit(
            &mut tx,
            caller,
            "update",
            "household",
            id,
            path.as_str(),
            serde_json::json!({"household_no": [old_no, household_no], "address": [old_address, address]}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn assign_member(&self, caller: &Caller, id: uuid::Uuid, member: Option<&Login>) -> StoreResult<()> {
        let mut query = QueryBuilder::new("SELECT unit_path FROM households WHERE id = ");
        query.push_bind(id).push(" AND ");
        Scope::of(&caller.scope).push_within(&mut query, "unit_path");
        let path = query.build_query_scalar::<String>().fetch_optional(&self.reader).await?.ok_or(StoreError::NotFound)?;
        let member_id: Option<uuid::Uuid> = match member {
            None => None,
            Some(login) => {
                // The member must be able to see the household: their scope contains it.
                let (id, role, scope): (uuid::Uuid, String, String) =
                    sqlx::query_as("SELECT a.id, a.role, u.path FROM accounts a JOIN units u ON u.code = a.unit_code WHERE a.login = $1")
                        .bind(login.as_str())
                        .fetch_optional(&self.reader)
                        .await?
                        .ok_or(StoreError::Domain(DomainError::invalid("login", Reason::Unknown)))?;
                let role = Role::from_stored(&role)?;
                let scope = UnitPath::from_stored(scope);
                // An account outside the caller's area answers as an unknown one: nothing tells
                // which logins exist elsewhere.
                if !caller.scope.contains(&scope) {
                    return Err(StoreError::Domain(DomainError::invalid("login", Reason::Unknown)));
                }
                if !role.holds_households() || !scope.contains(&UnitPath::from_stored(path.clone())) {
                    // A problem with the login typed, said beside the form like any other.
                    return Err(StoreError::Domain(DomainError::invalid("login", Reason::NotMemberHere)));
                }
                Some(id)
            }
        };
        let mut tx = self.writer.begin().await?;
        sqlx::query("UPDATE households SET member_id = $1, updated_at = $2 WHERE id = $3").bind(member_id).bind(caller.now).bind(id).execute(&mut *tx).await?;
        audit(&mut tx, caller, "update", "household", id, path.as_str(), serde_json::json!({"member": member.map(|m| m.as_str())})).await?;
        tx.commit().await?;
        Ok(())
    }
}

impl SqlStore<Db> {
    /// Each resident's person (by ID number, if seen at a checkpoint) and isolation order
    /// (the open one, else the latest).
    async fn resident_links(&self, household: uuid::Uuid, residents: &[crate::store::ResidentRecord]) -> StoreResult<Vec<crate::store::ResidentLinks>> {
        let people: Vec<(uuid::Uuid, uuid::Uuid)> =
            sqlx::query_as("SELECT r.id, n.id FROM residents r JOIN people n ON n.id_number = r.id_number WHERE r.household_id = $1")
                .bind(household)
                .fetch_all(&self.reader)
                .await?;
        // Oldest first, so the latest order wins, and an open one wins over any ended one.
        let orders: Vec<(uuid::Uuid, uuid::Uuid, bool)> =
            sqlx::query_as("SELECT resident_id, id, ended_at IS NULL FROM isolations WHERE household_id = $1 ORDER BY starts_at, id")
                .bind(household)
                .fetch_all(&self.reader)
                .await?;
        Ok(residents
            .iter()
            .map(|r| {
                let person_id = people.iter().find(|(resident, _)| *resident == r.id).map(|(_, person)| *person);
                let mut mine = orders.iter().filter(|(resident, ..)| *resident == r.id);
                let order = mine.clone().rfind(|(.., open)| *open).or(mine.next_back());
                crate::store::ResidentLinks {
                    resident_id: r.id,
                    person_id,
                    isolation_id: order.map(|(_, id, _)| *id),
                    isolation_open: order.is_some_and(|(.., open)| *open),
                }
            })
            .collect())
    }
}
