//! People who passed checkpoints: trajectories, contacts, and the task inbox.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Counted;
use super::Done;
use crate::app::App;
use crate::app::files::csv_cell;
use crate::app::people::{self as ops, Contact, Contacts, Found, SearchPages, Trajectory};
use crate::app::tasks::{self, Task};
use crate::http::HttpError;
use crate::http::auth::{Auth, May, gate};
use crate::http::common::parse_id;

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(trajectory))
        .routes(routes!(contacts))
        .routes(routes!(screen_contacts))
        .routes(routes!(inbox))
        .routes(routes!(search))
        .routes(routes!(acknowledge))
        .routes(routes!(finish_screening))
}

/// A person's passages and registrations, in time order.
///
/// Over the checkpoints in the caller's subtree; the person's ID number and phone are shown
/// in full, and the reading is audited.
#[utoipa::path(get, operation_id = "person_trajectory", path = "/api/v1/people/{id}/trajectory", tag = "people", params(super::IdParam),
    responses((status = 200, body = Trajectory), super::Errors))]
async fn trajectory(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Trajectory>, HttpError> {
    Ok(Json(ops::trajectory(&app, &auth.caller(), parse_id(&id)?).await?))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ContactQuery {
    /// 30 by default, at most 1440.
    window_minutes: Option<u32>,
    /// `csv` for a sheet.
    format: Option<String>,
}

/// Candidate contacts of a case.
///
/// Same household, same vehicle (plate) or same checkpoint within ± `window_minutes`; the
/// reading is audited. `format=csv` answers a sheet Excel opens.
#[utoipa::path(get, operation_id = "person_contacts", path = "/api/v1/people/{id}/contacts", tag = "people", params(super::IdParam, ContactQuery),
    responses((status = 200, description = "The contacts (a sheet with `format=csv`)", content((Contacts = "application/json"), (String = "text/csv"))), super::Errors))]
async fn contacts(State(app): State<App>, auth: Auth, Path(id): Path<String>, Query(query): Query<ContactQuery>) -> Result<Response, HttpError> {
    let found = ops::contacts(&app, &auth.caller(), parse_id(&id)?, query.window_minutes).await?;
    if query.format.as_deref() == Some("csv") {
        let disposition = format!("attachment; filename=\"contacts-{id}.csv\"");
        return Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)], contacts_csv(&found.items))
            .into_response());
    }
    Ok(Json(found).into_response())
}

