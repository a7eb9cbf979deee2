//! The checkpoint benchmark (not a test), on the embedded SQLite database (and on PostgreSQL
//! with `WANGGE_BENCH_POSTGRES_URL` set to an empty database: (1) and (2) only):
//!
//! 1. passages logged per second over HTTP on one checkpoint, by many clients at once;
//! 2. latency at a steady 1,000 passages a second (target: p99 ≤ 10 ms);
//! 3. a person's trajectory and contacts among 1,000,000 passages (target: ≤ 50 ms).
//!
//! ```text
//! cargo bench --bench passages
//! WANGGE_BENCH_PASSAGES=200000 cargo bench --bench passages   # a smaller history
//! WANGGE_BENCH_POSTGRES_URL=postgres://…/empty cargo bench --bench passages   # PostgreSQL too
//! ```

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde_json::json;
use support::Server;
use wangge::app::checkpoints::CheckpointInput;
use wangge::app::{App, accounts, checkpoints, divisions};
use wangge::domain::{IdNumber, UnitPath};

const PASSWORD: &str = "benchmark password";
const CHECKPOINTS: usize = 50;
const PEOPLE: usize = 100_000;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("bench.db").display());
    let history: usize = std::env::var("WANGGE_BENCH_PASSAGES").ok().and_then(|n| n.parse().ok()).unwrap_or(1_000_000);
    println!("== sqlite");
    let (port, others) = logging(&runtime, &url);
    let base = format!("http://127.0.0.1:{port}");

    let started = Instant::now();
    let cases = runtime.block_on(fill(&url, &others, history));
    println!("\nhistory: {history} passages of {PEOPLE} people at {CHECKPOINTS} checkpoints over 30 days, written in {:.1} s", started.elapsed().as_secs_f64());
    let server = Server::start(&url, port);
    runtime.block_on(async {
        let client = login(&base).await;
        for (what, path) in [("trajectory", "trajectory"), ("contacts ±30 min", "contacts?window_minutes=30")] {
            let mut times = Vec::new();
            let mut found = 0;
            for case in &cases {
                let started = Instant::now();
                let body: serde_json::Value = client.get(format!("{base}/api/v1/people/{case}/{path}")).send().await.unwrap().json().await.unwrap();
                times.push(started.elapsed());
                found += body["items"].as_array().map_or(0, Vec::len);
            }
            times.sort();
            let pick = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)].as_secs_f64() * 1e3;
            println!(
                "{what}: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms over {} people ({:.0} items each on average)",
                pick(0.5),
                pick(0.99),
                pick(1.0),
                times.len(),
                found as f64 / times.len() as f64
            );
        }
    });
    drop(server);
    if let Ok(url) = std::env::var("WANGGE_BENCH_POSTGRES_URL") {
        println!("\n== postgres (the history is written with SQLite's bulk statements: logging only)");
        logging(&runtime, &url);
    }
}

/// (1) and (2) on a fresh database at `url`; returns the port the server listened on and the
/// checkpoints for the history.
fn logging(runtime: &tokio::runtime::Runtime, url: &str) -> (u16, Vec<String>) {
    let (checkpoint, others) = runtime.block_on(setup(url));
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let server = Server::start(url, port);
    let base = format!("http://127.0.0.1:{port}");
    runtime.block_on(async {
        let client = login(&base).await;
        throughput(&client, &base, &checkpoint).await;
        log_size(url, "after the 64 clients");
        steady(&client, &base, &checkpoint, 1_000, 10).await;
        log_size(url, "after the steady 1,000/s");
    });
    drop(server);
    (port, others)
}

/// The size of SQLite's log (its write-ahead log file), which a checkpoint lets start over.
fn log_size(url: &str, when: &str) {
    if let Some(size) = support::log_size(url) {
        println!("SQLite's log {when}: {:.0} MB", size as f64 / 1e6);
    }
}

/// Tongliao's divisions, a checkpoint account over the city, the checkpoint under test and
/// the others of the history.
async fn setup(url: &str) -> (String, Vec<String>) {
    let app = App::open(url).await.unwrap();
    let root = app.system_caller(UnitPath::root());
    let sheets: Vec<(String, Vec<u8>)> = wangge::app::demo::TONGLIAO_DIVISIONS.iter().map(|(s, t)| (s.to_string(), t.as_bytes().to_vec())).collect();
    divisions::import(&app, &root, &sheets).await.unwrap();
    let user = accounts::NewUser { login: "bench", password: PASSWORD, role: "hq", unit_code: "1505", display_name: "" };
    accounts::add_user(&app, &root, user).await.unwrap();
    let mut ids = Vec::new();
    for n in 0..=CHECKPOINTS {
        let input = CheckpointInput { id: None, unit_code: "150502".into(), name: format!("卡点{n}"), kind: "checkpoint".into(), lat: None, lon: None };
        ids.push(checkpoints::create(&app, &root, &input).await.unwrap().id.to_string());
    }
    let first = ids.remove(0);
    (first, ids)
}

async fn login(base: &str) -> reqwest::Client {
    support::log_in(base, "bench", PASSWORD).await
}

fn passage(n: usize) -> serde_json::Value {
    let id =
        IdNumber::compose("150502", chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Duration::days((n % 15_000) as i64), (n % 998) as u16 + 1)
            .unwrap();
    json!({"id_number": id.as_str(), "name": "过客", "plate": format!("蒙G{:05}", n % 100_000), "direction": if n.is_multiple_of(2) { "in" } else { "out" }, "temperature": 36.5, "outcome": "passed"})
}

