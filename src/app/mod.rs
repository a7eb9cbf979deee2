//! The operations people and programs perform, shared by the HTTP API, the pages and the
//! command line: each parses its input into domain types, checks the caller's role, and
//! calls storage. Reading files (CSV, GBK, .xlsx) happens here, at the boundary.

pub mod accounts;
pub mod demo;
pub mod divisions;
mod error;
pub mod files;
pub mod roster;

use std::sync::Arc;

use chrono::{DateTime, Utc};

pub use error::AppError;

use crate::domain::{Caller, Role, UnitPath};
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

/// The running application: storage and a clock.
#[derive(Clone)]
pub struct App {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
}

impl App {
    pub fn new(store: Arc<dyn Store>) -> App {
        App { store, clock: Arc::new(SystemClock) }
    }

    pub async fn open(database_url: &str) -> Result<App, AppError> {
        Ok(App::new(crate::store::open(database_url).await?))
    }

    /// The command line acts as an administrator over a subtree (the whole tree by default).
    pub fn system_caller(&self, scope: UnitPath) -> Caller {
        Caller { login: "cli".into(), role: Role::Admin, scope, now: self.clock.now() }
    }
}
