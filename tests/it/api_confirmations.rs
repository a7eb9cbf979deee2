//! The daily sign-off (日报告、零报告) through HTTP with a clock the test moves: village, then
//! township, then county, each refusal naming the units below that have not confirmed; a zero
//! report; refusals of a future day, another unit's day and roles that attest to nothing; the
//! deadline's task, its climb up the grid and its close; "changed since confirmation"; and
//! each role's landing page.

use fantoccini::Locator;
use reqwest::Method;
use serde_json::{Value, json};
use wangge::app::accounts::{self, NewUser};
use wangge::domain::UnitPath;

use crate::both;
use crate::browser::{browser, no_sideways_scroll, screenshot, text, wait_for_path};
use crate::support::{Db, PASSWORD, TestApp, id_number, sample_roster};

/// A township HQ over 科尔沁街道 (the fixture has none), and one over another county.
async fn add_accounts(t: &TestApp) {
    let root = t.app.system_caller(UnitPath::root());
    for (login, unit) in [("township", "150502001"), ("other-county", "150521")] {
        accounts::add_user(&t.app, &root, NewUser { login, password: PASSWORD, role: "hq", unit_code: unit, display_name: "" }).await.unwrap();
    }
}

async fn confirm(t: &TestApp, login: &str, unit: &str, day: &str) -> (u16, Value) {
    let c = t.client(login).await;
    t.send(&c, Method::POST, &format!("/api/v1/units/{unit}/reports/{day}/confirm"), Value::Null).await
}

fn today(t: &TestApp) -> String {
    t.local(0)[..10].to_string()
}

async fn board(t: &TestApp, login: &str, unit: &str, day: &str) -> Value {
    let c = t.client(login).await;
    let (status, board) = t.get(&c, &format!("/api/v1/units/{unit}/dashboard?date={day}")).await;
    assert_eq!(status, 200, "{board}");
    board
}

