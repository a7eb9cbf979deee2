//! Each form's messages over HTTP, and the API's typed numbers (issue 14 items 2, 9, 10): every
//! problem said at once, each naming its field as the form labels it, what was typed kept.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{Db, PASSWORD, TestApp, id_number, sample_roster};

/// Logs in through the login form, as a person would: the session and language cookies kept.
async fn log_in(t: &TestApp, lang: &str, login: &str) -> reqwest::Client {
    let c = crate::support::client(lang);
    let response = c.post(t.url("/login")).form(&[("login", login), ("password", PASSWORD), ("next", "/")]).send().await.unwrap();
    assert_eq!(response.status(), 303);
    c
}

fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"_csrf\" value=\"").expect("a form token");
    html[at + 20..].split('"').next().unwrap().to_string()
}

/// Posts a form to `path` and answers the status and the page (redirects not followed).
async fn post(c: &reqwest::Client, t: &TestApp, path: &str, form: &[(&str, &str)]) -> (u16, String, String) {
    let response = c.post(t.url(path)).form(form).send().await.unwrap();
    let status = response.status().as_u16();
    let location = response.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default();
    (status, location, response.text().await.unwrap())
}

/// Issue 14, item 2: the checkpoint's form says every problem at once, keeps the 18-digit ID
/// number typed (a wrong check digit too) and the temperature, and saves nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_passage_form_says_every_problem_at_once_and_keeps_the_id_number() {
    let t = TestApp::start(Db::Sqlite).await;
    let admin = t.client("admin").await;
    let (_, cp) = t.send(&admin, Method::POST, "/api/v1/checkpoints", json!({"unit_code": "150502001001", "name": "村口", "kind": "checkpoint"})).await;
    let checkpoint = format!("/checkpoints/{}", cp["id"].as_str().unwrap());
    let staff = log_in(&t, "zh", "checkpoint").await;
    let csrf = csrf_of(&staff.get(t.url(&checkpoint)).send().await.unwrap().text().await.unwrap());
    let good = id_number("150502", 9);
    let wrong_digit = format!("{}{}", &good[..17], if good.ends_with('0') { '1' } else { '0' });
    let form =
        [("_csrf", csrf.as_str()), ("direction", "in"), ("outcome", "passed"), ("id_number", wrong_digit.as_str()), ("phone", "12"), ("temperature", "60")];
    let (status, _, page) = post(&staff, &t, &format!("{checkpoint}/passages"), &form).await;
    assert_eq!(status, 422);
    for field in ["身份证号", "联系电话", "体温"] {
        assert!(page.contains(&format!("<li>{field}: ")), "{field} is named among the problems: {page}");
    }
    assert!(page.contains(&format!("value=\"{wrong_digit}\"")) && page.contains("value=\"60\"") && page.contains("value=\"12\""), "what was typed is kept");
    let (_, listed) = t.get(&admin, &format!("/api/v1{checkpoint}/passages")).await;
    assert_eq!(listed["items"], json!([]), "nothing saved");
    // The pending self-registrations can be refreshed where they are.
    assert!(page.contains("id=\"refresh-pending\""), "a refresh link beside the pending registrations");
    // A choice that is none of the form's own (a tampered page, an old bookmark) is answered
    // with the words the form shows, not the API's codes; staff text holds no markup.
    let form = [("_csrf", csrf.as_str()), ("direction", "sideways"), ("outcome", "waved"), ("name", "过客"), ("purpose", "<b>探亲</b>")];
    let (status, _, page) = post(&staff, &t, &format!("{checkpoint}/passages"), &form).await;
    assert_eq!(status, 422);
    assert!(page.contains("<li>方向: 应为以下之一：进、出</li>"), "{page}");
    assert!(page.contains("应为以下之一：通行、劝返、送医"), "{page}");
    assert!(page.contains("事由: 不能含网页标记"), "{page}");
    assert!(!page.contains("passed, turned_back") && !page.contains("passed turned_back"), "no code shows: {page}");
}

