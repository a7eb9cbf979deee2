//! Checkpoint pages: the staff's page (log a passage, confirm self-registrations, today's
//! passages, shifts), the printable poster with its QR code, and setting one up.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::pager::Pager;
use super::{Chrome, Fields, Refused, Texts, problems, render};
use crate::app::App;
use crate::app::checkpoints::{self as ops, Checkpoint, CheckpointInput, ConfirmInput, OnDuty, Passage, PassageInput, Registration, Shift, ShiftInput};
use crate::domain::DomainError;
use crate::domain::error::Reason;
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
    /// How many registrations wait in all (the page lists the newest `PENDING_SHOWN`).
    pending_total: i64,
    passages: Vec<Passage>,
    pager: Pager,
    shifts: Vec<Shift>,
    can_manage: bool,
    can_log: bool,
    /// Whether a passage links to the person's time line (only for those who may read it).
    can_trace: bool,
    notice: Option<String>,
    /// A refused form (a passage, a registration's confirmation, a shift) with what was typed.
    refused: Refused,
}

impl CheckpointPage {
    fn directions(&self) -> &'static [Direction] {
        Direction::ALL
    }

    fn outcomes(&self) -> &'static [Outcome] {
        Outcome::ALL
    }

    /// Says so when more registrations wait than the page lists.
    fn pending_more(&self) -> Option<String> {
        (self.pending_total > self.pending.len() as i64).then(|| self.c.t.shown_of(self.pending.len(), self.pending_total))
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
    /// The first passage of the page (0, the newest, by default).
    from: Option<u32>,
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
    page(&app, lang, &auth, &id, notice, query.from.unwrap_or(0), Refused::default()).await
}

/// Passages a page lists at once.
const PASSAGES_PER_PAGE: u32 = 100;

