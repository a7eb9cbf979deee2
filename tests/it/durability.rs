//! Every acknowledged check-in survives `kill -9` of the server: the release of a request
//! comes only after its transaction is committed (and SQLite's log synced).

use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use wangge::app::App;
use wangge::domain::{UnitCode, UnitPath};

use crate::support::{PASSWORD, id_number, roster_csv, seed};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_check_ins_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("wangge.db").display());
    let unit = UnitCode::parse("150502001001001").unwrap();
    let residents: Vec<String> = {
        let app = App::open(&url).await.unwrap();
        seed(&app).await;
        let rows: Vec<(String, String, String)> = (0..600u16).map(|n| (format!("{:03}", n / 4), "居民".to_string(), id_number("150502", 1000 + n))).collect();
        let table: Vec<(&str, &str, &str, &str, &str, &str, &str)> =
            rows.iter().map(|(h, name, id)| (h.as_str(), name.as_str(), id.as_str(), "", "", "150502001001001", "常住")).collect();
        let root = app.system_caller(UnitPath::root());
        wangge::app::roster::import(&app, &root, &unit, roster_csv(&table).as_bytes(), &|_, _| {}).await.unwrap();
        let summary = app.store.checkin_summary(&root, &unit, wangge::domain::time::local_date(root.now), 0, 1000).await.unwrap().unwrap();
        summary.missing.into_iter().map(|m| m.resident_id.to_string()).collect()
    };
    assert_eq!(residents.len(), 600);

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_wangge"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .env("WANGGE_DATABASE_URL", &url)
        .env("WANGGE_LOG", "error")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let started = Instant::now();
    while client.get(format!("{base}/api/v1/openapi.json")).send().await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(20), "the server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let login = client.post(format!("{base}/api/v1/login")).json(&json!({"login": "member1", "password": PASSWORD})).send().await.unwrap();
    assert_eq!(login.status(), 200);

    // Sixteen phones check people in, one request each, while the server is killed under them.
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let residents = Arc::new(residents);
    let mut phones = Vec::new();
    for phone in 0..16 {
        let (client, base, acknowledged, residents) = (client.clone(), base.clone(), acknowledged.clone(), residents.clone());
        phones.push(tokio::spawn(async move {
            for resident in residents.iter().skip(phone).step_by(16) {
                let sent = client.post(format!("{base}/api/v1/checkins")).json(&json!({"resident_id": resident})).timeout(Duration::from_secs(5)).send().await;
                match sent {
                    Ok(response) if response.status() == 201 => acknowledged.lock().unwrap().push(resident.clone()),
                    _ => return,
                }
            }
        }));
    }
    let started = Instant::now();
    while acknowledged.lock().unwrap().len() < 150 && started.elapsed() < Duration::from_secs(20) {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().unwrap(); // SIGKILL: no shutdown, no flush
    server.wait().unwrap();
    for phone in phones {
        phone.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= 150, "check-ins were acknowledged before the kill: {}", acknowledged.len());
    assert!(acknowledged.len() < 600, "the kill came while check-ins were still arriving");

    let app = App::open(&url).await.unwrap();
    let root = app.system_caller(UnitPath::root());
    let summary = app.store.checkin_summary(&root, &unit, wangge::domain::time::local_date(root.now), 0, 1000).await.unwrap().unwrap();
    let missing: std::collections::HashSet<String> = summary.missing.iter().map(|m| m.resident_id.to_string()).collect();
    let lost: Vec<&String> = acknowledged.iter().filter(|id| missing.contains(*id)).collect();
    assert!(lost.is_empty(), "{} acknowledged check-ins were lost", lost.len());
    assert!(summary.reported as usize >= acknowledged.len());
}
