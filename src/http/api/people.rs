//! People who passed checkpoints: trajectories, contacts, and the task inbox.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::app::{App, AppError};
use crate::domain::contacts;
use crate::http::HttpError;
use crate::http::auth::Auth;
use crate::http::common::parse_id;
use crate::store::Contact;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .route("/api/v1/people/{id}/trajectory", get(trajectory))
        .route("/api/v1/people/{id}/contacts", get(contacts))
        .route("/api/v1/people/{id}/contacts/screening", post(screen_contacts))
        .route("/api/v1/tasks", get(tasks))
        .route("/api/v1/alerts/{id}/ack", post(acknowledge))
        .route("/api/v1/screening-tasks/{id}/done", post(finish_screening))
}

pub async fn trajectory(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    caller.require(caller.role.reads_trajectories(), "read trajectories")?;
    let trajectory = app.store.trajectory(&caller, parse_id(&id)?).await?.ok_or(AppError::NotFound)?;
    Ok(Json(json!(trajectory)))
}

#[derive(Deserialize)]
pub struct ContactQuery {
    window_minutes: Option<u32>,
    format: Option<String>,
}

pub async fn contacts(State(app): State<App>, auth: Auth, Path(id): Path<String>, Query(query): Query<ContactQuery>) -> Result<Response, HttpError> {
    let caller = auth.caller();
    caller.require(caller.role.traces_contacts(), "trace contacts")?;
    let window = contacts::window(query.window_minutes)?;
    let items = app.store.contacts(&caller, parse_id(&id)?, window).await?.ok_or(AppError::NotFound)?;
    if query.format.as_deref() == Some("csv") {
        let disposition = format!("attachment; filename=\"contacts-{id}.csv\"");
        return Ok(
            ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)], contacts_csv(&items)).into_response()
        );
    }
    Ok(Json(json!({"window_minutes": window.num_minutes(), "items": items})).into_response())
}

/// The contact list as a sheet Excel opens (with a BOM, so it reads the Chinese right).
pub fn contacts_csv(items: &[Contact]) -> String {
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

/// Quotes a cell, and defuses a leading `=`, `+`, `-` or `@` that a spreadsheet would run.
fn csv_cell(cell: &str) -> String {
    let cell = if cell.starts_with(['=', '+', '-', '@']) { format!("'{cell}") } else { cell.to_string() };
    format!("\"{}\"", cell.replace('"', "\"\""))
}

pub async fn screen_contacts(State(app): State<App>, auth: Auth, Path(id): Path<String>, Query(query): Query<ContactQuery>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    caller.require(caller.role.traces_contacts(), "trace contacts")?;
    let window = contacts::window(query.window_minutes)?;
    let created = app.store.screen_contacts(&caller, parse_id(&id)?, window).await?;
    Ok(Json(json!({"created": created})))
}

pub async fn tasks(State(app): State<App>, auth: Auth) -> Result<Json<Value>, HttpError> {
    let items = crate::app::tasks::inbox(&app, &auth.caller()).await?;
    Ok(Json(json!({"items": items})))
}

pub async fn acknowledge(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Value>, HttpError> {
    app.store.acknowledge(&auth.caller(), parse_id(&id)?).await?;
    Ok(Json(json!({"ok": true})))
}

pub async fn finish_screening(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    caller.require(caller.role.screens(), "screen people")?;
    app.store.finish_screening_task(&caller, parse_id(&id)?).await?;
    Ok(Json(json!({"ok": true})))
}
