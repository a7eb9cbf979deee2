//! Key areas, returnees and screening rounds.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::app::screening::{self as ops, KeyAreaInput, ReturneeInput, VisitInput};
use crate::app::{App, AppError};
use crate::domain::UnitCode;
use crate::http::HttpError;
use crate::http::auth::Auth;
use crate::http::common::parse_id;
use axum::routing::{delete, get, post};
use utoipa_axum::router::OpenApiRouter;

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .route("/api/v1/key-areas", get(key_areas).post(add_key_area))
        .route("/api/v1/key-areas/{id}", delete(remove_key_area))
        .route("/api/v1/returnees", post(register_returnee))
        .route("/api/v1/units/{code}/returnees", get(returnees))
        .route("/api/v1/units/{code}/rounds", get(rounds).post(open_round))
        .route("/api/v1/rounds/{id}/coverage", get(coverage))
        .route("/api/v1/rounds/{id}/unvisited", get(unvisited))
        .route("/api/v1/rounds/{id}/visits", post(record_visit))
}

pub fn unit_code(raw: &str) -> Result<UnitCode, HttpError> {
    UnitCode::parse(raw).map_err(|_| AppError::NotFound.into())
}

pub async fn key_areas(State(app): State<App>, auth: Auth) -> Result<Json<Value>, HttpError> {
    let items = app.store.key_areas(&auth.session.account.scope).await?;
    Ok(Json(json!({"items": items})))
}

pub async fn add_key_area(State(app): State<App>, auth: Auth, Json(body): Json<KeyAreaInput>) -> Result<Response, HttpError> {
    let area = ops::add_key_area(&app, &auth.caller(), &body).await?;
    Ok((StatusCode::CREATED, Json(json!(area))).into_response())
}

pub async fn remove_key_area(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    caller.require(caller.role.commands(), "declare key areas")?;
    app.store.remove_key_area(&caller, parse_id(&id)?).await?;
    Ok(Json(json!({"ok": true})))
}

pub async fn register_returnee(State(app): State<App>, auth: Auth, Json(body): Json<ReturneeInput>) -> Result<Response, HttpError> {
    let returnee = ops::register_returnee(&app, &auth.caller(), &body).await?;
    Ok((StatusCode::CREATED, Json(json!(returnee))).into_response())
}

#[derive(Deserialize)]
pub struct LimitQuery {
    limit: Option<u32>,
}

pub async fn returnees(State(app): State<App>, auth: Auth, Path(code): Path<String>, Query(query): Query<LimitQuery>) -> Result<Json<Value>, HttpError> {
    let (figures, items) = ops::returnees(&app, &auth.caller(), &unit_code(&code)?, query.limit.unwrap_or(100)).await?;
    Ok(Json(json!({"figures": figures, "items": items})))
}

#[derive(Deserialize)]
pub struct RoundBody {
    name: String,
}

pub async fn open_round(State(app): State<App>, auth: Auth, Path(code): Path<String>, Json(body): Json<RoundBody>) -> Result<Response, HttpError> {
    let round = ops::open_round(&app, &auth.caller(), &code, &body.name).await?;
    Ok((StatusCode::CREATED, Json(json!(round))).into_response())
}

pub async fn rounds(State(app): State<App>, auth: Auth, Path(code): Path<String>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    caller.require(caller.role.reads_roster(), "read the roster")?;
    let rounds = app.store.rounds(&caller.scope, &unit_code(&code)?).await?.ok_or(AppError::NotFound)?;
    Ok(Json(json!({"items": rounds})))
}

#[derive(Deserialize)]
pub struct UnitQuery {
    unit: String,
    limit: Option<u32>,
}

pub async fn coverage(State(app): State<App>, auth: Auth, Path(id): Path<String>, Query(query): Query<UnitQuery>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    caller.require(caller.role.reads_roster(), "read the roster")?;
    let rows = app.store.coverage(&caller.scope, parse_id(&id)?, &unit_code(&query.unit)?).await?.ok_or(AppError::NotFound)?;
    let households: i64 = rows.iter().map(|r| r.households).sum();
    let visited: i64 = rows.iter().map(|r| r.visited).sum();
    Ok(Json(json!({"households": households, "visited": visited, "complete": visited >= households, "units": rows})))
}

pub async fn unvisited(State(app): State<App>, auth: Auth, Path(id): Path<String>, Query(query): Query<UnitQuery>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    caller.require(caller.role.reads_roster(), "read the roster")?;
    let items = app.store.unvisited(&caller.scope, parse_id(&id)?, &unit_code(&query.unit)?, query.limit.unwrap_or(200)).await?.ok_or(AppError::NotFound)?;
    Ok(Json(json!({"items": items})))
}

pub async fn record_visit(State(app): State<App>, auth: Auth, Path(id): Path<String>, Json(body): Json<VisitInput>) -> Result<Json<Value>, HttpError> {
    let round: Uuid = parse_id(&id)?;
    ops::record_visit(&app, &auth.caller(), round, &body).await?;
    Ok(Json(json!({"ok": true})))
}
