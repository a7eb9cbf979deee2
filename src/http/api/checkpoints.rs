//! Checkpoints, their posters and shifts, passages and the confirmation of self-registrations.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Counted, Items};
use crate::app::App;
use crate::app::checkpoints::{self as ops, Checkpoint, CheckpointInput, ConfirmInput, Passage, PassageInput, Registration, Shift, ShiftInput};
use crate::http::HttpError;
use crate::http::auth::{Auth, May, gate};
use crate::http::common::{parse_id, poster_svg, public_link};

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(of_unit))
        .routes(routes!(show))
        .routes(routes!(rotate_token))
        .routes(routes!(poster))
        .routes(routes!(shifts, add_shift))
        .routes(routes!(passages, log_passage))
        .routes(routes!(registrations))
        .routes(routes!(confirm))
}

/// Set up a checkpoint in a unit.
///
/// A 卡点 (road block), 劝返点 (where travellers are persuaded to turn back) or 检查点; it
/// gets a poster token of its own (`/r/{token}`).
#[utoipa::path(post, operation_id = "create_checkpoint", path = "/api/v1/checkpoints", tag = "checkpoints", request_body = CheckpointInput,
    responses((status = 201, body = Checkpoint), super::Errors, super::Conflict))]
async fn create(
    State(app): State<App>,
    May(auth, _): May<gate::ManageCheckpoints>,
    Json(body): Json<CheckpointInput>,
) -> Result<(StatusCode, Json<Checkpoint>), HttpError> {
    Ok((StatusCode::CREATED, Json(ops::create(&app, &auth.caller(), &body).await?)))
}

/// Checkpoints of a unit's subtree.
#[utoipa::path(get, operation_id = "unit_checkpoints", path = "/api/v1/units/{code}/checkpoints", tag = "checkpoints", params(super::UnitCodeParam),
    responses((status = 200, body = Items<Checkpoint>), super::Errors))]
async fn of_unit(State(app): State<App>, auth: Auth, Path(code): Path<String>) -> Result<Json<Items<Checkpoint>>, HttpError> {
    Ok(Json(Items { items: ops::of_unit(&app, &auth.caller(), &code).await? }))
}

/// A checkpoint.
///
/// With its poster token: `/r/{token}` is the public registration page.
#[utoipa::path(get, operation_id = "checkpoint", path = "/api/v1/checkpoints/{id}", tag = "checkpoints", params(super::IdParam),
    responses((status = 200, body = Checkpoint), super::Errors))]
async fn show(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Checkpoint>, HttpError> {
    Ok(Json(ops::show(&app, &auth.caller(), parse_id(&id)?).await?))
}

/// Give the checkpoint a new poster token: old posters stop working.
#[utoipa::path(post, operation_id = "rotate_checkpoint_token", path = "/api/v1/checkpoints/{id}/token", tag = "checkpoints", params(super::IdParam),
    responses((status = 200, body = Checkpoint), super::Errors))]
async fn rotate_token(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Checkpoint>, HttpError> {
    Ok(Json(ops::rotate_token(&app, &auth.caller(), parse_id(&id)?).await?))
}

/// The poster's QR code (SVG) opening `/r/{token}`.
///
/// The printable A4 poster is the page `/checkpoints/{id}/poster`.
#[utoipa::path(get, operation_id = "checkpoint_poster", path = "/api/v1/checkpoints/{id}/poster", tag = "checkpoints", params(super::IdParam),
    responses((status = 200, description = "The QR code", content_type = "image/svg+xml", body = String), super::Errors))]
async fn poster(State(app): State<App>, auth: Auth, headers: HeaderMap, Path(id): Path<String>) -> Result<Response, HttpError> {
    let checkpoint = ops::show(&app, &auth.caller(), parse_id(&id)?).await?;
    let svg = poster_svg(&public_link(&app, &headers, &format!("/r/{}", checkpoint.token)))?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ShiftsQuery {
    /// RFC 3339, or local Beijing time `YYYY-MM-DDTHH:MM`.
    from: Option<String>,
    /// RFC 3339, or local Beijing time `YYYY-MM-DDTHH:MM`.
    to: Option<String>,
}

/// Duty shifts overlapping [from, to).
///
/// The last day and the next week by default.
#[utoipa::path(get, operation_id = "checkpoint_shifts", path = "/api/v1/checkpoints/{id}/shifts", tag = "checkpoints", params(super::IdParam, ShiftsQuery),
    responses((status = 200, body = Items<Shift>), super::Errors))]
