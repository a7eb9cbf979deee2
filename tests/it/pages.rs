//! The pages over plain HTTP: login, drill-down, upload, language.

use crate::both;
use crate::support::{Db, PASSWORD, TestApp, client, sample_roster};

async fn log_in_through_the_form(t: &TestApp, lang: &str, login: &str) -> reqwest::Client {
    let c = client(lang);
    let response = c.post(t.url("/login")).form(&[("login", login), ("password", PASSWORD), ("next", "/")]).send().await.unwrap();
    assert_eq!(response.status(), 303);
    c
}

fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"_csrf\" value=\"").expect("a form token");
    html[at + 20..].split('"').next().unwrap().to_string()
}

async fn pages_drill_down_and_upload(db: Db) {
    let t = TestApp::start(db).await;
    let anonymous = client("zh");
    let response = anonymous.get(t.url("/units/150502")).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/login?next=/units/150502");
    let response = anonymous.post(t.url("/login")).form(&[("login", "hq"), ("password", "nope")]).send().await.unwrap();
    assert_eq!(response.status(), 401);
    assert!(response.text().await.unwrap().contains("账号或密码错误"));

    let hq = log_in_through_the_form(&t, "zh", "hq").await;
    let home = hq.get(t.url("/")).send().await.unwrap();
    assert_eq!(home.headers()["location"], "/units/150502/dashboard", "HQ lands on its dashboard");
    let page = hq.get(t.url("/units/150502001")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("科尔沁街道") && page.contains("户数"), "Chinese by default");

    // Upload the roster through the page form: without the token it is refused.
    let form = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(sample_roster().into_bytes()).file_name("roster.csv"));
    let refused = hq.post(t.url("/units/150502001/roster")).multipart(form).send().await.unwrap();
    assert_eq!(refused.status(), 403);
    let form = reqwest::multipart::Form::new()
        .text("_csrf", csrf_of(&page))
        .part("file", reqwest::multipart::Part::bytes(sample_roster().into_bytes()).file_name("roster.csv"));
    let done = hq.post(t.url("/units/150502001/roster")).multipart(form).send().await.unwrap();
    assert_eq!(done.status(), 200);
    let done = done.text().await.unwrap();
    assert!(done.contains("id=\"import-result\""), "{done}");
    assert!(done.contains("<b id=\"fig-households\">5</b>"), "{done}");

    // Bad rows are listed on the page, and nothing is written.
    let bad = sample_roster().replace("13812345678", "123");
    let form = reqwest::multipart::Form::new().text("_csrf", csrf_of(&done)).part("file", reqwest::multipart::Part::bytes(bad.into_bytes()).file_name("r.csv"));
    let rejected = hq.post(t.url("/units/150502001/roster")).multipart(form).send().await.unwrap();
    assert_eq!(rejected.status(), 422);
    let rejected = rejected.text().await.unwrap();
    assert!(rejected.contains("第 2 行，列“联系电话”"), "{rejected}");
    assert!(rejected.contains("<b id=\"fig-households\">5</b>"));

    // Villager groups from a sheet, through the page.
    let sheet = "code,name,parent_code\n150502001002002,二组,150502001002\n";
    let form = reqwest::multipart::Form::new()
        .text("_csrf", csrf_of(&done))
        .part("file", reqwest::multipart::Part::bytes(sheet.as_bytes().to_vec()).file_name("units.csv"));
    let added = hq.post(t.url("/units/150502001002/units")).multipart(form).send().await.unwrap();
    assert_eq!(added.status(), 303);
    let village = hq.get(t.url("/units/150502001002")).send().await.unwrap().text().await.unwrap();
    assert!(village.contains("href=\"/units/150502001002002\">二组</a>"), "{village}");

    // English on request; lists are masked; the household page shows the full record.
    let en = log_in_through_the_form(&t, "en", "hq").await;
    let group = en.get(t.url("/units/150502001001001")).send().await.unwrap().text().await.unwrap();
    assert!(group.contains("Households") && group.contains("138****5678"), "{group}");
    let link = group.split("href=\"/households/").nth(1).unwrap().split('"').next().unwrap();
    let household = en.get(t.url(&format!("/households/{link}"))).send().await.unwrap().text().await.unwrap();
    assert!(household.contains("13812345678") && household.contains("your reading has been logged"), "{household}");

    // The language switch sets a cookie and returns to the page.
    let switched = en.get(t.url("/lang/zh")).header("referer", t.url("/units/150502")).send().await.unwrap();
    assert_eq!(switched.headers()["location"], "/units/150502");
    assert!(switched.headers()["set-cookie"].to_str().unwrap().starts_with("lang=zh"));
    let missing = en.get(t.url("/households/00000000-0000-0000-0000-000000000000")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
}
both!(pages_drill_down_and_upload);

