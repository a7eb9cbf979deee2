//! Issue 14's unfinished pages (items 7, 3, 8, 11, 12, 13): over real HTTP on both backends,
//! and in headless Chromium at 360 px.

use reqwest::Method;
use serde_json::{Value, json};

use crate::api_roster::find_household;
use crate::both;
use crate::support::{Db, PASSWORD, TestApp, client, id_number, sample_roster};

pub(crate) async fn page_client(t: &TestApp, lang: &str, login: &str) -> reqwest::Client {
    let c = client(lang);
    let response = c.post(t.url("/login")).form(&[("login", login), ("password", PASSWORD), ("next", "/")]).send().await.unwrap();
    assert_eq!(response.status(), 303, "log in as {login}");
    c
}

pub(crate) async fn html(t: &TestApp, c: &reqwest::Client, path: &str) -> String {
    let response = c.get(t.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

pub(crate) fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"_csrf\" value=\"").expect("a form token");
    html[at + 20..].split('"').next().unwrap().to_string()
}

async fn audit(t: &TestApp) -> Vec<Value> {
    let admin = t.client("admin").await;
    let (_, audit) = t.get(&admin, "/api/v1/audit?limit=1000").await;
    audit["items"].as_array().unwrap().clone()
}

/// The roster, household 001 held by member1, 张三 isolated and seen at a checkpoint:
/// (household, 张三's resident id, the order, 张三's person id).
pub(crate) async fn household_fixture(t: &TestApp) -> (String, String, String, String) {
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    let leader = t.client("leader1").await;
    let household = find_household(t, &leader, "150502001001001", "001").await["id"].as_str().unwrap().to_string();
    let (status, body) = t.send(&leader, Method::PUT, &format!("/api/v1/households/{household}/member"), json!({"login": "member1"})).await;
    assert!(status < 300, "{body}");
    let (_, record) = t.get(&leader, &format!("/api/v1/households/{household}")).await;
    let zhang = record["residents"].as_array().unwrap().iter().find(|r| r["name"] == "张三").unwrap()["id"].as_str().unwrap().to_string();
    let (status, order) = t.send(&leader, Method::POST, "/api/v1/isolations", json!({"resident_id": zhang, "kind": "home", "reason": "key_area"})).await;
    assert_eq!(status, 201, "{order}");
    let (status, cp) = t
        .send(
            &leader,
            Method::POST,
            "/api/v1/checkpoints",
            json!({"unit_code": "150502001001", "name": "和平路卡点", "kind": "checkpoint", "lat": 43.62, "lon": 122.26}),
        )
        .await;
    assert_eq!(status, 201, "{cp}");
    let staff = t.client("checkpoint").await;
    let (status, passage) = t
        .send(
            &staff,
            Method::POST,
            &format!("/api/v1/checkpoints/{}/passages", cp["id"].as_str().unwrap()),
            json!({"id_number": id_number("150502", 1), "direction": "in", "temperature": 36.5, "outcome": "passed"}),
        )
        .await;
    assert_eq!(status, 201, "{passage}");
    (household, zhang, order["id"].as_str().unwrap().to_string(), passage["person_id"].as_str().unwrap().to_string())
}

