//! Finding residents. A search by a full ID number or phone is a look-up of one person, so
//! it is audited like reading their record (the audit keeps the number masked).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::text::{label, optional_label, optional_text, person_name};
use crate::domain::{Caller, IdNumber, Permission, Phone, Residence};
use crate::store::{NewResident, ResidentPatch};
pub use crate::store::{ResidentListItem, ResidentRecord};

use super::{App, AppError};

/// Residents of the caller's subtree by name prefix, ID number or phone, masked.
pub async fn search(app: &App, caller: &Caller, query: &str, limit: u32) -> Result<Vec<ResidentListItem>, AppError> {
    caller.require(caller.role.may(Permission::ReadRoster), "read the roster")?;
    super::page_limit(limit)?;
    // An ID number is searched as it is stored (full-width digits typed by an input method too).
    let id_number = IdNumber::parse(query);
    let query = id_number.as_ref().map_or(query, |n| n.as_str());
    let found = app.store.search_residents(&caller.scope, query, limit).await?;
    let exact = match (&id_number, Phone::parse(query)) {
        (Ok(id_number), _) => Some(serde_json::json!({"what": "search", "id_number": id_number.masked(), "found": found.len()})),
        (_, Ok(phone)) => Some(serde_json::json!({"what": "search", "phone": phone.masked(), "found": found.len()})),
        _ => None,
    };
    if let Some(detail) = exact {
        let entity_id = match found.as_slice() {
            [one] => one.id.to_string(),
            _ => "search".to_string(),
        };
        app.store.record_read(caller, "resident", &entity_id, &caller.scope, detail).await?;
    }
    Ok(found)
}

/// A new resident as people type it. Its serialised form (with the household's id) is the
/// request's fingerprint (`app::fingerprint`): keep the fields and their order.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResidentInput {
    /// Your own id for the new record (UUID), e.g. made offline. The same request again answers
    /// the stored record; the id with another body, another kind of record or from outside the
    /// record's subtree answers 409 and tells nothing of it.
    pub id: Option<Uuid>,
    pub name: String,
    /// The 18-character ID number; its check digit is checked.
    pub id_number: String,
    #[serde(default)]
    pub relation: String,
    #[serde(default)]
    pub phone: String,
    /// `permanent` (常住, the default) or `renter` (租住).
    #[serde(default)]
    pub residence: String,
}

/// What a change of a resident says: each field given is changed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResidentChange {
    pub name: Option<String>,
    pub relation: Option<String>,
    pub phone: Option<String>,
    /// `permanent` (常住) or `renter` (租住).
    pub residence: Option<String>,
}

/// Adds a resident to a household (ID number checked); a retried request with the same id
/// answers the same one.
pub async fn add(app: &App, caller: &Caller, household: Uuid, input: &ResidentInput) -> Result<Uuid, AppError> {
    caller.require(caller.role.may(Permission::WriteRoster), "add residents")?;
    let resident = NewResident {
        id: input.id.unwrap_or_else(Uuid::now_v7),
        fingerprint: super::fingerprint(input.id, &(household, input)),
        name: person_name("name", &input.name)?,
        id_number: IdNumber::parse(&input.id_number)?,
        relation: optional_label("relation", &input.relation, 20)?.unwrap_or_default(),
        phone: optional_text("phone", &input.phone, 20)?.map(|p| Phone::parse(&p)).transpose()?,
        residence: Residence::parse(&input.residence)?,
    };
    Ok(app.store.add_resident(caller, household, &resident).await?)
}

pub async fn update(app: &App, caller: &Caller, id: Uuid, change: &ResidentChange) -> Result<(), AppError> {
    caller.require(caller.role.may(Permission::WriteRoster), "change residents")?;
    let patch = ResidentPatch {
        name: change.name.as_deref().map(|n| person_name("name", n)).transpose()?,
        relation: change.relation.as_deref().map(|r| label("relation", r, 20)).transpose()?,
        phone: change.phone.as_deref().map(Phone::parse).transpose()?,
        residence: change.residence.as_deref().map(Residence::parse).transpose()?,
    };
    Ok(app.store.update_resident(caller, id, &patch).await?)
}

/// A resident's full record: the reading is audited.
pub async fn get(app: &App, caller: &Caller, id: Uuid) -> Result<ResidentRecord, AppError> {
    caller.require(caller.role.may(Permission::ReadRoster), "read the roster")?;
    app.store.resident(caller, id).await?.ok_or(AppError::NotFound)
}