async fn an_admin_adds_accounts_on_a_page(db: Db) {
    let t = TestApp::start(db).await;
    let admin = log_in_through_the_form(&t, "en", "admin").await;
    let page = admin.get(t.url("/accounts")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(">leader1<"), "{page}");
    assert!(page.contains("<option value=\"checkpoint\" selected>"), "a new account starts as the least powerful role");
    assert!(page.contains("<td>grid leader</td>") && !page.contains(">grid_leader<"), "roles in words, not codes");
    assert!(!page.contains("<option value=\"admin\" selected>"));
    let csrf = csrf_of(&page);
    let form = [("_csrf", csrf.as_str()), ("login", "wang"), ("password", "short"), ("role", "grid_member"), ("unit_code", "150502001001001")];
    let refused = admin.post(t.url("/accounts")).form(&form).send().await.unwrap();
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("at least 10 characters"));
    let form = [("_csrf", csrf.as_str()), ("login", "wang"), ("password", "long enough"), ("role", "grid_member"), ("unit_code", "150502001001001")];
    let created = admin.post(t.url("/accounts")).form(&form).send().await.unwrap();
    assert_eq!(created.status(), 303);
    t.client_with("wang", "long enough").await;
    let hq = log_in_through_the_form(&t, "en", "hq").await;
    assert_eq!(hq.get(t.url("/accounts")).send().await.unwrap().status(), 403);
}
both!(an_admin_adds_accounts_on_a_page);

