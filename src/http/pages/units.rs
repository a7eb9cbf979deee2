use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Chrome, Fields, Refused, problems, render, url_encode};
use crate::app::households::{self, HouseholdListItem};
use crate::app::organisations::{self, Organisation};
use crate::app::roster::{self, ImportSummary};
use crate::app::units::{
    self as ops, Checkpoint, Figures, Issuer, IssuingBody, IssuingBodyInput, Overview, Round, StaffMember, Unit, change_staff, create_child, parse_duty,
};
use crate::app::{App, AppError, divisions};
use crate::domain::{CheckpointKind, Permission};
use crate::domain::{Colour, Lang};
use crate::http::HttpError;
use crate::http::auth::{Auth, RequestLang};
use crate::http::body::upload;
use crate::http::common::unit_code;
use axum::Router;
use axum::routing::{get, post};

/// This capability's pages, gathered by `pages::routes`.
pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/units/{code}", get(show))
        .route("/units/{code}/children", post(add_child))
        .route("/units/{code}/roster", post(upload_roster).layer(upload()))
        .route("/units/{code}/units", post(upload_units).layer(upload()))
        .route("/units/{code}/staff", post(assign_staff))
        .route("/units/{code}/issuer", get(issuer).post(set_issuer))
}

#[derive(Template)]
#[template(path = "unit.html")]
struct UnitPage {
    c: Chrome,
    unit: Unit,
    crumbs: Vec<(String, String, bool)>,
    figures: Figures,
    children: Vec<(Unit, Figures)>,
    staff: Vec<StaffMember>,
    households: Vec<HouseholdListItem>,
    next: Option<String>,
    can_write: bool,
    /// Opening screening rounds is HQ's.
    can_command: bool,
    imported: Option<ImportSummary>,
    rejected: Vec<String>,
    /// A form of this page that was refused, with what was typed.
    refused: Refused,
    checkpoints: Vec<Checkpoint>,
    rounds: Vec<Round>,
    can_manage_checkpoints: bool,
    organisations: Vec<Organisation>,
}

impl UnitPage {
    /// Whether the unit's households fit on one four-colour map.
    fn map_fits(&self) -> bool {
        crate::domain::command::fits_on_one_map(self.figures.households)
    }

    /// Width of each colour's share of the bar, in percent.
    fn share(&self, colour: &Colour) -> i64 {
        let count = match colour {
            Colour::Red => self.figures.red,
            Colour::Yellow => self.figures.yellow,
            Colour::Blue => self.figures.blue,
            Colour::White => self.figures.white,
        };
        if self.figures.households == 0 { 0 } else { (count * 100 + self.figures.households / 2) / self.figures.households }
    }

    fn count(&self, colour: &Colour) -> i64 {
        colour_count(&self.figures, colour)
    }

    /// The colour bar's pieces: each colour, where it starts and how wide it is, in percent.
    fn bar(&self) -> Vec<(Colour, i64, i64)> {
        // Shares are rounded, so they may add up to 101: the last piece ends at 100.
        let mut x = 0;
        Colour::ALL
            .into_iter()
            .map(|colour| {
                let width = self.share(&colour).min(100 - x);
                x += width;
                (colour, x - width, width)
            })
            .collect()
    }

    fn colours(&self) -> [Colour; 4] {
        Colour::ALL
    }

    fn kinds(&self) -> &'static [CheckpointKind] {
        CheckpointKind::ALL
    }

    fn next_link(&self) -> Option<String> {
        self.next.as_ref().map(|n| format!("/units/{}?after={}#households", self.unit.code, url_encode(n)))
    }
}

pub fn colour_count(figures: &Figures, colour: &Colour) -> i64 {
    match colour {
        Colour::Red => figures.red,
        Colour::Yellow => figures.yellow,
        Colour::Blue => figures.blue,
        Colour::White => figures.white,
    }
}

#[derive(Deserialize)]
pub struct ShowQuery {
    after: Option<String>,
}