async fn shifts(State(app): State<App>, auth: Auth, Path(id): Path<String>, Query(query): Query<ShiftsQuery>) -> Result<Json<Items<Shift>>, HttpError> {
    let items = ops::shifts(&app, &auth.caller(), parse_id(&id)?, query.from.as_deref(), query.to.as_deref()).await?;
    Ok(Json(Items { items }))
}

/// Add a duty shift (e.g. 24 h of a medic, a police officer and a cadre).
#[utoipa::path(post, operation_id = "add_checkpoint_shift", path = "/api/v1/checkpoints/{id}/shifts", tag = "checkpoints", params(super::IdParam),
    request_body = ShiftInput, responses((status = 201, body = Shift), super::Errors))]
async fn add_shift(
    State(app): State<App>,
    May(auth, _): May<gate::ManageCheckpoints>,
    Path(id): Path<String>,
    Json(body): Json<ShiftInput>,
) -> Result<(StatusCode, Json<Shift>), HttpError> {
    Ok((StatusCode::CREATED, Json(ops::add_shift(&app, &auth.caller(), parse_id(&id)?, &body).await?)))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct PassagesQuery {
    /// RFC 3339, or local Beijing time `YYYY-MM-DDTHH:MM`.
    from: Option<String>,
    /// RFC 3339, or local Beijing time `YYYY-MM-DDTHH:MM`.
    to: Option<String>,
    /// 200 by default.
    limit: Option<u32>,
    /// Skip this many (0 by default): `total` says how many there are in all.
    offset: Option<u32>,
}

/// Passages at the checkpoint in [from, to), newest first.
///
/// The last day by default; ID numbers and phones are masked.
#[utoipa::path(get, operation_id = "checkpoint_passages", path = "/api/v1/checkpoints/{id}/passages", tag = "checkpoints", params(super::IdParam, PassagesQuery),
    responses((status = 200, body = Counted<Passage>), super::Errors))]
async fn passages(State(app): State<App>, auth: Auth, Path(id): Path<String>, Query(query): Query<PassagesQuery>) -> Result<Json<Counted<Passage>>, HttpError> {
    let offset = query.offset.unwrap_or(0);
    let (items, total) = ops::passages(&app, &auth.caller(), parse_id(&id)?, query.from.as_deref(), query.to.as_deref(), offset, query.limit).await?;
    Ok(Json(Counted { items, total }))
}

/// Log a passage.
///
/// A temperature at or above the fever line (37.3 °C by default) alerts the unit's grid leader
/// and HQ at once. The same ID number always gets the same `person_id`.
#[utoipa::path(post, operation_id = "log_passage", path = "/api/v1/checkpoints/{id}/passages", tag = "checkpoints", params(super::IdParam),
    request_body = PassageInput, responses((status = 201, body = Passage), super::Errors, super::Conflict))]
async fn log_passage(
    State(app): State<App>,
    May(auth, _): May<gate::LogPassages>,
    Path(id): Path<String>,
    Json(body): Json<PassageInput>,
) -> Result<(StatusCode, Json<Passage>), HttpError> {
    Ok((StatusCode::CREATED, Json(ops::log_passage(&app, &auth.caller(), parse_id(&id)?, &body).await?)))
}

/// Self-registrations of the last day not yet confirmed.
///
/// The newest 200; `total` counts them all.
#[utoipa::path(get, operation_id = "checkpoint_registrations", path = "/api/v1/checkpoints/{id}/registrations", tag = "checkpoints", params(super::IdParam),
    responses((status = 200, body = Counted<Registration>), super::Errors))]
async fn registrations(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Counted<Registration>>, HttpError> {
    let (items, total) = ops::registrations(&app, &auth.caller(), parse_id(&id)?).await?;
    Ok(Json(Counted { items, total }))
}

/// Confirm a self-registration with a temperature: it becomes a passage.
#[utoipa::path(post, operation_id = "confirm_registration", path = "/api/v1/registrations/{id}/confirm", tag = "checkpoints", params(super::IdParam),
    request_body = ConfirmInput, responses((status = 200, body = Passage), super::Errors))]
async fn confirm(
    State(app): State<App>,
    May(auth, _): May<gate::LogPassages>,
    Path(id): Path<String>,
    Json(body): Json<ConfirmInput>,
) -> Result<Json<Passage>, HttpError> {
    Ok(Json(ops::confirm_registration(&app, &auth.caller(), parse_id(&id)?, &body).await?))
}
