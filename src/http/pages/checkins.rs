//! Check-in pages: the household's own link (`/c/{token}`, no account: the head checks in for
//! everyone in one form), and a unit's list of who has not reported, which a grid member ticks
//! for households without phones.

use std::net::SocketAddr;
use std::sync::Arc;

use askama::Template;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use serde::Deserialize;

use super::{Chrome, Fields, Refused, render};
use crate::app::checkins::{self as ops, CheckinHousehold, CheckinInput, CheckinSummary, Principal};
use crate::app::organisations::{self, StaffLink};
use crate::app::units::{self, Unit};
use crate::app::{App, AppError};
use crate::domain::checkin::Via;
use crate::domain::isolation::Symptom;
use crate::domain::{Lang, Permission};
use crate::http::HttpError;
use crate::http::auth::{Auth, RequestLang};
use crate::http::body::batch;
use crate::http::common::{parse_id, unit_code};
use crate::http::limit::PublicLimits;
use axum::Router;
use axum::routing::{get, post};

/// This capability's pages, gathered by `pages::routes`.
pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/c/{token}", get(form).post(submit))
        .route("/o/{token}", get(staff_form).post(staff_submit))
        .route("/o/{token}/relatives", post(add_relative))
        .route("/units/{code}/checkins", get(summary).post(tick).layer(batch()))
}

#[derive(Template)]
#[template(path = "checkin.html")]
struct CheckinPage {
    c: Chrome,
    token: String,
    home: CheckinHousehold,
    opened_at: i64,
    /// The form when it was refused: each problem named by the person and the field, and what was chosen.
    refused: Refused,
    done: bool,
}

impl CheckinPage {
    fn symptoms(&self) -> &'static [Symptom] {
        Symptom::ALL
    }
}

pub async fn form(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    Extension(limits): Extension<Arc<PublicLimits>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
) -> Result<Response, HttpError> {
    if !limits.link(client.ip(), &token) {
        return Ok(super::public::too_many(lang));
    }
    let Some(home) = ops::household(&app, &token).await? else { return Ok(unknown_link(lang)) };
    let page = CheckinPage { c: Chrome::new(lang, None), token, home, opened_at: app.clock.now().timestamp(), refused: Refused::default(), done: false };
    Ok(render(&page)?.into_response())
}

fn unknown_link(lang: Lang) -> Response {
    let message = if lang == Lang::Zh {
        "此报平安链接无效，请向网格员索取本户的链接。"
    } else {
        "This check-in link is not valid; ask your grid member for your household's link."
    };
    (StatusCode::NOT_FOUND, Html(super::message_page(lang, "link_not_valid", message))).into_response()
}

/// The form's fields, `status_0`, `symptoms_0` (repeated), `location_0`, `where_0`,
/// `resident_0`, … one set per member, and `opened_at`.
fn inputs(fields: &[(String, String)]) -> (Vec<CheckinInput>, Option<i64>) {
    let mut members: Vec<CheckinInput> = Vec::new();
    // The members the form sent anything for: one whose resident does not read as an id stays,
    // without one, for the check-in to refuse.
    let mut sent: Vec<bool> = Vec::new();
    let mut opened_at = None;
    for (key, value) in fields {
        if key == "opened_at" {
            opened_at = value.parse().ok();
            continue;
        }
        let Some((name, index)) = key.rsplit_once('_') else { continue };
        let Ok(index) = index.parse::<usize>() else { continue };
        if index >= 50 {
            continue;
        }
        if members.len() <= index {
            members.resize_with(index + 1, CheckinInput::default);
            sent.resize(index + 1, false);
        }
        sent[index] = true;
        let member = &mut members[index];
        match name {
            "resident" => member.resident_id = value.parse().ok(),
            "status" => member.status = value.clone(),
            "symptoms" => member.symptoms.push(value.clone()),
            "location" => member.location = value.clone(),
            "where" => member.place = value.clone(),
            _ => {}
        }
    }
    (members.into_iter().zip(sent).filter_map(|(m, sent)| sent.then_some(m)).collect(), opened_at)
}

