//! Checkpoints through HTTP: passages and the same person, fever alerts in the right
//! inboxes, the public QR registration (validation, rate limit, rotation), trajectories and
//! contact windows at their edges, all within scope.

use reqwest::Method;
use serde_json::{Value, json};

use crate::both;
use crate::support::{Db, TestApp, client, id_number, sample_roster};

/// A checkpoint in 和平社区, set up by its grid leader: (id, token).
async fn checkpoint(t: &TestApp, name: &str) -> (String, String) {
    let leader = t.client("leader1").await;
    let (status, body) = t
        .send(
            &leader,
            Method::POST,
            "/api/v1/checkpoints",
            json!({"unit_code": "150502001001", "name": name, "kind": "checkpoint", "lat": 43.62, "lon": 122.26}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    (body["id"].as_str().unwrap().to_string(), body["token"].as_str().unwrap().to_string())
}

async fn passage(t: &TestApp, client: &reqwest::Client, checkpoint: &str, body: Value) -> Value {
    let (status, answer) = t.send(client, Method::POST, &format!("/api/v1/checkpoints/{checkpoint}/passages"), body.clone()).await;
    assert_eq!(status, 201, "{body}: {answer}");
    answer
}

async fn inbox(t: &TestApp, login: &str) -> Vec<Value> {
    let c = t.client(login).await;
    t.get(&c, "/api/v1/tasks").await.1["items"].as_array().unwrap().clone()
}

async fn passages_name_people_and_fevers_alert_at_once(db: Db) {
    let t = TestApp::start(db).await;
    let (cp, _) = checkpoint(&t, "和平路卡点").await;
    let staff = t.client("checkpoint").await;
    let someone = id_number("110105", 7);
    let first = passage(
        &t,
        &staff,
        &cp,
        json!({"id_number": someone, "name": "王强", "plate": "蒙G 12345", "direction": "in", "temperature": 36.6, "outcome": "passed"}),
    )
    .await;
    assert_eq!(first["plate"], "蒙G12345");
    assert_eq!(first["fever"], false);
    assert!(first["id_number"].as_str().unwrap().contains("****"), "masked: {first}");
    let again = passage(&t, &staff, &cp, json!({"id_number": someone, "direction": "out", "outcome": "passed"})).await;
    assert_eq!(again["person_id"], first["person_id"], "the same ID number is the same person");
    assert_eq!(again["name"], "王强");
    let a = passage(&t, &staff, &cp, json!({"name": "赵大", "phone": "13900001111", "direction": "in", "outcome": "turned_back"})).await;
    let b = passage(&t, &staff, &cp, json!({"name": "赵大", "phone": "13900001111", "direction": "out", "outcome": "passed"})).await;
    assert_eq!(a["person_id"], b["person_id"], "no ID number: the same name and phone");
    assert!(inbox(&t, "leader1").await.is_empty(), "no fever yet");

    // 37.2 is no fever; 37.3 is, and reaches the unit's grid leader and the county HQ.
    passage(&t, &staff, &cp, json!({"name": "钱二", "direction": "in", "temperature": 37.2, "outcome": "passed"})).await;
    assert!(inbox(&t, "leader1").await.is_empty());
    let fever = passage(&t, &staff, &cp, json!({"id_number": someone, "direction": "in", "temperature": 37.3, "outcome": "referred"})).await;
    assert_eq!(fever["fever"], true);
    for login in ["leader1", "hq"] {
        let items = inbox(&t, login).await;
        assert_eq!(items.len(), 1, "{login}: {items:?}");
        assert_eq!(items[0]["kind"], "fever_alert");
        assert_eq!(items[0]["subject"], "37.3 °C · 王强 · 和平路卡点");
        assert_eq!(items[0]["link"], format!("/people/{}", first["person_id"].as_str().unwrap()));
    }
    for login in ["leader2", "member1", "inspector"] {
        assert!(inbox(&t, login).await.is_empty(), "{login} is not responsible for this checkpoint");
    }
    // The header's badge on every page.
    let leader = t.client("leader1").await;
    let page = leader.get(t.url("/units/150502001001")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"task-badge\">1<"), "the badge shows one task");
    let alert = inbox(&t, "leader1").await[0]["id"].as_str().unwrap().to_string();
    assert_eq!(t.send(&t.client("leader2").await, Method::POST, &format!("/api/v1/alerts/{alert}/ack"), json!({})).await.0, 404);
    assert_eq!(t.send(&leader, Method::POST, &format!("/api/v1/alerts/{alert}/ack"), json!({})).await.0, 200);
    assert!(inbox(&t, "leader1").await.is_empty());
    assert!(inbox(&t, "hq").await.is_empty(), "acknowledged for everyone it was sent to");

    // The list of a day, newest first, and a paper log entered afterwards.
    let (_, list) = t.get(&staff, &format!("/api/v1/checkpoints/{cp}/passages")).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 6);
    assert_eq!(list["items"][0]["temperature"], 37.3);
    passage(&t, &staff, &cp, json!({"name": "孙三", "direction": "in", "outcome": "passed", "at": t.local(-3 * 24 * 60)})).await;
    let (_, old) = t.get(&staff, &format!("/api/v1/checkpoints/{cp}/passages?from={}&to={}", t.local(-4 * 24 * 60), t.local(-2 * 24 * 60))).await;
    assert_eq!(old["items"].as_array().unwrap().len(), 1, "{old}");
    assert_eq!(old["items"][0]["name"], "孙三");
}
both!(passages_name_people_and_fevers_alert_at_once);

