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
        use crate::store::client_ids::{CLAIM, Claim, STORED_CLAIM, stored_claim};
        let Some(fingerprint) = fingerprint else { return Ok(Claim::New) };
        let inserted = sqlx::query(CLAIM).bind(id).bind(kind).bind(path.as_str()).bind(fingerprint).bind(caller.now).execute(&mut **tx).await?;
        if inserted.rows_affected() == 1 {
            return Ok(Claim::New);
        }
        let stored = sqlx::query_as(STORED_CLAIM).bind(id).fetch_one(&mut **tx).await?;
        stored_claim(caller, kind, fingerprint, stored)
    }
}
