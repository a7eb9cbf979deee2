//! Accounts and their sessions.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::StoreResult;
use crate::domain::{Caller, Login, Role, UnitCode, UnitPath};

#[derive(Debug, Clone, Serialize)]
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

#[derive(Debug, Clone)]
pub struct Session {
    pub account: Account,
    pub csrf: String,
}

#[async_trait]
pub trait AccountStore {
    /// Creates an account over a unit inside the caller's scope.
    async fn create_account(&self, caller: &Caller, account: &NewAccount) -> StoreResult<Account>;
    async fn accounts(&self, scope: &UnitPath) -> StoreResult<Vec<Account>>;
    /// The account and its password hash, to check a login.
    async fn credentials(&self, login: &Login) -> StoreResult<Option<(Account, String)>>;
    async fn create_session(&self, caller: &Caller, token: &str, csrf: &str, expires_at: DateTime<Utc>) -> StoreResult<()>;
    async fn session(&self, token: &str, now: DateTime<Utc>) -> StoreResult<Option<Session>>;
    async fn delete_session(&self, token: &str) -> StoreResult<()>;
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
            role: Role::parse(&self.role)?,
            unit_code: self.unit_code,
            scope: UnitPath::from_stored(self.path),
            display_name: self.display_name,
        })
    }
}

macro_rules! impl_accounts {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::AccountStore for $store {
            async fn create_account(&self, caller: &$crate::domain::Caller, account: &$crate::store::NewAccount) -> $crate::store::StoreResult<$crate::store::Account> {
                let unit = self.unit(&caller.scope, &account.unit_code).await?.ok_or($crate::store::StoreError::NotFound)?;
                let id = uuid::Uuid::now_v7();
                let mut tx = self.writer.begin().await?;
                sqlx::query("INSERT INTO accounts (id, login, password_hash, role, unit_code, display_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                    .bind(id)
                    .bind(account.login.as_str())
                    .bind(&account.password_hash)
                    .bind(account.role.as_str())
                    .bind(&unit.code)
                    .bind(&account.display_name)
                    .bind(caller.now)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| $crate::store::StoreError::unique(e, "login"))?;
                $crate::store::sql::audit!(tx, caller, "create", "account", account.login.as_str(), unit.path.as_str(), serde_json::json!({"role": account.role.as_str(), "unit_code": unit.code}));
                tx.commit().await?;
                Ok($crate::store::Account { id, login: account.login.as_str().to_string(), role: account.role, unit_code: unit.code, scope: unit.path, display_name: account.display_name.clone() })
            }

            async fn accounts(&self, scope: &$crate::domain::UnitPath) -> $crate::store::StoreResult<Vec<$crate::store::Account>> {
                let query = sqlx::query_as::<_, $crate::store::accounts::AccountRow>(
                    "SELECT a.id, a.login, a.role, a.unit_code, u.path, a.display_name FROM accounts a JOIN units u ON u.code = a.unit_code \
                     WHERE u.path >= $1 AND u.path < $2 ORDER BY u.path, a.login",
                );
                let rows = $crate::store::sql::bind_range!(query, scope).fetch_all(&self.reader).await?;
                rows.into_iter().map(|r| r.into_account()).collect()
            }

            async fn credentials(&self, login: &$crate::domain::Login) -> $crate::store::StoreResult<Option<($crate::store::Account, String)>> {
                let row = sqlx::query(
                    "SELECT a.id, a.login, a.role, a.unit_code, u.path, a.display_name, a.password_hash FROM accounts a JOIN units u ON u.code = a.unit_code WHERE a.login = $1",
                )
                .bind(login.as_str())
                                .fetch_optional(&self.reader)
                .await?;
                let Some(row) = row else { return Ok(None) };
                use sqlx::{FromRow, Row};
                let hash: String = row.try_get("password_hash")?;
                Ok(Some(($crate::store::accounts::AccountRow::from_row(&row)?.into_account()?, hash)))
            }

            async fn create_session(&self, caller: &$crate::domain::Caller, token: &str, csrf: &str, expires_at: chrono::DateTime<chrono::Utc>) -> $crate::store::StoreResult<()> {
                let mut tx = self.writer.begin().await?;
                sqlx::query("DELETE FROM sessions WHERE expires_at < $1").bind(caller.now).execute(&mut *tx).await?;
                sqlx::query("INSERT INTO sessions (token, account_id, csrf, created_at, expires_at) SELECT $1, id, $2, $3, $4 FROM accounts WHERE login = $5")
                    .bind(token)
                    .bind(csrf)
                    .bind(caller.now)
                    .bind(expires_at)
                    .bind(caller.login.as_str())
                    .execute(&mut *tx)
                    .await?;
                $crate::store::sql::audit!(tx, caller, "login", "account", caller.login.as_str(), caller.scope.as_str(), serde_json::json!({}));
                tx.commit().await?;
                Ok(())
            }

            async fn session(&self, token: &str, now: chrono::DateTime<chrono::Utc>) -> $crate::store::StoreResult<Option<$crate::store::Session>> {
                let sql = format!("SELECT {} WHERE s.token = $1 AND s.expires_at > $2", $crate::store::accounts::SESSION_ACCOUNT);
                let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(token).bind(now).fetch_optional(&self.reader).await?;
                let Some(row) = row else { return Ok(None) };
                use sqlx::{FromRow, Row};
                let csrf: String = row.try_get("csrf")?;
                Ok(Some($crate::store::Session { account: $crate::store::accounts::AccountRow::from_row(&row)?.into_account()?, csrf }))
            }

            async fn delete_session(&self, token: &str) -> $crate::store::StoreResult<()> {
                sqlx::query("DELETE FROM sessions WHERE token = $1").bind(token).execute(&self.writer).await?;
                Ok(())
            }
        }
    };
}
pub(crate) use impl_accounts;