async fn passages_are_checked_and_scoped(db: Db) {
    let t = TestApp::start(db).await;
    let (cp, _) = checkpoint(&t, "和平路卡点").await;
    let staff = t.client("checkpoint").await;
    let ok = json!({"name": "王强", "direction": "in", "outcome": "passed"});
    for (change, field) in [
        (json!({"direction": "sideways"}), "Direction"),
        (json!({"outcome": "waved"}), "Outcome"),
        (json!({"temperature": 52.0}), "Temperature"),
        (json!({"plate": "NOT A PLATE"}), "Plate"),
        (json!({"id_number": "150502196004070014"}), "ID number"),
        (json!({"at": t.local(60)}), "Time"),
        (json!({"name": "<script>alert(1)</script>"}), "Name"),
    ] {
        let mut body = ok.clone();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (status, answer) = t.send(&staff, Method::POST, &format!("/api/v1/checkpoints/{cp}/passages"), body).await;
        assert_eq!(status, 422, "{change}: {answer}");
        assert!(answer["message"].as_str().unwrap().contains(field), "{change}: {answer}");
    }
    let (_, list) = t.get(&staff, &format!("/api/v1/checkpoints/{cp}/passages")).await;
    assert_eq!(list["items"], json!([]), "nothing stored");

    // A checkpoint in another county is not this account's.
    let admin = t.client("admin").await;
    let (_, other) =
        t.send(&admin, Method::POST, "/api/v1/checkpoints", json!({"unit_code": "150521100200", "name": "东街劝返点", "kind": "persuasion_point"})).await;
    let other = other["id"].as_str().unwrap();
    let (status, _) = t.send(&staff, Method::POST, &format!("/api/v1/checkpoints/{other}/passages"), ok.clone()).await;
    assert_eq!(status, 404);
    for path in [format!("/api/v1/checkpoints/{other}"), format!("/api/v1/checkpoints/{other}/passages"), "/api/v1/units/150521/checkpoints".into()] {
        assert_eq!(t.get(&staff, &path).await.0, 404, "{path}");
    }
    let leader2 = t.client("leader2").await;
    assert_eq!(t.get(&leader2, &format!("/api/v1/checkpoints/{cp}/passages")).await.0, 404);
    let member = t.client("member1").await;
    assert_eq!(t.send(&member, Method::POST, &format!("/api/v1/checkpoints/{cp}/passages"), ok.clone()).await.0, 403, "members do not staff checkpoints");
    assert_eq!(t.send(&staff, Method::POST, "/api/v1/checkpoints", json!({"unit_code": "150502", "name": "x", "kind": "checkpoint"})).await.0, 403);
    let (status, body) =
        t.send(&admin, Method::POST, "/api/v1/checkpoints", json!({"unit_code": "150502", "name": "x", "kind": "checkpoint", "lat": 123.0, "lon": 43.0})).await;
    assert_eq!(status, 422, "{body}");

    // Shifts: a 24-hour rotation of a medic, a police officer and a cadre.
    let leader = t.client("leader1").await;
    let shift = json!({"starts_at": t.local(0), "ends_at": t.local(24 * 60), "staff": [
        {"name": "李医生", "duty": "医务人员"}, {"name": "张警官", "duty": "公安干警", "phone": "13800001111"}, {"name": "王干部", "duty": "机关干部"}]});
    let (status, body) = t.send(&leader, Method::POST, &format!("/api/v1/checkpoints/{cp}/shifts"), shift.clone()).await;
    assert_eq!(status, 201, "{body}");
    let mut backwards = shift.clone();
    backwards["ends_at"] = json!(t.local(-60));
    assert_eq!(t.send(&leader, Method::POST, &format!("/api/v1/checkpoints/{cp}/shifts"), backwards).await.0, 422);
    let (_, shifts) = t.get(&staff, &format!("/api/v1/checkpoints/{cp}/shifts")).await;
    assert_eq!(shifts["items"][0]["staff"].as_array().unwrap().len(), 3);
}
both!(passages_are_checked_and_scoped);

