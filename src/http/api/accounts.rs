use axum::Json;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::app::accounts::{self as ops, NewUser};
use crate::app::{App, AppError};
use crate::domain::DomainError;
use crate::http::HttpError;
use crate::http::auth::{Auth, ClientAddr, expired_session_cookie, session_cookie};
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;

#[derive(Deserialize)]
pub struct Credentials {
    login: String,
    password: String,
}

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .route("/api/v1/login", post(log_in))
        .route("/api/v1/logout", post(log_out))
        .route("/api/v1/me", get(me))
        .route("/api/v1/accounts", get(list).post(create))
        .route("/api/v1/audit", get(audit))
}

/// Logs in. Failures are throttled (429 with `Retry-After`); the answer tells how many
/// failed attempts there were since the account's last login.
pub async fn log_in(State(app): State<App>, ClientAddr(client): ClientAddr, Json(body): Json<Credentials>) -> Result<Response, HttpError> {
    let done = ops::log_in(&app, &body.login, &body.password, client).await?;
    let account = &done.session.account;
    let body = json!({"login": account.login, "role": account.role, "unit_code": account.unit_code, "csrf": done.session.csrf, "failed_attempts": done.failed_attempts});
    Ok(([(header::SET_COOKIE, session_cookie(&done.token))], Json(body)).into_response())
}

pub async fn log_out(State(app): State<App>, auth: Auth) -> Result<Response, HttpError> {
    ops::log_out(&app, &auth.token).await?;
    Ok(([(header::SET_COOKIE, expired_session_cookie())], Json(json!({"ok": true}))).into_response())
}

pub async fn me(auth: Auth) -> Json<Value> {
    let account = &auth.session.account;
    Json(json!({"login": account.login, "role": account.role, "unit_code": account.unit_code, "display_name": account.display_name}))
}

pub async fn list(State(app): State<App>, auth: Auth) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    caller.require(caller.role.manages_accounts(), "manage accounts")?;
    let accounts = app.store.accounts(&caller.scope).await?;
    Ok(Json(json!({"items": accounts})))
}

#[derive(Deserialize)]
pub struct NewAccountBody {
    login: String,
    password: String,
    role: String,
    unit_code: String,
    #[serde(default)]
    display_name: String,
}

pub async fn create(State(app): State<App>, auth: Auth, Json(body): Json<NewAccountBody>) -> Result<Response, HttpError> {
    let user = NewUser { login: &body.login, password: &body.password, role: &body.role, unit_code: &body.unit_code, display_name: &body.display_name };
    let account = ops::add_user(&app, &auth.caller(), user).await?;
    Ok((axum::http::StatusCode::CREATED, Json(account)).into_response())
}

#[derive(Deserialize)]
pub struct AuditQuery {
    before: Option<i64>,
    limit: Option<u32>,
}

pub async fn audit(State(app): State<App>, auth: Auth, Query(query): Query<AuditQuery>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    if !caller.role.reads_audit() {
        return Err(AppError::Domain(DomainError::NotAllowed("read the audit log")).into());
    }
    let entries = app.store.audit_log(&caller.scope, query.before, query.limit.unwrap_or(100)).await?;
    Ok(Json(json!({"items": entries})))
}