/// The screening and checkpoint forms through the pages, in English: a checkpoint set up on
/// the unit page, a passage logged (a fever), a returnee registered, a key area declared; and
/// a form without its token refused.
async fn screening_and_checkpoint_forms(db: Db) {
    let t = TestApp::start(db).await;
    // The key area below is of early 2020: so is the clock (dates are checked against it).
    t.clock.set("2020-02-01T08:00");
    let admin = t.client("admin").await;
    t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await;
    let leader = log_in_through_the_form(&t, "en", "leader1").await;
    let page = leader.get(t.url("/units/150502001001")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    assert!(page.contains("Add a checkpoint"));
    assert!(!page.contains("Start a screening round"), "opening screening rounds is HQ's");
    let hq = log_in_through_the_form(&t, "en", "hq").await;
    let page = hq.get(t.url("/units/150502001001")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Start a screening round"));
    let refused = leader.post(t.url("/units/150502001001/checkpoints")).form(&[("name", "x"), ("kind", "checkpoint")]).send().await.unwrap();
    assert_eq!(refused.status(), 403, "no form token, no checkpoint");
    let made = leader
        .post(t.url("/units/150502001001/checkpoints"))
        .form(&[("_csrf", csrf.as_str()), ("name", "Peace Road"), ("kind", "persuasion_point"), ("lat", "43.6"), ("lon", "122.2")])
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), 303);
    let checkpoint = made.headers()["location"].to_str().unwrap().to_string();
    let page = leader.get(t.url(&checkpoint)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Peace Road") && page.contains("Persuasion point") && page.contains("Log a passage"));

    let bad = leader
        .post(t.url(&format!("{checkpoint}/passages")))
        .form(&[("_csrf", csrf.as_str()), ("direction", "in"), ("outcome", "passed"), ("temperature", "hot")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    assert!(
        bad.text().await.unwrap().contains("Temperature: must be a number of degrees Celsius"),
        "a clear message: text that is no number is said to be none"
    );
    let logged = leader
        .post(t.url(&format!("{checkpoint}/passages")))
        .form(&[("_csrf", csrf.as_str()), ("direction", "in"), ("outcome", "referred"), ("temperature", "38.5"), ("name", "Wang Qiang")])
        .send()
        .await
        .unwrap();
    assert_eq!(logged.headers()["location"].to_str().unwrap(), format!("{checkpoint}?logged=fever"));
    let page = leader.get(t.url(&format!("{checkpoint}?logged=fever"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("the grid leader and HQ have been alerted") && page.contains("38.5"));
    let tasks = leader.get(t.url("/tasks")).send().await.unwrap().text().await.unwrap();
    assert!(tasks.contains("fever alert") && tasks.contains("Wang Qiang"));
    let poster = leader.get(t.url(&format!("{checkpoint}/poster"))).send().await.unwrap().text().await.unwrap();
    assert!(poster.contains("<svg") && poster.contains("Peace Road"));
    let shift =
        [("_csrf", csrf.as_str()), ("starts_at", &t.local(0)[..16]), ("ends_at", &t.local(24 * 60)[..16]), ("staff", "医务人员 李医生\r\n公安干警 张警官")];
    assert_eq!(leader.post(t.url(&format!("{checkpoint}/shifts"))).form(&shift).send().await.unwrap().status(), 303);
    let page = leader.get(t.url(&checkpoint)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("医务人员 李医生") && page.contains("公安干警 张警官"), "the shift on the checkpoint's page");

    let returnee = [
        ("_csrf", csrf.as_str()),
        ("id_number", &crate::support::id_number("150502", 3)),
        ("origin", "Beijing"),
        ("arrived_at", &t.local(-90)[..16]),
        ("transport", "train"),
    ];
    let registered = leader.post(t.url("/units/150502001001/returnees")).form(&returnee).send().await.unwrap();
    assert_eq!(registered.status(), 303);
    let page = leader.get(t.url("/units/150502001001/returnees?registered=1")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("巴特尔") && page.contains("id=\"fig-returnees\">1<"));
    let wrong = leader
        .post(t.url("/units/150502001001/returnees"))
        .form(&[("_csrf", csrf.as_str()), ("id_number", "123"), ("origin", "x"), ("arrived_at", "2020-02-01T08:00"), ("transport", "train")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 422);
    assert!(wrong.text().await.unwrap().contains("18 characters"));

    let hq = log_in_through_the_form(&t, "en", "hq").await;
    let page = hq.get(t.url("/key-areas")).send().await.unwrap().text().await.unwrap();
    let declared = hq
        .post(t.url("/key-areas"))
        .form(&[("_csrf", csrf_of(&page).as_str()), ("area", "湖北省"), ("valid_from", "2020-01-01"), ("valid_to", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(declared.status(), 303);
    let page = hq.get(t.url("/key-areas")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("湖北省"));
}
both!(screening_and_checkpoint_forms);

/// 三个制度 through the pages: HQ registers a bureau on the county's page, adds a staff member
/// and hands out their link, which opens their own check-in page.
async fn an_organisation_from_the_pages(db: Db) {
    let t = TestApp::start(db).await;
    let hq = log_in_through_the_form(&t, "en", "hq").await;
    let page = hq.get(t.url("/units/150502")).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    assert!(page.contains("Register an organisation"));
    let made =
        hq.post(t.url("/units/150502/organisations")).form(&[("_csrf", csrf.as_str()), ("name", "Education Bureau"), ("kind", "bureau")]).send().await.unwrap();
    assert_eq!(made.status(), 303);
    let org = made.headers()["location"].to_str().unwrap().to_string();
    let added = hq.post(t.url(&format!("{org}/members"))).form(&[("_csrf", csrf.as_str()), ("name", "包老师"), ("phone", "13900002222")]).send().await.unwrap();
    assert_eq!(added.status(), 303);
    let page = hq.get(t.url(&org)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("包老师") && page.contains("139****2222") && page.contains("id=\"fig-expected\">1<"));
    let member = page.split("name=\"member\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let linked =
        hq.post(t.url(&format!("{org}/links"))).form(&[("_csrf", csrf.as_str()), ("member", member.as_str())]).send().await.unwrap().text().await.unwrap();
    let address = linked.split("id=\"staff-link\"><span class=\"mono\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    assert!(address.contains("/o/"), "{address}");
    let own = client("zh").get(address).send().await.unwrap().text().await.unwrap();
    assert!(own.contains("包老师") && own.contains("Education Bureau"));
    let page = hq.get(t.url("/units/150502")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Education Bureau"), "listed on the unit's page");
}
both!(an_organisation_from_the_pages);

/// The household page's isolation form sends text, as every form does: a valid 14 days orders
/// isolation; 0 days is refused naming the field and its range, and orders nothing; so is
/// an emptied field.
async fn isolation_is_ordered_from_a_household_page(db: Db) {
    let t = TestApp::start(db).await;
    let admin = t.client("admin").await;
    t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await;
    let household = crate::api_roster::find_household(&t, &admin, "150502001001001", "001").await;
    let household = household["id"].as_str().unwrap().to_string();
    let (_, record) = t.get(&admin, &format!("/api/v1/households/{household}")).await;
    let resident = record["residents"][0]["id"].as_str().unwrap().to_string();
    let leader = log_in_through_the_form(&t, "en", "leader1").await;
    let page = leader.get(t.url(&format!("/households/{household}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"isolation-form\""), "the form is on the page");
    let csrf = csrf_of(&page);
    let order = |days: &'static str| {
        let form = [("_csrf", csrf.as_str()), ("resident_id", resident.as_str()), ("kind", "home"), ("reason", "contact"), ("days", days), ("cadre_login", "")];
        leader.post(t.url("/isolations")).form(&form).send()
    };
    let refused = order("0").await.unwrap();
    assert_eq!(refused.status(), 422);
    let text = refused.text().await.unwrap();
    assert!(text.contains("must be between 1 and 60") && !text.contains("deserialize"), "{text}");
    // An emptied field says nothing: it is asked for again, not taken as 14.
    let blank = order(" ").await.unwrap();
    assert_eq!(blank.status(), 422);
    let text = blank.text().await.unwrap();
    assert!(text.contains("Days: must not be empty"), "{text}");
    let (_, listed) = t.get(&admin, "/api/v1/units/150502001001/isolations").await;
    assert_eq!(listed["items"], serde_json::json!([]), "nothing ordered");
    let ordered = order("14").await.unwrap();
    assert_eq!(ordered.status(), 303);
    let at = ordered.headers()["location"].to_str().unwrap().to_string();
    assert!(at.starts_with("/isolations/"), "{at}");
    let (_, listed) = t.get(&admin, "/api/v1/units/150502001001/isolations").await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
}
both!(isolation_is_ordered_from_a_household_page);

/// Errors no handler made (an unknown path, a body or query that cannot be read, one too
/// large) are a page in the user's language with a way back, or the API's JSON.
async fn every_error_is_a_page_or_json(db: Db) {
    let t = TestApp::start(db).await;
    let leader = log_in_through_the_form(&t, "zh", "leader1").await;
    let missing = leader.get(t.url("/no/such/page")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let page = missing.text().await.unwrap();
    assert!(page.contains("没有这个页面") && page.contains("name=\"viewport\"") && page.contains("href=\"/\""), "{page}");
    let unreadable = leader.get(t.url(&format!("/rounds/{}?from=zz", uuid::Uuid::now_v7()))).send().await.unwrap();
    assert_eq!(unreadable.status(), 400);
    let page = unreadable.text().await.unwrap();
    assert!(page.contains("请求无法读取") && !page.contains("deserialize"), "{page}");
    let api = client("en");
    let response = api.post(t.url("/api/v1/login")).header("content-type", "application/json").body("{not json").send().await.unwrap();
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "bad_request", "{body}");
    assert!(body["message"].is_string() && body["detail"].is_string(), "{body}");
    let response = api.get(t.url("/api/v1/no-such-thing")).send().await.unwrap();
    assert_eq!(response.status(), 404);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "not_found", "{body}");
    let response = api.post(t.url("/api/v1/login")).header("content-type", "application/json").body(vec![b' '; 100 * 1024]).send().await.unwrap();
    assert_eq!(response.status(), 413);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "too_large", "{body}");
}
both!(every_error_is_a_page_or_json);

/// A map asked for a figure its list does not hold (an old bookmark) says so by the list, not
/// by the API's names, and keeps the day; a wrong day is said beside it.
#[tokio::test]
async fn a_map_of_an_unknown_figure_points_to_the_list() {
    let t = TestApp::start(Db::Sqlite).await;
    let hq = log_in_through_the_form(&t, "zh", "hq").await;
    let answer = hq.get(t.url("/units/150502/map?metric=sideways&date=2020-02-10")).send().await.unwrap();
    assert_eq!(answer.status(), 422);
    let page = answer.text().await.unwrap();
    assert!(page.contains("<li>按指标着色: 请从列表中选择一项</li>"), "{page}");
    assert!(!page.contains("checkin_rate、") && !page.contains("checkin rate"), "no API names: {page}");
    assert!(page.contains("name=\"date\" value=\"2020-02-10\""), "the day is kept: {page}");
    let page = hq.get(t.url("/units/150502/map?metric=sideways&date=zz")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("请从列表中选择一项") && page.contains("<li>日期: "), "both problems: {page}");
}

/// A poster printed from an address the public cannot reach says so on screen (not on
/// paper); with `--public-url` it carries that address and no warning.
async fn a_poster_warns_when_the_public_cannot_reach_its_address(db: Db) {
    let t = TestApp::start(db).await;
    let admin = t.client("admin").await;
    let (_, cp) = t
        .send(&admin, reqwest::Method::POST, "/api/v1/checkpoints", serde_json::json!({"unit_code": "150502001001", "name": "村口", "kind": "checkpoint"}))
        .await;
    let poster = format!("/checkpoints/{}/poster", cp["id"].as_str().unwrap());
    let page = admin.get(t.url(&poster)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"poster-warning\"") && page.contains("class=\"noprint warning\""), "127.0.0.1 is no address for the public");
    let page = admin.get(t.url(&poster)).header("host", "wangge.example.org").send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("poster-warning"), "a public name needs no warning");
    let t = TestApp::start_with(db, |app| app.settings.public_url = Some("https://wangge.example.org".into())).await;
    let admin = t.client("admin").await;
    let (_, cp) = t
        .send(&admin, reqwest::Method::POST, "/api/v1/checkpoints", serde_json::json!({"unit_code": "150502001001", "name": "村口", "kind": "checkpoint"}))
        .await;
    let page = admin.get(t.url(&format!("/checkpoints/{}/poster", cp["id"].as_str().unwrap()))).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("poster-warning") && page.contains("https://wangge.example.org/r/"), "{page}");
}
both!(a_poster_warns_when_the_public_cannot_reach_its_address);

/// The checkpoint's form: a passage that names nobody is refused rather than saved empty, and
/// a bad temperature keeps everything else that was typed.
async fn the_checkpoint_form_refuses_an_empty_passage_and_keeps_what_was_typed(db: Db) {
    let t = TestApp::start(db).await;
    let admin = t.client("admin").await;
    let (_, cp) = t
        .send(&admin, reqwest::Method::POST, "/api/v1/checkpoints", serde_json::json!({"unit_code": "150502001001", "name": "村口", "kind": "checkpoint"}))
        .await;
    let checkpoint = format!("/checkpoints/{}", cp["id"].as_str().unwrap());
    let staff = log_in_through_the_form(&t, "en", "checkpoint").await;
    let page = staff.get(t.url(&checkpoint)).send().await.unwrap().text().await.unwrap();
    let csrf = csrf_of(&page);
    let empty = [("_csrf", csrf.as_str()), ("direction", "in"), ("outcome", "passed"), ("id_number", ""), ("name", ""), ("temperature", "")];
    let refused = staff.post(t.url(&format!("{checkpoint}/passages"))).form(&empty).send().await.unwrap();
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("give an ID number, a name or a plate"));
    let (_, listed) = t.get(&admin, &format!("/api/v1{checkpoint}/passages")).await;
    assert_eq!(listed["items"], serde_json::json!([]), "nothing saved");
    let someone = crate::support::id_number("150502", 9);
    let hot = [("_csrf", csrf.as_str()), ("direction", "in"), ("outcome", "passed"), ("id_number", someone.as_str()), ("name", "王强"), ("temperature", "60")];
    let refused = staff.post(t.url(&format!("{checkpoint}/passages"))).form(&hot).send().await.unwrap();
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(page.contains(&format!("value=\"{someone}\"")) && page.contains("value=\"王强\""), "the ID number and name typed are kept");
}
both!(the_checkpoint_form_refuses_an_empty_passage_and_keeps_what_was_typed);

/// Issue 14, item 5: each account lands on the page of its day's work (a checkpoint account
/// with one checkpoint on that checkpoint) and no page it lands on offers a link it may not
/// follow.
async fn every_role_lands_on_its_work_and_sees_no_link_it_may_not_follow(db: Db) {
    let t = TestApp::start(db).await;
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    let (_, cp) = t
        .send(&admin, reqwest::Method::POST, "/api/v1/checkpoints", serde_json::json!({"unit_code": "150502001001", "name": "村口", "kind": "checkpoint"}))
        .await;
    let checkpoint = cp["id"].as_str().unwrap().to_string();
    // A passage of someone known, so that the checkpoint page has a person to link to.
    let staff = t.client("checkpoint").await;
    let body = serde_json::json!({"id_number": crate::support::id_number("150502", 1), "direction": "in", "outcome": "passed"});
    assert_eq!(t.send(&staff, reqwest::Method::POST, &format!("/api/v1/checkpoints/{checkpoint}/passages"), body).await.0, 201);
    for (login, ..) in crate::support::FIXTURE_ACCOUNTS {
        let browser = log_in_through_the_form(&t, "zh", login).await;
        let home = browser.get(t.url("/")).send().await.unwrap();
        let landed_at = home.headers()["location"].to_str().unwrap().to_string();
        let landed = browser.get(t.url(&landed_at)).send().await.unwrap();
        assert_eq!(landed.status(), 200, "{login} at {landed_at}");
        if login == "checkpoint" {
            assert_eq!(landed_at, format!("/checkpoints/{checkpoint}"), "the checkpoint account lands on its checkpoint");
        } else {
            assert!(landed_at.starts_with("/units/"), "{login} lands on its unit: {landed_at}");
        }
        let page = landed.text().await.unwrap();
        let links: std::collections::BTreeSet<&str> =
            page.split("href=\"").skip(1).filter_map(|rest| rest.split('"').next()).filter(|l| l.starts_with('/') && !l.starts_with("/static/")).collect();
        assert!(links.len() > 2, "{login}'s page has links: {links:?}");
        for link in links {
            let status = browser.get(t.url(link)).send().await.unwrap().status();
            assert_ne!(status, 403, "{login}'s first page links to {link}, which it may not open");
        }
        // The checkpoint's page, for those who may open it: its passages link to people only
        // for those who may read their time lines.
        let page = browser.get(t.url(&format!("/checkpoints/{checkpoint}"))).send().await.unwrap();
        if page.status() == 200 {
            let page = page.text().await.unwrap();
            for link in page.split("href=\"").skip(1).filter_map(|rest| rest.split('"').next()).filter(|l| l.starts_with("/people/")) {
                let status = browser.get(t.url(link)).send().await.unwrap().status();
                assert_ne!(status, 403, "{login}'s checkpoint page links to {link}, which it may not open");
            }
        }
    }
}
both!(every_role_lands_on_its_work_and_sees_no_link_it_may_not_follow);