/// Posts the public form as a phone would.
async fn register(t: &TestApp, client: &reqwest::Client, token: &str, form: &[(&str, &str)]) -> (u16, String) {
    let response = client.post(t.url(&format!("/r/{token}"))).form(form).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn travellers_register_through_the_poster(db: Db) {
    let t = TestApp::start(db).await;
    let (cp, token) = checkpoint(&t, "和平路卡点").await;
    let public = client("zh");
    let page = public.get(t.url(&format!("/r/{token}"))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("和平路卡点"));
    let traveller = id_number("110105", 9);
    let good = [
        ("name", "周九"),
        ("id_number", traveller.as_str()),
        ("phone", "13700002222"),
        ("plate", "京A12345"),
        ("from", "北京"),
        ("to", "科尔沁区"),
        ("purpose", "探亲"),
    ];
    let (status, body) = register(&t, &public, &token, &good).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("id=\"registration-code\""), "a code to show the staff");
    assert!(!body.contains(&traveller), "the page does not echo the ID number back");

    let bad_digit = id_number("110105", 10).replace('X', "0");
    let wrong = format!("{}{}", &bad_digit[..17], if bad_digit.ends_with('1') { '2' } else { '1' });
    for (field, value, says) in [
        ("id_number", wrong.as_str(), "校验位"),
        ("from", "<script>alert(1)</script>", "不能含网页标记"),
        ("name", &"长".repeat(51), "50"),
        ("phone", "12345", "手机号"),
    ] {
        let mut form = good.to_vec();
        form.retain(|(k, _)| *k != field);
        form.push((field, value));
        let (status, body) = register(&t, &public, &token, &form).await;
        assert_eq!(status, 422, "{field}");
        assert!(body.contains(says), "{field}: a clear message");
        assert!(!body.contains("<script>alert"), "never echoed as markup");
    }
    let (status, _) = register(&t, &public, "00000000000000000000dead", &good).await;
    assert_eq!(status, 404, "an unknown poster");

    // Staff see one registration, masked, and confirm it with a temperature.
    let staff = t.client("checkpoint").await;
    let (_, pending) = t.get(&staff, &format!("/api/v1/checkpoints/{cp}/registrations")).await;
    let pending = pending["items"].as_array().unwrap().clone();
    assert_eq!(pending.len(), 1, "the bad submissions stored nothing: {pending:?}");
    assert_eq!(pending[0]["name"], "周九");
    assert!(pending[0]["id_number"].as_str().unwrap().contains("****"));
    let registration = pending[0]["id"].as_str().unwrap();
    let (status, confirmed) = t.send(&staff, Method::POST, &format!("/api/v1/registrations/{registration}/confirm"), json!({"temperature": 36.4})).await;
    assert_eq!(status, 200, "{confirmed}");
    assert_eq!(confirmed["person_id"], pending[0]["person_id"]);
    assert_eq!(confirmed["plate"], "京A12345");
    let (_, pending) = t.get(&staff, &format!("/api/v1/checkpoints/{cp}/registrations")).await;
    assert_eq!(pending["items"], json!([]));
    let (status, again) = t.send(&staff, Method::POST, &format!("/api/v1/registrations/{registration}/confirm"), json!({"temperature": 36.4})).await;
    assert_eq!((status, &again["id"]), (200, &confirmed["id"]), "confirming twice logs one passage");

    // A new token: old posters stop working.
    let leader = t.client("leader1").await;
    let (_, rotated) = t.send(&leader, Method::POST, &format!("/api/v1/checkpoints/{cp}/token"), json!({})).await;
    let new_token = rotated["token"].as_str().unwrap();
    assert_ne!(new_token, token);
    assert_eq!(public.get(t.url(&format!("/r/{token}"))).send().await.unwrap().status(), 404);
    assert_eq!(public.get(t.url(&format!("/r/{new_token}"))).send().await.unwrap().status(), 200);
    let (status, svg) = {
        let response = leader.get(t.url(&format!("/api/v1/checkpoints/{cp}/poster"))).send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    };
    assert_eq!(status, 200);
    assert!(svg.contains("<svg"));
    let poster = leader.get(t.url(&format!("/checkpoints/{cp}/poster"))).send().await.unwrap().text().await.unwrap();
    assert!(poster.contains(&format!("/r/{new_token}")) && poster.contains("扫码登记") && poster.contains("Scan to register"));
}
both!(travellers_register_through_the_poster);

