//! A person on a 360-px phone, in headless Chromium (Debian's chromium and
//! chromium-driver): log in, drill down to a grid, open a household.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::support::{Db, PASSWORD, TestApp, sample_roster};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Kills the driver when the test ends, however it ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn browser(profile: &std::path::Path) -> (Driver, Client) {
    assert!(std::path::Path::new(CHROMEDRIVER).exists(), "install Debian's chromium and chromium-driver (bash .ci/run does)");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let driver = Driver(Command::new(CHROMEDRIVER).arg(format!("--port={port}")).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("start chromedriver"));
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", format!("--user-data-dir={}", profile.display())],
            "prefs": {"intl.accept_languages": "zh-CN,zh"},
            "mobileEmulation": {"deviceMetrics": {"width": 360, "height": 740, "pixelRatio": 2.0}},
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if let Ok(client) = ClientBuilder::new(connector.clone()).capabilities(capabilities.clone()).connect(&url).await {
            return (driver, client);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start");
}

async fn wait_for_path(client: &Client, path: &str) {
    for _ in 0..100 {
        if client.current_url().await.unwrap().path() == path {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("never reached {path}: at {}", client.current_url().await.unwrap());
}

async fn text(client: &Client, css: &str) -> String {
    client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).text().await.unwrap()
}

async fn no_sideways_scroll(client: &Client, page: &str) {
    let widths = client.execute("return [document.documentElement.scrollWidth, window.innerWidth];", vec![]).await.unwrap();
    let (scroll, inner) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
    assert_eq!(inner, 360, "the phone viewport");
    assert!(scroll <= inner, "{page} scrolls sideways on a 360-px phone: {scroll} > {inner}");
}

async fn screenshot(client: &Client, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.png")), client.screenshot().await.unwrap()).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grid_leader_logs_in_and_drills_down_on_a_phone() {
    let t = TestApp::start(Db::Sqlite).await;
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    let profile = tempfile::tempdir().unwrap();
    let (_driver, client) = browser(profile.path()).await;
    let result = async {
        client.goto(&t.url("/units/150502")).await.unwrap();
        assert!(client.current_url().await.unwrap().path().starts_with("/login"));
        no_sideways_scroll(&client, "login").await;
        screenshot(&client, "login").await;
        let form = client.form(Locator::Css("form.stack")).await.unwrap();
        form.set_by_name("login", "hq").await.unwrap().set_by_name("password", PASSWORD).await.unwrap().submit().await.unwrap();
        wait_for_path(&client, "/units/150502").await;
        assert!(text(&client, "#unit-name").await.starts_with("科尔沁区"));
        assert_eq!(text(&client, "#fig-households").await, "5");
        no_sideways_scroll(&client, "county").await;
        screenshot(&client, "county").await;

        for name in ["科尔沁街道", "和平社区", "一组"] {
            client.find(Locator::LinkText(name)).await.unwrap_or_else(|e| panic!("link {name}: {e}")).click().await.unwrap();
            assert!(text(&client, "#unit-name").await.starts_with(name));
        }
        assert_eq!(text(&client, "#fig-households").await, "2");
        assert_eq!(text(&client, "#fig-residents").await, "4");
        let masked = text(&client, "tr.household td.mono").await;
        assert!(masked.contains("********"), "{masked}");
        no_sideways_scroll(&client, "grid").await;
        screenshot(&client, "grid").await;

        client.find(Locator::Css("tr.household a")).await.unwrap().click().await.unwrap();
        assert!(client.current_url().await.unwrap().path().starts_with("/households/"));
        assert!(text(&client, "#household-title").await.contains("张三"));
        let residents = text(&client, "#residents").await;
        assert!(residents.contains(&crate::support::id_number("150502", 1)), "the full record: {residents}");
        no_sideways_scroll(&client, "household").await;
        screenshot(&client, "household").await;

        assert!(text(&client, "#colour").await.starts_with("白色"), "Chinese by default");
        client.find(Locator::Css("a.lang")).await.unwrap().click().await.unwrap();
        for _ in 0..100 {
            if text(&client, "#colour").await.starts_with("white") {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the page did not switch to English");
    }
    .await;
    client.close().await.unwrap();
    result
}
