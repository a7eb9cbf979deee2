//! Screening: key areas, returnees and door-to-door rounds.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Done, Items};
use crate::app::App;
use crate::app::screening::{self as ops, Coverage, KeyAreaInput, KeyAreaRecord, ReturneeInput, ReturneeItem, Round, ScreeningFigures, Unvisited, VisitInput};
use crate::http::HttpError;
use crate::http::auth::{Auth, May, gate};
use crate::http::common::parse_id;

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(key_areas, add_key_area))
        .routes(routes!(remove_key_area))
        .routes(routes!(register_returnee))
        .routes(routes!(returnees))
        .routes(routes!(rounds, open_round))
        .routes(routes!(coverage))
        .routes(routes!(unvisited))
        .routes(routes!(record_visit))
}

/// The key areas that apply in the caller's subtree.
///
/// A returnee whose travel touches one (by division code or name, within its days) turns
/// their household red.
#[utoipa::path(get, operation_id = "key_areas", path = "/api/v1/key-areas", tag = "screening",
    responses((status = 200, body = Items<KeyAreaRecord>), super::Errors))]
async fn key_areas(State(app): State<App>, auth: Auth) -> Result<Json<Items<KeyAreaRecord>>, HttpError> {
    Ok(Json(Items { items: ops::key_areas(&app, &auth.caller()).await? }))
}

/// Declare a key area over the caller's subtree (HQ).
///
/// The returnees below are re-derived: those whose travel touches it turn their households red.
#[utoipa::path(post, operation_id = "add_key_area", path = "/api/v1/key-areas", tag = "screening", request_body = KeyAreaInput,
    responses((status = 201, body = KeyAreaRecord), super::Errors))]
async fn add_key_area(
    State(app): State<App>,
    May(auth, _): May<gate::Command>,
    Json(body): Json<KeyAreaInput>,
) -> Result<(StatusCode, Json<KeyAreaRecord>), HttpError> {
    Ok((StatusCode::CREATED, Json(ops::add_key_area(&app, &auth.caller(), &body).await?)))
}

/// Remove a key area.
///
/// The returnees below are re-derived.
#[utoipa::path(delete, operation_id = "remove_key_area", path = "/api/v1/key-areas/{id}", tag = "screening", params(super::IdParam),
    responses((status = 200, body = Done), super::Errors))]
async fn remove_key_area(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Done>, HttpError> {
    ops::remove_key_area(&app, &auth.caller(), parse_id(&id)?).await?;
    Ok(Json(Done { ok: true }))
}

/// Register a returnee.
///
/// By `resident_id`, or by ID number and name (with `household_id` for someone not yet on
/// the roster). The household turns yellow, or red when the travel touches a key area.
#[utoipa::path(post, operation_id = "register_returnee", path = "/api/v1/returnees", tag = "screening", request_body = ReturneeInput,
    responses((status = 201, body = ReturneeItem), super::Errors, super::Conflict))]
async fn register_returnee(
    State(app): State<App>,
    May(auth, _): May<gate::Screen>,
    Json(body): Json<ReturneeInput>,
) -> Result<(StatusCode, Json<ReturneeItem>), HttpError> {
    Ok((StatusCode::CREATED, Json(ops::register_returnee(&app, &auth.caller(), &body).await?)))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct LimitQuery {
    /// At most 1000, 100 by default.
    limit: Option<u32>,
}

/// A unit's returnees and its 四知四清 figures.
#[derive(Serialize, ToSchema)]
struct ReturneeList {
    figures: ScreeningFigures,
    items: Vec<ReturneeItem>,
}

/// Returnees of a unit's subtree, newest first, with the 四知四清 figures.
///
/// ID numbers are masked; the reading is audited.
#[utoipa::path(get, operation_id = "unit_returnees", path = "/api/v1/units/{code}/returnees", tag = "screening", params(super::UnitCodeParam, LimitQuery),
    responses((status = 200, body = ReturneeList), super::Errors))]
