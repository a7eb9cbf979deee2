//! `AuditStore` for this backend: reads of the log (entries are written by `super::audit`
//! inside each write's own transaction).

use sqlx::QueryBuilder;

use async_trait::async_trait;

use super::{Db, audit};
use crate::domain::{Caller, UnitPath};
use crate::store::scope::Scope;
use crate::store::{AuditEntry, AuditFilter, AuditStore, MAX_PAGE, SqlStore, StoreResult};

#[async_trait]
impl AuditStore for SqlStore<Db> {
    async fn audit_log(&self, scope: &UnitPath, filter: &AuditFilter, limit: u32) -> StoreResult<Vec<AuditEntry>> {
        let mut query = QueryBuilder::new("SELECT id, at, actor, action, entity, entity_id, detail FROM audit_log WHERE ");
        push_filter(&mut query, scope, filter, filter.before.unwrap_or(i64::MAX));
        query.push(" ORDER BY id DESC LIMIT ").push_bind(i64::from(limit.clamp(1, MAX_PAGE)));
        let mut entries = query.build_query_as::<AuditEntry>().fetch_all(&self.reader).await?;
        self.name_entries(&mut entries).await?;
        Ok(entries)
    }

    async fn audit_count(&self, scope: &UnitPath, filter: &AuditFilter, cap: u32) -> StoreResult<i64> {
        let mut query = QueryBuilder::new("SELECT COUNT(*) FROM (SELECT 1 FROM audit_log WHERE ");
        push_filter(&mut query, scope, filter, i64::MAX);
        query.push(" LIMIT ").push_bind(i64::from(cap) + 1).push(") AS found");
        Ok(query.build_query_scalar().fetch_one(&self.reader).await?)
    }

    async fn record_read(&self, caller: &Caller, entity: &'static str, id: &str, path: &UnitPath, detail: serde_json::Value) -> StoreResult<()> {
        let mut tx = self.writer.begin().await?;
        audit(&mut tx, caller, "read", entity, id, path.as_str(), detail).await?;
        tx.commit().await?;
        Ok(())
    }
}

