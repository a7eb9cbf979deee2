//! Storage: the only module that touches sqlx. One trait per entity; every query of
//! people's data takes the caller's scope and filters by its path range here, so no
//! handler can forget it (`scope::Scope` writes that filter). Both backends share their SQL
//! where the dialects agree (positional `$n` parameters, `ON CONFLICT`, `RETURNING`): it is
//! written once, in `backend/`, and compiled once per backend; each has its own migrations
//! and connection settings.

mod accounts;
mod alerts;
mod audit;
pub(crate) mod boundaries;
mod checkins;
mod checkins_postgres;
mod checkins_sqlite;
mod checkpoints;
pub(crate) mod client_ids;
mod command;
mod confirmations;
mod error;
mod escalation;
mod history;
mod households;
mod isolation;
mod organisations;
mod passages;
mod passages_postgres;
mod passages_sqlite;
mod postgres;
mod residents;
mod roster;
mod scope;
mod screening;
mod search;
mod sql;
mod sqlite;
mod sqlite_committer;
mod sqlite_raw;
mod units;

use std::sync::Arc;

pub use accounts::{Account, AccountStore, LoginAttempt, NewAccount, Session};
pub use alerts::{AlertStore, Task};
pub use audit::{AuditEntry, AuditFilter, AuditStore};
pub use boundaries::{BoundaryStore, NewBoundary, StoredBoundary};
pub use checkins::{CheckedIn, CheckinHousehold, CheckinStore, CheckinSummary, Missing, NewCheckin, Principal};
pub use checkpoints::{
    Checkpoint, CheckpointStore, Contact, NewCheckpoint, NewPassage, NewRegistration, OnDuty, Passage, PassageStore, Person, PersonKey, Registration, Shift,
    Trajectory, TrajectoryItem,
};
pub use command::{CommandStore, Day, DayReport, FigureRecord, PlacedTile};
pub use confirmations::{Confirmation, ConfirmationStore, Owed};
pub use error::StoreError;
pub use escalation::{Escalation, EscalationStore, Lapse, Rule};
pub use history::HistoryStore;
pub use households::{ColourChange, HouseholdListItem, HouseholdPatch, HouseholdRecord, HouseholdStore, NewHousehold, ResidentLinks};
pub use isolation::{Followup, Isolation, IsolationStore, NewFollowup, NewIsolation};
pub use organisations::{Member, NewMember, OrgDay, Organisation, OrganisationStore, StaffLink};
pub use residents::{NewResident, ResidentListItem, ResidentPatch, ResidentRecord, ResidentStore};
pub use roster::{ImportSummary, RosterStore};
pub use screening::{Arrival, CoverageRow, KeyAreaRecord, NewReturnee, ReturneeItem, Round, ScreeningFigures, ScreeningStore, Unvisited};
pub use search::{Found, PersonHit, ResidentHit, SearchStore};
pub use sql::SqlStore;
pub use sqlite_committer::settle;
pub use units::{Duty, Figures, Issuer, StaffMember, Unit, UnitStore, UpsertSummary};

pub type StoreResult<T> = Result<T, StoreError>;

/// Everything the application needs from storage: the one list of entity traits. Each backend
/// implements it in its `backend` module.
pub trait Store:
    UnitStore
    + HouseholdStore
    + ResidentStore
    + RosterStore
    + AccountStore
    + AuditStore
    + ScreeningStore
    + CheckpointStore
    + SearchStore
    + PassageStore
    + AlertStore
    + IsolationStore
    + EscalationStore
    + CheckinStore
    + OrganisationStore
    + CommandStore
    + ConfirmationStore
    + HistoryStore
    + BoundaryStore
    + Send
    + Sync
{
}
/// Opens (creating if needed) and migrates the database a URL names:
/// `sqlite:PATH` (the embedded default) or `postgres://…`.
pub async fn open(url: &str) -> StoreResult<Arc<dyn Store>> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(postgres::open(url).await?))
    } else if let Some(path) = url.strip_prefix("sqlite:") {
        Ok(Arc::new(sqlite::open(path.trim_start_matches("//")).await?))
    } else {
        Err(StoreError::BadUrl(url.to_string()))
    }
}

/// A page of a list in key order; `next` is the cursor for the following page.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// The cursor of the following page (`after`), when there is one.
    pub next: Option<String>,
}

pub const MAX_PAGE: u32 = 1000;
