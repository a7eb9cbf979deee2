//! Isolation orders, follow-ups and escalations.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::app::App;
use crate::app::isolation::{self as ops, EndInput, FollowupInput, IsolationInput};
use crate::app::tasks::{FollowupState, followup_state};
use crate::http::HttpError;
use crate::http::auth::Auth;
use crate::http::common::parse_id;
use crate::http::common::unit_code;
use crate::store::Isolation;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .route("/api/v1/isolations", post(order))
        .route("/api/v1/isolations/{id}", get(show))
        .route("/api/v1/isolations/{id}/followups", post(follow_up))
        .route("/api/v1/isolations/{id}/end", post(end))
        .route("/api/v1/units/{code}/isolations", get(of_unit))
        .route("/api/v1/escalations", get(escalations))
}

/// An order with where it stands: `followup` is due, overdue, release_due or done.
pub fn isolation_json(app: &App, order: &Isolation, now: chrono::DateTime<chrono::Utc>) -> Value {
    let mut body = json!(order);
    let (state, due) = match followup_state(app, order, now) {
        _ if order.ended_at.is_some() => ("ended", None),
        FollowupState::Due(slot) => ("due", Some(slot.closes)),
        FollowupState::Overdue(slot) => ("overdue", Some(slot.closes)),
        FollowupState::ReleaseDue => ("release_due", Some(order.planned_end)),
        FollowupState::Done => ("done", None),
    };
    body["followup"] = json!({"state": state, "due": due});
    body
}

pub async fn order(State(app): State<App>, auth: Auth, Json(body): Json<IsolationInput>) -> Result<Response, HttpError> {
    let caller = auth.caller();
    let order = ops::order(&app, &caller, &body).await?;
    Ok((StatusCode::CREATED, Json(isolation_json(&app, &order, caller.now))).into_response())
}

pub async fn show(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    let order = ops::show(&app, &caller, parse_id(&id)?, "api").await?;
    Ok(Json(isolation_json(&app, &order, caller.now)))
}

#[derive(Deserialize)]
pub struct ListQuery {
    active: Option<bool>,
}

pub async fn of_unit(State(app): State<App>, auth: Auth, Path(code): Path<String>, Query(query): Query<ListQuery>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    let items = ops::of_unit(&app, &caller, &unit_code(&code)?, query.active.unwrap_or(true)).await?;
    let items: Vec<Value> = items.iter().map(|o| isolation_json(&app, o, caller.now)).collect();
    Ok(Json(json!({"items": items})))
}

pub async fn follow_up(State(app): State<App>, auth: Auth, Path(id): Path<String>, Json(body): Json<FollowupInput>) -> Result<Response, HttpError> {
    let followup = ops::follow_up(&app, &auth.caller(), parse_id(&id)?, &body).await?;
    Ok((StatusCode::CREATED, Json(json!(followup))).into_response())
}

pub async fn end(State(app): State<App>, auth: Auth, Path(id): Path<String>, Json(body): Json<EndInput>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    let order = ops::end_or_extend(&app, &caller, parse_id(&id)?, &body).await?;
    Ok(Json(isolation_json(&app, &order, caller.now)))
}

pub async fn escalations(State(app): State<App>, auth: Auth) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    caller.require(caller.role.reads_roster(), "read the roster")?;
    let items = app.store.escalations(&caller.scope, 200).await?;
    let rules = app.store.escalation_rules().await?;
    Ok(Json(json!({"rules": rules, "items": items})))
}