impl SqlStore<Db> {
    /// Names who acted (display names) and the records the entries are about, a query per
    /// kind of record over the page's ids.
    async fn name_entries(&self, entries: &mut [AuditEntry]) -> StoreResult<()> {
        use std::collections::{BTreeSet, HashMap};
        let logins: BTreeSet<String> =
            entries.iter().flat_map(|e| [Some(e.actor.clone()), (e.entity == "account").then(|| e.entity_id.clone())]).flatten().collect();
        let mut actors: HashMap<String, String> = HashMap::new();
        for chunk in logins.into_iter().collect::<Vec<_>>().chunks(crate::store::sql::CHUNK) {
            let mut query = QueryBuilder::new("SELECT login, display_name FROM accounts WHERE login IN (");
            let mut list = query.separated(", ");
            for login in chunk {
                list.push_bind(login.clone());
            }
            query.push(")");
            for (login, name) in query.build_query_as::<(String, String)>().fetch_all(&self.reader).await? {
                actors.insert(login.clone(), if name.trim().is_empty() { login } else { name });
            }
        }
        // The label of each kind of record whose id is a UUID: (kinds, SQL before the ids).
        const BY_ID: [(&[&str], &str); 9] = [
            (&["household", "checkin_link"], "SELECT id, household_no || ' ' || head_name FROM households WHERE id IN ("),
            (&["resident"], "SELECT id, name FROM residents WHERE id IN ("),
            (&["isolation", "followup"], "SELECT i.id, r.name FROM isolations i JOIN residents r ON r.id = i.resident_id WHERE i.id IN ("),
            (&["person"], "SELECT id, name FROM people WHERE id IN ("),
            (&["checkpoint"], "SELECT id, name FROM checkpoints WHERE id IN ("),
            (&["organisation", "org_members", "org_checkins"], "SELECT id, name FROM organisations WHERE id IN ("),
            (&["staff_link"], "SELECT id, name FROM org_members WHERE id IN ("),
            (&["screening_round"], "SELECT id, name FROM screening_rounds WHERE id IN ("),
            (&["alert"], "SELECT id, subject FROM alerts WHERE id IN ("),
        ];
        let mut labels: HashMap<(String, String), String> = HashMap::new();
        for (kinds, sql) in BY_ID {
            let ids: BTreeSet<uuid::Uuid> =
                entries.iter().filter(|e| kinds.contains(&e.entity.as_str())).filter_map(|e| uuid::Uuid::parse_str(&e.entity_id).ok()).collect();
            for chunk in ids.into_iter().collect::<Vec<_>>().chunks(crate::store::sql::CHUNK) {
                let mut query = QueryBuilder::new(sql);
                let mut list = query.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                query.push(")");
                for (id, label) in query.build_query_as::<(uuid::Uuid, Option<String>)>().fetch_all(&self.reader).await? {
                    if let Some(label) = label.filter(|l| !l.trim().is_empty()) {
                        for kind in kinds {
                            labels.insert((kind.to_string(), id.to_string()), label.trim().to_string());
                        }
                    }
                }
            }
        }
        // Records named by a unit's code.
        let codes: BTreeSet<String> = entries
            .iter()
            .filter(|e| matches!(e.entity.as_str(), "unit" | "units" | "roster" | "returnees" | "isolations"))
            .map(|e| e.entity_id.clone())
            .collect();
        let mut units: HashMap<String, String> = HashMap::new();
        for chunk in codes.into_iter().collect::<Vec<_>>().chunks(crate::store::sql::CHUNK) {
            let mut query = QueryBuilder::new("SELECT code, name FROM units WHERE code IN (");
            let mut list = query.separated(", ");
            for code in chunk {
                list.push_bind(code.clone());
            }
            query.push(")");
            units.extend(query.build_query_as::<(String, String)>().fetch_all(&self.reader).await?);
        }
        for entry in entries.iter_mut() {
            entry.actor_name = actors.get(&entry.actor).cloned();
            entry.label = match entry.entity.as_str() {
                "account" => actors.get(&entry.entity_id).cloned().or_else(|| Some(entry.entity_id.clone())),
                "unit" | "units" | "roster" | "returnees" | "isolations" => units.get(&entry.entity_id).cloned(),
                kind => labels.get(&(kind.to_string(), entry.entity_id.clone())).cloned(),
            };
        }
        Ok(())
    }
}

/// The log's conditions: the caller's scope, entries before `before`, and the filter's who,
/// what and when.
fn push_filter(query: &mut QueryBuilder<Db>, scope: &UnitPath, filter: &AuditFilter, before: i64) {
    // Inside a county, its entries newest first (the county index); above one, all
    // entries newest first: nearly all of them lie in such a scope.
    // A region's accounts also see what belongs to no place: failed logins of logins
    // that do not exist (the root path is theirs, a path no entry has otherwise).
    match scope.county_code() {
        Some(county) => {
            Scope::of(scope).push_within(query, "unit_path");
            query.push(" AND id < ").push_bind(before).push(" AND county_code = ").push_bind(county.to_string());
        }
        None => {
            let no_place = if scope.depth() <= 1 { UnitPath::root().as_str().to_string() } else { String::from("-") };
            query.push("((");
            Scope::of(scope).push_within(query, "unit_path");
            query.push(") OR unit_path = ").push_bind(no_place).push(") AND id < ").push_bind(before);
        }
    }
    if let Some(actor) = &filter.actor {
        query
            .push(" AND (actor = ")
            .push_bind(actor.clone())
            .push(" OR actor IN (SELECT login FROM accounts WHERE display_name = ")
            .push_bind(actor.clone())
            .push("))");
    }
    if let Some(entity) = &filter.entity {
        query.push(" AND entity = ").push_bind(entity.clone());
    }
    if let Some(since) = filter.since {
        query.push(" AND at >= ").push_bind(since);
    }
    if let Some(until) = filter.until {
        query.push(" AND at < ").push_bind(until);
    }
}