/// Item 7: the household page links each resident to their isolation order and time line,
/// makes the household's check-in link (audited), and dials phones; the member who holds a
/// household sees its numbers in full on the check-in list (audited), others masked.
async fn the_household_page_links_and_dials(db: Db) {
    let t = TestApp::start(db).await;
    t.clock.set("2020-02-01T08:00");
    let (household, _, order, person) = household_fixture(&t).await;

    let leader = page_client(&t, "zh", "leader1").await;
    let page = html(&t, &leader, &format!("/households/{household}")).await;
    assert!(page.contains(&format!("href=\"/people/{person}\"")), "the time line: {page}");
    assert!(page.contains(&format!("href=\"/isolations/{order}\"")) && page.contains("隔离中"), "the order: {page}");
    assert!(page.contains("href=\"tel:13812345678\""), "phones dial");
    assert!(!page.contains("/c/"), "no link until one is asked for");

    // The check-in link, made from the page, opens the household's form; asked again, the
    // same link; both audited as through the API.
    let form = [("_csrf", csrf_of(&page))];
    let made = leader.post(t.url(&format!("/households/{household}/checkin-link"))).form(&form).send().await.unwrap();
    assert_eq!(made.status(), 200);
    let made = made.text().await.unwrap();
    let url = made.split("id=\"checkin-url\">").nth(1).expect("the link on the page").split('<').next().unwrap().to_string();
    let path = format!("/c/{}", url.split("/c/").nth(1).unwrap());
    assert!(made.contains("<svg"), "with its QR code");
    assert!(made.contains("id=\"link-warning\""), "a loopback address is warned about");
    let public = client("zh").get(t.url(&path)).send().await.unwrap();
    assert_eq!(public.status(), 200);
    assert!(public.text().await.unwrap().contains("张三"));
    let again = leader.post(t.url(&format!("/households/{household}/checkin-link"))).form(&form).send().await.unwrap().text().await.unwrap();
    assert!(again.contains(&url), "the same link");
    let refused = leader.post(t.url(&format!("/households/{household}/checkin-link"))).form(&[("_csrf", "wrong")]).send().await.unwrap();
    assert_eq!(refused.status(), 403, "not without the form's token");
    let log = audit(&t).await;
    let link_entries: Vec<&str> =
        log.iter().filter(|e| e["entity"] == "checkin_link" && e["actor"] == "leader1").map(|e| e["action"].as_str().unwrap()).collect();
    assert!(link_entries.contains(&"create") && link_entries.contains(&"read"), "{link_entries:?}");

    // A link handed to the wrong person is replaced from the page: the old one stops working
    // at once, the new one opens the form, and the change is audited.
    assert!(made.contains("id=\"renew-link-form\""), "the page offers a new link once there is one");
    let renewed =
        leader.post(t.url(&format!("/households/{household}/checkin-link"))).form(&[("_csrf", csrf_of(&page).as_str()), ("renew", "1")]).send().await.unwrap();
    assert_eq!(renewed.status(), 200);
    let renewed = renewed.text().await.unwrap();
    let new_url = renewed.split("id=\"checkin-url\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    assert_ne!(new_url, url);
    assert_eq!(client("zh").get(t.url(&path)).send().await.unwrap().status(), 404, "the old link is dead");
    let new_path = format!("/c/{}", new_url.split("/c/").nth(1).unwrap());
    assert_eq!(client("zh").get(t.url(&new_path)).send().await.unwrap().status(), 200);
    assert!(audit(&t).await.iter().any(|e| e["entity"] == "checkin_link" && e["action"] == "update" && e["actor"] == "leader1"));
    // Through the API too, and only inside the caller's subtree.
    let api_leader = t.client("leader1").await;
    let (status, link) = t.send(&api_leader, Method::POST, &format!("/api/v1/households/{household}/checkin-link?renew=true"), Value::Null).await;
    assert_eq!(status, 200, "{link}");
    assert!(!link["url"].as_str().unwrap().ends_with(new_path.as_str()), "another new link: {link}");
    assert_eq!(client("zh").get(t.url(&new_path)).send().await.unwrap().status(), 404);
    let outsider = t.client("leader2").await;
    let (status, _) = t.send(&outsider, Method::POST, &format!("/api/v1/households/{household}/checkin-link?renew=true"), Value::Null).await;
    assert_eq!(status, 404, "another village's leader cannot kill this household's link");

    // The member who holds 001 sees its numbers in full on the check-in list, and dials them;
    // 002 (not theirs) stays masked; the grid leader sees them all masked.
    let member = page_client(&t, "zh", "member1").await;
    let list = html(&t, &member, "/units/150502001001001/checkins").await;
    assert!(list.contains("href=\"tel:13812345678\""), "{list}");
    assert!(list.contains("139****5678") && !list.contains("13912345678"), "{list}");
    let list = html(&t, &leader, "/units/150502001001001/checkins").await;
    assert!(list.contains("138****5678") && !list.contains("13812345678"), "{list}");
    let log = audit(&t).await;
    let shown: Vec<&Value> = log.iter().filter(|e| e["actor"] == "member1" && e["entity"] == "household" && e["action"] == "read").collect();
    assert_eq!(shown.len(), 1, "one entry for the one household whose numbers were shown: {shown:?}");
    assert_eq!(shown[0]["entity_id"], household.as_str());
    assert!(!log.iter().any(|e| e["actor"] == "leader1" && e["detail"].as_str().unwrap().contains("phones")));
}
both!(the_household_page_links_and_dials);

/// Logs in through the login form of a fresh browser (Chinese, 360 px).
pub(crate) async fn browser_login(t: &TestApp, client: &fantoccini::Client, login: &str) {
    client.goto(&t.url("/login")).await.unwrap();
    let form = client.form(fantoccini::Locator::Css("form.stack")).await.unwrap();
    form.set_by_name("login", login).await.unwrap().set_by_name("password", PASSWORD).await.unwrap().submit().await.unwrap();
    for _ in 0..100 {
        if !client.current_url().await.unwrap().path().starts_with("/login") {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("{login} did not log in");
}

/// Item 7 on a phone: the member who holds a household makes its check-in link and dials
/// the people who have not reported.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_hands_out_the_link_and_dials_on_a_phone() {
    use crate::browser::{browser, eventually, no_sideways_scroll, screenshot};
    use fantoccini::Locator;
    let t = TestApp::start(Db::Sqlite).await;
    t.clock.set("2020-02-01T08:00");
    let (household, _, order, _) = household_fixture(&t).await;
    let profile = tempfile::tempdir().unwrap();
    let (_driver, client) = browser(profile.path()).await;
    let result = async {
        browser_login(&t, &client, "member1").await;
        client.goto(&t.url(&format!("/households/{household}"))).await.unwrap();
        let tel = client.find(Locator::Css("#residents a[href^='tel:']")).await.unwrap();
        assert_eq!(tel.attr("href").await.unwrap().as_deref(), Some("tel:13812345678"));
        let order_link = client.find(Locator::Css("#residents a.isolation")).await.unwrap();
        assert_eq!(order_link.attr("href").await.unwrap(), Some(format!("/isolations/{order}")));
        assert!(client.find(Locator::Css("#residents a.person")).await.is_err(), "a grid member reads no time lines: no link");
        no_sideways_scroll(&client, "household (member)").await;
        client.find(Locator::Css("#checkin-link button")).await.unwrap().click().await.unwrap();
        eventually(&client, "#checkin-url", "/c/").await;
        no_sideways_scroll(&client, "household with its check-in link").await;
        screenshot(&client, "household-checkin-link").await;

        client.goto(&t.url("/units/150502001001001/checkins")).await.unwrap();
        let tel = client.find(Locator::Css("#missing a.tel")).await.unwrap();
        assert_eq!(tel.attr("href").await.unwrap().as_deref(), Some("tel:13812345678"));
        no_sideways_scroll(&client, "check-ins (member)").await;
        screenshot(&client, "checkins-member").await;
        client.goto(&t.url("/lang/en")).await.unwrap();
        client.goto(&t.url(&format!("/households/{household}"))).await.unwrap();
        eventually(&client, "#residents", "in isolation").await;
        no_sideways_scroll(&client, "household (en)").await;
    }
    .await;
    client.close().await.unwrap();
    result
}

/// A roster of 270 residents in 135 households of 一组 (和平社区).
pub(crate) fn big_roster() -> String {
    let (surnames, given) = (['张', '王', '李', '赵', '刘', '陈', '杨', '黄', '吴'], ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十']);
    let mut rows = Vec::new();
    for i in 0..270usize {
        let county = ["150502", "150521", "110105"][i / 90];
        let name = format!("{}{}{}", surnames[i % 9], given[(i / 9) % 10], given[(i / 90) % 10]);
        let household = format!("{:03}", i / 2 + 1);
        let relation = if i % 2 == 0 { "户主" } else { "配偶" };
        rows.push((household, name, id_number(county, (i % 90 + 1) as u16), relation));
    }
    let rows: Vec<(&str, &str, &str, &str, &str, &str, &str)> =
        rows.iter().map(|(h, n, id, r)| (h.as_str(), n.as_str(), id.as_str(), *r, "", "150502001001001", "常住")).collect();
    crate::support::roster_csv(&rows)
}

pub(crate) fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    html.split(start).nth(1).unwrap_or_else(|| panic!("{start} in {html}")).split(end).next().unwrap()
}

fn missing_rows(html: &str) -> usize {
    html.matches("<li class=\"missing\"").count()
}

/// Item 3: the lists that were cut say how many there are in all and page through them.
async fn long_lists_say_how_many_and_page(db: Db) {
    let t = TestApp::start(db).await;
    t.clock.set("2020-02-01T08:00");
    let admin = t.client("admin").await;
    let (status, body) = t.upload_roster(&admin, "150502001", "text/csv", big_roster().into_bytes()).await;
    assert_eq!(status, 200, "{body}");

    // The county's missing check-ins: 270 in all, 200 a page.
    let hq = page_client(&t, "zh", "hq").await;
    let first = html(&t, &hq, "/units/150502/checkins").await;
    assert_eq!(missing_rows(&first), 200);
    let pager = between(&first, "id=\"missing-pager\">", "</p>");
    assert!(pager.contains("第 1–200 条，共 270 条"), "{pager}");
    let next = between(pager, "href=\"", "\"").replace("&#38;", "&");
    assert_eq!(next, "/units/150502/checkins?from=200");
    let second = html(&t, &hq, &next).await;
    assert_eq!(missing_rows(&second), 70);
    let pager = between(&second, "id=\"missing-pager\">", "</p>");
    assert!(pager.contains("第 201–270 条，共 270 条") && pager.contains("rel=\"prev\"") && !pager.contains("rel=\"next\""), "{pager}");
    let first_names: Vec<&str> = first.split("<li class=\"missing\"").skip(1).map(|li| between(li, "\">", "</a>")).collect();
    assert!(second.split("<li class=\"missing\"").skip(1).all(|li| !first_names.contains(&between(li, "\">", "</a>"))), "no one twice");
    let (_, api) = t.get(&admin, "/api/v1/units/150502/checkins?from=250&limit=100").await;
    assert_eq!(api["missing"].as_array().unwrap().len(), 20);
    assert_eq!(api["missing_count"], 270);

    // A round's unvisited households: 135 in all, 100 a page; English too.
    let (status, round) = t.send(&admin, Method::POST, "/api/v1/units/150502001001/rounds", json!({"name": "春节返乡排查"})).await;
    assert_eq!(status, 201, "{round}");
    let en = page_client(&t, "en", "leader1").await;
    let path = format!("/rounds/{}?unit=150502001001", round["id"].as_str().unwrap());
    let sheet = html(&t, &en, &path).await;
    let pager = between(&sheet, "id=\"unvisited-pager\">", "</p>");
    assert!(pager.contains("1–100 of 135"), "{pager}");
    let next = between(pager, "href=\"", "\"").replace("&#38;", "&");
    let rest = html(&t, &en, &next).await;
    assert!(between(&rest, "id=\"unvisited-pager\">", "</p>").contains("101–135 of 135"), "{next}: {}", between(&rest, "id=\"unvisited-pager\">", "</p>"));
    assert_eq!(rest.matches("action=\"/rounds/").count(), 35);

    // A short list says how many it has.
    let returnees = html(&t, &en, "/units/150502001001/returnees").await;
    assert!(between(&returnees, "id=\"returnees-pager\">", "</p>").contains("0 in all"));
}
both!(long_lists_say_how_many_and_page);

/// Item 3 at a checkpoint: a busy day's passages page through all of them, and the API says
/// how many there are beside each page.
async fn a_busy_checkpoint_pages_its_passages(db: Db) {
    let t = TestApp::start(db).await;
    t.clock.set("2020-02-01T08:00");
    let admin = t.client("admin").await;
    let (status, cp) = t.send(&admin, Method::POST, "/api/v1/checkpoints", json!({"unit_code": "150502001", "name": "东卡点", "kind": "checkpoint"})).await;
    assert_eq!(status, 201, "{cp}");
    let id = cp["id"].as_str().unwrap().to_string();
    let staff = t.client("checkpoint").await;
    for n in 0..105 {
        // Names hold no digits: the number in Chinese numerals.
        let name: String = format!("过客{n}").chars().map(|c| c.to_digit(10).map_or(c, |d| "零一二三四五六七八九".chars().nth(d as usize).unwrap())).collect();
        let passage = json!({"name": name, "direction": "in", "temperature": 36.5, "outcome": "passed"});
        let (status, body) = t.send(&staff, Method::POST, &format!("/api/v1/checkpoints/{id}/passages"), passage).await;
        assert_eq!(status, 201, "{body}");
        t.clock.advance(chrono::Duration::seconds(30));
    }

    let page = html(&t, &page_client(&t, "zh", "checkpoint").await, &format!("/checkpoints/{id}")).await;
    let shown = |html: &str| html.matches("<li class=\"passage").count();
    assert_eq!(shown(&page), 100);
    assert!(between(&page, "id=\"passages-title\"", "</h2>").contains("<small>105</small>"), "the heading counts them all");
    let pager = between(&page, "id=\"passages-pager\">", "</p>");
    assert!(pager.contains("第 1–100 条，共 105 条"), "{pager}");
    let next = between(pager, "href=\"", "\"").replace("&#38;", "&");
    assert_eq!(next, format!("/checkpoints/{id}?from=100"));
    let rest = html(&t, &page_client(&t, "en", "checkpoint").await, &next).await;
    assert_eq!(shown(&rest), 5);
    assert!(rest.contains("过客零<") && !page.contains("过客零<"), "the oldest are on the last page");
    assert!(between(&rest, "id=\"passages-pager\">", "</p>").contains("101–105 of 105"));

    let (_, api) = t.get(&staff, &format!("/api/v1/checkpoints/{id}/passages?offset=100")).await;
    assert_eq!((api["items"].as_array().unwrap().len(), api["total"].as_i64()), (5, Some(105)), "{api}");
    let (_, pending) = t.get(&staff, &format!("/api/v1/checkpoints/{id}/registrations")).await;
    assert_eq!(pending["total"], 0, "{pending}");
}
both!(a_busy_checkpoint_pages_its_passages);

/// Item 3 on a phone: the county's missing list pages through all of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_missing_list_pages_on_a_phone() {
    use crate::browser::{browser, eventually, no_sideways_scroll, screenshot};
    use fantoccini::Locator;
    let t = TestApp::start(Db::Sqlite).await;
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", big_roster().into_bytes()).await.0, 200);
    let profile = tempfile::tempdir().unwrap();
    let (_driver, client) = browser(profile.path()).await;
    let result = async {
        browser_login(&t, &client, "hq").await;
        client.goto(&t.url("/units/150502/checkins")).await.unwrap();
        eventually(&client, "#missing-pager", "第 1–200 条，共 270 条").await;
        no_sideways_scroll(&client, "missing list").await;
        screenshot(&client, "missing-pager").await;
        client.find(Locator::Css("#missing-pager a[rel=next]")).await.unwrap().click().await.unwrap();
        eventually(&client, "#missing-pager", "第 201–270 条").await;
        no_sideways_scroll(&client, "missing list, second page").await;
    }
    .await;
    client.close().await.unwrap();
    result
}

/// Item 8: the audit log says in words what was done to which record and by whom, in both
/// languages, filtered by who, what and when; key areas and organisations show names.
async fn records_show_names_not_codes(db: Db) {
    let t = TestApp::start(db).await;
    t.clock.set("2020-02-01T08:00");
    let (household, ..) = household_fixture(&t).await;
    let admin = t.client("admin").await;
    let (status, body) = t
        .send(
            &admin,
            Method::POST,
            "/api/v1/accounts",
            json!({"login": "wangzr", "password": "river stone lantern 7", "role": "hq", "unit_code": "150502", "display_name": "王主任"}),
        )
        .await;
    assert!(status < 300, "{body}");
    let wang = client("zh");
    let response = wang.post(t.url("/login")).form(&[("login", "wangzr"), ("password", "river stone lantern 7"), ("next", "/")]).send().await.unwrap();
    assert_eq!(response.status(), 303);
    html(&t, &wang, &format!("/households/{household}")).await;

    let zh = page_client(&t, "zh", "admin").await;
    let log = html(&t, &zh, "/audit").await;
    assert!(log.contains("<b class=\"who\">王主任</b> <span class=\"what\">查看 住户 <i class=\"record\">001 张三</i>"), "{log}");
    assert!(log.contains("<b class=\"who\">命令行</b>"), "the command line in words: {log}");
    assert!(!log.contains(&format!("read household {household}")) && !log.contains(">read<") && !log.contains(">household<"), "{log}");
    assert!(!log.contains("{}"), "no empty details");
    let en = page_client(&t, "en", "admin").await;
    let log = html(&t, &en, "/audit").await;
    assert!(log.contains("<b class=\"who\">王主任</b> <span class=\"what\">viewed the household <i class=\"record\">001 张三</i>"), "{log}");

    // Filters: by whom (name or login), what, when.
    let by_wang = html(&t, &zh, &format!("/audit?who={}&what=&from=&to=", crate::support::url_encode("王主任"))).await;
    assert!(by_wang.matches("<li class=\"entry\">").count() >= 2, "{by_wang}");
    assert!(by_wang.split("<b class=\"who\">").skip(1).all(|w| w.starts_with("王主任<")), "{by_wang}");
    let by_login = html(&t, &zh, "/audit?who=wangzr").await;
    assert_eq!(by_login.matches("<li class=\"entry\">").count(), by_wang.matches("<li class=\"entry\">").count());
    let households = html(&t, &zh, "/audit?what=household").await;
    assert!(households.split("<span class=\"what\">").skip(1).all(|w| w.contains("住户")), "{households}");
    assert!(html(&t, &zh, "/audit?from=2020-02-01&to=2020-02-01").await.contains("001 张三"));
    assert!(!html(&t, &zh, "/audit?from=2020-02-02&to=2020-12-31").await.contains("class=\"entry\""), "nothing happened on those days");
    let bad = zh.get(t.url("/audit?from=2020-13-45")).send().await.unwrap();
    assert_eq!(bad.status(), 422);
    let (_, api) = t.get(&admin, "/api/v1/audit?who=wangzr&what=household").await;
    assert_eq!(api["total"].as_u64(), Some(api["items"].as_array().unwrap().len() as u64), "{api}");
    assert_eq!(api["more"], false);
    // The log says how many entries it holds in all, past the page it shows.
    let (_, everything) = t.get(&admin, "/api/v1/audit?limit=1").await;
    let total = everything["total"].as_i64().unwrap();
    assert!(total > 10 && everything["items"].as_array().unwrap().len() == 1, "{everything}");
    assert!(html(&t, &zh, "/audit").await.contains(&format!("<p class=\"count\" id=\"audit-total\">共 {total} 条</p>")));
    assert_eq!(api["items"][0]["actor_name"], "王主任");
    assert_eq!(api["items"][0]["label"], "001 张三");

    // A key area by its code shows the province's name; an organisation its own name and kind.
    let hq = t.client("hq").await;
    let (status, area) = t.send(&hq, Method::POST, "/api/v1/key-areas", json!({"area": "42", "valid_from": "2020-01-20"})).await;
    assert!(status < 300, "{area}");
    let hq_page = page_client(&t, "zh", "hq").await;
    let areas = html(&t, &hq_page, "/key-areas").await;
    assert!(areas.contains("<b>湖北省</b>"), "{areas}");
    let (status, org) = t.send(&hq, Method::POST, "/api/v1/organisations", json!({"unit_code": "150502", "name": "区教育局", "kind": "bureau"})).await;
    assert!(status < 300, "{org}");
    let org_page = html(&t, &hq_page, &format!("/organisations/{}", org["id"].as_str().unwrap())).await;
    assert!(org_page.contains("<h1 id=\"org-name\">区教育局 <small>机关单位"), "{org_page}");
    let unit = html(&t, &hq_page, "/units/150502").await;
    assert!(unit.contains("区教育局</a> · 机关单位") && !unit.contains("· bureau"), "{unit}");
}
both!(records_show_names_not_codes);

/// Item 8 on a phone: the audit log filtered by who, in words.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_reads_and_filters_on_a_phone() {
    use crate::browser::{browser, eventually, no_sideways_scroll, screenshot};
    let t = TestApp::start(Db::Sqlite).await;
    household_fixture(&t).await;
    let profile = tempfile::tempdir().unwrap();
    let (_driver, client) = browser(profile.path()).await;
    let result = async {
        browser_login(&t, &client, "admin").await;
        client.goto(&t.url("/audit")).await.unwrap();
        eventually(&client, "#audit", "命令行").await;
        no_sideways_scroll(&client, "audit log").await;
        let form = client.form(fantoccini::Locator::Css("#audit-filter")).await.unwrap();
        form.set_by_name("who", "leader1").await.unwrap().submit().await.unwrap();
        eventually(&client, "#audit", "leader1 新建 隔离单 张三").await;
        no_sideways_scroll(&client, "audit log, filtered").await;
        screenshot(&client, "audit-filtered").await;
    }
    .await;
    client.close().await.unwrap();
    result
}

