//! Units of the grid: a unit with its figures, adding and renaming units, importing units and
//! rosters, a unit's staff.

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use super::{Done, Items};
use crate::app::roster::{self, ImportSummary};
use crate::app::units::{self as ops, Figures, Issuer, IssuingBodyInput, StaffMember, Unit};
use crate::app::{App, divisions};
use crate::domain::{Level, UnitCode};
use crate::http::HttpError;
use crate::http::auth::{Auth, May, gate};
use crate::http::body;
use crate::http::common::unit_code;

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(import).layer(body::upload()))
        .routes(routes!(show, rename))
        .routes(routes!(import_roster).layer(body::upload()))
        .routes(routes!(staff))
        .routes(routes!(set_staff, remove_staff))
        .routes(routes!(issuing_body, set_issuing_body))
}

/// Households by colour.
#[derive(Serialize, ToSchema)]
struct Colours {
    red: i64,
    yellow: i64,
    blue: i64,
    white: i64,
}

/// A unit's figures over its whole subtree.
#[derive(Serialize, ToSchema)]
#[schema(as = Figures)]
struct FiguresAnswer {
    /// Units below, at any depth.
    units: i64,
    households: i64,
    residents: i64,
    households_by_colour: Colours,
}

impl From<&Figures> for FiguresAnswer {
    fn from(f: &Figures) -> FiguresAnswer {
        FiguresAnswer {
            units: f.units,
            households: f.households,
            residents: f.residents,
            households_by_colour: Colours { red: f.red, yellow: f.yellow, blue: f.blue, white: f.white },
        }
    }
}

/// A child of a unit, with its own figures.
#[derive(Serialize, ToSchema)]
struct Child {
    code: String,
    name: String,
    level: Level,
    figures: FiguresAnswer,
}

/// A unit, its children and its figures.
#[derive(Serialize, ToSchema)]
struct UnitDetail {
    code: String,
    name: String,
    level: Level,
    /// The materialised path of codes from the top, `/15/1505/150502/`.
    path: String,
    parent_code: Option<String>,
    children: Vec<Child>,
    figures: FiguresAnswer,
}

/// A unit, its children and its figures rolled up over the subtree.
#[utoipa::path(get, operation_id = "show_unit", path = "/api/v1/units/{code}", tag = "units", params(super::UnitCodeParam),
    responses((status = 200, body = UnitDetail), super::Errors))]
