//! The daily sign-off (日报告、零报告): a unit's own leader or HQ confirms its day.

use axum::Json;
use axum::extract::{Path, State};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::App;
use crate::app::confirmations::{self as ops, Confirmed};
use crate::http::HttpError;
use crate::http::auth::Auth;

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(confirm))
}

/// A unit's code and a day in the path.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Path)]
struct ReportParams {
    /// The unit's code: the caller's own unit (a village, township or county).
    code: String,
    /// The day, `YYYY-MM-DD` (local); not after today.
    date: String,
}

/// Confirms the caller's own unit's day (日报告; with every figure zero, 零报告).
///
/// Keeps the day's figures as they stand now. A village confirms its own day; a township only
/// after all its villages have confirmed theirs, a county only after all its townships (a
/// refusal, 422, names the units not yet confirmed). Only the unit's own grid leader or HQ
/// confirms it (another unit's day answers 422, one outside the caller's area 404); a day in the
/// future answers 422. Confirming again replaces the earlier confirmation, which the audit log
/// keeps. The day's task and the escalations of its lapse close with it.
#[utoipa::path(post, operation_id = "confirm_report", path = "/api/v1/units/{code}/reports/{date}/confirm", tag = "units", params(ReportParams),
    responses((status = 200, body = Confirmed), super::Errors))]
async fn confirm(State(app): State<App>, auth: Auth, Path(params): Path<ReportParams>) -> Result<Json<Confirmed>, HttpError> {
    let confirmation = ops::confirm(&app, &auth.caller(), &params.code, &params.date).await?;
    Ok(Json(Confirmed { confirmation, changes: Vec::new() }))
}
