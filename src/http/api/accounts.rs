//! Accounts: logging in and out, the logged-in account, accounts of the subtree, the audit log.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{AppendHeaders, IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Done, Items};
use crate::app::App;
use crate::app::accounts::{self as ops, Account, NewUser};
use crate::app::audit::{self, AuditPage, AuditQuery};
use crate::domain::Role;
use crate::http::HttpError;
use crate::http::auth::{Auth, ClientAddr, DEVICE_COOKIE, May, cookie, device_cookie, expired_session_cookie, gate, session_cookie};
use crate::http::error::ErrorBody;

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(log_in)).routes(routes!(log_out)).routes(routes!(me)).routes(routes!(list, create)).routes(routes!(audit_log))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Credentials {
    login: String,
    password: String,
}

#[derive(Serialize, ToSchema)]
struct LoggedIn {
    login: String,
    role: Role,
    unit_code: String,
    /// The token every form of the pages carries (`_csrf`).
    csrf: String,
    /// Failed attempts to log in to this account since its last successful login (told once).
    failed_attempts: u32,
}

/// What a throttled login answers.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // documentation only
enum Throttled {
    /// Too many failed attempts for this login or from this address; retry after the wait
    /// (`Retry-After`, and `retry_after` in the body, in seconds).
    #[response(status = 429, headers(("Retry-After" = u64, description = "Seconds to wait")))]
    TooMany(ErrorBody),
}

/// Log in; sets the session cookie.
///
/// Failed logins are throttled per login and per client address (the connection's, never a
/// header's), across all servers sharing the database: after 5 failures for a login (or 20 from
/// an address) in a run, each further attempt must wait 1 s, 2 s, 4 s, … (at most 15 minutes)
/// after the one before, and is answered 429 with Retry-After without the password being
/// checked. A run ends 15 minutes after the wait that follows its last failure. Each failure is
/// audited (login_failed). An unknown login is answered exactly as a wrong password. A client
/// that logged in to a login in the last 90 days (its `wangge_device` cookie, set by every
/// login) is throttled by itself at that login instead, so others' failures do not lock it out.
#[utoipa::path(post, operation_id = "log_in", path = "/api/v1/login", tag = "accounts", security(()), request_body = Credentials,
    responses((status = 200, body = LoggedIn), super::Errors, Throttled))]
async fn log_in(State(app): State<App>, ClientAddr(client): ClientAddr, headers: HeaderMap, Json(body): Json<Credentials>) -> Result<Response, HttpError> {
    let device = cookie(&headers, DEVICE_COOKIE);
    let done = ops::log_in(&app, &body.login, &body.password, client, device.as_deref()).await?;
    let account = &done.session.account;
    let body = LoggedIn {
        login: account.login.clone(),
        role: account.role,
        unit_code: account.unit_code.clone(),
        csrf: done.session.csrf.clone(),
        failed_attempts: done.failed_attempts,
    };
    let cookies = AppendHeaders([(header::SET_COOKIE, session_cookie(&done.token)), (header::SET_COOKIE, device_cookie(&done.device))]);
    Ok((cookies, Json(body)).into_response())
}

/// Log out.
///
/// Ends the session and clears its cookie.
#[utoipa::path(post, operation_id = "log_out", path = "/api/v1/logout", tag = "accounts", responses((status = 200, body = Done), super::Errors))]
async fn log_out(State(app): State<App>, auth: Auth) -> Result<Response, HttpError> {
    ops::log_out(&app, &auth.token).await?;
    Ok(([(header::SET_COOKIE, expired_session_cookie())], Json(Done { ok: true })).into_response())
}

#[derive(Serialize, ToSchema)]
struct Me {
    login: String,
    role: Role,
    unit_code: String,
    display_name: String,
}

/// The logged-in account.
#[utoipa::path(get, operation_id = "me", path = "/api/v1/me", tag = "accounts", responses((status = 200, body = Me), super::Errors))]
async fn me(auth: Auth) -> Json<Me> {
    let account = &auth.session.account;
    Json(Me { login: account.login.clone(), role: account.role, unit_code: account.unit_code.clone(), display_name: account.display_name.clone() })
}

/// Accounts in the caller's subtree (admin).
#[utoipa::path(get, operation_id = "list_accounts", path = "/api/v1/accounts", tag = "accounts", responses((status = 200, body = Items<Account>), super::Errors))]
async fn list(State(app): State<App>, auth: Auth) -> Result<Json<Items<Account>>, HttpError> {
    Ok(Json(Items { items: ops::list(&app, &auth.caller()).await? }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewAccountBody {
    login: String,
    /// At least 10 characters, not all of one kind (letters, digits, other signs), not one of
    /// the most common passwords; else 422.
    #[schema(min_length = 10)]
    password: String,
    /// admin, hq, grid_leader, grid_member, checkpoint or inspector.
    role: String,
    /// The account's scope unit: it acts over this unit and everything below.
    unit_code: String,
    #[serde(default)]
    display_name: String,
}

/// Create an account (admin).
#[utoipa::path(post, operation_id = "create_account", path = "/api/v1/accounts", tag = "accounts", request_body = NewAccountBody,
    responses((status = 201, body = Account), super::Errors, super::Conflict))]
async fn create(
    State(app): State<App>,
    May(auth, _): May<gate::ManageAccounts>,
    Json(body): Json<NewAccountBody>,
) -> Result<(StatusCode, Json<Account>), HttpError> {
    let user = NewUser { login: &body.login, password: &body.password, role: &body.role, unit_code: &body.unit_code, display_name: &body.display_name };
    Ok((StatusCode::CREATED, Json(ops::add_user(&app, &auth.caller(), user).await?)))
}

/// The audit log of the caller's subtree, newest first (admin).
///
/// Who read or wrote what, when: every write and every reading of a full record.
#[utoipa::path(get, operation_id = "audit_log", path = "/api/v1/audit", tag = "accounts", params(AuditQuery),
    responses((status = 200, body = AuditPage), super::Errors))]
async fn audit_log(State(app): State<App>, auth: Auth, Query(query): Query<AuditQuery>) -> Result<Json<AuditPage>, HttpError> {
    Ok(Json(audit::log(&app, &auth.caller(), &query, query.limit.unwrap_or(100)).await?))
}
