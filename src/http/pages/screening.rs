//! Screening pages: a unit's returnees (四知四清) with the registration form, screening
//! rounds with their coverage and the households still to visit, and the key areas.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Chrome, Fields, Refused, problems, render};
use crate::app::App;
use crate::app::screening::{
    self as ops, CoverageRow, KeyAreaInput, KeyAreaRecord, ReturneeInput, ReturneeItem, Round, ScreeningFigures, StayInput, Unit, Unvisited, VisitInput,
};
use crate::domain::{Lang, Permission, Transport, VisitOutcome};
use crate::http::HttpError;
use crate::http::auth::{Auth, RequestLang};
use crate::http::common::{parse_id, unit_code};
use axum::Router;
use axum::routing::{get, post};

/// This capability's pages, gathered by `pages::routes`.
pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/units/{code}/returnees", get(returnees).post(register_returnee))
        .route("/units/{code}/rounds", post(open_round))
        .route("/rounds/{id}", get(round))
        .route("/rounds/{id}/visits", post(record_visit))
        .route("/key-areas", get(key_areas).post(add_key_area))
}

#[derive(Template)]
#[template(path = "returnees.html")]
struct ReturneesPage {
    c: Chrome,
    unit: Unit,
    crumbs: Vec<(String, String, bool)>,
    figures: ScreeningFigures,
    items: Vec<ReturneeItem>,
    pager: super::Pager,
    can_register: bool,
    refused: Refused,
    registered: bool,
}

impl ReturneesPage {
    fn transports(&self) -> &'static [Transport] {
        Transport::ALL
    }
}

#[derive(Deserialize, Default)]
pub struct ReturneesQuery {
    registered: Option<String>,
    /// The list from this one on.
    from: Option<u32>,
}

pub async fn returnees(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(code): Path<String>,
    Query(query): Query<ReturneesQuery>,
) -> Result<Response, HttpError> {
    returnees_page(&app, lang, &auth, &code, Refused::default(), query.registered.is_some(), query.from.unwrap_or(0)).await
}

async fn returnees_page(app: &App, lang: Lang, auth: &Auth, code: &str, refused: Refused, registered: bool, from: u32) -> Result<Response, HttpError> {
    let caller = auth.caller();
    let ops::Returnees { unit, figures, items, from } = ops::returnees(app, &caller, code, from, RETURNEES_PER_PAGE).await?;
    let pager = super::Pager::new("returnees", format!("/units/{}/returnees", unit.code), from, RETURNEES_PER_PAGE, items.len(), figures.returnees);
    let crumbs = super::crumbs(app, auth, &unit.path).await?;
    let status = refused.status();
    let can_register = caller.role.may(Permission::Screen);
    let page = ReturneesPage { c: Chrome::load(app, lang, auth).await?, unit, crumbs, figures, items, pager, can_register, refused, registered };
    Ok((status, render(&page)?).into_response())
}

pub async fn register_returnee(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(code): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let f = Fields(fields);
    auth.check_csrf(&f.get("_csrf"))?;
    // A household is named by its number (or its id); `app` finds it under the page's unit and
    // checks it with the other fields.
    let input = ReturneeInput {
        id_number: f.get("id_number"),
        name: f.get("name"),
        phone: f.get("phone"),
        origin: f.get("origin"),
        travel: vec![StayInput { place: f.get("travel_place"), from: Some(f.get("travel_from")), to: Some(f.get("travel_to")) }],
        arrived_at: f.get("arrived_at"),
        transport: f.get("transport"),
        transport_detail: f.get("transport_detail"),
        health: f.get("health"),
        contacts: f.get("contacts"),
        ..Default::default()
    };
    match ops::register_returnee_typed(&app, &auth.caller(), &code, input, &f.get("household")).await {
        Ok(_) => Ok(Redirect::to(&format!("/units/{code}/returnees?registered=1")).into_response()),
        Err(err) => returnees_page(&app, lang, &auth, &code, Refused::new("returnee", problems(err, lang)?, f), false, 0).await,
    }
}

pub async fn open_round(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(code): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let fields = Fields(fields);
    auth.check_csrf(&fields.get("_csrf"))?;
    match ops::open_round(&app, &auth.caller(), &code, &fields.get("name")).await {
        Ok(round) => Ok(Redirect::to(&format!("/rounds/{}?unit={code}", round.id)).into_response()),
        Err(err) => super::units::refuse(&app, lang, &auth, &code, "round", err, fields).await,
    }
}

