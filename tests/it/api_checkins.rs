//! Daily check-ins through HTTP with a clock the test moves: one or many, all or nothing,
//! idempotent retries, the Asia/Shanghai day boundary, the missing list, a household's own
//! link, and "same as yesterday" flagged.

use reqwest::Method;
use serde_json::{Value, json};

use crate::api_roster::find_household;
use crate::both;
use crate::support::{Db, TestApp, client, sample_roster};

/// Resident ids by name, in the fixture's village 和平社区 and 胜利社区.
async fn people(t: &TestApp, client: &reqwest::Client) -> std::collections::HashMap<String, String> {
    let mut all = std::collections::HashMap::new();
    for (unit, no) in [("150502001001001", "001"), ("150502001001001", "002"), ("150502001001002", "003"), ("150502001001002", "004")] {
        let id = find_household(t, client, unit, no).await["id"].as_str().unwrap().to_string();
        let (_, record) = t.get(client, &format!("/api/v1/households/{id}")).await;
        for r in record["residents"].as_array().unwrap() {
            all.insert(r["name"].as_str().unwrap().to_string(), r["id"].as_str().unwrap().to_string());
        }
    }
    all
}

/// The fixture grid with the sample roster loaded on 1 February 2020, 09:00, and its people's ids.
async fn with_roster(db: Db) -> (TestApp, std::collections::HashMap<String, String>) {
    let t = TestApp::start(db).await;
    t.clock.set("2020-02-01T09:00");
    let admin = t.client("admin").await;
    t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await;
    let leader = t.client("leader1").await;
    let ids = people(&t, &leader).await;
    (t, ids)
}

