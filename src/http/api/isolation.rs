//! Isolation orders, follow-ups and escalations.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::Counted;
use crate::app::App;
use crate::app::isolation::{self as ops, EndInput, Escalation, Followup, FollowupInput, Isolation, IsolationInput, Rule, Standing};
use crate::domain::Caller;
use crate::http::HttpError;
use crate::http::auth::{Auth, May, gate};
use crate::http::common::parse_id;

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(order))
        .routes(routes!(show))
        .routes(routes!(follow_up))
        .routes(routes!(end))
        .routes(routes!(of_unit))
        .routes(routes!(escalations))
}

/// An order with where it stands against its follow-up windows.
#[derive(Serialize, ToSchema)]
struct Order {
    #[serde(flatten)]
    order: Isolation,
    followup: Standing,
}

impl Order {
    fn new(app: &App, caller: &Caller, order: Isolation) -> Order {
        let followup = ops::standing(app, &order, caller.now);
        Order { order, followup }
    }
}

/// Order home isolation or centralised observation for a resident.
///
/// The household turns red; a paired cadre holds at most 3 households.
#[utoipa::path(post, operation_id = "order_isolation", path = "/api/v1/isolations", tag = "isolation", request_body = IsolationInput,
    responses((status = 201, body = Order), super::Errors, super::Conflict))]
async fn order(State(app): State<App>, May(auth, _): May<gate::WriteRoster>, Json(body): Json<IsolationInput>) -> Result<(StatusCode, Json<Order>), HttpError> {
    let caller = auth.caller();
    let order = ops::order(&app, &caller, &body).await?;
    Ok((StatusCode::CREATED, Json(Order::new(&app, &caller, order))))
}

/// An order with its follow-ups and where it stands against the twice-daily windows.
///
/// The reading is audited.
#[utoipa::path(get, operation_id = "isolation", path = "/api/v1/isolations/{id}", tag = "isolation", params(super::IdParam),
    responses((status = 200, body = Order), super::Errors))]
async fn show(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<Order>, HttpError> {
    let caller = auth.caller();
    let order = ops::show(&app, &caller, parse_id(&id)?, "api").await?;
    Ok(Json(Order::new(&app, &caller, order)))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    /// `false` for every order; active ones by default.
    active: Option<bool>,
    /// How many (200 by default, at most 1000).
    limit: Option<u32>,
    /// Skip this many (0 by default): `total` says how many there are in all.
    offset: Option<u32>,
}

/// Orders in a unit's subtree (active ones by default), newest first.
///
/// The reading is audited.
#[utoipa::path(get, operation_id = "unit_isolations", path = "/api/v1/units/{code}/isolations", tag = "isolation", params(super::UnitCodeParam, ListQuery),
    responses((status = 200, body = Counted<Order>), super::Errors))]
async fn of_unit(State(app): State<App>, auth: Auth, Path(code): Path<String>, Query(query): Query<ListQuery>) -> Result<Json<Counted<Order>>, HttpError> {
    let caller = auth.caller();
    let (orders, total) = ops::of_unit(&app, &caller, &code, query.active.unwrap_or(true), query.offset.unwrap_or(0), query.limit.unwrap_or(200)).await?;
    Ok(Json(Counted { items: orders.into_iter().map(|o| Order::new(&app, &caller, o)).collect(), total }))
}

/// Record a follow-up.
///
/// A fever, a symptom or not reached raises an alert.
#[utoipa::path(post, operation_id = "follow_up_isolation", path = "/api/v1/isolations/{id}/followups", tag = "isolation", params(super::IdParam),
    request_body = FollowupInput, responses((status = 201, body = Followup), super::Errors, super::Conflict))]
async fn follow_up(
    State(app): State<App>,
    May(auth, _): May<gate::Screen>,
    Path(id): Path<String>,
    Json(body): Json<FollowupInput>,
) -> Result<(StatusCode, Json<Followup>), HttpError> {
    Ok((StatusCode::CREATED, Json(ops::follow_up(&app, &auth.caller(), parse_id(&id)?, &body).await?)))
}

/// End the order, or set its length anew.
///
/// Without `days`, ends it now with a reason (on or after the planned day only after a final
/// follow-up that day); with `days`, sets its length from its start anew.
#[utoipa::path(post, operation_id = "end_isolation", path = "/api/v1/isolations/{id}/end", tag = "isolation", params(super::IdParam),
    request_body = EndInput, responses((status = 200, body = Order), super::Errors))]
async fn end(
    State(app): State<App>,
    May(auth, _): May<gate::WriteRoster>,
    Path(id): Path<String>,
    Json(body): Json<EndInput>,
) -> Result<Json<Order>, HttpError> {
    let caller = auth.caller();
    let order = ops::end_or_extend(&app, &caller, parse_id(&id)?, &body).await?;
    Ok(Json(Order::new(&app, &caller, order)))
}

#[derive(Serialize, ToSchema)]
struct Escalations {
    rules: Vec<Rule>,
    /// The steps taken, newest first.
    items: Vec<Escalation>,
}

/// The escalation rules and the steps taken in the caller's subtree.
#[utoipa::path(get, operation_id = "escalations", path = "/api/v1/escalations", tag = "isolation",
    responses((status = 200, body = Escalations), super::Errors))]
async fn escalations(State(app): State<App>, auth: Auth) -> Result<Json<Escalations>, HttpError> {
    let (rules, items) = ops::escalations(&app, &auth.caller()).await?;
    Ok(Json(Escalations { rules, items }))
}
