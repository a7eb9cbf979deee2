//! `AccountStore` for this backend: accounts, sessions, login throttling.

use sqlx::QueryBuilder;

use async_trait::async_trait;

use super::{Db, audit};
use crate::domain::{Caller, Login, UnitPath};
use crate::store::scope::Scope;
use crate::store::{Account, AccountStore, NewAccount, Session, SqlStore, StoreError, StoreResult, UnitStore};

#[async_trait]
impl AccountStore for SqlStore<Db> {
    async fn create_account(&self, caller: &Caller, account: &NewAccount) -> StoreResult<Account> {
        let unit = self.unit(&caller.scope, &account.unit_code).await?.ok_or(StoreError::NotFound)?;
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
            .map_err(|e| StoreError::unique(e, "login"))?;
        audit(
            &mut tx,
            caller,
            "create",
            "account",
            account.login.as_str(),
            unit.path.as_str(),
            serde_json::json!({"role": account.role.as_str(), "unit_code": unit.code}),
        )
        .await?;
        tx.commit().await?;
        Ok(Account {
            id,
            login: account.login.as_str().to_string(),
            role: account.role,
            unit_code: unit.code,
            scope: unit.path,
            display_name: account.display_name.clone(),
        })
    }

    async fn accounts(&self, scope: &UnitPath) -> StoreResult<Vec<Account>> {
        let mut query =
            QueryBuilder::new("SELECT a.id, a.login, a.role, a.unit_code, u.path, a.display_name FROM accounts a JOIN units u ON u.code = a.unit_code WHERE ");
        Scope::of(scope).push_within(&mut query, "u.path").push(" ORDER BY u.path, a.login");
        let rows = query.build_query_as::<crate::store::accounts::AccountRow>().fetch_all(&self.reader).await?;
        rows.into_iter().map(|r| r.into_account()).collect()
    }

    async fn credentials(&self, login: &Login) -> StoreResult<Option<(Account, String)>> {
        let row = sqlx::query(
            "SELECT a.id, a.login, a.role, a.unit_code, u.path, a.display_name, a.password_hash FROM accounts a JOIN units u ON u.code = a.unit_code WHERE a.login = $1",
        )
        .bind(login.as_str())
                        .fetch_optional(&self.reader)
        .await?;
        let Some(row) = row else { return Ok(None) };
        use sqlx::{FromRow, Row};
        let hash: String = row.try_get("password_hash")?;
        Ok(Some((crate::store::accounts::AccountRow::from_row(&row)?.into_account()?, hash)))
    }

