//! The command view's benchmark (not a test), against a Tongliao-scale SQLite database (640,000
//! households, ~2.5 M residents), in one run:
//!
//! 1. single check-ins over HTTP (64 clients, 5 s), before the figures of any day are kept;
//! 2. a check-in for every resident today (the batch endpoint) and 30 closed days behind today
//!    (sparse facts: a sample's check-ins each day through the batch endpoint, then the real
//!    daily close, `app::history::close_day`, for each day, in-process while the server is
//!    stopped: the close has no admin path over HTTP);
//! 3. as an `hq` account of the city and of its first county: the dashboards, the county's
//!    30-day trends of every metric (p50/p99, sequential and from 8 clients), the county's
//!    `daily-report.xlsx` (a few runs), and the server's memory (VmRSS / VmHWM);
//! 4. single check-ins again, as in 1;
//! 5. the close of a full day: today's, with every resident's check-in.
//!
//! Targets (issue 15): dashboards and trends p99 ≤ 50 ms, the sheet ≤ 1 s, the close ≤ 10 s,
//! memory ≤ 150 MB, single check-ins not > 10 % slower after than before.
//!
//!     cargo bench --bench command
//!     WANGGE_BENCH_SCALE=small cargo bench --bench command   # the small demo, for a quick look

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;
use support::Server;
use wangge::app::demo::{self, Scale};
use wangge::app::{App, accounts, history};
use wangge::domain::UnitPath;

const PASSWORD: &str = "benchmark password";
const DAYS: i64 = 30;
/// Residents with a check-in on each past day: sparse history, as the task allows.
const SAMPLE: usize = 5_000;
const SEQUENTIAL: usize = 200;
const CLIENTS: usize = 8;
const METRICS: &str = "households,households_red,households_yellow,households_blue,households_white,residents,\
returnees_arrived,returnees_in_observation,returnees_from_key_areas,isolated_home,isolated_central,isolations_started,\
isolations_released,followups_done,followups_due,followups_overdue,checkins_expected,checkins_reported,checkins_unwell,\
passages_in,passages_out,turned_back,referred,fevers,registrations_pending,alerts_open,alerts_acknowledged,alerts_escalated";

