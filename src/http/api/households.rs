//! Households: a unit's list, the full record, creating and changing one, 包联.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{Created, Done, Items};
use crate::app::App;
use crate::app::households::{self as ops, HouseholdChange, HouseholdInput, HouseholdListItem, HouseholdRecord, Page};
use crate::http::HttpError;
use crate::http::auth::{Auth, May, gate};
use crate::http::common::parse_id;

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(of_unit))
        .routes(routes!(create))
        .routes(routes!(show, update))
        .routes(routes!(assign_member))
        .routes(routes!(of_member))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct PageQuery {
    /// How many households (100 by default, at most 1000).
    limit: Option<u32>,
    /// The `next` of the previous page.
    after: Option<String>,
}

/// Households of the unit's whole subtree, masked, paged.
#[utoipa::path(get, operation_id = "unit_households", path = "/api/v1/units/{code}/households", tag = "households", params(super::UnitCodeParam, PageQuery),
    responses((status = 200, body = Page<HouseholdListItem>), super::Errors))]
async fn of_unit(
    State(app): State<App>,
    auth: Auth,
    Path(code): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Json<Page<HouseholdListItem>>, HttpError> {
    Ok(Json(ops::of_unit(&app, &auth.caller(), &code, query.after.as_deref(), query.limit.unwrap_or(100)).await?))
}

/// The full household record with residents and colour history (audited).
#[utoipa::path(get, operation_id = "show_household", path = "/api/v1/households/{id}", tag = "households", params(super::IdParam),
    responses((status = 200, body = HouseholdRecord), super::Errors))]
async fn show(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<HouseholdRecord>, HttpError> {
    Ok(Json(ops::get(&app, &auth.caller(), parse_id(&id)?).await?))
}

/// Create a household (a retried request with the same id is a no-op).
#[utoipa::path(post, operation_id = "create_household", path = "/api/v1/households", tag = "households", request_body = HouseholdInput,
    responses((status = 201, body = Created), super::Errors, super::Conflict))]
async fn create(
    State(app): State<App>,
    May(auth, _): May<gate::WriteRoster>,
    Json(body): Json<HouseholdInput>,
) -> Result<(StatusCode, Json<Created>), HttpError> {
    let id = ops::create(&app, &auth.caller(), &body).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Change a household's number or address.
#[utoipa::path(patch, operation_id = "update_household", path = "/api/v1/households/{id}", tag = "households", params(super::IdParam),
    request_body = HouseholdChange, responses((status = 200, body = Done), super::Errors))]
async fn update(
    State(app): State<App>,
    May(auth, _): May<gate::WriteRoster>,
    Path(id): Path<String>,
    Json(body): Json<HouseholdChange>,
) -> Result<Json<Done>, HttpError> {
    ops::update(&app, &auth.caller(), parse_id(&id)?, &body).await?;
    Ok(Json(Done { ok: true }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct MemberBody {
    /// The grid member's login; null takes the household back.
    login: Option<String>,
}

/// Give the household to a grid member to hold (包联); null takes it back.
#[utoipa::path(put, operation_id = "assign_household_member", path = "/api/v1/households/{id}/member", tag = "households", params(super::IdParam),
    request_body = MemberBody, responses((status = 200, body = Done), super::Errors))]
async fn assign_member(
    State(app): State<App>,
    May(auth, _): May<gate::WriteRoster>,
    Path(id): Path<String>,
    Json(body): Json<MemberBody>,
) -> Result<Json<Done>, HttpError> {
    ops::assign_member(&app, &auth.caller(), parse_id(&id)?, body.login.as_deref()).await?;
    Ok(Json(Done { ok: true }))
}

/// The grid member's account in the path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct LoginParam {
    /// The grid member's login.
    login: String,
}

/// The households a grid member holds (包联), masked.
#[utoipa::path(get, operation_id = "member_households", path = "/api/v1/members/{login}/households", tag = "households", params(LoginParam),
    responses((status = 200, body = Items<HouseholdListItem>), super::Errors))]
async fn of_member(State(app): State<App>, auth: Auth, Path(login): Path<String>) -> Result<Json<Items<HouseholdListItem>>, HttpError> {
    Ok(Json(Items { items: ops::of_member(&app, &auth.caller(), &login).await? }))
}
