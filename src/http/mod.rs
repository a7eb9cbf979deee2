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
    serve_with_head_timeout(listener, app, HEAD_TIMEOUT).await
}

/// How long a client may take to send a request's head (its line and headers).
pub const HEAD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// `serve`, with the time a client may take to send a request's head (tests shorten it).
pub async fn serve_with_head_timeout(listener: TcpListener, app: App, head_timeout: std::time::Duration) -> std::io::Result<()> {
    let sweeper = tokio::spawn(expire_observations_forever(app.clone()));
    let closer = tokio::spawn(crate::app::history::close_days_forever(app.clone()));
    let served = serve_connections(listener, router(app), head_timeout).await;
    sweeper.abort();
    closer.abort();
    served
}

/// What `axum::serve` does, with one thing it cannot: a limit on the time a client takes to
/// send a request's head (hyper's `header_read_timeout`, which needs a timer `axum::serve`
/// does not give it). Without it a client that opens connections and trickles their headers
/// (slowloris) holds them for ever, and a county's one server runs out of them.
async fn serve_connections(listener: TcpListener, router: Router, head_timeout: std::time::Duration) -> std::io::Result<()> {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            // Out of file descriptors, or a connection reset before it was taken: wait a moment
            // and go on, as `axum::serve` does.
            Err(err) => {
                tracing::warn!(%err, "could not accept a connection");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        // Small answers go out at once rather than waiting for more to send with them.
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
                let mut router = router.clone();
                async move { tower_service::Service::call(&mut router, request.map(axum::body::Body::new)).await }
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(head_timeout)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            if let Err(err) = connection.await {
                tracing::debug!(%err, %peer, "connection ended");
            }
        });
    }
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
