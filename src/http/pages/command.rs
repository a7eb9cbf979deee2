//! The command view's pages: a unit's dashboard for a day, and its four-colour household map
//! on screen and on paper.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::{Chrome, Fields, Refused, render};
use crate::app::command::{self as ops, Unit};
use crate::app::confirmations::{Confirmed, SignOff};
use crate::app::{App, AppError};
use crate::domain::Colour;
use crate::domain::command::{ColourMap, DayFigures};
use crate::http::HttpError;
use crate::http::auth::{Auth, RequestLang};

/// This capability's pages, gathered by `pages::routes`.
pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/units/{code}/dashboard", get(dashboard))
        .route("/units/{code}/confirm", axum::routing::post(confirm))
        .route("/units/{code}/colour-map", get(colour_map))
        .route("/units/{code}/colour-map/print", get(colour_map_print))
}

#[derive(Template)]
#[template(path = "colour_map.html")]
struct ColourMapPage {
    c: Chrome,
    crumbs: Vec<(String, String, bool)>,
    map: ColourMap,
}

#[derive(Template)]
#[template(path = "colour_map_print.html")]
struct ColourMapPrint {
    c: Chrome,
    map: ColourMap,
    /// `a4` or `a3`, landscape.
    paper: &'static str,
    /// When it was drawn: the colours are those of that moment.
    drawn_at: chrono::DateTime<chrono::Utc>,
    issued_by: super::units::IssuedBy,
}

/// The colours in the legend's order, for both templates.
trait Legend {
    fn colours(&self) -> [Colour; 4] {
        Colour::ALL
    }
}
impl Legend for ColourMapPage {}
impl Legend for ColourMapPrint {}

pub async fn colour_map(State(app): State<App>, RequestLang(lang): RequestLang, auth: Auth, Path(code): Path<String>) -> Result<Html<String>, HttpError> {
    let found = ops::colour_map(&app, &auth.caller(), &code).await?;
    let crumbs = super::crumbs(&app, &auth, &found.unit.path).await?;
    render(&ColourMapPage { c: Chrome::load(&app, lang, &auth).await?, crumbs, map: found.map })
}

#[derive(Deserialize)]
pub struct PrintQuery {
    #[serde(default)]
    paper: String,
}

pub async fn colour_map_print(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(code): Path<String>,
    Query(query): Query<PrintQuery>,
) -> Result<Html<String>, HttpError> {
    let caller = auth.caller();
    let found = ops::colour_map(&app, &caller, &code).await?;
    let issued_by = super::units::issued_by(&app, &found.unit.path, &found.unit.code, caller.now).await?;
    let paper = if query.paper.eq_ignore_ascii_case("a3") { "a3" } else { "a4" };
    render(&ColourMapPrint { c: Chrome::new(lang, Some(&auth)), map: found.map, paper, drawn_at: caller.now, issued_by })
}

/// A column of the children's table, by which it sorts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Rate,
    Missing,
    Unwell,
    Fevers,
    TurnedBack,
    Observed,
    Isolated,
    Alerts,
}

impl Column {
    pub const ALL: [Column; 8] =
        [Column::Rate, Column::Missing, Column::Unwell, Column::Fevers, Column::TurnedBack, Column::Observed, Column::Isolated, Column::Alerts];

    pub fn key(self) -> &'static str {
        match self {
            Column::Rate => "checkin_rate",
            Column::Missing => "checkins_missing",
            Column::Unwell => "checkins_unwell",
            Column::Fevers => "fevers",
            Column::TurnedBack => "turned_back",
            Column::Observed => "returnees_in_observation",
            Column::Isolated => "isolated",
            Column::Alerts => "alerts_open",
        }
    }

    fn parse(raw: &str) -> Column {
        Column::ALL.into_iter().find(|c| c.key() == raw).unwrap_or(Column::Rate)
    }

    /// The column's value of a row, as the cell shows it; a rate nobody is expected for is none.
    pub fn value(self, f: &DayFigures) -> Option<f64> {
        let n = |v: i64| Some(v as f64);
        match self {
            Column::Rate => f.checkin_rate(),
            Column::Missing => n(f.checkins_missing()),
            Column::Unwell => n(f.checkins_unwell),
            Column::Fevers => n(f.fevers),
            Column::TurnedBack => n(f.turned_back),
            Column::Observed => n(f.returnees_in_observation),
            Column::Isolated => n(f.isolated_home + f.isolated_central),
            Column::Alerts => n(f.alerts_open),
        }
    }

    /// Worst first: the lowest rate, the most of anything else.
    fn worst_first_ascending(self) -> bool {
        self == Column::Rate
    }
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    c: Chrome,
    crumbs: Vec<(String, String, bool)>,
    unit: Unit,
    date: chrono::NaiveDate,
    today: bool,
    figures: DayFigures,
    children: Vec<(Unit, DayFigures)>,
    sort: Column,
    ascending: bool,
    /// A date that could not be shown: said beside its field, as typed, with today shown.
    refused: Refused,
    /// Who has confirmed the day, and who has not (日报告).
    sign_off: SignOff,
    /// The last 30 days of the main figures, drawn small.
    sparks: Vec<super::trends::Spark>,
}

