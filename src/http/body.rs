//! How large a request body may be. Small by default, so that nobody, logged in or not, can
//! make the server hold hundreds of megabytes; larger for batches of check-ins, and large only
//! on the upload routes, which take a session before they read the body (axum runs the `Auth`
//! extractor before the body's).

use axum::extract::DefaultBodyLimit;

/// Every form and JSON body unless its route says otherwise.
pub const DEFAULT: usize = 64 * 1024;
/// Batches: many check-ins in one request, an organisation's staff list.
pub const BATCH: usize = 1024 * 1024;
/// Files: rosters and unit sheets (CSV or .xlsx).
pub const UPLOAD: usize = 64 * 1024 * 1024;

pub fn default() -> DefaultBodyLimit {
    DefaultBodyLimit::max(DEFAULT)
}

pub fn batch() -> DefaultBodyLimit {
    DefaultBodyLimit::max(BATCH)
}

pub fn upload() -> DefaultBodyLimit {
    DefaultBodyLimit::max(UPLOAD)
}
