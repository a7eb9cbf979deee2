//! The JSON API under `/api/v1`, described by the OpenAPI document it serves.

mod accounts;
mod checkins;
mod checkpoints;
pub(crate) mod households;
mod isolation;
mod organisations;
mod people;
mod residents;
pub(crate) mod screening;
pub(crate) mod units;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{delete, get, post, put};

use crate::app::App;
use crate::http::body::{batch, upload};

/// The OpenAPI 3 document, kept beside the code it describes; a test checks that every
/// route is in it.
pub const OPENAPI: &str = include_str!("openapi.json");

pub fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/health", get(health))
        .route("/api/v1/login", post(accounts::log_in))
        .route("/api/v1/logout", post(accounts::log_out))
        .route("/api/v1/me", get(accounts::me))
        .route("/api/v1/accounts", get(accounts::list).post(accounts::create))
        .route("/api/v1/audit", get(accounts::audit))
        .route("/api/v1/units", post(units::create))
        .route("/api/v1/units/import", post(units::import).layer(upload()))
        .route("/api/v1/units/{code}", get(units::show).patch(units::rename))
        .route("/api/v1/units/{code}/households", get(units::households))
        .route("/api/v1/units/{code}/roster", post(units::import_roster).layer(upload()))
        .route("/api/v1/units/{code}/staff", get(units::staff))
        .route("/api/v1/units/{code}/staff/{login}", put(units::set_staff).delete(units::remove_staff))
        .route("/api/v1/households", post(households::create))
        .route("/api/v1/households/{id}", get(households::show).patch(households::update))
        .route("/api/v1/households/{id}/member", put(households::assign_member))
        .route("/api/v1/households/{id}/residents", post(residents::create))
        .route("/api/v1/members/{login}/households", get(households::of_member))
        .route("/api/v1/residents", get(residents::search))
        .route("/api/v1/residents/{id}", get(residents::show).patch(residents::update))
        .route("/api/v1/key-areas", get(screening::key_areas).post(screening::add_key_area))
        .route("/api/v1/key-areas/{id}", delete(screening::remove_key_area))
        .route("/api/v1/returnees", post(screening::register_returnee))
        .route("/api/v1/units/{code}/returnees", get(screening::returnees))
        .route("/api/v1/units/{code}/rounds", get(screening::rounds).post(screening::open_round))
        .route("/api/v1/rounds/{id}/coverage", get(screening::coverage))
        .route("/api/v1/rounds/{id}/unvisited", get(screening::unvisited))
        .route("/api/v1/rounds/{id}/visits", post(screening::record_visit))
        .route("/api/v1/checkpoints", post(checkpoints::create))
        .route("/api/v1/units/{code}/checkpoints", get(checkpoints::of_unit))
        .route("/api/v1/checkpoints/{id}", get(checkpoints::show))
        .route("/api/v1/checkpoints/{id}/token", post(checkpoints::rotate_token))
        .route("/api/v1/checkpoints/{id}/poster", get(checkpoints::poster))
        .route("/api/v1/checkpoints/{id}/shifts", get(checkpoints::shifts).post(checkpoints::add_shift))
        .route("/api/v1/checkpoints/{id}/passages", get(checkpoints::passages).post(checkpoints::log_passage))
        .route("/api/v1/checkpoints/{id}/registrations", get(checkpoints::registrations))
        .route("/api/v1/registrations/{id}/confirm", post(checkpoints::confirm))
        .route("/api/v1/people/{id}/trajectory", get(people::trajectory))
        .route("/api/v1/people/{id}/contacts", get(people::contacts))
        .route("/api/v1/people/{id}/contacts/screening", post(people::screen_contacts))
        .route("/api/v1/tasks", get(people::tasks))
        .route("/api/v1/alerts/{id}/ack", post(people::acknowledge))
        .route("/api/v1/screening-tasks/{id}/done", post(people::finish_screening))
        .route("/api/v1/isolations", post(isolation::order))
        .route("/api/v1/isolations/{id}", get(isolation::show))
        .route("/api/v1/isolations/{id}/followups", post(isolation::follow_up))
        .route("/api/v1/isolations/{id}/end", post(isolation::end))
        .route("/api/v1/units/{code}/isolations", get(isolation::of_unit))
        .route("/api/v1/escalations", get(isolation::escalations))
        .route("/api/v1/checkins", post(checkins::check_in).layer(batch()))
        .route("/api/v1/units/{code}/checkins", get(checkins::summary))
        .route("/api/v1/households/{id}/checkin-link", post(checkins::household_link))
        .route("/api/v1/organisations", post(organisations::create))
        .route("/api/v1/units/{code}/organisations", get(organisations::of_unit))
        .route("/api/v1/organisations/{id}/members", post(organisations::add_members).layer(batch()))
        .route("/api/v1/organisations/{id}/members/{member}/link", post(organisations::staff_link))
        .route("/api/v1/organisations/{id}/checkins", get(organisations::day).post(organisations::check_in).layer(batch()))
}

/// For load balancers (and the benchmark's floor): answers without touching the database.
async fn health() -> &'static str {
    "ok"
}

async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}
