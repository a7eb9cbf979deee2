//! Checkpoint pages: the staff's page (log a passage, confirm self-registrations, today's
//! passages, shifts), the printable poster with its QR code, and setting one up.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Chrome, render};
use crate::app::checkpoints::{self as ops, Checkpoint, CheckpointInput, ConfirmInput, OnDuty, Passage, PassageInput, Registration, Shift, ShiftInput};
use crate::app::{App, AppError};
use crate::domain::{CheckpointKind, Direction, Outcome, Permission};
use crate::http::HttpError;
use crate::http::auth::{Auth, RequestLang};
use crate::http::common::{parse_id, poster_svg, public_link, unreachable_public_link};
use axum::Router;
use axum::routing::{get, post};

/// This capability's pages, gathered by `pages::routes`.
pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/units/{code}/checkpoints", post(create))
        .route("/checkpoints/{id}", get(show))
        .route("/checkpoints/{id}/passages", post(log_passage))
        .route("/checkpoints/{id}/poster", get(poster))
        .route("/checkpoints/{id}/token", post(rotate_token))
        .route("/checkpoints/{id}/shifts", post(add_shift))
        .route("/registrations/{id}/confirm", post(confirm))
}

#[derive(Template)]
#[template(path = "checkpoint.html")]
struct CheckpointPage {
    c: Chrome,
    cp: Checkpoint,
    crumbs: Vec<(String, String, bool)>,
    pending: Vec<Registration>,
    passages: Vec<Passage>,
    shifts: Vec<Shift>,
    can_manage: bool,
    can_log: bool,
    notice: Option<String>,
    errors: Vec<String>,
    form: PassageInput,
}

impl CheckpointPage {
    fn directions(&self) -> &'static [Direction] {
        Direction::ALL
    }

    fn outcomes(&self) -> &'static [Outcome] {
        Outcome::ALL
    }

    /// The code the public page showed the traveller: the registration id's last four.
    fn short_code(&self, id: &uuid::Uuid) -> String {
        let id = id.simple().to_string();
        id[id.len() - 4..].to_uppercase()
    }
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    logged: Option<String>,
}

pub async fn show(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(id): Path<String>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, HttpError> {
    let notice = query.logged.map(|what| {
        let t = super::Texts { lang };
        if what == "fever" { t.t("logged_fever").to_string() } else { t.t("logged").to_string() }
    });
    page(&app, lang, &auth, &id, notice, Vec::new(), PassageInput::default()).await
}

async fn page(
    app: &App,
    lang: crate::domain::Lang,
    auth: &Auth,
    id: &str,
    notice: Option<String>,
    errors: Vec<String>,
    form: PassageInput,
) -> Result<Response, HttpError> {
    let caller = auth.caller();
    let id = parse_id(id)?;
    let cp = ops::show(app, &caller, id).await?;
    let crumbs = super::crumbs(app, auth, &cp.unit_path).await?;
    let pending = ops::registrations(app, &caller, id).await?;
    let passages = ops::passages(app, &caller, id, None, None, Some(100)).await?;
    let shifts = ops::shifts_around_now(app, &caller, id).await?;
    let status = if errors.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    let page = CheckpointPage {
        c: Chrome::load(app, lang, auth).await?,
        cp,
        crumbs,
        pending,
        passages,
        shifts,
        can_manage: caller.role.may(Permission::ManageCheckpoints),
        can_log: caller.role.may(Permission::LogPassages),
        notice,
        errors,
        form,
    };
    Ok((status, render(&page)?).into_response())
}

#[derive(Deserialize)]
pub struct PassageForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(flatten)]
    passage: PassageForm2,
}

/// A form sends the temperature as text (empty when not taken).
#[derive(Deserialize)]
pub struct PassageForm2 {
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    plate: String,
    #[serde(default)]
    direction: String,
    #[serde(default)]
    temperature: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    outcome: String,
}

pub async fn log_passage(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(id): Path<String>,
    Form(form): Form<PassageForm>,
) -> Result<Response, HttpError> {
    auth.check_csrf(&form.csrf)?;
    let f = form.passage;
    let mut input = PassageInput {
        id: None,
        id_number: f.id_number,
        name: f.name,
        phone: f.phone,
        plate: f.plate,
        direction: f.direction,
        temperature: None,
        purpose: f.purpose,
        from: f.from,
        to: f.to,
        outcome: f.outcome,
        at: String::new(),
    };
    // A bad temperature is said on the form, with everything else typed kept.
    match f.temperature.trim() {
        "" => {}
        raw => match crate::domain::Temperature::parse(raw) {
            Ok(t) => input.temperature = Some(t.celsius()),
            Err(err) => return page(&app, lang, &auth, &id, None, vec![err.message(lang)], input).await,
        },
    }
    match ops::log_passage(&app, &auth.caller(), parse_id(&id)?, &input).await {
        Ok(passage) => Ok(Redirect::to(&format!("/checkpoints/{id}?logged={}", if passage.fever { "fever" } else { "ok" })).into_response()),
        Err(AppError::Domain(err)) => page(&app, lang, &auth, &id, None, vec![err.message(lang)], input).await,
        Err(err) => Err(err.into()),
    }
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    temperature: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    direction: String,
}

