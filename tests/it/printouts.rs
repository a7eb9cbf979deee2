//! Issue 14, items 11, 12 and 13 finished: printouts carry their issuing body (set once by a
//! unit's HQ, found up the tree), the header's search finds people seen at checkpoints and names
//! units, the new-account form picks its unit from the tree; and the small gaps (names instead
//! of logins, a returnee's malformed household said with the rest, a shift line without a duty).

use reqwest::Method;
use serde_json::{Value, json};

use crate::both;
use crate::first_week::{csrf_of, household_fixture, html, page_client};
use crate::support::{Db, TestApp, id_number};

const BODY: &str = "科尔沁区疫情防控指挥部";

async fn set_body(t: &TestApp) -> Value {
    let hq = t.client("hq").await;
    let (status, answer) =
        t.send(&hq, Method::PUT, "/api/v1/units/150502/issuing-body", json!({"name": BODY, "phone": "0475-8888888", "seal": "科尔沁区人民政府"})).await;
    assert_eq!(status, 200, "{answer}");
    answer
}

/// HQ sets its unit's issuing body once; units below carry it; no other role may set it; a
/// unit outside HQ's area is not found; the write is audited; bad input is said field by field.
async fn hq_sets_the_issuing_body_and_units_below_carry_it(db: Db) {
    let t = TestApp::start(db).await;
    let leader = t.client("leader1").await;
    let (status, none) = t.get(&leader, "/api/v1/units/150502001001/issuing-body").await;
    assert_eq!((status, &none["issuer"]), (200, &Value::Null), "none set yet: {none}");

    let set = set_body(&t).await;
    assert_eq!(set["unit_code"], "150502");
    let (_, found) = t.get(&leader, "/api/v1/units/150502001001/issuing-body").await;
    assert_eq!(found["issuer"]["name"], BODY, "a village carries its county's: {found}");
    assert_eq!(found["issuer"]["unit_code"], "150502");
    assert_eq!(found["issuer"]["unit_name"], "科尔沁区");
    assert_eq!(found["issuer"]["phone"], "0475-8888888");
    assert_eq!(found["issuer"]["seal"], "科尔沁区人民政府");

    // The nearest one wins: the township sets its own.
    let admin = t.client("admin").await;
    let (status, _) = t.send(&admin, Method::PUT, "/api/v1/units/150502001/issuing-body", json!({"name": "科尔沁街道办事处", "phone": "12345"})).await;
    assert_eq!(status, 200);
    let (_, found) = t.get(&leader, "/api/v1/units/150502001001001/issuing-body").await;
    assert_eq!(found["issuer"]["name"], "科尔沁街道办事处");
    assert_eq!(found["issuer"]["seal"], "", "no seal set");
    let (_, county) = t.get(&admin, "/api/v1/units/150502/issuing-body").await;
    assert_eq!(county["issuer"]["name"], BODY, "an ancestor does not carry its child's");
    let (_, other) = t.get(&admin, "/api/v1/units/150521100200/issuing-body").await;
    assert_eq!(other["issuer"], Value::Null, "another county carries none");

    for login in ["leader1", "member1", "inspector", "checkpoint"] {
        let c = t.client(login).await;
        let (status, answer) = t.send(&c, Method::PUT, "/api/v1/units/150502001001/issuing-body", json!({"name": "x", "phone": "123"})).await;
        assert_eq!(status, 403, "{login}: {answer}");
    }
    let hq = t.client("hq").await;
    let (status, _) = t.send(&hq, Method::PUT, "/api/v1/units/150521/issuing-body", json!({"name": "x", "phone": "123"})).await;
    assert_eq!(status, 404, "another county is not HQ's");
    let (status, answer) = t.send(&hq, Method::PUT, "/api/v1/units/150502/issuing-body", json!({"name": "", "phone": "电话", "seal": "<b>"})).await;
    assert_eq!(status, 422, "{answer}");
    let message = answer["message"].as_str().unwrap();
    for field in ["Issuing body", "Phone", "Seal text"] {
        assert!(message.contains(field), "every problem, each naming its field: {message}");
    }

    let (_, audit) = t.get(&admin, "/api/v1/audit?limit=1000").await;
    let writes: Vec<&Value> = audit["items"].as_array().unwrap().iter().filter(|e| e["detail"].as_str().unwrap_or_default().contains("issuing_body")).collect();
    assert_eq!(writes.len(), 2, "{writes:?}");
    assert!(writes.iter().any(|e| e["actor"] == "hq" && e["entity_id"] == "150502" && e["action"] == "update"));
}
both!(hq_sets_the_issuing_body_and_units_below_carry_it);

