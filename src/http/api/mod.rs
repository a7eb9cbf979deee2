//! The JSON API under `/api/v1`. Each capability's module exports its routes (`routes()`),
//! each handler documented by `#[utoipa::path]` beside its code and answering a typed value;
//! this module gathers them, one line per capability, into the router and the OpenAPI 3.1
//! document served at `/api/v1/openapi.json`, with Swagger UI at `/api/v1/docs`.

mod accounts;
mod checkins;
mod checkpoints;
mod command;
mod confirmations;
mod figures;
mod households;
mod isolation;
mod maps;
mod organisations;
mod people;
mod residents;
mod screening;
mod trends;
mod units;

use axum::Router;
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use utoipa_swagger_ui::SwaggerUi;

use crate::app::App;
use crate::http::error::ErrorBody;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "wangge 网格 API",
        version = "1",
        description = "Grid-based epidemic prevention and control. Log in with POST /api/v1/login; the session cookie authorises every other call. Every list and record is limited to the caller's unit and its subtree; a record outside it answers 404. Lists mask ID numbers and phones; full records are audited. A create may carry its own id: the same request again answers the stored record; any other use of the id answers 409."
    ),
    components(schemas(ErrorBody)),
    modifiers(&SessionCookie),
    security(("session" = []))
)]
struct ApiDoc;

/// The session cookie that `POST /api/v1/login` sets authorises every other call.
struct SessionCookie;

impl utoipa::Modify for SessionCookie {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme("session", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(crate::http::auth::SESSION_COOKIE))));
    }
}

/// Every capability's routes with their documentation: one line per capability.
fn documented() -> OpenApiRouter<App> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health))
        .merge(accounts::routes())
        .merge(units::routes())
        .merge(households::routes())
        .merge(residents::routes())
        .merge(screening::routes())
        .merge(checkpoints::routes())
        .merge(people::routes())
        .merge(isolation::routes())
        .merge(checkins::routes())
        .merge(organisations::routes())
        .merge(command::routes())
        .merge(confirmations::routes())
        .merge(trends::routes())
        .merge(figures::routes())
        .merge(maps::routes())
}

/// The API's router, its OpenAPI document and the Swagger UI that reads it.
pub fn routes() -> Router<App> {
    let (router, doc) = documented().split_for_parts();
    let known = std::sync::Arc::new(DocumentedReads::of(&doc));
    router
        .route_layer(axum::middleware::from_fn(move |request, next| refuse_undocumented_input(known.clone(), request, next)))
        .merge(SwaggerUi::new("/api/v1/docs").url("/api/v1/openapi.json", doc))
}

/// What each route documents it reads, by path template, then method (looked up by `&str`,
/// so that a request allocates nothing to find them).
struct DocumentedReads(std::collections::HashMap<String, std::collections::HashMap<&'static str, Reads>>);

/// The query parameters a route documents, and whether it reads a body.
struct Reads {
    parameters: Vec<String>,
    body: bool,
}

impl DocumentedReads {
    fn of(doc: &utoipa::openapi::OpenApi) -> DocumentedReads {
        use utoipa::openapi::RefOr;
        use utoipa::openapi::path::ParameterIn;
        let mut known: std::collections::HashMap<String, std::collections::HashMap<&'static str, Reads>> = std::collections::HashMap::new();
        for (path, item) in &doc.paths.paths {
            let operations = [("GET", &item.get), ("POST", &item.post), ("PUT", &item.put), ("PATCH", &item.patch), ("DELETE", &item.delete)];
            for (method, operation) in operations {
                let Some(operation) = operation else { continue };
                let names = operation.parameters.iter().flatten().filter_map(|p| match p {
                    RefOr::T(p) if matches!(p.parameter_in, ParameterIn::Query) => Some(p.name.clone()),
                    _ => None,
                });
                let reads = Reads { parameters: names.collect(), body: operation.request_body.is_some() };
                known.entry(path.clone()).or_default().insert(method, reads);
            }
        }
        DocumentedReads(known)
    }
}

/// A parameter the route does not document is refused by name, as a misspelt field of a
/// body is (`#[serde(deny_unknown_fields)]`), on the routes that read no query at all too:
/// `?limit=1` on a list that takes none would otherwise answer the whole list unasked. So is
/// a body sent to a route that reads none (`{"note": …}` with an acknowledgement would be
/// dropped unsaid), other than the empty ones clients send by habit (`{}`, `null`).
async fn refuse_undocumented_input(
    known: std::sync::Arc<DocumentedReads>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let Some(route) = request.extensions().get::<axum::extract::MatchedPath>() else {
        return next.run(request).await;
    };
    // HEAD is answered as GET is (without the body), so it is checked as GET.
    let method = if request.method() == axum::http::Method::HEAD { "GET" } else { request.method().as_str() };
    let Some(reads) = known.0.get(route.as_str()).and_then(|methods| methods.get(method)) else {
        return next.run(request).await;
    };
    let request = if !reads.body && carries_a_body(request.headers()) {
        let (parts, body) = request.into_parts();
        // Read for a moment at most: a client that announces a body and never sends it is
        // not waited for.
        let read = tokio::time::timeout(std::time::Duration::from_secs(10), axum::body::to_bytes(body, 1024)).await;
        let empty = match read {
            Ok(Ok(bytes)) if says_nothing(&bytes) => Some(bytes),
            _ => None,
        };
        let Some(bytes) = empty else {
            let detail = "This request takes no body".to_string();
            return crate::http::HttpError::Rejected { status: axum::http::StatusCode::BAD_REQUEST, detail }.into_response();
        };
        axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes))
    } else {
        request
    };
    let Some(query) = request.uri().query() else {
        return next.run(request).await;
    };
    let names = &reads.parameters;
    let unknown = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once('=').map_or(pair, |(name, _)| name))
        .find(|name| !names.iter().any(|n| n == name));
    match unknown {
        None => next.run(request).await,
        Some(name) => {
            // Worded as serde words an unknown field, so that one place turns it into the user's words.
            let expected = match names.as_slice() {
                [] => "there are no fields".to_string(),
                [one] => format!("expected `{one}`"),
                many => format!("expected one of {}", many.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")),
            };
            let detail = format!("Failed to deserialize query string: unknown field `{name}`, {expected}");
            crate::http::HttpError::Rejected { status: axum::http::StatusCode::BAD_REQUEST, detail }.into_response()
        }
    }
}

