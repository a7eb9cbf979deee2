use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Chrome, Fields, Refused, problems, render};
use crate::app::App;
use crate::app::checkins;
use crate::app::households::{self as ops, HouseholdListItem, HouseholdRecord, ResidentLinks};
use crate::app::people::{self, Found};
use crate::domain::Permission;
use crate::http::HttpError;
use crate::http::auth::{Auth, RequestLang};
use crate::http::common::{parse_id, poster_svg, public_link, unreachable_public_link};
use axum::Router;
use axum::http::HeaderMap;
use axum::routing::{get, post};

/// This capability's pages, gathered by `pages::routes`.
pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/households/{id}", get(show))
        .route("/households/{id}/member", post(assign_member))
        .route("/households/{id}/address", post(set_address))
        .route("/households/{id}/checkin-link", post(checkin_link))
        .route("/members/{login}", get(member))
        .route("/search", get(search))
}

#[derive(Template)]
#[template(path = "household.html")]
struct HouseholdPage {
    c: Chrome,
    h: HouseholdRecord,
    crumbs: Vec<(String, String, bool)>,
    can_write: bool,
    /// A refused form (the member, an isolation order) with what was typed.
    refused: Refused,
    /// May hand out the household's check-in link, and follow a resident to their time line.
    can_link: bool,
    can_trace: bool,
    /// The check-in link just made (or handed out again), its QR code, and whether its
    /// address is one the public cannot reach.
    link: Option<(String, String, bool)>,
    /// The accounts the page names (its member, who changed its colour), by name.
    names: super::accounts::Names,
}

impl HouseholdPage {
    fn links(&self, resident: &uuid::Uuid) -> Option<&ResidentLinks> {
        self.h.links.iter().find(|l| l.resident_id == *resident)
    }

    fn kinds(&self) -> &'static [crate::domain::isolation::IsolationKind] {
        super::isolation::order_choices().0
    }

    fn reasons(&self) -> &'static [crate::domain::isolation::IsolationReason] {
        super::isolation::order_choices().1
    }
}

pub async fn show(State(app): State<App>, RequestLang(lang): RequestLang, auth: Auth, Path(id): Path<String>) -> Result<Response, HttpError> {
    page(&app, lang, &auth, parse_id(&id)?, Refused::default()).await
}

/// The household's page; a refused form shows its problems and what was typed in it (422).
pub(super) async fn page(app: &App, lang: crate::domain::Lang, auth: &Auth, id: uuid::Uuid, refused: Refused) -> Result<Response, HttpError> {
    household_page(app, lang, auth, id, refused, None).await
}

async fn household_page(
    app: &App,
    lang: crate::domain::Lang,
    auth: &Auth,
    id: uuid::Uuid,
    refused: Refused,
    link: Option<(String, String, bool)>,
) -> Result<Response, HttpError> {
    let caller = auth.caller();
    let h = ops::get(app, &caller, id).await?;
    let crumbs = super::crumbs(app, auth, &h.unit_path).await?;
    let logins = h.member_login.iter().chain(h.colour_history.iter().map(|c| &c.actor)).map(String::as_str);
    let names = super::accounts::Names::of(app, logins).await?;
    let status = refused.status();
    let page = render(&HouseholdPage {
        c: Chrome::load(app, lang, auth).await?,
        h,
        crumbs,
        can_write: caller.role.may(Permission::WriteRoster),
        refused,
        can_link: caller.role.may(Permission::Screen),
        can_trace: caller.role.may(Permission::ReadTrajectories),
        link,
        names,
    })?;
    Ok((status, page).into_response())
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    /// Present on the form that replaces a link handed out before.
    #[serde(default)]
    renew: Option<String>,
}

