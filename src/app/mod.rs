//! The operations people and programs perform, shared by the HTTP API, the pages and the
//! command line: each parses its input into domain types, checks the caller's role, and
//! calls storage. Reading files (CSV, GBK, .xlsx) happens here, at the boundary.

pub mod accounts;
pub mod audit;
pub mod checkins;
pub mod checkpoints;
pub mod command;
pub mod confirmations;
pub mod demo;
mod demo_field;
pub mod demo_history;
pub mod demo_maps;
pub mod divisions;
mod error;
pub mod figures;
pub mod files;
pub mod history;
pub mod households;
pub mod isolation;
pub mod maps;
pub mod organisations;
pub mod people;
mod report;
pub mod residents;
pub mod roster;
pub mod screening;
pub mod tasks;
pub mod trends;
pub mod units;

use std::sync::Arc;

use chrono::{DateTime, Utc};

pub use error::AppError;

/// A list's page size as asked for: 1 to `store::MAX_PAGE`, said so otherwise (never cut
/// to fit without a word).
pub(crate) fn page_limit(limit: u32) -> Result<u32, crate::domain::DomainError> {
    crate::domain::text::number_between("limit", limit, 1, i64::from(crate::store::MAX_PAGE))
}

use crate::domain::isolation::FollowupWindows;
use crate::domain::screening::DEFAULT_OBSERVATION_DAYS;
use crate::domain::{Caller, Role, Temperature, UnitPath};
use crate::store::Store;

/// Where the time comes from, so that tests can set it.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// What a region may set for itself.
#[derive(Debug, Clone)]
pub struct Settings {
    /// A temperature at or above this line is a fever (37.3 °C by default).
    pub fever: Temperature,
    /// Days a returnee is observed after arrival (14 by default).
    pub observation_days: u32,
    /// The address the public reaches this server at (for the QR codes on posters); the
    /// request's own Host when unset.
    pub public_url: Option<String>,
    /// The morning and afternoon windows in which isolation follow-ups are due.
    pub followup_windows: FollowupWindows,
    /// Cookies are marked `Secure` (sent over HTTPS only): on when `public_url` is https.
    pub secure_cookies: bool,
    /// The hour by which a day's report is confirmed (18:00 by default).
    pub report_deadline: crate::domain::confirmations::ReportDeadline,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            fever: Temperature::DEFAULT_FEVER,
            observation_days: DEFAULT_OBSERVATION_DAYS,
            public_url: None,
            followup_windows: FollowupWindows::default(),
            secure_cookies: false,
            report_deadline: crate::domain::confirmations::ReportDeadline::default(),
        }
    }
}

/// The running application: storage, a clock and the region's settings.
#[derive(Clone)]
pub struct App {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub settings: Settings,
}

impl App {
    pub fn new(store: Arc<dyn Store>) -> App {
        App { store, clock: Arc::new(SystemClock), settings: Settings::default() }
    }

    pub async fn open(database_url: &str) -> Result<App, AppError> {
        Ok(App::new(crate::store::open(database_url).await?))
    }

    /// The command line acts as an administrator over a subtree (the whole tree by default).
    pub fn system_caller(&self, scope: UnitPath) -> Caller {
        Caller { login: "cli".into(), role: Role::Admin, scope, now: self.clock.now() }
    }
}

/// What a request that chose its own record id said, as a digest kept beside the record
/// (`store::client_ids`): the same request again answers the stored record, another one
/// with the same id is refused. `None` when the server makes the id.
pub fn fingerprint(client_id: Option<uuid::Uuid>, request: &impl serde::Serialize) -> Option<String> {
    use sha2::Digest;
    client_id.map(|_| hex::encode(sha2::Sha256::digest(serde_json::to_vec(request).unwrap_or_default())))
}