async fn summary(t: &TestApp, client: &reqwest::Client, unit: &str, date: Option<&str>) -> Value {
    let query = date.map(|d| format!("?date={d}")).unwrap_or_default();
    let (status, body) = t.get(client, &format!("/api/v1/units/{unit}/checkins{query}")).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn check_ins_count_once_a_day_per_resident(db: Db) {
    let (t, ids) = with_roster(db).await;
    let member = t.client("member1").await;

    let (status, one) = t.send(&member, Method::POST, "/api/v1/checkins", json!({"resident_id": ids["张三"], "status": "well", "location": "home"})).await;
    assert_eq!(status, 201, "{one}");
    assert_eq!(one["items"][0]["day"], "2020-02-01");
    let batch = json!([
        {"resident_id": ids["李四"]},
        {"resident_id": ids["巴特尔"], "status": "unwell", "symptoms": ["cough"], "location": "elsewhere", "where": "旗医院"},
    ]);
    let (status, many) = t.send(&member, Method::POST, "/api/v1/checkins", batch.clone()).await;
    assert_eq!(status, 201, "{many}");
    assert_eq!(many["items"].as_array().unwrap().len(), 2);
    let (status, _) = t.send(&member, Method::POST, "/api/v1/checkins", batch).await;
    assert_eq!(status, 201, "a retried batch changes nothing");

    // All or nothing: a resident outside the member's group, a bad word, a missing place.
    let (status, refused) = t.send(&member, Method::POST, "/api/v1/checkins", json!([{"resident_id": ids["其木格"]}, {"resident_id": ids["王五"]}])).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!((refused["errors"][0]["row"].as_i64(), refused["errors"][0]["column"].as_str()), (Some(2), Some("resident_id")));
    let (status, refused) = t
        .send(
            &member,
            Method::POST,
            "/api/v1/checkins",
            json!([{"resident_id": ids["其木格"], "status": "sick"}, {"resident_id": ids["其木格"], "location": "elsewhere"}]),
        )
        .await;
    assert_eq!(status, 422);
    let rows: Vec<(i64, &str)> = refused["errors"].as_array().unwrap().iter().map(|e| (e["row"].as_i64().unwrap(), e["column"].as_str().unwrap())).collect();
    assert_eq!(rows, [(1, "status"), (2, "where")]);
    let (status, _) = t.send(&member, Method::POST, "/api/v1/checkins", json!({"resident_id": ids["张三"], "date": "2020-02-02"})).await;
    assert_eq!(status, 422, "not for tomorrow");

    let leader = t.client("leader1").await;
    let group = summary(&t, &leader, "150502001001001", None).await;
    assert_eq!((group["expected"].as_i64(), group["reported"].as_i64(), group["missing_count"].as_i64()), (Some(4), Some(3), Some(1)), "{group}");
    assert_eq!(group["missing"][0]["name"], "其木格");
    assert!(group["missing"][0]["phone"].as_str().unwrap().contains("****"), "masked");
    let village = summary(&t, &leader, "150502001001", None).await;
    assert_eq!((village["expected"].as_i64(), village["reported"].as_i64()), (Some(6), Some(3)));

    // The day ends at midnight in Beijing, not in UTC.
    t.clock.set("2020-02-01T23:59");
    let member = t.client("member1").await;
    t.send(&member, Method::POST, "/api/v1/checkins", json!({"resident_id": ids["其木格"]})).await;
    assert_eq!(summary(&t, &member, "150502001001001", None).await["missing_count"], 0);
    t.clock.set("2020-02-02T00:00");
    let leader = t.client("leader1").await;
    let today = summary(&t, &leader, "150502001001001", None).await;
    assert_eq!((today["day"].as_str(), today["reported"].as_i64()), (Some("2020-02-02"), Some(0)));
    assert_eq!(summary(&t, &leader, "150502001001001", Some("2020-02-01")).await["reported"], 4);

    let leader2 = t.client("leader2").await;
    assert_eq!(t.get(&leader2, "/api/v1/units/150502001001/checkins").await.0, 404);
    let (status, _) = t.send(&leader2, Method::POST, "/api/v1/checkins", json!({"resident_id": ids["张三"]})).await;
    assert_eq!(status, 422, "a resident out of scope is a row not found");
}
both!(check_ins_count_once_a_day_per_resident);

/// A client that keeps sending the session cookie of one login, even after logging out.
async fn pinned_session(t: &TestApp, login: &str) -> reqwest::Client {
    let response =
        reqwest::Client::new().post(t.url("/api/v1/login")).json(&json!({"login": login, "password": crate::support::PASSWORD})).send().await.expect("login");
    let cookie = response.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let headers = [(reqwest::header::COOKIE, cookie.parse().unwrap())].into_iter().collect();
    reqwest::Client::builder().default_headers(headers).build().unwrap()
}

/// The check-in endpoint checks its session as it writes (with the other requests of its
/// group): no session, an ended one, an expired one or a role that does not report writes
/// nothing; valid and ended sessions sent together are told apart; the audit names the writer.
async fn a_check_in_is_written_only_for_a_current_session_that_may_report(db: Db) {
    let (t, ids) = with_roster(db).await;
    let one = |name: &str| json!({"resident_id": ids[name]});

    let (status, body) = t.send(&client("en"), Method::POST, "/api/v1/checkins", one("张三")).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("unauthenticated")));
    let (status, body) = t.send(&t.client("checkpoint").await, Method::POST, "/api/v1/checkins", one("张三")).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("forbidden")), "checkpoint staff do not report check-ins");

    // Several members at once, half of them logged out but sending their old cookie: each
    // request gets its own answer.
    let mut present = Vec::new();
    let mut gone = Vec::new();
    for i in 0..8 {
        let member = pinned_session(&t, "member1").await;
        if i % 2 == 1 {
            assert_eq!(t.send(&member, Method::POST, "/api/v1/logout", json!({})).await.0, 200);
            gone.push(member);
        } else {
            present.push(member);
        }
    }
    let names = ["张三", "李四", "巴特尔", "其木格"];
    let sends = present.iter().zip(names).chain(gone.iter().zip(names)).map(|(member, name)| t.send(member, Method::POST, "/api/v1/checkins", one(name)));
    let statuses: Vec<u16> = futures_util::future::join_all(sends).await.into_iter().map(|(status, _)| status).collect();
    assert_eq!(statuses, [201, 201, 201, 201, 401, 401, 401, 401]);

    let admin = t.client("admin").await;
    let (_, audit) = t.get(&admin, "/api/v1/audit").await;
    let written: Vec<&Value> = audit["items"].as_array().unwrap().iter().filter(|e| e["entity"] == "checkins").collect();
    assert_eq!(written.len(), 4, "{audit}");
    assert!(written.iter().all(|e| e["actor"] == "member1"), "{written:?}");

    // Fourteen days on, the session has expired.
    let member = t.client("member1").await;
    t.clock.advance(chrono::Duration::days(15));
    let (status, _) = t.send(&member, Method::POST, "/api/v1/checkins", one("张三")).await;
    assert_eq!(status, 401);
    let leader = t.client("leader1").await;
    assert_eq!(summary(&t, &leader, "150502001001001", None).await["reported"], 0, "nothing written for the refused");
}
both!(a_check_in_is_written_only_for_a_current_session_that_may_report);