/// As many passages as 64 clients can log in 10 seconds.
async fn throughput(client: &reqwest::Client, base: &str, checkpoint: &str) {
    let url = Arc::new(format!("{base}/api/v1/checkpoints/{checkpoint}/passages"));
    let deadline = Instant::now() + Duration::from_secs(10);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..64 {
        let (client, url) = (client.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            let mut done = 0usize;
            while Instant::now() < deadline && done < 20_000 {
                let response = client.post(url.as_str()).json(&passage(worker * 100_000 + done)).send().await.unwrap();
                assert_eq!(response.status(), 201);
                done += 1;
            }
            done
        }));
    }
    let mut total = 0;
    for task in tasks {
        total += task.await.unwrap();
    }
    let seconds = started.elapsed().as_secs_f64();
    println!("passages over HTTP, 64 clients: {total} in {seconds:.1} s = {:.0} passages/s", total as f64 / seconds);
}

/// A steady `rate` of passages a second for `seconds`, each sent at its time; latency of each.
async fn steady(client: &reqwest::Client, base: &str, checkpoint: &str, rate: usize, seconds: usize) {
    let url = Arc::new(format!("{base}/api/v1/checkpoints/{checkpoint}/passages"));
    let total = rate * seconds;
    let workers = 128;
    let start = Instant::now() + Duration::from_millis(200);
    let mut tasks = Vec::new();
    for worker in 0..workers {
        let (client, url) = (client.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            let mut late = 0usize;
            for n in (worker..total).step_by(workers) {
                let due = start + Duration::from_secs_f64(n as f64 / rate as f64);
                let now = Instant::now();
                if now < due {
                    tokio::time::sleep(due - now).await;
                } else if now - due > Duration::from_millis(1) {
                    late += 1;
                }
                let sent = Instant::now();
                let response = client.post(url.as_str()).json(&passage(10_000_000 + n)).send().await.unwrap();
                assert_eq!(response.status(), 201);
                times.push(sent.elapsed());
            }
            (times, late)
        }));
    }
    let mut times = Vec::new();
    let mut late = 0;
    for task in tasks {
        let (t, l) = task.await.unwrap();
        times.extend(t);
        late += l;
    }
    let elapsed = (Instant::now() - start).as_secs_f64();
    times.sort();
    let pick = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)].as_secs_f64() * 1e3;
    println!(
        "steady {rate} passages/s for {seconds} s: achieved {:.0}/s, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({late} sent late by > 1 ms)",
        total as f64 / elapsed,
        pick(0.5),
        pick(0.99),
        pick(1.0)
    );
}

/// Writes a history of passages straight into the database (the server is stopped), and
/// returns people to ask about: each has about `history / PEOPLE` passages.
async fn fill(url: &str, checkpoints: &[String], history: usize) -> Vec<String> {
    let path = url.strip_prefix("sqlite:").unwrap();
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{path}")).await.unwrap();
    let unit_path: String = sqlx::query_scalar("SELECT path FROM units WHERE code = '150502'").fetch_one(&pool).await.unwrap();
    let now: DateTime<Utc> = Utc::now();
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let people: Vec<uuid::Uuid> = (0..PEOPLE).map(|_| uuid::Uuid::now_v7()).collect();
    let mut tx = pool.begin().await.unwrap();
    for (chunk_no, chunk) in people.chunks(5_000).enumerate() {
        let mut query = sqlx::QueryBuilder::new("INSERT INTO people (id, id_number, name, phone, created_at) ");
        query.push_values(chunk.iter().enumerate(), |mut row, (i, id)| {
            let n = chunk_no * 5_000 + i;
            let number = IdNumber::compose(
                "152301",
                chrono::NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Duration::days((n / 998) as i64),
                (n % 998) as u16 + 1,
            )
            .unwrap();
            row.push_bind(*id).push_bind(number.as_str().to_string()).push_bind(format!("旅客{n}")).push_bind(Option::<String>::None).push_bind(now);
        });
        query.build().execute(&mut *tx).await.unwrap();
    }
    let checkpoint_ids: Vec<uuid::Uuid> = checkpoints.iter().map(|c| c.parse().unwrap()).collect();
    let month = 30 * 24 * 3600;
    let mut written = 0;
    while written < history {
        let rows = (history - written).min(2_000);
        let mut query = sqlx::QueryBuilder::new(
            "INSERT INTO passages (id, checkpoint_id, unit_path, county_code, person_id, plate, direction, temperature, outcome, at, recorded_at, actor) ",
        );
        let batch: Vec<(uuid::Uuid, uuid::Uuid, usize, DateTime<Utc>)> = (0..rows)
            .map(|_| {
                let person = (next() % PEOPLE as u64) as usize;
                let checkpoint = checkpoint_ids[(next() % checkpoint_ids.len() as u64) as usize];
                let at = now - chrono::Duration::seconds((next() % month) as i64);
                (uuid::Uuid::now_v7(), checkpoint, person, at)
            })
            .collect();
        query.push_values(batch, |mut row, (id, checkpoint, person, at)| {
            let plate = (person % 3 == 0).then(|| format!("蒙G{:05}", person % 100_000));
            row.push_bind(id)
                .push_bind(checkpoint)
                .push_bind(unit_path.clone())
                .push_bind("150502")
                .push_bind(people[person])
                .push_bind(plate)
                .push_bind("in")
                .push_bind(36.5)
                .push_bind("passed")
                .push_bind(at)
                .push_bind(at)
                .push_bind("bench");
        });
        query.build().execute(&mut *tx).await.unwrap();
        written += rows;
    }
    tx.commit().await.unwrap();
    sqlx::query("ANALYZE").execute(&pool).await.unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&pool).await.unwrap();
    people.iter().step_by(PEOPLE / 200).map(|p| p.to_string()).collect()
}
