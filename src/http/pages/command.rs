//! The command view's pages: a unit's four-colour household map, on screen and on paper.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::routing::get;
use serde::Deserialize;

use super::{Chrome, render};
use crate::app::App;
use crate::app::command as ops;
use crate::domain::Colour;
use crate::domain::command::ColourMap;
use crate::http::HttpError;
use crate::http::auth::{Auth, RequestLang};

/// This capability's pages, gathered by `pages::routes`.
pub(super) fn routes() -> Router<App> {
    Router::new().route("/units/{code}/colour-map", get(colour_map)).route("/units/{code}/colour-map/print", get(colour_map_print))
}

#[derive(Template)]
#[template(path = "colour_map.html")]
struct ColourMapPage {
    c: Chrome,
    crumbs: Vec<(String, String, bool)>,
    map: ColourMap,
}

#[derive(Template)]
#[template(path = "colour_map_print.html")]
struct ColourMapPrint {
    c: Chrome,
    map: ColourMap,
    /// `a4` or `a3`, landscape.
    paper: &'static str,
    /// When it was drawn: the colours are those of that moment.
    drawn_at: chrono::DateTime<chrono::Utc>,
}

/// The colours in the legend's order, for both templates.
trait Legend {
    fn colours(&self) -> [Colour; 4] {
        Colour::ALL
    }
}
impl Legend for ColourMapPage {}
impl Legend for ColourMapPrint {}

pub async fn colour_map(State(app): State<App>, RequestLang(lang): RequestLang, auth: Auth, Path(code): Path<String>) -> Result<Html<String>, HttpError> {
    let found = ops::colour_map(&app, &auth.caller(), &code).await?;
    let crumbs = super::crumbs(&app, &auth, &found.unit.path).await?;
    render(&ColourMapPage { c: Chrome::load(&app, lang, &auth).await?, crumbs, map: found.map })
}

#[derive(Deserialize)]
pub struct PrintQuery {
    #[serde(default)]
    paper: String,
}

pub async fn colour_map_print(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(code): Path<String>,
    Query(query): Query<PrintQuery>,
) -> Result<Html<String>, HttpError> {
    let caller = auth.caller();
    let map = ops::colour_map(&app, &caller, &code).await?.map;
    let paper = if query.paper.eq_ignore_ascii_case("a3") { "a3" } else { "a4" };
    render(&ColourMapPrint { c: Chrome::new(lang, Some(&auth)), map, paper, drawn_at: caller.now })
}