/// The notice, the poster and the colour map's print view name their issuing body (an
/// ancestor's), the day printed and the phone; with none set, a hint for the screen only.
/// HQ's form keeps what was typed and names the field; a grid leader sees no form and is refused.
async fn printouts_carry_the_issuing_body(db: Db) {
    let t = TestApp::start(db).await;
    t.clock.set("2020-02-01T08:00");
    let (_, _, order, _) = household_fixture(&t).await;
    let leader = page_client(&t, "zh", "leader1").await;
    let admin = t.client("admin").await;
    let (_, checkpoints) = t.get(&admin, "/api/v1/units/150502001001/checkpoints").await;
    let checkpoint = checkpoints["items"][0]["id"].as_str().unwrap().to_string();
    // Each printout and the unit it is of: the notice's household lies in 一组.
    let printouts = [
        (format!("/isolations/{order}/notice"), "150502001001001"),
        (format!("/checkpoints/{checkpoint}/poster"), "150502001001"),
        ("/units/150502001001/colour-map/print".to_string(), "150502001001"),
    ];
    for (path, unit) in &printouts {
        let page = html(&t, &leader, path).await;
        assert!(page.contains("id=\"issuer-missing\"") && page.contains("class=\"noprint warning\""), "{path}: a hint on screen: {page}");
        assert!(page.contains(&format!("href=\"/units/{unit}/issuer\"")), "{path}: where to set it");
        assert!(page.contains("2020年02月01日"), "{path}: the day printed");
    }

    let hq = page_client(&t, "zh", "hq").await;
    let form = html(&t, &hq, "/units/150502").await;
    assert!(form.contains("href=\"/units/150502/issuer\""), "the unit page links HQ to it");
    let form = html(&t, &hq, "/units/150502/issuer").await;
    let csrf = csrf_of(&form);
    let refused = hq
        .post(t.url("/units/150502/issuer"))
        .form(&[("_csrf", csrf.as_str()), ("issuer_name", BODY), ("issuer_phone", "电话一"), ("seal_text", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("联系电话: "), "names the field as labelled: {refused}");
    assert!(refused.contains(&format!("value=\"{BODY}\"")) && refused.contains("value=\"电话一\""), "keeps what was typed");
    let saved = hq
        .post(t.url("/units/150502/issuer"))
        .form(&[("_csrf", csrf.as_str()), ("issuer_name", BODY), ("issuer_phone", "0475-8888888"), ("seal_text", "科尔沁区人民政府")])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);

    for (path, _) in &printouts {
        let page = html(&t, &leader, path).await;
        assert!(!page.contains("issuer-missing"), "{path}");
        assert!(page.contains(&format!("id=\"issuer-name\">{BODY}<")), "{path}: {page}");
        assert!(page.contains(">0475-8888888<") && page.contains(">科尔沁区人民政府<") && page.contains("2020年02月01日"), "{path}");
    }
    let shown = html(&t, &leader, "/units/150502001001/issuer").await;
    assert!(shown.contains("id=\"issuer-inherited\"") && shown.contains(BODY), "a village sees whose it carries");
    assert!(!shown.contains("id=\"issuer-form\""), "and no form it may not send");
    let denied = leader
        .post(t.url("/units/150502001001/issuer"))
        .form(&[("_csrf", csrf_of(&shown).as_str()), ("issuer_name", "网格"), ("issuer_phone", "123"), ("seal_text", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 403);
}
both!(printouts_carry_the_issuing_body);

/// The header's search finds residents and people seen at the caller's checkpoints (not
/// another village's), masked, with units by name.
async fn the_search_finds_people_seen_at_checkpoints(db: Db) {
    let t = TestApp::start(db).await;
    household_fixture(&t).await;
    let leader2 = t.client("leader2").await;
    let (status, other) =
        t.send(&leader2, Method::POST, "/api/v1/checkpoints", json!({"unit_code": "150502001002", "name": "胜利路卡点", "kind": "checkpoint"})).await;
    assert_eq!(status, 201, "{other}");
    let admin = t.client("admin").await;
    let (_, mine) = t.get(&admin, "/api/v1/units/150502001001/checkpoints").await;
    let mine = mine["items"][0]["id"].as_str().unwrap().to_string();
    let staff = t.client("checkpoint").await;
    for (checkpoint, name, n) in [(mine.as_str(), "过客甲", 21), (other["id"].as_str().unwrap(), "过客乙", 22)] {
        let (status, passage) = t
            .send(
                &staff,
                Method::POST,
                &format!("/api/v1/checkpoints/{checkpoint}/passages"),
                json!({"id_number": id_number("110105", n), "name": name, "phone": "13900002222", "direction": "in", "temperature": 36.5, "outcome": "passed"}),
            )
            .await;
        assert_eq!(status, 201, "{passage}");
    }

    let leader = page_client(&t, "zh", "leader1").await;
    let page = html(&t, &leader, "/search?q=%E8%BF%87%E5%AE%A2").await;
    assert!(page.contains("过客甲") && page.contains("id=\"people-results\""), "{page}");
    assert!(!page.contains("过客乙"), "another village's traveller is not found: {page}");
    assert!(page.contains("和平社区") && page.contains("和平路卡点"), "the checkpoint and its unit by name: {page}");
    assert!(page.contains("139****2222") && !page.contains("13900002222"), "masked");
    assert!(!page.contains(&id_number("110105", 21)), "masked");

    let page = html(&t, &leader, "/search?q=%E5%BC%A0%E4%B8%89").await;
    assert!(page.contains("id=\"results\"") && page.contains("一组") && !page.contains("id=\"people-results\""), "张三 is a resident: {page}");
    // By full ID number: found, and the look-up audited.
    let page = html(&t, &leader, &format!("/search?q={}", id_number("110105", 21))).await;
    assert!(page.contains("过客甲"), "{page}");
    let (_, audit) = t.get(&admin, "/api/v1/audit?limit=1000").await;
    assert!(audit["items"].as_array().unwrap().iter().any(|e| e["actor"] == "leader1" && e["entity"] == "person" && e["action"] == "read"));

    // A grid member, who reads no trajectories, finds residents only.
    let member = page_client(&t, "zh", "member1").await;
    let page = html(&t, &member, "/search?q=%E8%BF%87%E5%AE%A2").await;
    assert!(!page.contains("过客甲") && page.contains("id=\"no-results\""), "{page}");
}
both!(the_search_finds_people_seen_at_checkpoints);

/// The new-account form picks its unit from the caller's tree, names it as labelled, and starts
/// at the least powerful role.
async fn a_new_account_s_unit_is_picked_from_the_tree(db: Db) {
    let t = TestApp::start(db).await;
    let admin = page_client(&t, "zh", "admin").await;
    let page = html(&t, &admin, "/accounts").await;
    assert!(page.contains("<select name=\"unit_code\""), "{page}");
    assert!(page.contains("<option value=\"150502001001\">") && page.contains("和平社区"), "{page}");
    assert!(page.contains("<option value=\"15\" selected>"), "the admin's own unit first chosen");
    assert!(page.contains("<option value=\"checkpoint\" selected>"), "the least powerful role");
    assert!(!page.contains("unit_code_typed"), "a small area needs no typed code");
    let refused = admin
        .post(t.url("/accounts"))
        .form(&[("_csrf", csrf_of(&page).as_str()), ("login", "new-one"), ("password", "short"), ("role", "grid_member"), ("unit_code", "999")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("管辖单位: ") && refused.contains("密码: "), "every problem, the unit named as labelled: {refused}");
    assert!(!refused.contains("网格编码"), "{refused}");
    assert!(refused.contains("value=\"new-one\"") && refused.contains("<option value=\"grid_member\" selected>"), "kept");

    let hq = t.client("hq").await;
    let (status, _) = t.get(&hq, "/accounts").await;
    assert_eq!(status, 403, "only admins manage accounts");
}
both!(a_new_account_s_unit_is_picked_from_the_tree);

/// Accounts are named by their display names where they have one; a returnee's malformed
/// household is said with the form's other problems; a shift's line without a duty is an error
/// naming the line.
async fn small_gaps_are_closed(db: Db) {
    let t = TestApp::start(db).await;
    t.clock.set("2020-02-01T08:00");
    let (household, _, _, _) = household_fixture(&t).await;
    let admin = t.client("admin").await;
    let (status, made) = t
        .send(
            &admin,
            Method::POST,
            "/api/v1/accounts",
            json!({"login": "wang", "password": "river stone lantern 7", "role": "grid_member", "unit_code": "150502001001001", "display_name": "王网格"}),
        )
        .await;
    assert!(status < 300, "{made}");
    let leader = t.client("leader1").await;
    let (status, _) = t.send(&leader, Method::PUT, &format!("/api/v1/households/{household}/member"), json!({"login": "wang"})).await;
    assert!(status < 300);
    let pages = page_client(&t, "zh", "leader1").await;
    let page = html(&t, &pages, &format!("/households/{household}")).await;
    assert!(page.contains("title=\"wang\">王网格<"), "the member by name: {page}");
    assert!(page.contains("title=\"leader1\">leader1<"), "an account without a name by its login");

    let returnees = html(&t, &pages, "/units/150502001001/returnees").await;
    let refused = pages
        .post(t.url("/units/150502001001/returnees"))
        .form(&[
            ("_csrf", csrf_of(&returnees).as_str()),
            ("id_number", "123"),
            ("name", "返乡人"),
            ("household", "999"),
            ("origin", "北京"),
            ("arrived_at", &t.local(-60)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("落脚户户号: ") && refused.contains("身份证号: "), "both problems at once: {refused}");

    let (_, checkpoints) = t.get(&admin, "/api/v1/units/150502001001/checkpoints").await;
    let checkpoint = checkpoints["items"][0]["id"].as_str().unwrap().to_string();
    let page = html(&t, &pages, &format!("/checkpoints/{checkpoint}")).await;
    let refused = pages
        .post(t.url(&format!("/checkpoints/{checkpoint}/shifts")))
        .form(&[("_csrf", csrf_of(&page).as_str()), ("starts_at", &t.local(-60)), ("ends_at", &t.local(600)), ("staff", "医务人员 李医生\n王警官")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("值班人员第 2 行“王警官”缺少职责"), "{refused}");
    let (_, shifts) = t.get(&admin, &format!("/api/v1/checkpoints/{checkpoint}/shifts")).await;
    assert_eq!(shifts["items"].as_array().map_or(0, Vec::len), 0, "nothing saved: {shifts}");
}
both!(small_gaps_are_closed);

/// On a phone, the colour map's print view of a village names its county's issuing body.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_print_view_names_its_ancestor_s_issuing_body_in_a_browser() {
    use crate::browser::{browser, no_sideways_scroll, screenshot, text, wait_for_path};
    use fantoccini::Locator;
    let t = TestApp::start(Db::Sqlite).await;
    set_body(&t).await;
    let profile = tempfile::tempdir().unwrap();
    let (_driver, client) = browser(profile.path()).await;
    let result = async {
        client.goto(&t.url("/login")).await.unwrap();
        let form = client.form(Locator::Css("form.stack")).await.unwrap();
        form.set_by_name("login", "leader1").await.unwrap().set_by_name("password", crate::support::PASSWORD).await.unwrap().submit().await.unwrap();
        wait_for_path(&client, "/units/150502001001/dashboard").await;
        client.goto(&t.url("/units/150502001001/colour-map/print")).await.unwrap();
        assert_eq!(text(&client, "#issuer-name").await, BODY);
        assert_eq!(text(&client, "#issuer-phone").await, "0475-8888888");
        assert_eq!(text(&client, "#issuer-seal").await, "科尔沁区人民政府");
        assert!(client.find(Locator::Css("#issuer-missing")).await.is_err());
        no_sideways_scroll(&client, "colour map print").await;
        screenshot(&client, "colour-map-print-issuer").await;
    }
    .await;
    client.close().await.unwrap();
    result
}
