//! More of what the probe of the running server found (issue 12), each kept closed by a test
//! through HTTP on both databases: the public form that must not rename people, ID numbers
//! probed across villages, body limits, response headers, audited reads and accounts outside
//! the caller's area.

use reqwest::Method;
use serde_json::{Value, json};

use crate::api_roster::find_household;
use crate::both;
use crate::security::{fixture, numbered_name};
use crate::support::{Db, TestApp, client, id_number, sample_roster};

/// What a traveller types on the public form, or a checkpoint in one village, belongs to that
/// registration or passage: each village sees a person as it knows them, and nobody renames
/// them for the others.
async fn the_public_form_never_renames_a_person(db: Db) {
    let t = TestApp::start(db).await;
    let (leader1, leader2) = (t.client("leader1").await, t.client("leader2").await);
    let checkpoint = |c: reqwest::Client, unit: &'static str, name: &'static str| {
        let t = &t;
        async move {
            let (status, cp) = t.send(&c, Method::POST, "/api/v1/checkpoints", json!({"unit_code": unit, "name": name, "kind": "checkpoint"})).await;
            assert_eq!(status, 201, "{cp}");
            (cp["id"].as_str().unwrap().to_string(), cp["token"].as_str().unwrap().to_string())
        }
    };
    let (mine, my_token) = checkpoint(leader1.clone(), "150502001001", "甲卡点").await;
    let (theirs, their_token) = checkpoint(leader2.clone(), "150502001002", "乙卡点").await;
    let someone = id_number("150502", 42);
    let (status, first) = t
        .send(
            &leader1,
            Method::POST,
            &format!("/api/v1/checkpoints/{mine}/passages"),
            json!({"id_number": someone, "name": "王强", "phone": "13900001111", "direction": "in", "outcome": "passed"}),
        )
        .await;
    assert_eq!(status, 201, "{first}");
    let person = first["person_id"].as_str().unwrap().to_string();
    // A stranger registers at the other village's poster with the same ID number, another name and phone.
    t.clock.advance(chrono::Duration::minutes(1));
    let form = [("name", "假名"), ("id_number", someone.as_str()), ("phone", "13800009999"), ("from", "北京"), ("to", "乙村"), ("purpose", "探亲")];
    let response = client("zh").post(t.url(&format!("/r/{their_token}"))).form(&form).send().await.unwrap();
    assert_eq!(response.status(), 200);
    // The other village's checkpoint types yet another phone.
    t.clock.advance(chrono::Duration::minutes(1));
    let (status, second) = t
        .send(
            &leader2,
            Method::POST,
            &format!("/api/v1/checkpoints/{theirs}/passages"),
            json!({"id_number": someone, "phone": "13700007777", "direction": "out", "outcome": "passed"}),
        )
        .await;
    assert_eq!(status, 201, "{second}");
    assert_eq!(second["person_id"], first["person_id"], "the same ID number is the same person");
    // The first village still sees what it typed, in its list and on the person's page.
    let (_, listed) = t.get(&leader1, &format!("/api/v1/checkpoints/{mine}/passages")).await;
    assert_eq!(listed["items"][0]["name"], "王强", "{listed}");
    assert_eq!(listed["items"][0]["phone"], "139****1111", "{listed}");
    let (_, trajectory) = t.get(&leader1, &format!("/api/v1/people/{person}/trajectory")).await;
    assert_eq!(trajectory["person"]["name"], "王强", "{trajectory}");
    assert_eq!(trajectory["person"]["phone"], "13900001111", "{trajectory}");
    for elsewhere in ["假名", "13800009999", "13700007777"] {
        assert!(!trajectory.to_string().contains(elsewhere), "leader1 sees what was typed in another village: {trajectory}");
    }
    // And the other village sees nothing the first typed.
    let (_, theirs_seen) = t.get(&leader2, &format!("/api/v1/people/{person}/trajectory")).await;
    let (_, their_list) = t.get(&leader2, &format!("/api/v1/checkpoints/{theirs}/passages")).await;
    for elsewhere in ["王强", "13900001111", "139****1111"] {
        assert!(
            !theirs_seen.to_string().contains(elsewhere) && !their_list.to_string().contains(elsewhere),
            "leader2 sees what leader1 typed: {theirs_seen} {their_list}"
        );
    }
    // A stranger at the first village's own poster renames nobody there either: a later passage
    // by ID number alone still shows what the village's staff typed.
    t.clock.advance(chrono::Duration::minutes(1));
    let form = [("name", "坏人"), ("id_number", someone.as_str()), ("phone", "13911112222"), ("from", "北京"), ("to", "甲村"), ("purpose", "探亲")];
    let response = client("zh").post(t.url(&format!("/r/{my_token}"))).form(&form).send().await.unwrap();
    assert_eq!(response.status(), 200);
    t.clock.advance(chrono::Duration::minutes(1));
    let (_, later) = t
        .send(
            &leader1,
            Method::POST,
            &format!("/api/v1/checkpoints/{mine}/passages"),
            json!({"id_number": someone, "direction": "out", "outcome": "passed", "temperature": 38.5}),
        )
        .await;
    assert_eq!(later["name"], "王强", "{later}");
    let (_, trajectory) = t.get(&leader1, &format!("/api/v1/people/{person}/trajectory")).await;
    assert_eq!(trajectory["person"]["name"], "王强", "{trajectory}");
    let (_, tasks) = t.get(&leader1, "/api/v1/tasks").await;
    assert!(tasks.to_string().contains("38.5 °C · 王强"), "the fever alert names the person as the village knows them: {tasks}");
    // Confirming the stranger's registration with a fever alerts under the name the village knows.
    let (_, pending) = t.get(&leader1, &format!("/api/v1/checkpoints/{mine}/registrations")).await;
    let stranger =
        pending["items"].as_array().unwrap().iter().find(|r| r["name"] == "坏人").expect("the stranger's registration")["id"].as_str().unwrap().to_string();
    let (status, confirmed) = t.send(&leader1, Method::POST, &format!("/api/v1/registrations/{stranger}/confirm"), json!({"temperature": 38.9})).await;
    assert_eq!(status, 200, "{confirmed}");
    let (_, tasks) = t.get(&leader1, "/api/v1/tasks").await;
    assert!(tasks.to_string().contains("38.9 °C · 王强") && !tasks.to_string().contains("坏人"), "{tasks}");
    // The header's search names people as each village knows them too: what the public typed
    // finds nobody and names nobody, in the list or on the search page.
    let search = |c: &reqwest::Client, q: &str| {
        let (c, url) = (c.clone(), format!("/api/v1/search?q={q}"));
        let t = &t;
        async move { t.get(&c, &url).await.1 }
    };
    for typed_by_the_public in ["坏人", "假名", "13911112222", "13800009999"] {
        for leader in [&leader1, &leader2] {
            let found = search(leader, typed_by_the_public).await;
            assert_eq!(found["people_total"], 0, "{typed_by_the_public}: {found}");
        }
    }
    let found = search(&leader1, "王").await;
    assert_eq!((found["people_total"].clone(), found["people"][0]["name"].clone()), (json!(1), json!("王强")), "{found}");
    let found = search(&leader1, &someone).await;
    assert_eq!(found["people"][0]["name"], "王强", "{found}");
    assert_eq!(found["people"][0]["phone"], "139****1111", "{found}");
    let found = search(&leader2, &someone).await;
    assert_eq!(found["people_total"], 1, "{found}");
    assert_eq!(found["people"][0]["name"], "", "nobody in the second village typed a name: {found}");
    assert_eq!(found["people"][0]["phone"], "137****7777", "{found}");
    for leader in [&leader1, &leader2] {
        let page = leader.get(t.url("/search?q=坏人")).send().await.unwrap().text().await.unwrap();
        assert!(!page.contains("坏人 ") && !page.contains(">坏人<"), "{page}");
        let page = leader.get(t.url(&format!("/search?q={someone}"))).send().await.unwrap().text().await.unwrap();
        assert!(!page.contains("假名") && !page.contains("坏人"), "{page}");
    }
    // A case passing the same checkpoint then: the contact list names the person as the village
    // knows them, never as the stranger typed, in the list and in its sheet.
    let (status, case) =
        t.send(&leader1, Method::POST, &format!("/api/v1/checkpoints/{mine}/passages"), json!({"name": "病例", "direction": "in", "outcome": "passed"})).await;
    assert_eq!(status, 201, "{case}");
    let case = case["person_id"].as_str().unwrap();
    let (_, contacts) = t.get(&leader1, &format!("/api/v1/people/{case}/contacts?window_minutes=30")).await;
    assert!(contacts.to_string().contains("王强") && !contacts.to_string().contains("坏人"), "{contacts}");
    let sheet = leader1.get(t.url(&format!("/api/v1/people/{case}/contacts?window_minutes=30&format=csv"))).send().await.unwrap().text().await.unwrap();
    assert!(!sheet.contains("坏人") && !sheet.contains("13911112222"), "{sheet}");
    // The registration keeps what the traveller typed, seen where it was made.
    let (_, pending) = t.get(&leader2, &format!("/api/v1/checkpoints/{theirs}/registrations")).await;
    assert_eq!(pending["items"][0]["name"], "假名", "{pending}");
    // The public form takes no id: one naming another checkpoint's registration is a new
    // registration, and the answer holds nothing of the other.
    let registration = pending["items"][0]["id"].as_str().unwrap().to_string();
    let form = [
        ("id", registration.as_str()),
        ("name", "李四"),
        ("id_number", &id_number("150502", 43)),
        ("phone", "13800001234"),
        ("from", "北京"),
        ("to", "甲村"),
        ("purpose", "探亲"),
    ];
    let response = client("zh").post(t.url(&format!("/r/{my_token}"))).form(&form).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(!text.contains("假名") && !text.contains("乙卡点"), "{text}");
    let (_, pending) = t.get(&leader1, &format!("/api/v1/checkpoints/{mine}/registrations")).await;
    let names: Vec<&str> = pending["items"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"李四"), "a registration of its own: {pending}");
    assert!(pending["items"].as_array().unwrap().iter().all(|r| r["id"] != registration.as_str()));
    // The checkpoint role reads no roster: a resident's passage and trajectory show no name or
    // phone from it.
    let admin = t.client("admin").await;
    t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await;
    let staff = t.client("checkpoint").await;
    let (_, passage) = t
        .send(
            &staff,
            Method::POST,
            &format!("/api/v1/checkpoints/{mine}/passages"),
            json!({"id_number": id_number("150502", 1), "direction": "in", "outcome": "passed"}),
        )
        .await;
    assert!(!passage.to_string().contains("张三"), "{passage}");
    let (_, trajectory) = t.get(&staff, &format!("/api/v1/people/{}/trajectory", passage["person_id"].as_str().unwrap())).await;
    assert!(!trajectory.to_string().contains("张三") && !trajectory.to_string().contains("13812345678"), "{trajectory}");
    let (_, trajectory) = t.get(&leader1, &format!("/api/v1/people/{}/trajectory", passage["person_id"].as_str().unwrap())).await;
    assert_eq!(trajectory["person"]["name"], "张三", "a roster reader sees the roster's name: {trajectory}");
}
both!(the_public_form_never_renames_a_person);

