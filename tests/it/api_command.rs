//! The command view through HTTP: the four-colour household map, as SVG and as a page (on a
//! phone and on paper), scoped as every list is.

use std::collections::HashMap;

use fantoccini::Locator;
use reqwest::Method;
use serde_json::{Value, json};

use crate::both;
use crate::browser::{browser, no_sideways_scroll, screenshot, text, wait_for_path};
use crate::support::{Db, PASSWORD, TestApp, id_number, sample_roster};

/// The colours of a unit's households as its household list tells them.
async fn listed_colours(t: &TestApp, client: &reqwest::Client, unit: &str) -> HashMap<String, usize> {
    let (status, page) = t.get(client, &format!("/api/v1/units/{unit}/households?limit=1000")).await;
    assert_eq!(status, 200, "{page}");
    let mut colours = HashMap::new();
    for household in page["items"].as_array().unwrap() {
        *colours.entry(household["colour"].as_str().unwrap().to_string()).or_default() += 1;
    }
    colours
}

async fn svg(t: &TestApp, client: &reqwest::Client, unit: &str) -> (u16, String, String) {
    let response = client.get(t.url(&format!("/api/v1/units/{unit}/colour-map.svg"))).send().await.unwrap();
    let status = response.status().as_u16();
    let kind = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, kind, response.text().await.unwrap())
}

