//! The web doors: JSON under `/api/v1` and HTML pages, both thin layers over `app`.
//! The server runs on a listener it is handed, so tests can bind port 0.

pub mod api;
mod auth;
pub mod body;
mod charts;
mod common;
mod drawing;
mod error;
pub mod headers;
mod limit;
mod maps;
pub mod pages;

use axum::Router;
use tokio::net::TcpListener;

use crate::app::App;

pub use error::HttpError;

pub fn router(app: App) -> Router {
    Router::new()
        .merge(api::routes())
        .merge(pages::routes())
        .layer(axum::Extension(std::sync::Arc::new(limit::PublicLimits::default())))
        .layer(axum::middleware::from_fn(auth::same_origin))
        .layer(axum::middleware::from_fn(error::render_errors))
        .layer(axum::middleware::from_fn_with_state(app.clone(), headers::protect))
        .layer(body::default())
        // Pages and lists compress well (a county's check-in list: 243 KB, 12.8 KB gzipped).
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(app)
}

/// Serves until the process is stopped. Beside the requests, every minute it sweeps: windows
/// that closed, isolation that began, lapses due to escalate; and it closes each day that
/// ended (at start, every day missed while it was down).
pub async fn serve(listener: TcpListener, app: App) -> std::io::Result<()> {
    let sweeper = tokio::spawn(expire_observations_forever(app.clone()));
    let closer = tokio::spawn(crate::app::history::close_days_forever(app.clone()));
    let served = axum::serve(listener, router(app).into_make_service_with_connect_info::<std::net::SocketAddr>()).await;
    sweeper.abort();
    closer.abort();
    served
}

async fn expire_observations_forever(app: App) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        tick.tick().await;
        if let Err(err) = crate::app::tasks::sweep(&app).await {
            tracing::warn!(%err, "could not sweep windows and escalations; will try again");
        }
    }
}