async fn show(State(app): State<App>, auth: Auth, Path(code): Path<String>) -> Result<Json<UnitDetail>, HttpError> {
    let overview = ops::overview(&app, &auth.caller(), &code).await?;
    let unit = overview.unit;
    let children = overview
        .children
        .iter()
        .map(|(child, figures)| Child { code: child.code.clone(), name: child.name.clone(), level: child.level, figures: figures.into() })
        .collect();
    Ok(Json(UnitDetail {
        code: unit.code,
        name: unit.name,
        level: unit.level,
        path: unit.path.as_str().to_string(),
        parent_code: unit.parent_code,
        children,
        figures: (&overview.figures).into(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewUnitBody {
    /// Begins with `parent_code` and is longer; left out: `parent_code` and the next
    /// three-digit number.
    code: Option<String>,
    name: String,
    parent_code: String,
}

/// Create a unit under a parent (code optional: parent code + next 3-digit number).
#[utoipa::path(post, operation_id = "create_unit", path = "/api/v1/units", tag = "units", request_body = NewUnitBody,
    responses((status = 201, body = Unit), super::Errors, super::Conflict))]
async fn create(State(app): State<App>, May(auth, _): May<gate::WriteRoster>, Json(body): Json<NewUnitBody>) -> Result<(StatusCode, Json<Unit>), HttpError> {
    let unit = ops::create_child(&app, &auth.caller(), &body.parent_code, body.code.as_deref(), &body.name).await?;
    Ok((StatusCode::CREATED, Json(unit)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RenameBody {
    name: String,
}

/// Rename a unit.
#[utoipa::path(patch, operation_id = "rename_unit", path = "/api/v1/units/{code}", tag = "units", params(super::UnitCodeParam), request_body = RenameBody,
    responses((status = 200, body = Unit), super::Errors))]
async fn rename(
    State(app): State<App>,
    May(auth, _): May<gate::WriteRoster>,
    Path(code): Path<String>,
    Json(body): Json<RenameBody>,
) -> Result<Json<Unit>, HttpError> {
    Ok(Json(ops::rename(&app, &auth.caller(), &code, &body.name).await?))
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

/// What a rejected file answers.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // documentation only
enum Rejected {
    /// The file was rejected; nothing was written. Every bad row is named in `errors`.
    #[response(status = 422)]
    Rows(crate::http::error::ErrorBody),
}

/// Import a roster (CSV in UTF-8 or GBK, or .xlsx): all or nothing, idempotent.
///
/// One row per resident; every row's 网格编码 must lie under the unit. The caller's role and the
/// unit are checked before the file is read.
#[utoipa::path(post, operation_id = "import_roster", path = "/api/v1/units/{code}/roster", tag = "households", params(super::UnitCodeParam),
    request_body(description = "The roster file", content(("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
    responses((status = 200, body = ImportSummary), super::Errors, Rejected))]
async fn import_roster(
    State(app): State<App>,
    May(auth, _): May<gate::WriteRoster>,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<ImportSummary>, HttpError> {
    check_upload_type(&headers)?;
    let code = unit_code(&code)?;
    let body = upload(&app, &auth, Some(&code), body).await?;
    Ok(Json(roster::import(&app, &auth.caller(), &code, &body, &|_, _| {}).await?))
}

/// Import units from a code,name,parent_code sheet (idempotent, all or nothing).
#[utoipa::path(post, operation_id = "import_units", path = "/api/v1/units/import", tag = "units",
    request_body(description = "A code,name,parent_code sheet", content(("text/csv"), ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
    responses((status = 200, body = divisions::UpsertSummary), super::Errors, Rejected))]
async fn import(
    State(app): State<App>,
    May(auth, _): May<gate::WriteRoster>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<divisions::UpsertSummary>, HttpError> {
    check_upload_type(&headers)?;
    let body = upload(&app, &auth, None, body).await?;
    Ok(Json(divisions::import(&app, &auth.caller(), &[("units".to_string(), body.to_vec())]).await?))
}

/// The unit's leader and members.
#[utoipa::path(get, operation_id = "unit_staff", path = "/api/v1/units/{code}/staff", tag = "units", params(super::UnitCodeParam),
    responses((status = 200, body = Items<StaffMember>), super::Errors))]
async fn staff(State(app): State<App>, auth: Auth, Path(code): Path<String>) -> Result<Json<Items<StaffMember>>, HttpError> {
    Ok(Json(Items { items: ops::staff(&app, &auth.caller(), &code).await? }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct DutyBody {
    /// `leader` (网格长) or `member` (网格员).
    duty: String,
}

/// The staff member's account in the path.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct LoginParam {
    /// The account's login.
    login: String,
}

/// Make an account the unit's leader (网格长) or a member (网格员).
#[utoipa::path(put, operation_id = "set_unit_staff", path = "/api/v1/units/{code}/staff/{login}", tag = "units", params(super::UnitCodeParam, LoginParam),
    request_body = DutyBody, responses((status = 200, body = Done), super::Errors))]
async fn set_staff(
    State(app): State<App>,
    May(auth, _): May<gate::WriteRoster>,
    Path((code, login)): Path<(String, String)>,
    Json(body): Json<DutyBody>,
) -> Result<Json<Done>, HttpError> {
    ops::change_staff(&app, &auth.caller(), &code, &login, Some(ops::parse_duty(&body.duty)?)).await?;
    Ok(Json(Done { ok: true }))
}

/// Remove an account from the unit's staff.
#[utoipa::path(delete, operation_id = "remove_unit_staff", path = "/api/v1/units/{code}/staff/{login}", tag = "units", params(super::UnitCodeParam, LoginParam),
    responses((status = 200, body = Done), super::Errors))]
async fn remove_staff(State(app): State<App>, auth: Auth, Path((code, login)): Path<(String, String)>) -> Result<Json<Done>, HttpError> {
    ops::change_staff(&app, &auth.caller(), &code, &login, None).await?;
    Ok(Json(Done { ok: true }))
}

/// The issuing body a unit's printouts carry.
#[derive(Serialize, ToSchema)]
struct IssuingBodyAnswer {
    /// The unit's own, else the nearest unit's above it; `null` when none up its path has one.
    issuer: Option<Issuer>,
}

/// The body that issues a unit's printouts (its own, or the nearest one above it).
#[utoipa::path(get, operation_id = "unit_issuing_body", path = "/api/v1/units/{code}/issuing-body", tag = "units", params(super::UnitCodeParam),
    responses((status = 200, body = IssuingBodyAnswer), super::Errors))]
async fn issuing_body(State(app): State<App>, auth: Auth, Path(code): Path<String>) -> Result<Json<IssuingBodyAnswer>, HttpError> {
    Ok(Json(IssuingBodyAnswer { issuer: ops::issuing_body(&app, &auth.caller(), &code).await? }))
}

/// Set the issuing body of a unit's printouts (HQ's).
///
/// Its name, phone number and seal text, carried by the printouts of the unit and of the units
/// below it that set none of their own.
#[utoipa::path(put, operation_id = "set_unit_issuing_body", path = "/api/v1/units/{code}/issuing-body", tag = "units", params(super::UnitCodeParam),
    request_body = IssuingBodyInput, responses((status = 200, body = Issuer), super::Errors))]
async fn set_issuing_body(
    State(app): State<App>,
    May(auth, _): May<gate::Command>,
    Path(code): Path<String>,
    Json(body): Json<IssuingBodyInput>,
) -> Result<Json<Issuer>, HttpError> {
    Ok(Json(ops::set_issuing_body(&app, &auth.caller(), &code, &body).await?))
}
