//! Isolation pages: ordering it from a household's page, the order's page (follow-ups, ending
//! or extending it) and the household's printable notice (公示).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use uuid::Uuid;

use super::{Chrome, Fields, Refused, problems, render};
use crate::app::App;
use crate::app::isolation::{self as ops, EndInput, FollowupInput, Isolation, IsolationInput};
use crate::app::tasks::{FollowupState, followup_state};
use crate::domain::Permission;
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
    /// A refused form (a follow-up, the end) with what was typed.
    refused: Refused,
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

pub async fn show(State(app): State<App>, RequestLang(lang): RequestLang, auth: Auth, Path(id): Path<String>) -> Result<Response, HttpError> {
    page(&app, lang, &auth, parse_id(&id)?, Refused::default()).await
}

/// The order's page; a refused form shows its problems and what was typed in it (422).
async fn page(app: &App, lang: crate::domain::Lang, auth: &Auth, id: Uuid, refused: Refused) -> Result<Response, HttpError> {
    let caller = auth.caller();
    let o = ops::show(app, &caller, id, "page").await?;
    let state = match followup_state(app, &o, caller.now) {
        _ if o.ended_at.is_some() => "ended",
        FollowupState::Due(_) => "followup_due",
        FollowupState::Overdue(_) => "followup_overdue",
        FollowupState::ReleaseDue => "release_due",
        FollowupState::Done => "done",
    };
    let crumbs = super::crumbs(app, auth, &o.unit_path).await?;
    let open = o.ended_at.is_none();
    let status = refused.status();
    let page = render(&IsolationPage {
        c: Chrome::load(app, lang, auth).await?,
        o,
        crumbs,
        state,
        can_follow_up: open && caller.role.may(Permission::Screen),
        can_end: open && caller.role.may(Permission::WriteRoster),
        refused,
    })?;
    Ok((status, page).into_response())
}

pub async fn order(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let f = Fields(fields);
    auth.check_csrf(&f.get("_csrf"))?;
    // As typed: `app` parses every field and says each problem (no resident chosen is one).
    let input = IsolationInput {
        id: None,
        resident_id: Uuid::parse_str(f.get("resident_id").trim()).ok(),
        kind: f.get("kind"),
        place: f.get("place"),
        start: f.get("start"),
        days: Some(f.get("days").into()),
        cadre_login: f.get("cadre_login"),
        reason: f.get("reason"),
        note: f.get("note"),
    };
    match ops::order(&app, &auth.caller(), &input).await {
        Ok(order) => Ok(Redirect::to(&format!("/isolations/{}", order.id)).into_response()),
        // The household's page (the form says which) shows the form again; a form that does
        // not say is answered by the error page.
        Err(err) => match Uuid::parse_str(f.get("household").trim()) {
            Ok(household) => super::households::page(&app, lang, &auth, household, Refused::new("isolation", problems(err, lang)?, f)).await,
            Err(_) => Err(err.into()),
        },
    }
}

pub async fn follow_up(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let f = Fields(fields);
    auth.check_csrf(&f.get("_csrf"))?;
    let id = parse_id(&id)?;
    // As typed: `app` parses the temperature with the other fields.
    let input = FollowupInput {
        id: None,
        temperature: Some(f.get("temperature").into()),
        symptoms: f.all("symptoms"),
        needs: f.all("needs"),
        reached: f.get("reached"),
        note: f.get("note"),
    };
    match ops::follow_up(&app, &auth.caller(), id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/isolations/{id}#followups")).into_response()),
        Err(err) => page(&app, lang, &auth, id, Refused::new("followup", problems(err, lang)?, f)).await,
    }
}

pub async fn end(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let f = Fields(fields);
    auth.check_csrf(&f.get("_csrf"))?;
    let id = parse_id(&id)?;
    // As typed: `app` parses the days with the reason and says both problems.
    match ops::end_or_extend(&app, &auth.caller(), id, &EndInput { reason: f.get("reason"), days: Some(f.get("days").into()) }).await {
        Ok(_) => Ok(Redirect::to(&format!("/isolations/{id}")).into_response()),
        Err(err) => page(&app, lang, &auth, id, Refused::new("end", problems(err, lang)?, f)).await,
    }
}

#[derive(Template)]
#[template(path = "notice.html")]
struct NoticePage {
    o: Isolation,
    kind_zh: &'static str,
    issued_by: super::units::IssuedBy,
}

/// The household's notice (公示), printed and put on the door: no ID number, no phone.
pub async fn notice(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Html<String>, HttpError> {
    let caller = auth.caller();
    let o = ops::show(&app, &caller, parse_id(&id)?, "notice").await?;
    let kind_zh = if o.kind == IsolationKind::Home { "居家隔离" } else { "集中医学观察" };
    let issued_by = super::units::issued_by(&app, &o.unit_path, &o.unit_code, caller.now).await?;
    render(&NoticePage { o, kind_zh, issued_by })
}

/// The kinds and reasons a household's page offers when ordering isolation.
pub fn order_choices() -> (&'static [IsolationKind], &'static [IsolationReason]) {
    (IsolationKind::ALL, IsolationReason::ALL)
}
