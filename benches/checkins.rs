//! The check-in benchmark (not a test), against a Tongliao-scale SQLite database (640,000
//! households, ~2.5 M residents):
//!
//! 1. the server's requests per second on an endpoint that does nothing (`/api/v1/health`);
//! 2. single check-ins over HTTP per second, and their latency, from 64 and from 256 clients
//!    at once, in people's order of no order (1 and 2 are measured in turns, three rounds);
//! 3. the batch endpoint's rows per second (1,000 rows a request);
//! 4. raw SQLite inserts per second of the same rows in one transaction, with the same
//!    durability (WAL, synchronous = FULL).
//!
//! Targets: (2) ≥ 50 % of (1); (3) ≥ 50 % of (4).
//!
//!     cargo bench --bench checkins
//!     WANGGE_BENCH_SCALE=small cargo bench --bench checkins   # the small demo, for a quick look
//!     WANGGE_BENCH_POSTGRES_URL=postgres://…/empty cargo bench --bench checkins   # PostgreSQL too
//!
//! On PostgreSQL (an empty database) it measures (1) to (3); the raw-insert ceiling, and so the
//! targets, are SQLite's.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use support::Server;
use wangge::app::demo::{self, Scale};
use wangge::app::{App, accounts};
use wangge::domain::UnitPath;

const PASSWORD: &str = "benchmark password";
/// Clients sending at once: 64, as earlier runs measured, and 256 (a county's morning has
/// thousands of phones; with more in flight, more requests share each sync of the log).
const CLIENTS: [usize; 2] = [64, 256];
const SECONDS: u64 = 5;
const ROUNDS: usize = 3;

