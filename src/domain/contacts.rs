//! Contact tracing: who may have met a case, and why.

use chrono::Duration;
use serde::Serialize;

use super::error::DomainError;

pub const DEFAULT_WINDOW_MINUTES: u32 = 30;
/// A wider window finds half a day's traffic at a busy checkpoint: not a contact list.
pub const MAX_WINDOW_MINUTES: u32 = 24 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContactReason {
    /// Lives in the same household.
    Household,
    /// Passed in the same vehicle (same plate) within the window.
    Vehicle,
    /// Passed the same checkpoint within the window.
    Checkpoint,
}

impl ContactReason {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactReason::Household => "household",
            ContactReason::Vehicle => "vehicle",
            ContactReason::Checkpoint => "checkpoint",
        }
    }
}

/// The ± window around each of a case's passages.
pub fn window(minutes: Option<u32>) -> Result<Duration, DomainError> {
    let minutes = minutes.unwrap_or(DEFAULT_WINDOW_MINUTES);
    super::text::number_between("window_minutes", minutes, 0, i64::from(MAX_WINDOW_MINUTES))?;
    Ok(Duration::minutes(i64::from(minutes)))
}
