//! Accounts and their sessions.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::StoreResult;
use crate::domain::throttle::Throttle;
use crate::domain::{Caller, Login, Role, UnitCode, UnitPath};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Account {
    pub id: Uuid,
    pub login: String,
    pub role: Role,
    pub unit_code: String,
    #[serde(skip)]
    pub scope: UnitPath,
    pub display_name: String,
}

impl Account {
    /// This account acting now.
    pub fn caller(&self, now: DateTime<Utc>) -> Caller {
        Caller { login: self.login.clone(), role: self.role, scope: self.scope.clone(), now }
    }
}

#[derive(Debug, Clone)]
pub struct NewAccount {
    pub login: Login,
    pub password_hash: String,
    pub role: Role,
    pub unit_code: UnitCode,
    pub display_name: String,
}

/// The account columns a session names, read by `AccountRow`, and the joins that reach them
/// from `sessions s`.
pub(crate) const SESSION_ACCOUNT: &str = "a.id, a.login, a.role, a.unit_code, u.path, a.display_name, s.csrf, s.token, s.expires_at FROM sessions s \
     JOIN accounts a ON a.id = s.account_id JOIN units u ON u.code = a.unit_code";

/// An attempt to log in: the login tried and the client's address, at a time.
#[derive(Debug, Clone)]
pub struct LoginAttempt {
    pub login: Login,
    /// The client's address as throttles count it (`domain::throttle::client_key`).
    pub address: Option<String>,
    /// The hash of the browser's device cookie when the browser is trusted by this login
    /// (`AccountStore::trusted_device`): its attempts are throttled by themselves.
    pub trusted_device: Option<String>,
    pub at: DateTime<Utc>,
}

impl LoginAttempt {
    /// The attempt's throttle keys, each with its throttle, in ascending order: every
    /// transaction takes the rows of `login_throttle` in key order, so none waits in a circle.
    pub(crate) fn keys(&self) -> Vec<(String, Throttle)> {
        if let Some(device) = &self.trusted_device {
            return vec![(device_key(device), Throttle::LOGIN)];
        }
        let mut keys: Vec<(String, Throttle)> = self.address.iter().map(|a| (address_key(a), Throttle::ADDRESS)).collect();
        keys.push((login_key(self.login.as_str()), Throttle::LOGIN));
        keys
    }
}

pub(crate) fn login_key(login: &str) -> String {
    format!("login:{login}")
}

pub(crate) fn address_key(address: &str) -> String {
    format!("address:{address}")
}

pub(crate) fn device_key(device: &str) -> String {
    format!("device:{device}")
}

#[derive(Debug, Clone)]
pub struct Session {
    pub account: Account,
    pub csrf: String,
    /// Failed attempts to log in before the login that opened this session, until a page
    /// has told them (`told_failed_logins`).
    pub failed_logins: u32,
}

#[async_trait]
pub trait AccountStore {
    /// Creates an account over a unit inside the caller's scope.
    async fn create_account(&self, caller: &Caller, account: &NewAccount) -> StoreResult<Account>;
    async fn accounts(&self, scope: &UnitPath) -> StoreResult<Vec<Account>>;
    /// The account and its password hash, to check a login.
    async fn credentials(&self, login: &Login) -> StoreResult<Option<(Account, String)>>;
    /// Begins an attempt to log in. Unless its login or its address must wait, counts it
    /// against both (as a failure until it succeeds) and answers `None`; else counts nothing
    /// and answers the longer wait.
    async fn begin_login(&self, attempt: &LoginAttempt) -> StoreResult<Option<chrono::Duration>>;
    /// An attempt failed: its throttles' last failure, the account's count of failures (when
    /// the login exists) and the audit entry (at `unit_path`: the account's unit, else the root).
    async fn login_failed(&self, attempt: &LoginAttempt, unit_path: &UnitPath) -> StoreResult<()>;
    /// Opens a session for the caller's account, ending the attempt that succeeded: the
    /// login's (or the trusted device's) throttle is cleared and the address's no longer
    /// counts it. The browser's device (the hash of its cookie) is trusted by the login from
    /// now on. Answers the failed attempts since the account's last login (and starts them over).
    async fn create_session(
        &self,
        caller: &Caller,
        token: &str,
        csrf: &str,
        expires_at: DateTime<Utc>,
        attempt: &LoginAttempt,
        device: &str,
    ) -> StoreResult<u32>;
    /// Whether the browser with this device hash has logged in to `login` since `since`.
    async fn trusted_device(&self, device: &str, login: &Login, since: DateTime<Utc>) -> StoreResult<bool>;
    /// Deletes the throttles no attempt has touched since `before`, and the devices that have
    /// not logged in since `trusted_before`.
    async fn forget_login_attempts(&self, before: DateTime<Utc>, trusted_before: DateTime<Utc>) -> StoreResult<()>;
    async fn session(&self, token: &str, now: DateTime<Utc>) -> StoreResult<Option<Session>>;
    /// The session's failed logins have been told.
    async fn told_failed_logins(&self, token: &str) -> StoreResult<()>;
    async fn delete_session(&self, token: &str) -> StoreResult<()>;
    /// The display names of these logins, for those that have one. Staff names, shown beside
    /// what they did (an account over another area may have acted on a record of this one).
    async fn display_names(&self, logins: &[String]) -> StoreResult<Vec<(String, String)>>;
}

#[derive(sqlx::FromRow)]
pub(crate) struct AccountRow {
    pub id: Uuid,
    pub login: String,
    pub role: String,
    pub unit_code: String,
    pub path: String,
    pub display_name: String,
}

impl AccountRow {
    pub fn into_account(self) -> StoreResult<Account> {
        Ok(Account {
            id: self.id,
            login: self.login,
            role: Role::from_stored(&self.role)?,
            unit_code: self.unit_code,
            scope: UnitPath::from_stored(self.path),
            display_name: self.display_name,
        })
    }
}
