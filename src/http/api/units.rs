use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::app::{App, AppError, divisions, roster, units};
use crate::domain::UnitCode;
use crate::http::HttpError;
use crate::http::auth::Auth;
use crate::http::body;
use crate::store::{Figures, Unit};
use axum::routing::{get, post, put};
use utoipa_axum::router::OpenApiRouter;

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .route("/api/v1/units", post(create))
        .route("/api/v1/units/import", post(import).layer(body::upload()))
        .route("/api/v1/units/{code}", get(show).patch(rename))
        .route("/api/v1/units/{code}/households", get(households))
        .route("/api/v1/units/{code}/roster", post(import_roster).layer(body::upload()))
        .route("/api/v1/units/{code}/staff", get(staff))
        .route("/api/v1/units/{code}/staff/{login}", put(set_staff).delete(remove_staff))
}

pub fn figures_json(f: &Figures) -> Value {
    json!({
        "units": f.units,
        "households": f.households,
        "residents": f.residents,
        "households_by_colour": {"red": f.red, "yellow": f.yellow, "blue": f.blue, "white": f.white},
    })
}

fn unit_json(unit: &Unit) -> Value {
    json!({"code": unit.code, "name": unit.name, "level": unit.level, "path": unit.path, "parent_code": unit.parent_code})
}

pub async fn show(State(app): State<App>, auth: Auth, Path(code): Path<String>) -> Result<Json<Value>, HttpError> {
    let scope = &auth.session.account.scope;
    let code = UnitCode::parse(&code).map_err(|_| AppError::NotFound)?;
    let unit = app.store.unit(scope, &code).await?.ok_or(AppError::NotFound)?;
    let figures = app.store.figures(scope, &code).await?.ok_or(AppError::NotFound)?;
    let children: Vec<Value> = app
        .store
        .children(scope, &code)
        .await?
        .iter()
        .map(|(child, figures)| json!({"code": child.code, "name": child.name, "level": child.level, "figures": figures_json(figures)}))
        .collect();
    let mut body = unit_json(&unit);
    body["children"] = Value::Array(children);
    body["figures"] = figures_json(&figures);
    Ok(Json(body))
}

#[derive(Deserialize)]
pub struct NewUnitBody {
    code: Option<String>,
    name: String,
    parent_code: String,
}

pub async fn create(State(app): State<App>, auth: Auth, Json(body): Json<NewUnitBody>) -> Result<Response, HttpError> {
    let unit = units::create_child(&app, &auth.caller(), &body.parent_code, body.code.as_deref(), &body.name).await?;
    Ok((StatusCode::CREATED, Json(unit_json(&unit))).into_response())
}

/// Creates a unit under a parent; without a code it is numbered after its siblings
/// (`UnitCode::next_child`). A code must begin with the parent's (`NewUnit::parse`).
#[derive(Deserialize)]
pub struct RenameBody {
    name: String,
}

pub async fn rename(State(app): State<App>, auth: Auth, Path(code): Path<String>, Json(body): Json<RenameBody>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    caller.require(caller.role.writes_roster(), "rename units")?;
    let code = UnitCode::parse(&code).map_err(|_| AppError::NotFound)?;
    let name = crate::domain::error::label("name", &body.name, 100)?;
    let unit = app.store.rename_unit(&caller, &code, &name).await?;
    Ok(Json(unit_json(&unit)))
}

#[derive(Deserialize)]
pub struct PageQuery {
    limit: Option<u32>,
    after: Option<String>,
}

pub async fn households(State(app): State<App>, auth: Auth, Path(code): Path<String>, Query(query): Query<PageQuery>) -> Result<Json<Value>, HttpError> {
    let caller = auth.caller();
    caller.require(caller.role.reads_roster(), "read the roster")?;
    let code = UnitCode::parse(&code).map_err(|_| AppError::NotFound)?;
    let page = app.store.households(&caller.scope, &code, query.after.as_deref(), query.limit.unwrap_or(100)).await?.ok_or(AppError::NotFound)?;
    Ok(Json(json!(page)))
}

/// Uploads must say what they are: a CSV or a workbook. Form encodings are refused, so
/// that no other site's form can post a file in a user's name.
fn check_upload_type(headers: &HeaderMap) -> Result<(), HttpError> {
    let kind = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let accepted = ["text/csv", "application/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream"];
    if accepted.iter().any(|a| kind.starts_with(a)) {
        Ok(())
    } else {
        Err(HttpError::BadRequest(format!("Content-Type must be one of {}", accepted.join(", "))))
    }
}

/// An uploaded file, read only once the caller may import it (into `unit`, if the route names
/// one): an account that may not sends its megabytes for nothing.
async fn upload(app: &App, auth: &Auth, unit: Option<&UnitCode>, body: Body) -> Result<Bytes, HttpError> {
    roster::may_import(app, &auth.caller(), unit).await?;
    axum::body::to_bytes(body, crate::http::body::UPLOAD).await.map_err(|_| HttpError::TooLarge)
}

pub async fn import_roster(State(app): State<App>, auth: Auth, Path(code): Path<String>, headers: HeaderMap, body: Body) -> Result<Json<Value>, HttpError> {
    check_upload_type(&headers)?;
    let code = UnitCode::parse(&code).map_err(|_| AppError::NotFound)?;
    let body = upload(&app, &auth, Some(&code), body).await?;
    let summary = roster::import(&app, &auth.caller(), &code, &body, &|_, _| {}).await?;
    Ok(Json(json!(summary)))
}

pub async fn import(State(app): State<App>, auth: Auth, headers: HeaderMap, body: Body) -> Result<Json<Value>, HttpError> {
    check_upload_type(&headers)?;
    let body = upload(&app, &auth, None, body).await?;
    let summary = divisions::import(&app, &auth.caller(), &[("units".to_string(), body.to_vec())]).await?;
    Ok(Json(json!(summary)))
}

pub async fn staff(State(app): State<App>, auth: Auth, Path(code): Path<String>) -> Result<Json<Value>, HttpError> {
    let code = UnitCode::parse(&code).map_err(|_| AppError::NotFound)?;
    let scope = &auth.session.account.scope;
    app.store.unit(scope, &code).await?.ok_or(AppError::NotFound)?;
    Ok(Json(json!({"items": app.store.staff(scope, &code).await?})))
}

#[derive(Deserialize)]
pub struct DutyBody {
    duty: String,
}

pub async fn set_staff(
    State(app): State<App>,
    auth: Auth,
    Path((code, login)): Path<(String, String)>,
    Json(body): Json<DutyBody>,
) -> Result<Json<Value>, HttpError> {
    units::change_staff(&app, &auth.caller(), &code, &login, Some(units::parse_duty(&body.duty)?)).await?;
    Ok(Json(json!({"ok": true})))
}

pub async fn remove_staff(State(app): State<App>, auth: Auth, Path((code, login)): Path<(String, String)>) -> Result<Json<Value>, HttpError> {
    units::change_staff(&app, &auth.caller(), &code, &login, None).await?;
    Ok(Json(json!({"ok": true})))
}
