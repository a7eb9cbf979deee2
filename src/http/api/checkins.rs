//! Daily check-ins: one or many, a unit's figures for a day, a household's link.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::app::checkins::{self as ops, OneOrMany};
use crate::app::{App, AppError};
use crate::domain::checkin::Via;
use crate::http::HttpError;
use crate::http::auth::{Auth, SessionToken};
use crate::http::body::batch;
use crate::http::common::parse_id;
use crate::http::common::unit_code;
use crate::store::Principal;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .route("/api/v1/checkins", post(check_in).layer(batch()))
        .route("/api/v1/units/{code}/checkins", get(summary))
        .route("/api/v1/households/{id}/checkin-link", post(household_link))
}

/// The session is checked by the store as it writes, with the other requests' of its group,
/// so a check-in costs no read of its own (see `store::Principal`).
pub async fn check_in(State(app): State<App>, SessionToken(token): SessionToken, Json(body): Json<OneOrMany>) -> Result<Response, HttpError> {
    let (inputs, via) = match body {
        OneOrMany::One(one) => (vec![one], Via::Api),
        OneOrMany::Many(many) => (many, Via::Batch),
    };
    let who = Principal::Session { token, now: app.clock.now() };
    let items = ops::check_in(&app, &who, &inputs, via).await?;
    Ok((StatusCode::CREATED, Json(Items { items })).into_response())
}

#[derive(serde::Serialize)]
struct Items {
    items: Vec<crate::store::CheckedIn>,
}

#[derive(Deserialize)]
pub struct DayQuery {
    date: Option<String>,
    limit: Option<u32>,
}

pub async fn summary(State(app): State<App>, auth: Auth, Path(code): Path<String>, Query(query): Query<DayQuery>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    caller.require(caller.role.reads_roster(), "read the roster")?;
    let day = ops::day(&app, query.date.as_deref())?;
    let summary = app.store.checkin_summary(&caller.scope, &unit_code(&code)?, day, query.limit.unwrap_or(500)).await?.ok_or(AppError::NotFound)?;
    Ok(Json(json!(summary)))
}

pub async fn household_link(State(app): State<App>, auth: Auth, headers: HeaderMap, Path(id): Path<String>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    caller.require(caller.role.screens(), "hand out check-in links")?;
    let token = app.store.checkin_token(&caller, parse_id(&id)?, &crate::app::accounts::random_token()?[..24]).await?;
    let url = crate::http::common::public_link(&app, &headers, &format!("/c/{token}"));
    Ok(Json(json!({"token": token, "url": url})))
}