/// A resident whose ID number is registered in another village: the caller learns only that
/// the HQ over both places must settle it, and that HQ finds it in its inbox.
async fn an_id_number_held_in_another_village_goes_to_the_hq_over_both(db: Db) {
    let t = TestApp::start(db).await;
    let admin = t.client("admin").await;
    t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await;
    let leader2 = t.client("leader2").await;
    let hq = t.client("hq").await;
    let conflicts =
        |tasks: Value| tasks["items"].as_array().unwrap().iter().filter(|task| task["kind"] == "id_conflict_alert").cloned().collect::<Vec<Value>>();
    // 张三 (person 1) lives in leader1's village: a roster row naming them is refused by row,
    // saying nothing of where, and the county's HQ (over both villages) is told.
    let roster = crate::support::roster_csv(&[("005", "张三", &id_number("150502", 1), "户主", "", "150502001002001", "常住")]);
    let (status, answer) = t.upload_roster(&leader2, "150502001002", "text/csv", roster.into_bytes()).await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(answer["errors"][0]["row"], 2, "{answer}");
    assert!(answer["errors"][0]["message"].as_str().unwrap().contains("HQ over both"), "{answer}");
    assert!(!answer.to_string().contains("150502001001"), "{answer}");
    assert_eq!(conflicts(t.get(&hq, "/api/v1/tasks").await.1).len(), 1, "the roster's conflict is in HQ's inbox");
    let theirs = find_household(&t, &leader2, "150502001002001", "001").await["id"].as_str().unwrap().to_string();
    let (status, answer) =
        t.send(&leader2, Method::POST, &format!("/api/v1/households/{theirs}/residents"), json!({"name": "张三", "id_number": id_number("150502", 1)})).await;
    assert_eq!(status, 422, "{answer}");
    let text = answer.to_string();
    assert!(text.contains("HQ over both"), "{text}");
    assert!(!text.contains("已存在") && !text.contains("already exists") && !text.contains("150502001001"), "says nothing of where: {text}");
    // Registering them as a returnee says the same.
    let (status, answer) = t.send(&leader2, Method::POST, "/api/v1/returnees", json!({"id_number": id_number("150502", 1), "name": "张三", "household_id": theirs, "origin": "北京", "arrived_at": t.local(-60), "transport": "train"})).await;
    assert_eq!(status, 422, "{answer}");
    // hq holds the county, over both villages.
    let (_, tasks) = t.get(&hq, "/api/v1/tasks").await;
    let found = conflicts(tasks.clone());
    assert_eq!(found.len(), 1, "one task for the same conflict, however often tried: {tasks}");
    let subject = found[0]["subject"].as_str().unwrap();
    assert!(subject.contains("****") && !subject.contains(&id_number("150502", 1)), "masked: {subject}");
    assert!(subject.contains("和平社区·一组") && subject.contains("胜利社区·一组"), "the places told apart: {subject}");
    for login in ["leader1", "leader2"] {
        let c = t.client(login).await;
        let (_, tasks) = t.get(&c, "/api/v1/tasks").await;
        assert!(!tasks.to_string().contains("id_conflict"), "{login} holds only one of the places: {tasks}");
    }
    // Inside the caller's own subtree it is an ordinary conflict.
    let leader1 = t.client("leader1").await;
    let mine = find_household(&t, &leader1, "150502001001002", "003").await["id"].as_str().unwrap().to_string();
    let (status, answer) =
        t.send(&leader1, Method::POST, &format!("/api/v1/households/{mine}/residents"), json!({"name": "张三", "id_number": id_number("150502", 1)})).await;
    assert_eq!(status, 409, "{answer}");
    // A file cannot probe ID numbers in bulk: past 20 such rows it is refused naming none, the
    // attempt is audited, and HQ's inbox takes at most 20 tasks.
    let people: Vec<(String, String)> = (0..25u16).map(|n| (numbered_name("居民", n), id_number("150502", 300 + n))).collect();
    let roster = |unit: &'static str| {
        let rows: Vec<(String, &str, &str)> =
            people.iter().enumerate().map(|(i, (name, id))| (format!("{:03}", 100 + i), name.as_str(), id.as_str())).collect();
        crate::support::roster_csv(&rows.iter().map(|(h, n, id)| (h.as_str(), *n, *id, "户主", "", unit, "常住")).collect::<Vec<_>>())
    };
    let (status, answer) = t.upload_roster(&leader1, "150502001001", "text/csv", roster("150502001001002").into_bytes()).await;
    assert_eq!(status, 200, "{answer}");
    let (status, answer) = t.upload_roster(&leader2, "150502001002", "text/csv", roster("150502001002001").into_bytes()).await;
    assert_eq!(status, 422, "{answer}");
    let errors = answer["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "one error for the whole file: {answer}");
    assert_eq!(errors[0]["row"], 0, "no row named: {answer}");
    assert!(
        errors[0]["message"].as_str().unwrap().contains("many rows"),
        "no count: it would tell how many of the file's numbers are held elsewhere: {answer}"
    );
    assert_eq!(conflicts(t.get(&hq, "/api/v1/tasks").await.1).len(), 1 + 25, "every conflict reaches HQ, however many the file names");
    let admin = t.client("admin").await;
    let (_, audit) = t.get(&admin, "/api/v1/audit?limit=1000").await;
    assert!(
        audit["items"].as_array().unwrap().iter().any(|e| e["actor"] == "leader2" && e["action"] == "refuse" && e["entity"] == "roster"),
        "the attempt is audited"
    );
}
both!(an_id_number_held_in_another_village_goes_to_the_hq_over_both);

