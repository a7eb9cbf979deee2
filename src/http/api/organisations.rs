//! Organisations (三个制度): registering one, its staff and relatives, its daily report.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::router::UtoipaMethodRouterExt;
use utoipa_axum::routes;

use super::Items;
use crate::app::App;
use crate::app::organisations::{self as ops, MemberInput, OrgCheckinInput, OrgDay, Organisation, OrganisationInput};
use crate::http::HttpError;
use crate::http::auth::{Auth, May, gate};
use crate::http::body::batch;
use crate::http::common::{parse_id, public_link};

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(of_unit))
        .routes(routes!(add_members).layer(batch()))
        .routes(routes!(staff_link))
        .routes(routes!(day, check_in).layer(batch()))
}

/// Register an organisation in a unit.
///
/// A bureau, a school or a company reports daily for its staff and their relatives (三个制度).
#[utoipa::path(post, operation_id = "create_organisation", path = "/api/v1/organisations", tag = "organisations", request_body = OrganisationInput,
    responses((status = 201, body = Organisation), super::Errors, super::Conflict))]
async fn create(
    State(app): State<App>,
    May(auth, _): May<gate::WriteRoster>,
    Json(body): Json<OrganisationInput>,
) -> Result<(StatusCode, Json<Organisation>), HttpError> {
    Ok((StatusCode::CREATED, Json(ops::create_organisation(&app, &auth.caller(), &body).await?)))
}

/// The organisations registered in a unit.
#[utoipa::path(get, operation_id = "unit_organisations", path = "/api/v1/units/{code}/organisations", tag = "organisations", params(super::UnitCodeParam),
    responses((status = 200, body = Items<Organisation>), super::Errors))]
async fn of_unit(State(app): State<App>, auth: Auth, Path(code): Path<String>) -> Result<Json<Items<Organisation>>, HttpError> {
    Ok(Json(Items { items: ops::of_unit(&app, &auth.caller(), &code).await? }))
}

#[derive(Serialize, ToSchema)]
struct Added {
    /// How many staff and relatives were added.
    added: usize,
}

/// Add staff and relatives the organisation reports for.
///
/// All of them, or none: each bad row is named in `errors`.
#[utoipa::path(post, operation_id = "add_organisation_members", path = "/api/v1/organisations/{id}/members", tag = "organisations", params(super::IdParam), request_body = Vec<MemberInput>,
    responses((status = 201, body = Added), super::Errors, super::Conflict))]
async fn add_members(
    State(app): State<App>,
    May(auth, _): May<gate::Screen>,
    Path(id): Path<String>,
    Json(body): Json<Vec<MemberInput>>,
) -> Result<(StatusCode, Json<Added>), HttpError> {
    let added = ops::add_members(&app, &auth.caller(), parse_id(&id)?, &body).await?;
    Ok((StatusCode::CREATED, Json(Added { added })))
}

#[derive(Serialize, ToSchema)]
struct StaffLinkAnswer {
    token: String,
    /// The address the staff member opens to report for themselves and their relatives.
    url: String,
}

/// A staff member's own check-in link (`/o/{token}`), made if they have none yet.
#[utoipa::path(post, operation_id = "organisation_staff_link", path = "/api/v1/organisations/{id}/members/{member}/link", tag = "organisations",
    params(super::IdParam, ("member" = uuid::Uuid, Path, description = "The staff member")),
    responses((status = 200, body = StaffLinkAnswer), super::Errors))]
async fn staff_link(
    State(app): State<App>,
    auth: Auth,
    headers: HeaderMap,
    Path((id, member)): Path<(String, String)>,
) -> Result<Json<StaffLinkAnswer>, HttpError> {
    let token = ops::staff_link(&app, &auth.caller(), parse_id(&id)?, parse_id(&member)?).await?;
    let url = public_link(&app, &headers, &format!("/o/{token}"));
    Ok(Json(StaffLinkAnswer { token, url }))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct DayQuery {
    /// The day (`YYYY-MM-DD`, the region's calendar); today when absent.
    date: Option<String>,
}

#[derive(Serialize, ToSchema)]
struct Reported {
    /// How many check-ins were saved.
    reported: usize,
}

/// The organisation's check-ins for its members for a day: all rows, or none.
#[utoipa::path(post, operation_id = "organisation_check_in", path = "/api/v1/organisations/{id}/checkins", tag = "organisations", params(super::IdParam, DayQuery),
    request_body = Vec<OrgCheckinInput>, responses((status = 201, body = Reported), super::Errors))]
async fn check_in(
    State(app): State<App>,
    May(auth, _): May<gate::Screen>,
    Path(id): Path<String>,
    Query(query): Query<DayQuery>,
    Json(body): Json<Vec<OrgCheckinInput>>,
) -> Result<(StatusCode, Json<Reported>), HttpError> {
    let reported = ops::org_check_in(&app, &auth.caller(), parse_id(&id)?, query.date.as_deref(), &body).await?;
    Ok((StatusCode::CREATED, Json(Reported { reported })))
}

/// Everyone the organisation reports for, and whether each has reported that day.
///
/// ID numbers and phones are masked; the reading is audited.
#[utoipa::path(get, operation_id = "organisation_day", path = "/api/v1/organisations/{id}/checkins", tag = "organisations", params(super::IdParam, DayQuery),
    responses((status = 200, body = OrgDay), super::Errors))]
async fn day(State(app): State<App>, auth: Auth, Path(id): Path<String>, Query(query): Query<DayQuery>) -> Result<Json<OrgDay>, HttpError> {
    Ok(Json(ops::org_day(&app, &auth.caller(), parse_id(&id)?, query.date.as_deref()).await?))
}