/// Walk findings: a round's page opened without a unit (as a task's link gives it) shows the
/// caller's own unit; a role that may not read the audit log is refused (403), not shown its
/// form; relations read in English on English pages; the accounts list names units the
/// picker does not list (an area too large to list every unit).
async fn pages_opened_as_links_give_them(db: Db) {
    let t = TestApp::start(db).await;
    t.clock.set("2020-02-01T08:00");
    let (household, ..) = household_fixture(&t).await;
    let hq = t.client("hq").await;
    let (status, round) = t.send(&hq, Method::POST, "/api/v1/units/150502001/rounds", json!({"name": "春节返乡排查"})).await;
    assert_eq!(status, 201, "{round}");
    let leader = page_client(&t, "zh", "leader1").await;
    let sheet = html(&t, &leader, &format!("/rounds/{}", round["id"].as_str().unwrap())).await;
    assert!(sheet.contains("和平社区") && sheet.contains("春节返乡排查"), "the leader's own village: {sheet}");

    let refused = leader.get(t.url("/audit")).send().await.unwrap();
    assert_eq!(refused.status(), 403);
    assert!(!refused.text().await.unwrap().contains("id=\"audit-filter\""), "no form to fill in");

    let en = page_client(&t, "en", "leader1").await;
    let page = html(&t, &en, &format!("/households/{household}")).await;
    assert!(page.contains("<td>head</td>") && !page.contains("<td>户主</td>"), "{page}");
    let zh = html(&t, &leader, &format!("/households/{household}")).await;
    assert!(zh.contains("<td>户主</td>"), "{zh}");

    // 900 villager groups under 和平社区: more than the picker lists, so the groups are typed.
    let mut units = String::from("code,name,parent_code\n");
    for n in 0..900 {
        units.push_str(&format!("150502001001{:03},第{n}组,150502001001\n", 100 + n));
    }
    let root = t.app.system_caller(wangge::domain::UnitPath::root());
    wangge::app::divisions::import(&t.app, &root, &[("units".into(), units.into_bytes())]).await.unwrap();
    let deep = wangge::app::accounts::NewUser { login: "deep", password: PASSWORD, role: "grid_member", unit_code: "150502001001999", display_name: "" };
    wangge::app::accounts::add_user(&t.app, &root, deep).await.unwrap();
    let admin = page_client(&t, "zh", "admin").await;
    let list = html(&t, &admin, "/accounts").await;
    assert!(list.contains("name=\"unit_code_typed\""), "the picker does not list every unit: {list}");
    assert!(list.contains("<a href=\"/units/150502001001999\">第899组</a>"), "{list}");
    assert!(!list.contains(">150502001001999<"), "no code for a name");
}
both!(pages_opened_as_links_give_them);