pub async fn show(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(code): Path<String>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, HttpError> {
    unit_page(&app, lang, &auth, &code, query.after.as_deref(), None, Vec::new(), Refused::default()).await
}

/// The unit's page; with a refused form, that form shows its problems and what was typed (422).
#[allow(clippy::too_many_arguments)]
pub(super) async fn unit_page(
    app: &App,
    lang: Lang,
    auth: &Auth,
    code: &str,
    after: Option<&str>,
    imported: Option<ImportSummary>,
    rejected: Vec<String>,
    refused: Refused,
) -> Result<Response, HttpError> {
    let caller = auth.caller();
    let reads_roster = caller.role.may(Permission::ReadRoster);
    let Overview { unit, figures, children } = ops::overview(app, &caller, code).await?;
    let staff = ops::staff(app, &caller, code).await?;
    let (households, next) = if reads_roster {
        let page = households::of_unit(app, &caller, code, after, 50).await?;
        (page.items, page.next)
    } else {
        (Vec::new(), None)
    };
    let crumbs = super::crumbs(app, auth, &unit.path).await?;
    let (checkpoints, rounds) = ops::checkpoints_and_rounds(app, &caller, code).await?;
    let organisations = if reads_roster { organisations::of_unit(app, &caller, code).await? } else { Vec::new() };
    let status = if rejected.is_empty() { refused.status() } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    let page = render(&UnitPage {
        c: Chrome::load(app, lang, auth).await?,
        unit,
        crumbs,
        figures,
        children,
        staff,
        households,
        next,
        can_write: caller.role.writes_roster(),
        can_command: caller.role.commands(),
        imported,
        rejected,
        refused,
        checkpoints,
        rounds,
        can_manage_checkpoints: caller.role.manages_checkpoints(),
        organisations,
    })?;
    Ok((status, page).into_response())
}

pub async fn add_child(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(code): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let fields = Fields(fields);
    auth.check_csrf(&fields.get("_csrf"))?;
    match create_child(&app, &auth.caller(), &code, Some(&fields.get("code")), &fields.get("name")).await {
        Ok(unit) => Ok(Redirect::to(&format!("/units/{}", unit.code)).into_response()),
        Err(err) => refuse(&app, lang, &auth, &code, "child", err, fields).await,
    }
}

/// The unit's page again, with the refused form's problems and what was typed in it.
pub(super) async fn refuse(app: &App, lang: Lang, auth: &Auth, code: &str, form: &'static str, err: AppError, fields: Fields) -> Result<Response, HttpError> {
    let refused = Refused::new(form, problems(err, lang)?, fields);
    unit_page(app, lang, auth, code, None, None, Vec::new(), refused).await
}

pub async fn assign_staff(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(code): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let fields = Fields(fields);
    auth.check_csrf(&fields.get("_csrf"))?;
    let duty = fields.get("duty");
    let result = match duty.as_str() {
        "none" => change_staff(&app, &auth.caller(), &code, &fields.get("login"), None).await,
        duty => match parse_duty(duty) {
            Ok(duty) => change_staff(&app, &auth.caller(), &code, &fields.get("login"), Some(duty)).await,
            Err(err) => Err(err.into()),
        },
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/units/{code}#staff")).into_response()),
        Err(err) => refuse(&app, lang, &auth, &code, "staff", err, fields).await,
    }
}

/// The file of an upload form, with its form token checked. The role and the unit are checked
/// before the body is read: an account that may not import there sends its megabytes for nothing.
async fn uploaded_file(app: &App, auth: &Auth, code: &str, mut multipart: Multipart) -> Result<Vec<u8>, HttpError> {
    roster::may_import(app, &auth.caller(), Some(&unit_code(code)?)).await?;
    let mut csrf = String::new();
    let mut file = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(|e| HttpError::BadRequest(e.to_string()))? {
        match field.name() {
            Some("_csrf") => csrf = field.text().await.map_err(|e| HttpError::BadRequest(e.to_string()))?,
            Some("file") => file = field.bytes().await.map_err(|e| HttpError::BadRequest(e.to_string()))?.to_vec(),
            _ => {}
        }
    }
    auth.check_csrf(&csrf)?;
    Ok(file)
}

/// Adds units below from a code,name,parent_code sheet.
pub async fn upload_units(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(code): Path<String>,
    multipart: Multipart,
) -> Result<Response, HttpError> {
    let file = uploaded_file(&app, &auth, &code, multipart).await?;
    match divisions::import(&app, &auth.caller(), &[("units".to_string(), file)]).await {
        Ok(_) => Ok(Redirect::to(&format!("/units/{code}")).into_response()),
        Err(AppError::Rows(rows)) => {
            let lines = roster::describe(&rows, lang, 200);
            unit_page(&app, lang, &auth, &code, None, None, lines, Refused::default()).await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn upload_roster(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(code): Path<String>,
    multipart: Multipart,
) -> Result<Response, HttpError> {
    let file = uploaded_file(&app, &auth, &code, multipart).await?;
    let into = unit_code(&code)?;
    let page = match roster::import(&app, &auth.caller(), &into, &file, &|_, _| {}).await {
        Ok(summary) => unit_page(&app, lang, &auth, &code, None, Some(summary), Vec::new(), Refused::default()).await?,
        Err(AppError::Rows(rows)) => {
            let lines = roster::describe(&rows, lang, 200);
            return unit_page(&app, lang, &auth, &code, None, None, lines, Refused::default()).await;
        }
        Err(other) => return Err(other.into()),
    };
    Ok(page)
}

/// What a printout says of who issued it: the issuing body nearest up its unit's path, the day
/// it is printed, and the unit whose page sets one (for the hint shown when none is set).
pub(super) struct IssuedBy {
    pub issuer: Option<Issuer>,
    pub printed_on: String,
    pub unit_code: String,
}

/// The issuing body of a printout about a record under `path` (of the unit `unit_code`) that
/// the caller has just been shown.
pub(super) async fn issued_by(app: &App, path: &crate::domain::UnitPath, unit_code: &str, now: chrono::DateTime<chrono::Utc>) -> Result<IssuedBy, HttpError> {
    let issuer = ops::issuing_body_over(app, path).await?;
    let printed_on = now.with_timezone(&chrono_tz::Asia::Shanghai).format("%Y年%m月%d日").to_string();
    Ok(IssuedBy { issuer, printed_on, unit_code: unit_code.to_string() })
}

#[derive(Template)]
#[template(path = "issuer.html")]
struct IssuerPage {
    c: Chrome,
    unit: Unit,
    crumbs: Vec<(String, String, bool)>,
    /// The body the unit's printouts carry now: its own or an ancestor's.
    issuer: Option<Issuer>,
    /// The unit's own, which the form starts from (empty when it has none).
    own: IssuingBody,
    can_set: bool,
    refused: Refused,
}

async fn issuer_page(app: &App, lang: Lang, auth: &Auth, code: &str, refused: Refused) -> Result<Response, HttpError> {
    let caller = auth.caller();
    let unit = ops::get(app, &caller, code).await?;
    let issuer = ops::issuing_body(app, &caller, code).await?;
    let own = match &issuer {
        Some(b) if b.unit_code == unit.code => IssuingBody { name: b.name.clone(), phone: b.phone.clone(), seal: b.seal.clone() },
        _ => IssuingBody::default(),
    };
    let crumbs = super::crumbs(app, auth, &unit.path).await?;
    let status = refused.status();
    let page = IssuerPage { c: Chrome::load(app, lang, auth).await?, unit, crumbs, issuer, own, can_set: caller.role.commands(), refused };
    Ok((status, render(&page)?).into_response())
}

/// The unit's issuing body of printouts: what its printouts carry, and HQ's form to set it.
pub async fn issuer(State(app): State<App>, RequestLang(lang): RequestLang, auth: Auth, Path(code): Path<String>) -> Result<Response, HttpError> {
    issuer_page(&app, lang, &auth, &code, Refused::default()).await
}

pub async fn set_issuer(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    auth: Auth,
    Path(code): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, HttpError> {
    let fields = Fields(fields);
    auth.check_csrf(&fields.get("_csrf"))?;
    let input = IssuingBodyInput { name: fields.get("issuer_name"), phone: fields.get("issuer_phone"), seal: fields.get("seal_text") };
    match ops::set_issuing_body(&app, &auth.caller(), &code, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/units/{code}/issuer")).into_response()),
        Err(err) => issuer_page(&app, lang, &auth, &code, Refused::new("issuer", problems(err, lang)?, fields)).await,
    }
}