async fn a_day_is_signed_off_village_then_township_then_county(db: Db) {
    let t = TestApp::start(db).await;
    add_accounts(&t).await;
    let day = today(&t);

    // 零报告: nothing has happened in 和平社区, and its leader confirms that.
    let (status, done) = confirm(&t, "leader1", "150502001001", &day).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["confirmed_by"], "leader1");
    assert!(done["figures"].as_object().unwrap().values().all(|v| v == 0), "every figure zero: {done}");

    // The township waits for 胜利社区, and says so; the county waits for the township.
    let (status, refused) = confirm(&t, "township", "150502001", &day).await;
    assert_eq!(status, 422, "{refused}");
    let message = refused["message"].as_str().unwrap();
    assert!(message.contains("胜利社区") && !message.contains("和平社区"), "names only the village not yet confirmed: {message}");
    let (status, refused) = confirm(&t, "hq", "150502", &day).await;
    assert_eq!(status, 422);
    assert!(refused["message"].as_str().unwrap().contains("科尔沁街道"), "{refused}");
    let waiting = board(&t, "hq", "150502001", &day).await;
    assert_eq!(waiting["confirmation"]["waiting"], json!(["胜利社区"]));
    assert_eq!(waiting["confirmation"]["may_confirm"], false, "hq's own unit is the county");

    assert_eq!(confirm(&t, "leader2", "150502001002", &day).await.0, 200);
    let (status, done) = confirm(&t, "township", "150502001", &day).await;
    assert_eq!(status, 200, "{done}");
    let (status, done) = confirm(&t, "hq", "150502", &day).await;
    assert_eq!(status, 200, "{done}");

    // The county's dashboard shows who confirmed, and each child's confirmation.
    let county = board(&t, "hq", "150502", &day).await;
    assert_eq!(county["confirmation"]["confirmed"]["confirmed_by"], "hq", "{county}");
    assert_eq!(county["confirmation"]["confirmed"]["changes"], json!([]));
    let street = county["children"].as_array().unwrap().iter().find(|c| c["code"] == "150502001").unwrap();
    assert_eq!(street["confirmation"]["confirmed_by"], "township");

    // A future day; another unit's day (in or out of the caller's area); roles that attest to nothing.
    let tomorrow = (chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap() + chrono::Duration::days(1)).to_string();
    let (status, refused) = confirm(&t, "leader1", "150502001001", &tomorrow).await;
    assert_eq!(status, 422);
    assert!(refused["message"].as_str().unwrap().to_lowercase().contains("date"), "{refused}");
    let (status, refused) = confirm(&t, "hq", "150502001001", &day).await;
    assert_eq!(status, 422, "HQ does not confirm a village's day for it: {refused}");
    assert_eq!(confirm(&t, "leader1", "150521100200", &day).await.0, 404, "another county's village");
    assert_eq!(confirm(&t, "other-county", "150502", &day).await.0, 404, "another county");
    assert_eq!(confirm(&t, "leader1", "150502001009", &day).await.0, 404, "no such village");
    // A day stays open for a week: no further back than that (probe finding 1).
    let back = |days: i64| (chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap() - chrono::Duration::days(days)).to_string();
    let (status, refused) = confirm(&t, "leader1", "150502001001", &back(7)).await;
    assert_eq!(status, 422, "{refused}");
    assert!(refused["message"].as_str().unwrap().contains(&back(6)), "names the first day open: {refused}");
    assert_eq!(confirm(&t, "leader1", "150502001001", "2020-01-01").await.0, 422, "last year's report");
    assert_eq!(confirm(&t, "leader2", "150502001002", &back(6)).await.0, 200, "six days back is still open");
    for login in ["admin", "inspector", "member1", "checkpoint"] {
        assert_eq!(confirm(&t, login, "150502", &day).await.0, 403, "{login}");
    }
    assert_eq!(confirm(&t, "leader1", "150502001001", "2020-02-30").await.0, 422, "no such day");
    let other = board(&t, "other-county", "150521", &day).await;
    assert!(other["confirmation"]["confirmed"].is_null(), "nothing written by the refusals: {other}");
    assert_eq!(other["confirmation"]["waiting"], json!(["保康镇"]));

    // Confirming again replaces the confirmation; the audit log keeps the one replaced.
    t.clock.advance(chrono::Duration::minutes(5));
    let (status, again) = confirm(&t, "leader1", "150502001001", &day).await;
    assert_eq!(status, 200, "{again}");
    let admin = t.client("admin").await;
    let (_, audit) = t.get(&admin, "/api/v1/audit?what=report").await;
    let confirms: Vec<&Value> = audit["items"].as_array().unwrap().iter().filter(|e| e["action"] == "confirm" && e["entity"] == "report").collect();
    assert_eq!(confirms.len(), 6, "every confirmation audited: {confirms:?}");
    let replaced = |e: &&Value| serde_json::from_str::<Value>(e["detail"].as_str().unwrap()).unwrap()["replaced"]["confirmed_by"] == "leader1";
    assert!(confirms.iter().any(replaced), "the replaced confirmation is kept: {confirms:?}");
}
both!(a_day_is_signed_off_village_then_township_then_county);

