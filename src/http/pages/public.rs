//! The public self-registration page behind a checkpoint's QR code (自主录入、快速登记):
//! no account, rate-limited per client, and it shows nobody's data but what was just typed.

use std::net::SocketAddr;
use std::sync::Arc;

use askama::Template;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::{Extension, Form};

use super::{Chrome, render};
use crate::app::App;
use crate::app::checkpoints::{RegisterError, RegistrationInput, register_self};
use crate::domain::Lang;
use crate::http::HttpError;
use crate::http::auth::RequestLang;
use crate::http::limit::PublicLimits;
use axum::Router;
use axum::routing::get;

/// This capability's pages, gathered by `pages::routes`.
pub(super) fn routes() -> Router<App> {
    Router::new().route("/r/{token}", get(form).post(submit))
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage {
    c: Chrome,
    token: String,
    checkpoint: String,
    form: RegistrationInput,
    errors: Vec<String>,
    /// The short code a traveller shows staff once registered.
    done: Option<String>,
}

pub fn too_many(lang: Lang) -> Response {
    let message = if lang == Lang::Zh { "提交过于频繁，请稍候一分钟再试。" } else { "Too many requests; please wait a minute and try again." };
    (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "60")], Html(super::message_page(lang, "wait_a_minute", message))).into_response()
}

fn unknown_poster(lang: Lang) -> Response {
    let message = if lang == Lang::Zh {
        "此二维码已失效，请扫描卡点现场张贴的最新二维码。"
    } else {
        "This QR code is no longer valid; scan the poster at the checkpoint."
    };
    (StatusCode::NOT_FOUND, Html(super::message_page(lang, "link_not_valid", message))).into_response()
}

pub async fn form(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    Extension(limits): Extension<Arc<PublicLimits>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
) -> Result<Response, HttpError> {
    if !limits.views.allow(client.ip()) {
        return Ok(too_many(lang));
    }
    let Some(checkpoint) = crate::app::checkpoints::poster_checkpoint_name(&app, &token).await? else { return Ok(unknown_poster(lang)) };
    let page = RegisterPage { c: Chrome::new(lang, None), token, checkpoint, form: RegistrationInput::default(), errors: Vec::new(), done: None };
    Ok(render(&page)?.into_response())
}

pub async fn submit(
    State(app): State<App>,
    RequestLang(lang): RequestLang,
    Extension(limits): Extension<Arc<PublicLimits>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    Form(form): Form<RegistrationInput>,
) -> Result<Response, HttpError> {
    if !limits.submissions.allow(client.ip()) {
        return Ok(too_many(lang));
    }
    let Some(checkpoint) = crate::app::checkpoints::poster_checkpoint_name(&app, &token).await? else { return Ok(unknown_poster(lang)) };
    match register_self(&app, &token, &form).await {
        Ok(registration) => {
            let code = registration.id.simple().to_string();
            let done = code[code.len() - 4..].to_uppercase();
            let page = RegisterPage { c: Chrome::new(lang, None), token, checkpoint, form: RegistrationInput::default(), errors: Vec::new(), done: Some(done) };
            Ok(render(&page)?.into_response())
        }
        Err(RegisterError::Invalid(errors)) => {
            let errors = errors.iter().map(|e| e.message(lang)).collect();
            let page = RegisterPage { c: Chrome::new(lang, None), token, checkpoint, form, errors, done: None };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(RegisterError::UnknownPoster) => Ok(unknown_poster(lang)),
        Err(RegisterError::Failed(err)) => Err(err.into()),
    }
}
