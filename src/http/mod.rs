//! The web doors: JSON under `/api/v1` and HTML pages, both thin layers over `app`.
//! The server runs on a listener it is handed, so tests can bind port 0.

pub mod api;
mod auth;
mod error;
pub mod pages;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tokio::net::TcpListener;

use crate::app::App;

pub use error::HttpError;

/// The largest request body: roster uploads are the big ones.
const MAX_BODY: usize = 256 * 1024 * 1024;

pub fn router(app: App) -> Router {
    Router::new()
        .merge(api::routes())
        .merge(pages::routes())
        .layer(axum::middleware::from_fn(auth::same_origin))
        .layer(axum::middleware::from_fn(error::render_errors))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(app)
}

/// Serves until the process is stopped.
pub async fn serve(listener: TcpListener, app: App) -> std::io::Result<()> {
    axum::serve(listener, router(app)).await
}
