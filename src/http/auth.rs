//! Who is asking: the session cookie, the language, and the same-origin check that,
//! with SameSite cookies and per-session form tokens, keeps other sites from acting
//! in a user's name.

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::HttpError;
use crate::app::accounts::Session;
use crate::app::{App, accounts};
use crate::domain::{Caller, DomainError, Lang, Permission};

pub const SESSION_COOKIE: &str = "wangge_session";
pub const LANG_COOKIE: &str = "lang";
pub const DEVICE_COOKIE: &str = "wangge_device";

/// A logged-in account, from its session cookie.
pub struct Auth {
    pub session: Session,
    pub token: String,
    pub now: chrono::DateTime<chrono::Utc>,
}

impl Auth {
    pub fn caller(&self) -> Caller {
        self.session.account.caller(self.now)
    }

    /// Checks the token a page form carries against the session's.
    pub fn check_csrf(&self, token: &str) -> Result<(), HttpError> {
        if !token.is_empty() && token == self.session.csrf { Ok(()) } else { Err(HttpError::CsrfMismatch) }
    }
}

/// A permission a route needs before its body is read (see `May`).
pub trait Gate {
    const PERMISSION: Permission;
    /// What the role may not do, as the refusal says it.
    const WHAT: &'static str;
}

/// The gates of the write routes, one per permission they need.
pub mod gate {
    use super::{Gate, Permission};

    macro_rules! gates {
        ($($name:ident => $what:literal),* $(,)?) => {
            $(
                pub struct $name;
                impl Gate for $name {
                    const PERMISSION: Permission = Permission::$name;
                    const WHAT: &'static str = $what;
                }
            )*
        };
    }

    gates!(
        WriteRoster => "change the roster",
        Screen => "screen people",
        Command => "do command HQ's work",
        ManageCheckpoints => "set up checkpoints",
        LogPassages => "log passages",
        TraceContacts => "trace contacts",
        ManageAccounts => "manage accounts",
    );
}

/// A logged-in account whose role has the permission `G`: checked before the request's body
/// is read (axum reads a request's parts before its body), so that a role that may not do
/// something is told 403 whatever it sends, never what is wrong with what it sent. The app
/// checks again and stays the authority (the command line goes through it alone).
pub struct May<G>(pub Auth, pub std::marker::PhantomData<G>);

impl<G: Gate> FromRequestParts<App> for May<G> {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<May<G>, HttpError> {
        let auth = Auth::from_request_parts(parts, app).await?;
        if !auth.session.account.role.may(G::PERMISSION) {
            return Err(crate::app::AppError::from(DomainError::NotAllowed(G::WHAT)).into());
        }
        Ok(May(auth, std::marker::PhantomData))
    }
}

impl FromRequestParts<App> for Auth {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Auth, HttpError> {
        let token = cookie(&parts.headers, SESSION_COOKIE).ok_or(HttpError::Unauthenticated)?;
        let session = accounts::session(app, &token).await?.ok_or(HttpError::Unauthenticated)?;
        Ok(Auth { session, token, now: app.clock.now() })
    }
}

/// The session cookie of a request, not yet looked up: for a write that checks the session
/// itself, in the same transaction (`store::Principal::Session`).
pub struct SessionToken(pub String);

impl<S: Send + Sync> FromRequestParts<S> for SessionToken {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<SessionToken, HttpError> {
        cookie(&parts.headers, SESSION_COOKIE).filter(|token| accounts::plausible_token(token)).map(SessionToken).ok_or(HttpError::Unauthenticated)
    }
}

/// The address of the client at the other end of the connection (the server is served with
/// `ConnectInfo`), which login throttles count by. A header such as `X-Forwarded-For` is
/// never trusted: any client can write one. `None` when the router runs without connections.
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<ClientAddr, Self::Rejection> {
        let connected = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>();
        Ok(ClientAddr(connected.map(|info| info.0.ip())))
    }
}

/// The language of the request: the `lang` cookie, else Accept-Language, else Chinese.
pub struct RequestLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for RequestLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<RequestLang, Self::Rejection> {
        Ok(RequestLang(request_lang(&parts.headers)))
    }
}

pub fn request_lang(headers: &HeaderMap) -> Lang {
    if let Some(lang) = cookie(headers, LANG_COOKIE).and_then(|v| Lang::parse(&v)) {
        return lang;
    }
    headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(|v| v.split(',').next()).and_then(Lang::parse).unwrap_or_default()
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

pub fn session_cookie(token: &str) -> String {
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}", accounts::SESSION_DAYS * 86_400)
}

/// The browser's device cookie: once it has logged in to a login, its attempts at that login
/// are throttled by themselves (`app::accounts::log_in`).
pub fn device_cookie(token: &str) -> String {
    format!("{DEVICE_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}", accounts::DEVICE_TRUST_DAYS * 86_400)
}

pub fn expired_session_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// Refuses state-changing requests whose Origin names another site.
pub async fn same_origin(request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe {
        let origin = request.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok());
        let host = request.headers().get(header::HOST).and_then(|v| v.to_str().ok());
        if let (Some(origin), Some(host)) = (origin, host) {
            let origin_host = origin.split("://").nth(1).unwrap_or(origin);
            if origin_host != host {
                return HttpError::CsrfMismatch.into_response();
            }
        }
    }
    next.run(request).await
}
