//! The records behind a dashboard figure (`/units/{code}/figures/{metric}?date=`): the list
//! each figure links to, as many as the figure says, a page at a time.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::routing::get;
use serde::Deserialize;

use super::{Chrome, render};
use crate::app::App;
use crate::app::figures::{self as ops, FigureList, FigureRecord};
use crate::http::HttpError;
use crate::http::auth::{Auth, RequestLang};

/// This capability's pages, gathered by `pages::routes`.
pub(super) fn routes() -> Router<App> {
    Router::new().route("/units/{code}/figures/{metric}", get(figure))
}

/// How many records a figure's page shows at once.
const RECORDS_PER_PAGE: u32 = 100;

#[derive(Template)]
#[template(path = "figure.html")]
struct FigurePage {
    c: Chrome,
    crumbs: Vec<(String, String, bool)>,
    list: FigureList,
    title: &'static str,
    /// Each record with the page it is on (empty when it has none).
    records: Vec<(FigureRecord, String)>,
    pager: super::Pager,
}

#[derive(Deserialize)]
pub struct FigureQuery {
    #[serde(default)]
    date: String,
    /// The list from this one on.
    from: Option<u32>,
}

pub async fn figure(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path((code, metric)): Path<(String, String)>,
    Query(query): Query<FigureQuery>,
) -> Result<Html<String>, HttpError> {
    let from = query.from.unwrap_or(0);
    let mut list = ops::records(&app, &auth.caller(), &code, &metric, &query.date, from, RECORDS_PER_PAGE).await?;
    let c = Chrome::load(&app, lang, &auth).await?;
    let title = c.t.t(&format!("metric_{}", list.metric.as_str()));
    let href = format!("/units/{}/figures/{}?date={}", list.unit.code, list.metric.as_str(), list.date);
    let pager = super::Pager::new("records", href, from, RECORDS_PER_PAGE, list.records.len(), list.total);
    let records = std::mem::take(&mut list.records)
        .into_iter()
        .map(|record| {
            let link = record.target.as_ref().map(crate::http::common::href).unwrap_or_default();
            (record, link)
        })
        .collect();
    let crumbs = super::crumbs(&app, &auth, &list.unit.path).await?;
    render(&FigurePage { c, crumbs, list, title, records, pager })
}
