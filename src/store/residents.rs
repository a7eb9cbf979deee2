//! Residents: full records (audited), search (masked), and writes that keep the
//! household's colour and the unit's counts true.

use async_trait::async_trait;
use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

use super::StoreResult;
use crate::domain::{Caller, IdNumber, Phone, Residence, Sex, UnitPath};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ResidentRecord {
    pub id: Uuid,
    pub household_id: Uuid,
    pub name: String,
    pub id_number: String,
    #[sqlx(try_from = "String")]
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub relation: String,
    pub phone: Option<String>,
    #[sqlx(try_from = "String")]
    pub residence: Residence,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ResidentListItem {
    pub id: Uuid,
    pub household_id: Uuid,
    pub unit_code: String,
    pub name: String,
    /// Masked.
    pub id_number: String,
    /// Masked.
    pub phone: Option<String>,
    pub relation: String,
}

#[derive(Debug, Clone)]
pub struct NewResident {
    pub id: Uuid,
    /// Set when the client chose `id`: the digest of its request (`app::fingerprint`).
    pub fingerprint: Option<String>,
    pub name: String,
    pub id_number: IdNumber,
    pub relation: String,
    pub phone: Option<Phone>,
    pub residence: Residence,
}

#[derive(Debug, Clone, Default)]
pub struct ResidentPatch {
    pub name: Option<String>,
    pub relation: Option<String>,
    pub phone: Option<Phone>,
    pub residence: Option<Residence>,
}

#[async_trait]
pub trait ResidentStore {
    /// Adds a resident to a household in scope; a retried request (same `id`) is a no-op.
    async fn add_resident(&self, caller: &Caller, household_id: Uuid, resident: &NewResident) -> StoreResult<Uuid>;
    async fn update_resident(&self, caller: &Caller, id: Uuid, patch: &ResidentPatch) -> StoreResult<()>;
    /// The full record, unmasked; the reading is written to the audit log.
    async fn resident(&self, caller: &Caller, id: Uuid) -> StoreResult<Option<ResidentRecord>>;
    /// Residents in scope whose name starts with `query` or whose ID number or phone is
    /// exactly `query`; masked.
    async fn search_residents(&self, scope: &UnitPath, query: &str, limit: u32) -> StoreResult<Vec<ResidentListItem>>;
}

pub(crate) const RESIDENT_COLUMNS: &str = "r.id, r.household_id, r.name, r.id_number, r.sex, r.birth_date, r.relation, r.phone, r.residence";

/// Escapes LIKE's wildcards so a search for `50%` means the characters.
pub(crate) fn like_prefix(query: &str) -> String {
    let mut escaped = String::with_capacity(query.len() + 1);
    for c in query.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('%');
    escaped
}

pub(crate) fn head_relation(relation: &str) -> bool {
    crate::domain::household::is_head(relation)
}
