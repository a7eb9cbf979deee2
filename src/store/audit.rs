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

macro_rules! impl_audit {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::AuditStore for $store {
            async fn audit_log(
                &self,
                scope: &$crate::domain::UnitPath,
                before: Option<i64>,
                limit: u32,
            ) -> $crate::store::StoreResult<Vec<$crate::store::AuditEntry>> {
                // Inside a county, its entries newest first (the county index); above one, all
                // entries newest first: nearly all of them lie in such a scope.
                // A region's accounts also see what belongs to no place: failed logins of logins
                // that do not exist (`$5` is the root path for them, a path no entry has otherwise).
                const ALL: &str = "SELECT id, at, actor, action, entity, entity_id, detail FROM audit_log \
                                   WHERE ((unit_path >= $1 AND unit_path < $2) OR unit_path = $5) AND id < $3 ORDER BY id DESC LIMIT $4";
                const IN_COUNTY: &str = "SELECT id, at, actor, action, entity, entity_id, detail FROM audit_log \
                                         WHERE unit_path >= $1 AND unit_path < $2 AND id < $3 AND county_code = $5 ORDER BY id DESC LIMIT $4";
                let county = scope.county_code();
                let sql = if county.is_some() { IN_COUNTY } else { ALL };
                let query = $crate::store::sql::bind_range!(sqlx::query_as::<_, $crate::store::AuditEntry>(sql), scope)
                    .bind(before.unwrap_or(i64::MAX))
                    .bind(i64::from(limit.clamp(1, $crate::store::MAX_PAGE)));
                let query = match county {
                    Some(county) => query.bind(county),
                    None => query.bind(if scope.depth() <= 1 { $crate::domain::UnitPath::root().as_str().to_string() } else { String::from("-") }),
                };
                Ok(query.fetch_all(&self.reader).await?)
            }

            async fn record_read(
                &self,
                caller: &$crate::domain::Caller,
                entity: &'static str,
                id: &str,
                path: &$crate::domain::UnitPath,
                detail: serde_json::Value,
            ) -> $crate::store::StoreResult<()> {
                let mut tx = self.writer.begin().await?;
                $crate::store::sql::audit!(tx, caller, "read", entity, id, path.as_str(), detail);
                tx.commit().await?;
                Ok(())
            }
        }
    };
}
pub(crate) use impl_audit;