fn main() {
    let scale = match std::env::var("WANGGE_BENCH_SCALE").as_deref() {
        Ok("small") => Scale::Small,
        _ => Scale::Tongliao,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut urls = vec![("sqlite", format!("sqlite:{}", dir.path().join("bench.db").display()))];
    if let Ok(url) = std::env::var("WANGGE_BENCH_POSTGRES_URL") {
        urls.push(("postgres", url));
    }
    for (name, url) in urls {
        println!("\n== {name}");
        run(&runtime, &url, scale);
    }
}

fn run(runtime: &tokio::runtime::Runtime, url: &str, scale: Scale) {
    let started = Instant::now();
    let residents = runtime.block_on(setup(url, scale));
    println!("database: {} residents to check in, built in {:.0} s", residents.len(), started.elapsed().as_secs_f64());

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let server = Server::start(url, port);
    let base = format!("http://127.0.0.1:{port}");
    let (ratios, batch) = runtime.block_on(async {
        let client = login(&base).await;
        let (health, checkins) = (format!("{base}/api/v1/health"), format!("{base}/api/v1/checkins"));
        let residents = Arc::new(residents.clone());
        // People check in from their own phones in no order of where they live.
        let shuffled = Arc::new(shuffled(&residents));
        // The machine's speed drifts from minute to minute: the floor and the check-ins are
        // measured in turns, and each round's ratio compares neighbours in time.
        let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut ratios = Vec::new();
        for clients in CLIENTS {
            let mut rounds = Vec::new();
            for round in 1..=ROUNDS {
                println!("{clients} clients, round {round}");
                let health = health.clone();
                let floor = hammer(&server, &client, clients, "do-nothing endpoint GET /api/v1/health", move |client| client.get(&health)).await;
                let (residents, checkins, next) = (shuffled.clone(), checkins.clone(), next.clone());
                let singles = hammer(&server, &client, clients, "single check-ins POST /api/v1/checkins", move |client| {
                    let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    // The body as a program would send it, not built anew through a JSON
                    // tree: the load generator shares the server's two cores.
                    client
                        .post(&checkins)
                        .header(reqwest::header::CONTENT_TYPE, "application/json")
                        .body(format!(r#"{{"resident_id":"{}"}}"#, residents[n % residents.len()]))
                })
                .await;
                println!("  single check-ins / do-nothing endpoint: {:.0} %", singles / floor * 100.0);
                rounds.push(singles / floor);
            }
            rounds.sort_by(f64::total_cmp);
            ratios.push((clients, rounds[rounds.len() / 2]));
        }
        // Where a single check-in's time goes: reading the session alone.
        let me = format!("{base}/api/v1/me");
        hammer(&server, &client, CLIENTS[0], "session read only GET /api/v1/me", move |client| client.get(&me)).await;
        let batch = batches(&client, &base, &residents).await;
        (ratios, batch)
    });
    drop(server);
    println!();
    for (clients, ratio) in ratios {
        println!("single check-ins / do-nothing endpoint, {clients} clients, median of {ROUNDS} rounds: {:.0} %", ratio * 100.0);
    }
    if let Some(wal) = support::log_size(url) {
        println!("SQLite's log after the run: {:.0} MB", wal as f64 / 1e6);
        let raw = runtime.block_on(raw_inserts(url, &residents));
        println!("batch rows / raw inserts: {:.0} %", batch / raw * 100.0);
    }
}

/// The residents in an order that has nothing to do with where they live (a fixed shuffle).
fn shuffled(residents: &[String]) -> Vec<String> {
    let mut order = residents.to_vec();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in (1..order.len()).rev() {
        // xorshift64*
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let j = (state.wrapping_mul(0x2545_F491_4F6C_DD1D) % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

/// Divisions, villager groups and the roster at the scale, and an HQ account over the city;
/// returns the residents of the first county.
async fn setup(url: &str, scale: Scale) -> Vec<String> {
    let app = App::open(url).await.unwrap();
    demo::load(&app, scale, &|_, _| {}).await.unwrap();
    let root = app.system_caller(UnitPath::root());
    let user = accounts::NewUser { login: "bench", password: PASSWORD, role: "hq", unit_code: "1505", display_name: "" };
    accounts::add_user(&app, &root, user).await.unwrap();
    drop(app);
    // The people to check in, straight from the database: the first 100,000 (or all).
    const FIRST: &str = "SELECT id FROM residents ORDER BY unit_path LIMIT 100000";
    let ids: Vec<uuid::Uuid> = if url.starts_with("sqlite:") {
        sqlx::query_scalar(FIRST).fetch_all(&sqlx::SqlitePool::connect(url).await.unwrap()).await.unwrap()
    } else {
        sqlx::query_scalar(FIRST).fetch_all(&sqlx::PgPool::connect(url).await.unwrap()).await.unwrap()
    };
    ids.into_iter().map(|id| id.to_string()).collect()
}

async fn login(base: &str) -> reqwest::Client {
    support::log_in(base, "bench", PASSWORD).await
}

/// `clients` clients send requests for `SECONDS`; prints requests per second, latency, the CPU
/// each request cost the server and the load generator, and how busy the machine was;
/// returns requests per second.
async fn hammer(
    server: &Server,
    client: &reqwest::Client,
    clients: usize,
    what: &str,
    request: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder + Send + Sync + 'static,
) -> f64 {
    let request = Arc::new(request);
    let deadline = Instant::now() + Duration::from_secs(SECONDS);
    let (server_cpu, own_cpu, machine) = (server.cpu(), support::own_cpu(), support::machine_cpu());
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (client, request) = (client.clone(), request.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            while Instant::now() < deadline {
                let sent = Instant::now();
                let response = request(&client).send().await.unwrap();
                assert!(response.status().is_success(), "{}", response.status());
                response.bytes().await.unwrap();
                times.push(sent.elapsed());
            }
            times
        }));
    }
    let mut times = Vec::new();
    for task in tasks {
        times.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    let per_request = |cpu: Duration| cpu.as_secs_f64() * 1e6 / times.len() as f64;
    let (server_cpu, own_cpu) = (per_request(server.cpu() - server_cpu), per_request(support::own_cpu() - own_cpu));
    let machine = {
        let (busy, total) = support::machine_cpu();
        (busy - machine.0) as f64 / (total - machine.1).max(1) as f64 * 100.0
    };
    let rate = times.len() as f64 / elapsed;
    times.sort();
    let pick = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)].as_secs_f64() * 1e3;
    println!(
        "  {what}, {clients} clients: {rate:.0} requests/s, p50 {:.1} ms, p99 {:.1} ms; CPU a request: server {server_cpu:.0} µs, load generator {own_cpu:.0} µs; machine {machine:.0} % busy",
        pick(0.5),
        pick(0.99)
    );
    rate
}

/// Batches of 1,000 rows from 4 clients, each a unit's list of its people for yesterday (a
/// paper list brought in a day late): new rows, as the raw inserts are, not a second report
/// on a day the single check-ins have already filled. Rows per second.
async fn batches(client: &reqwest::Client, base: &str, residents: &Arc<Vec<String>>) -> f64 {
    let yesterday = (wangge::domain::time::local_date(chrono::Utc::now()) - chrono::Duration::days(1)).to_string();
    let started = Instant::now();
    let mut tasks = Vec::new();
    let per_client = residents.len() / 4;
    for worker in 0..4 {
        let (client, base, residents, yesterday) = (client.clone(), base.to_string(), residents.clone(), yesterday.clone());
        tasks.push(tokio::spawn(async move {
            let mine = &residents[worker * per_client..(worker + 1) * per_client];
            let mut rows = 0;
            for chunk in mine.chunks(1_000) {
                let body: Vec<serde_json::Value> =
                    chunk.iter().map(|id| json!({"resident_id": id, "date": yesterday, "status": "well", "location": "home"})).collect();
                let response = client.post(format!("{base}/api/v1/checkins")).json(&body).send().await.unwrap();
                assert!(response.status().is_success(), "{}", response.text().await.unwrap());
                rows += chunk.len();
            }
            rows
        }));
    }
    let mut rows = 0;
    for task in tasks {
        rows += task.await.unwrap();
    }
    let rate = rows as f64 / started.elapsed().as_secs_f64();
    println!("batch check-ins, 1,000 rows a request, 4 clients: {rows} rows at {rate:.0} rows/s");
    rate
}

/// The same rows straight into SQLite in one transaction (for tomorrow, so none conflict),
/// with the server's durability settings: the ceiling for the batch endpoint.
async fn raw_inserts(url: &str, residents: &[String]) -> f64 {
    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
    let options: SqliteConnectOptions = url.parse::<SqliteConnectOptions>().unwrap().journal_mode(SqliteJournalMode::Wal).synchronous(SqliteSynchronous::Full);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let homes: Vec<(uuid::Uuid, uuid::Uuid, String)> = {
        let mut all = Vec::new();
        for chunk in residents.chunks(500) {
            let mut query = sqlx::QueryBuilder::new("SELECT id, household_id, unit_path FROM residents WHERE id IN (");
            let mut list = query.separated(", ");
            for id in chunk {
                list.push_bind(id.parse::<uuid::Uuid>().unwrap());
            }
            query.push(")");
            all.extend(query.build_query_as::<(uuid::Uuid, uuid::Uuid, String)>().fetch_all(&pool).await.unwrap());
        }
        all
    };
    let day = wangge::domain::time::local_date(chrono::Utc::now()) + chrono::Duration::days(1);
    let now = chrono::Utc::now();
    let started = Instant::now();
    let mut tx = pool.begin().await.unwrap();
    for chunk in homes.chunks(500) {
        let mut query = sqlx::QueryBuilder::new(
            "INSERT INTO checkins (resident_id, day, household_id, unit_path, county_code, status, symptoms, location, place, at, via, actor, same_as_yesterday) ",
        );
        query.push_values(chunk, |mut row, (id, household, path)| {
            row.push_bind(*id)
                .push_bind(day)
                .push_bind(*household)
                .push_bind(path.clone())
                .push_bind("150502")
                .push_bind("well")
                .push_bind("[]")
                .push_bind("home")
                .push_bind(Option::<String>::None)
                .push_bind(now)
                .push_bind("batch")
                .push_bind("bench")
                .push_bind(false);
        });
        query.build().execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    let rate = homes.len() as f64 / started.elapsed().as_secs_f64();
    println!("raw SQLite inserts of the same rows, one transaction: {} rows at {rate:.0} rows/s", homes.len());
    rate
}
