//! People who passed checkpoints: a person's time line over the checkpoints in the caller's
//! subtree, and the candidate contacts of a case, turned into screening tasks where each
//! belongs.

use serde::Serialize;
use uuid::Uuid;

use super::{App, AppError};
use crate::domain::{Caller, Permission, contacts};
pub use crate::store::{Contact, Person, Trajectory, TrajectoryItem};

/// A person's passages and registrations in time order: the reading is audited.
pub async fn trajectory(app: &App, caller: &Caller, person: Uuid) -> Result<Trajectory, AppError> {
    caller.require(caller.role.may(Permission::ReadTrajectories), "read trajectories")?;
    app.store.trajectory(caller, person).await?.ok_or(AppError::NotFound)
}

/// A case's candidate contacts within a window.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Contacts {
    /// The window used: ± this many minutes.
    pub window_minutes: i64,
    pub items: Vec<Contact>,
}

/// Candidate contacts of a case: same household, same vehicle (plate) or same checkpoint
/// within ± `window_minutes` (30 by default, at most 1440); the reading is audited.
pub async fn contacts(app: &App, caller: &Caller, person: Uuid, window_minutes: Option<u32>) -> Result<Contacts, AppError> {
    caller.require(caller.role.may(Permission::TraceContacts), "trace contacts")?;
    let window = contacts::window(window_minutes)?;
    let items = app.store.contacts(caller, person, window).await?.ok_or(AppError::NotFound)?;
    Ok(Contacts { window_minutes: window.num_minutes(), items })
}

/// Turns a case's contacts into screening tasks where each belongs; answers how many.
pub async fn screen_contacts(app: &App, caller: &Caller, person: Uuid, window_minutes: Option<u32>) -> Result<usize, AppError> {
    caller.require(caller.role.may(Permission::TraceContacts), "trace contacts")?;
    let window = contacts::window(window_minutes)?;
    Ok(app.store.screen_contacts(caller, person, window).await?)
}
