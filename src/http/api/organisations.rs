//! Organisations (三个制度): registering one, its staff and relatives, its daily report.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::app::checkins::{self as ops, MemberInput, OrgCheckinInput, OrganisationInput};
use crate::app::{App, AppError};
use crate::http::HttpError;
use crate::http::api::households::parse_id;
use crate::http::api::screening::unit_code;
use crate::http::auth::Auth;

pub async fn create(State(app): State<App>, auth: Auth, Json(body): Json<OrganisationInput>) -> Result<Response, HttpError> {
    let org = ops::create_organisation(&app, &auth.caller(), &body).await?;
    Ok((StatusCode::CREATED, Json(json!(org))).into_response())
}

pub async fn of_unit(State(app): State<App>, auth: Auth, Path(code): Path<String>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    caller.require(caller.role.reads_roster(), "read the roster")?;
    let items = app.store.organisations(&caller.scope, &unit_code(&code)?).await?.ok_or(AppError::NotFound)?;
    Ok(Json(json!({"items": items})))
}

pub async fn add_members(State(app): State<App>, auth: Auth, Path(id): Path<String>, Json(body): Json<Vec<MemberInput>>) -> Result<Response, HttpError> {
    let added = ops::add_members(&app, &auth.caller(), parse_id(&id)?, &body).await?;
    Ok((StatusCode::CREATED, Json(json!({"added": added}))).into_response())
}

pub async fn staff_link(
    State(app): State<App>,
    auth: Auth,
    headers: axum::http::HeaderMap,
    Path((id, member)): Path<(String, String)>,
) -> Result<Json<Value>, HttpError> {
    let token = ops::staff_link(&app, &auth.caller(), parse_id(&id)?, parse_id(&member)?).await?;
    let url = crate::http::pages::public_link(&app, &headers, &format!("/o/{token}"));
    Ok(Json(json!({"token": token, "url": url})))
}

#[derive(Deserialize)]
pub struct DayQuery {
    date: Option<String>,
}

pub async fn check_in(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
    Query(query): Query<DayQuery>,
    Json(body): Json<Vec<OrgCheckinInput>>,
) -> Result<Response, HttpError> {
    let count = ops::org_check_in(&app, &auth.caller(), parse_id(&id)?, query.date.as_deref(), &body).await?;
    Ok((StatusCode::CREATED, Json(json!({"reported": count}))).into_response())
}

pub async fn day(State(app): State<App>, auth: Auth, Path(id): Path<String>, Query(query): Query<DayQuery>) -> Result<Json<Value>, HttpError> {
    let report = ops::org_day(&app, &auth.caller(), parse_id(&id)?, query.date.as_deref()).await?;
    Ok(Json(json!(report)))
}
