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

/// What a search found, each list cut at the limit it was given.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Found {
    pub residents: Vec<ResidentHit>,
    pub people: Vec<PersonHit>,
}

#[async_trait]
pub trait SearchStore {
    /// Residents under `scope` by name prefix, ID number or phone (given as stored), masked.
    async fn find_residents(&self, scope: &UnitPath, query: &str, limit: u32) -> StoreResult<Vec<ResidentHit>>;
    /// People seen at the checkpoints under `scope` (passages and self-registrations) by the
    /// name typed there (prefix), the phone typed there or their ID number, who are no
    /// residents under `scope`; the latest sighting of each, masked.
    async fn find_people(&self, scope: &UnitPath, query: &str, limit: u32) -> StoreResult<Vec<PersonHit>>;
}
