//! Checkpoints, shifts, passages and the confirmation of self-registrations.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Duration;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::app::checkpoints::{self as ops, CheckpointInput, ConfirmInput, PassageInput, ShiftInput};
use crate::app::{App, AppError};
use crate::domain::time::parse_time;
use crate::http::HttpError;
use crate::http::auth::Auth;
use crate::http::common::parse_id;
use crate::http::common::unit_code;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .route("/api/v1/checkpoints", post(create))
        .route("/api/v1/units/{code}/checkpoints", get(of_unit))
        .route("/api/v1/checkpoints/{id}", get(show))
        .route("/api/v1/checkpoints/{id}/token", post(rotate_token))
        .route("/api/v1/checkpoints/{id}/poster", get(poster))
        .route("/api/v1/checkpoints/{id}/shifts", get(shifts).post(add_shift))
        .route("/api/v1/checkpoints/{id}/passages", get(passages).post(log_passage))
        .route("/api/v1/checkpoints/{id}/registrations", get(registrations))
        .route("/api/v1/registrations/{id}/confirm", post(confirm))
}

pub async fn create(State(app): State<App>, auth: Auth, Json(body): Json<CheckpointInput>) -> Result<Response, HttpError> {
    let checkpoint = ops::create(&app, &auth.caller(), &body).await?;
    Ok((StatusCode::CREATED, Json(json!(checkpoint))).into_response())
}

pub async fn show(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Value>, HttpError> {
    let checkpoint = app.store.checkpoint(&auth.session.account.scope, parse_id(&id)?).await?.ok_or(AppError::NotFound)?;
    Ok(Json(json!(checkpoint)))
}

pub async fn of_unit(State(app): State<App>, auth: Auth, Path(code): Path<String>) -> Result<Json<Value>, HttpError> {
    let items = app.store.checkpoints(&auth.session.account.scope, &unit_code(&code)?).await?.ok_or(AppError::NotFound)?;
    Ok(Json(json!({"items": items})))
}

pub async fn rotate_token(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    let id = parse_id(&id)?;
    ops::rotate_token(&app, &caller, id).await?;
    let checkpoint = app.store.checkpoint(&caller.scope, id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(json!(checkpoint)))
}

/// The poster's QR code as SVG; the printable poster is the page `/checkpoints/{id}/poster`.
pub async fn poster(State(app): State<App>, auth: Auth, headers: HeaderMap, Path(id): Path<String>) -> Result<Response, HttpError> {
    let checkpoint = app.store.checkpoint(&auth.session.account.scope, parse_id(&id)?).await?.ok_or(AppError::NotFound)?;
    let svg = crate::http::common::poster_svg(&crate::http::common::public_link(&app, &headers, &format!("/r/{}", checkpoint.token)))?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

pub async fn add_shift(State(app): State<App>, auth: Auth, Path(id): Path<String>, Json(body): Json<ShiftInput>) -> Result<Response, HttpError> {
    let shift = ops::add_shift(&app, &auth.caller(), parse_id(&id)?, &body).await?;
    Ok((StatusCode::CREATED, Json(json!(shift))).into_response())
}

#[derive(Deserialize)]
pub struct RangeQuery {
    from: Option<String>,
    to: Option<String>,
    limit: Option<u32>,
}

impl RangeQuery {
    /// `[from, to)`: the last day by default.
    fn range(&self, now: chrono::DateTime<chrono::Utc>) -> Result<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>), HttpError> {
        let from = self.from.as_deref().map(|f| parse_time("from", f)).transpose()?.unwrap_or(now - Duration::days(1));
        let to = self.to.as_deref().map(|t| parse_time("to", t)).transpose()?.unwrap_or(now + Duration::minutes(5));
        Ok((from, to))
    }
}

pub async fn shifts(State(app): State<App>, auth: Auth, Path(id): Path<String>, Query(query): Query<RangeQuery>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    let (from, to) = match (&query.from, &query.to) {
        (None, None) => (caller.now - Duration::days(1), caller.now + Duration::days(7)),
        _ => query.range(caller.now)?,
    };
    let items = app.store.shifts(&caller.scope, parse_id(&id)?, from, to).await?.ok_or(AppError::NotFound)?;
    Ok(Json(json!({"items": items})))
}

pub async fn log_passage(State(app): State<App>, auth: Auth, Path(id): Path<String>, Json(body): Json<PassageInput>) -> Result<Response, HttpError> {
    let passage = ops::log_passage(&app, &auth.caller(), parse_id(&id)?, &body).await?;
    Ok((StatusCode::CREATED, Json(json!(passage))).into_response())
}

pub async fn passages(State(app): State<App>, auth: Auth, Path(id): Path<String>, Query(query): Query<RangeQuery>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    let (from, to) = query.range(caller.now)?;
    let items = app.store.passages(&caller.scope, parse_id(&id)?, from, to, query.limit.unwrap_or(200), app.settings.fever).await?.ok_or(AppError::NotFound)?;
    Ok(Json(json!({"items": items})))
}

pub async fn registrations(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    let items = app.store.pending_registrations(&caller.scope, parse_id(&id)?, caller.now - Duration::days(1)).await?.ok_or(AppError::NotFound)?;
    Ok(Json(json!({"items": items})))
}

pub async fn confirm(State(app): State<App>, auth: Auth, Path(id): Path<String>, Json(body): Json<ConfirmInput>) -> Result<Json<Value>, HttpError> {
    let passage = ops::confirm_registration(&app, &auth.caller(), parse_id(&id)?, &body).await?;
    Ok(Json(json!(passage)))
}
