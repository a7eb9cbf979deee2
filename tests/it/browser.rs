//! A person on a 360-px phone, in headless Chromium (Debian's chromium and
//! chromium-driver): log in, drill down to a grid, open a household.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::support::{Db, PASSWORD, TestApp, sample_roster};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Kills the driver when the test ends, however it ends.
pub(crate) struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) async fn browser(profile: &std::path::Path) -> (Driver, Client) {
    chromium(profile, json!({"mobileEmulation": {"deviceMetrics": {"width": 360, "height": 740, "pixelRatio": 2.0}}})).await
}

/// The same browser on an office's 1366-px screen.
pub(crate) async fn desktop_browser(profile: &std::path::Path) -> (Driver, Client) {
    chromium(profile, json!({"args": ["--window-size=1366,900"]})).await
}

/// Chromium with the options every test shares, and `more` (extra `args` are appended).
async fn chromium(profile: &std::path::Path, more: Value) -> (Driver, Client) {
    assert!(std::path::Path::new(CHROMEDRIVER).exists(), "install Debian's chromium and chromium-driver (bash .ci/run does)");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let driver =
        Driver(Command::new(CHROMEDRIVER).arg(format!("--port={port}")).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("start chromedriver"));
    let mut options = json!({
        "binary": "/usr/bin/chromium",
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", format!("--user-data-dir={}", profile.display())],
        "prefs": {"intl.accept_languages": "zh-CN,zh"},
    });
    for (key, value) in more.as_object().unwrap() {
        match (key.as_str(), value.as_array()) {
            ("args", Some(args)) => options["args"].as_array_mut().unwrap().extend(args.iter().cloned()),
            _ => options[key] = value.clone(),
        }
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), options);
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