fn main() {
    let scale = match std::env::var("WANGGE_BENCH_SCALE").as_deref() {
        Ok("small") => Scale::Small,
        _ => Scale::Tongliao,
    };
    let whole = Instant::now();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("bench.db").display());
    let county = demo::plan(scale).first().map(|(county, _)| county.clone()).unwrap();

    let started = Instant::now();
    let residents = runtime.block_on(setup(&url, scale, &county));
    println!("database: {} residents, built in {:.0} s; county {county}", residents.len(), started.elapsed().as_secs_f64());
    let today = wangge::domain::time::local_date(chrono::Utc::now());
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");

    // 1 and 2: check-ins before; today's for everyone; the past days' facts.
    let before = {
        let server = Server::start(&url, port);
        let before = runtime.block_on(async {
            let city = login(&base, "bench").await;
            let before = singles(&city, &base, &residents).await;
            let started = Instant::now();
            batch(&city, &base, &residents, today).await;
            println!("today's check-ins for all {} residents in {:.0} s", residents.len(), started.elapsed().as_secs_f64());
            let started = Instant::now();
            // The batch endpoint takes the last 7 days only: older days are closed with the
            // roster's figures and no check-ins.
            for back in 1..=DAYS.min(7) {
                let size = SAMPLE.min(residents.len());
                let start = (back as usize * size) % (residents.len() - size + 1);
                let sample = &residents[start..start + size];
                batch(&city, &base, sample, today - chrono::Duration::days(back)).await;
            }
            println!("past 7 days' check-ins ({SAMPLE} a day) in {:.0} s", started.elapsed().as_secs_f64());
            before
        });
        drop(server);
        before
    };
    let closes = runtime.block_on(async {
        let app = App::open(&url).await.unwrap();
        let mut closes = Vec::new();
        for back in (1..=DAYS).rev() {
            let day = today - chrono::Duration::days(back);
            let started = Instant::now();
            let units = history::close_day(&app, day).await.unwrap();
            closes.push(started.elapsed());
            if back == 1 {
                println!("close of yesterday ({day}): {units} units in {:.2} s", started.elapsed().as_secs_f64());
            }
        }
        closes
    });
    let worst = closes.iter().max().unwrap();
    println!("daily close of the whole city, {DAYS} days: max {:.2} s, last {:.2} s", worst.as_secs_f64(), closes.last().unwrap().as_secs_f64());

    // 3 and 4: the command view, then check-ins again.
    let server = Server::start(&url, port);
    runtime.block_on(async {
        let city = login(&base, "bench").await;
        let hq = login(&base, "bench-county").await;
        let dashboard = |code: &str| format!("{base}/api/v1/units/{code}/dashboard");
        measure(&city, "city dashboard (1505)", &dashboard("1505")).await;
        measure(&hq, &format!("county dashboard ({county})"), &dashboard(&county)).await;
        let first = today - chrono::Duration::days(DAYS);
        let trends = format!("{base}/api/v1/units/{county}/trends?metrics={METRICS}&from={first}&to={today}");
        measure(&hq, "county trends, 30 days, every metric", &trends).await;
        let sheet = format!("{base}/api/v1/units/{county}/daily-report.xlsx");
        for run in 1..=3 {
            let started = Instant::now();
            let body = get(&hq, &sheet).await;
            println!("county daily-report.xlsx, run {run}: {:.0} ms, {} bytes", started.elapsed().as_secs_f64() * 1e3, body);
        }
        let (rss, hwm) = memory(&server);
        println!("server memory: VmRSS {rss}, VmHWM {hwm}");
        let after = singles(&city, &base, &residents).await;
        println!("single check-ins after / before: {:.0} %", after / before * 100.0);
    });
    drop(server);
    // 5: a full day's close: today's, with a check-in of every resident (the past days hold a
    // sample only). Last, since a closed today is read from its stored figures from then on.
    runtime.block_on(async {
        let mut app = App::open(&url).await.unwrap();
        app.clock = Arc::new(Tomorrow);
        let started = Instant::now();
        let units = history::close_day(&app, today).await.unwrap();
        println!("close of a full day (today, {} check-ins): {units} units in {:.2} s", residents.len(), started.elapsed().as_secs_f64());
    });
    println!("whole bench: {:.0} s", whole.elapsed().as_secs_f64());
}

/// A day ahead of now: today may be closed as if it had ended.
struct Tomorrow;

impl wangge::app::Clock for Tomorrow {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now() + chrono::Duration::days(1)
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The demo at the scale, an HQ account over the city (`bench`) and one over the county
/// (`bench-county`); answers every resident's id.
async fn setup(url: &str, scale: Scale, county: &str) -> Vec<String> {
    let app = App::open(url).await.unwrap();
    demo::load(&app, scale, &|_, _| {}).await.unwrap();
    let root = app.system_caller(UnitPath::root());
    for (login, unit) in [("bench", "1505"), ("bench-county", county)] {
        let user = accounts::NewUser { login, password: PASSWORD, role: "hq", unit_code: unit, display_name: "" };
        accounts::add_user(&app, &root, user).await.unwrap();
    }
    drop(app);
    let pool = sqlx::SqlitePool::connect(url).await.unwrap();
    let ids: Vec<uuid::Uuid> = sqlx::query_scalar("SELECT id FROM residents").fetch_all(&pool).await.unwrap();
    ids.into_iter().map(|id| id.to_string()).collect()
}

async fn login(base: &str, login: &str) -> reqwest::Client {
    support::log_in(base, login, PASSWORD).await
}

/// A GET that must succeed; answers the body's length.
async fn get(client: &reqwest::Client, url: &str) -> usize {
    let response = client.get(url).send().await.unwrap();
    assert!(response.status().is_success(), "{url}: {}", response.status());
    response.bytes().await.unwrap().len()
}

/// p50/p99 of `SEQUENTIAL` requests one after another, then from `CLIENTS` clients at once.
async fn measure(client: &reqwest::Client, what: &str, url: &str) {
    get(client, url).await;
    let mut times = Vec::new();
    for _ in 0..SEQUENTIAL {
        let sent = Instant::now();
        get(client, url).await;
        times.push(sent.elapsed());
    }
    report(what, "sequential", times);
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (client, url) = (client.clone(), url.to_string());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            for _ in 0..SEQUENTIAL / CLIENTS {
                let sent = Instant::now();
                get(&client, &url).await;
                times.push(sent.elapsed());
            }
            times
        }));
    }
    let mut times = Vec::new();
    for task in tasks {
        times.extend(task.await.unwrap());
    }
    report(what, &format!("{CLIENTS} clients"), times);
}