    async fn begin_login(&self, attempt: &crate::store::accounts::LoginAttempt) -> StoreResult<Option<chrono::Duration>> {
        let mut tx = self.writer.begin().await?;
        let mut begun = Vec::new();
        let mut wait: Option<chrono::Duration> = None;
        for (key, throttle) in attempt.keys() {
            // The throttle's row, taken (and on PostgreSQL locked) or started empty.
            let (failures, last_attempt, last_failure): (i32, chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) = sqlx::query_as(
                "INSERT INTO login_throttle (key, failures, last_attempt, last_failure) VALUES ($1, 0, $2, $2) \
                 ON CONFLICT (key) DO UPDATE SET failures = login_throttle.failures RETURNING failures, last_attempt, last_failure",
            )
            .bind(&key)
            .bind(attempt.at)
            .fetch_one(&mut *tx)
            .await?;
            let before = crate::domain::throttle::Attempts { failures: u32::try_from(failures).unwrap_or(0), last_attempt, last_failure };
            wait = wait.max(throttle.wait(&before, attempt.at));
            begun.push((key, throttle.begin(&before, attempt.at)));
        }
        if wait.is_some() {
            tx.rollback().await?;
            return Ok(wait);
        }
        for (key, after) in begun {
            sqlx::query("UPDATE login_throttle SET failures = $2, last_attempt = $3, last_failure = $4 WHERE key = $1")
                .bind(&key)
                .bind(i32::try_from(after.failures).unwrap_or(i32::MAX))
                .bind(after.last_attempt)
                .bind(after.last_failure)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(None)
    }

    async fn login_failed(&self, attempt: &crate::store::accounts::LoginAttempt, unit_path: &UnitPath) -> StoreResult<()> {
        let mut tx = self.writer.begin().await?;
        for (key, _) in attempt.keys() {
            sqlx::query("UPDATE login_throttle SET last_failure = $2 WHERE key = $1").bind(&key).bind(attempt.at).execute(&mut *tx).await?;
        }
        sqlx::query("UPDATE accounts SET failed_logins = failed_logins + 1 WHERE login = $1").bind(attempt.login.as_str()).execute(&mut *tx).await?;
        let caller = Caller::public(unit_path.clone(), attempt.at);
        audit(&mut tx, &caller, "login_failed", "account", attempt.login.as_str(), unit_path.as_str(), serde_json::json!({"address": attempt.address})).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn create_session(
        &self,
        caller: &Caller,
        token: &str,
        csrf: &str,
        expires_at: chrono::DateTime<chrono::Utc>,
        attempt: &crate::store::accounts::LoginAttempt,
        device: &str,
    ) -> StoreResult<u32> {
        let mut tx = self.writer.begin().await?;
        // The throttle's rows first, in key order (address before device and login), as everywhere.
        for (key, throttle) in attempt.keys() {
            if throttle == crate::domain::throttle::Throttle::ADDRESS {
                sqlx::query("UPDATE login_throttle SET failures = failures - 1 WHERE key = $1 AND failures > 0").bind(&key).execute(&mut *tx).await?;
            } else {
                sqlx::query("DELETE FROM login_throttle WHERE key = $1").bind(&key).execute(&mut *tx).await?;
            }
        }
        sqlx::query(
            "INSERT INTO trusted_devices (token_hash, login, last_login) VALUES ($1, $2, $3) \
             ON CONFLICT (token_hash, login) DO UPDATE SET last_login = excluded.last_login",
        )
        .bind(device)
        .bind(caller.login.as_str())
        .bind(caller.now)
        .execute(&mut *tx)
        .await?;
        let failed: i32 = sqlx::query_scalar("SELECT failed_logins FROM accounts WHERE login = $1").bind(caller.login.as_str()).fetch_one(&mut *tx).await?;
        if failed != 0 {
            // Less what was read, not to zero: failures counted meanwhile are told next time.
            sqlx::query("UPDATE accounts SET failed_logins = failed_logins - $2 WHERE login = $1")
                .bind(caller.login.as_str())
                .bind(failed)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1").bind(caller.now).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO sessions (token, account_id, csrf, created_at, expires_at, failed_logins) SELECT $1, id, $2, $3, $4, $6 FROM accounts WHERE login = $5")
            .bind(token)
            .bind(csrf)
            .bind(caller.now)
            .bind(expires_at)
            .bind(caller.login.as_str())
            .bind(failed)
            .execute(&mut *tx)
            .await?;
        audit(&mut tx, caller, "login", "account", caller.login.as_str(), caller.scope.as_str(), serde_json::json!({"failed_attempts": failed})).await?;
        tx.commit().await?;
        Ok(u32::try_from(failed).unwrap_or(0))
    }

    async fn trusted_device(&self, device: &str, login: &Login, since: chrono::DateTime<chrono::Utc>) -> StoreResult<bool> {
        let found: Option<i32> = sqlx::query_scalar("SELECT 1 FROM trusted_devices WHERE token_hash = $1 AND login = $2 AND last_login >= $3")
            .bind(device)
            .bind(login.as_str())
            .bind(since)
            .fetch_optional(&self.reader)
            .await?;
        Ok(found.is_some())
    }

    async fn forget_login_attempts(&self, before: chrono::DateTime<chrono::Utc>, trusted_before: chrono::DateTime<chrono::Utc>) -> StoreResult<()> {
        sqlx::query("DELETE FROM trusted_devices WHERE last_login < $1").bind(trusted_before).execute(&self.writer).await?;
        // One row at a time in key order, so that this never waits in a circle with an
        // attempt holding its rows (PostgreSQL locks rows; SQLite has one writer).
        let mut tx = self.writer.begin().await?;
        let keys: Vec<String> = sqlx::query_scalar("SELECT key FROM login_throttle WHERE last_failure < $1 AND last_attempt < $1 ORDER BY key LIMIT 10000")
            .bind(before)
            .fetch_all(&mut *tx)
            .await?;
        for key in keys {
            sqlx::query("DELETE FROM login_throttle WHERE key = $1 AND last_failure < $2 AND last_attempt < $2")
                .bind(&key)
                .bind(before)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn session(&self, token: &str, now: chrono::DateTime<chrono::Utc>) -> StoreResult<Option<Session>> {
        let sql = format!("SELECT s.failed_logins, {} WHERE s.token = $1 AND s.expires_at > $2", crate::store::accounts::SESSION_ACCOUNT);
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(token).bind(now).fetch_optional(&self.reader).await?;
        let Some(row) = row else { return Ok(None) };
        use sqlx::{FromRow, Row};
        let csrf: String = row.try_get("csrf")?;
        let failed_logins: i32 = row.try_get("failed_logins")?;
        let account = crate::store::accounts::AccountRow::from_row(&row)?.into_account()?;
        Ok(Some(Session { account, csrf, failed_logins: u32::try_from(failed_logins).unwrap_or(0) }))
    }

    async fn told_failed_logins(&self, token: &str) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET failed_logins = 0 WHERE token = $1").bind(token).execute(&self.writer).await?;
        Ok(())
    }

    async fn delete_session(&self, token: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token = $1").bind(token).execute(&self.writer).await?;
        Ok(())
    }

    async fn display_names(&self, logins: &[String]) -> StoreResult<Vec<(String, String)>> {
        if logins.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = QueryBuilder::new("SELECT login, display_name FROM accounts WHERE display_name <> '' AND login IN (");
        let mut each = query.separated(", ");
        for login in logins {
            each.push_bind(login.clone());
        }
        query.push(")");
        Ok(query.build_query_as::<(String, String)>().fetch_all(&self.reader).await?)
    }
}
