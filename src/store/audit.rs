//! The audit log: who read or wrote what, when. Entries are written by the other
//! entity stores inside their own transactions; this trait only reads them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::StoreResult;
use crate::domain::{Caller, UnitPath};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub detail: String,
}

#[async_trait]
pub trait AuditStore {
    /// Entries about records in the scope, newest first, before the entry `before`.
    async fn audit_log(&self, scope: &UnitPath, before: Option<i64>, limit: u32) -> StoreResult<Vec<AuditEntry>>;
    /// Records that `caller` read a full record (or a list of people) of `entity` at `path`:
    /// for reads that are not one store call of their own.
    async fn record_read(&self, caller: &Caller, entity: &'static str, id: &str, path: &UnitPath, detail: serde_json::Value) -> StoreResult<()>;
}
