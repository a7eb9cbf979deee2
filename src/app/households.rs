//! Households: a unit's list (masked), the full record (audited), creating and changing one,
//! and 包联 (a grid member holding households).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{App, AppError};
use crate::domain::DomainError;
use crate::domain::error::Reason;
use crate::domain::text::{label, optional_address};
use crate::domain::{Caller, Login, Permission, UnitCode};
pub use crate::store::{ColourChange, HouseholdListItem, HouseholdRecord, Page, ResidentLinks};
use crate::store::{HouseholdPatch, NewHousehold};

/// A new household as people type it. Its serialised form is the request's fingerprint
/// (`app::fingerprint`): keep the fields and their order.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HouseholdInput {
    /// Your own id for the new record (UUID), e.g. made offline. The same request again answers
    /// the stored record; the id with another body, another kind of record or from outside the
    /// record's subtree answers 409 and tells nothing of it.
    pub id: Option<Uuid>,
    pub unit_code: String,
    pub household_no: String,
    #[serde(default)]
    pub address: String,
}

/// What a change of a household says: each field given is changed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HouseholdChange {
    pub household_no: Option<String>,
    pub address: Option<String>,
}

/// Households of a unit's whole subtree, masked, in pages of `limit` after the cursor `after`.
pub async fn of_unit(app: &App, caller: &Caller, unit: &str, after: Option<&str>, limit: u32) -> Result<Page<HouseholdListItem>, AppError> {
    caller.require(caller.role.may(Permission::ReadRoster), "read the roster")?;
    super::page_limit(limit)?;
    let code = UnitCode::parse(unit).map_err(|_| AppError::NotFound)?;
    app.store.households(&caller.scope, &code, after, limit).await?.ok_or(AppError::NotFound)
}

/// The full record, with residents and colour history: the reading is audited.
pub async fn get(app: &App, caller: &Caller, id: Uuid) -> Result<HouseholdRecord, AppError> {
    caller.require(caller.role.may(Permission::ReadRoster), "read the roster")?;
    app.store.household(caller, id).await?.ok_or(AppError::NotFound)
}

/// Creates a household; a retried request with the same id answers the same one.
pub async fn create(app: &App, caller: &Caller, input: &HouseholdInput) -> Result<Uuid, AppError> {
    caller.require(caller.role.may(Permission::WriteRoster), "create households")?;
    let household = NewHousehold {
        id: input.id.unwrap_or_else(Uuid::now_v7),
        fingerprint: super::fingerprint(input.id, input),
        unit_code: UnitCode::parse(&input.unit_code)?,
        household_no: label("household_no", &input.household_no, 32)?,
        address: optional_address("address", &input.address, 200)?,
    };
    Ok(app.store.create_household(caller, &household).await?)
}

pub async fn update(app: &App, caller: &Caller, id: Uuid, change: &HouseholdChange) -> Result<(), AppError> {
    caller.require(caller.role.may(Permission::WriteRoster), "change households")?;
    let patch = HouseholdPatch {
        household_no: change.household_no.as_deref().map(|n| label("household_no", n, 32)).transpose()?,
        address: change.address.as_deref().map(|a| optional_address("address", a, 200)?.ok_or(DomainError::invalid("address", Reason::Empty))).transpose()?,
    };
    Ok(app.store.update_household(caller, id, &patch).await?)
}

/// Gives the household to a grid member to hold (包联); `None` takes it back.
pub async fn assign_member(app: &App, caller: &Caller, id: Uuid, login: Option<&str>) -> Result<(), AppError> {
    caller.require(caller.role.may(Permission::WriteRoster), "assign households")?;
    let login = login.map(Login::parse).transpose()?;
    Ok(app.store.assign_member(caller, id, login.as_ref()).await?)
}

/// The households a grid member holds, masked.
pub async fn of_member(app: &App, caller: &Caller, login: &str) -> Result<Vec<HouseholdListItem>, AppError> {
    caller.require(caller.role.may(Permission::ReadRoster), "read the roster")?;
    let login = Login::parse(login).map_err(|_| AppError::NotFound)?;
    Ok(app.store.member_households(&caller.scope, &login).await?)
}