/// Makes the household's check-in link (`/c/{token}`), or hands out the one it has (audited,
/// as through the API), and shows it on the household's page with its QR code.
pub async fn checkin_link(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, HttpError> {
    auth.check_csrf(&form.csrf)?;
    let id = parse_id(&id)?;
    let token = checkins::household_link(&app, &auth.caller(), id, form.renew.is_some()).await?;
    let url = public_link(&app, &headers, &format!("/c/{token}"));
    let svg = poster_svg(&url)?;
    let unreachable = unreachable_public_link(&app, &headers);
    household_page(&app, lang, &auth, id, Refused::default(), Some((url, svg, unreachable))).await
}

/// The household's address, changed on its page.
pub async fn set_address(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let f = Fields(fields);
    auth.check_csrf(&f.get("_csrf"))?;
    let household = parse_id(&id)?;
    let change = ops::HouseholdChange { household_no: None, address: Some(f.get("address")) };
    match ops::update(&app, &auth.caller(), household, &change).await {
        Ok(()) => Ok(Redirect::to(&format!("/households/{household}")).into_response()),
        Err(err) => page(&app, lang, &auth, household, Refused::new("address", problems(err, lang)?, f)).await,
    }
}

pub async fn assign_member(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let f = Fields(fields);
    auth.check_csrf(&f.get("_csrf"))?;
    let typed = f.get("login");
    let login = Some(typed.trim()).filter(|login| !login.is_empty());
    let household = parse_id(&id)?;
    match ops::assign_member(&app, &auth.caller(), household, login).await {
        Ok(()) => Ok(Redirect::to(&format!("/households/{household}")).into_response()),
        Err(err) => page(&app, lang, &auth, household, Refused::new("member", problems(err, lang)?, f)).await,
    }
}

#[derive(Template)]
#[template(path = "member.html")]
struct MemberPage {
    c: Chrome,
    login: String,
    households: Vec<HouseholdListItem>,
}

impl MemberPage {
    /// Whether the page is the reader's own list ("my households").
    fn own(&self) -> bool {
        self.c.user.as_ref().is_some_and(|user| user.login == self.login)
    }
}

pub async fn member(State(app): State<App>, RequestLang(lang): RequestLang, auth: Auth, Path(login): Path<String>) -> Result<Html<String>, HttpError> {
    let households = ops::of_member(&app, &auth.caller(), &login).await?;
    render(&MemberPage {
        c: Chrome::load(&app, lang, &auth).await?,
        login: crate::domain::Login::parse(&login).map(|l| l.as_str().to_string()).unwrap_or(login),
        households,
    })
}

/// The search lists this many of each kind at once; the rest are a page away.
const SEARCH_PER_PAGE: u32 = 100;

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    c: Chrome,
    q: String,
    found: Found,
    residents_pager: super::Pager,
    people_pager: super::Pager,
}

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    /// The residents from this one on.
    from: Option<u32>,
    /// The people seen from this one on.
    people_from: Option<u32>,
}

pub async fn search(State(app): State<App>, RequestLang(lang): RequestLang, auth: Auth, Query(query): Query<SearchQuery>) -> Result<Html<String>, HttpError> {
    let (residents_from, people_from) = (query.from.unwrap_or(0), query.people_from.unwrap_or(0));
    let pages = people::SearchPages { residents_from, people_from, limit: SEARCH_PER_PAGE };
    let found = people::search(&app, &auth.caller(), &query.q, pages).await?;
    let q = super::pager::query_value(&query.q);
    let residents_pager = super::Pager::new(
        "residents",
        format!("/search?q={q}&people_from={people_from}"),
        residents_from,
        SEARCH_PER_PAGE,
        found.residents.len(),
        found.residents_total,
    );
    let people_pager =
        super::Pager::new("people", format!("/search?q={q}&from={residents_from}"), people_from, SEARCH_PER_PAGE, found.people.len(), found.people_total)
            .with_param("people_from");
    render(&SearchPage { c: Chrome::load(&app, lang, &auth).await?, q: query.q, found, residents_pager, people_pager })
}