async fn a_flood_of_registrations_is_cut_off(db: Db) {
    let t = TestApp::start(db).await;
    let (cp, token) = checkpoint(&t, "和平路卡点").await;
    let public = client("en");
    let mut statuses = Vec::new();
    for n in 0..25u16 {
        let id = id_number("110105", 100 + n);
        let (status, body) = register(&t, &public, &token, &[("name", "周九"), ("id_number", &id), ("phone", "13700002222")]).await;
        assert_ne!(status, 500, "{body}");
        if status == 429 {
            assert!(body.contains("Too many requests"), "a clear message");
        }
        statuses.push(status);
    }
    let accepted = statuses.iter().filter(|s| **s == 200).count();
    assert_eq!(accepted, 10, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 15);
    let staff = t.client("checkpoint").await;
    let (_, pending) = t.get(&staff, &format!("/api/v1/checkpoints/{cp}/registrations")).await;
    assert_eq!(pending["items"].as_array().unwrap().len(), accepted, "refused requests stored nothing");
}
both!(a_flood_of_registrations_is_cut_off);

async fn trajectories_and_contacts_at_the_edges_of_their_windows(db: Db) {
    let t = TestApp::start(db).await;
    let admin = t.client("admin").await;
    t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await;
    let (a, _) = checkpoint(&t, "和平路卡点").await;
    let (b, b_token) = checkpoint(&t, "胜利桥劝返点").await;
    let staff = t.client("checkpoint").await;
    let case_id = id_number("150502", 1); // 张三, who lives with 李四 in household 001
    let at = |minutes: i64| t.local(minutes - 600);
    let log = |checkpoint: &str, who: Value, minutes: i64| {
        let mut body = who;
        body["direction"] = json!("in");
        body["outcome"] = json!("passed");
        body["at"] = json!(at(minutes));
        (checkpoint.to_string(), body)
    };
    let case = passage(&t, &staff, &a, {
        let (_, body) = log(&a, json!({"id_number": case_id, "name": "张三", "plate": "蒙G11111"}), 0);
        body
    })
    .await;
    let case_person = case["person_id"].as_str().unwrap().to_string();
    for (checkpoint, body) in [
        log(&a, json!({"name": "边缘后", "phone": "13600000001"}), 30),
        log(&a, json!({"name": "超出后", "phone": "13600000002"}), 31),
        log(&a, json!({"name": "边缘前", "phone": "13600000003"}), -30),
        log(&b, json!({"name": "同车人", "phone": "13600000004", "plate": "蒙G11111"}), 5),
        log(&b, json!({"name": "别处人", "phone": "13600000005"}), 5),
        log(&b, json!({"id_number": case_id, "plate": "蒙G11111"}), 120),
    ] {
        passage(&t, &staff, &checkpoint, body).await;
    }
    register(&t, &client("zh"), &b_token, &[("name", "张三"), ("id_number", &case_id), ("phone", "13812345678")]).await;

    let leader = t.client("leader1").await;
    let (status, trajectory) = t.get(&leader, &format!("/api/v1/people/{case_person}/trajectory")).await;
    assert_eq!(status, 200, "{trajectory}");
    let steps: Vec<(String, String)> =
        trajectory["items"].as_array().unwrap().iter().map(|i| (i["kind"].as_str().unwrap().into(), i["checkpoint_name"].as_str().unwrap().into())).collect();
    assert_eq!(steps, [("passage".into(), "和平路卡点".into()), ("passage".into(), "胜利桥劝返点".into()), ("registration".into(), "胜利桥劝返点".into())]);
    assert_eq!(trajectory["person"]["id_number"], case_id.as_str(), "a person's page is the full record");

    let names = |body: &Value| -> Vec<(String, Vec<String>)> {
        let mut found: Vec<(String, Vec<String>)> = body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["name"].as_str().unwrap().into(), c["reasons"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().into()).collect()))
            .collect();
        found.sort();
        found
    };
    let (status, contacts) = t.get(&leader, &format!("/api/v1/people/{case_person}/contacts")).await;
    assert_eq!(status, 200, "{contacts}");
    let want = |extra: Option<&str>| {
        let mut all: Vec<(String, Vec<String>)> = vec![
            ("同车人".into(), vec!["vehicle".into()]),
            ("李四".into(), vec!["household".into()]),
            ("边缘前".into(), vec!["checkpoint".into()]),
            ("边缘后".into(), vec!["checkpoint".into()]),
        ];
        if let Some(name) = extra {
            all.push((name.into(), vec!["checkpoint".into()]));
        }
        all.sort();
        all
    };
    assert_eq!(names(&contacts), want(None), "30 minutes to the second is in, 31 is out");
    let (_, wider) = t.get(&leader, &format!("/api/v1/people/{case_person}/contacts?window_minutes=31")).await;
    assert_eq!(names(&wider), want(Some("超出后")));
    assert!(contacts.to_string().contains("****"), "masked as lists are");
    let csv = leader.get(t.url(&format!("/api/v1/people/{case_person}/contacts?format=csv"))).send().await.unwrap().text().await.unwrap();
    assert_eq!(csv.lines().count(), 5, "a header and four contacts: {csv}");

    // Turned into screening tasks, once, in the inboxes of those who hold the places.
    let (status, made) = t.send(&leader, Method::POST, &format!("/api/v1/people/{case_person}/contacts/screening"), json!({})).await;
    assert_eq!((status, made["created"].as_i64()), (200, Some(4)), "{made}");
    let (_, again) = t.send(&leader, Method::POST, &format!("/api/v1/people/{case_person}/contacts/screening"), json!({})).await;
    assert_eq!(again["created"], 0);
    let tasks = inbox(&t, "leader1").await;
    assert_eq!(tasks.iter().filter(|t| t["kind"] == "screen_contact").count(), 4, "{tasks:?}");
    let member_tasks = inbox(&t, "member1").await;
    assert_eq!(member_tasks.len(), 1, "only 李四 lives in the member's group: {member_tasks:?}");
    assert!(member_tasks[0]["subject"].as_str().unwrap().starts_with("李四"));
    assert!(inbox(&t, "leader2").await.is_empty());
    let member = t.client("member1").await;
    assert_eq!(t.send(&member, Method::POST, &format!("/api/v1/screening-tasks/{}/done", member_tasks[0]["id"].as_str().unwrap()), json!({})).await.0, 200);
    assert!(inbox(&t, "member1").await.is_empty());

    // Out of scope: nothing.
    let leader2 = t.client("leader2").await;
    assert_eq!(t.get(&leader2, &format!("/api/v1/people/{case_person}/trajectory")).await.0, 404);
    assert_eq!(t.get(&leader2, &format!("/api/v1/people/{case_person}/contacts")).await.0, 404);
    assert_eq!(t.get(&member, &format!("/api/v1/people/{case_person}/contacts")).await.0, 403);
    let (_, audit) = t.get(&admin, "/api/v1/audit").await;
    assert!(audit["items"].as_array().unwrap().iter().any(|e| e["entity"] == "person" && e["actor"] == "leader1" && e["entity_id"] == case_person.as_str()));
}
both!(trajectories_and_contacts_at_the_edges_of_their_windows);

