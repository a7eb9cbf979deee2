use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use serde::Deserialize;

use axum::extract::Query;
use axum::http::{HeaderMap, header};
use axum::response::Html;

use super::{Chrome, local_path, problems, render};
use crate::app::accounts::{self as ops, Account, NewUser, UnitChoices};
use crate::app::{App, AppError};
use crate::domain::{Lang, Role};
use crate::http::HttpError;
use crate::http::auth::{Auth, ClientAddr, RequestLang};
use crate::http::auth::{DEVICE_COOKIE, cookie, device_cookie, expired_session_cookie, session_cookie};
use axum::Router;
use axum::routing::{get, post};

/// This capability's pages, gathered by `pages::routes`.
pub(super) fn routes() -> Router<App> {
    Router::new().route("/login", get(login_form).post(log_in)).route("/logout", post(log_out)).route("/accounts", get(list).post(create))
}

#[derive(Template)]
#[template(path = "accounts.html")]
struct AccountsPage {
    c: Chrome,
    accounts: Vec<Account>,
    roles: [Role; 6],
    /// The units a new account may act over, for the form's picker.
    choices: UnitChoices,
    /// The name of each account's unit, by code.
    unit_names: std::collections::HashMap<String, String>,
    /// Every problem of a refused form, each naming its field.
    errors: Vec<String>,
    /// What was typed into the form (never the password), kept when it is refused.
    typed: Typed,
}

impl AccountsPage {
    /// A unit's name (its code only if it has none).
    fn unit_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.unit_names.get(code).map_or(code, String::as_str)
    }

    /// A picker's option is indented by its depth (a select's options take no padding).
    fn indent(&self, depth: &usize) -> String {
        "\u{3000}".repeat(*depth)
    }
}

#[derive(Default)]
struct Typed {
    login: String,
    role: String,
    unit_code: String,
    unit_code_typed: String,
    display_name: String,
}

async fn page(app: &App, lang: Lang, auth: &Auth, errors: Vec<String>, typed: Typed) -> Result<Response, HttpError> {
    let caller = auth.caller();
    let accounts = ops::list(app, &caller).await?;
    let choices = ops::unit_choices(app, &caller).await?;
    let unit_names = ops::unit_names(app, &accounts).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = AccountsPage { c: Chrome::load(app, lang, auth).await?, accounts, roles: Role::ALL, choices, unit_names, errors, typed };
    Ok((status, render(&page)?).into_response())
}

pub async fn list(State(app): State<App>, RequestLang(lang): RequestLang, auth: Auth) -> Result<Response, HttpError> {
    // A new account starts as the least powerful role (no roster), and its unit as the admin's own.
    let account = &auth.session.account;
    let fresh = Typed { role: Role::Checkpoint.as_str().to_string(), unit_code: account.unit_code.clone(), ..Typed::default() };
    page(&app, lang, &auth, Vec::new(), fresh).await
}

#[derive(Deserialize)]
pub struct AccountForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
    login: String,
    password: String,
    role: String,
    #[serde(default)]
    unit_code: String,
    /// A unit below the picker's levels, typed by code (only in a large area).
    #[serde(default)]
    unit_code_typed: String,
    #[serde(default)]
    display_name: String,
}

pub async fn create(State(app): State<App>, RequestLang(lang): RequestLang, auth: Auth, Form(form): Form<AccountForm>) -> Result<Response, HttpError> {
    auth.check_csrf(&form.csrf)?;
    let unit_code = if form.unit_code_typed.trim().is_empty() { &form.unit_code } else { &form.unit_code_typed };
    let user = NewUser { login: &form.login, password: &form.password, role: &form.role, unit_code, display_name: &form.display_name };
    match ops::add_user(&app, &auth.caller(), user).await {
        Ok(_) => Ok(Redirect::to("/accounts").into_response()),
        Err(err) => {
            let errors = problems(err, lang)?;
            let typed =
                Typed { login: form.login, role: form.role, unit_code: form.unit_code, unit_code_typed: form.unit_code_typed, display_name: form.display_name };
            page(&app, lang, &auth, errors, typed).await
        }
    }
}

/// Accounts named as pages show them: by display name where the account has one, else by login.
#[derive(Default)]
pub(super) struct Names(std::collections::HashMap<String, String>);

impl Names {
    pub(super) async fn of<'a>(app: &App, logins: impl IntoIterator<Item = &'a str>) -> Result<Names, HttpError> {
        Ok(Names(ops::display_names(app, logins).await?))
    }

    /// The account's name, else its login.
    pub fn name<'a>(&'a self, login: &'a str) -> &'a str {
        self.0.get(login).map_or(login, String::as_str)
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    next: String,
    /// The login typed, kept when an attempt is refused.
    login: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_form(RequestLang(lang): RequestLang, Query(query): Query<NextQuery>) -> Result<Html<String>, HttpError> {
    render(&LoginPage { c: Chrome::new(lang, None), next: local_path(query.next.as_deref()), login: String::new(), error: None })
}

#[derive(Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn log_in(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, HttpError> {
    let next = local_path(Some(&form.next));
    let device = cookie(&headers, DEVICE_COOKIE);
    // Failed attempts before this login are told by the first page after it (`Chrome::load`).
    match ops::log_in(&app, &form.login, &form.password, client, device.as_deref()).await {
        Ok(done) => {
            let cookies = AppendHeaders([(header::SET_COOKIE, session_cookie(&done.token)), (header::SET_COOKIE, device_cookie(&done.device))]);
            Ok((cookies, Redirect::to(&next)).into_response())
        }
        Err(err @ (AppError::BadCredentials | AppError::TooManyAttempts { .. })) => {
            let err = HttpError::App(err);
            let login = form.login.chars().take(64).collect();
            let page = LoginPage { c: Chrome::new(lang, None), next, login, error: Some(err.message(lang)) };
            Ok((err.status(), err.retry_after(), render(&page)?).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

pub async fn log_out(State(app): State<App>, auth: Auth, Form(form): Form<CsrfForm>) -> Result<Response, HttpError> {
    auth.check_csrf(&form.csrf)?;
    ops::log_out(&app, &auth.token).await?;
    Ok(([(header::SET_COOKIE, expired_session_cookie())], Redirect::to("/login")).into_response())
}
