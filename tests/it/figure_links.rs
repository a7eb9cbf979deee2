//! Issue 15, item 1: every figure of the dashboard is a link to the list of records that make
//! it up, and that list holds exactly as many as the figure says: through the API and on the
//! page, for a street and a village, today and a day before, within scope.

use reqwest::Method;
use serde_json::{Value, json};

use crate::api_roster::find_household;
use crate::both;
use crate::first_week::{html, page_client};
use crate::support::{Db, TestApp, id_number, sample_roster};

/// A day of everything the dashboard counts in 和平社区, and some of it the day before.
async fn a_busy_day(t: &TestApp) {
    t.clock.set("2020-02-10T09:00");
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    let hq = t.client("hq").await;
    assert_eq!(t.send(&hq, Method::POST, "/api/v1/key-areas", json!({"area": "42", "valid_from": "2020-01-01"})).await.0, 201);
    let leader = t.client("leader1").await;
    let (status, cp) = t
        .send(
            &leader,
            Method::POST,
            "/api/v1/checkpoints",
            json!({"unit_code": "150502001001", "name": "和平路卡点", "kind": "checkpoint", "lat": 43.62, "lon": 122.26}),
        )
        .await;
    assert_eq!(status, 201, "{cp}");
    let (cp, token) = (cp["id"].as_str().unwrap().to_string(), cp["token"].as_str().unwrap().to_string());

    // Passages: in and out, turned back, referred, fevers; two typed in late for yesterday.
    let staff = t.client("checkpoint").await;
    let passages = [
        ("过客甲", "in", "passed", 36.5, -60),
        ("过客乙", "out", "passed", 36.6, -55),
        ("过客丙", "in", "turned_back", 36.7, -50),
        ("过客丁", "in", "referred", 38.2, -45),
        ("过客戊", "out", "passed", 37.5, -40),
        ("过客己", "in", "passed", 36.4, -24 * 60),
        ("过客庚", "out", "turned_back", 38.0, -24 * 60 + 5),
    ];
    for (name, direction, outcome, temperature, minutes) in passages {
        let body = json!({"name": name, "direction": direction, "outcome": outcome, "temperature": temperature, "at": t.local(minutes)});
        let (status, answer) = t.send(&staff, Method::POST, &format!("/api/v1/checkpoints/{cp}/passages"), body).await;
        assert_eq!(status, 201, "{answer}");
    }
    // A traveller registers on the poster and is not yet confirmed.
    let form = [("name", "周九"), ("id_number", &id_number("110105", 9)), ("phone", "13700002222"), ("from", "北京"), ("to", "科尔沁区"), ("purpose", "探亲")];
    let response = crate::support::client("zh").post(t.url(&format!("/r/{token}"))).form(&form).send().await.unwrap();
    assert!(response.status().is_success(), "{}", response.text().await.unwrap());
    // One fever alert acknowledged, the others open.
    let (_, tasks) = t.get(&leader, "/api/v1/tasks").await;
    let fever = tasks["items"].as_array().unwrap().iter().find(|task| task["kind"] == "fever_alert").expect("a fever alert").clone();
    assert_eq!(t.send(&leader, Method::POST, &format!("/api/v1/alerts/{}/ack", fever["id"].as_str().unwrap()), json!({})).await.0, 200);

    // Returnees: one from the key area today, one from Beijing four days ago.
    let h001 = find_household(t, &leader, "150502001001001", "001").await["id"].as_str().unwrap().to_string();
    let h004 = find_household(t, &leader, "150502001001002", "004").await["id"].as_str().unwrap().to_string();
    let h003 = find_household(t, &leader, "150502001001002", "003").await["id"].as_str().unwrap().to_string();
    let arrivals = [(60u16, "归人甲", &h003, "湖北省武汉市", "420102", -90i64), (61, "归人乙", &h004, "北京市", "北京", -4 * 24 * 60)];
    for (n, name, household, origin, place, minutes) in arrivals {
        let body = json!({"id_number": id_number("150502", n), "name": name, "household_id": household, "origin": origin, "arrived_at": t.local(minutes),
            "transport": "train", "travel": [{"place": place, "from": "2020-01-10", "to": "2020-01-20"}]});
        let (status, answer) = t.send(&leader, Method::POST, "/api/v1/returnees", body).await;
        assert_eq!(status, 201, "{answer}");
    }

    // Isolation: home and central orders; one ended today; a follow-up; a missed one climbs.
    let (_, record) = t.get(&leader, &format!("/api/v1/households/{h001}")).await;
    let people: Vec<String> = record["residents"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_string()).collect();
    let (status, home) = t
        .send(&leader, Method::POST, "/api/v1/isolations", json!({"resident_id": people[0], "kind": "home", "reason": "key_area", "cadre_login": "member1"}))
        .await;
    assert_eq!(status, 201, "{home}");
    let (status, central) = t
        .send(
            &leader,
            Method::POST,
            "/api/v1/isolations",
            json!({"resident_id": people[1], "kind": "central", "place": "县隔离点", "reason": "contact", "days": 14}),
        )
        .await;
    assert_eq!(status, 201, "{central}");
    let (_, record) = t.get(&leader, &format!("/api/v1/households/{h003}")).await;
    let someone = record["residents"][0]["id"].as_str().unwrap().to_string();
    let (status, ended) = t.send(&leader, Method::POST, "/api/v1/isolations", json!({"resident_id": someone, "kind": "home", "reason": "contact"})).await;
    assert_eq!(status, 201, "{ended}");
    let ended = ended["id"].as_str().unwrap().to_string();
    let member = t.client("member1").await;
    let followup = json!({"temperature": 36.5, "reached": "phone"});
    assert_eq!(t.send(&member, Method::POST, &format!("/api/v1/isolations/{}/followups", central["id"].as_str().unwrap()), followup).await.0, 201);
    assert_eq!(t.send(&leader, Method::POST, &format!("/api/v1/isolations/{ended}/end"), json!({"reason": "tested negative twice"})).await.0, 200);

    // Check-ins: three of 和平社区's residents, one unwell.
    let checkins: Vec<Value> = people
        .iter()
        .chain([&someone])
        .take(3)
        .enumerate()
        .map(|(i, id)| json!({"resident_id": id, "status": if i == 0 { "unwell" } else { "well" }, "location": "home"}))
        .collect();
    let (status, answer) = t.send(&leader, Method::POST, "/api/v1/checkins", Value::Array(checkins)).await;
    assert_eq!(status, 201, "{answer}");

    // The morning window closes with nobody calling on the home order: it climbs.
    t.clock.set("2020-02-10T14:00");
    wangge::app::tasks::sweep(&t.app).await.unwrap();
    t.clock.set("2020-02-10T15:30");
    wangge::app::tasks::sweep(&t.app).await.unwrap();
}

