//! Isolation pages: ordering it from a household's page, the order's page (follow-ups, ending
//! or extending it) and the household's printable notice (公示).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::{Chrome, render};
use crate::app::App;
use crate::app::isolation::{self as ops, EndInput, FollowupInput, Isolation, IsolationInput};
use crate::app::tasks::{FollowupState, followup_state};
use crate::domain::Permission;
use crate::domain::error::{DomainError, Reason};
use crate::domain::isolation::{IsolationKind, IsolationReason, Need, Reached, Symptom};
use crate::http::HttpError;
use crate::http::auth::{Auth, RequestLang};
use crate::http::common::parse_id;
use axum::Router;
use axum::routing::{get, post};

/// This capability's pages, gathered by `pages::routes`.
pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/isolations", post(order))
        .route("/isolations/{id}", get(show))
        .route("/isolations/{id}/followups", post(follow_up))
        .route("/isolations/{id}/end", post(end))
        .route("/isolations/{id}/notice", get(notice))
}

#[derive(Template)]
#[template(path = "isolation.html")]
struct IsolationPage {
    c: Chrome,
    o: Isolation,
    crumbs: Vec<(String, String, bool)>,
    state: &'static str,
    can_follow_up: bool,
    can_end: bool,
}

impl IsolationPage {
    fn symptoms(&self) -> &'static [Symptom] {
        Symptom::ALL
    }

    fn needs(&self) -> &'static [Need] {
        Need::ALL
    }

    fn reached(&self) -> &'static [Reached] {
        Reached::ALL
    }
}

pub async fn show(State(app): State<App>, RequestLang(lang): RequestLang, auth: Auth, Path(id): Path<String>) -> Result<Html<String>, HttpError> {
    let caller = auth.caller();
    let o = ops::show(&app, &caller, parse_id(&id)?, "page").await?;
    let state = match followup_state(&app, &o, caller.now) {
        _ if o.ended_at.is_some() => "ended",
        FollowupState::Due(_) => "followup_due",
        FollowupState::Overdue(_) => "followup_overdue",
        FollowupState::ReleaseDue => "release_due",
        FollowupState::Done => "done",
    };
    let crumbs = super::crumbs(&app, &auth, &o.unit_path).await?;
    let open = o.ended_at.is_none();
    render(&IsolationPage {
        c: Chrome::load(&app, lang, &auth).await?,
        o,
        crumbs,
        state,
        can_follow_up: open && caller.role.may(Permission::Screen),
        can_end: open && caller.role.may(Permission::WriteRoster),
    })
}

/// The household page's order form. A form sends every field as text (so not a flattened
/// `IsolationInput`, whose `days` is a number): `days` and the resident are parsed here.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OrderForm {
    #[serde(rename = "_csrf")]
    csrf: String,
    resident_id: String,
    kind: String,
    reason: String,
    place: String,
    start: String,
    days: String,
    cadre_login: String,
    note: String,
}

impl OrderForm {
    fn input(self) -> Result<IsolationInput, DomainError> {
        let days = match self.days.trim() {
            "" => None,
            days => Some(days.parse::<u32>().map_err(|_| DomainError::invalid("days", Reason::Between(1, 60)))?),
        };
        let resident_id = Some(Uuid::parse_str(self.resident_id.trim()).map_err(|_| DomainError::invalid("resident_id", Reason::Empty))?);
        Ok(IsolationInput {
            id: None,
            resident_id,
            kind: self.kind,
            place: self.place,
            start: self.start,
            days,
            cadre_login: self.cadre_login,
            reason: self.reason,
            note: self.note,
        })
    }
}

pub async fn order(State(app): State<App>, auth: Auth, Form(form): Form<OrderForm>) -> Result<Response, HttpError> {
    auth.check_csrf(&form.csrf)?;
    let order = ops::order(&app, &auth.caller(), &form.input()?).await?;
    Ok(Redirect::to(&format!("/isolations/{}", order.id)).into_response())
}

pub async fn follow_up(State(app): State<App>, auth: Auth, Path(id): Path<String>, Form(fields): Form<Vec<(String, String)>>) -> Result<Response, HttpError> {
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let all = |name: &str| fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect::<Vec<_>>();
    auth.check_csrf(&field("_csrf"))?;
    let temperature = match field("temperature").trim() {
        "" => None,
        raw => Some(crate::domain::Temperature::parse(raw)?.celsius()),
    };
    let input = FollowupInput { id: None, temperature, symptoms: all("symptoms"), needs: all("needs"), reached: field("reached"), note: field("note") };
    let id = parse_id(&id)?;
    ops::follow_up(&app, &auth.caller(), id, &input).await?;
    Ok(Redirect::to(&format!("/isolations/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct EndForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    days: String,
}

pub async fn end(State(app): State<App>, auth: Auth, Path(id): Path<String>, Form(form): Form<EndForm>) -> Result<Response, HttpError> {
    auth.check_csrf(&form.csrf)?;
    let days = match form.days.trim() {
        "" => None,
        raw => Some(raw.parse().map_err(|_| {
            crate::domain::DomainError::invalid("days", crate::domain::error::Reason::Between(1, i64::from(crate::domain::isolation::MAX_ISOLATION_DAYS)))
        })?),
    };
    let id = parse_id(&id)?;
    ops::end_or_extend(&app, &auth.caller(), id, &EndInput { reason: form.reason, days }).await?;
    Ok(Redirect::to(&format!("/isolations/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "notice.html")]
struct NoticePage {
    o: Isolation,
    kind_zh: &'static str,
}

/// The household's notice (公示), printed and put on the door: no ID number, no phone.
pub async fn notice(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Html<String>, HttpError> {
    let o = ops::show(&app, &auth.caller(), parse_id(&id)?, "notice").await?;
    let kind_zh = if o.kind == IsolationKind::Home { "居家隔离" } else { "集中医学观察" };
    render(&NoticePage { o, kind_zh })
}

/// The kinds and reasons a household's page offers when ordering isolation.
pub fn order_choices() -> (&'static [IsolationKind], &'static [IsolationReason]) {
    (IsolationKind::ALL, IsolationReason::ALL)
}