pub async fn confirm(State(app): State<App>, auth: Auth, Path(id): Path<String>, Form(form): Form<ConfirmForm>) -> Result<Response, HttpError> {
    auth.check_csrf(&form.csrf)?;
    let temperature = crate::domain::Temperature::parse(&form.temperature)?.celsius();
    let input = ConfirmInput { temperature, direction: form.direction, outcome: form.outcome };
    let passage = ops::confirm_registration(&app, &auth.caller(), parse_id(&id)?, &input).await?;
    Ok(Redirect::to(&format!("/checkpoints/{}?logged={}", passage.checkpoint_id, if passage.fever { "fever" } else { "ok" })).into_response())
}

/// A shift as the page's form sends it: up to three people on duty, one per line.
#[derive(Deserialize)]
pub struct ShiftForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    ends_at: String,
    #[serde(default)]
    staff: String,
}

pub async fn add_shift(State(app): State<App>, auth: Auth, Path(id): Path<String>, Form(form): Form<ShiftForm>) -> Result<Response, HttpError> {
    auth.check_csrf(&form.csrf)?;
    // Each line: a duty and a name, e.g. "医务人员 李医生".
    let staff = form
        .staff
        .lines()
        .filter_map(|line| line.trim().split_once(char::is_whitespace))
        .map(|(duty, name)| OnDuty { name: name.trim().to_string(), duty: duty.to_string(), phone: None })
        .collect();
    let input = ShiftInput { starts_at: form.starts_at, ends_at: form.ends_at, staff };
    let checkpoint = parse_id(&id)?;
    ops::add_shift(&app, &auth.caller(), checkpoint, &input).await?;
    Ok(Redirect::to(&format!("/checkpoints/{checkpoint}#shifts")).into_response())
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

pub async fn rotate_token(State(app): State<App>, auth: Auth, Path(id): Path<String>, Form(form): Form<CsrfForm>) -> Result<Response, HttpError> {
    auth.check_csrf(&form.csrf)?;
    let id = parse_id(&id)?;
    ops::rotate_token(&app, &auth.caller(), id).await?;
    Ok(Redirect::to(&format!("/checkpoints/{id}/poster")).into_response())
}

#[derive(Deserialize)]
pub struct NewCheckpointForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    name: String,
    kind: String,
    #[serde(default)]
    lat: String,
    #[serde(default)]
    lon: String,
}

pub async fn create(State(app): State<App>, auth: Auth, Path(code): Path<String>, Form(form): Form<NewCheckpointForm>) -> Result<Response, HttpError> {
    auth.check_csrf(&form.csrf)?;
    let number = |raw: &str| -> Result<Option<f64>, HttpError> {
        match raw.trim() {
            "" => Ok(None),
            n => n.parse().map(Some).map_err(|_| crate::domain::DomainError::invalid("lat", crate::domain::error::Reason::Coordinates).into()),
        }
    };
    let input = CheckpointInput { id: None, unit_code: code, name: form.name, kind: form.kind, lat: number(&form.lat)?, lon: number(&form.lon)? };
    let checkpoint = ops::create(&app, &auth.caller(), &input).await?;
    Ok(Redirect::to(&format!("/checkpoints/{}", checkpoint.id)).into_response())
}

#[derive(Template)]
#[template(path = "poster.html")]
struct PosterPage {
    cp: Checkpoint,
    kind_zh: &'static str,
    kind_en: &'static str,
    link: String,
    svg: String,
    /// The link's address cannot be reached by the public: said on screen, never on paper.
    unreachable: bool,
}

pub async fn poster(State(app): State<App>, auth: Auth, headers: HeaderMap, Path(id): Path<String>) -> Result<Html<String>, HttpError> {
    let cp = ops::show(&app, &auth.caller(), parse_id(&id)?).await?;
    let link = public_link(&app, &headers, &format!("/r/{}", cp.token));
    let svg = poster_svg(&link)?;
    let (kind_zh, kind_en) = kind_words(cp.kind);
    let unreachable = unreachable_public_link(&app, &headers);
    render(&PosterPage { cp, kind_zh, kind_en, link, svg, unreachable })
}

pub fn kind_words(kind: CheckpointKind) -> (&'static str, &'static str) {
    match kind {
        CheckpointKind::Checkpoint => ("卡点", "Checkpoint"),
        CheckpointKind::PersuasionPoint => ("劝返点", "Persuasion point"),
        CheckpointKind::MonitoringPoint => ("检查点", "Monitoring point"),
    }
}
