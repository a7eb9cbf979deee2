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

/// Refuses a new record whose own insert wrote nothing: its id belongs to a record the
/// server made (or one written before ids were claimed).
pub(crate) fn inserted(rows_affected: u64) -> super::StoreResult<()> {
    if rows_affected == 0 { Err(taken()) } else { Ok(()) }
}

/// Claims an id: `$1` id, `$2` kind, `$3` path, `$4` fingerprint, `$5` time; inserts nothing
/// if the id is stored already.
pub(crate) const CLAIM: &str = "INSERT INTO client_ids (id, kind, unit_path, fingerprint, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING";
/// What is stored with a claimed id `$1`, for `stored_claim`.
pub(crate) const STORED_CLAIM: &str = "SELECT kind, unit_path, fingerprint FROM client_ids WHERE id = $1";

/// What claiming an id that is stored already finds, from what is stored with it (its kind,
/// path and fingerprint): the same request again, from inside the record's subtree, is a
/// repeat; any other use is taken.
pub(crate) fn stored_claim(caller: &crate::domain::Caller, kind: &str, fingerprint: &str, stored: (String, String, String)) -> super::StoreResult<Claim> {
    let (stored_kind, stored_path, stored_fingerprint) = stored;
    let repeat = stored_kind == kind && stored_fingerprint == fingerprint && caller.scope.contains(&crate::domain::UnitPath::from_stored(stored_path));
    if repeat { Ok(Claim::Repeat) } else { Err(taken()) }
}
