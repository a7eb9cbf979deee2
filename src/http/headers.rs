//! The protections every response carries: a content security policy (the pages use no
//! inline script or style, so `'self'` is all they need), no framing, no MIME sniffing, no
//! referrer beyond this site, no caching of anything that may hold personal data, and
//! `Secure` cookies when the server is reached over HTTPS.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::app::App;

pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

pub async fn protect(State(app): State<App>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    // Pages and API answers may hold personal data: no cache keeps them unless a handler says
    // otherwise (the static files do).
    headers.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    if app.settings.secure_cookies {
        let cookies: Vec<HeaderValue> = headers.get_all(header::SET_COOKIE).iter().cloned().collect();
        if !cookies.is_empty() {
            headers.remove(header::SET_COOKIE);
            for cookie in cookies {
                let secure = cookie.to_str().ok().filter(|c| !c.contains("; Secure")).and_then(|c| HeaderValue::from_str(&format!("{c}; Secure")).ok());
                headers.append(header::SET_COOKIE, secure.unwrap_or(cookie));
            }
        }
    }
    response
}