/// A request that would write nothing is answered as the write would be: the session and the
/// role first, then the rows; an empty list is an error, not a 201 with nothing written.
async fn a_check_in_that_writes_nothing_checks_who_asks_first(db: Db) {
    let (t, _) = with_roster(db).await;
    let bad_row = json!([{"resident_id": "00000000-0000-4000-8000-000000000000", "status": "bogus"}]);
    let (status, body) = t.send(&client("en"), Method::POST, "/api/v1/checkins", json!([])).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("unauthenticated")));
    let (status, body) = t.send(&client("en"), Method::POST, "/api/v1/checkins", bad_row.clone()).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("unauthenticated")), "{body}");
    let checkpoint = t.client("checkpoint").await;
    let (status, body) = t.send(&checkpoint, Method::POST, "/api/v1/checkins", bad_row.clone()).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("forbidden")), "a role that does not report learns only that: {body}");
    let (status, _) = t.send(&checkpoint, Method::POST, "/api/v1/checkins", json!([])).await;
    assert_eq!(status, 403);

    let member = t.client("member1").await;
    let (status, body) = t.send(&member, Method::POST, "/api/v1/checkins", json!([])).await;
    assert_eq!(status, 422, "an empty list writes nothing and says so: {body}");
    assert!(body.to_string().contains("checkins"), "{body}");
    let (status, body) = t.send(&member, Method::POST, "/api/v1/checkins", bad_row).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("status"), "the bad field is named: {body}");
    let leader = t.client("leader1").await;
    assert_eq!(summary(&t, &leader, "150502001001001", None).await["reported"], 0, "nothing written");
}
both!(a_check_in_that_writes_nothing_checks_who_asks_first);