async fn a_later_fact_shows_as_changed_since_confirmation(db: Db) {
    let t = TestApp::start(db).await;
    // Mid-morning: the returnee's arrival an hour ago falls on the same day (run just after
    // local midnight, the real clock put it on the day before).
    t.clock.set(&format!("{}T10:00", &t.local(0)[..10]));
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    let day = today(&t);
    assert_eq!(confirm(&t, "leader1", "150502001001", &day).await.0, 200);
    let village = board(&t, "leader1", "150502001001", &day).await;
    assert_eq!(village["confirmation"]["confirmed"]["figures"]["residents"], 6, "the figures as confirmed");
    assert_eq!(village["confirmation"]["confirmed"]["changes"], json!([]));

    // A returnee arrives that day, registered after the confirmation.
    let leader = t.client("leader1").await;
    let household = crate::api_roster::find_household(&t, &leader, "150502001001002", "003").await["id"].as_str().unwrap().to_string();
    let (status, body) = t
        .send(
            &leader,
            Method::POST,
            "/api/v1/returnees",
            json!({"id_number": id_number("150502", 50), "name": "钱八", "household_id": household, "origin": "北京", "arrived_at": t.local(-60), "transport": "train"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let village = board(&t, "leader1", "150502001001", &day).await;
    let changes = village["confirmation"]["confirmed"]["changes"].as_array().unwrap().clone();
    assert!(changes.contains(&json!({"figure": "returnees_arrived", "confirmed": 0, "now": 1})), "{changes:?}");
    assert!(changes.contains(&json!({"figure": "totals.returnees", "confirmed": 0, "now": 1})), "{changes:?}");
    assert!(!changes.iter().any(|c| c["figure"] == "residents"), "the roster stands as it is now, no change of the day: {changes:?}");
    // The page says it with both numbers; the township's page flags the village.
    let page = leader.get(t.url(&format!("/units/150502001001/dashboard?date={day}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"signoff-changes\"") && page.contains("data-figure=\"returnees_arrived\""), "{page}");
    let hq = t.client("hq").await;
    let page = hq.get(t.url(&format!("/units/150502001/dashboard?date={day}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"signoff-children\"") && page.contains("/units/150502001001/dashboard?date="), "{page}");
    // Confirming again takes the day as it now is.
    assert_eq!(confirm(&t, "leader1", "150502001001", &day).await.0, 200);
    let village = board(&t, "leader1", "150502001001", &day).await;
    assert_eq!(village["confirmation"]["confirmed"]["changes"], json!([]));
}
both!(a_later_fact_shows_as_changed_since_confirmation);

async fn tasks(t: &TestApp, login: &str) -> Vec<Value> {
    let c = t.client(login).await;
    let (status, body) = t.get(&c, "/api/v1/tasks").await;
    assert_eq!(status, 200, "{body}");
    body["items"].as_array().unwrap().clone()
}

fn of_kind<'a>(tasks: &'a [Value], kind: &str) -> Vec<&'a Value> {
    tasks.iter().filter(|t| t["kind"] == kind).collect()
}

async fn sweep(t: &TestApp) {
    wangge::app::tasks::sweep(&t.app).await.unwrap();
}

async fn an_unconfirmed_day_is_a_task_after_the_deadline_and_climbs_until_confirmed(db: Db) {
    let t = TestApp::start(db).await;
    add_accounts(&t).await;
    // The fixture's units were set up today: they owe reports from tomorrow on.
    let day = (chrono::NaiveDate::parse_from_str(&today(&t), "%Y-%m-%d").unwrap() + chrono::Duration::days(1)).to_string();
    t.clock.set(&format!("{day}T17:59"));
    assert!(of_kind(&tasks(&t, "leader1").await, "report_unconfirmed").is_empty(), "not due before 18:00, and not owed for the day the unit was set up");
    t.clock.set(&format!("{day}T18:00"));
    let mine = tasks(&t, "leader1").await;
    let owed = of_kind(&mine, "report_unconfirmed");
    assert_eq!(owed.len(), 1, "{mine:?}");
    assert_eq!(owed[0]["link"], format!("/units/150502001001/dashboard?date={day}#signoff"));
    assert_eq!(of_kind(&tasks(&t, "township").await, "report_unconfirmed").len(), 1, "the township owes its own");
    assert!(of_kind(&tasks(&t, "inspector").await, "report_unconfirmed").is_empty(), "an inspector confirms nothing");

    // The rule (a row: 60 minutes, two steps): the township an hour after the deadline, the county an hour later.
    t.clock.set(&format!("{day}T18:59"));
    sweep(&t).await;
    assert!(of_kind(&tasks(&t, "township").await, "escalation_alert").is_empty());
    t.clock.set(&format!("{day}T19:00"));
    sweep(&t).await;
    let township = tasks(&t, "township").await;
    let climbed = of_kind(&township, "escalation_alert");
    assert_eq!(climbed.len(), 2, "both villages' days, at the township: {township:?}");
    assert!(climbed.iter().any(|a| a["subject"].as_str().unwrap().contains("和平社区")), "{climbed:?}");
    let link = format!("/units/150502001001/dashboard?date={day}#signoff");
    assert!(climbed.iter().any(|a| a["link"] == link.as_str()), "each alert opens the village's day: {climbed:?}");
    let county = tasks(&t, "hq").await;
    let at_county = of_kind(&county, "escalation_alert");
    assert_eq!(at_county.len(), 1, "the township's own day, at the county: {county:?}");
    assert!(at_county[0]["subject"].as_str().unwrap().contains("科尔沁街道"));
    t.clock.set(&format!("{day}T20:00"));
    sweep(&t).await;
    sweep(&t).await;
    let county = tasks(&t, "hq").await;
    assert_eq!(of_kind(&county, "escalation_alert").len(), 3, "and the villages' days, once each: {county:?}");
    let hq = t.client("hq").await;
    let (_, escalations) = t.get(&hq, "/api/v1/escalations").await;
    let steps: Vec<&Value> = escalations["items"].as_array().unwrap().iter().filter(|e| e["kind"] == "report_unconfirmed").collect();
    assert_eq!(steps.len(), 5, "two steps per village, one for the township: {escalations}");

    // Confirming closes the task and the escalations of that day.
    assert_eq!(confirm(&t, "leader1", "150502001001", &day).await.0, 200);
    assert!(of_kind(&tasks(&t, "leader1").await, "report_unconfirmed").is_empty());
    let township = tasks(&t, "township").await;
    let left = of_kind(&township, "escalation_alert");
    assert_eq!(left.len(), 1, "{township:?}");
    assert!(left[0]["subject"].as_str().unwrap().contains("胜利社区"));
    assert_eq!(of_kind(&tasks(&t, "hq").await, "escalation_alert").len(), 2);
}
both!(an_unconfirmed_day_is_a_task_after_the_deadline_and_climbs_until_confirmed);

/// Where each role lands after logging in: HQ, grid leaders and inspectors on their unit's
/// dashboard; the others where they did.
async fn each_role_lands_on_its_days_work(db: Db) {
    let t = TestApp::start(db).await;
    for (login, lands) in [
        ("hq", "/units/150502/dashboard"),
        ("leader1", "/units/150502001001/dashboard"),
        ("inspector", "/units/150502/dashboard"),
        ("member1", "/units/150502001001001"),
        ("admin", "/units/15"),
        ("checkpoint", "/units/150502"),
    ] {
        let c = crate::support::client("zh");
        let response = c.post(t.url("/login")).form(&[("login", login), ("password", PASSWORD), ("next", "/")]).send().await.unwrap();
        assert_eq!(response.status(), 303);
        let response = c.get(t.url("/")).send().await.unwrap();
        assert_eq!(response.headers()["location"].to_str().unwrap(), lands, "{login}");
        let response = c.get(t.url(lands)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{login} may open the page it lands on");
    }
}
both!(each_role_lands_on_its_days_work);

/// A village's grid leader logs in on a phone, lands on the village's dashboard and confirms the
/// day; HQ lands on the county's and sees who has confirmed and who has not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leader_lands_on_the_dashboard_and_confirms_the_day_on_a_phone() {
    let t = TestApp::start(Db::Sqlite).await;
    let profile = tempfile::tempdir().unwrap();
    let (_driver, client) = browser(profile.path()).await;
    let log_in = |login: &'static str| {
        let client = client.clone();
        let url = t.url("/login");
        async move {
            client.delete_all_cookies().await.unwrap();
            client.goto(&url).await.unwrap();
            let form = client.form(Locator::Css("form.stack")).await.unwrap();
            form.set_by_name("login", login).await.unwrap().set_by_name("password", PASSWORD).await.unwrap().submit().await.unwrap();
        }
    };
    let result = async {
        log_in("leader1").await;
        wait_for_path(&client, "/units/150502001001/dashboard").await;
        no_sideways_scroll(&client, "the leader's dashboard").await;
        screenshot(&client, "landing-leader").await;
        client.find(Locator::Css("#signoff-form button")).await.unwrap().click().await.unwrap();
        for _ in 0..100 {
            if client.find(Locator::Id("signoff-by")).await.is_ok() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(text(&client, "#signoff-by").await, "leader1");
        no_sideways_scroll(&client, "the confirmed day").await;
        screenshot(&client, "signoff-confirmed").await;

        log_in("hq").await;
        wait_for_path(&client, "/units/150502/dashboard").await;
        assert!(text(&client, "#signoff-waiting").await.contains("科尔沁街道"));
        assert!(client.find(Locator::Id("signoff-form")).await.is_err(), "no button HQ may not press yet");
        no_sideways_scroll(&client, "HQ's dashboard").await;
        screenshot(&client, "landing-hq").await;
        client.goto(&t.url("/units/150502001/dashboard")).await.unwrap();
        let children = text(&client, "#signoff-children").await;
        assert!(children.contains("✓ 和平社区 · leader1") && children.contains("✗ 胜利社区"), "{children}");
        no_sideways_scroll(&client, "the township's sign-off").await;
        screenshot(&client, "signoff-township").await;
    }
    .await;
    client.close().await.unwrap();
    result
}
