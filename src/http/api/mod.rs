//! The JSON API under `/api/v1`, described by the OpenAPI document it serves.

mod accounts;
pub(crate) mod households;
mod residents;
pub(crate) mod units;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post, put};

use crate::app::App;

/// The OpenAPI 3 document, kept beside the code it describes; a test checks that every
/// route is in it.
pub const OPENAPI: &str = include_str!("openapi.json");

pub fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/login", post(accounts::log_in))
        .route("/api/v1/logout", post(accounts::log_out))
        .route("/api/v1/me", get(accounts::me))
        .route("/api/v1/accounts", get(accounts::list).post(accounts::create))
        .route("/api/v1/audit", get(accounts::audit))
        .route("/api/v1/units", post(units::create))
        .route("/api/v1/units/import", post(units::import))
        .route("/api/v1/units/{code}", get(units::show).patch(units::rename))
        .route("/api/v1/units/{code}/households", get(units::households))
        .route("/api/v1/units/{code}/roster", post(units::import_roster))
        .route("/api/v1/units/{code}/staff", get(units::staff))
        .route("/api/v1/units/{code}/staff/{login}", put(units::set_staff).delete(units::remove_staff))
        .route("/api/v1/households", post(households::create))
        .route("/api/v1/households/{id}", get(households::show).patch(households::update))
        .route("/api/v1/households/{id}/member", put(households::assign_member))
        .route("/api/v1/households/{id}/residents", post(residents::create))
        .route("/api/v1/members/{login}/households", get(households::of_member))
        .route("/api/v1/residents", get(residents::search))
        .route("/api/v1/residents/{id}", get(residents::show).patch(residents::update))
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}