#[derive(Template)]
#[template(path = "round.html")]
struct RoundPage {
    c: Chrome,
    round: Round,
    unit: Unit,
    crumbs: Vec<(String, String, bool)>,
    rows: Vec<CoverageRow>,
    unvisited: Vec<Unvisited>,
    pager: super::Pager,
    can_visit: bool,
}

impl RoundPage {
    fn outcomes(&self) -> &'static [VisitOutcome] {
        VisitOutcome::ALL
    }

    fn percent(&self) -> i64 {
        if self.round.households == 0 { 100 } else { self.round.visited * 100 / self.round.households }
    }
}

#[derive(Deserialize)]
pub struct RoundQuery {
    /// The unit whose part of the round is shown: the caller's own unit when left out.
    #[serde(default)]
    unit: String,
    /// The unvisited list from this one on.
    from: Option<u32>,
}

/// How many households still to visit a round's page shows at once.
const UNVISITED_PER_PAGE: u32 = 100;
/// How many returnees a unit's page shows at once.
const RETURNEES_PER_PAGE: u32 = 100;

pub async fn round(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(id): Path<String>,
    Query(query): Query<RoundQuery>,
) -> Result<Html<String>, HttpError> {
    let caller = auth.caller();
    let from = query.from.unwrap_or(0);
    let ops::RoundSheet { round, unit, rows, unvisited, unvisited_from, unvisited_total } =
        ops::round_sheet(&app, &caller, parse_id(&id)?, &query.unit, from, UNVISITED_PER_PAGE).await?;
    let href = format!("/rounds/{}?unit={}", round.id, unit.code);
    let pager = super::Pager::new("unvisited", href, unvisited_from, UNVISITED_PER_PAGE, unvisited.len(), unvisited_total);
    let crumbs = super::crumbs(&app, &auth, &unit.path).await?;
    let can_visit = caller.role.may(Permission::Screen);
    render(&RoundPage { c: Chrome::load(&app, lang, &auth).await?, round, unit, crumbs, rows, unvisited, pager, can_visit })
}

#[derive(Deserialize)]
pub struct VisitForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    household_id: String,
    outcome: String,
    unit: String,
}

pub async fn record_visit(State(app): State<App>, auth: Auth, Path(id): Path<String>, Form(form): Form<VisitForm>) -> Result<Response, HttpError> {
    auth.check_csrf(&form.csrf)?;
    let round = parse_id(&id)?;
    let input = VisitInput { household_id: parse_id(&form.household_id)?, outcome: form.outcome, note: String::new() };
    ops::record_visit(&app, &auth.caller(), round, &input).await?;
    let unit = unit_code(&form.unit)?;
    Ok(Redirect::to(&format!("/rounds/{round}?unit={unit}")).into_response())
}

#[derive(Template)]
#[template(path = "key_areas.html")]
struct KeyAreasPage {
    c: Chrome,
    areas: Vec<KeyAreaRecord>,
    can_add: bool,
    refused: Refused,
    /// Who declared each area, by name.
    names: super::accounts::Names,
}

pub async fn key_areas(State(app): State<App>, RequestLang(lang): RequestLang, auth: Auth) -> Result<Response, HttpError> {
    key_areas_page(&app, lang, &auth, Refused::default()).await
}

async fn key_areas_page(app: &App, lang: Lang, auth: &Auth, refused: Refused) -> Result<Response, HttpError> {
    let caller = auth.caller();
    let areas = ops::key_areas(app, &caller).await?;
    let can_add = caller.role.may(Permission::Command);
    let names = super::accounts::Names::of(app, areas.iter().map(|a| a.created_by.as_str())).await?;
    Ok((refused.status(), render(&KeyAreasPage { c: Chrome::load(app, lang, auth).await?, areas, can_add, refused, names })?).into_response())
}

pub async fn add_key_area(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let f = Fields(fields);
    auth.check_csrf(&f.get("_csrf"))?;
    let input = KeyAreaInput { area: f.get("area"), valid_from: f.get("valid_from"), valid_to: Some(f.get("valid_to")) };
    match ops::add_key_area(&app, &auth.caller(), &input).await {
        Ok(_) => Ok(Redirect::to("/key-areas").into_response()),
        Err(err) => key_areas_page(&app, lang, &auth, Refused::new("key_area", problems(err, lang)?, f)).await,
    }
}
