//! The header's search: residents of the caller's subtree, and people seen at its checkpoints
//! who are no residents of it, each with the name of the unit they belong to or were seen in.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::StoreResult;
use crate::domain::UnitPath;

/// A resident found, masked as lists show them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ResidentHit {
    pub id: Uuid,
    pub household_id: Uuid,
    pub name: String,
    pub relation: String,
    /// Masked: `150502********1234`.
    pub id_number: String,
    /// Masked.
    pub phone: Option<String>,
    pub unit_code: String,
    pub unit_name: String,
}

/// Someone seen at a checkpoint of the subtree who is no resident of it: as the checkpoint
/// last knew them (the name and phone typed there), masked.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonHit {
    pub id: Uuid,
    pub name: String,
    /// Masked; `None` for someone registered without one.
    pub id_number: Option<String>,
    /// Masked.
    pub phone: Option<String>,
    pub last_seen: DateTime<Utc>,
    pub checkpoint_name: String,
    /// The unit of the checkpoint they were last seen at.
    pub unit_code: String,
    pub unit_name: String,
}

/// What a search found: a page of each list, and how many each holds in all.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Found {
    pub residents: Vec<ResidentHit>,
    /// Every resident the search matches (`residents` is a page of them).
    pub residents_total: i64,
    pub people: Vec<PersonHit>,
    /// Every person seen the search matches (`people` is a page of them).
    pub people_total: i64,
}

/// A page of a longer list, and how many the list holds in all.
pub type Hits<T> = (Vec<T>, i64);

#[async_trait]
pub trait SearchStore {
    /// Residents under `scope` by name prefix, ID number or phone (given as stored), masked:
    /// `limit` of them from `offset` in the order of their units and names, and how many match.
    async fn find_residents(&self, scope: &UnitPath, query: &str, offset: u32, limit: u32) -> StoreResult<Hits<ResidentHit>>;
    /// People seen at the checkpoints under `scope` (passages and self-registrations) by the
    /// name typed there (prefix), the phone typed there or their ID number, who are no
    /// residents under `scope`; the latest matching sighting of each, masked: `limit` of them
    /// from `offset` by name, and how many people match.
    async fn find_people(&self, scope: &UnitPath, query: &str, offset: u32, limit: u32) -> StoreResult<Hits<PersonHit>>;
}
