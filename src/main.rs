//! Parses the command line and dispatches: a command runs through `app`; `serve` starts the
//! web server on what the command prepared.

use wangge::cli::{self, Next};

fn main() -> std::process::ExitCode {
    let command = cli::parse();
    cli::block_on(async move {
        match cli::run(command).await? {
            Next::Serve { app, listener } => tokio::select! {
                served = wangge::http::serve(listener, app) => served.map_err(|e| e.to_string()),
                _ = tokio::signal::ctrl_c() => Ok(()),
            },
            Next::Done => {
                cli::settle();
                Ok(())
            }
        }
    })
}