async fn the_colour_map_draws_every_household_in_its_colour_within_scope(db: Db) {
    let t = TestApp::start(db).await;
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    // A returnee turns household 003 yellow.
    let leader = t.client("leader1").await;
    let (_, list) = t.get(&leader, "/api/v1/units/150502001001002/households").await;
    let household = list["items"].as_array().unwrap().iter().find(|h| h["household_no"] == "003").unwrap()["id"].as_str().unwrap().to_string();
    let (status, body) = t
        .send(
            &leader,
            Method::POST,
            "/api/v1/returnees",
            json!({"id_number": id_number("150502", 50), "name": "钱八", "household_id": household, "origin": "北京", "arrived_at": t.local(-60), "transport": "train"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");

    let (status, kind, map) = svg(&t, &leader, "150502001001").await;
    assert_eq!((status, kind.as_str()), (200, "image/svg+xml"), "{map}");
    let listed = listed_colours(&t, &leader, "150502001001").await;
    assert_eq!(listed.values().sum::<usize>(), 4);
    for colour in ["red", "yellow", "blue", "white"] {
        let drawn = map.matches(&format!("class=\"tile {colour}\"")).count();
        assert_eq!(drawn, listed.get(colour).copied().unwrap_or(0), "{colour} tiles against the household list");
    }
    assert_eq!(map.matches("class=\"tile yellow\"").count(), 1, "the returnee's household");
    assert_eq!(map.matches("class=\"tile blue\"").count(), 1, "the renters");
    assert!(map.contains(&format!("href=\"/households/{household}\"")), "tiles link to their households");
    assert!(map.contains("一组 (2)") && map.contains("二组 (2)"), "grouped by villager group: {map}");
    assert!(!map.contains("张三") && !map.contains("1505021"), "nothing personal on the map");

    // Scoped: another village's leader sees nothing of it; the checkpoint role reads no roster.
    let other = t.client("leader2").await;
    assert_eq!(svg(&t, &other, "150502001001").await.0, 404);
    assert_eq!(svg(&t, &other, "150502001002").await.0, 200);
    assert_eq!(svg(&t, &t.client("checkpoint").await, "150502001001").await.0, 403);
    let (status, _, county) = svg(&t, &t.client("hq").await, "150502").await;
    assert_eq!(status, 200);
    assert_eq!(county.matches("<rect class=\"tile ").count(), 5, "HQ's county: every household");
    assert!(county.contains("和平社区 · 一组"), "a county's groups are named with their villages: {county}");
    let page = t.client("hq").await.get(t.url("/units/150502/colour-map")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("和平社区 · 一组"), "{page}");
    let (status, page) = t.get(&other, "/units/150502001001/colour-map").await;
    assert_eq!(status, 404, "{page}");
}
both!(the_colour_map_draws_every_household_in_its_colour_within_scope);

/// A leader opens the village's map on a phone, follows a tile to its household, and prints
/// the map on A3.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leader_reads_the_colour_map_on_a_phone_and_prints_it() {
    let t = TestApp::start(Db::Sqlite).await;
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    let profile = tempfile::tempdir().unwrap();
    let (_driver, client) = browser(profile.path()).await;
    let result = async {
        client.goto(&t.url("/login")).await.unwrap();
        let form = client.form(Locator::Css("form.stack")).await.unwrap();
        form.set_by_name("login", "leader1").await.unwrap().set_by_name("password", PASSWORD).await.unwrap().submit().await.unwrap();
        logged_in(&client).await;
        client.goto(&t.url("/units/150502001001")).await.unwrap();
        client.find(Locator::Id("colour-map-link")).await.unwrap().click().await.unwrap();
        wait_for_path(&client, "/units/150502001001/colour-map").await;
        assert!(text(&client, "#map-title").await.contains("四色图"));
        assert_eq!(text(&client, "#count-total").await, "4");
        assert_eq!(text(&client, "#count-blue").await, "1");
        assert_eq!(client.find_all(Locator::Css("a.tile")).await.unwrap().len(), 4);
        no_sideways_scroll(&client, "colour map").await;
        screenshot(&client, "colour-map").await;

        client.find(Locator::Css("a.tile.blue")).await.unwrap().click().await.unwrap();
        for _ in 0..100 {
            if client.current_url().await.unwrap().path().starts_with("/households/") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(text(&client, "#household-title").await.contains("巴特尔"), "the renters' household");

        client.goto(&t.url("/units/150502001001/colour-map")).await.unwrap();
        client.find(Locator::Id("print-a3")).await.unwrap().click().await.unwrap();
        wait_for_path(&client, "/units/150502001001/colour-map/print").await;
        let body_class: Value = client.execute("return document.body.className;", vec![]).await.unwrap();
        assert_eq!(body_class, "colour-map a3");
        assert_eq!(client.find_all(Locator::Css("a.tile")).await.unwrap().len(), 4);
        screenshot(&client, "colour-map-print").await;
    }
    .await;
    client.close().await.unwrap();
    result
}

/// A small deterministic generator, so that a failing sequence can be replayed.
/// A small random sequence for tests (a seed printed to replay it).
pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

async fn dashboard(t: &TestApp, client: &reqwest::Client, unit: &str, date: &str) -> Value {
    let (status, body) = t.get(client, &format!("/api/v1/units/{unit}/dashboard?date={date}")).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn child<'a>(board: &'a Value, code: &str) -> &'a Value {
    &board["children"].as_array().unwrap().iter().find(|c| c["code"] == code).unwrap_or_else(|| panic!("no child {code}: {board}"))["figures"]
}

/// After a random day of passages, check-ins and arrivals (and a few the day before), every
/// figure of the street's dashboard, for each village and in all, is what was done.
async fn the_dashboard_counts_what_was_done_that_day_by_child(db: Db) {
    let t = TestApp::start(db).await;
    t.clock.set("2020-02-10T16:00");
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    let leader = t.client("leader1").await;
    let staff = t.client("checkpoint").await;
    let (status, cp) =
        t.send(&leader, Method::POST, "/api/v1/checkpoints", json!({"unit_code": "150502001001", "name": "和平路卡点", "kind": "checkpoint"})).await;
    assert_eq!(status, 201, "{cp}");
    let cp = cp["id"].as_str().unwrap().to_string();
    let mut rng = Lcg(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64);
    eprintln!("seed {}", rng.0);

    // Passages: today's count; yesterday's (the paper log typed in late) count on their day.
    let (mut ins, mut outs, mut turned, mut referred, mut fevers, mut yesterday, mut alerts) = (0, 0, 0, 0, 0, 0, 0);
    for n in 0..(10 + rng.below(15)) {
        let direction = if rng.below(2) == 0 { "in" } else { "out" };
        let outcome = ["passed", "passed", "turned_back", "referred"][rng.below(4) as usize];
        let temperature = [36.4, 37.2, 37.3, 38.1][rng.below(4) as usize];
        let late = rng.below(5) == 0;
        let at = if late { t.local(-24 * 60) } else { t.local(-(n as i64) - 1) };
        let body = json!({"name": format!("过客{}", ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"][(n % 10) as usize]), "direction": direction, "outcome": outcome, "temperature": temperature, "at": at});
        let (status, answer) = t.send(&staff, Method::POST, &format!("/api/v1/checkpoints/{cp}/passages"), body).await;
        assert_eq!(status, 201, "{answer}");
        // Every fever alerts when it is written, whatever day it happened.
        if temperature >= 37.3 {
            alerts += 1;
        }
        if late {
            yesterday += 1;
            continue;
        }
        if direction == "in" {
            ins += 1
        } else {
            outs += 1
        }
        match outcome {
            "turned_back" => turned += 1,
            "referred" => referred += 1,
            _ => {}
        }
        if temperature >= 37.3 {
            fevers += 1;
        }
    }

    // Check-ins: some of 和平社区's six residents, some unwell.
    let mut residents = Vec::new();
    for (unit, no) in [("150502001001001", "001"), ("150502001001001", "002"), ("150502001001002", "003"), ("150502001001002", "004")] {
        let id = crate::api_roster::find_household(&t, &leader, unit, no).await["id"].as_str().unwrap().to_string();
        let (_, record) = t.get(&leader, &format!("/api/v1/households/{id}")).await;
        residents.extend(record["residents"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_string()));
    }
    let reported = rng.below(residents.len() as u64 + 1) as usize;
    let unwell = rng.below(reported as u64 + 1) as usize;
    // The first `unwell` reports are unwell, the rest well.
    let checkins: Vec<Value> = residents
        .iter()
        .take(reported)
        .enumerate()
        .map(|(i, id)| json!({"resident_id": id, "status": if i < unwell { "unwell" } else { "well" }, "location": "home"}))
        .collect();
    if !checkins.is_empty() {
        let (status, answer) = t.send(&leader, Method::POST, "/api/v1/checkins", Value::Array(checkins)).await;
        assert_eq!(status, 201, "{answer}");
    }

    // A returnee arrives today in 003; one arrived four days ago in 001 (still observed).
    let h003 = crate::api_roster::find_household(&t, &leader, "150502001001002", "003").await["id"].as_str().unwrap().to_string();
    let h001 = crate::api_roster::find_household(&t, &leader, "150502001001001", "001").await["id"].as_str().unwrap().to_string();
    for (n, household, minutes) in [(60u16, &h003, -90i64), (61, &h001, -4 * 24 * 60)] {
        let body = json!({"id_number": id_number("150502", n), "name": if n == 60 { "归人甲" } else { "归人乙" }, "household_id": household, "origin": "北京", "arrived_at": t.local(minutes), "transport": "train"});
        let (status, answer) = t.send(&leader, Method::POST, "/api/v1/returnees", body).await;
        assert_eq!(status, 201, "{answer}");
    }
    // Home isolation for one resident, from now.
    let (status, order) = t.send(&leader, Method::POST, "/api/v1/isolations", json!({"resident_id": residents[0], "kind": "home", "reason": "key_area"})).await;
    assert_eq!(status, 201, "{order}");

    let hq = t.client("hq").await;
    let board = dashboard(&t, &hq, "150502001", "").await;
    assert_eq!(board["date"], "2020-02-10");
    assert_eq!(board["unit"]["name"], "科尔沁街道");
    let peace = child(&board, "150502001001");
    let expected = [
        ("households", 4),
        ("residents", 6 + 2),
        ("returnees_arrived", 1),
        ("returnees_in_observation", 2),
        ("isolated_home", 1),
        ("isolations_started", 1),
        ("checkins_expected", 6 + 2),
        ("checkins_reported", reported as i64),
        ("checkins_unwell", unwell as i64),
        ("passages_in", ins),
        ("passages_out", outs),
        ("turned_back", turned),
        ("referred", referred),
        ("fevers", fevers),
        ("alerts_open", alerts),
    ];
    for (figure, value) in expected {
        assert_eq!(peace[figure], value, "和平社区 {figure}: {peace}");
    }
    let colours = &peace["households_by_colour"];
    assert_eq!(colours, &json!({"red": 1, "yellow": 1, "blue": 1, "white": 1}), "001 isolated, 003 a returnee's, 002 renting: {peace}");
    let victory = child(&board, "150502001002");
    assert_eq!((victory["households"].as_i64(), victory["passages_in"].as_i64()), (Some(1), Some(0)));
    for figure in ["households", "residents", "passages_in", "passages_out", "fevers", "checkins_reported"] {
        assert_eq!(board["figures"][figure].as_i64(), Some(peace[figure].as_i64().unwrap() + victory[figure].as_i64().unwrap()), "{figure} in all");
    }

    let totals = &board["figures"]["totals"];
    assert_eq!(totals["passages"].as_i64().unwrap(), ins + outs + yesterday, "累计 counts the day before too: {totals}");
    assert_eq!(totals["fevers"].as_i64().unwrap(), alerts);
    assert_eq!((totals["returnees"].as_i64(), totals["home_started"].as_i64()), (Some(2), Some(1)));
    check_sheet(&t, &hq, "150502001", &board).await;

    // The day before: only the late passages, and no arrivals.
    let before = dashboard(&t, &hq, "150502001", "2020-02-09").await;
    let peace = child(&before, "150502001001");
    assert_eq!(peace["passages_in"].as_i64().unwrap() + peace["passages_out"].as_i64().unwrap(), yesterday);
    assert_eq!(peace["returnees_arrived"], 0);
    assert_eq!(peace["isolated_home"], 0, "the order began today");
    assert_eq!(peace["returnees_in_observation"], 1, "the earlier returnee was already in observation");

    // Scope and dates.
    let other = t.client("leader2").await;
    assert_eq!(t.get(&other, "/api/v1/units/150502001001/dashboard").await.0, 404);
    assert_eq!(t.get(&hq, "/api/v1/units/150502001/dashboard?date=2020-02-11").await.0, 422, "not after today");
    assert_eq!(t.get(&hq, "/api/v1/units/150502001/dashboard?date=2020-13-01").await.0, 422);
}
both!(the_dashboard_counts_what_was_done_that_day_by_child);

/// HQ opens its street's dashboard on a phone, sorts the villages, and drills down to one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hq_reads_the_dashboard_on_a_phone_sorts_and_drills_down() {
    let t = TestApp::start(Db::Sqlite).await;
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    // One of 胜利社区's one resident checks in: 100 %, against 和平社区's 0 %.
    let leader = t.client("leader2").await;
    let household = crate::api_roster::find_household(&t, &leader, "150502001002001", "001").await["id"].as_str().unwrap().to_string();
    let (_, record) = t.get(&leader, &format!("/api/v1/households/{household}")).await;
    let resident = record["residents"][0]["id"].as_str().unwrap().to_string();
    let (status, answer) = t.send(&leader, Method::POST, "/api/v1/checkins", json!({"resident_id": resident, "status": "well", "location": "home"})).await;
    assert_eq!(status, 201, "{answer}");

    let profile = tempfile::tempdir().unwrap();
    let (_driver, client) = browser(profile.path()).await;
    let result = async {
        client.goto(&t.url("/login")).await.unwrap();
        let form = client.form(Locator::Css("form.stack")).await.unwrap();
        form.set_by_name("login", "hq").await.unwrap().set_by_name("password", PASSWORD).await.unwrap().submit().await.unwrap();
        logged_in(&client).await;
        client.goto(&t.url("/units/150502001")).await.unwrap();
        client.find(Locator::Id("dashboard-link")).await.unwrap().click().await.unwrap();
        wait_for_path(&client, "/units/150502001/dashboard").await;
        assert_eq!(text(&client, "#fig-checkins-reported").await, "1");
        assert_eq!(text(&client, "#fig-households").await, "5");
        let rows = || async { client.find_all(Locator::Css("#children tbody tr td:first-child")).await.unwrap() };
        assert_eq!(rows().await[0].text().await.unwrap(), "和平社区", "worst check-in rate first");
        no_sideways_scroll(&client, "dashboard").await;
        screenshot(&client, "dashboard").await;

        // Sorting by the rate again turns the order round.
        client.find(Locator::Css("#children th a.sorted")).await.unwrap().click().await.unwrap();
        for _ in 0..100 {
            if rows().await[0].text().await.unwrap() == "胜利社区" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(rows().await[0].text().await.unwrap(), "胜利社区");
        client.find(Locator::LinkText("胜利社区")).await.unwrap().click().await.unwrap();
        wait_for_path(&client, "/units/150502001002/dashboard").await;
        assert_eq!(text(&client, "#fig-checkin-rate").await, "100%");
        no_sideways_scroll(&client, "a village's dashboard").await;
        screenshot(&client, "dashboard-village").await;
    }
    .await;
    client.close().await.unwrap();
    result
}

/// Waits until the login form has been left for the account's first page.
async fn logged_in(client: &fantoccini::Client) {
    for _ in 0..100 {
        if !client.current_url().await.unwrap().path().starts_with("/login") {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the login did not go through");
}

/// What each column of the evening sheet holds, by its group and header: the answer's field.
const SHEET_COLUMNS: &[(&str, &str, &str)] = &[
    ("返乡人员", "当日新增", "returnees_arrived"),
    ("返乡人员", "累计", "totals.returnees"),
    ("来自重点地区", "当日新增", "totals.returnees_from_key_areas_arrived"),
    ("来自重点地区", "累计", "totals.returnees_from_key_areas"),
    ("居家隔离", "当日新增", "totals.home_started_that_day"),
    ("居家隔离", "累计", "totals.home_started"),
    ("居家隔离", "现有", "isolated_home"),
    ("集中隔离", "当日新增", "totals.central_started_that_day"),
    ("集中隔离", "累计", "totals.central_started"),
    ("集中隔离", "现有", "isolated_central"),
    ("解除隔离", "当日新增", "isolations_released"),
    ("解除隔离", "累计", "totals.released"),
    ("报平安", "应报", "checkins_expected"),
    ("报平安", "已报", "checkins_reported"),
    ("报平安", "未报", "checkins_missing"),
    ("报平安", "报平安率", "checkin_rate"),
    ("卡点通行", "当日新增", "passages_in+passages_out"),
    ("卡点通行", "累计", "totals.passages"),
    ("劝返", "当日新增", "turned_back"),
    ("劝返", "累计", "totals.turned_back"),
    ("发热", "当日新增", "fevers"),
    ("发热", "累计", "totals.fevers"),
    ("预警", "未处理", "alerts_open"),
    ("预警", "当日升级", "alerts_escalated"),
    ("预警", "累计升级", "totals.alerts_escalated"),
];

/// A field of a figures answer: `a`, `a.b` or `a+b`.
fn field(figures: &Value, path: &str) -> Option<f64> {
    if let Some((a, b)) = path.split_once('+') {
        return Some(field(figures, a)? + field(figures, b)?);
    }
    let value = path.split('.').fold(figures, |v, key| &v[key]);
    value.as_f64()
}

/// The sheet, downloaded and read back: every cell of every row is what the dashboard answers
/// (children in its order, the total last), the CSV says the same, and totals are formulas.
async fn check_sheet(t: &TestApp, client: &reqwest::Client, unit: &str, board: &Value) {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let url = t.url(&format!("/api/v1/units/{unit}/daily-report.xlsx?date={}", board["date"].as_str().unwrap()));
    let english = client.get(&url).send().await.unwrap().bytes().await.unwrap();
    let english: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(english.to_vec())).unwrap();
    assert_eq!(english.sheet_names(), ["Daily report"], "in the asker's language");
    let response = client.get(&url).header("accept-language", "zh-CN").send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-disposition"].to_str().unwrap().contains(".xlsx"));
    let bytes = response.bytes().await.unwrap();
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let formulas = book.worksheet_formula("日报表").unwrap();
    let sheet = book.worksheet_range("日报表").unwrap();
    let text = |r: u32, c: u32| sheet.get_value((r, c)).map(|d| d.to_string()).unwrap_or_default();
    assert!(text(0, 0).contains(board["unit"]["name"].as_str().unwrap()) && text(0, 0).contains(board["date"].as_str().unwrap()), "title: {}", text(0, 0));
    // The headers: each group over its columns (the merged cell's first), each header below.
    let mut group = String::new();
    for (i, (g, h, _)) in SHEET_COLUMNS.iter().enumerate() {
        let col = i as u32 + 1;
        if !text(1, col).is_empty() {
            group = text(1, col);
        }
        assert_eq!((group.as_str(), text(2, col).as_str()), (*g, *h), "column {col}");
    }
    let children = board["children"].as_array().unwrap();
    let mut rows: Vec<(String, &Value)> = children.iter().map(|c| (c["name"].as_str().unwrap().to_string(), &c["figures"])).collect();
    let total_row = 3 + rows.len() as u32;
    assert_eq!(text(total_row, 0), "合计", "children only: nothing is registered on the street itself");
    rows.push(("合计".into(), &board["figures"]));
    for (r, (name, figures)) in rows.iter().enumerate() {
        let row = 3 + r as u32;
        assert_eq!(&text(row, 0), name);
        for (i, (g, h, path)) in SHEET_COLUMNS.iter().enumerate() {
            let cell = sheet.get_value((row, i as u32 + 1)).cloned().unwrap_or(Data::Empty);
            let expected = field(figures, path);
            let got = match cell {
                Data::Float(f) => Some(f),
                Data::Int(n) => Some(n as f64),
                Data::String(s) if s.is_empty() => None,
                Data::Empty => None,
                other => panic!("{name} {g}·{h}: not a number: {other:?}"),
            };
            // The sheet keeps a rate as a fraction (formatted as a percentage).
            let expected = if *path == "checkin_rate" { expected.map(|p| p / 100.0) } else { expected };
            match (got, expected) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 1e-9, "{name} {g}·{h}: {a} against {b}"),
                (a, b) => assert_eq!(a, b, "{name} {g}·{h}"),
            }
        }
    }
    let formula = formulas.get_value((total_row, 1)).cloned().unwrap_or_default();
    assert!(formula.starts_with("SUM(B4:B"), "the total is a formula: {formula:?}");

    let (status, csv) = {
        let url = t.url(&format!("/api/v1/units/{unit}/daily-report.csv?date={}", board["date"].as_str().unwrap()));
        let response = client.get(&url).header("accept-language", "zh-CN").send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    };
    assert_eq!(status, 200);
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 1 + rows.len());
    assert!(lines[0].contains("返乡人员·当日新增") && lines[0].contains("报平安·报平安率"), "{}", lines[0]);
    let total: Vec<&str> = lines.last().unwrap().split(',').collect();
    assert_eq!(total[0], "\"合计\"");
    assert_eq!(total[14].parse::<f64>().ok(), field(&board["figures"], "checkins_reported"), "the CSV's total row");
}