/// Issue 14, item 9: messages name the field as the form labels it, in the user's language, and
/// the form keeps what was typed: a unit's name is 名称 (not a person's 姓名), an unknown login
/// is a problem with the 账号 field, a single staff form says nothing of a file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_name_the_field_as_labelled_and_forms_keep_what_was_typed() {
    let t = TestApp::start(Db::Sqlite).await;
    let f = crate::security::fixture(&t).await;
    for (lang, title, login, name, phone) in [("zh", "名称", "账号", "姓名", "联系电话"), ("en", "Name", "Login", "Name", "Phone")] {
        let admin = log_in(&t, lang, "admin").await;
        let unit = "/units/150502001001";
        let csrf = csrf_of(&admin.get(t.url(unit)).send().await.unwrap().text().await.unwrap());
        let (status, _, page) = post(&admin, &t, &format!("{unit}/rounds"), &[("_csrf", &csrf), ("name", "a<b>")]).await;
        assert_eq!(status, 422, "{page}");
        assert!(page.contains(&format!("<li>{title}: ")) && page.contains("value=\"a&#60;b&#62;\""), "{lang}: {page}");
        assert!(!page.contains("姓名:"), "a round has no person's name");
        let (status, _, page) = post(&admin, &t, &format!("{unit}/staff"), &[("_csrf", &csrf), ("login", "no-such-login"), ("duty", "member")]).await;
        assert_eq!(status, 422, "{page}");
        assert!(page.contains(&format!("<li>{login}: ")) && page.contains("value=\"no-such-login\""), "{lang}: {page}");
        let org = format!("/organisations/{}", f.organisation);
        let csrf = csrf_of(&admin.get(t.url(&org)).send().await.unwrap().text().await.unwrap());
        let (status, _, page) = post(&admin, &t, &format!("{org}/members"), &[("_csrf", &csrf), ("name", "张3"), ("phone", "12")]).await;
        assert_eq!(status, 422, "{page}");
        assert!(page.contains(&format!("<li>{name}: ")) && page.contains(&format!("<li>{phone}: ")), "both problems at once, by field: {page}");
        assert!(!page.contains("文件") && !page.contains("file"), "a form is no file: {page}");
        assert!(page.contains("value=\"张3\"") && page.contains("value=\"12\""), "what was typed is kept");
    }
}

/// Issue 14, item 10: a follow-up's error stays on the order's page with what was typed;
/// ticking someone well at home asks first, and the list comes back at the same place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follow_up_error_stays_on_its_page_and_ticking_well_asks_first() {
    let t = TestApp::start(Db::Sqlite).await;
    let f = crate::security::fixture(&t).await;
    let admin = log_in(&t, "zh", "admin").await;
    let order = format!("/isolations/{}", f.isolation);
    let csrf = csrf_of(&admin.get(t.url(&order)).send().await.unwrap().text().await.unwrap());
    let form = [("_csrf", csrf.as_str()), ("reached", "phone"), ("temperature", "60"), ("symptoms", "cough"), ("note", "留言")];
    let (status, _, page) = post(&admin, &t, &format!("{order}/followups"), &form).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("id=\"followup-errors\"") && page.contains("<li>体温: "), "{page}");
    assert!(page.contains("value=\"60\"") && page.contains("value=\"留言\"") && page.contains("value=\"cough\" checked"), "what was typed is kept");

    let list = "/units/150502001001001/checkins";
    let page = admin.get(t.url(list)).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains(&format!("action=\"{list}\"")), "the list's buttons only ask: nothing is reported with one press");
    let ask =
        page.split("href=\"").filter_map(|rest| rest.split('"').next()).find(|l| l.contains("?confirm=")).expect("a button that asks").replace("&amp;", "&");
    let (ask_path, anchor) = ask.split_once('#').unwrap();
    let confirming = admin.get(t.url(ask_path)).send().await.unwrap().text().await.unwrap();
    assert!(confirming.contains(&format!("id=\"{anchor}\"")), "the question is asked where the person is listed");
    let back_to = confirming.split("name=\"back_to\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let resident = anchor.strip_prefix("m-").unwrap();
    let csrf = csrf_of(&confirming);
    let (status, location, _) = post(&admin, &t, list, &[("_csrf", &csrf), ("resident_id", resident), ("back_to", &back_to)]).await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("{list}?ticked=1#{back_to}"), "back at the same place in the list");
    let page = admin.get(t.url(&location)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"ticked\"") && !page.contains(&format!("id=\"{anchor}\"")), "told, and the person has left the list");
    assert!(back_to == "missing" || page.contains(&format!("id=\"{back_to}\"")), "the anchor is on the page");
}