/// Every figure of a unit's day, as the dashboard answers it: (name, value).
fn figures(board: &Value) -> Vec<(String, i64)> {
    let f = &board["figures"];
    let mut all = Vec::new();
    for (name, value) in f.as_object().unwrap() {
        if let Some(n) = value.as_i64() {
            all.push((name.clone(), n));
        }
    }
    for (colour, value) in f["households_by_colour"].as_object().unwrap() {
        all.push((format!("households_{colour}"), value.as_i64().unwrap()));
    }
    all
}

async fn every_figure_opens_the_records_that_make_it_up(db: Db) {
    let t = TestApp::start(db).await;
    a_busy_day(&t).await;
    let hq = t.client("hq").await;
    let mut non_zero = Vec::new();
    for (unit, date) in [("150502001", ""), ("150502001001", ""), ("150502001", "2020-02-09"), ("150502001001001", "")] {
        let (status, board) = t.get(&hq, &format!("/api/v1/units/{unit}/dashboard?date={date}")).await;
        assert_eq!(status, 200, "{board}");
        for (figure, value) in figures(&board) {
            if figure == "checkins_missing" {
                continue; // not a figure of the answer: expected − reported, the missing list's
            }
            let (status, list) = t.get(&hq, &format!("/api/v1/units/{unit}/figures/{figure}?date={date}&limit=1000")).await;
            assert_eq!(status, 200, "{unit} {figure}: {list}");
            assert_eq!(list["total"].as_i64(), Some(value), "{unit} {date} {figure}: the list counts what the figure says: {list}");
            assert_eq!(list["items"].as_array().unwrap().len() as i64, value, "{unit} {date} {figure}: every record listed");
            if value > 0 && date.is_empty() && unit == "150502001" {
                non_zero.push(figure);
            }
        }
    }
    non_zero.sort();
    let every = [
        "alerts_acknowledged",
        "alerts_escalated",
        "alerts_open",
        "checkins_expected",
        "checkins_reported",
        "checkins_unwell",
        "fevers",
        "followups_done",
        "followups_due",
        "followups_overdue",
        "households",
        "households_blue",
        "households_red",
        "households_white",
        "households_yellow",
        "isolated_central",
        "isolated_home",
        "isolations_released",
        "isolations_started",
        "passages_in",
        "passages_out",
        "referred",
        "registrations_pending",
        "residents",
        "returnees_arrived",
        "returnees_from_key_areas",
        "returnees_in_observation",
        "turned_back",
    ];
    assert_eq!(non_zero, every, "the day leaves no figure at zero, so that every list is tried with records");

    // A record names its unit and the page it is on.
    let (_, fevers) = t.get(&hq, "/api/v1/units/150502001/figures/fevers").await;
    let first = &fevers["items"][0];
    assert_eq!((first["unit_name"].as_str(), first["target"]["kind"].as_str()), (Some("和平社区"), Some("person")), "{fevers}");
    let (_, released) = t.get(&hq, "/api/v1/units/150502001/figures/isolations_released?limit=1&offset=0").await;
    assert_eq!(released["items"][0]["target"]["kind"], "isolation", "{released}");

    // Scope, roles and names.
    let other = t.client("leader2").await;
    assert_eq!(t.get(&other, "/api/v1/units/150502001001/figures/fevers").await.0, 404, "another village's figure");
    assert_eq!(t.get(&hq, "/api/v1/units/150502001/figures/no_such_figure").await.0, 404);
    assert_eq!(t.get(&t.client("checkpoint").await, "/api/v1/units/150502001/figures/fevers").await.0, 403, "no roster, no lists of people");
    assert_eq!(t.get(&hq, "/api/v1/units/150502001/figures/fevers?date=2020-02-11").await.0, 422, "not after today");
    let (_, audit) = t.get(&t.client("admin").await, "/api/v1/audit?limit=1000").await;
    assert!(audit["items"].as_array().unwrap().iter().any(|e| e["entity"] == "figure" && e["actor"] == "hq"), "the reading is audited");
}
both!(every_figure_opens_the_records_that_make_it_up);

