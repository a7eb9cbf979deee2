//! Organisation pages (三个制度): registering one on a unit's page, and its own page — who it
//! reports for, who has reported today, adding staff, handing out each one's link.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Chrome, render};
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
}

async fn page(app: &App, lang: crate::domain::Lang, auth: &Auth, id: &str, link: Option<(uuid::Uuid, String)>) -> Result<Html<String>, HttpError> {
    let caller = auth.caller();
    let id = parse_id(id)?;
    let day = ops::org_day(app, &caller, id, None).await?;
    render(&OrganisationPage { c: Chrome::load(app, lang, auth).await?, id, day, link, can_write: caller.role.screens() })
}

pub async fn show(State(app): State<App>, RequestLang(lang): RequestLang, auth: Auth, Path(id): Path<String>) -> Result<Html<String>, HttpError> {
    page(&app, lang, &auth, &id, None).await
}

#[derive(Deserialize)]
pub struct NewOrganisationForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
}

pub async fn create(State(app): State<App>, auth: Auth, Path(code): Path<String>, Form(form): Form<NewOrganisationForm>) -> Result<Response, HttpError> {
    auth.check_csrf(&form.csrf)?;
    let org = ops::create_organisation(&app, &auth.caller(), &OrganisationInput { id: None, unit_code: code, name: form.name, kind: form.kind }).await?;
    Ok(Redirect::to(&format!("/organisations/{}", org.id)).into_response())
}

#[derive(Deserialize)]
pub struct StaffForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
}

pub async fn add_staff(State(app): State<App>, auth: Auth, Path(id): Path<String>, Form(form): Form<StaffForm>) -> Result<Response, HttpError> {
    auth.check_csrf(&form.csrf)?;
    let org = parse_id(&id)?;
    ops::add_members(&app, &auth.caller(), org, &[MemberInput { name: form.name, phone: form.phone, ..Default::default() }]).await?;
    Ok(Redirect::to(&format!("/organisations/{org}")).into_response())
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
) -> Result<Html<String>, HttpError> {
    auth.check_csrf(&form.csrf)?;
    let member = parse_id(&form.member)?;
    let token = ops::staff_link(&app, &auth.caller(), parse_id(&id)?, member).await?;
    let address = crate::http::common::public_link(&app, &headers, &format!("/o/{token}"));
    page(&app, lang, &auth, &id, Some((member, address))).await
}
