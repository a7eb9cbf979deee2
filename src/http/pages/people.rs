//! A person's page (their time line over the checkpoints and their candidate contacts) and
//! the task inbox.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Chrome, Fields, Refused, render};
use crate::app::people::{self as ops, Contact, Trajectory};
use crate::app::tasks::{self, Task};
use crate::app::{App, AppError};
use crate::domain::{Permission, contacts};
use crate::http::HttpError;
use crate::http::auth::{Auth, RequestLang};
use crate::http::common::parse_id;
use axum::Router;
use axum::routing::{get, post};

/// This capability's pages, gathered by `pages::routes`.
pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/people/{id}", get(show))
        .route("/people/{id}/screening", post(screen_contacts))
        .route("/tasks", get(tasks))
        .route("/alerts/{id}/ack", post(acknowledge))
        .route("/screening-tasks/{id}/done", post(finish_screening))
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    c: Chrome,
    t: Trajectory,
    contacts: Option<Vec<Contact>>,
    window: i64,
    screened: Option<usize>,
    /// The window's form when what was typed is no window, with what was typed.
    refused: Refused,
}

#[derive(Deserialize, Default)]
pub struct PersonQuery {
    /// As typed: a window that is no number, or too long, is said on the page.
    #[serde(default)]
    window_minutes: String,
    screened: Option<usize>,
}

pub async fn show(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(id): Path<String>,
    Query(query): Query<PersonQuery>,
) -> Result<Response, HttpError> {
    let caller = auth.caller();
    let id = parse_id(&id)?;
    let t = ops::trajectory(&app, &caller, id).await?;
    // A window that is no window is said beside its field, and the default one is shown.
    let typed = query.window_minutes.trim().to_string();
    let minutes = match typed.as_str() {
        "" => Ok(None),
        // Text that is no number is as far outside the range as a number can be.
        raw => {
            let minutes = raw.parse().unwrap_or(u32::MAX);
            contacts::window(Some(minutes)).map(|_| Some(minutes))
        }
    };
    let (minutes, refused) = match minutes {
        Ok(minutes) => (minutes, Refused::default()),
        Err(err) => (None, Refused::new("window", vec![err.message(lang)], Fields(vec![("window_minutes".into(), typed)]))),
    };
    let window = contacts::window(minutes)?;
    let contacts = match caller.role.may(Permission::TraceContacts) {
        true => match ops::contacts(&app, &caller, id, minutes).await {
            Ok(found) => Some(found.items),
            Err(AppError::NotFound) => None,
            Err(err) => return Err(err.into()),
        },
        false => None,
    };
    let status = refused.status();
    let page = render(&PersonPage { c: Chrome::load(&app, lang, &auth).await?, t, contacts, window: window.num_minutes(), screened: query.screened, refused })?;
    Ok((status, page).into_response())
}

#[derive(Deserialize)]
pub struct ScreenForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    window_minutes: Option<u32>,
}

pub async fn screen_contacts(State(app): State<App>, auth: Auth, Path(id): Path<String>, Form(form): Form<ScreenForm>) -> Result<Response, HttpError> {
    auth.check_csrf(&form.csrf)?;
    let id = parse_id(&id)?;
    let created = ops::screen_contacts(&app, &auth.caller(), id, form.window_minutes).await?;
    // The window is good: the screening took it.
    let window = contacts::window(form.window_minutes)?;
    Ok(Redirect::to(&format!("/people/{id}?window_minutes={}&screened={created}", window.num_minutes())).into_response())
}

#[derive(Template)]
#[template(path = "tasks.html")]
struct TasksPage {
    c: Chrome,
    /// Each task with the page that clears it.
    tasks: Vec<(Task, String)>,
    pager: super::Pager,
}

/// How many tasks the inbox page shows at once.
const TASKS_PER_PAGE: u32 = 100;

#[derive(Deserialize)]
pub struct TasksQuery {
    /// The list from this one on.
    from: Option<u32>,
}

pub async fn tasks(State(app): State<App>, RequestLang(lang): RequestLang, auth: Auth, Query(query): Query<TasksQuery>) -> Result<Html<String>, HttpError> {
    let from = query.from.unwrap_or(0);
    let inbox = tasks::inbox(&app, &auth.caller(), from, TASKS_PER_PAGE).await?;
    let mut c = Chrome::new(lang, Some(&auth));
    c.tasks = usize::try_from(inbox.total).unwrap_or(usize::MAX);
    let pager = super::Pager::new("tasks", "/tasks", from, TASKS_PER_PAGE, inbox.tasks.len(), inbox.total);
    let tasks = inbox
        .tasks
        .into_iter()
        .map(|task| {
            let link = crate::http::common::href(&task.target);
            (task, link)
        })
        .collect();
    render(&TasksPage { c, tasks, pager })
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

pub async fn acknowledge(State(app): State<App>, auth: Auth, Path(id): Path<String>, Form(form): Form<CsrfForm>) -> Result<Response, HttpError> {
    auth.check_csrf(&form.csrf)?;
    tasks::acknowledge(&app, &auth.caller(), parse_id(&id)?).await?;
    Ok(Redirect::to("/tasks").into_response())
}

pub async fn finish_screening(State(app): State<App>, auth: Auth, Path(id): Path<String>, Form(form): Form<CsrfForm>) -> Result<Response, HttpError> {
    auth.check_csrf(&form.csrf)?;
    tasks::finish_screening(&app, &auth.caller(), parse_id(&id)?).await?;
    Ok(Redirect::to("/tasks").into_response())
}
