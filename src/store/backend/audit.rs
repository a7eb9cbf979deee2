//! `AuditStore` for this backend: reads of the log (entries are written by `super::audit`
//! inside each write's own transaction).

use sqlx::QueryBuilder;

use async_trait::async_trait;

use super::{Db, audit};
use crate::domain::{Caller, UnitPath};
use crate::store::scope::Scope;
use crate::store::{AuditEntry, AuditStore, MAX_PAGE, SqlStore, StoreResult};

#[async_trait]
impl AuditStore for SqlStore<Db> {
    async fn audit_log(&self, scope: &UnitPath, before: Option<i64>, limit: u32) -> StoreResult<Vec<AuditEntry>> {
        // Inside a county, its entries newest first (the county index); above one, all
        // entries newest first: nearly all of them lie in such a scope.
        // A region's accounts also see what belongs to no place: failed logins of logins
        // that do not exist (the root path is theirs, a path no entry has otherwise).
        let mut query = QueryBuilder::new("SELECT id, at, actor, action, entity, entity_id, detail FROM audit_log WHERE ");
        match scope.county_code() {
            Some(county) => {
                Scope::of(scope).push_within(&mut query, "unit_path");
                query.push(" AND id < ").push_bind(before.unwrap_or(i64::MAX)).push(" AND county_code = ").push_bind(county.to_string());
            }
            None => {
                let no_place = if scope.depth() <= 1 { UnitPath::root().as_str().to_string() } else { String::from("-") };
                query.push("((");
                Scope::of(scope).push_within(&mut query, "unit_path");
                query.push(") OR unit_path = ").push_bind(no_place).push(") AND id < ").push_bind(before.unwrap_or(i64::MAX));
            }
        }
        query.push(" ORDER BY id DESC LIMIT ").push_bind(i64::from(limit.clamp(1, MAX_PAGE)));
        Ok(query.build_query_as::<AuditEntry>().fetch_all(&self.reader).await?)
    }

    async fn record_read(&self, caller: &Caller, entity: &'static str, id: &str, path: &UnitPath, detail: serde_json::Value) -> StoreResult<()> {
        let mut tx = self.writer.begin().await?;
        audit(&mut tx, caller, "read", entity, id, path.as_str(), detail).await?;
        tx.commit().await?;
        Ok(())
    }
}
