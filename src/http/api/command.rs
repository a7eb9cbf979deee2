//! The command view: the four-colour household map of a unit.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::App;
use crate::app::command as ops;
use crate::http::HttpError;
use crate::http::auth::{Auth, RequestLang};
use crate::http::drawing::colour_map_svg;

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(colour_map))
}

/// The four-colour household map (四色图) of a village or grid, as SVG.
///
/// Every household of the subtree is a tile in its colour (red, yellow, blue, white), numbered,
/// grouped by villager group or grid, each linking to its household; a legend gives the counts.
/// A unit of more than 5,000 households answers 422 (pick a village or grid). Words follow
/// `Accept-Language`.
#[utoipa::path(get, operation_id = "colour_map", path = "/api/v1/units/{code}/colour-map.svg", tag = "units", params(super::UnitCodeParam),
    responses((status = 200, description = "The map", content_type = "image/svg+xml", body = String), super::Errors))]
async fn colour_map(State(app): State<App>, RequestLang(lang): RequestLang, auth: Auth, Path(code): Path<String>) -> Result<Response, HttpError> {
    let map = ops::colour_map(&app, &auth.caller(), &code).await?.map;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], colour_map_svg(&map, lang)).into_response())
}
