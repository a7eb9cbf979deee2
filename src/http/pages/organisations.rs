//! Organisation pages (三个制度): registering one on a unit's page, and its own page — who it
//! reports for, who has reported today, adding staff, handing out each one's link.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Chrome, Fields, Refused, problems, render};
use crate::app::App;
use crate::app::organisations::{self as ops, MemberInput, OrgDay, OrganisationInput};
use crate::http::HttpError;
use crate::http::auth::{Auth, RequestLang};
use crate::http::common::parse_id;
use axum::Router;
use axum::routing::{get, post};

/// This capability's pages, gathered by `pages::routes`.
pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/units/{code}/organisations", post(create))
        .route("/organisations/{id}", get(show))
        .route("/organisations/{id}/members", post(add_staff))
        .route("/organisations/{id}/links", post(staff_link))
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct OrganisationPage {
    c: Chrome,
    id: uuid::Uuid,
    day: OrgDay,
    /// A staff link just made: (member, address).
    link: Option<(uuid::Uuid, String)>,
    can_write: bool,
    /// The staff form when it was refused, with what was typed.
    refused: Refused,
}

async fn page(
    app: &App,
    lang: crate::domain::Lang,
    auth: &Auth,
    id: &str,
    link: Option<(uuid::Uuid, String)>,
    refused: Refused,
) -> Result<Response, HttpError> {
    let caller = auth.caller();
    let id = parse_id(id)?;
    let day = ops::org_day(app, &caller, id, None).await?;
    let status = refused.status();
    let page = render(&OrganisationPage { c: Chrome::load(app, lang, auth).await?, id, day, link, can_write: caller.role.screens(), refused })?;
    Ok((status, page).into_response())
}

pub async fn show(State(app): State<App>, RequestLang(lang): RequestLang, auth: Auth, Path(id): Path<String>) -> Result<Response, HttpError> {
    page(&app, lang, &auth, &id, None, Refused::default()).await
}

pub async fn create(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(code): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let f = Fields(fields);
    auth.check_csrf(&f.get("_csrf"))?;
    let input = OrganisationInput { id: None, unit_code: code.clone(), name: f.get("name"), kind: f.get("kind") };
    match ops::create_organisation(&app, &auth.caller(), &input).await {
        Ok(org) => Ok(Redirect::to(&format!("/organisations/{}", org.id)).into_response()),
        Err(err) => super::units::refuse(&app, lang, &auth, &code, "organisation", err, f).await,
    }
}

pub async fn add_staff(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let f = Fields(fields);
    auth.check_csrf(&f.get("_csrf"))?;
    let org = parse_id(&id)?;
    match ops::add_members(&app, &auth.caller(), org, &[MemberInput { name: f.get("name"), phone: f.get("phone"), ..Default::default() }]).await {
        Ok(_) => Ok(Redirect::to(&format!("/organisations/{org}")).into_response()),
        Err(err) => page(&app, lang, &auth, &id, None, Refused::new("staff", problems(err, lang)?, f)).await,
    }
}

#[derive(Deserialize)]
pub struct LinkForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    member: String,
}

pub async fn staff_link(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<LinkForm>,
) -> Result<Response, HttpError> {
    auth.check_csrf(&form.csrf)?;
    let member = parse_id(&form.member)?;
    let token = ops::staff_link(&app, &auth.caller(), parse_id(&id)?, member).await?;
    let address = crate::http::common::public_link(&app, &headers, &format!("/o/{token}"));
    page(&app, lang, &auth, &id, Some((member, address)), Refused::default()).await
}