async fn passages_at_once_are_each_written_once(db: Db) {
    let t = TestApp::start(db).await;
    let (cp, _) = checkpoint(&t, "和平路卡点").await;
    let staff = t.client("checkpoint").await;
    let path = format!("/api/v1/checkpoints/{cp}/passages");
    // Forty passages at the same moment, each sent twice (a phone retrying on a weak signal).
    let sends = (0..80u16).map(|n| {
        let id = uuid::Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 | u128::from(n / 2));
        let body = json!({"id": id, "id_number": id_number("150502", 500 + n / 2), "direction": "in", "temperature": if n / 2 == 7 { 38.0 } else { 36.5 }, "outcome": "passed"});
        let (t, staff, path) = (&t, &staff, &path);
        async move { (id, t.send(staff, Method::POST, path, body).await) }
    });
    let answers = futures_util::future::join_all(sends).await;
    for (id, (status, body)) in &answers {
        assert_eq!(*status, 201, "{body}");
        assert_eq!(body["id"], id.to_string());
    }
    let (_, list) = t.get(&staff, &format!("{path}?limit=500")).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 40, "each written once");
    let fevers = inbox(&t, "leader1").await;
    assert_eq!(fevers.len(), 1, "one fever, one alert: {fevers:?}");
}
both!(passages_at_once_are_each_written_once);