/// Whether a refused page lists a problem of the field named `label` (escaped as the page
/// escapes it).
fn lists(page: &str, label: &str) -> bool {
    page.contains(&format!("<li>{}: ", label.replace('\'', "&#39;")))
}

/// Issue 14, items 2 and 9 (the rest): creating a checkpoint, a shift, ordering and ending
/// isolation, and the public relatives form each say every problem at once, each naming its
/// field as the form labels it, in Chinese and English, and keep what was typed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_remaining_forms_say_every_problem_at_once_by_label() {
    let t = TestApp::start(Db::Sqlite).await;
    let f = crate::security::fixture(&t).await;
    let api = t.client("admin").await;
    let (_, link) = t.send(&api, Method::POST, &format!("/api/v1/organisations/{}/members/{}/link", f.organisation, f.member), Value::Null).await;
    let token = link["token"].as_str().expect("a staff link").to_string();
    for lang in ["zh", "en"] {
        let words = |zh: &'static str, en: &'static str| if lang == "zh" { zh } else { en };
        let admin = log_in(&t, lang, "admin").await;
        let unit = "/units/150502001001";
        let csrf = csrf_of(&admin.get(t.url(unit)).send().await.unwrap().text().await.unwrap());
        let form = [("_csrf", csrf.as_str()), ("name", "a<b>"), ("kind", "checkpoint"), ("lat", "95"), ("lon", "east")];
        let (status, _, page) = post(&admin, &t, &format!("{unit}/checkpoints"), &form).await;
        assert_eq!(status, 422, "{page}");
        for label in [words("名称", "Name"), words("纬度", "Latitude"), words("经度", "Longitude")] {
            assert!(lists(&page, label), "{lang}: the checkpoint's {label}: {page}");
        }
        assert!(page.contains("value=\"95\"") && page.contains("value=\"east\""), "what was typed is kept");

        let checkpoint = format!("/checkpoints/{}", f.checkpoint);
        let csrf = csrf_of(&admin.get(t.url(&checkpoint)).send().await.unwrap().text().await.unwrap());
        let form = [("_csrf", csrf.as_str()), ("starts_at", "2000-01-01T08:00"), ("ends_at", "soon"), ("staff", "医务 李3")];
        let (status, _, page) = post(&admin, &t, &format!("{checkpoint}/shifts"), &form).await;
        assert_eq!(status, 422, "{page}");
        for label in [words("开始时间", "Starts"), words("结束时间", "Ends"), words("值班人员（姓名）", "On duty (name)")] {
            assert!(lists(&page, label), "{lang}: the shift's {label}: {page}");
        }
        assert!(page.contains("value=\"soon\"") && page.contains("医务 李3</textarea>"), "what was typed is kept");

        let household = format!("/households/{}", f.household);
        let csrf = csrf_of(&admin.get(t.url(&household)).send().await.unwrap().text().await.unwrap());
        let form = [
            ("_csrf", csrf.as_str()),
            ("household", f.household.as_str()),
            ("resident_id", f.resident.as_str()),
            ("kind", "home"),
            ("reason", "contact"),
            ("days", "abc"),
            ("cadre_login", "no such!"),
        ];
        let (status, _, page) = post(&admin, &t, "/isolations", &form).await;
        assert_eq!(status, 422, "{page}");
        for label in [words("天数", "Days"), words("包保干部账号", "Cadre's login")] {
            assert!(lists(&page, label), "{lang}: the order's {label}: {page}");
        }
        assert!(page.contains("value=\"abc\"") && page.contains("value=\"no such!\""), "what was typed is kept");

        let order = format!("/isolations/{}", f.isolation);
        let csrf = csrf_of(&admin.get(t.url(&order)).send().await.unwrap().text().await.unwrap());
        let (status, _, page) = post(&admin, &t, &format!("{order}/end"), &[("_csrf", csrf.as_str()), ("reason", " "), ("days", "0")]).await;
        assert_eq!(status, 422, "{page}");
        for label in [words("原因", "Reason"), words("天数", "Days")] {
            assert!(lists(&page, label), "{lang}: the end's {label}: {page}");
        }
        assert!(page.contains("value=\"0\""), "what was typed is kept");

        let public = crate::support::client(lang);
        let (status, _, page) = post(&public, &t, &format!("/o/{token}/relatives"), &[("name", "a<b>"), ("relation", "<x>")]).await;
        assert_eq!(status, 422, "{page}");
        for label in [words("姓名", "Name"), words("与本人关系", "Relation to you")] {
            assert!(lists(&page, label), "{lang}: the relative's {label}: {page}");
        }
        assert!(!page.contains("与户主关系:") && !page.contains("Relation to head"), "a staff member's relative has no head of household");
        assert!(page.contains("value=\"a&#60;b&#62;\"") && page.contains("value=\"&#60;x&#62;\""), "what was typed is kept: {page}");
    }
}