/// The contact list as a sheet Excel opens (with a BOM, so it reads the Chinese right).
fn contacts_csv(items: &[Contact]) -> String {
    let mut out = String::from("\u{feff}姓名 name,身份证号 id_number,电话 phone,原因 reasons,时间 at,卡点 checkpoint,车牌 plate\n");
    for c in items {
        let reasons: Vec<&str> = c.reasons.iter().map(|r| r.as_str()).collect();
        let at = c.at.map(|a| a.with_timezone(&crate::domain::time::REGION_TZ).format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
        let cells = [
            c.name.as_str(),
            c.id_number.as_deref().unwrap_or(""),
            c.phone.as_deref().unwrap_or(""),
            &reasons.join("+"),
            &at,
            c.checkpoint_name.as_deref().unwrap_or(""),
            c.plate.as_deref().unwrap_or(""),
        ];
        let line: Vec<String> = cells.iter().map(|cell| csv_cell(cell)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct WindowQuery {
    /// 30 by default, at most 1440.
    window_minutes: Option<u32>,
}

#[derive(Serialize, ToSchema)]
struct Screened {
    /// How many screening tasks were made.
    created: usize,
}

/// Turn the case's contacts into screening tasks where each belongs.
#[utoipa::path(post, operation_id = "screen_contacts", path = "/api/v1/people/{id}/contacts/screening", tag = "people", params(super::IdParam, WindowQuery),
    responses((status = 200, body = Screened), super::Errors))]
async fn screen_contacts(
    State(app): State<App>,
    May(auth, _): May<gate::TraceContacts>,
    Path(id): Path<String>,
    Query(query): Query<WindowQuery>,
) -> Result<Json<Screened>, HttpError> {
    let created = ops::screen_contacts(&app, &auth.caller(), parse_id(&id)?, query.window_minutes).await?;
    Ok(Json(Screened { created }))
}

/// A task with the page that clears it.
#[derive(Serialize, utoipa::ToSchema)]
struct InboxItem {
    #[serde(flatten)]
    task: Task,
    link: String,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct SearchQuery {
    /// A name's beginning, a full ID number or a phone number (a search by a full ID number or
    /// phone is audited).
    q: String,
    /// How many of each kind (50 by default, at most 200).
    limit: Option<u32>,
    /// Skip this many residents (0 by default): `residents_total` says how many there are.
    residents_offset: Option<u32>,
    /// Skip this many people seen (0 by default): `people_total` says how many there are.
    people_offset: Option<u32>,
}

/// Find people by name prefix, ID number or phone, masked.
///
/// Residents of the caller's area (roles that read the roster) and people seen at its
/// checkpoints who are no residents of it (roles that read trajectories), a page of each.
#[utoipa::path(get, operation_id = "search_people", path = "/api/v1/search", tag = "people", params(SearchQuery),
    responses((status = 200, body = Found), super::Errors))]
async fn search(State(app): State<App>, auth: Auth, Query(query): Query<SearchQuery>) -> Result<Json<Found>, HttpError> {
    let pages =
        SearchPages { residents_from: query.residents_offset.unwrap_or(0), people_from: query.people_offset.unwrap_or(0), limit: query.limit.unwrap_or(50) };
    Ok(Json(ops::search(&app, &auth.caller(), &query.q, pages).await?))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct InboxQuery {
    /// How many (100 by default, at most 1000).
    limit: Option<u32>,
    /// Skip this many (0 by default): `total` says how many there are in all.
    offset: Option<u32>,
}

/// The caller's inbox, oldest first.
///
/// Unacknowledged alerts and contacts to screen, follow-ups due or overdue for the orders
/// the caller is paired with, returnees from key areas awaiting a decision, households
/// not yet visited in open rounds, and days to confirm.
#[utoipa::path(get, operation_id = "tasks", path = "/api/v1/tasks", tag = "tasks", params(InboxQuery),
    responses((status = 200, body = Counted<InboxItem>), super::Errors))]
async fn inbox(State(app): State<App>, auth: Auth, Query(query): Query<InboxQuery>) -> Result<Json<Counted<InboxItem>>, HttpError> {
    let inbox = tasks::inbox(&app, &auth.caller(), query.offset.unwrap_or(0), query.limit.unwrap_or(100)).await?;
    let items = inbox.tasks.into_iter().map(|task| InboxItem { link: crate::http::common::href(&task.target), task }).collect();
    Ok(Json(Counted { items, total: inbox.total }))
}

/// Acknowledge an alert sent to the caller.
#[utoipa::path(post, operation_id = "acknowledge_alert", path = "/api/v1/alerts/{id}/ack", tag = "tasks", params(super::IdParam),
    responses((status = 200, body = Done), super::Errors))]
async fn acknowledge(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Done>, HttpError> {
    tasks::acknowledge(&app, &auth.caller(), parse_id(&id)?).await?;
    Ok(Json(Done { ok: true }))
}

/// Mark a contact screened.
#[utoipa::path(post, operation_id = "finish_screening_task", path = "/api/v1/screening-tasks/{id}/done", tag = "tasks", params(super::IdParam),
    responses((status = 200, body = Done), super::Errors))]
async fn finish_screening(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Done>, HttpError> {
    tasks::finish_screening(&app, &auth.caller(), parse_id(&id)?).await?;
    Ok(Json(Done { ok: true }))
}