pub async fn submit(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    Extension(limits): Extension<Arc<PublicLimits>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    if !limits.link(client.ip(), &token) {
        return Ok(super::public::too_many(lang));
    }
    let (members, opened_at) = inputs(&fields);
    let seconds = opened_at.and_then(|at| crate::domain::checkin::time_to_fill(at, app.clock.now().timestamp()));
    let result = ops::household_check_in(&app, &token, &members, seconds).await;
    let Some(home) = ops::household(&app, &token).await? else { return Ok(unknown_link(lang)) };
    let opened_at = app.clock.now().timestamp();
    match result {
        Ok(_) => Ok(render(&CheckinPage { c: Chrome::new(lang, None), token, home, opened_at, refused: Refused::default(), done: true })?.into_response()),
        Err(AppError::Rows(rows)) => {
            let names: Vec<&str> = home.members.iter().map(|(_, name, ..)| name.as_str()).collect();
            let refused = Refused::new("checkin", by_person(&rows, &names, lang), Fields(fields));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&CheckinPage { c: Chrome::new(lang, None), token, home, opened_at, refused, done: false })?)
                .into_response())
        }
        Err(AppError::Domain(err)) => {
            let refused = Refused::new("checkin", vec![err.message(lang)], Fields(Vec::new()));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&CheckinPage { c: Chrome::new(lang, None), token, home, opened_at, refused, done: false })?)
                .into_response())
        }
        Err(AppError::NotFound) => Ok(unknown_link(lang)),
        Err(err) => Err(err.into()),
    }
}

/// A check-in form's problems, each named by the person (the form's row) and the field as the
/// form labels it: "张三 · 在哪里: 不能为空".
fn by_person(rows: &[crate::domain::table::RowError], names: &[&str], lang: Lang) -> Vec<String> {
    use crate::domain::table::RowProblem;
    rows.iter()
        .map(|r| {
            let what = match &r.problem {
                RowProblem::Field(e) => e.message(lang),
                _ => r.message(lang),
            };
            match r.row.checked_sub(1).and_then(|i| names.get(i)) {
                Some(name) => format!("{name} · {what}"),
                None => what,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "checkins.html")]
struct SummaryPage {
    c: Chrome,
    unit: Unit,
    crumbs: Vec<(String, String, bool)>,
    s: CheckinSummary,
    pager: super::Pager,
    can_tick: bool,
    /// The person whose "well, at home" is to be confirmed (the first press of its button).
    confirm: Option<uuid::Uuid>,
    /// Someone was just reported well, at home.
    ticked: bool,
}

impl SummaryPage {
    fn confirming(&self, id: &uuid::Uuid) -> bool {
        self.confirm == Some(*id)
    }

    /// The person after `id` in the list, whose place the page returns to once `id` has left it.
    fn after(&self, id: &uuid::Uuid) -> String {
        let at = self.s.missing.iter().position(|m| m.resident_id == *id);
        match at.and_then(|i| self.s.missing.get(i + 1)) {
            Some(next) => format!("m-{}", next.resident_id),
            None => "missing".into(),
        }
    }
}

#[derive(Deserialize, Default)]
pub struct DayQuery {
    date: Option<String>,
    confirm: Option<String>,
    ticked: Option<String>,
    /// The missing list from this one on.
    from: Option<u32>,
}

/// How many of the missing list a page shows.
const MISSING_PER_PAGE: u32 = 200;

pub async fn summary(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(code): Path<String>,
    Query(query): Query<DayQuery>,
) -> Result<Html<String>, HttpError> {
    let caller = auth.caller();
    let from = query.from.unwrap_or(0);
    let s = ops::summary(&app, &caller, &code, query.date.as_deref(), from, MISSING_PER_PAGE).await?;
    let unit = units::get(&app, &caller, &code).await?;
    let crumbs = super::crumbs(&app, &auth, &unit.path).await?;
    let href = match query.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(_) => format!("/units/{}/checkins?date={}", unit.code, s.day),
        None => format!("/units/{}/checkins", unit.code),
    };
    let pager = super::Pager::new("missing", href, from, MISSING_PER_PAGE, s.missing.len(), s.missing_count);
    let confirm = query.confirm.as_deref().and_then(|id| uuid::Uuid::parse_str(id).ok());
    let can_tick = caller.role.may(Permission::Screen);
    render(&SummaryPage { c: Chrome::load(&app, lang, &auth).await?, unit, crumbs, s, pager, can_tick, confirm, ticked: query.ticked.is_some() })
}

#[derive(Deserialize)]
pub struct TickForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    resident_id: String,
    /// Where in the list the page returns to: the anchor of the person after this one.
    #[serde(default)]
    back_to: String,
}

