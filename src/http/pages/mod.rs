//! HTML pages for people: rendered on the server, light, and usable on a 360-px phone.

mod accounts;
mod checkins;
mod checkpoints;
mod command;
mod figures;
mod households;
mod i18n;
mod isolation;
mod maps;
mod organisations;
mod pager;
mod people;
mod public;
mod record_words;
mod screening;
mod trends;
mod units;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;

use super::HttpError;
use super::auth::{Auth, LANG_COOKIE, RequestLang};
use crate::app::audit::{self, AuditEntry};
use crate::app::{App, AppError};
use crate::domain::Lang;

pub use i18n::Texts;
pub use pager::Pager;

/// Every capability's pages: one line per capability.
pub fn routes() -> Router<App> {
    Router::new()
        .route("/", get(home))
        .route("/lang/{tag}", get(switch_lang))
        .route("/static/{file}", get(static_file))
        .route("/audit", get(audit))
        .merge(accounts::routes())
        .merge(units::routes())
        .merge(households::routes())
        .merge(public::routes())
        .merge(checkins::routes())
        .merge(organisations::routes())
        .merge(isolation::routes())
        .merge(checkpoints::routes())
        .merge(people::routes())
        .merge(screening::routes())
        .merge(command::routes())
        .merge(trends::routes())
        .merge(figures::routes())
        .merge(maps::routes())
}

/// What every page shows around its content: the words, the user, the form token.
pub struct Chrome {
    pub t: Texts,
    pub user: Option<UserView>,
    pub csrf: String,
    /// How many tasks wait in the user's inbox (the header's badge).
    pub tasks: usize,
    /// The failed attempts to log in before this session's login, told on its first page.
    pub failed_logins: Option<String>,
}

pub struct UserView {
    pub login: String,
    pub role: String,
    pub unit_code: String,
    pub is_admin: bool,
    pub holds_households: bool,
    pub reads_roster: bool,
    /// Whether the header links to the search (residents, or people seen at checkpoints).
    pub searches: bool,
}

impl Chrome {
    /// Whether the page may link to the roster's pages (a member's households, the search).
    pub fn reads_roster(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.reads_roster)
    }

    pub fn new(lang: Lang, auth: Option<&Auth>) -> Chrome {
        let t = Texts { lang };
        let user = auth.map(|a| {
            let account = &a.session.account;
            UserView {
                login: account.login.clone(),
                role: t.role(&account.role).to_string(),
                unit_code: account.unit_code.clone(),
                is_admin: account.role.reads_audit(),
                holds_households: account.role.holds_households(),
                reads_roster: account.role.reads_roster(),
                searches: account.role.reads_roster() || account.role.reads_trajectories(),
            }
        });
        Chrome { t, user, csrf: auth.map(|a| a.session.csrf.clone()).unwrap_or_default(), tasks: 0, failed_logins: None }
    }

    /// The chrome of a logged-in page, with the inbox badge, and once after a login that
    /// followed failed attempts, how many there were.
    pub async fn load(app: &App, lang: Lang, auth: &Auth) -> Result<Chrome, HttpError> {
        let mut chrome = Chrome::new(lang, Some(auth));
        chrome.tasks = crate::app::tasks::inbox_count(app, &auth.caller()).await?;
        if auth.session.failed_logins > 0 {
            crate::app::accounts::told_failed_logins(app, &auth.token).await?;
            chrome.failed_logins = Some(chrome.t.failed_logins(auth.session.failed_logins));
        }
        Ok(chrome)
    }
}

/// The units from the top down to `path`, each linked if the caller may open it.
pub async fn crumbs(app: &App, auth: &Auth, path: &crate::domain::UnitPath) -> Result<Vec<(String, String, bool)>, HttpError> {
    Ok(crate::app::units::crumbs(app, &auth.caller(), path).await?.into_iter().map(|c| (c.code, c.name, c.open)).collect())
}

pub fn render(template: &impl Template) -> Result<Html<String>, HttpError> {
    template.render().map(Html).map_err(|e| AppError::Internal(e.to_string()).into())
}