#[allow(clippy::too_many_arguments)]
async fn page(app: &App, lang: crate::domain::Lang, auth: &Auth, id: &str, notice: Option<String>, from: u32, refused: Refused) -> Result<Response, HttpError> {
    let caller = auth.caller();
    let id = parse_id(id)?;
    let cp = ops::show(app, &caller, id).await?;
    let crumbs = super::crumbs(app, auth, &cp.unit_path).await?;
    let (pending, pending_total) = ops::registrations(app, &caller, id).await?;
    let (passages, passages_total) = ops::passages(app, &caller, id, None, None, from, Some(PASSAGES_PER_PAGE)).await?;
    let pager = Pager::new("passages", format!("/checkpoints/{id}"), from, PASSAGES_PER_PAGE, passages.len(), passages_total);
    let shifts = ops::shifts_around_now(app, &caller, id).await?;
    let status = refused.status();
    let page = CheckpointPage {
        c: Chrome::load(app, lang, auth).await?,
        cp,
        crumbs,
        pending,
        pending_total,
        passages,
        pager,
        shifts,
        can_manage: caller.role.may(Permission::ManageCheckpoints),
        can_log: caller.role.may(Permission::LogPassages),
        can_trace: caller.role.may(Permission::ReadTrajectories),
        notice,
        refused,
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn log_passage(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let f = Fields(fields);
    auth.check_csrf(&f.get("_csrf"))?;
    let input = PassageInput {
        id: None,
        id_number: f.get("id_number"),
        name: f.get("name"),
        phone: f.get("phone"),
        plate: f.get("plate"),
        direction: f.get("direction"),
        // As typed: `app` parses it with the other fields.
        temperature: Some(f.get("temperature").into()),
        purpose: f.get("purpose"),
        from: f.get("from"),
        to: f.get("to"),
        outcome: f.get("outcome"),
        at: String::new(),
    };
    match ops::log_passage(&app, &auth.caller(), parse_id(&id)?, &input).await {
        Ok(passage) => Ok(Redirect::to(&format!("/checkpoints/{id}?logged={}", if passage.fever { "fever" } else { "ok" })).into_response()),
        Err(err) => page(&app, lang, &auth, &id, None, 0, Refused::new("passage", problems(err, lang)?, f)).await,
    }
}

pub async fn confirm(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let f = Fields(fields);
    auth.check_csrf(&f.get("_csrf"))?;
    let registration = parse_id(&id)?;
    let input = ConfirmInput { temperature: Some(f.get("temperature").into()), direction: f.get("direction"), outcome: f.get("outcome") };
    match ops::confirm_registration(&app, &auth.caller(), registration, &input).await {
        Ok(passage) => {
            Ok(Redirect::to(&format!("/checkpoints/{}?logged={}", passage.checkpoint_id, if passage.fever { "fever" } else { "ok" })).into_response())
        }
        Err(err) => {
            // The checkpoint's page (the form says which) shows this registration's form again.
            let checkpoint = parse_id(&f.get("checkpoint"))?;
            let refused = Refused::new("confirm", problems(err, lang)?, Fields([("registration".to_string(), id)].into_iter().chain(f.0).collect()));
            page(&app, lang, &auth, &checkpoint.to_string(), None, 0, refused).await
        }
    }
}

/// A shift as the page's form sends it: up to three people on duty, one per line, each a duty
/// and a name, e.g. "医务人员 李医生".
pub async fn add_shift(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let f = Fields(fields);
    auth.check_csrf(&f.get("_csrf"))?;
    // A line of one word has no duty: it is sent on without one, so that it is refused with
    // the form's other problems, and said by its line.
    let mut lines_without_duty = Vec::new();
    let staff = f
        .get("staff")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .enumerate()
        .map(|(i, line)| match line.split_once(char::is_whitespace) {
            Some((duty, name)) => OnDuty { name: name.trim().to_string(), duty: duty.to_string(), phone: None },
            None => {
                lines_without_duty.push(Texts { lang }.t("shift_line_no_duty").replace("{n}", &(i + 1).to_string()).replace("{line}", line));
                OnDuty { name: line.to_string(), duty: String::new(), phone: None }
            }
        })
        .collect();
    let input = ShiftInput { starts_at: f.get("starts_at"), ends_at: f.get("ends_at"), staff };
    let checkpoint = parse_id(&id)?;
    match ops::add_shift(&app, &auth.caller(), checkpoint, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/checkpoints/{checkpoint}#shifts")).into_response()),
        Err(err) => {
            let mut errors = lines_without_duty;
            let no_duty = DomainError::invalid("staff_duty", Reason::Empty).message(lang);
            let said = !errors.is_empty();
            errors.extend(problems(err, lang)?.into_iter().filter(|e| !(said && *e == no_duty)));
            page(&app, lang, &auth, &id, None, 0, Refused::new("shift", errors, f)).await
        }
    }
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

pub async fn create(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(code): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let f = Fields(fields);
    auth.check_csrf(&f.get("_csrf"))?;
    // The place as typed: `app` parses it with the other fields.
    let input = CheckpointInput {
        id: None,
        unit_code: code.clone(),
        name: f.get("name"),
        kind: f.get("kind"),
        lat: Some(f.get("lat").into()),
        lon: Some(f.get("lon").into()),
    };
    match ops::create(&app, &auth.caller(), &input).await {
        Ok(checkpoint) => Ok(Redirect::to(&format!("/checkpoints/{}", checkpoint.id)).into_response()),
        Err(err) => super::units::refuse(&app, lang, &auth, &code, "checkpoint", err, f).await,
    }
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
    issued_by: super::units::IssuedBy,
}

pub async fn poster(State(app): State<App>, auth: Auth, headers: HeaderMap, Path(id): Path<String>) -> Result<Html<String>, HttpError> {
    let caller = auth.caller();
    let cp = ops::show(&app, &caller, parse_id(&id)?).await?;
    let issued_by = super::units::issued_by(&app, &cp.unit_path, &cp.unit_code, caller.now).await?;
    let link = public_link(&app, &headers, &format!("/r/{}", cp.token));
    let svg = poster_svg(&link)?;
    let (kind_zh, kind_en) = kind_words(cp.kind);
    let unreachable = unreachable_public_link(&app, &headers);
    render(&PosterPage { cp, kind_zh, kind_en, link, svg, unreachable, issued_by })
}

pub fn kind_words(kind: CheckpointKind) -> (&'static str, &'static str) {
    match kind {
        CheckpointKind::Checkpoint => ("卡点", "Checkpoint"),
        CheckpointKind::PersuasionPoint => ("劝返点", "Persuasion point"),
        CheckpointKind::MonitoringPoint => ("检查点", "Monitoring point"),
    }
}
