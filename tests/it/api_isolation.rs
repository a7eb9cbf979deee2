//! Isolation through HTTP with a clock the test moves: the household turns red, follow-ups
//! fall due twice a day in their windows, a missed one escalates village → township → county
//! once per step, alerts on fevers, the paired cadre's limit, and release.

use reqwest::Method;
use serde_json::{Value, json};

use crate::api_roster::find_household;
use crate::both;
use crate::support::{Db, TestApp, sample_roster};

async fn tasks(t: &TestApp, login: &str) -> Vec<(String, String)> {
    let c = t.client(login).await;
    let (_, body) = t.get(&c, "/api/v1/tasks").await;
    body["items"].as_array().unwrap().iter().map(|i| (i["kind"].as_str().unwrap().to_string(), i["subject"].as_str().unwrap().to_string())).collect()
}

fn kinds(tasks: &[(String, String)]) -> Vec<&str> {
    tasks.iter().map(|(k, _)| k.as_str()).collect()
}

async fn sweep(t: &TestApp) -> usize {
    wangge::app::tasks::sweep(&t.app).await.unwrap()
}

/// The residents of a household: (id, name).
async fn residents(t: &TestApp, client: &reqwest::Client, unit: &str, no: &str) -> (String, Vec<(String, String)>) {
    let household = find_household(t, client, unit, no).await["id"].as_str().unwrap().to_string();
    let (_, record) = t.get(client, &format!("/api/v1/households/{household}")).await;
    let people =
        record["residents"].as_array().unwrap().iter().map(|r| (r["id"].as_str().unwrap().to_string(), r["name"].as_str().unwrap().to_string())).collect();
    (household, people)
}

async fn colour(t: &TestApp, client: &reqwest::Client, household: &str) -> (String, String) {
    let (_, record) = t.get(client, &format!("/api/v1/households/{household}")).await;
    (record["colour"].as_str().unwrap().to_string(), record["colour_history"].as_array().unwrap().last().unwrap()["cause"].as_str().unwrap().to_string())
}

async fn follow_ups_fall_due_and_missed_ones_climb_the_grid(db: Db) {
    let t = TestApp::start(db).await;
    t.clock.set("2020-02-01T08:00");
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    let leader = t.client("leader1").await;
    let (h001, people) = residents(&t, &leader, "150502001001001", "001").await;
    let zhang = people.iter().find(|(_, n)| n == "张三").unwrap().0.clone();

    let (status, order) = t
        .send(&leader, Method::POST, "/api/v1/isolations", json!({"resident_id": zhang, "kind": "home", "reason": "key_area", "cadre_login": "member1"}))
        .await;
    assert_eq!(status, 201, "{order}");
    let order_id = order["id"].as_str().unwrap().to_string();
    assert_eq!(order["planned_end"], "2020-02-15T00:00:00Z", "14 days from 08:00 Beijing time");
    assert_eq!(colour(&t, &leader, &h001).await, ("red".into(), "under_isolation".into()));
    let (status, again) = t.send(&leader, Method::POST, "/api/v1/isolations", json!({"resident_id": zhang, "kind": "home", "reason": "key_area"})).await;
    assert_eq!(status, 409, "one open order per person: {again}");

    // 08:00, the morning window (07:00–12:00) is open: a follow-up is due for the cadre.
    assert_eq!(kinds(&tasks(&t, "member1").await), ["followup_due"]);
    let member = t.client("member1").await;
    let (status, _) =
        t.send(&member, Method::POST, &format!("/api/v1/isolations/{order_id}/followups"), json!({"temperature": 36.5, "reached": "phone"})).await;
    assert_eq!(status, 201);
    assert!(tasks(&t, "member1").await.is_empty(), "the morning's follow-up is done");
    assert!(tasks(&t, "leader1").await.is_empty(), "a normal follow-up alarms nobody");

    // The afternoon window (14:00–19:00) passes with nobody calling.
    t.clock.set("2020-02-01T15:00");
    assert_eq!(kinds(&tasks(&t, "member1").await), ["followup_due"]);
    t.clock.set("2020-02-01T19:30");
    assert_eq!(kinds(&tasks(&t, "member1").await), ["followup_overdue"]);
    assert_eq!(sweep(&t).await, 0, "the rule's delay (60 min) has not passed");
    t.clock.set("2020-02-01T20:00");
    sweep(&t).await;
    let leader_tasks = tasks(&t, "leader1").await;
    assert_eq!(kinds(&leader_tasks), ["escalation_alert"], "step 1: the village's grid leader");
    assert!(leader_tasks[0].1.contains("张三"));
    assert!(tasks(&t, "hq").await.is_empty(), "the county hears of it only at step 3");
    t.clock.set("2020-02-01T21:00");
    sweep(&t).await; // step 2: the township, where nobody has an account
    assert!(tasks(&t, "hq").await.is_empty());
    t.clock.set("2020-02-01T22:00");
    sweep(&t).await;
    assert_eq!(kinds(&tasks(&t, "hq").await), ["escalation_alert"], "step 3: the county's HQ");
    assert_eq!(sweep(&t).await, 0, "each step once");
    let hq = t.client("hq").await;
    let (_, escalations) = t.get(&hq, "/api/v1/escalations").await;
    let steps: Vec<i64> = escalations["items"].as_array().unwrap().iter().map(|e| e["step"].as_i64().unwrap()).collect();
    assert_eq!(steps, [3, 2, 1]);
    assert_eq!(escalations["rules"].as_array().unwrap().len(), 3, "rules are data");

    // A late follow-up clears the lapse; a fever raises an alert at once.
    let member = t.client("member1").await;
    let (_, late) = t
        .send(
            &member,
            Method::POST,
            &format!("/api/v1/isolations/{order_id}/followups"),
            json!({"temperature": 38.1, "symptoms": ["cough"], "reached": "visit"}),
        )
        .await;
    assert_eq!(late["symptoms"], json!(["cough"]));
    assert!(tasks(&t, "member1").await.is_empty());
    let alerts = tasks(&t, "leader1").await;
    assert!(alerts.iter().any(|(k, s)| k == "followup_alert" && s.contains("38.1") && s.contains("cough")), "{alerts:?}");
    let (status, body) = t.send(&member, Method::POST, &format!("/api/v1/isolations/{order_id}/followups"), json!({"reached": "shouting"})).await;
    assert_eq!(status, 422, "{body}");

    // Scope: another village sees nothing of it.
    let leader2 = t.client("leader2").await;
    assert_eq!(t.get(&leader2, &format!("/api/v1/isolations/{order_id}")).await.0, 404);
    assert_eq!(t.send(&leader2, Method::POST, &format!("/api/v1/isolations/{order_id}/followups"), json!({"reached": "phone"})).await.0, 404);
    assert_eq!(
        t.send(&member, Method::POST, "/api/v1/isolations", json!({"resident_id": zhang, "kind": "home", "reason": "key_area"})).await.0,
        403,
        "members follow up; leaders order"
    );
}
both!(follow_ups_fall_due_and_missed_ones_climb_the_grid);

