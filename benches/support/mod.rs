//! What the benchmarks share: the release server they measure, started on a database.

use std::process::{Child, Command, Stdio};

/// The release server on `url`, listening on `port`; killed when dropped.
pub struct Server(pub Child);

impl Server {
    pub fn start(url: &str, port: u16) -> Server {
        let child = Command::new(env!("CARGO_BIN_EXE_wangge"))
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .env("WANGGE_DATABASE_URL", url)
            .env("WANGGE_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        Server(child)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