/// Posts a household's check-in form: every member well at home, opened `seconds` ago.
async fn household_form(t: &TestApp, token: &str, members: &[String], seconds: i64) -> (u16, String) {
    let opened = t.clock_now() - seconds;
    let mut form = vec![("opened_at".to_string(), opened.to_string())];
    for (i, id) in members.iter().enumerate() {
        form.push((format!("resident_{i}"), id.clone()));
        form.push((format!("status_{i}"), "well".into()));
        form.push((format!("location_{i}"), "home".into()));
    }
    let response = client("zh").post(t.url(&format!("/c/{token}"))).form(&form).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

impl TestApp {
    fn clock_now(&self) -> i64 {
        use wangge::app::Clock;
        self.clock.now().timestamp()
    }
}

async fn a_household_checks_in_through_its_link(db: Db) {
    let t = TestApp::start(db).await;
    t.clock.set("2020-02-01T09:00");
    let admin = t.client("admin").await;
    t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await;
    let member = t.client("member1").await;
    let household = find_household(&t, &member, "150502001001001", "002").await["id"].as_str().unwrap().to_string();
    let (status, link) = t.send(&member, Method::POST, &format!("/api/v1/households/{household}/checkin-link"), json!({})).await;
    assert_eq!(status, 200, "{link}");
    let token = link["token"].as_str().unwrap().to_string();
    assert!(link["url"].as_str().unwrap().ends_with(&format!("/c/{token}")));
    let (_, again) = t.send(&member, Method::POST, &format!("/api/v1/households/{household}/checkin-link"), json!({})).await;
    assert_eq!(again["token"], token.as_str(), "one link per household");

    let page = client("zh").get(t.url(&format!("/c/{token}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("巴特尔") && page.contains("其木格"));
    assert!(!page.contains("张三"), "only this household's members");
    let leader = t.client("leader1").await;
    let (_, record) = t.get(&leader, &format!("/api/v1/households/{household}")).await;
    let members: Vec<String> = record["residents"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_string()).collect();
    assert!(!page.contains(record["residents"][0]["id_number"].as_str().unwrap()), "no ID numbers on a public page");

    // A symptom ticked beside 健康 is a mistake the form says, not a well day (the walk's finding).
    let contradiction = [
        ("opened_at".to_string(), (t.clock_now() - 40).to_string()),
        ("resident_0".to_string(), members[0].clone()),
        ("status_0".to_string(), "well".to_string()),
        ("symptoms_0".to_string(), "fever".to_string()),
        ("location_0".to_string(), "home".to_string()),
    ];
    let response = client("zh").post(t.url(&format!("/c/{token}"))).form(&contradiction).send().await.unwrap();
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(page.contains("选了症状时，身体状况应为“有症状”"), "{page}");
    assert_eq!(summary(&t, &leader, "150502001001001", None).await["reported"], 0, "nothing written");
    // Through the API, symptoms without a status make the day unwell.
    let (status, answer) = t.send(&leader, Method::POST, "/api/v1/checkins", json!({"resident_id": members[1], "symptoms": ["cough"]})).await;
    assert_eq!(status, 201, "{answer}");
    let (_, board) = t.get(&leader, "/api/v1/units/150502001001001/dashboard").await;
    assert_eq!(board["figures"]["checkins_unwell"], 1, "{board}");

    let (status, body) = household_form(&t, &token, &members, 40).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("id=\"checked-in\""));
    assert_eq!(summary(&t, &leader, "150502001001001", None).await["reported"], 2);

    // Someone else's resident through this household's link: refused, nothing stored.
    let zhang = find_household(&t, &leader, "150502001001001", "001").await["id"].as_str().unwrap().to_string();
    let (_, zhang_record) = t.get(&leader, &format!("/api/v1/households/{zhang}")).await;
    let outsider = vec![zhang_record["residents"][0]["id"].as_str().unwrap().to_string()];
    let (status, page) = household_form(&t, &token, &outsider, 40).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("这张表已过期或不是本户的") && page.contains("巴特尔"), "told to reload, on this household's form: {page}");
    assert_eq!(summary(&t, &leader, "150502001001001", None).await["reported"], 2);
    // A form naming nobody, or a member as no id reads: refused the same way, not "done" (probe finding 4).
    for form in [vec![("opened_at", "1")], vec![("resident_0", "zzz"), ("status_0", "well"), ("location_0", "home")], vec![("resident_0", "zzz")]] {
        let response = client("zh").post(t.url(&format!("/c/{token}"))).form(&form).send().await.unwrap();
        assert_eq!(response.status(), 422, "{form:?}");
        let page = response.text().await.unwrap();
        assert!(page.contains("请刷新页面后重新填写") && !page.contains("id=\"checked-in\""), "{form:?}: {page}");
    }
    assert_eq!(summary(&t, &leader, "150502001001001", None).await["reported"], 2);
    assert_eq!(client("zh").get(t.url("/c/0000000000000000000000ff")).send().await.unwrap().status(), 404);

    // The next day: the same answers in two seconds are flagged; read and sent in 40, not.
    t.clock.set("2020-02-02T09:00");
    household_form(&t, &token, &members, 2).await;
    let leader = t.client("leader1").await;
    assert_eq!(summary(&t, &leader, "150502001001001", None).await["flagged"], 2);
    household_form(&t, &token, &members, 40).await;
    assert_eq!(summary(&t, &leader, "150502001001001", None).await["flagged"], 0, "a considered resubmission replaces it");
}
both!(a_household_checks_in_through_its_link);

async fn an_organisation_reports_for_its_staff_and_their_relatives(db: Db) {
    let t = TestApp::start(db).await;
    t.clock.set("2020-02-03T08:30");
    let hq = t.client("hq").await;
    let (status, org) = t.send(&hq, Method::POST, "/api/v1/organisations", json!({"unit_code": "150502", "name": "科尔沁区教育局", "kind": "bureau"})).await;
    assert_eq!(status, 201, "{org}");
    let org = org["id"].as_str().unwrap().to_string();
    let staff = uuid::Uuid::now_v7();
    let members = json!([
        {"id": staff, "name": "包老师", "phone": "13900002222"},
        {"name": "包小红", "relative_of": staff, "relation": "女儿"},
        {"name": "韩主任"},
    ]);
    let (status, added) = t.send(&hq, Method::POST, &format!("/api/v1/organisations/{org}/members"), members.clone()).await;
    assert_eq!((status, added["added"].as_i64()), (201, Some(3)), "{added}");
    let (_, again) =
        t.send(&hq, Method::POST, &format!("/api/v1/organisations/{org}/members"), json!([{"id": staff, "name": "包老师", "phone": "13900002222"}])).await;
    assert_eq!(again["added"], 0, "a retried list adds nobody twice");
    let (status, _) = t.send(&hq, Method::POST, &format!("/api/v1/organisations/{org}/members"), json!([{"id": staff, "name": "包老师"}])).await;
    assert_eq!(status, 409, "the same id with another body is refused");
    let (status, bad) = t
        .send(
            &hq,
            Method::POST,
            &format!("/api/v1/organisations/{org}/members"),
            json!([{"name": "x1"}, {"name": "某人", "relative_of": uuid::Uuid::now_v7()}]),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(bad["errors"][0]["row"], 1, "a name with a digit: {bad}");

    let (_, day) = t.get(&hq, &format!("/api/v1/organisations/{org}/checkins")).await;
    assert_eq!((day["expected"].as_i64(), day["reported"].as_i64()), (Some(3), Some(0)));
    assert_eq!(day["members"][0]["phone"], "139****2222");
    let ids: Vec<String> = day["members"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap().to_string()).collect();
    let (status, reported) = t
        .send(
            &hq,
            Method::POST,
            &format!("/api/v1/organisations/{org}/checkins"),
            json!([{"member_id": ids[0]}, {"member_id": ids[1], "status": "unwell", "symptoms": ["fever"]}]),
        )
        .await;
    assert_eq!((status, reported["reported"].as_i64()), (201, Some(2)), "{reported}");
    let (status, _) = t.send(&hq, Method::POST, &format!("/api/v1/organisations/{org}/checkins"), json!([{"member_id": uuid::Uuid::now_v7()}])).await;
    assert_eq!(status, 422, "not one of its members");
    let (_, day) = t.get(&hq, &format!("/api/v1/organisations/{org}/checkins")).await;
    assert_eq!((day["reported"].as_i64(), day["missing_count"].as_i64()), (Some(2), Some(1)));
    let (_, yesterday) = t.get(&hq, &format!("/api/v1/organisations/{org}/checkins?date=2020-02-02")).await;
    assert_eq!(yesterday["reported"], 0);

    // The staff member's own link: they add a relative and check in for all of theirs.
    let (status, link) = t.send(&hq, Method::POST, &format!("/api/v1/organisations/{org}/members/{staff}/link"), json!({})).await;
    assert_eq!(status, 200, "{link}");
    let token = link["token"].as_str().unwrap().to_string();
    assert_eq!(t.send(&hq, Method::POST, &format!("/api/v1/organisations/{org}/members/{}/link", ids[1]), json!({})).await.0, 404, "relatives have no link");
    let public = client("zh");
    let page = public.get(t.url(&format!("/o/{token}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("包老师") && page.contains("包小红") && !page.contains("韩主任"), "only theirs");
    let added = public.post(t.url(&format!("/o/{token}/relatives"))).form(&[("name", "包大爷"), ("relation", "父亲")]).send().await.unwrap();
    assert_eq!(added.status(), 303);
    let bad = public.post(t.url(&format!("/o/{token}/relatives"))).form(&[("name", "<b>x</b>"), ("relation", "")]).send().await.unwrap();
    assert_eq!(bad.status(), 422);
    let page = public.get(t.url(&format!("/o/{token}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("包大爷"));
    let people: Vec<String> =
        page.match_indices("name=\"resident_").map(|(at, _)| page[at..].split("value=\"").nth(1).unwrap().split('"').next().unwrap().to_string()).collect();
    assert_eq!(people.len(), 3);
    let mut form: Vec<(String, String)> = Vec::new();
    for (i, id) in people.iter().enumerate() {
        form.push((format!("resident_{i}"), id.clone()));
        form.push((format!("status_{i}"), "well".into()));
    }
    let sent = public.post(t.url(&format!("/o/{token}"))).form(&form).send().await.unwrap();
    assert_eq!(sent.status(), 200);
    let (_, day) = t.get(&hq, &format!("/api/v1/organisations/{org}/checkins")).await;
    assert_eq!((day["expected"].as_i64(), day["reported"].as_i64()), (Some(4), Some(3)), "{day}");
    let foreign = vec![("resident_0".to_string(), ids[2].clone())];
    let refused = public.post(t.url(&format!("/o/{token}"))).form(&foreign).send().await.unwrap();
    assert_eq!(refused.status(), 422, "韩主任 is not theirs to report");
    assert!(refused.text().await.unwrap().contains("请刷新页面后重新填写"), "told to reload, not that the link is bad");
    // At most 21 people on one link: the staff member and 20 relatives (probe finding 5).
    for (n, mark) in "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥".chars().enumerate() {
        let added =
            public.post(t.url(&format!("/o/{token}/relatives"))).form(&[("name", format!("包{mark}").as_str()), ("relation", "亲属")]).send().await.unwrap();
        let status = added.status().as_u16();
        if n < 18 {
            assert_eq!(status, 303, "relative {n}");
        } else {
            assert_eq!(status, 422, "relative {n}");
            let page = added.text().await.unwrap();
            assert!(page.contains("亲属: 最多 20 项"), "says the limit: {page}");
        }
    }
    let page = public.get(t.url(&format!("/o/{token}"))).send().await.unwrap().text().await.unwrap();
    assert_eq!(page.matches("name=\"resident_").count(), 21, "the staff member and 20 relatives");

    let leader = t.client("leader1").await;
    assert_eq!(t.get(&leader, &format!("/api/v1/organisations/{org}/checkins")).await.0, 404, "registered above the leader's village");
    let (_, listed) = t.get(&hq, "/api/v1/units/150502/organisations").await;
    assert_eq!(listed["items"][0]["name"], "科尔沁区教育局");
}
both!(an_organisation_reports_for_its_staff_and_their_relatives);

async fn links_are_limited_per_link_and_address(db: Db) {
    let t = TestApp::start(db).await;
    let admin = t.client("admin").await;
    t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await;
    let member = t.client("member1").await;
    let mut tokens = Vec::new();
    for no in ["001", "002"] {
        let household = find_household(&t, &member, "150502001001001", no).await["id"].as_str().unwrap().to_string();
        let (_, link) = t.send(&member, Method::POST, &format!("/api/v1/households/{household}/checkin-link"), json!({})).await;
        tokens.push(link["token"].as_str().unwrap().to_string());
    }
    // One link hammered from one address is cut off...
    let mut statuses = Vec::new();
    for _ in 0..40 {
        statuses.push(client("zh").get(t.url(&format!("/c/{}", tokens[0]))).send().await.unwrap().status().as_u16());
    }
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 30, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 429));
    // ...while the next household behind the same address (a village on one mobile carrier) is not.
    assert_eq!(client("zh").get(t.url(&format!("/c/{}", tokens[1]))).send().await.unwrap().status(), 200);
    // A stranger who floods a household's link does not lock the household out of it: the
    // household's own phone (another address) still opens and sends the form.
    // Each says so under a heading of its own.
    let waiting = client("zh").get(t.url(&format!("/c/{}", tokens[0]))).send().await.unwrap();
    assert_eq!(waiting.status(), 429);
    let page = waiting.text().await.unwrap();
    assert!(page.contains("<h1>请稍候再试</h1>") && page.contains("<title>请稍候再试 · 网格化疫情防控</title>"), "{page}");
    let unknown = client("en").get(t.url("/c/abcdef0123")).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    assert!(unknown.text().await.unwrap().contains("<h1>Link not valid</h1>"));
    let household = reqwest::Client::builder().local_address(std::net::IpAddr::from([127, 0, 0, 2])).build().unwrap();
    let page = household.get(t.url(&format!("/c/{}", tokens[0]))).header("accept-language", "zh").send().await.unwrap();
    assert_eq!(page.status(), 200);
}
both!(links_are_limited_per_link_and_address);