/// Whether a body is one of the empty ones clients send by habit: nothing, or JSON's `{}` or
/// `null` however spaced.
fn says_nothing(body: &[u8]) -> bool {
    body.trim_ascii().is_empty() || serde_json::from_slice::<serde_json::Value>(body).is_ok_and(|v| v.is_null() || v.as_object().is_some_and(|o| o.is_empty()))
}

/// Whether a request says it brings a body: a length above 0, or one sent in chunks.
fn carries_a_body(headers: &axum::http::HeaderMap) -> bool {
    use axum::http::header::{CONTENT_LENGTH, TRANSFER_ENCODING};
    headers.contains_key(TRANSFER_ENCODING) || headers.get(CONTENT_LENGTH).is_some_and(|length| length.as_bytes() != b"0")
}

/// The OpenAPI document, as `/api/v1/openapi.json` serves it.
pub fn openapi() -> utoipa::openapi::OpenApi {
    documented().into_openapi()
}

/// For load balancers (and the benchmark's floor): answers without touching the database.
#[utoipa::path(get, path = "/api/v1/health", tag = "service", security(()), responses((status = 200, description = "The server is up", body = String, example = "ok")))]
async fn health() -> &'static str {
    "ok"
}

/// A list's answer: `{"items": [...]}`.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct Items<T> {
    pub items: Vec<T>,
}

/// A part of a longer list: `{"items": [...], "total": N}`, `total` counting the whole list.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct Counted<T> {
    pub items: Vec<T>,
    pub total: i64,
}

/// A change that answers only that it was made: `{"ok": true}`.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct Done {
    pub ok: bool,
}

/// A record made: its id (the client's own, when the request carried one).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct Created {
    pub id: uuid::Uuid,
}

/// What any call that needs a session may answer instead (the body is `ErrorBody`).
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // documentation only: the errors themselves are `HttpError`s.
pub(super) enum Errors {
    /// Not logged in, or the session has ended.
    #[response(status = 401)]
    Unauthenticated(ErrorBody),
    /// The caller's role may not do this.
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// No such record in the caller's area (a record outside it answers the same).
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// The input is not valid: `message` names the field, `errors` each bad row.
    #[response(status = 422)]
    Invalid(ErrorBody),
}

/// What a create that may carry its own id may answer instead.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub(super) enum Conflict {
    /// The id is taken: by another record, or by this one with another body.
    #[response(status = 409)]
    Taken(ErrorBody),
}

/// A record's id in the path.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub(super) struct IdParam {
    /// The record's id (a UUID).
    id: uuid::Uuid,
}

/// A unit's code in the path (the division code, e.g. `150502001001`).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub(super) struct UnitCodeParam {
    code: String,
}
