//! The Tongliao-scale benchmark (not a test): generate the seeds' 640,000 households as one
//! roster CSV, import it through the same code as `wangge import roster`, then start the
//! release server and read a county's roll-up over HTTP. Prints the figures.
//!
//!     cargo bench --bench roster                      # SQLite, full scale
//!     WANGGE_BENCH_SCALE=small cargo bench --bench roster
//!     WANGGE_BENCH_POSTGRES_URL=postgres://… cargo bench --bench roster   # PostgreSQL too

mod support;

use std::time::{Duration, Instant};

use support::Server;
use wangge::app::demo::{self, Scale};
use wangge::app::{App, roster};
use wangge::domain::unit::NewUnit;
use wangge::domain::{UnitCode, UnitPath};

const PASSWORD: &str = "benchmark password";

fn main() {
    tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::try_from_env("WANGGE_LOG").unwrap_or_else(|_| "wangge=debug".into())).init();
    let scale = match std::env::var("WANGGE_BENCH_SCALE").as_deref() {
        Ok("small") => Scale::Small,
        _ => Scale::Tongliao,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let dir = tempfile::tempdir().unwrap();

    let started = Instant::now();
    let mut counties = demo::plan(scale);
    // A partial run for quick comparisons: the first N counties only.
    if let Some(n) = std::env::var("WANGGE_BENCH_COUNTIES").ok().and_then(|n| n.parse().ok()) {
        counties.truncate(n);
    }
    let households: Vec<_> = counties.iter().flat_map(|(county, groups)| demo::households(county, groups)).collect();
    let residents: usize = households.iter().map(|h| h.residents.len()).sum();
    let csv_path = dir.path().join("roster.csv");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&csv_path).unwrap());
    demo::write_csv(&households, &mut file).unwrap();
    drop(file);
    drop(households);
    let size = std::fs::metadata(&csv_path).unwrap().len();
    println!(
        "roster: {} groups, {} households, {residents} residents, {:.0} MB CSV (generated in {:.1} s)",
        counties.iter().map(|(_, g)| g.len()).sum::<usize>(),
        counties.iter().flat_map(|(_, g)| g).map(|g| g.households).sum::<usize>(),
        size as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );

    let mut urls = vec![("sqlite", format!("sqlite:{}", dir.path().join("bench.db").display()))];
    if let Ok(url) = std::env::var("WANGGE_BENCH_POSTGRES_URL") {
        urls.push(("postgres", url));
    }
    for (name, url) in urls {
        println!("\n== {name}");
        runtime.block_on(import(&url, &counties, &csv_path));
        serve_and_read(&runtime, &url);
    }
}

async fn import(url: &str, counties: &[(String, Vec<demo::GroupPlan>)], csv_path: &std::path::Path) {
    let app = App::open(url).await.expect("open database");
    let root = app.system_caller(UnitPath::root());
    let sheets: Vec<(String, Vec<u8>)> = demo::TONGLIAO_DIVISIONS.iter().map(|(s, t)| (s.to_string(), t.as_bytes().to_vec())).collect();
    let started = Instant::now();
    wangge::app::divisions::import(&app, &root, &sheets).await.unwrap();
    let groups: Vec<(usize, NewUnit)> =
        counties.iter().flat_map(|(_, g)| g).map(|g| (0, NewUnit::parse(&g.code, &g.name, Some(&g.village_code), None).unwrap())).collect();
    app.store.upsert_units(&root, &groups).await.unwrap();
    println!("divisions and {} villager groups: {:.1} s", groups.len(), started.elapsed().as_secs_f64());

    let started = Instant::now();
    let bytes = std::fs::read(csv_path).unwrap();
    let city = UnitCode::parse("1505").unwrap();
    let summary = roster::import(&app, &root, &city, &bytes, &|_, _| {}).await.unwrap();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "import roster: {} households, {} residents in {seconds:.1} s ({:.0} residents/s)",
        summary.households_created,
        summary.residents_created,
        summary.residents_created as f64 / seconds
    );
    if let Some(path) = url.strip_prefix("sqlite:") {
        // The writer leaves checkpoints to a background task; time one full checkpoint too.
        let started = Instant::now();
        let options: sqlx::sqlite::SqliteConnectOptions =
            format!("sqlite:{path}").parse::<sqlx::sqlite::SqliteConnectOptions>().unwrap().busy_timeout(Duration::from_secs(600));
        let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&pool).await.unwrap();
        println!("WAL checkpointed into the database file (in the background in the server): {:.1} s", started.elapsed().as_secs_f64());
        // Let the kernel write the new database out before measuring reads at rest.
        let started = Instant::now();
        let _ = std::process::Command::new("sync").status();
        println!("dirty pages flushed to disk: {:.1} s", started.elapsed().as_secs_f64());
    }
    let user = wangge::app::accounts::NewUser { login: "bench", password: PASSWORD, role: "hq", unit_code: "1505", display_name: "" };
    wangge::app::accounts::add_user(&app, &root, user).await.unwrap();
}

/// Starts the release server on the database, reads roll-ups over HTTP, and reports latency
/// and the server's memory.
fn serve_and_read(runtime: &tokio::runtime::Runtime, url: &str) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let server = Server::start(url, port);
    let base = format!("http://127.0.0.1:{port}");
    runtime.block_on(async {
        let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
        for _ in 0..100 {
            if client.get(format!("{base}/api/v1/openapi.json")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let login = client.post(format!("{base}/api/v1/login")).json(&serde_json::json!({"login": "bench", "password": PASSWORD})).send().await.unwrap();
        assert!(login.status().is_success());
        for (what, path) in [
            ("county 科尔沁区 roll-up", "/api/v1/units/150502"),
            ("city 通辽市 roll-up", "/api/v1/units/1505"),
            ("village page of households", "/api/v1/units/150502001001/households"),
        ] {
            let mut times = Vec::new();
            let mut body = String::new();
            for _ in 0..200 {
                let started = Instant::now();
                body = client.get(format!("{base}{path}")).send().await.unwrap().text().await.unwrap();
                times.push(started.elapsed());
            }
            times.sort();
            let body: serde_json::Value = serde_json::from_str(&body).unwrap();
            let size = match body["figures"]["households"].as_i64() {
                Some(households) => format!("{households} households in the subtree"),
                None => format!("{} households on the page", body["items"].as_array().map_or(0, Vec::len)),
            };
            println!("{what}: p50 {:.2} ms, p99 {:.2} ms over HTTP ({size})", times[100].as_secs_f64() * 1e3, times[197].as_secs_f64() * 1e3);
        }
    });
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.0.id())).unwrap_or_default();
    let field = |name: &str| status.lines().find(|l| l.starts_with(name)).map(|l| l.split_whitespace().nth(1).unwrap_or("?").to_string()).unwrap_or_default();
    println!("server memory: {} MB resident now, {} MB peak", kb_to_mb(&field("VmRSS:")), kb_to_mb(&field("VmHWM:")));
}

fn kb_to_mb(kb: &str) -> String {
    kb.parse::<f64>().map(|k| format!("{:.0}", k / 1024.0)).unwrap_or_else(|_| "?".into())
}