/// Bodies are small unless the route takes files, and the protections ride on every answer.
async fn small_bodies_and_protective_headers(db: Db) {
    let t = TestApp::start_with(db, |app| app.settings.secure_cookies = true).await;
    let anonymous = client("en");
    let big = "x".repeat(100 * 1024);
    let response =
        anonymous.post(t.url("/api/v1/login")).header("content-type", "application/json").body(format!("{{\"login\": \"{big}\"}}")).send().await.unwrap();
    assert_eq!(response.status(), 413, "a login is not 100 KB");
    let response = anonymous.post(t.url("/login")).form(&[("login", big.as_str()), ("password", "x")]).send().await.unwrap();
    assert_eq!(response.status(), 413);
    // An upload route takes a large file from someone logged in, and nothing from anyone else.
    let admin = t.client("admin").await;
    let mut roster = sample_roster();
    while roster.len() < 200 * 1024 {
        roster.push_str("# padding\n");
    }
    let response = anonymous.post(t.url("/api/v1/units/150502001/roster")).header("content-type", "text/csv").body(roster.clone()).send().await.unwrap();
    assert_eq!(response.status(), 401);
    let (status, body) = t.upload_roster(&admin, "150502001", "text/csv", roster.into_bytes()).await;
    assert_ne!(status, 413, "{body}");
    // Past the upload limit, a role that may not import is refused before its body is read
    // (403, not 413); one that may is told the file is too large.
    let huge = vec![b'#'; wangge::http::body::UPLOAD + 1];
    for (login, unit, expected) in [("leader2", "150502001001", 404), ("member1", "150502001001001", 403)] {
        let (status, whole_body_sent) = upload_in_chunks(&t, login, &format!("/api/v1/units/{unit}/roster"), huge.len()).await;
        assert_eq!((status, whole_body_sent), (Some(expected), false), "{login} is refused before the body is read");
    }
    let (status, _) = upload_in_chunks(&t, "admin", "/api/v1/units/150502001/roster", huge.len()).await;
    assert_eq!(status, Some(413), "one who may import is told the file is too large");
    // Headers.
    let response = anonymous.post(t.url("/api/v1/login")).json(&json!({"login": "admin", "password": crate::support::PASSWORD})).send().await.unwrap();
    let headers = response.headers().clone();
    assert!(headers["content-security-policy"].to_str().unwrap().contains("default-src 'self'"));
    assert!(headers["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert_eq!(headers["cache-control"], "no-store");
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.ends_with("; Secure"), "{cookie}");
    let page = anonymous.get(t.url("/login")).send().await.unwrap();
    assert_eq!(page.headers()["cache-control"], "no-store");
    assert!(page.headers().contains_key("content-security-policy"));
    let css = anonymous.get(t.url("/static/app.css")).send().await.unwrap();
    assert!(css.headers()["cache-control"].to_str().unwrap().starts_with("public"), "static files may be cached");
    // Answers are compressed for a client that takes gzip.
    let page = admin.get(t.url("/units/150502001001001")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(page.headers().get("content-encoding").map(|v| v.to_str().unwrap()), Some("gzip"));
    // The policy forbids inline script and style, so the pages hold none (an error page included).
    let (_, unit) = t.get(&admin, "/api/v1/units/150502001001001").await;
    assert!(unit["code"].is_string(), "{unit}");
    for path in ["/", "/units/150502001001", "/units/150502001001001", "/tasks", "/key-areas", "/accounts", "/audit", "/units/999999", "/login"] {
        let page = admin.get(t.url(path)).send().await.unwrap().text().await.unwrap();
        for inline in ["javascript:", " onclick=", " onload=", " style=", "<style", "<script>"] {
            assert!(!page.contains(inline), "{path} holds inline {inline:?}, which the policy blocks");
        }
    }
}
both!(small_bodies_and_protective_headers);

/// Reads that name people are audited: an isolation order (API, page, notice), an
/// organisation's day list, a search by a full ID number, and a link handed out again.
async fn reads_of_people_are_audited(db: Db) {
    let t = TestApp::start(db).await;
    let f = fixture(&t).await;
    let leader = t.client("leader1").await;
    for path in [format!("/api/v1/isolations/{}", f.isolation), format!("/isolations/{}", f.isolation), format!("/isolations/{}/notice", f.isolation)] {
        let response = leader.get(t.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
    let (status, _) = t.get(&leader, &format!("/api/v1/organisations/{}/checkins", f.organisation)).await;
    assert_eq!(status, 200);
    let (_, found) = t.get(&leader, &format!("/api/v1/residents?q={}", id_number("150502", 3))).await;
    assert_eq!(found["items"].as_array().unwrap().len(), 1, "{found}");
    let (_, found) = t.get(&leader, "/api/v1/residents?q=13912345678").await;
    assert_eq!(found["items"].as_array().unwrap().len(), 1, "by phone: {found}");
    let wide: String =
        id_number("150502", 3).chars().map(|c| if c == 'X' { 'Ｘ' } else { char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap() }).collect();
    let (_, found) = t.get(&leader, &format!("/api/v1/residents?q={wide}")).await;
    assert_eq!(found["items"].as_array().unwrap().len(), 1, "full-width digits are the same number: {found}");
    let (status, _) = t.get(&leader, "/api/v1/units/150502001001/isolations").await;
    assert_eq!(status, 200);
    let (status, _) = t.get(&leader, "/api/v1/units/150502001001/returnees").await;
    assert_eq!(status, 200);
    // A failed login of a login nobody has belongs to no place: the region's admin sees it.
    let response = client("en").post(t.url("/api/v1/login")).json(&json!({"login": "made-up", "password": "guess number one"})).send().await.unwrap();
    assert_eq!(response.status(), 401);
    let response =
        client("en").post(t.url("/api/v1/login")).json(&json!({"login": "NoSuch\u{202e}User", "password": "guess number two"})).send().await.unwrap();
    assert_eq!(response.status(), 401, "a login no account can have is answered alike");
    for _ in 0..2 {
        let (status, _) = t.send(&leader, Method::POST, &format!("/api/v1/households/{}/checkin-link", f.household), Value::Null).await;
        assert_eq!(status, 200);
        let (status, _) = t.send(&leader, Method::POST, &format!("/api/v1/organisations/{}/members/{}/link", f.organisation, f.member), Value::Null).await;
        assert_eq!(status, 200);
    }
    let admin = t.client("admin").await;
    let (_, audit) = t.get(&admin, "/api/v1/audit?limit=1000").await;
    let by_leader: Vec<&Value> = audit["items"].as_array().unwrap().iter().filter(|e| e["actor"] == "leader1").collect();
    let count = |entity: &str, action: &str| by_leader.iter().filter(|e| e["entity"] == entity && e["action"] == action).count();
    assert_eq!(count("isolation", "read"), 3, "API, page and notice: {by_leader:?}");
    assert_eq!(count("organisation", "read"), 1);
    let searches: Vec<&&Value> = by_leader.iter().filter(|e| e["entity"] == "resident" && e["action"] == "read").collect();
    assert_eq!(searches.len(), 3, "the searches by ID number (narrow and wide) and by phone: {searches:?}");
    for search in searches {
        let detail = search["detail"].as_str().unwrap();
        assert!(!detail.contains(&id_number("150502", 3)) && !detail.contains("13912345678"), "the audit keeps the number masked: {search}");
    }
    assert_eq!(count("isolations", "read"), 1, "the unit's orders in full");
    assert_eq!(count("returnees", "read"), 1, "the unit's returnees with their health");
    assert!(audit["items"].as_array().unwrap().iter().any(|e| e["action"] == "login_failed" && e["entity_id"] == "made-up"), "{audit}");
    assert!(audit["items"].as_array().unwrap().iter().any(|e| e["action"] == "login_failed" && e["entity_id"] == "!nosuchuser"), "and audited: {audit}");
    assert_eq!((count("checkin_link", "create"), count("checkin_link", "read")), (1, 1), "made once, handed out again once");
    assert_eq!(count("staff_link", "read"), 1, "handed out again once");
}
both!(reads_of_people_are_audited);

/// Sends a `length`-byte upload as `login` over a plain connection, a chunk at a time, while
/// reading the answer: its status, and whether the whole body had been sent when it came (a
/// request refused without reading its body is answered before).
async fn upload_in_chunks(t: &TestApp, login: &str, path: &str, length: usize) -> (Option<u16>, bool) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let response = client("en").post(t.url("/api/v1/login")).json(&json!({"login": login, "password": crate::support::PASSWORD})).send().await.unwrap();
    let cookie = response.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let address = t.base.trim_start_matches("http://").to_string();
    let stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let (mut reading, mut writing) = stream.into_split();
    let head = format!("POST {path} HTTP/1.1\r\nHost: {address}\r\nCookie: {cookie}\r\nContent-Type: text/csv\r\nContent-Length: {length}\r\n\r\n");
    writing.write_all(head.as_bytes()).await.unwrap();
    let sender = tokio::spawn(async move {
        let chunk = vec![b'#'; 64 * 1024];
        let mut sent = 0;
        while sent < length {
            let n = chunk.len().min(length - sent);
            if writing.write_all(&chunk[..n]).await.is_err() {
                return false;
            }
            sent += n;
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        true
    });
    let mut answer = vec![0u8; 64];
    let read = reading.read(&mut answer).await.unwrap_or(0);
    let finished = sender.is_finished() && sender.await.unwrap_or(false);
    let line = String::from_utf8_lossy(&answer[..read]).to_string();
    let status = line.split(' ').nth(1).and_then(|code| code.parse().ok());
    (status, finished)
}

/// Naming an account from elsewhere answers as naming one that does not exist: no form tells
/// which logins exist outside the caller's area.
async fn accounts_outside_the_area_answer_as_unknown_ones(db: Db) {
    let t = TestApp::start(db).await;
    let admin = t.client("admin").await;
    t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await;
    let leader = t.client("leader1").await;
    let household = find_household(&t, &leader, "150502001001001", "001").await["id"].as_str().unwrap().to_string();
    let resident = t.get(&leader, &format!("/api/v1/households/{household}")).await.1["residents"][0]["id"].as_str().unwrap().to_string();
    let member = |login: &'static str| json!({"login": login});
    let cadre = |login: &'static str| json!({"resident_id": resident, "kind": "home", "reason": "contact", "cadre_login": login});
    for (path, method, elsewhere, nobody) in [
        (format!("/api/v1/households/{household}/member"), Method::PUT, member("leader2"), member("nobody-here")),
        ("/api/v1/isolations".to_string(), Method::POST, cadre("leader2"), cadre("nobody-here")),
    ] {
        let (status, a) = t.send(&leader, method.clone(), &path, elsewhere).await;
        let (status_b, b) = t.send(&leader, method, &path, nobody).await;
        assert_eq!((status, &a), (status_b, &b), "{path}: leader2 (another village) and a login nobody has answer alike");
        assert_eq!(status, 422, "{a}");
    }
}
both!(accounts_outside_the_area_answer_as_unknown_ones);