async fn a_cadre_holds_three_households_and_release_needs_a_final_follow_up(db: Db) {
    let t = TestApp::start(db).await;
    t.clock.set("2020-02-01T09:00");
    let admin = t.client("admin").await;
    t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await;
    let leader = t.client("leader1").await;
    let mut orders: Vec<(String, String)> = Vec::new();
    for (unit, no) in [("150502001001001", "002"), ("150502001001002", "003"), ("150502001001002", "004")] {
        let (household, people) = residents(&t, &leader, unit, no).await;
        let (status, order) = t
            .send(
                &leader,
                Method::POST,
                "/api/v1/isolations",
                json!({"resident_id": people[0].0, "kind": "central", "place": "县隔离点", "reason": "contact", "cadre_login": "leader1", "days": 14}),
            )
            .await;
        assert_eq!(status, 201, "{order}");
        orders.push((household, order["id"].as_str().unwrap().to_string()));
    }
    let (_, people) = residents(&t, &leader, "150502001001001", "001").await;
    let (status, body) = t
        .send(&leader, Method::POST, "/api/v1/isolations", json!({"resident_id": people[0].0, "kind": "home", "reason": "contact", "cadre_login": "leader1"}))
        .await;
    assert_eq!(status, 422, "a fourth household for one cadre: {body}");
    assert!(body["message"].as_str().unwrap().starts_with("Cadre's login: "), "named as the form labels it: {body}");

    // Ending early: the household's colour follows at once.
    let (h003, o003) = &orders[1];
    let (status, ended) = t.send(&leader, Method::POST, &format!("/api/v1/isolations/{o003}/end"), json!({"reason": "tested negative twice"})).await;
    assert_eq!(status, 200, "{ended}");
    assert_eq!(ended["followup"]["state"], "ended");
    assert_eq!(colour(&t, &leader, h003).await, ("white".into(), "permanent".into()));
    let (_, empty) = t.send(&leader, Method::POST, &format!("/api/v1/isolations/{}/end", orders[2].1), json!({"reason": " "})).await;
    assert_eq!(empty["error"], "invalid", "a reason is required");

    // Extending: 21 days from the start.
    let (_, extended) =
        t.send(&leader, Method::POST, &format!("/api/v1/isolations/{}/end", orders[2].1), json!({"reason": "still symptomatic", "days": 21})).await;
    assert_eq!(extended["planned_end"], "2020-02-22T01:00:00Z");

    // The planned day: release only after that day's follow-up.
    let (h002, o002) = &orders[0];
    t.clock.set("2020-02-15T10:00");
    let leader = t.client("leader1").await;
    let (_, order) = t.get(&leader, &format!("/api/v1/isolations/{o002}")).await;
    assert_eq!(order["followup"]["state"], "release_due");
    assert!(kinds(&tasks(&t, "leader1").await).contains(&"release_due"));
    let (status, refused) = t.send(&leader, Method::POST, &format!("/api/v1/isolations/{o002}/end"), json!({"reason": "14 days done"})).await;
    assert_eq!(status, 403, "{refused}");
    assert_eq!(colour(&t, &leader, h002).await.0, "red");
    assert_eq!(t.send(&leader, Method::POST, &format!("/api/v1/isolations/{o002}/followups"), json!({"temperature": 36.4, "reached": "visit"})).await.0, 201);
    let (status, released) = t.send(&leader, Method::POST, &format!("/api/v1/isolations/{o002}/end"), json!({"reason": "14 days done"})).await;
    assert_eq!(status, 200, "{released}");
    assert_eq!(colour(&t, &leader, h002).await, ("blue".into(), "renters".into()), "back to its own colour");
    let (_, active) = t.get(&leader, "/api/v1/units/150502001001/isolations").await;
    assert_eq!(active["items"].as_array().unwrap().len(), 1, "{active}");
    let notice = leader.get(t.url(&format!("/isolations/{}/notice", orders[2].1))).send().await.unwrap().text().await.unwrap();
    assert!(notice.contains("公 示") && notice.contains("集中医学观察") && !notice.contains("****"), "a notice names no ID number");
    let _: &Value = &active;
}
both!(a_cadre_holds_three_households_and_release_needs_a_final_follow_up);
