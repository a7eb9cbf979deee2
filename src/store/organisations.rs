//! Organisations (三个制度): a bureau or school registered in a unit, its staff and their
//! relatives, and the check-ins it reports for them each day.

use async_trait::async_trait;
use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

use super::StoreResult;
use crate::domain::checkin::Report;
use crate::domain::{Caller, IdNumber, Phone, UnitCode, UnitPath};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Organisation {
    pub id: Uuid,
    pub unit_code: String,
    pub name: String,
    pub kind: String,
}

#[derive(Debug, Clone)]
pub struct NewMember {
    pub id: Uuid,
    /// Set when the client chose `id`: the digest of its request (`app::fingerprint`).
    pub fingerprint: Option<String>,
    pub name: String,
    pub id_number: Option<IdNumber>,
    pub phone: Option<Phone>,
    /// A relative of this staff member (三个制度: units report on relatives too).
    pub relative_of: Option<Uuid>,
    pub relation: Option<String>,
}

/// A member as lists show them: ID number and phone masked.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Member {
    pub id: Uuid,
    pub name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub relative_of: Option<Uuid>,
    pub relation: Option<String>,
    pub reported: bool,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrgDay {
    /// The organisation's own name and kind.
    pub name: String,
    pub kind: String,
    pub day: NaiveDate,
    pub expected: i64,
    pub reported: i64,
    pub missing_count: i64,
    pub members: Vec<Member>,
}

/// A staff member reached through their own link, with the relatives they report for.
#[derive(Debug, Clone)]
pub struct StaffLink {
    pub org: Organisation,
    pub unit_path: UnitPath,
    /// The staff member first, then their relatives: (member, name, relation, reported).
    pub people: Vec<(Uuid, String, Option<String>, bool)>,
}

#[async_trait]
pub trait OrganisationStore {
    /// Registers an organisation; `fingerprint` is set when the client chose `id`
    /// (`store::client_ids`).
    async fn create_organisation(
        &self,
        caller: &Caller,
        id: Uuid,
        fingerprint: Option<&str>,
        unit: &UnitCode,
        name: &str,
        kind: &str,
    ) -> StoreResult<Organisation>;
    async fn organisations(&self, scope: &UnitPath, unit: &UnitCode) -> StoreResult<Option<Vec<Organisation>>>;
    /// Adds staff or relatives, all or none; a relative's staff member must belong to it.
    async fn add_members(&self, caller: &Caller, org: Uuid, members: &[NewMember]) -> StoreResult<usize>;
    /// The organisation's check-ins for its members: (member, report), all or none.
    async fn org_check_in(&self, caller: &Caller, org: Uuid, day: NaiveDate, reports: &[(Uuid, Report)]) -> StoreResult<usize>;
    /// Everyone the organisation reports for, and whether they have for `day`.
    /// Audited: the list names everyone the organisation reports for.
    async fn org_day(&self, caller: &Caller, org: Uuid, day: NaiveDate) -> StoreResult<Option<OrgDay>>;
    /// A staff member's own link token, made if they have none yet.
    async fn staff_link(&self, caller: &Caller, org: Uuid, member: Uuid, new_token: &str) -> StoreResult<String>;
    /// The staff member a link opens (public: the token is the key), as of `day`.
    async fn staff_by_link(&self, token: &str, day: NaiveDate) -> StoreResult<Option<(Uuid, StaffLink)>>;
}
