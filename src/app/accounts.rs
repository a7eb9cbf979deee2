//! Accounts, passwords (argon2) and sessions.

use std::net::IpAddr;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::Duration;
use sha2::{Digest, Sha256};

use crate::domain::error::{Problems, Reason};
use crate::domain::password::check_password;
use crate::domain::text::person_name;
use crate::domain::throttle::{client_key, wait_seconds};
use crate::domain::{Caller, DomainError, Level, Login, Permission, Role, UnitCode, UnitPath};
pub use crate::store::{Account, Session};
use crate::store::{LoginAttempt, NewAccount};

use super::{App, AppError};

/// How long a login lasts: a grid member's phone should not ask every morning.
pub const SESSION_DAYS: i64 = 14;
/// How long a browser stays trusted by a login after logging in to it.
pub const DEVICE_TRUST_DAYS: i64 = 90;

pub struct NewUser<'a> {
    pub login: &'a str,
    pub password: &'a str,
    pub role: &'a str,
    pub unit_code: &'a str,
    pub display_name: &'a str,
}

/// The accounts over units in the caller's subtree.
pub async fn list(app: &App, caller: &Caller) -> Result<Vec<Account>, AppError> {
    caller.require(caller.role.may(Permission::ManageAccounts), "manage accounts")?;
    Ok(app.store.accounts(&caller.scope).await?)
}

/// The name of each listed account's unit, by code.
pub async fn unit_names(app: &App, accounts: &[Account]) -> Result<std::collections::HashMap<String, String>, AppError> {
    let mut codes: Vec<&str> = accounts.iter().map(|a| a.unit_code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    Ok(app.store.unit_names(&codes).await?.into_iter().collect())
}

/// The most units the new-account form's picker lists: a county's few hundred fit; a larger
/// area lists its upper levels and takes a code typed for a unit below them.
pub const MAX_UNIT_CHOICES: i64 = 800;

/// A unit the new-account form offers, indented by its depth below the caller's own unit.
pub struct UnitChoice {
    pub code: String,
    pub name: String,
    pub level: Level,
    pub indent: usize,
}

/// The units a new account may act over: the caller's subtree in tree order, down to the
/// deepest level at which it still fits in `MAX_UNIT_CHOICES`; `deeper` when units lie below.
pub struct UnitChoices {
    pub units: Vec<UnitChoice>,
    pub deeper: bool,
}

pub async fn unit_choices(app: &App, caller: &Caller) -> Result<UnitChoices, AppError> {
    caller.require(caller.role.may(Permission::ManageAccounts), "manage accounts")?;
    let depths = app.store.units_by_depth(&caller.scope).await?;
    let top = caller.scope.depth() as i64;
    let mut listed = 0;
    let mut max_depth = top;
    for (depth, count) in &depths {
        if *depth > top && listed + count > MAX_UNIT_CHOICES {
            break;
        }
        listed += count;
        max_depth = *depth;
    }
    let deeper = depths.iter().any(|(depth, _)| *depth > max_depth);
    let units = app.store.unit_tree(&caller.scope, max_depth).await?;
    let units = units
        .into_iter()
        .map(|u| {
            let indent = (u.path.depth() as i64 - top).max(0) as usize;
            UnitChoice { code: u.code, name: u.name, level: u.level, indent }
        })
        .collect();
    Ok(UnitChoices { units, deeper })
}

/// How pages name the accounts that did something: each login that has a display name, by it.
pub async fn display_names(app: &App, logins: impl IntoIterator<Item = &str>) -> Result<std::collections::HashMap<String, String>, AppError> {
    let mut logins: Vec<String> = logins.into_iter().map(str::to_string).collect();
    logins.sort();
    logins.dedup();
    Ok(app.store.display_names(&logins).await?.into_iter().collect())
}

pub async fn add_user(app: &App, caller: &Caller, user: NewUser<'_>) -> Result<Account, AppError> {
    create_account(app, caller, user, true).await
}

/// The demo's accounts, whose password is published (and so refused for any other account).
pub(super) async fn add_demo_user(app: &App, caller: &Caller, user: NewUser<'_>) -> Result<Account, AppError> {
    create_account(app, caller, user, false).await
}

async fn create_account(app: &App, caller: &Caller, user: NewUser<'_>, check: bool) -> Result<Account, AppError> {
    caller.require(caller.role.may(Permission::ManageAccounts), "manage accounts")?;
    // Every problem of the form at once; the unit is named as the form labels it (管辖单位).
    let mut problems = Problems::default();
    let login = problems.check(Login::parse(user.login));
    let role = problems.check(Role::parse(user.role));
    let unit_code = problems.check(UnitCode::parse(user.unit_code).map_err(|e| e.named("scope_unit")));
    if let Some(code) = &unit_code
        && app.store.unit(&caller.scope, code).await?.is_none()
    {
        problems.push(DomainError::invalid("scope_unit", Reason::Unknown));
    }
    if check {
        problems.check(check_password(user.password));
    }
    let display_name = match user.display_name.trim() {
        "" => Some(String::new()),
        name => problems.check(person_name("name", name)),
    };
    problems.finish()?;
    let (Some(login), Some(role), Some(unit_code), Some(display_name)) = (login, role, unit_code, display_name) else {
        return Err(AppError::Internal("a form without problems left a field unparsed".into()));
    };
    let password = user.password.to_string();
    let password_hash = tokio::task::spawn_blocking(move || hash_password(&password)).await.map_err(|e| AppError::Internal(e.to_string()))??;
    let account = NewAccount { login, password_hash, role, unit_code, display_name };
    Ok(app.store.create_account(caller, &account).await?)
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let hash: PasswordHash = Argon2::default().hash_password(password.as_bytes()).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(hash.to_string())
}

fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
}

