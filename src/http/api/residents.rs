//! Residents: adding one to a household, changing one, the full record, finding residents.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Created, Done, Items};
use crate::app::App;
use crate::app::residents::{self as ops, ResidentChange, ResidentInput, ResidentListItem, ResidentRecord};
use crate::http::HttpError;
use crate::http::auth::{Auth, May, gate};
use crate::http::common::parse_id;

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(create)).routes(routes!(search)).routes(routes!(show, update))
}

/// Add a resident (ID number checked; a retried request with the same id is a no-op).
#[utoipa::path(post, operation_id = "add_resident", path = "/api/v1/households/{id}/residents", tag = "residents",
    params(("id" = uuid::Uuid, Path, description = "The household")), request_body = ResidentInput,
    responses((status = 201, body = Created), super::Errors, super::Conflict))]
async fn create(
    State(app): State<App>,
    May(auth, _): May<gate::WriteRoster>,
    Path(household): Path<String>,
    Json(body): Json<ResidentInput>,
) -> Result<(StatusCode, Json<Created>), HttpError> {
    let id = ops::add(&app, &auth.caller(), parse_id(&household)?, &body).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Change a resident.
#[utoipa::path(patch, operation_id = "update_resident", path = "/api/v1/residents/{id}", tag = "residents", params(super::IdParam),
    request_body = ResidentChange, responses((status = 200, body = Done), super::Errors))]
async fn update(
    State(app): State<App>,
    May(auth, _): May<gate::WriteRoster>,
    Path(id): Path<String>,
    Json(body): Json<ResidentChange>,
) -> Result<Json<Done>, HttpError> {
    ops::update(&app, &auth.caller(), parse_id(&id)?, &body).await?;
    Ok(Json(Done { ok: true }))
}

/// A resident's full record (audited).
#[utoipa::path(get, operation_id = "show_resident", path = "/api/v1/residents/{id}", tag = "residents", params(super::IdParam),
    responses((status = 200, body = ResidentRecord), super::Errors))]
async fn show(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<ResidentRecord>, HttpError> {
    Ok(Json(ops::get(&app, &auth.caller(), parse_id(&id)?).await?))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct SearchQuery {
    /// A name's beginning, a full ID number or a phone number (a search by a full ID number or
    /// phone is audited).
    q: String,
    /// How many residents (50 by default).
    limit: Option<u32>,
}

/// Find residents by name prefix, ID number or phone, masked.
#[utoipa::path(get, operation_id = "search_residents", path = "/api/v1/residents", tag = "residents", params(SearchQuery),
    responses((status = 200, body = Items<ResidentListItem>), super::Errors))]
async fn search(State(app): State<App>, auth: Auth, Query(query): Query<SearchQuery>) -> Result<Json<Items<ResidentListItem>>, HttpError> {
    Ok(Json(Items { items: ops::search(&app, &auth.caller(), &query.q, query.limit.unwrap_or(50)).await? }))
}
