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