/// The number on the dashboard's page, the list its link opens, and the count there agree.
async fn the_dashboards_numbers_link_to_their_lists(db: Db) {
    let t = TestApp::start(db).await;
    a_busy_day(&t).await;
    for lang in ["zh", "en"] {
        let hq = page_client(&t, lang, "hq").await;
        let page = html(&t, &hq, "/units/150502001/dashboard").await;
        let links: Vec<&str> = page.split("class=\"figure-link\"").skip(1).collect();
        assert!(links.len() >= 27, "every figure is a link: {}", links.len());
        let hrefs: Vec<&str> = page.split("class=\"figure-link\"").map(|before| before.rsplit("href=\"").next().unwrap().split('"').next().unwrap()).collect();
        for (i, after) in links.iter().enumerate() {
            // The link's text, without its tags.
            let text = after.split("</a>").next().unwrap();
            let shown: i64 = text
                .split('>')
                .skip(1)
                .map(|part| part.split('<').next().unwrap())
                .collect::<String>()
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("a number: {text}"));
            let href = hrefs[i].replace("&#38;", "&").replace("&amp;", "&");
            let list = html(&t, &hq, &href).await;
            let total: i64 = if href.contains("/checkins?") {
                list.split("id=\"missing-pager\">").nth(1).and_then(|p| p.split("</p>").next()).map_or(0, |p| {
                    let digits: String = p.rsplit(['共', 'f']).next().unwrap().chars().filter(char::is_ascii_digit).collect();
                    digits.parse().unwrap_or(0)
                })
            } else {
                list.split("id=\"figure-total\">").nth(1).unwrap().split('<').next().unwrap().parse().unwrap()
            };
            assert_eq!(total, shown, "{lang} {href}: the list counts what the dashboard showed");
            if !href.contains("/checkins?") {
                assert_eq!(list.matches("<li class=\"record\">").count() as i64, shown.min(100), "{href}");
            }
        }
    }
}
both!(the_dashboards_numbers_link_to_their_lists);
