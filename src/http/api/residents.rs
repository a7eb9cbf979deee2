use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use super::households::parse_id;
use crate::app::{App, AppError};
use crate::domain::error::{label, optional_label, optional_text, person_name};
use crate::domain::{IdNumber, Phone, Residence};
use crate::http::HttpError;
use crate::http::auth::Auth;
use crate::store::{NewResident, ResidentPatch};
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;

#[derive(Deserialize, Serialize)]
pub struct NewResidentBody {
    id: Option<Uuid>,
    name: String,
    id_number: String,
    #[serde(default)]
    relation: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    residence: String,
}

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .route("/api/v1/households/{id}/residents", post(create))
        .route("/api/v1/residents", get(search))
        .route("/api/v1/residents/{id}", get(show).patch(update))
}

pub async fn create(State(app): State<App>, auth: Auth, Path(household): Path<String>, Json(body): Json<NewResidentBody>) -> Result<Response, HttpError> {
    let caller = auth.caller();
    caller.require(caller.role.writes_roster(), "add residents")?;
    let household = parse_id(&household)?;
    let resident = NewResident {
        id: body.id.unwrap_or_else(Uuid::now_v7),
        fingerprint: crate::app::fingerprint(body.id, &(household, &body)),
        name: person_name("name", &body.name)?,
        id_number: IdNumber::parse(&body.id_number)?,
        relation: optional_label("relation", &body.relation, 20)?.unwrap_or_default(),
        phone: optional_text("phone", &body.phone, 20)?.map(|p| Phone::parse(&p)).transpose()?,
        residence: Residence::parse(&body.residence)?,
    };
    let id = app.store.add_resident(&caller, household, &resident).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))).into_response())
}

#[derive(Deserialize)]
pub struct PatchBody {
    name: Option<String>,
    relation: Option<String>,
    phone: Option<String>,
    residence: Option<String>,
}

pub async fn update(State(app): State<App>, auth: Auth, Path(id): Path<String>, Json(body): Json<PatchBody>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    caller.require(caller.role.writes_roster(), "change residents")?;
    let patch = ResidentPatch {
        name: body.name.as_deref().map(|n| person_name("name", n)).transpose()?,
        relation: body.relation.as_deref().map(|r| label("relation", r, 20)).transpose()?,
        phone: body.phone.as_deref().map(Phone::parse).transpose()?,
        residence: body.residence.as_deref().map(Residence::parse).transpose()?,
    };
    app.store.update_resident(&caller, parse_id(&id)?, &patch).await?;
    Ok(Json(json!({"ok": true})))
}

pub async fn show(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    caller.require(caller.role.reads_roster(), "read the roster")?;
    let resident = app.store.resident(&caller, parse_id(&id)?).await?.ok_or(AppError::NotFound)?;
    Ok(Json(json!(resident)))
}

#[derive(Deserialize)]
pub struct SearchQuery {
    q: String,
    limit: Option<u32>,
}

pub async fn search(State(app): State<App>, auth: Auth, Query(query): Query<SearchQuery>) -> Result<Json<Value>, HttpError> {
    let items = crate::app::residents::search(&app, &auth.caller(), &query.q, query.limit.unwrap_or(50)).await?;
    Ok(Json(json!({"items": items})))
}
