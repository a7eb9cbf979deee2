//! Screening through HTTP: key areas and returnees colour households (with the cause in the
//! history), the observation window ends on time, the 四知四清 figures, and door-to-door
//! coverage of a round.

use reqwest::Method;
use serde_json::{Value, json};

use crate::api_roster::find_household;
use crate::both;
use crate::support::{Db, TestApp, id_number, sample_roster};

async fn household(t: &TestApp, client: &reqwest::Client, id: &str) -> Value {
    let (status, body) = t.get(client, &format!("/api/v1/households/{id}")).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn history(record: &Value) -> Vec<(String, String)> {
    record["colour_history"].as_array().unwrap().iter().map(|c| (c["to"].as_str().unwrap().to_string(), c["cause"].as_str().unwrap().to_string())).collect()
}

async fn returnees_colour_their_households_for_the_observation_window(db: Db) {
    let t = TestApp::start(db).await;
    // The dates below are of early 2020: so is the clock (times are checked against it).
    t.clock.set("2020-02-01T08:00");
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    let hq = t.client("hq").await;
    let (status, area) = t.send(&hq, Method::POST, "/api/v1/key-areas", json!({"area": "42", "valid_from": "2020-01-01"})).await;
    assert_eq!(status, 201, "{area}");
    let leader = t.client("leader1").await;
    let member = t.client("member1").await;
    let h001 = find_household(&t, &leader, "150502001001001", "001").await["id"].as_str().unwrap().to_string();
    let h003 = find_household(&t, &leader, "150502001001002", "003").await["id"].as_str().unwrap().to_string();

    // A resident on the roster, found by ID number alone, back from Beijing two days ago.
    let (status, returnee) = t
        .send(
            &member,
            Method::POST,
            "/api/v1/returnees",
            json!({
                "id_number": id_number("150502", 1), "origin": "北京市朝阳区", "arrived_at": t.local(-2 * 24 * 60),
                "transport": "train", "transport_detail": "K1234", "travel": [{"place": "北京", "from": "2020-01-10", "to": "2020-01-20"}],
            }),
        )
        .await;
    assert_eq!(status, 201, "{returnee}");
    assert_eq!(returnee["from_key_area"], false);
    assert_eq!(returnee["in_observation"], true);
    assert_eq!(returnee["household_id"], h001.as_str());
    let record = household(&t, &leader, &h001).await;
    assert_eq!(record["colour"], "yellow");
    assert_eq!(history(&record).last().unwrap(), &("yellow".to_string(), "returnee".to_string()));

    // Someone new, from Wuhan (420102 lies under the key area 42), added to household 003.
    let newcomer = id_number("420102", 31);
    let body = json!({
        "id_number": newcomer, "name": "刘八", "relation": "女婿", "household_id": h003, "origin": "湖北省武汉市",
        "travel": [{"place": "420102", "from": "2020-01-15", "to": "2020-01-22"}], "arrived_at": t.local(-60), "transport": "car", "transport_detail": "鄂A12345",
    });
    let (status, body_out) = t.send(&member, Method::POST, "/api/v1/returnees", body.clone()).await;
    // A problem with the household typed, said as the form labels it (and nothing of whether it exists).
    assert_eq!(
        (status, body_out["message"].as_str()),
        (422, Some("Household id: not found, or outside your area")),
        "household 003 is outside the member's group: {body_out}"
    );
    let (status, second) = t.send(&leader, Method::POST, "/api/v1/returnees", body).await;
    assert_eq!(status, 201, "{second}");
    assert_eq!(second["from_key_area"], true);
    let record = household(&t, &leader, &h003).await;
    assert_eq!(record["colour"], "red");
    assert_eq!(history(&record).last().unwrap().1, "from_key_area");
    assert!(record["residents"].as_array().unwrap().iter().any(|r| r["id_number"] == newcomer.as_str()), "added to the roster");

    // 四知四清: households, residents, returnees, from key areas.
    let (_, list) = t.get(&leader, "/api/v1/units/150502001001/returnees").await;
    assert_eq!(list["figures"], json!({"households": 4, "residents": 7, "returnees": 2, "returnees_from_key_areas": 1, "in_observation": 2}));
    assert_eq!(list["items"][0]["name"], "刘八", "newest arrival first");
    assert!(list["items"][0]["id_number"].as_str().unwrap().contains("****"), "masked in lists");
    let (_, unit) = t.get(&leader, "/api/v1/units/150502001001").await;
    assert_eq!(unit["figures"]["households_by_colour"], json!({"red": 1, "yellow": 1, "blue": 1, "white": 1}));

    // A key area declared later turns the Beijing returnee red; removing it, yellow again.
    let (status, beijing) =
        t.send(&hq, Method::POST, "/api/v1/key-areas", json!({"area": "北京市", "valid_from": "2020-01-15", "valid_to": "2020-02-15"})).await;
    assert_eq!(status, 201);
    assert_eq!(household(&t, &leader, &h001).await["colour"], "red");
    let (status, _) = t.send(&hq, Method::DELETE, &format!("/api/v1/key-areas/{}", beijing["id"].as_str().unwrap()), json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(household(&t, &leader, &h001).await["colour"], "yellow");
    let (_, areas) = t.get(&leader, "/api/v1/key-areas").await;
    assert_eq!(areas["items"].as_array().unwrap().len(), 1, "{areas}");
    let (status, _) = t.send(&leader, Method::POST, "/api/v1/key-areas", json!({"area": "44", "valid_from": "2020-01-01"})).await;
    assert_eq!(status, 403, "key areas are HQ's");

    // The window: 14 days from arrival (two days ago). A minute before it ends nothing
    // changes; at its end, white.
    t.clock.advance(chrono::Duration::days(12) - chrono::Duration::minutes(1));
    wangge::app::screening::expire_observations(&t.app).await.unwrap();
    assert_eq!(household(&t, &leader, &h001).await["colour"], "yellow");
    t.clock.advance(chrono::Duration::minutes(1));
    wangge::app::screening::expire_observations(&t.app).await.unwrap();
    assert_eq!(household(&t, &leader, &h001).await["colour"], "white");
    assert_eq!(household(&t, &leader, &h003).await["colour"], "red", "刘八 arrived later");
    t.clock.advance(chrono::Duration::days(2));
    wangge::app::screening::expire_observations(&t.app).await.unwrap();
    let leader = t.client("leader1").await; // two weeks on: a new login
    let record = household(&t, &leader, &h003).await;
    assert_eq!(record["colour"], "white");
    let causes: Vec<String> = history(&record).into_iter().map(|(_, cause)| cause).collect();
    assert_eq!(causes, ["permanent", "from_key_area", "permanent"]);
    let (_, list) = t.get(&leader, "/api/v1/units/150502001001/returnees").await;
    assert_eq!(list["figures"]["in_observation"], 0);
    assert_eq!(list["figures"]["returnees"], 2, "still on record");

    // Scope: another village's leader sees and touches none of it.
    let leader2 = t.client("leader2").await;
    let (status, _) = t.get(&leader2, "/api/v1/units/150502001001/returnees").await;
    assert_eq!(status, 404);
    let resident = returnee["resident_id"].as_str().unwrap();
    let (status, _) = t
        .send(&leader2, Method::POST, "/api/v1/returnees", json!({"resident_id": resident, "origin": "x", "arrived_at": t.local(-5), "transport": "car"}))
        .await;
    assert_eq!(status, 404);
}
both!(returnees_colour_their_households_for_the_observation_window);

async fn returnee_input_is_checked(db: Db) {
    let t = TestApp::start(db).await;
    // The dates below are of early 2020: so is the clock (times are checked against it).
    t.clock.set("2020-02-01T08:00");
    let admin = t.client("admin").await;
    t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await;
    let leader = t.client("leader1").await;
    let base = json!({"id_number": id_number("150502", 1), "origin": "北京", "arrived_at": t.local(-60), "transport": "train"});
    for (change, field) in [
        (json!({"arrived_at": "last tuesday"}), "Arrived"),
        (json!({"arrived_at": t.local(24 * 60)}), "Arrived"),
        (json!({"transport": "horse"}), "Transport"),
        (json!({"origin": " "}), "Came from"),
        (json!({"travel": [{"place": "武汉", "from": "2020-02-01", "to": "2020-01-01"}]}), "Travelled through"),
        (json!({"id_number": "150502196004070014"}), "ID number"),
    ] {
        let mut body = base.clone();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, answer) = t.send(&leader, Method::POST, "/api/v1/returnees", body).await;
        assert_eq!(status, 422, "{change}: {answer}");
        assert!(answer["message"].as_str().unwrap().contains(field), "{change}: {answer}");
    }
    let (_, list) = t.get(&leader, "/api/v1/units/150502001001/returnees").await;
    assert_eq!(list["figures"]["returnees"], 0, "nothing stored");
    // A retried registration (same id) is stored once.
    let mut body = base.clone();
    body["id"] = json!(uuid::Uuid::now_v7());
    for _ in 0..2 {
        assert_eq!(t.send(&leader, Method::POST, "/api/v1/returnees", body.clone()).await.0, 201);
    }
    let (_, list) = t.get(&leader, "/api/v1/units/150502001001/returnees").await;
    assert_eq!(list["figures"]["returnees"], 1);
}
both!(returnee_input_is_checked);

async fn a_round_is_complete_only_when_every_household_is_visited(db: Db) {
    let t = TestApp::start(db).await;
    let admin = t.client("admin").await;
    t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await;
    let hq = t.client("hq").await;
    let (status, round) = t.send(&hq, Method::POST, "/api/v1/units/150502001/rounds", json!({"name": "春节返乡排查"})).await;
    assert_eq!(status, 201, "{round}");
    assert_eq!((round["households"].as_i64(), round["complete"].as_bool()), (Some(5), Some(false)));
    let round = round["id"].as_str().unwrap().to_string();
    let (_, coverage) = t.get(&hq, &format!("/api/v1/rounds/{round}/coverage?unit=150502001")).await;
    let per_village: Vec<(String, i64, i64)> = coverage["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["code"].as_str().unwrap().into(), u["households"].as_i64().unwrap(), u["not_visited"].as_i64().unwrap()))
        .collect();
    assert_eq!(per_village, [("150502001001".into(), 4, 4), ("150502001002".into(), 1, 1)]);

    let member = t.client("member1").await;
    let leader = t.client("leader1").await;
    let id = |no: &'static str, unit: &'static str| {
        let (t, leader) = (&t, &leader);
        async move { find_household(t, leader, unit, no).await["id"].as_str().unwrap().to_string() }
    };
    let (h1, h2) = (id("001", "150502001001001").await, id("002", "150502001001001").await);
    let visit = |household: String, outcome: &'static str| json!({"household_id": household, "outcome": outcome});
    assert_eq!(t.send(&member, Method::POST, &format!("/api/v1/rounds/{round}/visits"), visit(h1.clone(), "visited")).await.0, 200);
    assert_eq!(t.send(&member, Method::POST, &format!("/api/v1/rounds/{round}/visits"), visit(h2.clone(), "nobody_home")).await.0, 200);
    let (status, _) = t.send(&member, Method::POST, &format!("/api/v1/rounds/{round}/visits"), visit(h2.clone(), "waved")).await;
    assert_eq!(status, 422);

    // The member's grid: one of two visited; nobody home is not a visit.
    let (_, mine) = t.get(&member, &format!("/api/v1/rounds/{round}/coverage?unit=150502001001001")).await;
    assert_eq!((mine["households"].as_i64(), mine["visited"].as_i64(), mine["complete"].as_bool()), (Some(2), Some(1), Some(false)));
    let (_, pending) = t.get(&leader, &format!("/api/v1/rounds/{round}/unvisited?unit=150502001001")).await;
    let pending: Vec<(String, Value)> =
        pending["items"].as_array().unwrap().iter().map(|h| (h["household_no"].as_str().unwrap().into(), h["last_outcome"].clone())).collect();
    assert_eq!(pending, [("002".into(), json!("nobody_home")), ("003".into(), Value::Null), ("004".into(), Value::Null)]);
    let (_, rounds) = t.get(&leader, "/api/v1/units/150502001001/rounds").await;
    assert_eq!((rounds["items"][0]["visited"].as_i64(), rounds["items"][0]["households"].as_i64()), (Some(1), Some(4)));

    // Another village's leader can neither visit here nor read this village's list.
    let leader2 = t.client("leader2").await;
    assert_eq!(t.send(&leader2, Method::POST, &format!("/api/v1/rounds/{round}/visits"), visit(h2.clone(), "visited")).await.0, 404);
    assert_eq!(t.get(&leader2, &format!("/api/v1/rounds/{round}/unvisited?unit=150502001001")).await.0, 404);

    // Every household visited: complete, here and above.
    let others = [h2, id("003", "150502001001002").await, id("004", "150502001001002").await];
    for household in others {
        assert_eq!(t.send(&leader, Method::POST, &format!("/api/v1/rounds/{round}/visits"), visit(household, "visited")).await.0, 200);
    }
    let (_, village) = t.get(&leader, &format!("/api/v1/rounds/{round}/coverage?unit=150502001001")).await;
    assert_eq!(village["complete"], true);
    let (_, street) = t.get(&hq, &format!("/api/v1/rounds/{round}/coverage?unit=150502001")).await;
    assert_eq!((street["visited"].as_i64(), street["complete"].as_bool()), (Some(4), Some(false)), "胜利社区 is not done");
    let h5 = find_household(&t, &leader2, "150502001002001", "001").await["id"].as_str().unwrap().to_string();
    assert_eq!(t.send(&leader2, Method::POST, &format!("/api/v1/rounds/{round}/visits"), visit(h5, "visited")).await.0, 200);
    let (_, street) = t.get(&hq, &format!("/api/v1/rounds/{round}/coverage?unit=150502001")).await;
    assert_eq!(street["complete"], true);
}
both!(a_round_is_complete_only_when_every_household_is_visited);

async fn a_returnee_from_a_key_area_waits_for_a_decision(db: Db) {
    let t = TestApp::start(db).await;
    // The dates below are of early 2020: so is the clock (times are checked against it).
    t.clock.set("2020-02-01T08:00");
    let admin = t.client("admin").await;
    t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await;
    let hq = t.client("hq").await;
    t.send(&hq, Method::POST, "/api/v1/key-areas", json!({"area": "湖北", "valid_from": "2020-01-01"})).await;
    let leader = t.client("leader1").await;
    let body = json!({"id_number": id_number("150502", 5), "origin": "湖北省武汉市", "arrived_at": t.local(-60), "transport": "train"});
    let (status, returnee) = t.send(&leader, Method::POST, "/api/v1/returnees", body).await;
    assert_eq!((status, &returnee["from_key_area"]), (201, &json!(true)), "{returnee}");
    let inbox = |login: &'static str| {
        let t = &t;
        async move {
            let c = t.client(login).await;
            let (_, body) = t.get(&c, "/api/v1/tasks").await;
            body["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|i| i["kind"] == "returnee_to_screen")
                .map(|i| i["subject"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(inbox("leader1").await, ["王五 · 湖北省武汉市"]);
    assert_eq!(inbox("hq").await.len(), 1);
    assert!(inbox("member1").await.is_empty(), "members do not order isolation");
    assert!(inbox("leader2").await.is_empty());
    // The decision: isolation at home. The task is gone.
    let (status, _) =
        t.send(&leader, Method::POST, "/api/v1/isolations", json!({"resident_id": returnee["resident_id"], "kind": "home", "reason": "key_area"})).await;
    assert_eq!(status, 201);
    assert!(inbox("leader1").await.is_empty());
}
both!(a_returnee_from_a_key_area_waits_for_a_decision);
