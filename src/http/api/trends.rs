//! Trends: a unit's figures day by day.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::App;
use crate::app::trends::{self as ops, Trend};
use crate::http::HttpError;
use crate::http::auth::Auth;

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(trends))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct TrendQuery {
    /// Comma-separated figure names, as the dashboard answer names them (`checkins_reported,fevers`;
    /// colours are `households_red` …); a default set when left out. An unknown one is refused
    /// (field `metrics`).
    #[serde(default)]
    metrics: String,
    /// The first day, `YYYY-MM-DD` (local); 30 days before `to` when left out. Errors name it
    /// `first_day`.
    #[serde(default)]
    from: String,
    /// The last day, `YYYY-MM-DD` (local), never after today; today when left out. At most 366
    /// days from `from`. Errors name it `last_day`.
    #[serde(default)]
    to: String,
}

/// A unit's figures day by day over its whole subtree.
///
/// Days before today are the daily close's figures (stored at local midnight for every unit,
/// updated when a fact for a closed day is entered late); today is counted live. A day before
/// the first close counts zero. Stocks stand at each day's end; households, colours, residents,
/// expected check-ins and pending registrations as they stood at the close.
#[utoipa::path(get, operation_id = "unit_trends", path = "/api/v1/units/{code}/trends", tag = "units", params(super::UnitCodeParam, TrendQuery),
    responses((status = 200, body = Trend), super::Errors))]
async fn trends(State(app): State<App>, auth: Auth, Path(code): Path<String>, Query(query): Query<TrendQuery>) -> Result<Json<Trend>, HttpError> {
    Ok(Json(ops::trends(&app, &auth.caller(), &code, &query.metrics, &query.from, &query.to).await?.trend))
}
