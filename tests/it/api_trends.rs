//! The daily close and trends through HTTP, with the test clock: stored days equal the live
//! dashboard of that day taken before the close, the Asia/Shanghai midnight splits days, a
//! missed close is caught up, late returnees, check-ins and passages update their closed day, and scope holds.

use reqwest::Method;
use serde_json::{Value, json};

use crate::both;
use crate::support::{Db, TestApp, id_number, sample_roster};

const FIGURES: [&str; 8] = ["passages_in", "passages_out", "turned_back", "fevers", "returnees_arrived", "returnees_in_observation", "households", "residents"];

async fn trend(t: &TestApp, client: &reqwest::Client, unit: &str, from: &str, to: &str) -> Value {
    let (status, body) = t.get(client, &format!("/api/v1/units/{unit}/trends?metrics={}&from={from}&to={to}", FIGURES.join(","))).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn the_close_stores_what_the_dashboard_counted_and_late_facts_update_it(db: Db) {
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
    let passage = |at: &str, direction: &str, temperature: f64| json!({"name": "过客", "direction": direction, "outcome": "passed", "temperature": temperature, "at": at});
    for (at, direction, temperature) in [("2020-02-10T09:00", "in", 36.5), ("2020-02-10T10:00", "out", 38.2), ("2020-02-10T15:00", "in", 36.6)] {
        let (status, body) = t.send(&staff, Method::POST, &format!("/api/v1/checkpoints/{cp}/passages"), passage(at, direction, temperature)).await;
        assert_eq!(status, 201, "{body}");
    }
    // Just before and just after local midnight.
    t.clock.set("2020-02-11T00:03");
    for at in ["2020-02-10T23:59", "2020-02-11T00:01"] {
        let (status, body) = t.send(&staff, Method::POST, &format!("/api/v1/checkpoints/{cp}/passages"), passage(at, "in", 36.5)).await;
        assert_eq!(status, 201, "{body}");
    }
    let (_, before) = t.get(&leader, "/api/v1/units/150502001001/dashboard?date=2020-02-10").await;
    assert_eq!(before["figures"]["passages_in"], 3, "23:59 is the 10th's: {before}");
    let closed = wangge::app::history::close_day(&t.app, chrono::NaiveDate::from_ymd_opt(2020, 2, 10).unwrap()).await.unwrap();
    assert!(closed >= 5, "every unit has its row: {closed}");

    // The server was down for two days: the start closes the 11th and the 12th.
    t.clock.set("2020-02-13T08:00");
    let (_, eleventh) = t.get(&leader, "/api/v1/units/150502001001/dashboard?date=2020-02-11").await;
    let caught = wangge::app::history::close_due_days(&t.app).await.unwrap();
    assert_eq!(caught.iter().map(ToString::to_string).collect::<Vec<_>>(), ["2020-02-11", "2020-02-12"]);
    assert!(wangge::app::history::close_due_days(&t.app).await.unwrap().is_empty(), "nothing left to close");

    let answer = trend(&t, &leader, "150502001001", "2020-02-10", "2020-02-13").await;
    assert_eq!(answer["days"], json!(["2020-02-10", "2020-02-11", "2020-02-12", "2020-02-13"]));
    for figure in FIGURES {
        assert_eq!(answer["series"][figure][0], before["figures"][figure], "{figure} of the 10th, stored against counted");
        assert_eq!(answer["series"][figure][1], eleventh["figures"][figure], "{figure} of the 11th");
    }
    assert_eq!(answer["series"]["passages_in"], json!([3, 1, 0, 0]), "00:01 is the 11th's");
    assert_eq!(answer["series"]["fevers"], json!([1, 0, 0, 0]));
    // The street's trend is the sum of its villages'.
    let street = trend(&t, &t.client("hq").await, "150502001", "2020-02-10", "2020-02-12").await;
    assert_eq!(street["series"]["passages_in"], json!([3, 1, 0]));

    // A returnee who arrived on the 10th, typed in on the 13th: the 10th's figures change.
    let (_, list) = t.get(&leader, "/api/v1/units/150502001001002/households").await;
    let household = list["items"].as_array().unwrap().iter().find(|h| h["household_no"] == "003").unwrap()["id"].as_str().unwrap().to_string();
    let (status, body) = t
        .send(
            &leader,
            Method::POST,
            "/api/v1/returnees",
            json!({"id_number": id_number("150502", 50), "name": "钱八", "household_id": household, "origin": "北京", "arrived_at": "2020-02-10T12:00", "transport": "train"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let after = trend(&t, &leader, "150502001001", "2020-02-10", "2020-02-13").await;
    assert_eq!(after["series"]["returnees_arrived"], json!([1, 0, 0, 0]), "{after}");
    assert_eq!(after["series"]["returnees_in_observation"], json!([1, 1, 1, 1]), "in observation at each day's end");
    let (_, recount) = t.get(&leader, "/api/v1/units/150502001001/dashboard?date=2020-02-11").await;
    assert_eq!(after["series"]["returnees_in_observation"][1], recount["figures"]["returnees_in_observation"]);

    // A check-in and a passage of the 10th, typed in on the 13th, go through the group
    // committers: the 10th's stored figures change too, and only the 10th's.
    let (_, summary) = t.get(&leader, "/api/v1/units/150502001001/checkins?date=2020-02-10").await;
    let resident = summary["missing"][0]["resident_id"].as_str().unwrap().to_string();
    let metrics = "/api/v1/units/150502001001/trends?metrics=checkins_reported,passages_in&from=2020-02-10&to=2020-02-12";
    let before = t.get(&leader, metrics).await.1;
    let (status, body) = t.send(&leader, Method::POST, "/api/v1/checkins", json!({"resident_id": resident, "date": "2020-02-10"})).await;
    assert!((200..300).contains(&status), "{status} {body}");
    let (status, body) = t.send(&staff, Method::POST, &format!("/api/v1/checkpoints/{cp}/passages"), passage("2020-02-10T20:00", "in", 36.4)).await;
    assert_eq!(status, 201, "{body}");
    let (_, tenth) = t.get(&leader, "/api/v1/units/150502001001/dashboard?date=2020-02-10").await;
    let answer = t.get(&leader, metrics).await.1;
    assert_eq!(before["series"]["passages_in"], json!([3, 1, 0]), "{before}");
    assert_eq!(answer["series"]["passages_in"], json!([4, 1, 0]), "{answer}");
    assert_eq!(answer["series"]["checkins_reported"][1], before["series"]["checkins_reported"][1], "the 11th unchanged");
    assert_eq!(answer["series"]["passages_in"][0], tenth["figures"]["passages_in"]);
    assert_eq!(answer["series"]["checkins_reported"][0], tenth["figures"]["checkins_reported"]);
    assert_eq!(answer["series"]["checkins_reported"][0].as_i64().unwrap(), before["series"]["checkins_reported"][0].as_i64().unwrap() + 1);

    // Scope and checks: another village is not found; a bad range is refused naming its field.
    assert_eq!(t.get(&t.client("leader2").await, "/api/v1/units/150502001001/trends").await.0, 404);
    let (status, body) = t.get(&leader, "/api/v1/units/150502001001/trends?from=2019-01-01&to=2020-02-13").await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = t.get(&leader, "/api/v1/units/150502001001/trends?metrics=colds").await;
    assert_eq!(status, 422, "{body}");
    // The page draws a chart per figure and a table of values; the dashboard its sparklines.
    let page = leader.get(t.url("/units/150502001001/trends?first_day=2020-02-10")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"chart-passages_in\"") && page.contains("id=\"trend-values\""), "{page}");
    let board = leader.get(t.url("/units/150502001001/dashboard")).send().await.unwrap().text().await.unwrap();
    assert!(board.contains("id=\"spark-fevers\""));
}
both!(the_close_stores_what_the_dashboard_counted_and_late_facts_update_it);

/// Runs one statement beside the server (what a crash leaves, read or written by hand).
async fn beside(t: &TestApp, sql: &str) -> i64 {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    if t.database_url().starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(t.database_url()).await.unwrap();
        sqlx::query_scalar::<_, i64>(sql).fetch_optional(&pool).await.unwrap().unwrap_or(0)
    } else {
        let pool = sqlx::PgPool::connect(t.database_url()).await.unwrap();
        sqlx::query_scalar::<_, i64>(sql).fetch_optional(&pool).await.unwrap().unwrap_or(0)
    }
}

/// A late passage is noted in its own transaction: when the recount after it never ran (the
/// server killed between the two), or its day was not closed yet, the closer's next turn
/// (every minute, and at start) counts the day again; nothing is left noted.
async fn a_late_fact_whose_recount_was_lost_is_counted_by_the_closer(db: Db) {
    let t = TestApp::start(db).await;
    t.clock.set("2020-02-10T16:00");
    let leader = t.client("leader1").await;
    let staff = t.client("checkpoint").await;
    let (status, cp) =
        t.send(&leader, Method::POST, "/api/v1/checkpoints", json!({"unit_code": "150502001001", "name": "和平路卡点", "kind": "checkpoint"})).await;
    assert_eq!(status, 201, "{cp}");
    let passages = format!("/api/v1/checkpoints/{}/passages", cp["id"].as_str().unwrap());
    let passage = |at: &str| json!({"name": "过客", "direction": "in", "outcome": "passed", "temperature": 36.5, "at": at});
    assert_eq!(t.send(&staff, Method::POST, &passages, passage("2020-02-10T09:00")).await.0, 201);
    t.clock.set("2020-02-11T00:05");
    wangge::app::history::close_day(&t.app, chrono::NaiveDate::from_ymd_opt(2020, 2, 10).unwrap()).await.unwrap();
    let stored = "SELECT CAST(SUM(passages_in) AS BIGINT) FROM unit_day_figures WHERE day = '2020-02-10'";
    let stored_11 = "SELECT CAST(SUM(passages_in) AS BIGINT) FROM unit_day_figures WHERE day = '2020-02-11'";
    assert_eq!(beside(&t, stored).await, 1);

    // The next morning, the evening's paper log: counted at once, nothing left noted.
    t.clock.set("2020-02-11T08:00");
    assert_eq!(t.send(&staff, Method::POST, &passages, passage("2020-02-10T20:00")).await.0, 201);
    assert_eq!(beside(&t, stored).await, 2);
    assert_eq!(beside(&t, "SELECT COUNT(*) FROM late_facts").await, 0);

    // What a kill between the group's commit and its recount leaves: the fact and its note,
    // the stored figure short. The closer's turn counts it again.
    beside(&t, "UPDATE unit_day_figures SET passages_in = 0 WHERE day = '2020-02-10'").await;
    beside(&t, "INSERT INTO late_facts (unit_path, day) VALUES ('/15/1505/150502/150502001/150502001001/', '2020-02-10')").await;
    assert_eq!(beside(&t, stored).await, 0);
    wangge::app::history::close_due_days(&t.app).await.unwrap();
    assert_eq!(beside(&t, stored).await, 2, "the closer counted the noted day again");
    assert_eq!(beside(&t, "SELECT COUNT(*) FROM late_facts").await, 0);

    // A late passage of a day not yet closed stays noted until its close, then is counted.
    t.clock.set("2020-02-12T00:30");
    assert_eq!(t.send(&staff, Method::POST, &passages, passage("2020-02-11T23:50")).await.0, 201);
    assert_eq!(beside(&t, "SELECT COUNT(*) FROM late_facts").await, 1, "its day is not closed yet");
    wangge::app::history::close_day(&t.app, chrono::NaiveDate::from_ymd_opt(2020, 2, 11).unwrap()).await.unwrap();
    wangge::app::history::close_due_days(&t.app).await.unwrap();
    assert_eq!(beside(&t, stored_11).await, 1);
    assert_eq!(beside(&t, "SELECT COUNT(*) FROM late_facts").await, 0);
}
both!(a_late_fact_whose_recount_was_lost_is_counted_by_the_closer);