impl DashboardPage {
    fn columns(&self) -> &'static [Column] {
        &Column::ALL
    }

    /// The link that sorts by a column: worst first, or the other way when it already does.
    fn sort_link(&self, column: &Column) -> String {
        let ascending = if *column == self.sort { !self.ascending } else { column.worst_first_ascending() };
        format!("?date={}&sort={}&dir={}", self.date, column.key(), if ascending { "asc" } else { "desc" })
    }

    /// The list of records behind one of the day's figures.
    fn figure_link(&self, metric: &str) -> String {
        format!("/units/{}/figures/{metric}?date={}", self.unit.code, self.date)
    }

    /// The list behind a child's cell, where the column is one figure.
    fn cell_link(&self, column: &Column, child: &str) -> Option<String> {
        let metric = match column {
            Column::Missing => return Some(format!("/units/{child}/checkins?date={}", self.date)),
            Column::Rate | Column::Isolated => return None,
            Column::Unwell => "checkins_unwell",
            Column::Fevers => "fevers",
            Column::TurnedBack => "turned_back",
            Column::Observed => "returnees_in_observation",
            Column::Alerts => "alerts_open",
        };
        Some(format!("/units/{child}/figures/{metric}?date={}", self.date))
    }

    fn cell(&self, column: &Column, f: &DayFigures) -> String {
        match (column, column.value(f)) {
            (_, None) => "—".into(),
            (Column::Rate, Some(rate)) => format!("{rate}%"),
            (_, Some(v)) => format!("{v}"),
        }
    }

    fn map_fits(&self) -> bool {
        crate::domain::command::fits_on_one_map(self.figures.households)
    }

    fn rate(&self) -> String {
        self.figures.checkin_rate().map_or_else(|| "—".into(), |r| format!("{r}%"))
    }

    fn day_link(&self, days: i64) -> String {
        (self.date + chrono::Duration::days(days)).to_string()
    }

    /// A child's confirmation of the day, when it has confirmed.
    fn child_confirmed(&self, code: &str) -> Option<&Confirmed> {
        self.sign_off.children.iter().find(|(c, _)| c == code).and_then(|(_, confirmed)| confirmed.as_ref())
    }

    /// When a confirmation was made, in region time.
    fn local_time(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        at.with_timezone(&crate::domain::time::REGION_TZ).format("%Y-%m-%d %H:%M").to_string()
    }

    /// Whether the children confirm the day too (a township's villages, a county's townships).
    fn children_sign_off(&self) -> bool {
        crate::domain::confirmations::waits_for_children(self.unit.level)
    }
}

#[derive(Deserialize)]
pub struct DashboardQuery {
    #[serde(default)]
    date: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    dir: String,
}

pub async fn dashboard(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(code): Path<String>,
    Query(query): Query<DashboardQuery>,
) -> Result<Response, HttpError> {
    show(&app, lang, &auth, &code, query, Refused::default()).await
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    date: String,
}

/// Confirms the unit's day (日报告) from its dashboard; a refusal (children not yet confirmed,
/// another unit's day) comes back on the dashboard beside the button.
pub async fn confirm(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(code): Path<String>,
    axum::Form(form): axum::Form<ConfirmForm>,
) -> Result<Response, HttpError> {
    auth.check_csrf(&form.csrf)?;
    match crate::app::confirmations::confirm(&app, &auth.caller(), &code, &form.date).await {
        Ok(done) => Ok(axum::response::Redirect::to(&format!("/units/{code}/dashboard?date={}#signoff", done.day)).into_response()),
        Err(err) => {
            let refused = Refused::new("signoff", super::problems(err, lang)?, Fields(vec![("date".into(), form.date.clone())]));
            let query = DashboardQuery { date: form.date.trim().to_string(), sort: String::new(), dir: String::new() };
            show(&app, lang, &auth, &code, query, refused).await
        }
    }
}

/// The dashboard of a unit for the query's day, with a refused form's problems when there is one.
async fn show(app: &App, lang: crate::domain::Lang, auth: &Auth, code: &str, query: DashboardQuery, refused: Refused) -> Result<Response, HttpError> {
    let caller = auth.caller();
    let (board, refused) = match ops::dashboard(app, &caller, code, &query.date).await {
        Ok(board) if !refused.errors.is_empty() => (board, refused),
        Ok(board) => (board, Refused::default()),
        Err(AppError::Domain(err)) => {
            let refused = Refused::new("day", vec![err.message(lang)], Fields(vec![("date".into(), query.date.trim().to_string())]));
            (ops::dashboard(app, &caller, code, "").await?, refused)
        }
        Err(err) => return Err(err.into()),
    };
    let sign_off = crate::app::confirmations::sign_off(app, &caller, &board).await?;
    let sort = Column::parse(&query.sort);
    let ascending = match query.dir.as_str() {
        "asc" => true,
        "desc" => false,
        _ => sort.worst_first_ascending(),
    };
    let mut children = board.children;
    // Rows without a value (nobody expected) go last either way.
    children.sort_by(|(_, a), (_, b)| match (sort.value(a), sort.value(b)) {
        (Some(x), Some(y)) => {
            if ascending {
                x.total_cmp(&y)
            } else {
                y.total_cmp(&x)
            }
        }
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let crumbs = super::crumbs(app, auth, &board.unit.path).await?;
    let today = board.date == crate::domain::time::local_date(caller.now);
    let status = refused.status();
    let c = Chrome::load(app, lang, auth).await?;
    let sparks = super::trends::sparks(app, &caller, &board.unit, board.date, &board.figures, lang).await?;
    let page = render(&DashboardPage {
        c,
        crumbs,
        unit: board.unit,
        date: board.date,
        today,
        figures: board.figures,
        children,
        sort,
        ascending,
        refused,
        sign_off,
        sparks,
    })?;
    Ok((status, page).into_response())
}