/// Issue 14, item 9: the returnee's household is named 落脚户户号 as its form labels it, and is
/// found by its number under the form's unit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_returnees_household_is_named_as_labelled() {
    let t = TestApp::start(Db::Sqlite).await;
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    let leader = log_in(&t, "zh", "leader1").await;
    let returnees = "/units/150502001001/returnees";
    let csrf = csrf_of(&leader.get(t.url(returnees)).send().await.unwrap().text().await.unwrap());
    let typed = uuid::Uuid::now_v7().to_string();
    let number = id_number("110105", 77);
    let form = [
        ("_csrf", csrf.as_str()),
        ("id_number", number.as_str()),
        ("name", "新来"),
        ("household", typed.as_str()),
        ("origin", "北京"),
        ("transport", "train"),
        ("arrived_at", &t.local(-60)),
    ];
    let (status, _, page) = post(&leader, &t, returnees, &form).await;
    assert_eq!(status, 422, "{page}");
    assert!(lists(&page, "落脚户户号"), "{page}");
    assert!(page.contains(&format!("value=\"{typed}\"")), "what was typed is kept");

    // The walk's finding: the household is named by its number (户号), not an id nobody sees.
    let hq = log_in(&t, "zh", "hq").await;
    let street = "/units/150502001/returnees";
    let csrf = csrf_of(&hq.get(t.url(street)).send().await.unwrap().text().await.unwrap());
    let with = |household: &'static str| {
        let mut form = form.map(|(k, v)| (k, v.to_string()));
        form[0].1 = csrf.clone();
        form[3].1 = household.to_string();
        form
    };
    let (status, _, page) = post(&hq, &t, street, &with("009").iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(status, 422);
    assert!(page.contains("<li>落脚户户号: 找不到，或不在您的管辖范围内</li>"), "{page}");
    let (status, _, page) = post(&hq, &t, street, &with("001").iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(status, 422, "two groups of the street have a 001");
    assert!(page.contains("<li>落脚户户号: 有 2 个小组都有这个户号"), "{page}");
    // Both villages call their group 一组: the village's name tells them apart.
    let (_, village) = t.get(&t.client("hq").await, "/api/v1/units/150502001001").await;
    let village = village["unit"]["name"].as_str().or(village["name"].as_str()).unwrap().to_string();
    let named: &'static str = Box::leak(format!("{village} 001").into_boxed_str());
    let (status, _, page) = post(&hq, &t, street, &with(named).iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(status, 303, "{named}: {page}");
    // In a village with one 003, the number alone.
    let mut own = form.map(|(k, v)| (k, v.to_string()));
    own[1].1 = id_number("110105", 78);
    own[3].1 = "003".into();
    let (status, _, page) = post(&leader, &t, returnees, &own.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(status, 303, "{page}");
}

/// Issue 14, item 2: a temperature typed as something that is no number is said to be one, with
/// the other problems, and kept; `app` parses it, not the page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_temperature_that_is_no_number_is_said_so_with_the_others() {
    let t = TestApp::start(Db::Sqlite).await;
    let f = crate::security::fixture(&t).await;
    let admin = log_in(&t, "zh", "admin").await;
    let checkpoint = format!("/checkpoints/{}", f.checkpoint);
    let csrf = csrf_of(&admin.get(t.url(&checkpoint)).send().await.unwrap().text().await.unwrap());
    let form = [("_csrf", csrf.as_str()), ("direction", "in"), ("outcome", "passed"), ("name", "过客"), ("phone", "12"), ("temperature", "hot")];
    let (status, _, page) = post(&admin, &t, &format!("{checkpoint}/passages"), &form).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("<li>体温: 应为数字（℃），如 36.5</li>") && lists(&page, "联系电话"), "{page}");
    assert!(page.contains("value=\"hot\""), "what was typed is kept");
    let form = [("_csrf", csrf.as_str()), ("checkpoint", f.checkpoint.as_str()), ("temperature", "hot")];
    let (status, _, page) = post(&admin, &t, &format!("/registrations/{}/confirm", f.registration), &form).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("<li>体温: 应为数字（℃），如 36.5</li>") && page.contains("value=\"hot\""), "{page}");
    let form = [("_csrf", csrf.as_str()), ("direction", "in"), ("outcome", "passed"), ("name", "过客"), ("temperature", "38.2℃")];
    let (status, location, _) = post(&admin, &t, &format!("{checkpoint}/passages"), &form).await;
    assert_eq!((status, location.ends_with("logged=fever")), (303, true), "38.2℃ is a fever");

    let order = format!("/isolations/{}", f.isolation);
    let csrf = csrf_of(&admin.get(t.url(&order)).send().await.unwrap().text().await.unwrap());
    let form = [("_csrf", csrf.as_str()), ("reached", "bogus"), ("temperature", "hot")];
    let (status, _, page) = post(&admin, &t, &format!("{order}/followups"), &form).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("<li>体温: 应为数字（℃），如 36.5</li>") && lists(&page, "随访方式"), "{page}");
    assert!(page.contains("value=\"hot\""), "what was typed is kept");
}