/// Issue 14, item 3: contacts are sought at every passage of a case, not only the newest 200.
async fn contacts_are_sought_at_every_passage_of_a_case(db: Db) {
    let t = TestApp::start(db).await;
    let (a, _) = checkpoint(&t, "和平路卡点").await;
    let staff = t.client("checkpoint").await;
    let case_id = id_number("150502", 1);
    let body = |who: Value, minutes: i64| {
        let mut body = who;
        body["direction"] = json!("in");
        body["outcome"] = json!("passed");
        body["at"] = json!(t.local(minutes));
        body
    };
    // The oldest passage of the case, with a traveller five minutes behind; then 200 more,
    // each far from anyone else.
    let case = passage(&t, &staff, &a, body(json!({"id_number": case_id, "name": "张三"}), -5000)).await;
    passage(&t, &staff, &a, body(json!({"name": "最早同行", "phone": "13600000009"}), -4995)).await;
    for n in 0..200 {
        passage(&t, &staff, &a, body(json!({"id_number": case_id, "name": "张三"}), -4000 + 10 * n)).await;
    }
    let person = case["person_id"].as_str().unwrap();
    let (status, contacts) = t.get(&t.client("leader1").await, &format!("/api/v1/people/{person}/contacts")).await;
    assert_eq!(status, 200, "{contacts}");
    let names: Vec<&str> = contacts["items"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["最早同行"], "{contacts}");
}
both!(contacts_are_sought_at_every_passage_of_a_case);