async fn returnees(State(app): State<App>, auth: Auth, Path(code): Path<String>, Query(query): Query<LimitQuery>) -> Result<Json<ReturneeList>, HttpError> {
    let list = ops::returnees(&app, &auth.caller(), &code, 0, query.limit.unwrap_or(100)).await?;
    Ok(Json(ReturneeList { figures: list.figures, items: list.items }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RoundBody {
    /// e.g. 春节返乡排查.
    name: String,
}

/// Open a screening round (e.g. 春节返乡排查) for the unit.
#[utoipa::path(post, operation_id = "open_round", path = "/api/v1/units/{code}/rounds", tag = "screening", params(super::UnitCodeParam), request_body = RoundBody,
    responses((status = 201, body = Round), super::Errors))]
async fn open_round(
    State(app): State<App>,
    May(auth, _): May<gate::Command>,
    Path(code): Path<String>,
    Json(body): Json<RoundBody>,
) -> Result<(StatusCode, Json<Round>), HttpError> {
    Ok((StatusCode::CREATED, Json(ops::open_round(&app, &auth.caller(), &code, &body.name).await?)))
}

/// Open screening rounds covering the unit, with its coverage.
#[utoipa::path(get, operation_id = "unit_rounds", path = "/api/v1/units/{code}/rounds", tag = "screening", params(super::UnitCodeParam),
    responses((status = 200, body = Items<Round>), super::Errors))]
async fn rounds(State(app): State<App>, auth: Auth, Path(code): Path<String>) -> Result<Json<Items<Round>>, HttpError> {
    Ok(Json(Items { items: ops::rounds(&app, &auth.caller(), &code).await? }))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct UnitQuery {
    /// A unit inside the round's unit.
    unit: String,
    /// 200 by default.
    limit: Option<u32>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct CoverageQuery {
    /// A unit inside the round's unit.
    unit: String,
}

/// Coverage of a round below a unit: visited and not visited households per child unit.
#[utoipa::path(get, operation_id = "round_coverage", path = "/api/v1/rounds/{id}/coverage", tag = "screening", params(super::IdParam, CoverageQuery),
    responses((status = 200, body = Coverage), super::Errors))]
async fn coverage(State(app): State<App>, auth: Auth, Path(id): Path<String>, Query(query): Query<CoverageQuery>) -> Result<Json<Coverage>, HttpError> {
    Ok(Json(ops::coverage(&app, &auth.caller(), parse_id(&id)?, &query.unit).await?))
}

/// Households below a unit not yet visited in the round.
#[utoipa::path(get, operation_id = "round_unvisited", path = "/api/v1/rounds/{id}/unvisited", tag = "screening", params(super::IdParam, UnitQuery),
    responses((status = 200, body = Items<Unvisited>), super::Errors))]
async fn unvisited(State(app): State<App>, auth: Auth, Path(id): Path<String>, Query(query): Query<UnitQuery>) -> Result<Json<Items<Unvisited>>, HttpError> {
    Ok(Json(Items { items: ops::unvisited(&app, &auth.caller(), parse_id(&id)?, &query.unit, query.limit.unwrap_or(200)).await? }))
}

/// Record a household's visit in the round.
///
/// The latest outcome counts.
#[utoipa::path(post, operation_id = "record_visit", path = "/api/v1/rounds/{id}/visits", tag = "screening", params(super::IdParam), request_body = VisitInput,
    responses((status = 200, body = Done), super::Errors))]
async fn record_visit(
    State(app): State<App>,
    May(auth, _): May<gate::Screen>,
    Path(id): Path<String>,
    Json(body): Json<VisitInput>,
) -> Result<Json<Done>, HttpError> {
    ops::record_visit(&app, &auth.caller(), parse_id(&id)?, &body).await?;
    Ok(Json(Done { ok: true }))
}
