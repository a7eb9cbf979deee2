//! Input that is refused, through HTTP: a unit's code that does not begin with its parent's
//! (another county's code squatted under one's own village), times far from now, names and
//! labels with markup, line breaks or invisible characters, numbers out of their range. Each
//! answers 422 naming the field and the rule, and writes nothing; the values at the edges
//! are taken.

use reqwest::{Client, Method};
use serde_json::{Value, json};

use crate::api_roster::find_household;
use crate::both;
use crate::support::{Db, PASSWORD, TestApp, client, id_number, roster_csv, sample_roster};

/// Sends a request that must be refused with 422 and a message that says `says`.
async fn refused(t: &TestApp, c: &Client, method: Method, path: &str, body: Value, says: &str) {
    let (status, answer) = t.send(c, method, path, body.clone()).await;
    assert_eq!(status, 422, "{path} {body}: {answer}");
    let message = answer["message"].as_str().unwrap_or_default();
    assert!(message.contains(says), "{path} {body}: {message:?} should say {says:?}");
}

/// An answer's rows: (row, column, message).
fn rows(answer: &Value) -> Vec<(i64, String, String)> {
    let Some(errors) = answer["errors"].as_array() else { panic!("no rows in {answer}") };
    errors
        .iter()
        .map(|e| (e["row"].as_i64().unwrap(), e["column"].as_str().unwrap_or_default().to_string(), e["message"].as_str().unwrap().to_string()))
        .collect()
}

async fn upload(t: &TestApp, c: &Client, path: &str, sheet: &str) -> (u16, Value) {
    let response = c.post(t.url(path)).header("content-type", "text/csv").body(sheet.to_string()).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn log_in_through_the_form(t: &TestApp, login: &str) -> Client {
    let c = client("en");
    let response = c.post(t.url("/login")).form(&[("login", login), ("password", PASSWORD), ("next", "/")]).send().await.unwrap();
    assert_eq!(response.status(), 303);
    c
}

fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"_csrf\" value=\"").expect("a form token");
    html[at + 20..].split('"').next().unwrap().to_string()
}

const UNDER_PARENT: &str = "Code: must begin with the parent unit's code and be longer than it";

