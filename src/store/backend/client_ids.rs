//! Claiming ids a client chose (see `store::client_ids` for the rules), inside the
//! transaction that writes the record.

use super::{Db, Tx};
use crate::domain::{Caller, UnitPath};
use crate::store::{SqlStore, StoreResult};

impl SqlStore<Db> {
    /// Claims `id` for a new record of `kind` at `path`, inside the transaction that
    /// writes it. A server-made id (no `fingerprint`) is always new.
    pub(crate) async fn claim_id(
        tx: &mut Tx,
        caller: &Caller,
        kind: &'static str,
        id: uuid::Uuid,
        fingerprint: Option<&str>,
        path: &UnitPath,
    ) -> StoreResult<crate::store::client_ids::Claim> {
        use crate::store::client_ids::{Claim, taken};
        let Some(fingerprint) = fingerprint else { return Ok(Claim::New) };
        let inserted =
            sqlx::query("INSERT INTO client_ids (id, kind, unit_path, fingerprint, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING")
                .bind(id)
                .bind(kind)
                .bind(path.as_str())
                .bind(fingerprint)
                .bind(caller.now)
                .execute(&mut **tx)
                .await?;
        if inserted.rows_affected() == 1 {
            return Ok(Claim::New);
        }
        let (stored_kind, stored_path, stored_fingerprint): (String, String, String) =
            sqlx::query_as("SELECT kind, unit_path, fingerprint FROM client_ids WHERE id = $1").bind(id).fetch_one(&mut **tx).await?;
        let repeat = stored_kind == kind && stored_fingerprint == fingerprint && caller.scope.contains(&UnitPath::from_stored(stored_path));
        if repeat { Ok(Claim::Repeat) } else { Err(taken()) }
    }
}
