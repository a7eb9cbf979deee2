//! The command view: a unit's dashboard figures and its four-colour household map.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::App;
use crate::app::command::{self as ops, Dashboard, SheetFormat};
use crate::app::confirmations::{Confirmed, SignOff};
use crate::domain::Level;
use crate::domain::command::DayFigures;
use crate::http::HttpError;
use crate::http::auth::{Auth, RequestLang};
use crate::http::drawing::colour_map_svg;

/// This capability's routes, gathered by `api::routes`.
pub(super) fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(dashboard)).routes(routes!(daily_report_xlsx)).routes(routes!(daily_report_csv)).routes(routes!(colour_map))
}

/// The four-colour household map (四色图) of a village or grid, as SVG.
///
/// Every household of the subtree is a tile in its colour (red, yellow, blue, white), numbered,
/// grouped by villager group or grid, each linking to its household; a legend gives the counts.
/// A unit of more than 5,000 households answers 422 (pick a village or grid). Words follow
/// `Accept-Language`.
#[utoipa::path(get, operation_id = "colour_map", path = "/api/v1/units/{code}/colour-map.svg", tag = "units", params(super::UnitCodeParam),
    responses((status = 200, description = "The map", content_type = "image/svg+xml", body = String), super::Errors))]
async fn colour_map(State(app): State<App>, RequestLang(lang): RequestLang, auth: Auth, Path(code): Path<String>) -> Result<Response, HttpError> {
    let map = ops::colour_map(&app, &auth.caller(), &code).await?.map;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], colour_map_svg(&map, lang)).into_response())
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct DayQuery {
    /// `YYYY-MM-DD` (local), today when left out; never after today.
    #[serde(default)]
    date: String,
}

/// A day's figures with the rates that follow from them.
#[derive(Serialize, ToSchema)]
struct DashboardFigures {
    #[serde(flatten)]
    figures: DayFigures,
    checkins_missing: i64,
    /// Reported of expected, in percent; absent when nobody is expected.
    checkin_rate: Option<f64>,
}

impl From<&DayFigures> for DashboardFigures {
    fn from(f: &DayFigures) -> DashboardFigures {
        DashboardFigures { figures: *f, checkins_missing: f.checkins_missing(), checkin_rate: f.checkin_rate() }
    }
}

#[derive(Serialize, ToSchema)]
struct DashboardUnit {
    code: String,
    name: String,
    level: Level,
}

#[derive(Serialize, ToSchema)]
struct DashboardChild {
    code: String,
    name: String,
    level: Level,
    figures: DashboardFigures,
    /// The child's confirmation of the day, when it has confirmed it.
    confirmation: Option<Confirmed>,
}

/// Where the day stands in the sign-off (日报告).
#[derive(Serialize, ToSchema)]
struct SignOffAnswer {
    /// Whether the unit confirms its days (villages, townships and counties do).
    applies: bool,
    /// The unit's confirmation, with the figures that changed since; absent until confirmed.
    confirmed: Option<Confirmed>,
    /// The children (names) that have not confirmed the day, which the unit waits for.
    waiting: Vec<String>,
    /// Whether the caller may confirm the day now.
    may_confirm: bool,
}

#[derive(Serialize, ToSchema)]
struct DashboardAnswer {
    unit: DashboardUnit,
    date: chrono::NaiveDate,
    figures: DashboardFigures,
    children: Vec<DashboardChild>,
    confirmation: SignOffAnswer,
}

impl DashboardAnswer {
    fn new(d: Dashboard, sign_off: SignOff) -> DashboardAnswer {
        let mut confirmed: std::collections::HashMap<String, Option<Confirmed>> = sign_off.children.into_iter().collect();
        DashboardAnswer {
            unit: DashboardUnit { code: d.unit.code, name: d.unit.name, level: d.unit.level },
            date: d.date,
            figures: (&d.figures).into(),
            children: d
                .children
                .into_iter()
                .map(|(u, f)| {
                    let confirmation = confirmed.remove(&u.code).flatten();
                    DashboardChild { code: u.code, name: u.name, level: u.level, figures: (&f).into(), confirmation }
                })
                .collect(),
            confirmation: SignOffAnswer { applies: sign_off.applies, confirmed: sign_off.unit, waiting: sign_off.waiting, may_confirm: sign_off.may_confirm },
        }
    }
}

/// A unit's figures for a day over its whole subtree, and each child's.
///
/// Live: counted from the records on every request. Flows (arrivals, passages, check-ins,
/// isolation started and released, follow-ups, alerts acknowledged and escalated) count the
/// local day; stocks (in observation, under isolation, alerts open) stand at the day's end, or
/// now for today; households, colours, residents and pending registrations stand as they are now.
#[utoipa::path(get, operation_id = "unit_dashboard", path = "/api/v1/units/{code}/dashboard", tag = "units", params(super::UnitCodeParam, DayQuery),
    responses((status = 200, body = DashboardAnswer), super::Errors))]
async fn dashboard(State(app): State<App>, auth: Auth, Path(code): Path<String>, Query(query): Query<DayQuery>) -> Result<Json<DashboardAnswer>, HttpError> {
    let caller = auth.caller();
    let board = ops::dashboard(&app, &caller, &code, &query.date).await?;
    let sign_off = crate::app::confirmations::sign_off(&app, &caller, &board).await?;
    Ok(Json(DashboardAnswer::new(board, sign_off)))
}

async fn daily_report(app: &App, lang: crate::domain::Lang, auth: &Auth, code: &str, date: &str, format: SheetFormat) -> Result<Response, HttpError> {
    let bytes = ops::daily_sheet(app, &auth.caller(), code, date, format, lang).await?;
    let day = if date.is_empty() { crate::domain::time::local_date(auth.caller().now).to_string() } else { date.to_string() };
    let disposition = format!("attachment; filename=\"daily-report-{code}-{day}.{}\"", format.extension());
    Ok(([(header::CONTENT_TYPE, format.content_type().to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response())
}

/// The evening report sheet (日报表) of a unit for a day, as an Excel workbook.
///
/// A title row (the unit, the date, when it was made); one row per child unit and a total row;
/// columns grouped under two-level headers (returnees, from key areas, home and central
/// isolation, released, 报平安, passages, turned back, fevers, alerts), each with 当日新增 and
/// 累计 where both make sense; totals are formulas that carry their values. Words follow
/// `Accept-Language`.
#[utoipa::path(get, operation_id = "daily_report_xlsx", path = "/api/v1/units/{code}/daily-report.xlsx", tag = "units", params(super::UnitCodeParam, DayQuery),
    responses((status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), super::Errors))]
async fn daily_report_xlsx(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(code): Path<String>,
    Query(query): Query<DayQuery>,
) -> Result<Response, HttpError> {
    daily_report(&app, lang, &auth, &code, query.date.trim(), SheetFormat::Xlsx).await
}

/// The evening report sheet (日报表) as CSV: the same columns, named `group·header`.
#[utoipa::path(get, operation_id = "daily_report_csv", path = "/api/v1/units/{code}/daily-report.csv", tag = "units", params(super::UnitCodeParam, DayQuery),
    responses((status = 200, description = "The sheet", content_type = "text/csv", body = String), super::Errors))]
async fn daily_report_csv(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(code): Path<String>,
    Query(query): Query<DayQuery>,
) -> Result<Response, HttpError> {
    daily_report(&app, lang, &auth, &code, query.date.trim(), SheetFormat::Csv).await
}