async fn a_unit_code_begins_with_its_parents_code(db: Db) {
    let t = TestApp::start(db).await;
    let leader = t.client("leader1").await;
    // The probe's squat: another county's code (科尔沁左翼中旗's 保康镇) under one's own village.
    refused(&t, &leader, Method::POST, "/api/v1/units", json!({"code": "150521100777", "name": "占位", "parent_code": "150502001001"}), UNDER_PARENT).await;
    refused(&t, &leader, Method::POST, "/api/v1/units", json!({"code": "150502001001", "name": "同码", "parent_code": "150502001001"}), UNDER_PARENT).await;
    // The import names the row; the good row beside it is not written either.
    let sheet = "code,name,parent_code\n150502001001-01,一网格,150502001001\n150521100777,占位,150502001001\n";
    let (status, answer) = upload(&t, &leader, "/api/v1/units/import", sheet).await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(rows(&answer), [(3, "code".to_string(), format!("row 3, column {UNDER_PARENT}"))]);
    // The unit page's form and upload.
    let pages = log_in_through_the_form(&t, "leader1").await;
    let page = pages.get(t.url("/units/150502001001")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    let form =
        pages.post(t.url("/units/150502001001/children")).form(&[("_csrf", csrf.as_str()), ("code", "150521100777"), ("name", "占位")]).send().await.unwrap();
    assert_eq!(form.status(), 422);
    assert!(form.text().await.unwrap().contains("must begin with the parent unit"), "the form says why");
    let file = reqwest::multipart::Form::new()
        .text("_csrf", csrf.clone())
        .part("file", reqwest::multipart::Part::bytes(sheet.as_bytes().to_vec()).file_name("units.csv"));
    let uploaded = pages.post(t.url("/units/150502001001/units")).multipart(file).send().await.unwrap();
    assert_eq!(uploaded.status(), 422);
    assert!(uploaded.text().await.unwrap().contains("row 3, column Code"), "the upload names the row");

    let admin = t.client("admin").await;
    for code in ["150521100777", "150502001001-01"] {
        assert_eq!(t.get(&admin, &format!("/api/v1/units/{code}")).await.0, 404, "{code} was not written");
    }

    // The county the code belongs to can then create it, and import it.
    let (status, account) =
        t.send(&admin, Method::POST, "/api/v1/accounts", json!({"login": "hq2", "password": PASSWORD, "role": "hq", "unit_code": "150521"})).await;
    assert_eq!(status, 201, "{account}");
    let hq2 = t.client("hq2").await;
    let (status, unit) = t.send(&hq2, Method::POST, "/api/v1/units", json!({"code": "150521100777", "name": "某村", "parent_code": "150521100"})).await;
    assert_eq!((status, &unit["path"]), (201, &json!("/15/1505/150521/150521100/150521100777/")), "{unit}");
    let (status, summary) = upload(&t, &hq2, "/api/v1/units/import", "code,name,parent_code\n150521100777,某村,150521100\n").await;
    assert_eq!((status, &summary["unchanged"]), (200, &json!(1)), "{summary}");

    // Codes that begin with the parent's are taken, typed or numbered.
    let (status, summary) = upload(&t, &leader, "/api/v1/units/import", "code,name,parent_code\n150502001001-01,一网格,150502001001\n").await;
    assert_eq!((status, &summary["created"]), (200, &json!(1)), "{summary}");
    let (status, numbered) = t.send(&leader, Method::POST, "/api/v1/units", json!({"name": "三组", "parent_code": "150502001001"})).await;
    assert_eq!((status, &numbered["code"]), (201, &json!("150502001001003")), "{numbered}");
}
both!(a_unit_code_begins_with_its_parents_code);

async fn times_far_from_now_are_refused_and_the_window_is_named(db: Db) {
    let t = TestApp::start(db).await;
    t.clock.set("2026-12-02T08:00");
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    let leader = t.client("leader1").await;
    let (status, checkpoint) =
        t.send(&leader, Method::POST, "/api/v1/checkpoints", json!({"unit_code": "150502001001", "name": "和平路卡点", "kind": "checkpoint"})).await;
    assert_eq!(status, 201, "{checkpoint}");
    let checkpoint = checkpoint["id"].as_str().unwrap().to_string();

    // Passages: typed in from paper up to 90 days later, at most five minutes ahead.
    let staff = t.client("checkpoint").await;
    let passages = format!("/api/v1/checkpoints/{checkpoint}/passages");
    let window = "Time: must be between 2026-09-03 08:00 and 2026-12-02 08:05 (Beijing time)";
    for at in ["0000-01-01T00:00", "-2026-12-01T08:00", "9999-12-31T23:59", "1970-01-01T00:00:00Z", "2026-09-03T07:59", "2026-12-02T08:05:01"] {
        refused(&t, &staff, Method::POST, &passages, json!({"name": "路人", "direction": "in", "outcome": "passed", "at": at}), window).await;
    }
    for at in ["2026-09-03T08:00", "2026-12-02T08:05"] {
        let (status, answer) = t.send(&staff, Method::POST, &passages, json!({"name": "路人", "direction": "in", "outcome": "passed", "at": at})).await;
        assert_eq!(status, 201, "{at}: {answer}");
    }
    let (_, list) = t.get(&staff, &format!("{passages}?from=1900-01-01T00:00&to=2200-01-01T00:00")).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 2, "only the two at the edges: {list}");

    // Returnees: arrived up to a year ago, not ahead; travel in the last two years.
    let returnee = |n: u16, change: Value| {
        let mut body = json!({"id_number": id_number("150502", n), "origin": "北京", "arrived_at": "2026-12-01T08:00", "transport": "train"});
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let window = "Arrived: must be between 2025-12-01 08:00 and 2026-12-02 08:05 (Beijing time)";
    for at in ["1970-01-01T08:00", "2025-12-01T07:59", "2026-12-02T08:06", "9999-12-31T00:00"] {
        refused(&t, &leader, Method::POST, "/api/v1/returnees", returnee(1, json!({"arrived_at": at})), window).await;
    }
    let travel = json!({"travel": [{"place": "武汉", "from": "2020-01-10", "to": "2020-01-20"}]});
    refused(&t, &leader, Method::POST, "/api/v1/returnees", returnee(1, travel), "Travelled through: must be between 2024-11-30 and 2026-12-03").await;
    let departure = json!({"expected_departure": "9999-01-01"});
    refused(&t, &leader, Method::POST, "/api/v1/returnees", returnee(1, departure), "Expected departure: must be between 2025-12-01 and 2027-12-03").await;
    let (_, list) = t.get(&leader, "/api/v1/units/150502001001/returnees").await;
    assert_eq!(list["figures"]["returnees"], 0, "nothing stored");
    for (n, at) in [(1, "2025-12-01T08:00"), (2, "2026-12-02T08:05")] {
        let (status, answer) = t
            .send(
                &leader,
                Method::POST,
                "/api/v1/returnees",
                returnee(n, json!({"arrived_at": at, "travel": [{"place": "武汉", "from": "2024-11-30", "to": "2026-12-03"}]})),
            )
            .await;
        assert_eq!(status, 201, "{at}: {answer}");
    }

    // Isolation: started up to four weeks ago, or set to start up to four weeks ahead.
    let household = find_household(&t, &leader, "150502001001002", "003").await["id"].as_str().unwrap().to_string();
    let (_, record) = t.get(&leader, &format!("/api/v1/households/{household}")).await;
    let wang = record["residents"][0]["id"].as_str().unwrap().to_string();
    let window = "Start: must be between 2026-11-04 08:00 and 2026-12-30 08:00 (Beijing time)";
    for start in ["9999-12-31T00:00", "0000-01-01T00:00", "2026-11-04T07:59", "2026-12-30T08:01"] {
        refused(&t, &leader, Method::POST, "/api/v1/isolations", json!({"resident_id": wang, "kind": "home", "reason": "contact", "start": start}), window)
            .await;
    }
    let (_, orders) = t.get(&leader, "/api/v1/units/150502001001/isolations").await;
    assert_eq!(orders["items"], json!([]), "nothing stored: {orders}");
    let (status, order) = t
        .send(&leader, Method::POST, "/api/v1/isolations", json!({"resident_id": wang, "kind": "home", "reason": "contact", "start": "2026-12-30T08:00"}))
        .await;
    assert_eq!(status, 201, "{order}");

    // Key areas: a few years either way.
    let hq = t.client("hq").await;
    let window = "must be between 2023-11-30 and 2029-12-04";
    for (from, to, field) in [
        ("0000-01-01", "", "From"),
        ("9999-12-31", "", "From"),
        ("2023-11-29", "", "From"),
        ("2026-12-01", "9999-12-31", "Until"),
        ("2026-12-01", "2029-12-05", "Until"),
    ] {
        refused(&t, &hq, Method::POST, "/api/v1/key-areas", json!({"area": "42", "valid_from": from, "valid_to": to}), &format!("{field}: {window}")).await;
    }
    let (_, areas) = t.get(&hq, "/api/v1/key-areas").await;
    assert_eq!(areas["items"], json!([]), "nothing stored");
    let (status, area) = t.send(&hq, Method::POST, "/api/v1/key-areas", json!({"area": "42", "valid_from": "2023-11-30", "valid_to": "2029-12-04"})).await;
    assert_eq!(status, 201, "{area}");

    // Shifts: entered up to a month late, planned up to three months ahead.
    let shifts = format!("/api/v1/checkpoints/{checkpoint}/shifts");
    let shift = |from: &str, to: &str| json!({"starts_at": from, "ends_at": to, "staff": [{"name": "李医生", "duty": "医务人员"}]});
    let window = "must be between 2026-11-01 08:00 and 2027-03-04 08:00 (Beijing time)";
    for (from, to, field) in [
        ("0000-01-01T00:00", "2026-12-02T20:00", "Starts"),
        ("2026-11-01T07:59", "2026-12-02T20:00", "Starts"),
        ("2026-12-02T08:00", "9999-12-31T00:00", "Ends"),
    ] {
        refused(&t, &leader, Method::POST, &shifts, shift(from, to), &format!("{field}: {window}")).await;
    }
    let (_, list) = t.get(&leader, &shifts).await;
    assert_eq!(list["items"], json!([]), "nothing stored");
    for (from, to) in [("2026-11-01T08:00", "2026-11-01T20:00"), ("2027-03-03T20:00", "2027-03-04T08:00")] {
        let (status, answer) = t.send(&leader, Method::POST, &shifts, shift(from, to)).await;
        assert_eq!(status, 201, "{from}: {answer}");
    }

    // Check-ins: today or the seven days before.
    let member = t.client("member1").await;
    let zhang = find_household(&t, &member, "150502001001001", "001").await["id"].as_str().unwrap().to_string();
    let (_, record) = t.get(&member, &format!("/api/v1/households/{zhang}")).await;
    let zhang = record["residents"][0]["id"].as_str().unwrap().to_string();
    for date in ["2026-11-24", "2026-12-03", "0000-01-01"] {
        let (status, answer) = t.send(&member, Method::POST, "/api/v1/checkins", json!({"resident_id": zhang, "date": date})).await;
        assert_eq!(status, 422, "{date}: {answer}");
        assert_eq!(rows(&answer), [(1, "date".to_string(), "row 1, column Date: must be between 2026-11-25 and 2026-12-02".to_string())]);
    }
    let (_, day) = t.get(&member, "/api/v1/units/150502001001001/checkins?date=2026-11-24").await;
    assert_eq!(day["reported"], 0, "{day}");
    let (status, answer) = t.send(&member, Method::POST, "/api/v1/checkins", json!({"resident_id": zhang, "date": "2026-11-25"})).await;
    assert_eq!(status, 201, "{answer}");
}
both!(times_far_from_now_are_refused_and_the_window_is_named);

const NAME_RULE: &str = "Name: may hold only letters, spaces and . - ' (no digits, other symbols, line breaks or invisible characters)";

/// Names a probe typed: markup, a right-to-left override, zero-width characters, a line break.
const BAD_NAMES: [&str; 7] = ["<script>alert(1)</script>", "张\u{202E}三", "张\u{200B}三", "张\u{2060}三", "张\u{FEFF}三", "张\n三", "张三2"];

async fn every_persons_name_follows_one_rule(db: Db) {
    let t = TestApp::start(db).await;
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    let leader = t.client("leader1").await;
    let household = find_household(&t, &leader, "150502001001001", "001").await["id"].as_str().unwrap().to_string();
    let residents = format!("/api/v1/households/{household}/residents");
    let (_, record) = t.get(&leader, &format!("/api/v1/households/{household}")).await;
    let zhang = format!("/api/v1/residents/{}", record["residents"][0]["id"].as_str().unwrap());
    let hq = t.client("hq").await;
    let (status, org) = t.send(&hq, Method::POST, "/api/v1/organisations", json!({"unit_code": "150502", "name": "科尔沁区教育局", "kind": "bureau"})).await;
    assert_eq!(status, 201, "{org}");
    let org = org["id"].as_str().unwrap().to_string();
    let members = format!("/api/v1/organisations/{org}/members");
    let (_, checkpoint) =
        t.send(&leader, Method::POST, "/api/v1/checkpoints", json!({"unit_code": "150502001001", "name": "和平路卡点", "kind": "checkpoint"})).await;
    let checkpoint = checkpoint["id"].as_str().unwrap().to_string();

    for (n, name) in BAD_NAMES.into_iter().enumerate() {
        let n = 50 + n as u16;
        refused(&t, &leader, Method::POST, &residents, json!({"name": name, "id_number": id_number("150502", n)}), NAME_RULE).await;
        refused(&t, &leader, Method::PATCH, &zhang, json!({"name": name}), NAME_RULE).await;
        let returnee = json!({"id_number": id_number("150502", n), "name": name, "household_id": household, "origin": "北京", "arrived_at": t.local(-60), "transport": "train"});
        refused(&t, &leader, Method::POST, "/api/v1/returnees", returnee, NAME_RULE).await;
        let shift = json!({"starts_at": t.local(0), "ends_at": t.local(12 * 60), "staff": [{"name": name, "duty": "医务人员"}]});
        // A shift's person is named as its form labels the field: 值班人员, On duty.
        let on_duty = NAME_RULE.replacen("Name", "On duty (name)", 1);
        refused(&t, &leader, Method::POST, &format!("/api/v1/checkpoints/{checkpoint}/shifts"), shift, &on_duty).await;
        refused(
            &t,
            &leader,
            Method::POST,
            &format!("/api/v1/checkpoints/{checkpoint}/passages"),
            json!({"name": name, "direction": "in", "outcome": "passed"}),
            NAME_RULE,
        )
        .await;
        let account = json!({"login": format!("user{n}"), "password": PASSWORD, "role": "grid_member", "unit_code": "150502001001001", "display_name": name});
        refused(&t, &admin, Method::POST, "/api/v1/accounts", account, NAME_RULE).await;
        let (status, answer) = t.send(&hq, Method::POST, &members, json!([{"name": "包老师"}, {"name": name}])).await;
        assert_eq!(status, 422, "{answer}");
        assert_eq!(rows(&answer), [(2, "name".to_string(), format!("row 2, column {NAME_RULE}"))]);
    }
    // A roster names the row and the column.
    let bad = roster_csv(&[
        ("001", "张\u{202E}三", &id_number("150502", 1), "户主", "", "150502001001001", "常住"),
        ("002", "巴特尔<b>", &id_number("150502", 3), "户主", "", "150502001001001", "常住"),
    ]);
    let (status, answer) = t.upload_roster(&admin, "150502001", "text/csv", bad.into_bytes()).await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(rows(&answer), [2, 3].map(|row| (row, "name".to_string(), format!("row {row}, column {NAME_RULE}"))));

    // Nothing was written.
    let (_, record) = t.get(&leader, &format!("/api/v1/households/{household}")).await;
    let names: Vec<&str> = record["residents"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["张三", "李四"]);
    let (_, list) = t.get(&leader, "/api/v1/units/150502001001/returnees").await;
    assert_eq!(list["figures"]["returnees"], 0);
    let (_, list) = t.get(&leader, &format!("/api/v1/checkpoints/{checkpoint}/shifts")).await;
    assert_eq!(list["items"], json!([]));
    let (_, list) = t.get(&admin, "/api/v1/accounts").await;
    assert!(!list.to_string().contains("user50"), "{list}");
    let (_, day) = t.get(&hq, &format!("/api/v1/organisations/{org}/checkins")).await;
    assert_eq!(day["expected"], 0, "{day}");

    // Names as people have them are taken, in the same places.
    for (n, name) in [(60, "巴·特尔"), (61, "Anne-Marie O'Neil")] {
        let (status, answer) = t.send(&leader, Method::POST, &residents, json!({"name": name, "id_number": id_number("150502", n)})).await;
        assert_eq!(status, 201, "{name}: {answer}");
        let account = json!({"login": format!("user{n}"), "password": PASSWORD, "role": "grid_member", "unit_code": "150502001001001", "display_name": name});
        assert_eq!(t.send(&admin, Method::POST, "/api/v1/accounts", account).await.0, 201, "{name}");
    }
}
both!(every_persons_name_follows_one_rule);

/// The message for a label with markup, a line break or an invisible character.
fn label_rule(field: &str) -> String {
    // The field as English forms label it.
    let field = match field {
        "household_no" => "Household no.",
        "name" => "Name",
        "address" => "Address",
        other => other,
    };
    format!("{field}: must not contain < >, line breaks or invisible characters")
}

const BAD_LABELS: [&str; 5] = ["<script>alert(1)</script>", "1\u{202E}02", "1\u{200B}02", "1\u{FEFF}02", "1\n02"];

async fn labels_hold_no_markup_or_invisible_characters(db: Db) {
    let t = TestApp::start(db).await;
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    let leader = t.client("leader1").await;
    let hq = t.client("hq").await;
    let household = find_household(&t, &leader, "150502001001001", "001").await["id"].as_str().unwrap().to_string();
    // An address of invisible characters alone shows nothing.
    refused(&t, &leader, Method::PATCH, &format!("/api/v1/households/{household}"), json!({"address": "\u{180E}"}), &label_rule("address")).await;
    for label in BAD_LABELS {
        refused(&t, &leader, Method::POST, "/api/v1/households", json!({"unit_code": "150502001001001", "household_no": label}), &label_rule("household_no"))
            .await;
        refused(&t, &leader, Method::PATCH, &format!("/api/v1/households/{household}"), json!({"household_no": label}), &label_rule("household_no")).await;
        refused(
            &t,
            &leader,
            Method::POST,
            "/api/v1/households",
            json!({"unit_code": "150502001001001", "household_no": "9", "address": label}),
            &label_rule("address"),
        )
        .await;
        refused(&t, &leader, Method::PATCH, &format!("/api/v1/households/{household}"), json!({"address": label}), &label_rule("address")).await;
        refused(&t, &leader, Method::POST, "/api/v1/units", json!({"name": label, "parent_code": "150502001001"}), &label_rule("name")).await;
        refused(&t, &leader, Method::PATCH, "/api/v1/units/150502001001001", json!({"name": label}), &label_rule("name")).await;
        refused(
            &t,
            &leader,
            Method::POST,
            "/api/v1/checkpoints",
            json!({"unit_code": "150502001001", "name": label, "kind": "checkpoint"}),
            &label_rule("name"),
        )
        .await;
        refused(&t, &hq, Method::POST, "/api/v1/organisations", json!({"unit_code": "150502", "name": label, "kind": "bureau"}), &label_rule("name")).await;
    }
    let bad = roster_csv(&[("<b>9</b>", "赵九", &id_number("150502", 9), "户主", "", "150502001001001", "常住")]);
    let (status, answer) = t.upload_roster(&admin, "150502001", "text/csv", bad.into_bytes()).await;
    assert_eq!(status, 422, "{answer}");
    // (The sheet's address repeats the household number, so it holds the markup too.)
    assert_eq!(
        rows(&answer),
        [
            (2, "household_no".to_string(), format!("row 2, column {}", label_rule("household_no"))),
            (2, "address".to_string(), format!("row 2, column {}", label_rule("address")))
        ]
    );

    // Nothing was written.
    let (_, page) = t.get(&leader, "/api/v1/units/150502001001001/households").await;
    let numbers: Vec<&str> = page["items"].as_array().unwrap().iter().map(|h| h["household_no"].as_str().unwrap()).collect();
    assert_eq!(numbers, ["001", "002"]);
    let (_, unit) = t.get(&leader, "/api/v1/units/150502001001").await;
    assert_eq!(unit["children"].as_array().unwrap().len(), 2, "{unit}");
    let (_, group) = t.get(&leader, "/api/v1/units/150502001001001").await;
    assert_eq!(group["name"], "一组");
    let (_, list) = t.get(&leader, "/api/v1/units/150502001001/checkpoints").await;
    assert_eq!(list["items"], json!([]));
    let (_, list) = t.get(&hq, "/api/v1/units/150502/organisations").await;
    assert_eq!(list["items"], json!([]));

    // Labels as people write them are taken.
    let (status, answer) =
        t.send(&leader, Method::POST, "/api/v1/households", json!({"unit_code": "150502001001001", "household_no": "3-201", "address": "一组 3 栋"})).await;
    assert_eq!(status, 201, "{answer}");
    let (status, answer) = t
        .send(&leader, Method::POST, "/api/v1/checkpoints", json!({"unit_code": "150502001001", "name": "和平路(东)卡点 & 劝返点", "kind": "checkpoint"}))
        .await;
    assert_eq!(status, 201, "{answer}");

    // Free text staff type (a passage's purpose and route, where someone is) holds no markup
    // either, but keeps the signs notes use.
    let passages = format!("/api/v1/checkpoints/{}/passages", answer["id"].as_str().unwrap());
    let passage = |field: &str, value: &str| {
        let mut body = json!({"name": "过客", "direction": "in", "outcome": "passed"});
        body[field] = json!(value);
        body
    };
    for (field, label) in [("purpose", "Purpose"), ("from", "Coming from"), ("to", "Going to")] {
        for markup in ["<b>探亲</b>", "<img src=x onerror=alert(1)>", "北京</p"] {
            let says = format!("{label}: must not contain markup (such as <b>), line breaks or invisible characters");
            refused(&t, &leader, Method::POST, &passages, passage(field, markup), &says).await;
        }
    }
    let (_, listed) = t.get(&leader, &passages).await;
    assert_eq!(listed["total"], 0, "{listed}");
    let (status, answer) = t.send(&leader, Method::POST, &passages, passage("purpose", "送药 <3 天, 体温>37.3 复测")).await;
    assert_eq!(status, 201, "{answer}");
    assert_eq!(answer["purpose"], "送药 <3 天, 体温>37.3 复测");
}
both!(labels_hold_no_markup_or_invisible_characters);

async fn numbers_out_of_range_say_their_range(db: Db) {
    let t = TestApp::start(db).await;
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    let leader = t.client("leader1").await;
    let household = find_household(&t, &leader, "150502001001002", "003").await["id"].as_str().unwrap().to_string();
    let (_, record) = t.get(&leader, &format!("/api/v1/households/{household}")).await;
    let wang = record["residents"][0]["id"].as_str().unwrap().to_string();
    let order = |days: u32| json!({"resident_id": wang, "kind": "home", "reason": "contact", "days": days});
    for days in [0, 61] {
        refused(&t, &leader, Method::POST, "/api/v1/isolations", order(days), "Days: must be between 1 and 60").await;
    }
    let zh = client("zh");
    assert_eq!(zh.post(t.url("/api/v1/login")).json(&json!({"login": "leader1", "password": PASSWORD})).send().await.unwrap().status(), 200);
    refused(&t, &zh, Method::POST, "/api/v1/isolations", order(0), "天数: 须在 1 到 60 之间").await;
    let (_, orders) = t.get(&leader, "/api/v1/units/150502001001/isolations").await;
    assert_eq!(orders["items"], json!([]), "nothing stored: {orders}");

    let (status, made) = t.send(&leader, Method::POST, "/api/v1/isolations", order(60)).await;
    assert_eq!(status, 201, "{made}");
    let id = made["id"].as_str().unwrap().to_string();
    let end = format!("/api/v1/isolations/{id}/end");
    for days in [0, 61] {
        refused(&t, &leader, Method::POST, &end, json!({"reason": "复查", "days": days}), "Days: must be between 1 and 60").await;
    }
    let (_, shown) = t.get(&leader, &format!("/api/v1/isolations/{id}")).await;
    assert_eq!(shown["planned_end"], made["planned_end"], "unchanged");
    // The order's page says the same of what is not a number.
    let pages = log_in_through_the_form(&t, "leader1").await;
    let page = pages.get(t.url(&format!("/isolations/{id}"))).send().await.unwrap().text().await.unwrap();
    let typed = pages
        .post(t.url(&format!("/isolations/{id}/end")))
        .form(&[("_csrf", csrf_of(&page).as_str()), ("reason", "复查"), ("days", "0.5")])
        .send()
        .await
        .unwrap();
    assert_eq!(typed.status(), 422);
    assert!(typed.text().await.unwrap().contains("Days: must be between 1 and 60"));
    let (status, answer) = t.send(&leader, Method::POST, &end, json!({"reason": "复查", "days": 1})).await;
    assert_eq!(status, 200, "{answer}");

    // A contact window says its range too.
    let (_, checkpoint) =
        t.send(&leader, Method::POST, "/api/v1/checkpoints", json!({"unit_code": "150502001001", "name": "和平路卡点", "kind": "checkpoint"})).await;
    let (_, passage) = t
        .send(
            &leader,
            Method::POST,
            &format!("/api/v1/checkpoints/{}/passages", checkpoint["id"].as_str().unwrap()),
            json!({"id_number": id_number("110105", 7), "direction": "in", "outcome": "passed"}),
        )
        .await;
    let contacts = format!("/api/v1/people/{}/contacts", passage["person_id"].as_str().unwrap());
    let (status, answer) = t.get(&leader, &format!("{contacts}?window_minutes=1441")).await;
    assert_eq!(status, 422);
    assert_eq!(answer["message"], "Window (minutes): must be between 0 and 1440");
    assert_eq!(t.get(&leader, &format!("{contacts}?window_minutes=1440")).await.0, 200);

    // A list's page size and cursor are checked, not cut to fit or read as "from the start"
    // (probe finding 7); the audit log's days are named as its form labels them.
    let admin = t.client("admin").await;
    for path in ["/api/v1/audit?limit=0", "/api/v1/audit?limit=1001", "/api/v1/units/150502001/households?limit=0", "/api/v1/search?q=wang&limit=0"] {
        let (status, answer) = t.get(&admin, path).await;
        assert_eq!(status, 422, "{path}: {answer}");
        assert!(answer["message"].as_str().unwrap().contains("between 1 and"), "{path}: {answer}");
    }
    assert_eq!(t.get(&admin, "/api/v1/audit?limit=1000").await.0, 200);
    let (status, answer) = t.get(&admin, "/api/v1/units/150502001/households?after=zz").await;
    assert_eq!(status, 422, "{answer}");
    assert!(answer["message"].as_str().unwrap().contains("next"), "{answer}");
    let (_, first) = t.get(&admin, "/api/v1/units/150502001/households?limit=1").await;
    let next = first["next"].as_str().unwrap().to_string();
    assert_eq!(t.get(&admin, &format!("/api/v1/units/150502001/households?limit=1&after={next}")).await.0, 200);
    let zh_admin = client("zh");
    assert_eq!(zh_admin.post(t.url("/api/v1/login")).json(&json!({"login": "admin", "password": PASSWORD})).send().await.unwrap().status(), 200);
    let (status, answer) = t.get(&zh_admin, "/api/v1/audit?from=2020-13-01").await;
    assert_eq!(status, 422);
    assert!(answer["message"].as_str().unwrap().starts_with("起始日期"), "not 从哪里来: {answer}");
}
both!(numbers_out_of_range_say_their_range);

/// `wangge import divisions` keeps the same rule, and the official files keep to it.
#[test]
fn the_command_line_imports_the_official_files_and_refuses_a_squat() {
    let dir = tempfile::tempdir().unwrap();
    let wangge = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_wangge"))
            .args(args)
            .env("WANGGE_DATABASE_URL", format!("sqlite:{}", dir.path().join("cli.db").display()))
            .env("WANGGE_LOG", "warn")
            .output()
            .expect("run wangge");
        (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
    };
    let (ok, said) = wangge(&["import", "divisions", concat!(env!("CARGO_MANIFEST_DIR"), "/data/divisions-tongliao")]);
    assert!(ok && said.contains("units: 2722 created"), "{said}");
    let sheet = dir.path().join("squat.csv");
    std::fs::write(&sheet, "code,name,parent_code\n150502001001-01,一网格,150502001001\n150521100777,占位,150502001001\n").unwrap();
    let (ok, said) = wangge(&["import", "divisions", sheet.to_str().unwrap()]);
    assert!(!ok && said.contains(&format!("row 3, column {UNDER_PARENT}")), "{said}");
    std::fs::write(&sheet, "code,name,parent_code\n150502001001-01,一网格,150502001001\n").unwrap();
    let (ok, said) = wangge(&["import", "divisions", sheet.to_str().unwrap()]);
    assert!(ok && said.contains("units: 1 created"), "{said}");
}

/// A request the server cannot read is told which field and what it should be, in plain
/// words: nothing of axum's or serde's wording (probe finding 3).
#[tokio::test]
async fn unreadable_requests_are_told_in_plain_words() {
    let t = TestApp::start(Db::Sqlite).await;
    let admin = t.client("admin").await;
    let (status, cp) = t.send(&admin, Method::POST, "/api/v1/checkpoints", json!({"unit_code": "150502001", "name": "东卡点", "kind": "checkpoint"})).await;
    assert_eq!(status, 201, "{cp}");
    let passages = format!("/api/v1/checkpoints/{}/passages", cp["id"].as_str().unwrap());
    // A misspelt field or parameter is refused by name, not dropped: a fever typed as
    // `temprature` would otherwise pass without an alert.
    let registrations = passages.replace("/passages", "/registrations");
    let token = passages.replace("/passages", "/token");
    let cases: [(Method, String, Option<&str>, &str); 11] = [
        (Method::POST, passages.clone(), Some(r#"{"name": "过客", "direction": "in", "outcome": "passed", "temperature": true}"#), "`temperature`"),
        (Method::POST, "/api/v1/login".into(), Some(r#"{"password": "x"}"#), "`login` is missing"),
        (Method::GET, format!("{passages}?offset=99999999999"), None, "`offset` must be a whole number"),
        (Method::POST, "/api/v1/login".into(), Some("{not json"), "not valid JSON"),
        (Method::POST, passages.clone(), Some(r#"{"name": "过客", "direction": "in", "outcome": "passed", "temprature": 38.9}"#), "unknown field `temprature`"),
        (Method::PATCH, "/api/v1/units/150502001".into(), Some(r#"{"nmae": "新名"}"#), "unknown field `nmae` (known: `name`)"),
        (Method::GET, format!("{passages}?ofset=3"), None, "unknown parameter `ofset` in the address"),
        // A route that reads no query refuses one too: the list is not paged as asked.
        (Method::GET, format!("{registrations}?limit=1"), None, "unknown parameter `limit` in the address (none are taken here)"),
        // A route that reads no body refuses one that says something (it would be dropped unsaid).
        (Method::POST, token.clone(), Some(r#"{"reason": "lost poster"}"#), "this request takes no body"),
        (
            Method::POST,
            format!("{passages}?temprature=38.5"),
            Some(r#"{"name": "过客", "direction": "in", "outcome": "passed"}"#),
            "unknown parameter `temprature` in the address",
        ),
        (
            Method::POST,
            "/api/v1/checkins".into(),
            Some(r#"[{"resident_id": "0190a0b0-0000-7000-8000-000000000000", "statu": "unwell"}]"#),
            "unknown field `statu`",
        ),
    ];
    for (method, path, body, says) in cases {
        let mut request = admin.request(method, t.url(&path)).header("accept-language", "en");
        if let Some(body) = body {
            request = request.header("content-type", "application/json").body(body);
        }
        let response = request.send().await.unwrap();
        assert!(response.status().is_client_error(), "{path}: {}", response.status());
        let answer: Value = response.json().await.unwrap();
        let detail = answer["detail"].as_str().unwrap_or_default();
        assert!(detail.contains(says), "{path}: {detail:?} should say {says:?}");
        for internal in ["deserialize", "target type", "invalid type", "line 1", "f64", "u32", "Failed"] {
            assert!(!detail.contains(internal), "{path}: {detail:?} shows {internal:?}");
        }
    }
    let (_, listed) = t.get(&admin, &passages).await;
    assert_eq!(listed["total"], 0, "a refused request wrote nothing: {listed}");
    let (_, kept) = t.get(&admin, &passages.replace("/passages", "")).await;
    assert_eq!(kept["token"], cp["token"], "the refused rotation made no new token");
    // The empty bodies clients send by habit are no body.
    for empty in ["", "{}", " null ", "{ }", "{\n}"] {
        let response = admin.post(t.url(&token)).header("content-type", "application/json").body(empty).send().await.unwrap();
        assert_eq!(response.status(), 200, "{empty:?}");
    }
    let (_, unit) = t.get(&admin, "/api/v1/units/150502001").await;
    assert_ne!(unit["name"], "新名");
    // One record's problem is not said as a file's.
    let one = json!({"resident_id": "0190a0b0-0000-7000-8000-000000000000", "location": "sideways"});
    let response = admin.post(t.url("/api/v1/checkins")).header("accept-language", "en").json(&one).send().await.unwrap();
    assert_eq!(response.status(), 422);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["message"], "1 problem; nothing was saved", "{answer}");
    // HEAD is GET without the body, checked as GET is.
    let head = admin.head(t.url(&format!("{passages}?ofset=3"))).send().await.unwrap();
    assert_eq!(head.status(), 400);
    let response = admin.get(t.url(&format!("{passages}?ofset=3"))).header("accept-language", "zh").send().await.unwrap();
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["detail"], "地址中不认识的参数 `ofset`（可用：`from`, `to`, `limit`, `offset`）", "{answer}");
}
