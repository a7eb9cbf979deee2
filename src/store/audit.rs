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
    /// Who, as people know them: the account's display name (or its login); `None` for the
    /// system's own actors (`cli`, `system`, `public`).
    #[sqlx(skip)]
    pub actor_name: Option<String>,
    /// Which record, as people know it (户号 and head, a name, a unit's name); `None` when
    /// the record is gone or has no name.
    #[sqlx(skip)]
    pub label: Option<String>,
}

/// Which entries to read: each filter given narrows the log.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Entries older than this one (the page before).
    pub before: Option<i64>,
    /// By this login, or by the account of this display name.
    pub actor: Option<String>,
    /// About this kind of record (`household`, `resident`, …).
    pub entity: Option<String>,
    /// At or after, and before, these times.
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait AuditStore {
    /// Entries about records in the scope, newest first, as the filter narrows them, with the
    /// names of who acted and of the record.
    async fn audit_log(&self, scope: &UnitPath, filter: &AuditFilter, limit: u32) -> StoreResult<Vec<AuditEntry>>;
    /// How many entries the filter finds in the scope (all pages, `before` aside), counted up
    /// to `cap` + 1: a log of millions is not counted to the last entry for each page.
    async fn audit_count(&self, scope: &UnitPath, filter: &AuditFilter, cap: u32) -> StoreResult<i64>;
    /// Records that `caller` read a full record (or a list of people) of `entity` at `path`:
    /// for reads that are not one store call of their own.
    async fn record_read(&self, caller: &Caller, entity: &'static str, id: &str, path: &UnitPath, detail: serde_json::Value) -> StoreResult<()>;
}
