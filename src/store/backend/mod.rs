//! The SQL of every entity store, written once and compiled once per backend: `sqlite.rs`
//! and `postgres.rs` each include this folder with their own `Db`, so `SqlStore<Db>` below
//! is a concrete type. A function generic over `DB: Database` would have to repeat sqlx's
//! bounds (`for<'c> &'c mut DB::Connection: Executor<'c>`, `T: Encode<DB> + Type<DB>` for
//! every bound value) on every signature; compiled per backend the code stays plain.
//! Where the dialects differ, the code asks `Dialect` (implemented by each backend).

#[allow(clippy::duplicate_mod, reason = "compiled once per backend, on purpose")]
mod accounts;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend, on purpose")]
mod alerts;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend, on purpose")]
mod audit;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend, on purpose")]
mod boundaries;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend, on purpose")]
mod checkins;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend, on purpose")]
mod checkpoints;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend, on purpose")]
mod client_ids;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend, on purpose")]
mod command;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend, on purpose")]
mod confirmations;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend, on purpose")]
mod derived;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend, on purpose")]
mod escalation;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend, on purpose")]
mod figures;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend, on purpose")]
mod history;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend, on purpose")]
mod households;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend, on purpose")]
mod isolation;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend, on purpose")]
mod organisations;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend, on purpose")]
mod passages;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend, on purpose")]
mod residents;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend, on purpose")]
mod roster;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend, on purpose")]
mod screening;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend, on purpose")]
mod search;
#[allow(clippy::duplicate_mod, reason = "compiled once per backend, on purpose")]
mod units;

use super::Db;
use crate::domain::{Caller, UnitPath};
use crate::store::{SqlStore, Store, StoreResult};

/// A write transaction on this backend.
pub(crate) type Tx = sqlx::Transaction<'static, Db>;

impl Store for SqlStore<Db> {}

/// Appends one audit entry inside the caller's transaction, so the write and its record
/// commit or roll back together. `unit_path` is the stored path of what it is about.
pub(crate) async fn audit(
    tx: &mut Tx,
    caller: &Caller,
    action: &str,
    entity: &str,
    entity_id: impl ToString,
    unit_path: &str,
    detail: serde_json::Value,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, entity, entity_id, unit_path, county_code, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(caller.now)
    .bind(caller.login.as_str())
    .bind(action)
    .bind(entity)
    .bind(entity_id.to_string())
    .bind(unit_path)
    .bind(UnitPath::county_of(unit_path))
    .bind(detail.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
