//! Maps of units: a unit's boundary set as GeoJSON, and its children drawn as a choropleth.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Done;
use crate::app::App;
use crate::app::maps as ops;
use crate::http::HttpError;
use crate::http::auth::{Auth, May, RequestLang, gate};
use crate::http::maps::unit_map_svg;

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(set_boundary)).routes(routes!(map_svg))
}

/// Set a unit's boundary (HQ).
///
/// One GeoJSON Feature, or a bare Polygon or MultiPolygon geometry, in WGS 84 longitude and
/// latitude: each ring of at least 4 positions and closed, at most 20,000 points. Replaces the
/// unit's boundary; audited. Many at once: `wangge import boundaries FILE.geojson`.
#[utoipa::path(put, operation_id = "set_boundary", path = "/api/v1/units/{code}/boundary", tag = "units", params(super::UnitCodeParam),
    request_body(content = Object, description = "A GeoJSON Feature or geometry"), responses((status = 200, body = Done), super::Errors))]
async fn set_boundary(
    State(app): State<App>,
    May(auth, _): May<gate::Command>,
    Path(code): Path<String>,
    Json(body): Json<serde_json::Value>,
) -> Result<Json<Done>, HttpError> {
    ops::set_one(&app, &auth.caller(), &code, &body.to_string()).await?;
    Ok(Json(Done { ok: true }))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct MapQuery {
    /// `checkin_rate` (the default), `red_per_100`, or any figure with a trend: `fevers`,
    /// `followups_overdue`, `returnees_in_observation`, …
    #[serde(default)]
    metric: String,
    /// `YYYY-MM-DD` (local), today when left out.
    #[serde(default)]
    date: String,
}

/// A unit's children as a map of one figure, as SVG.
///
/// Each child with a boundary is coloured by its class of the figure for the day (five
/// classes, a legend beneath) and named with its value; the area's checkpoints are points by
/// kind. No base map. Words follow `Accept-Language`.
#[utoipa::path(get, operation_id = "unit_map", path = "/api/v1/units/{code}/map.svg", tag = "units", params(super::UnitCodeParam, MapQuery),
    responses((status = 200, description = "The map", content_type = "image/svg+xml", body = String), super::Errors))]
async fn map_svg(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(code): Path<String>,
    Query(query): Query<MapQuery>,
) -> Result<Response, HttpError> {
    let map = ops::map(&app, &auth.caller(), &code, &query.metric, &query.date).await?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], unit_map_svg(&map, lang)).into_response())
}