/// A grid member reports "well, at home" for someone without a phone, after asking them and
/// confirming it (the list's button asks first); the list comes back at the same place.
pub async fn tick(State(app): State<App>, auth: Auth, Path(code): Path<String>, Form(form): Form<TickForm>) -> Result<Response, HttpError> {
    auth.check_csrf(&form.csrf)?;
    let input = CheckinInput { resident_id: Some(parse_id(&form.resident_id)?), ..Default::default() };
    ops::check_in(&app, &Principal::Caller(auth.caller()), &[input], Via::Member).await?;
    let anchor: String = form.back_to.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(40).collect();
    let anchor = if anchor.is_empty() { "missing".to_string() } else { anchor };
    Ok(Redirect::to(&format!("/units/{}/checkins?ticked=1#{anchor}", unit_code(&code)?)).into_response())
}

#[derive(Template)]
#[template(path = "staff.html")]
struct StaffPage {
    c: Chrome,
    token: String,
    link: StaffLink,
    /// A refused form (the check-in, a relative) with what was typed.
    refused: Refused,
    done: bool,
}

/// The staff member's page; `refused` names the refused form ("checkin" or "relative") with
/// its problems and what was typed, whose messages `to_messages` makes from the page's people.
async fn staff_page(app: &App, lang: Lang, token: String, refused: Refused, done: bool) -> Result<Response, HttpError> {
    let Some((_, link)) = organisations::staff(app, &token).await? else { return Ok(unknown_link(lang)) };
    let status = refused.status();
    Ok((status, render(&StaffPage { c: Chrome::new(lang, None), token, link, refused, done })?).into_response())
}

/// A staff member's own link: themselves and their relatives, checked in with one form.
pub async fn staff_form(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    Extension(limits): Extension<Arc<PublicLimits>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
) -> Result<Response, HttpError> {
    if !limits.link(client.ip(), &token) {
        return Ok(super::public::too_many(lang));
    }
    staff_page(&app, lang, token, Refused::default(), false).await
}

pub async fn staff_submit(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    Extension(limits): Extension<Arc<PublicLimits>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    if !limits.link(client.ip(), &token) {
        return Ok(super::public::too_many(lang));
    }
    let (people, _) = inputs(&fields);
    match organisations::staff_check_in(&app, &token, &people).await {
        Ok(_) => staff_page(&app, lang, token, Refused::default(), true).await,
        Err(AppError::Rows(rows)) => {
            let Some((_, link)) = organisations::staff(&app, &token).await? else { return Ok(unknown_link(lang)) };
            let names: Vec<&str> = link.people.iter().map(|(_, name, ..)| name.as_str()).collect();
            let errors = by_person(&rows, &names, lang);
            staff_page(&app, lang, token, Refused::new("checkin", errors, Fields(fields)), false).await
        }
        Err(AppError::Domain(err)) => staff_page(&app, lang, token, Refused::new("checkin", vec![err.message(lang)], Fields(Vec::new())), false).await,
        Err(AppError::NotFound) => Ok(unknown_link(lang)),
        Err(err) => Err(err.into()),
    }
}

pub async fn add_relative(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    Extension(limits): Extension<Arc<PublicLimits>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    if !limits.link(client.ip(), &token) {
        return Ok(super::public::too_many(lang));
    }
    let f = Fields(fields);
    match organisations::add_relative(&app, &token, &f.get("name"), &f.get("relation")).await {
        Ok(()) => Ok(Redirect::to(&format!("/o/{token}")).into_response()),
        Err(err @ AppError::Domain(_)) => staff_page(&app, lang, token, Refused::new("relative", super::problems(err, lang)?, f), false).await,
        Err(AppError::NotFound) => Ok(unknown_link(lang)),
        Err(err) => Err(err.into()),
    }
}
