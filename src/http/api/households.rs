use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::app::{App, AppError};
use crate::domain::error::{label, optional_text, text};
use crate::domain::{Login, UnitCode};
use crate::http::HttpError;
use crate::http::auth::Auth;
use crate::store::{HouseholdPatch, NewHousehold};
use axum::routing::{get, post, put};
use utoipa_axum::router::OpenApiRouter;

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .route("/api/v1/households", post(create))
        .route("/api/v1/households/{id}", get(show).patch(update))
        .route("/api/v1/households/{id}/member", put(assign_member))
        .route("/api/v1/members/{login}/households", get(of_member))
}

pub fn parse_id(raw: &str) -> Result<Uuid, HttpError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound.into())
}

pub async fn show(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    caller.require(caller.role.reads_roster(), "read the roster")?;
    let household = app.store.household(&caller, parse_id(&id)?).await?.ok_or(AppError::NotFound)?;
    Ok(Json(json!(household)))
}

#[derive(Deserialize, Serialize)]
pub struct NewHouseholdBody {
    id: Option<Uuid>,
    unit_code: String,
    household_no: String,
    #[serde(default)]
    address: String,
}

pub async fn create(State(app): State<App>, auth: Auth, Json(body): Json<NewHouseholdBody>) -> Result<Response, HttpError> {
    let caller = auth.caller();
    caller.require(caller.role.writes_roster(), "create households")?;
    let household = NewHousehold {
        id: body.id.unwrap_or_else(Uuid::now_v7),
        fingerprint: crate::app::fingerprint(body.id, &body),
        unit_code: UnitCode::parse(&body.unit_code)?,
        household_no: label("household_no", &body.household_no, 32)?,
        address: optional_text("address", &body.address, 200)?,
    };
    let id = app.store.create_household(&caller, &household).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))).into_response())
}

#[derive(Deserialize)]
pub struct PatchBody {
    household_no: Option<String>,
    address: Option<String>,
}

pub async fn update(State(app): State<App>, auth: Auth, Path(id): Path<String>, Json(body): Json<PatchBody>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    caller.require(caller.role.writes_roster(), "change households")?;
    let patch = HouseholdPatch {
        household_no: body.household_no.as_deref().map(|n| label("household_no", n, 32)).transpose()?,
        address: body.address.as_deref().map(|a| text("address", a, 200)).transpose()?,
    };
    app.store.update_household(&caller, parse_id(&id)?, &patch).await?;
    Ok(Json(json!({"ok": true})))
}

#[derive(Deserialize)]
pub struct MemberBody {
    login: Option<String>,
}

pub async fn assign_member(State(app): State<App>, auth: Auth, Path(id): Path<String>, Json(body): Json<MemberBody>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    caller.require(caller.role.writes_roster(), "assign households")?;
    let login = body.login.as_deref().map(Login::parse).transpose()?;
    app.store.assign_member(&caller, parse_id(&id)?, login.as_ref()).await?;
    Ok(Json(json!({"ok": true})))
}

pub async fn of_member(State(app): State<App>, auth: Auth, Path(login): Path<String>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    caller.require(caller.role.reads_roster(), "read the roster")?;
    let login = Login::parse(&login).map_err(|_| AppError::NotFound)?;
    let items = app.store.member_households(&caller.scope, &login).await?;
    Ok(Json(json!({"items": items})))
}
