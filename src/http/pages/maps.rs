//! A unit's map page (`/units/{code}/map?metric=&date=`): its children coloured by a figure,
//! the checkpoints as points, the children without a boundary listed, and for HQ an upload of
//! boundaries as GeoJSON (`POST /units/{code}/boundaries`).

use askama::Template;
use axum::Router;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::{Chrome, render};
use crate::app::maps::{self as ops, UnitMap};
use crate::app::{App, AppError};
use crate::domain::boundaries::MapMetric;
use crate::domain::{Lang, Permission};
use crate::http::HttpError;
use crate::http::auth::{Auth, RequestLang};
use crate::http::maps::unit_map_svg;

/// This capability's pages, gathered by `pages::routes`.
pub(super) fn routes() -> Router<App> {
    Router::new().route("/units/{code}/map", get(map)).route("/units/{code}/boundaries", post(upload))
}

#[derive(Template)]
#[template(path = "unit_map.html")]
struct MapPage {
    c: Chrome,
    crumbs: Vec<(String, String, bool)>,
    map: UnitMap,
    svg: String,
    /// (value, words) of each figure the map offers.
    metrics: Vec<(&'static str, &'static str)>,
    can_upload: bool,
    /// The day as typed into the choice (kept when it is refused).
    date_typed: String,
    /// What was wrong with the figure or day asked for (the map is today's meanwhile).
    choice_errors: Vec<String>,
    /// Every problem of a refused upload.
    errors: Vec<String>,
    /// Units drawn by the last upload.
    drawn: Option<usize>,
}

impl MapPage {
    fn unmapped(&self) -> Vec<&ops::MapChild> {
        self.map.children.iter().filter(|c| c.boundary.is_none()).collect()
    }
}

#[derive(Deserialize, Default)]
pub struct MapQuery {
    #[serde(default)]
    metric: String,
    #[serde(default)]
    date: String,
    /// Units drawn by an upload just made.
    drawn: Option<usize>,
}

pub async fn map(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(code): Path<String>,
    Query(query): Query<MapQuery>,
) -> Result<Response, HttpError> {
    page(&app, lang, &auth, &code, &query, Vec::new()).await
}

async fn page(app: &App, lang: Lang, auth: &Auth, code: &str, query: &MapQuery, errors: Vec<String>) -> Result<Response, HttpError> {
    // A figure the list does not hold (an old bookmark) is told as the list offers them, not
    // by the API's names of the thirty, and the day is still drawn.
    let (metric, mut choice_errors) = match MapMetric::parse(&query.metric) {
        Ok(_) => (query.metric.as_str(), Vec::new()),
        Err(_) => {
            let choose = if lang == Lang::Zh { "请从列表中选择一项" } else { "choose one from the list" };
            ("", vec![format!("{}: {choose}", crate::domain::lang::field_name("metric", lang))])
        }
    };
    let map = match ops::map(app, &auth.caller(), code, metric, &query.date).await {
        Ok(map) => map,
        Err(err @ AppError::Domain(_)) => {
            choice_errors.extend(super::problems(err, lang)?);
            ops::map(app, &auth.caller(), code, "", "").await?
        }
        Err(other) => return Err(other.into()),
    };
    let date_typed = if choice_errors.is_empty() || query.date.trim().is_empty() { map.date.to_string() } else { query.date.clone() };
    let c = Chrome::load(app, lang, auth).await?;
    let svg = unit_map_svg(&map, lang);
    let metrics = MapMetric::all().into_iter().map(|m| (m.as_str(), c.t.metric_words(m))).collect();
    let crumbs = super::crumbs(app, auth, &map.unit.path).await?;
    let can_upload = auth.caller().role.may(Permission::Command);
    let refused = !errors.is_empty() || !choice_errors.is_empty();
    let status = if refused { axum::http::StatusCode::UNPROCESSABLE_ENTITY } else { axum::http::StatusCode::OK };
    let page = MapPage { c, crumbs, map, svg, metrics, can_upload, date_typed, choice_errors, errors, drawn: query.drawn };
    Ok((status, render(&page)?).into_response())
}

/// Boundaries of the units below, from a GeoJSON file: all or nothing, every problem said.
pub async fn upload(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(code): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, HttpError> {
    let (mut csrf, mut file, mut property) = (String::new(), Vec::new(), String::new());
    while let Some(field) = multipart.next_field().await.map_err(|e| HttpError::BadRequest(e.to_string()))? {
        match field.name() {
            Some("_csrf") => csrf = field.text().await.map_err(|e| HttpError::BadRequest(e.to_string()))?,
            Some("code_property") => property = field.text().await.map_err(|e| HttpError::BadRequest(e.to_string()))?,
            Some("file") => file = field.bytes().await.map_err(|e| HttpError::BadRequest(e.to_string()))?.to_vec(),
            _ => {}
        }
    }
    auth.check_csrf(&csrf)?;
    let property = if property.trim().is_empty() { "code".to_string() } else { property };
    let text = String::from_utf8_lossy(&file);
    match ops::import(&app, &auth.caller(), &text, &property, false).await {
        Ok(drawn) => Ok(Redirect::to(&format!("/units/{code}/map?drawn={drawn}")).into_response()),
        Err(err @ AppError::Domain(_)) => {
            let errors = super::problems(err, lang)?;
            page(&app, lang, &auth, &code, &MapQuery::default(), errors).await
        }
        Err(other) => Err(other.into()),
    }
}
