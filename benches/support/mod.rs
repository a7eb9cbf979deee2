//! What the benchmarks share: the release server they measure, started on a database, and
//! the CPU time it and the load generator use. (Each benchmark uses part of it.)
#![allow(dead_code)]

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

    /// CPU time the server has used so far (user + system).
    pub fn cpu(&self) -> std::time::Duration {
        cpu_of(&format!("/proc/{}/stat", self.0.id()))
    }
}

/// A client logged in as `login` once the server at `base` answers (within a minute).
pub async fn log_in(base: &str, login: &str, password: &str) -> reqwest::Client {
    let client = reqwest::Client::builder().cookie_store(true).pool_max_idle_per_host(256).build().unwrap();
    let started = std::time::Instant::now();
    while client.get(format!("{base}/api/v1/health")).send().await.is_err() {
        assert!(started.elapsed() < std::time::Duration::from_secs(60));
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let response = client.post(format!("{base}/api/v1/login")).json(&serde_json::json!({"login": login, "password": password})).send().await.unwrap();
    assert!(response.status().is_success());
    client
}

/// The size of SQLite's log (its write-ahead log file) for a `sqlite:` URL; `None` for
/// another database.
pub fn log_size(url: &str) -> Option<u64> {
    let path = url.strip_prefix("sqlite:")?;
    Some(std::fs::metadata(format!("{path}-wal")).map_or(0, |m| m.len()))
}

/// CPU time this process (the load generator) has used so far (user + system).
pub fn own_cpu() -> std::time::Duration {
    cpu_of("/proc/self/stat")
}

/// The machine's busy and total CPU time so far, from `/proc/stat` (all cores, in ticks):
/// busy is everything but idle and I/O wait.
pub fn machine_cpu() -> (u64, u64) {
    let text = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let ticks: Vec<u64> = text.lines().next().unwrap_or_default().split_whitespace().skip(1).filter_map(|t| t.parse().ok()).collect();
    let total: u64 = ticks.iter().take(8).sum();
    let idle = ticks.get(3).copied().unwrap_or(0) + ticks.get(4).copied().unwrap_or(0);
    (total - idle, total)
}

/// utime + stime of a process, from its `/proc/…/stat` (fields 14 and 15, after the
/// command's closing parenthesis), in clock ticks of 10 ms.
fn cpu_of(stat: &str) -> std::time::Duration {
    let text = std::fs::read_to_string(stat).unwrap_or_default();
    let fields: Vec<&str> = text.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    // Field n of the stat line is fields[n - 3]: the state (field 3) comes first.
    let field = |n: usize| fields.get(n - 3).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    let ticks = field(14) + field(15);
    std::time::Duration::from_millis(ticks * 10)
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