/// Issue 14, item 4: giving a household to someone who is no grid member of its grid is a
/// problem with the login typed, said beside the form (422) with the login kept, not an error page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_household_given_to_no_member_of_its_grid_is_said_beside_the_form() {
    let t = TestApp::start(Db::Sqlite).await;
    let f = crate::security::fixture(&t).await;
    for (lang, said) in [("zh", "<li>账号: 须是此户所在网格的网格员</li>"), ("en", "<li>Login: must be a grid member of this household&#39;s grid</li>")]
    {
        let admin = log_in(&t, lang, "admin").await;
        let household = format!("/households/{}", f.household);
        let csrf = csrf_of(&admin.get(t.url(&household)).send().await.unwrap().text().await.unwrap());
        let (status, _, page) = post(&admin, &t, &format!("{household}/member"), &[("_csrf", csrf.as_str()), ("login", "leader2")]).await;
        assert_eq!(status, 422, "{page}");
        assert!(page.contains("id=\"member-errors\"") && page.contains(said), "{lang}: {page}");
        assert!(page.contains("value=\"leader2\""), "what was typed is kept");
    }
}

/// The API takes the numbers the forms send as text too (a temperature, a place, days) and says
/// every problem of a request at once, each naming its field.
async fn the_api_parses_typed_numbers_and_says_every_problem(db: Db) {
    let t = TestApp::start(db).await;
    let f = crate::security::fixture(&t).await;
    let admin = t.client("admin").await;
    let refused = |answer: &Value, fields: &[&str]| {
        let message = answer["message"].as_str().unwrap_or_default().to_string();
        for field in fields {
            assert!(message.contains(&format!("{field}: ")), "{field} in {answer}");
        }
    };
    let checkpoint = json!({"unit_code": "150502001001", "name": "a<b>", "kind": "checkpoint", "lat": 95, "lon": "east"});
    let (status, answer) = t.send(&admin, Method::POST, "/api/v1/checkpoints", checkpoint).await;
    assert_eq!(status, 422, "{answer}");
    refused(&answer, &["Name", "Latitude", "Longitude"]);
    let checkpoint = json!({"unit_code": "150502001001", "name": "东口", "kind": "checkpoint", "lat": "43.6", "lon": 122.2});
    let (status, answer) = t.send(&admin, Method::POST, "/api/v1/checkpoints", checkpoint).await;
    assert_eq!(status, 201, "{answer}");

    let passages = format!("/api/v1/checkpoints/{}/passages", f.checkpoint);
    let (status, answer) =
        t.send(&admin, Method::POST, &passages, json!({"name": "过客", "direction": "in", "outcome": "passed", "temperature": "hot", "phone": "12"})).await;
    assert_eq!(status, 422, "{answer}");
    assert!(answer["message"].as_str().unwrap().contains("Temperature: must be a number of degrees Celsius, e.g. 36.5"), "{answer}");
    refused(&answer, &["Phone"]);
    for (typed, fever) in [(json!("38.2℃"), true), (json!(36.5), false), (json!(null), false)] {
        let (status, answer) =
            t.send(&admin, Method::POST, &passages, json!({"name": "过客", "direction": "in", "outcome": "passed", "temperature": typed})).await;
        assert_eq!((status, answer["fever"].as_bool()), (201, Some(fever)), "{typed}: {answer}");
    }

    let shift = json!({"starts_at": "2000-01-01T08:00", "ends_at": "soon", "staff": [{"name": "李3", "duty": "医务"}]});
    let (status, answer) = t.send(&admin, Method::POST, &format!("/api/v1/checkpoints/{}/shifts", f.checkpoint), shift).await;
    assert_eq!(status, 422, "{answer}");
    refused(&answer, &["Starts", "Ends", "On duty (name)"]);

    let (status, answer) = t.send(&admin, Method::POST, &format!("/api/v1/registrations/{}/confirm", f.registration), json!({"temperature": "hot"})).await;
    assert_eq!(status, 422, "{answer}");
    refused(&answer, &["Temperature"]);
    let (status, answer) = t.send(&admin, Method::POST, &format!("/api/v1/registrations/{}/confirm", f.registration), json!({"temperature": "36.6"})).await;
    assert!(status < 300, "{answer}");

    let order = json!({"resident_id": f.resident, "kind": "home", "reason": "sneezing", "days": "abc", "cadre_login": "no such!"});
    let (status, answer) = t.send(&admin, Method::POST, "/api/v1/isolations", order).await;
    assert_eq!(status, 422, "{answer}");
    refused(&answer, &["Reason", "Days", "Cadre's login"]);
    let end = format!("/api/v1/isolations/{}/end", f.isolation);
    let (status, answer) = t.send(&admin, Method::POST, &end, json!({"reason": "", "days": 0})).await;
    assert_eq!(status, 422, "{answer}");
    refused(&answer, &["Reason", "Days"]);
    let (status, answer) = t.send(&admin, Method::POST, &end, json!({"reason": "延长观察", "days": "20"})).await;
    assert_eq!(status, 200, "days as text: {answer}");
    let (status, answer) = t.send(&admin, Method::POST, &end, json!({"reason": "延长观察", "days": 21})).await;
    assert_eq!(status, 200, "days as a number: {answer}");

    let follow_up = json!({"reached": "phone", "temperature": "36.6℃"});
    let (status, answer) = t.send(&admin, Method::POST, &format!("/api/v1/isolations/{}/followups", f.isolation), follow_up).await;
    assert!(status < 300, "{answer}");
}
crate::both!(the_api_parses_typed_numbers_and_says_every_problem);