/// Percent-encodes a string for a query parameter.
pub fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Only paths on this server are followed after login or a language switch: one leading `/`,
/// no `//` or `\` (which browsers read as another host), no control characters (which they
/// drop: `/\t/evil.example` is `//evil.example`), neither as given nor percent-decoded;
/// anything else is `/`.
pub fn local_path(next: Option<&str>) -> String {
    fn on_this_server(path: &[u8]) -> bool {
        path.first() == Some(&b'/') && !path.windows(2).any(|w| w == b"//") && !path.iter().any(|&b| b == b'\\' || b < 0x20 || b == 0x7f)
    }
    let Some(next) = next else { return "/".into() };
    let mut layer = next.as_bytes().to_vec();
    // Each layer of percent-encoding, as far as one would go.
    for _ in 0..4 {
        if !on_this_server(&layer) {
            return "/".into();
        }
        let decoded = percent_decode(&layer);
        if decoded == layer {
            // A Location header is ASCII: anything else is sent percent-encoded.
            return next.bytes().map(|b| if b.is_ascii() { char::from(b).to_string() } else { format!("%{b:02X}") }).collect();
        }
        layer = decoded;
    }
    "/".into()
}

/// `%XX` escapes decoded; anything else (a lone `%` too) left as it is.
fn percent_decode(text: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        match (text[i], text.get(i + 1).copied().and_then(hex), text.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// What a form sent, field by field and in order: read by name, and shown again when the
/// form is refused, so that nothing typed is lost.
#[derive(Debug, Clone, Default)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value sent under `name`, or empty.
    pub fn get(&self, name: &str) -> String {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    /// Every value sent under `name` (checkboxes).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }
}

/// A refused form: which of the page's forms it was, every problem (each naming its field as
/// the form labels it), and what was typed, which the page shows again in that form only.
#[derive(Debug, Default)]
pub struct Refused {
    pub form: &'static str,
    pub errors: Vec<String>,
    pub fields: Fields,
}

impl Refused {
    pub fn new(form: &'static str, errors: Vec<String>, fields: Fields) -> Refused {
        Refused { form, errors, fields }
    }

    /// Whether `form` is the refused one.
    pub fn is(&self, form: &str) -> bool {
        !self.errors.is_empty() && self.form == form
    }

    /// What was typed into `form`'s field `name` when it was refused, else empty.
    pub fn kept(&self, form: &str, name: &str) -> String {
        if self.is(form) { self.fields.get(name) } else { String::new() }
    }

    /// What was typed into `form`'s field `name` when it was refused, else `default`.
    pub fn kept_or(&self, form: &str, name: &str, default: &str) -> String {
        if self.is(form) { self.fields.get(name) } else { default.to_string() }
    }

    /// Whether the choice `value` of `name` is to be shown chosen: as sent when `form` was
    /// refused, else when it is the form's default.
    pub fn chose(&self, form: &str, name: &str, value: &str, default: impl std::borrow::Borrow<bool>) -> bool {
        if self.is(form) { self.fields.0.iter().any(|(k, v)| k == name && v == value) } else { *default.borrow() }
    }

    /// `kept` for the field `name_{index}` of a form with one set of fields per person.
    pub fn kept_at(&self, form: &str, name: &str, index: impl std::fmt::Display) -> String {
        self.kept(form, &format!("{name}_{index}"))
    }

    /// `chose` for the field `name_{index}` of a form with one set of fields per person.
    pub fn chose_at(&self, form: &str, name: &str, index: impl std::fmt::Display, value: &str, default: bool) -> bool {
        self.chose(form, &format!("{name}_{index}"), value, default)
    }

    /// The status of a page showing this: 422 when a form was refused.
    pub fn status(&self) -> StatusCode {
        if self.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY }
    }
}

/// What a refused form says beside it: one message per problem with what was typed, each naming
/// its field. Errors that are no problem with what was typed (a role refused, a failure) are
/// given back, to become the error page.
pub fn problems(err: AppError, lang: Lang) -> Result<Vec<String>, HttpError> {
    use crate::domain::DomainError;
    use crate::domain::table::RowProblem;
    match err {
        AppError::Domain(DomainError::NotAllowed(_)) => Err(err.into()),
        AppError::Domain(err) => Ok(err.each().into_iter().map(|e| e.message(lang)).collect()),
        // A form is one row: its problems are said by field, not by row.
        AppError::Rows(rows) => Ok(rows
            .iter()
            .map(|r| match &r.problem {
                RowProblem::Field(e) => e.message(lang),
                _ => r.message(lang),
            })
            .collect()),
        err @ AppError::Conflict(_) => Ok(vec![HttpError::App(err).message(lang)]),
        err => Err(err.into()),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    message: String,
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    c: Chrome,
    /// The key of the page's heading (and title).
    heading: &'static str,
    message: String,
}

/// A page that only says something (to the public, who have no account), under a heading
/// given by its key.
pub fn message_page(lang: Lang, heading: &'static str, message: &str) -> String {
    MessagePage { c: Chrome::new(lang, None), heading, message: message.to_string() }.render().unwrap_or_else(|_| message.to_string())
}

pub fn error_page(lang: Lang, err: &HttpError) -> String {
    let page = ErrorPage { c: Chrome::new(lang, None), message: err.message(lang) };
    page.render().unwrap_or_else(|_| err.message(lang))
}

/// Each account lands on the page of its day's work: its unit's dashboard (HQ, leaders,
/// inspectors), its checkpoint, or its unit.
async fn home(State(app): State<App>, auth: Auth) -> Result<Redirect, HttpError> {
    let unit = &auth.session.account.unit_code;
    if crate::app::command::lands_on_dashboard(&auth.caller()) {
        return Ok(Redirect::to(&format!("/units/{unit}/dashboard")));
    }
    Ok(match crate::app::checkpoints::landing(&app, &auth.caller(), unit).await? {
        Some(checkpoint) => Redirect::to(&format!("/checkpoints/{checkpoint}")),
        None => Redirect::to(&format!("/units/{unit}")),
    })
}

async fn switch_lang(Path(tag): Path<String>, headers: HeaderMap) -> Response {
    let lang = Lang::parse(&tag).unwrap_or_default();
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|i| rest[i..].to_string()));
    let cookie = format!("{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000", lang.tag());
    ([(header::SET_COOKIE, cookie)], Redirect::to(&local_path(back.as_deref()))).into_response()
}

