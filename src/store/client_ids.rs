//! Ids a client chose. A phone working offline, or a request sent again after a timeout,
//! names the record it creates; the store keeps, beside the record, what kind it is, where
//! it lies and a digest of the request (`client_ids`). The same request again, from inside
//! the record's subtree, answers the stored record; any other use of the id (another body,
//! another kind, another subtree, or an id the server made) is refused as a conflict that
//! says nothing of the record.

/// What claiming an id found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// The id is new: write the record (and refuse if its own table has the id already).
    New,
    /// The same request was made before: answer the stored record.
    Repeat,
}

/// The conflict every refused id answers with.
pub(crate) fn taken() -> super::StoreError {
    super::StoreError::Conflict("id")
}

macro_rules! impl_client_ids {
    ($store:ty) => {
        impl $store {
            /// Claims `id` for a new record of `kind` at `path`, inside the transaction that
            /// writes it. A server-made id (no `fingerprint`) is always new.
            pub(crate) async fn claim_id(
                tx: &mut $crate::store::sql::Tx<$store>,
                caller: &$crate::domain::Caller,
                kind: &'static str,
                id: uuid::Uuid,
                fingerprint: Option<&str>,
                path: &$crate::domain::UnitPath,
            ) -> $crate::store::StoreResult<$crate::store::client_ids::Claim> {
                use $crate::store::client_ids::{Claim, taken};
                let Some(fingerprint) = fingerprint else { return Ok(Claim::New) };
                let inserted = sqlx::query(
                    "INSERT INTO client_ids (id, kind, unit_path, fingerprint, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
                )
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
                let repeat =
                    stored_kind == kind && stored_fingerprint == fingerprint && caller.scope.contains(&$crate::domain::UnitPath::from_stored(stored_path));
                if repeat { Ok(Claim::Repeat) } else { Err(taken()) }
            }
        }
    };
}
pub(crate) use impl_client_ids;

/// Refuses a new record whose own insert wrote nothing: its id belongs to a record the
/// server made (or one written before ids were claimed).
pub(crate) fn inserted(rows_affected: u64) -> super::StoreResult<()> {
    if rows_affected == 0 { Err(taken()) } else { Ok(()) }
}