fn report(what: &str, how: &str, mut times: Vec<Duration>) {
    times.sort();
    let pick = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)].as_secs_f64() * 1e3;
    println!("{what}, {how}: {} requests, p50 {:.1} ms, p99 {:.1} ms", times.len(), pick(0.5), pick(0.99));
}

/// Single check-ins from 64 clients for 5 s, as benches/checkins.rs sends them; requests/s.
async fn singles(client: &reqwest::Client, base: &str, residents: &[String]) -> f64 {
    let residents = Arc::new(residents.to_vec());
    let url = format!("{base}/api/v1/checkins");
    let next = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(5);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..64 {
        let (client, url, residents, next) = (client.clone(), url.clone(), residents.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            while Instant::now() < deadline {
                // Spread over the city: a stride that is not a divisor of its size.
                let n = next.fetch_add(1, Ordering::Relaxed).wrapping_mul(7919) % residents.len();
                let sent = Instant::now();
                let response = client
                    .post(&url)
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(format!(r#"{{"resident_id":"{}"}}"#, residents[n]))
                    .send()
                    .await
                    .unwrap();
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
    let rate = times.len() as f64 / started.elapsed().as_secs_f64();
    report(&format!("single check-ins, 64 clients, 5 s: {rate:.0} requests/s"), "latency", times);
    rate
}

/// Check-ins of `day` for `residents`, 1,000 rows a request from 4 clients. A day the batch
/// endpoint refuses is reported, not fatal: the close still runs over what is there.
async fn batch(client: &reqwest::Client, base: &str, residents: &[String], day: chrono::NaiveDate) {
    let chunks: Arc<Vec<Vec<String>>> = Arc::new(residents.chunks(1_000).map(|c| c.to_vec()).collect());
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let (client, url, chunks, next, day) = (client.clone(), format!("{base}/api/v1/checkins"), chunks.clone(), next.clone(), day.to_string());
        tasks.push(tokio::spawn(async move {
            while let Some(chunk) = chunks.get(next.fetch_add(1, Ordering::Relaxed)) {
                let body: Vec<serde_json::Value> =
                    chunk.iter().map(|id| json!({"resident_id": id, "date": day, "status": "well", "location": "home"})).collect();
                let response = client.post(&url).json(&body).send().await.unwrap();
                if !response.status().is_success() {
                    let text = response.text().await.unwrap_or_default();
                    println!("batch for {day} refused: {}", text.chars().take(200).collect::<String>());
                    return;
                }
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
}

/// VmRSS and VmHWM of the server, from /proc/PID/status.
fn memory(server: &Server) -> (String, String) {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.0.id())).unwrap_or_default();
    let field = |name: &str| status.lines().find(|l| l.starts_with(name)).map(|l| l[name.len()..].trim().to_string()).unwrap_or_default();
    (field("VmRSS:"), field("VmHWM:"))
}
