//! `AuditStore` for this backend: reads of the log (entries are written by `super::audit`
//! inside each write's own transaction).

use async_trait::async_trait;

use super::{Db, audit};
use crate::domain::{Caller, UnitPath};
use crate::store::{AuditEntry, AuditStore, MAX_PAGE, SqlStore, StoreResult};

#[async_trait]
impl AuditStore for SqlStore<Db> {
    async fn audit_log(&self, scope: &UnitPath, before: Option<i64>, limit: u32) -> StoreResult<Vec<AuditEntry>> {
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
        let query = crate::store::sql::bind_range!(sqlx::query_as::<_, AuditEntry>(sql), scope)
            .bind(before.unwrap_or(i64::MAX))
            .bind(i64::from(limit.clamp(1, MAX_PAGE)));
        let query = match county {
            Some(county) => query.bind(county),
            None => query.bind(if scope.depth() <= 1 { UnitPath::root().as_str().to_string() } else { String::from("-") }),
        };
        Ok(query.fetch_all(&self.reader).await?)
    }

    async fn record_read(&self, caller: &Caller, entity: &'static str, id: &str, path: &UnitPath, detail: serde_json::Value) -> StoreResult<()> {
        let mut tx = self.writer.begin().await?;
        audit(&mut tx, caller, "read", entity, id, path.as_str(), detail).await?;
        tx.commit().await?;
        Ok(())
    }
}
