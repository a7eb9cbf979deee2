//! Daily check-ins: one or many, a unit's figures for a day, a household's link.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use super::Items;
use crate::app::App;
use crate::app::checkins::{self as ops, CheckedIn, CheckinInput, CheckinSummary, OneOrMany};
use crate::domain::checkin::Via;
use crate::http::HttpError;
use crate::http::auth::{Auth, May, SessionToken, gate};
use crate::http::body::batch;
use crate::http::common::{parse_id, public_link};

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(check_in).layer(batch())).routes(routes!(summary)).routes(routes!(household_link))
}

/// A check-in alone (an object), or many at once (an array): the body of `POST /api/v1/checkins`.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)] // documentation only: the body is read as `OneOrMany`.
enum Checkins {
    One(CheckinInput),
    Many(Vec<CheckinInput>),
}

/// Daily check-ins (报平安), one object or an array.
///
/// All are written or (naming every bad row) none; a resident's second check-in of a day
/// replaces the first. The session is checked by the store as it writes, with the other
/// requests of its group, so a check-in costs no read of its own.
#[utoipa::path(post, operation_id = "check_in", path = "/api/v1/checkins", tag = "checkins", request_body = Checkins,
    responses((status = 201, body = Items<CheckedIn>), super::Errors))]
async fn check_in(
    State(app): State<App>,
    SessionToken(token): SessionToken,
    Json(body): Json<OneOrMany>,
) -> Result<(StatusCode, Json<Items<CheckedIn>>), HttpError> {
    let (inputs, via) = match body {
        OneOrMany::One(one) => (vec![one], Via::Api),
        OneOrMany::Many(many) => (many, Via::Batch),
    };
    let items = ops::check_in(&app, &ops::by_session(&app, token), &inputs, via).await?;
    Ok((StatusCode::CREATED, Json(Items { items })))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct DayQuery {
    /// The day (`YYYY-MM-DD`, the region's calendar); today when absent.
    date: Option<String>,
    /// At most this many of the missing list (500 by default).
    limit: Option<u32>,
    /// The missing list from this one on (0, the first, by default): `missing_count` says how
    /// many there are in all.
    from: Option<u32>,
}

/// A unit's check-ins for a day: expected, reported, missing (who has not reported), flagged.
#[utoipa::path(get, operation_id = "unit_checkins", path = "/api/v1/units/{code}/checkins", tag = "checkins", params(super::UnitCodeParam, DayQuery),
    responses((status = 200, body = CheckinSummary), super::Errors))]
async fn summary(State(app): State<App>, auth: Auth, Path(code): Path<String>, Query(query): Query<DayQuery>) -> Result<Json<CheckinSummary>, HttpError> {
    Ok(Json(ops::summary(&app, &auth.caller(), &code, query.date.as_deref(), query.from.unwrap_or(0), query.limit.unwrap_or(500)).await?))
}

#[derive(Serialize, ToSchema)]
struct CheckinLink {
    token: String,
    /// The address the household opens to check in.
    url: String,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct LinkQuery {
    /// `true`: a new link, and the old one stops working at once.
    #[serde(default)]
    renew: bool,
}

/// The household's own check-in link (/c/{token}), made on first request.
///
/// With `renew=true` the household gets a new link and the old one stops working.
#[utoipa::path(post, operation_id = "household_checkin_link", path = "/api/v1/households/{id}/checkin-link", tag = "checkins", params(super::IdParam, LinkQuery),
    responses((status = 200, body = CheckinLink), super::Errors))]
async fn household_link(
    State(app): State<App>,
    May(auth, _): May<gate::Screen>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<LinkQuery>,
) -> Result<Json<CheckinLink>, HttpError> {
    let token = ops::household_link(&app, &auth.caller(), parse_id(&id)?, query.renew).await?;
    let url = public_link(&app, &headers, &format!("/c/{token}"));
    Ok(Json(CheckinLink { token, url }))
}