async fn static_file(Path(file): Path<String>) -> Response {
    match file.as_str() {
        "app.css" => {
            ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], include_str!("../../../static/app.css"))
                .into_response()
        }
        "print.css" => {
            ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], include_str!("../../../static/print.css"))
                .into_response()
        }
        "app.js" => (
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
            include_str!("../../../static/app.js"),
        )
            .into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    entries: Vec<AuditEntry>,
    /// How many entries the filter finds on every page (counted up to a cap; `more` past it).
    total: i64,
    more: bool,
    query: audit::AuditQuery,
    /// The next page's address, with the filters.
    older: Option<String>,
    error: Option<String>,
}

impl AuditPage {
    fn entities(&self) -> &'static [&'static str] {
        audit::ENTITIES
    }
}

async fn audit(State(app): State<App>, RequestLang(lang): RequestLang, auth: Auth, Query(query): Query<audit::AuditQuery>) -> Result<Response, HttpError> {
    let c = Chrome::load(&app, lang, &auth).await?;
    let (page, error) = match audit::log(&app, &auth.caller(), &query, 100).await {
        Ok(page) => (page, None),
        // A role that may not read the log is refused as everywhere (403), not shown the form.
        Err(AppError::Domain(err)) if !matches!(err, crate::domain::DomainError::NotAllowed(_)) => {
            (audit::AuditPage { items: Vec::new(), total: 0, more: false }, Some(err.message(lang)))
        }
        Err(err) => return Err(err.into()),
    };
    let audit::AuditPage { items: entries, total, more } = page;
    let older = (entries.len() == 100).then(|| entries.last().map(|e| e.id)).flatten().map(|before| {
        format!(
            "/audit?who={}&what={}&from={}&to={}&before={before}",
            url_encode(query.who.trim()),
            url_encode(query.what.trim()),
            url_encode(query.from.trim()),
            url_encode(query.to.trim())
        )
    });
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, render(&AuditPage { c, entries, total, more, query, older, error })?).into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_paths_on_this_server_are_followed() {
        assert_eq!(super::local_path(Some("/units/科尔沁")), "/units/%E7%A7%91%E5%B0%94%E6%B2%81", "sent as ASCII");
        for hostile in [
            "/\t/evil.example/phish",
            "/\n/x",
            "/\r\nSet-Cookie:x",
            "//evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/%09/evil.example",
            "/%0A/x",
            "/%2F/evil.example",
            "/%5Cevil.example",
            "/%250A/x",
            "/%25250A/x",
            "https://evil.example",
            "javascript:alert(1)",
            "evil.example",
            "",
            "/\u{7f}",
            "/a%7F",
        ] {
            assert_eq!(super::local_path(Some(hostile)), "/", "{hostile:?}");
        }
        for good in ["/", "/units/150502?x=1", "/search?q=%E5%BC%A0", "/units/150502#top", "/a%"] {
            assert_eq!(super::local_path(Some(good)), good);
        }
        assert_eq!(super::local_path(None), "/");
    }
}
