//! Trends: a unit's figures day by day as charts drawn on the server, each with its values in
//! a table beneath; and the dashboard's sparklines of the last 30 days.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::NaiveDate;
use serde::Deserialize;

use super::{Chrome, Fields, Refused, render};
use crate::app::trends::{self as ops, Unit};
use crate::app::{App, AppError};
use crate::domain::command::DayFigures;
use crate::domain::trends::{DayRange, Metric};
use crate::domain::{Caller, Lang, UnitCode};
use crate::http::HttpError;
use crate::http::auth::{Auth, RequestLang};
use crate::http::charts::{line_chart, sparkline};

/// This capability's pages, gathered by `pages::routes`.
pub(super) fn routes() -> Router<App> {
    Router::new().route("/units/{code}/trends", get(trends))
}

/// A metric's words (`metric_…` in `i18n.rs`).
fn metric_words(t: &super::i18n::Texts, metric: Metric) -> &'static str {
    t.t(&format!("metric_{}", metric.as_str()))
}

/// One chart and the values it draws.
pub struct Chart {
    pub metric: Metric,
    pub title: &'static str,
    pub svg: String,
    pub values: Vec<i64>,
}

impl Chart {
    /// The value of the i-th day.
    pub fn value(&self, i: &usize) -> i64 {
        self.values.get(*i).copied().unwrap_or(0)
    }
}

#[derive(Template)]
#[template(path = "trends.html")]
struct TrendsPage {
    c: Chrome,
    crumbs: Vec<(String, String, bool)>,
    unit: Unit,
    range: DayRange,
    days: Vec<NaiveDate>,
    charts: Vec<Chart>,
    /// The metrics asked for, as the form sends them back.
    chosen: String,
    choices: Vec<(&'static str, &'static str)>,
    refused: Refused,
}

#[derive(Deserialize)]
pub struct TrendQuery {
    #[serde(default)]
    metrics: String,
    #[serde(default)]
    first_day: String,
    #[serde(default)]
    last_day: String,
}

pub async fn trends(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(code): Path<String>,
    Query(query): Query<TrendQuery>,
) -> Result<Response, HttpError> {
    let caller = auth.caller();
    let (found, refused) = match ops::trends(&app, &caller, &code, &query.metrics, &query.first_day, &query.last_day).await {
        Ok(found) => (found, Refused::default()),
        Err(AppError::Domain(err)) => {
            let fields = Fields(vec![
                ("first_day".into(), query.first_day.trim().to_string()),
                ("last_day".into(), query.last_day.trim().to_string()),
                ("metrics".into(), query.metrics.trim().to_string()),
            ]);
            let refused = Refused::new("range", vec![err.message(lang)], fields);
            (ops::trends(&app, &caller, &code, "", "", "").await?, refused)
        }
        Err(err) => return Err(err.into()),
    };
    let c = Chrome::load(&app, lang, &auth).await?;
    let charts = found
        .trend
        .series
        .0
        .iter()
        .map(|(metric, values)| {
            let title = metric_words(&c.t, *metric);
            Chart { metric: *metric, title, svg: line_chart(&format!("chart-{}", metric.as_str()), title, &found.trend.days, values), values: values.clone() }
        })
        .collect();
    let mut choices = vec![("", c.t.t("default_metrics"))];
    choices.extend(Metric::ALL.iter().map(|m| (m.as_str(), metric_words(&c.t, *m))));
    let chosen = query.metrics.trim().to_string();
    let crumbs = super::crumbs(&app, &auth, &found.unit.path).await?;
    let status = refused.status();
    let page = render(&TrendsPage { c, crumbs, unit: found.unit, range: found.range, days: found.trend.days, charts, chosen, choices, refused })?;
    Ok((status, page).into_response())
}

/// A figure of the dashboard with its last 30 days drawn small.
pub struct Spark {
    pub metric: &'static str,
    pub title: &'static str,
    pub svg: String,
}

/// The figures the dashboard draws small.
const SPARKS: &[Metric] = &[
    Metric::CheckinsReported,
    Metric::CheckinsUnwell,
    Metric::ReturneesArrived,
    Metric::ReturneesInObservation,
    Metric::IsolatedHome,
    Metric::IsolatedCentral,
    Metric::PassagesIn,
    Metric::PassagesOut,
    Metric::TurnedBack,
    Metric::Fevers,
    Metric::AlertsOpen,
    Metric::Red,
];

/// The dashboard's sparklines: the 30 days up to `date`, with `figures` (already counted) as
/// today's when `date` is today.
pub async fn sparks(app: &App, caller: &Caller, unit: &Unit, date: NaiveDate, figures: &DayFigures, lang: Lang) -> Result<Vec<Spark>, HttpError> {
    let range = DayRange { first: date - chrono::Duration::days(crate::domain::trends::DEFAULT_TREND_DAYS - 1), last: date };
    let code = UnitCode::parse(&unit.code).map_err(AppError::from)?;
    let (_, days) = ops::days(app, caller, &code, range, Some(figures)).await?;
    let t = super::i18n::Texts { lang };
    Ok(SPARKS
        .iter()
        .map(|metric| {
            let values: Vec<i64> = days.iter().map(|(_, f)| metric.of(f)).collect();
            let title = metric_words(&t, *metric);
            let label = format!("{title}: {}", values.iter().map(i64::to_string).collect::<Vec<_>>().join(", "));
            Spark { metric: metric.as_str(), title, svg: sparkline(&label, &values) }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_has_words_in_both_languages() {
        for lang in [Lang::Zh, Lang::En] {
            let t = super::super::i18n::Texts { lang };
            for metric in Metric::ALL {
                assert_ne!(metric_words(&t, *metric), "?", "no words for {metric:?}");
            }
        }
    }
}
