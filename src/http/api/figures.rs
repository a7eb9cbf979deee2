//! The records behind a dashboard figure.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Counted;
use crate::app::App;
use crate::app::figures::{self as ops, FigureRecord};
use crate::http::HttpError;
use crate::http::auth::Auth;

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(figure))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Path)]
struct FigurePath {
    /// The unit's code.
    code: String,
    /// A figure's name, as the dashboard answer names it (`checkins_reported`, `fevers`;
    /// colours are `households_red` …).
    metric: String,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct FigureQuery {
    /// The day, `YYYY-MM-DD` (local); today when left out.
    #[serde(default)]
    date: String,
    /// How many (100 by default, at most 1000).
    limit: Option<u32>,
    /// Skip this many (0 by default): `total` is the figure.
    offset: Option<u32>,
}

/// The records that make up one of a unit's day figures.
///
/// As many in all (`total`) as the dashboard's figure of the same unit and day, counted the same
/// way; each names the page it is on. Roster readers only; the reading is audited.
#[utoipa::path(get, operation_id = "unit_figure_records", path = "/api/v1/units/{code}/figures/{metric}", tag = "units", params(FigurePath, FigureQuery),
    responses((status = 200, body = Counted<FigureRecord>), super::Errors))]
async fn figure(
    State(app): State<App>,
    auth: Auth,
    Path(FigurePath { code, metric }): Path<FigurePath>,
    Query(query): Query<FigureQuery>,
) -> Result<Json<Counted<FigureRecord>>, HttpError> {
    let list = ops::records(&app, &auth.caller(), &code, &metric, &query.date, query.offset.unwrap_or(0), query.limit.unwrap_or(100)).await?;
    Ok(Json(Counted { items: list.records, total: list.total }))
}