pub(crate) async fn wait_for_path(client: &Client, path: &str) {
    for _ in 0..100 {
        if client.current_url().await.unwrap().path() == path {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("never reached {path}: at {}", client.current_url().await.unwrap());
}

pub(crate) async fn text(client: &Client, css: &str) -> String {
    client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).text().await.unwrap()
}

/// Waits until the element's text contains `expected` (a submitted form's page has loaded).
pub(crate) async fn eventually(client: &Client, css: &str, expected: &str) {
    for _ in 0..100 {
        if let Ok(element) = client.find(Locator::Css(css)).await
            && element.text().await.is_ok_and(|t| t.contains(expected))
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{css} never showed {expected:?}");
}

pub(crate) async fn no_sideways_scroll(client: &Client, page: &str) {
    let (scroll, inner) = widths(client).await;
    assert_eq!(inner, 360, "the phone viewport");
    assert!(scroll <= inner, "{page} scrolls sideways on a 360-px phone: {scroll} > {inner}");
}

/// (the page's width, the window's width).
pub(crate) async fn widths(client: &Client) -> (i64, i64) {
    let widths = client.execute("return [document.documentElement.scrollWidth, window.innerWidth];", vec![]).await.unwrap();
    (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap())
}

pub(crate) async fn screenshot(client: &Client, name: &str) {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_traveller_registers_by_qr_and_staff_confirm_on_a_phone() {
    let t = TestApp::start(Db::Sqlite).await;
    let leader = t.client("leader1").await;
    let (status, checkpoint) =
        t.send(&leader, reqwest::Method::POST, "/api/v1/checkpoints", json!({"unit_code": "150502001001", "name": "和平路卡点", "kind": "checkpoint"})).await;
    assert_eq!(status, 201);
    let (id, token) = (checkpoint["id"].as_str().unwrap().to_string(), checkpoint["token"].as_str().unwrap().to_string());
    let profile = tempfile::tempdir().unwrap();
    let (_driver, client) = browser(profile.path()).await;
    let result = async {
        // The traveller: no account, a phone, the poster's link.
        client.goto(&t.url(&format!("/r/{token}"))).await.unwrap();
        assert!(text(&client, "#checkpoint-name").await.starts_with("和平路卡点"));
        no_sideways_scroll(&client, "registration form").await;
        screenshot(&client, "register").await;
        let traveller = crate::support::id_number("110105", 9);
        let form = client.form(Locator::Css("#register-form")).await.unwrap();
        form.set_by_name("name", "周九").await.unwrap();
        form.set_by_name("id_number", &traveller).await.unwrap();
        form.set_by_name("phone", "13700002222").await.unwrap();
        form.set_by_name("plate", "京A12345").await.unwrap();
        form.set_by_name("from", "北京").await.unwrap();
        form.set_by_name("to", "科尔沁区").await.unwrap();
        form.submit().await.unwrap();
        client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#registration-code")).await.expect("registered");
        let code = text(&client, "#registration-code").await;
        assert_eq!(code.len(), 4, "a short code to show: {code}");
        no_sideways_scroll(&client, "registered").await;
        screenshot(&client, "registered").await;

        // The staff member on duty, on their own phone.
        client.goto(&t.url(&format!("/login?next=/checkpoints/{id}"))).await.unwrap();
        let form = client.form(Locator::Css("form.stack")).await.unwrap();
        form.set_by_name("login", "checkpoint").await.unwrap().set_by_name("password", PASSWORD).await.unwrap().submit().await.unwrap();
        wait_for_path(&client, &format!("/checkpoints/{id}")).await;
        let pending = text(&client, "#pending").await;
        assert!(pending.contains("周九") && pending.contains(&code), "{pending}");
        assert!(!pending.contains(&traveller), "masked: {pending}");
        no_sideways_scroll(&client, "checkpoint").await;
        screenshot(&client, "checkpoint").await;
        let confirm = client.form(Locator::Css("form.confirm")).await.unwrap();
        confirm.set_by_name("temperature", "36.5").await.unwrap().submit().await.unwrap();
        client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#logged")).await.expect("the confirmation");
        let logged = text(&client, "#logged").await;
        assert!(!logged.is_empty());
        let passages = text(&client, "#passages").await;
        assert!(passages.contains("周九") && passages.contains("36.5"), "{passages}");
        assert!(!text(&client, "#pending").await.contains("周九"), "no longer waiting");
        screenshot(&client, "confirmed").await;
    }
    .await;
    client.close().await.unwrap();
    result
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grid_leader_clears_a_fever_alert_and_screens_households_on_a_phone() {
    let t = TestApp::start(Db::Sqlite).await;
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    let leader = t.client("leader1").await;
    let post = |path: &'static str, body: serde_json::Value| {
        let (t, leader) = (&t, &leader);
        async move {
            let (status, answer) = t.send(leader, reqwest::Method::POST, path, body).await;
            assert!(status < 300, "{path}: {answer}");
            answer
        }
    };
    let checkpoint = post("/api/v1/checkpoints", json!({"unit_code": "150502001001", "name": "和平路卡点", "kind": "checkpoint"})).await;
    let staff = t.client("checkpoint").await;
    let path = format!("/api/v1/checkpoints/{}/passages", checkpoint["id"].as_str().unwrap());
    let (status, _) =
        t.send(&staff, reqwest::Method::POST, &path, json!({"name": "王强", "direction": "in", "temperature": 38.2, "outcome": "referred"})).await;
    assert_eq!(status, 201);
    post("/api/v1/returnees", json!({"id_number": crate::support::id_number("150502", 1), "origin": "北京", "arrived_at": t.local(-60), "transport": "train"}))
        .await;
    // The county's HQ opens the round (opening rounds is HQ's); the leader works through it.
    let hq = t.client("hq").await;
    let (status, round) = t.send(&hq, reqwest::Method::POST, "/api/v1/units/150502001001/rounds", json!({"name": "春节返乡排查"})).await;
    assert_eq!(status, 201, "{round}");

    let profile = tempfile::tempdir().unwrap();
    let (_driver, client) = browser(profile.path()).await;
    let result = async {
        client.goto(&t.url("/login?next=/tasks")).await.unwrap();
        let form = client.form(Locator::Css("form.stack")).await.unwrap();
        form.set_by_name("login", "leader1").await.unwrap().set_by_name("password", PASSWORD).await.unwrap().submit().await.unwrap();
        wait_for_path(&client, "/tasks").await;
        assert_eq!(text(&client, "#task-badge").await, "2", "the fever, and the round's households to visit");
        let tasks = text(&client, "#tasks").await;
        assert!(tasks.contains("发热预警") && tasks.contains("38.2") && tasks.contains("未走访户"), "{tasks}");
        no_sideways_scroll(&client, "tasks").await;
        screenshot(&client, "tasks").await;

        // The alert's link: the person's time line.
        client.find(Locator::Css("#tasks a")).await.unwrap().click().await.unwrap();
        client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#trajectory")).await.unwrap();
        assert!(text(&client, "#trajectory").await.contains("38.2"));
        no_sideways_scroll(&client, "person").await;
        screenshot(&client, "person").await;
        client.goto(&t.url("/tasks")).await.unwrap();
        client.find(Locator::Css("#tasks form button")).await.unwrap().click().await.unwrap();
        eventually(&client, "#task-badge", "1").await;
        assert!(!text(&client, "#tasks").await.contains("发热预警"), "the alert is cleared");

        // The village: its returnees (四知四清) and the round's households still to visit.
        client.goto(&t.url("/units/150502001001/returnees")).await.unwrap();
        assert_eq!(text(&client, "#fig-returnees").await, "1");
        no_sideways_scroll(&client, "returnees").await;
        screenshot(&client, "returnees").await;
        client.goto(&t.url(&format!("/rounds/{}?unit=150502001001", round["id"].as_str().unwrap()))).await.unwrap();
        assert_eq!(text(&client, "#round-progress").await, "0/4");
        no_sideways_scroll(&client, "round").await;
        screenshot(&client, "round").await;
        client.find(Locator::Css("#unvisited form button")).await.unwrap().click().await.unwrap();
        eventually(&client, "#round-progress", "1/4").await;
    }
    .await;
    client.close().await.unwrap();
    result
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_household_head_checks_in_four_people_and_the_missing_list_shrinks() {
    let t = TestApp::start(Db::Sqlite).await;
    let admin = t.client("admin").await;
    let id = |n| crate::support::id_number("150502", n);
    let roster = crate::support::roster_csv(&[
        ("010", "乌力吉", &id(41), "户主", "13812340001", "150502001001001", "常住"),
        ("010", "萨仁", &id(42), "配偶", "", "150502001001001", "常住"),
        ("010", "宝音", &id(43), "子", "", "150502001001001", "常住"),
        ("010", "图雅", &id(44), "女", "", "150502001001001", "常住"),
        ("011", "王五", &id(45), "户主", "", "150502001001001", "常住"),
    ]);
    assert_eq!(t.upload_roster(&admin, "150502001001001", "text/csv", roster.into_bytes()).await.0, 200);
    let member = t.client("member1").await;
    let household = crate::api_roster::find_household(&t, &member, "150502001001001", "010").await["id"].as_str().unwrap().to_string();
    let (_, link) = t.send(&member, reqwest::Method::POST, &format!("/api/v1/households/{household}/checkin-link"), json!({})).await;
    let token = link["token"].as_str().unwrap().to_string();
    let (_, before) = t.get(&member, "/api/v1/units/150502001001001/checkins").await;
    assert_eq!(before["missing_count"], 5);

    let profile = tempfile::tempdir().unwrap();
    let (_driver, client) = browser(profile.path()).await;
    let result = async {
        client.goto(&t.url(&format!("/c/{token}"))).await.unwrap();
        assert_eq!(client.find_all(Locator::Css("fieldset.member")).await.unwrap().len(), 4);
        no_sideways_scroll(&client, "check-in form").await;
        screenshot(&client, "checkin").await;
        // One of them is away: elsewhere, and where.
        client.find(Locator::Css("input[name=location_2][value=elsewhere]")).await.unwrap().click().await.unwrap();
        client.find(Locator::Css("input[name=where_2]")).await.unwrap().send_keys("通辽市医院陪护").await.unwrap();
        client.find(Locator::Css("#checkin-form button[type=submit]")).await.unwrap().click().await.unwrap();
        client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#checked-in")).await.expect("checked in");
        assert_eq!(client.find_all(Locator::Css("span.ok")).await.unwrap().len(), 4, "each member shows as reported today");
        screenshot(&client, "checked-in").await;

        // The grid member's list of who has not reported: only 王五 is left.
        client.goto(&t.url("/login?next=/units/150502001001001/checkins")).await.unwrap();
        let form = client.form(Locator::Css("form.stack")).await.unwrap();
        form.set_by_name("login", "member1").await.unwrap().set_by_name("password", PASSWORD).await.unwrap().submit().await.unwrap();
        wait_for_path(&client, "/units/150502001001001/checkins").await;
        assert_eq!(text(&client, "#fig-missing").await, "1");
        let missing = text(&client, "#missing").await;
        assert!(missing.contains("王五") && !missing.contains("乌力吉"), "{missing}");
        no_sideways_scroll(&client, "missing list").await;
        screenshot(&client, "missing").await;
        // 王五 has no phone: the member asks, ticks, and confirms.
        client.find(Locator::Css("#missing a.button")).await.unwrap().click().await.unwrap();
        client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#missing form button")).await.unwrap().click().await.unwrap();
        eventually(&client, "#fig-missing", "0").await;
    }
    .await;
    client.close().await.unwrap();
    result
}

/// The forms this round of security work changed, on a phone, each with bad input and then good:
/// a weak password (the login typed is kept), isolation for 0 days (the message names the
/// field), and a passage with an impossible temperature (the ID number typed is kept).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changed_forms_refuse_bad_input_and_keep_what_was_typed_on_a_phone() {
    let t = TestApp::start(Db::Sqlite).await;
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    let household = crate::api_roster::find_household(&t, &admin, "150502001001001", "001").await["id"].as_str().unwrap().to_string();
    let (_, cp) =
        t.send(&admin, reqwest::Method::POST, "/api/v1/checkpoints", json!({"unit_code": "150502001001", "name": "村口", "kind": "checkpoint"})).await;
    let checkpoint = cp["id"].as_str().unwrap().to_string();
    let profile = tempfile::tempdir().unwrap();
    let (_driver, client) = browser(profile.path()).await;
    let log_in = |login: &'static str, next: String| {
        let (client, t) = (&client, &t);
        async move {
            client.delete_all_cookies().await.unwrap();
            client.goto(&t.url(&format!("/login?next={next}"))).await.unwrap();
            let form = client.form(Locator::Css("form.stack")).await.unwrap();
            form.set_by_name("login", login).await.unwrap().set_by_name("password", PASSWORD).await.unwrap().submit().await.unwrap();
            wait_for_path(client, &next).await;
        }
    };
    let result = async {
        // An account: a weak password is refused with the rule, the login typed kept.
        log_in("admin", "/accounts".into()).await;
        let form = client.form(Locator::Css("form[action='/accounts']")).await.unwrap();
        form.set_by_name("login", "wang").await.unwrap().set_by_name("password", "Passw0rd!!").await.unwrap().submit().await.unwrap();
        client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#account-error")).await.expect("refused");
        assert!(text(&client, "#account-error").await.contains("密码"), "the message names the password");
        let kept = client.find(Locator::Css("input[name='login']")).await.unwrap().prop("value").await.unwrap();
        assert_eq!(kept.as_deref(), Some("wang"), "the login typed is kept");
        no_sideways_scroll(&client, "accounts, refused").await;
        screenshot(&client, "account-weak-password").await;
        let form = client.form(Locator::Css("form[action='/accounts']")).await.unwrap();
        form.set_by_name("password", "river stone lantern 7").await.unwrap().submit().await.unwrap();
        wait_for_path(&client, "/accounts").await;
        eventually(&client, "table", "wang").await;

        // Isolation from the household page, on a phone: 0 days names the field; 14 days orders it.
        client.set_window_size(360, 640).await.unwrap();
        log_in("leader1", format!("/households/{household}")).await;
        client.find(Locator::Css("details:has(#isolation-form) summary")).await.unwrap().click().await.unwrap();
        let form = client.form(Locator::Css("#isolation-form")).await.unwrap();
        form.set_by_name("days", "0").await.unwrap().submit().await.unwrap();
        client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#isolation-errors")).await.expect("refused");
        assert!(text(&client, "#isolation-errors").await.contains("天数"), "the message names the field as labelled");
        let kept = client.find(Locator::Css("#isolation-form input[name=days]")).await.unwrap().prop("value").await.unwrap();
        assert_eq!(kept.as_deref(), Some("0"), "the days typed are kept");
        // The problems are brought into view (the form sits far down a phone's page).
        let mut seen = serde_json::Value::Null;
        for _ in 0..50 {
            let js = "const r = document.getElementById('isolation-errors').getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight;";
            seen = client.execute(js, vec![]).await.unwrap();
            if seen == serde_json::Value::Bool(true) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(seen, serde_json::Value::Bool(true), "the problems are on screen without scrolling");
        no_sideways_scroll(&client, "isolation refused").await;
        screenshot(&client, "isolation-zero-days").await;
        client.set_window_size(1366, 900).await.unwrap();
        client.goto(&t.url(&format!("/households/{household}"))).await.unwrap();
        client.find(Locator::Css("details:has(#isolation-form) summary")).await.unwrap().click().await.unwrap();
        let form = client.form(Locator::Css("#isolation-form")).await.unwrap();
        form.set_by_name("days", "14").await.unwrap().submit().await.unwrap();
        eventually(&client, "h1", "").await;
        for _ in 0..100 {
            if client.current_url().await.unwrap().path().starts_with("/isolations/") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(client.current_url().await.unwrap().path().starts_with("/isolations/"), "ordered: at {}", client.current_url().await.unwrap());

        // A passage: 60 ℃ is refused and the ID number typed stays; 36.6 is logged.
        log_in("checkpoint", format!("/checkpoints/{checkpoint}")).await;
        let someone = crate::support::id_number("110105", 4);
        let form = client.form(Locator::Css("#passage-form")).await.unwrap();
        form.set_by_name("id_number", &someone).await.unwrap().set_by_name("temperature", "60").await.unwrap().submit().await.unwrap();
        client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#passage-errors")).await.expect("refused");
        let kept = client.find(Locator::Css("#passage-form input[name='id_number']")).await.unwrap().prop("value").await.unwrap();
        assert_eq!(kept.as_deref(), Some(someone.as_str()), "the ID number typed is kept");
        no_sideways_scroll(&client, "passage refused").await;
        screenshot(&client, "passage-bad-temperature").await;
        let form = client.form(Locator::Css("#passage-form")).await.unwrap();
        form.set_by_name("temperature", "36.6").await.unwrap().submit().await.unwrap();
        client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#logged")).await.expect("logged");
    }
    .await;
    client.close().await.unwrap();
    result
}

/// Issue 14, item 12: every role's first page fits a 360-px phone in both languages, with
/// every folded form opened: a header of at most two lines, and nothing wider than the screen
/// (a wide table scrolls inside its own box).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_s_first_page_fits_a_phone_in_both_languages() {
    let t = TestApp::start(Db::Sqlite).await;
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    let profile = tempfile::tempdir().unwrap();
    let (_driver, client) = browser(profile.path()).await;
    let result = async {
        for lang in ["zh", "en"] {
            client.goto(&t.url(&format!("/lang/{lang}"))).await.unwrap();
            for (login, ..) in crate::support::FIXTURE_ACCOUNTS {
                client.delete_all_cookies().await.unwrap();
                client.goto(&t.url(&format!("/lang/{lang}"))).await.unwrap();
                client.goto(&t.url("/login")).await.unwrap();
                let form = client.form(Locator::Css("form.stack")).await.unwrap();
                form.set_by_name("login", login).await.unwrap().set_by_name("password", PASSWORD).await.unwrap().submit().await.unwrap();
                for _ in 0..100 {
                    if !client.current_url().await.unwrap().path().starts_with("/login") {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                let page = format!("{login}'s first page ({lang}, {})", client.current_url().await.unwrap().path());
                client.execute("document.querySelectorAll('details').forEach(d => d.open = true);", vec![]).await.unwrap();
                let header = client.execute("return document.querySelector('header.top').getBoundingClientRect().height;", vec![]).await.unwrap();
                assert!(header.as_f64().unwrap() <= 64.0, "{page}: the header is {header} px tall (two lines at most)");
                no_sideways_scroll(&client, &page).await;
                screenshot(&client, &format!("first-page-{login}-{lang}")).await;
            }
        }
    }
    .await;
    client.close().await.unwrap();
    result
}