/// A login that worked: the session's token, the session, and how many failed attempts there
/// were since the account's last login (its holder is told).
pub struct LoggedIn {
    pub token: String,
    /// The browser's device cookie (the one it sent, or a new one).
    pub device: String,
    pub session: Session,
    pub failed_attempts: u32,
}

/// Checks a login from a client and opens a session. Failures are throttled per login and
/// per client address, in the database (so across servers): an attempt that must wait is
/// refused without its password being checked. Each failure is audited. A browser that has
/// logged in to this login in the last `DEVICE_TRUST_DAYS` (its `device` cookie) is throttled
/// by itself instead, so that nobody else's failures lock the login's holder out.
pub async fn log_in(app: &App, login: &str, password: &str, client: Option<IpAddr>, device: Option<&str>) -> Result<LoggedIn, AppError> {
    // A login no account could have is still an attempt: counted, audited and answered alike.
    let login = Login::parse(login).unwrap_or_else(|_| Login::unusable(login));
    let now = app.clock.now();
    let device = match device.filter(|d| plausible_token(d)) {
        Some(token) => token.to_string(),
        None => random_token()?,
    };
    let device_hash = hex::encode(Sha256::digest(device.as_bytes()));
    let trusted = app.store.trusted_device(&device_hash, &login, now - Duration::days(DEVICE_TRUST_DAYS)).await?;
    let attempt = LoginAttempt { login, address: client.map(client_key), trusted_device: trusted.then(|| device_hash.clone()), at: now };
    if let Some(wait) = app.store.begin_login(&attempt).await? {
        return Err(AppError::TooManyAttempts { retry_after: wait_seconds(wait) });
    }
    let found = app.store.credentials(&attempt.login).await?;
    let password = password.to_string();
    // An unknown login is checked against a throwaway hash too, and its failure is counted
    // and audited the same way, so neither the answer nor its timing tells which logins exist.
    let (account, stored) = match found {
        Some((account, hash)) => (Some(account), hash),
        None => (None, decoy_hash().to_string()),
    };
    let valid = tokio::task::spawn_blocking(move || verify_password(&password, &stored)).await.map_err(|e| AppError::Internal(e.to_string()))?;
    let account = match account {
        Some(account) if valid => account,
        account => {
            let path = account.map_or_else(UnitPath::root, |a| a.scope);
            app.store.login_failed(&attempt, &path).await?;
            return Err(AppError::BadCredentials);
        }
    };
    let token = random_token()?;
    let csrf = random_token()?;
    let caller = account.caller(attempt.at);
    let failed_attempts = app.store.create_session(&caller, &token, &csrf, caller.now + Duration::days(SESSION_DAYS), &attempt, &device_hash).await?;
    Ok(LoggedIn { token, device, session: Session { account, csrf, failed_logins: failed_attempts }, failed_attempts })
}

pub async fn session(app: &App, token: &str) -> Result<Option<Session>, AppError> {
    Ok(app.store.session(token, app.clock.now()).await?)
}

/// A page has told the session's holder of the failed logins before it.
pub async fn told_failed_logins(app: &App, token: &str) -> Result<(), AppError> {
    Ok(app.store.told_failed_logins(token).await?)
}

pub async fn log_out(app: &App, token: &str) -> Result<(), AppError> {
    Ok(app.store.delete_session(token).await?)
}

fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password").unwrap_or_default())
}

/// Whether a public token (a poster's, a household's or a staff member's link) could be one of
/// ours: hex, and not long. Anything else need not reach the database.
pub fn plausible_token(token: &str) -> bool {
    !token.is_empty() && token.len() <= 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// 256 random bits as hex.
pub fn random_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(hex::encode(bytes))
}
