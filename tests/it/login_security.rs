//! Logging in safely: where the login page sends a browser afterwards, the throttle on
//! failed logins (per login and per client address, kept in the database), the audit of
//! failures, the account holder told of them, and the rule for new passwords.

use reqwest::Method;
use serde_json::json;

use crate::both;
use crate::support::{Db, PASSWORD, TestApp, client};

/// The `next` the login page's form carries.
fn hidden_next(html: &str) -> String {
    let at = html.find("name=\"next\" value=\"").expect("a next field");
    html[at + 19..].split('"').next().unwrap().to_string()
}

async fn log_in_on_the_page(t: &TestApp, c: &reqwest::Client, login: &str, password: &str, next: &str) -> reqwest::Response {
    c.post(t.url("/login")).form(&[("login", login), ("password", password), ("next", next)]).send().await.unwrap()
}

async fn api_login(t: &TestApp, login: &str, password: &str) -> reqwest::Response {
    client("en").post(t.url("/api/v1/login")).json(&json!({"login": login, "password": password})).send().await.unwrap()
}

async fn after_login_the_browser_stays_on_this_server(db: Db) {
    let t = TestApp::start(db).await;
    let c = client("en");
    // As a link would carry them (percent-encoded in the query), and as the form posts them back.
    let hostile = [
        ("/%09/evil.example/phish", "/\t/evil.example/phish"),
        ("/%0A/x", "/\n/x"),
        ("/%0D%0ASet-Cookie:%20x=1", "/\r\nSet-Cookie: x=1"),
        ("//evil.example/phish", "//evil.example/phish"),
        ("/%5Cevil.example", "/\\evil.example"),
        ("https://evil.example/", "https://evil.example/"),
        ("/%2509/evil.example", "/%09/evil.example"),
        ("/%7F/x", "/\u{7f}/x"),
    ];
    for (query, posted) in hostile {
        let page = c.get(t.url(&format!("/login?next={query}"))).send().await.unwrap();
        assert_eq!(page.status(), 200, "{query}");
        assert_eq!(hidden_next(&page.text().await.unwrap()), "/", "the form's next for {query}");
        let response = log_in_on_the_page(&t, &c, "hq", PASSWORD, posted).await;
        assert_eq!(response.status(), 303, "{posted:?}");
        assert_eq!(response.headers()["location"], "/", "{posted:?}");
    }
    let page = c.get(t.url("/login?next=%2Funits%2F150502%3Fx%3D1")).send().await.unwrap().text().await.unwrap();
    assert_eq!(hidden_next(&page), "/units/150502?x=1");
    let response = log_in_on_the_page(&t, &c, "hq", PASSWORD, "/units/150502?x=1").await;
    assert_eq!(response.headers()["location"], "/units/150502?x=1");
}
both!(after_login_the_browser_stays_on_this_server);

async fn five_failures_make_the_next_attempt_wait_even_with_the_right_password(db: Db) {
    let t = TestApp::start(db).await;
    for _ in 0..5 {
        let response = api_login(&t, "leader1", "not the password").await;
        assert_eq!(response.status(), 401);
    }
    let refused = api_login(&t, "leader1", PASSWORD).await;
    assert_eq!(refused.status(), 429);
    assert_eq!(refused.headers()["retry-after"], "1");
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!((body["error"].as_str(), body["retry_after"].as_u64()), (Some("too_many_attempts"), Some(1)), "{body}");
    assert!(body["message"].as_str().unwrap().contains("try again in 1 second"), "{body}");

    // The page says so too, in the reader's language, and keeps the login typed.
    let zh = client("zh");
    let page = log_in_on_the_page(&t, &zh, "leader1", PASSWORD, "/").await;
    assert_eq!(page.status(), 429);
    assert_eq!(page.headers()["retry-after"], "1");
    assert!(page.headers().get("set-cookie").is_none());
    let html = page.text().await.unwrap();
    assert!(html.contains("登录失败次数过多，请 1 秒后再试") && html.contains("value=\"leader1\""), "{html}");
    let en = client("en");
    let html = log_in_on_the_page(&t, &en, "leader1", PASSWORD, "/").await.text().await.unwrap();
    assert!(html.contains("too many failed logins; try again in 1 second"), "{html}");

    // Another login from the same address is not held up.
    assert_eq!(api_login(&t, "leader2", PASSWORD).await.status(), 200);

    // Each failure past the limit doubles the wait.
    t.clock.advance(chrono::Duration::seconds(1));
    assert_eq!(api_login(&t, "leader1", "still not it").await.status(), 401);
    let refused = api_login(&t, "leader1", PASSWORD).await;
    assert_eq!((refused.status().as_u16(), refused.headers()["retry-after"].to_str().unwrap()), (429, "2"));
    t.clock.advance(chrono::Duration::seconds(2));

    // Past the wait the right password works, and the answer tells of the six failures.
    let response = api_login(&t, "leader1", PASSWORD).await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["failed_attempts"], 6, "{body}");
    let body: serde_json::Value = api_login(&t, "leader1", PASSWORD).await.json().await.unwrap();
    assert_eq!(body["failed_attempts"], 0, "told once");
    assert_eq!(api_login(&t, "leader1", "wrong again").await.status(), 401, "a success starts the count over");
    assert_eq!(api_login(&t, "leader1", PASSWORD).await.status(), 200);

    // The failures are in the audit log, under the account's unit, with the client's address.
    let admin = t.client("admin").await;
    let (_, audit) = t.get(&admin, "/api/v1/audit").await;
    let failed: Vec<&serde_json::Value> = audit["items"].as_array().unwrap().iter().filter(|e| e["action"] == "login_failed").collect();
    assert_eq!(failed.len(), 7, "{audit}");
    assert!(failed.iter().all(|e| e["entity"] == "account" && e["entity_id"] == "leader1" && e["actor"] == "public"), "{audit}");
    assert!(failed[0]["detail"].as_str().unwrap().contains("127.0.0.1"), "{audit}");
}
both!(five_failures_make_the_next_attempt_wait_even_with_the_right_password);

async fn the_holder_is_told_of_failures_on_the_page(db: Db) {
    let t = TestApp::start(db).await;
    for _ in 0..2 {
        assert_eq!(api_login(&t, "hq", "not the password").await.status(), 401);
    }
    let en = client("en");
    let response = log_in_on_the_page(&t, &en, "hq", PASSWORD, "/units/150502001").await;
    assert_eq!((response.status().as_u16(), response.headers()["location"].to_str().unwrap()), (303, "/units/150502001"));
    let told = "There were 2 failed attempts to log in to your account since your last login";
    let page = en.get(t.url("/units/150502001")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(told) && page.contains("科尔沁街道"), "{page}");
    let page = en.get(t.url("/units/150502001")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains(told), "told once: {page}");
    let zh = client("zh");
    assert_eq!(api_login(&t, "hq", "not the password").await.status(), 401);
    log_in_on_the_page(&t, &zh, "hq", PASSWORD, "/").await;
    let page = zh.get(t.url("/units/150502")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("自您上次登录以来，您的账号有 1 次登录失败"), "{page}");
}
both!(the_holder_is_told_of_failures_on_the_page);

async fn an_address_is_throttled_across_logins(db: Db) {
    let t = TestApp::start(db).await;
    // 19 failures over logins known and unknown, none of them at its own limit.
    let logins = ["leader1", "leader2", "nobody", "member1", "inspector"];
    for n in 0..19 {
        let response = api_login(&t, logins[n % logins.len()], "wrong password").await;
        assert_eq!(response.status(), 401);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"], "bad_credentials", "the same answer whether the login exists or not");
    }
    assert_eq!(api_login(&t, "hq", PASSWORD).await.status(), 200, "under the address's limit");
    assert_eq!(api_login(&t, "checkpoint", "wrong password").await.status(), 401);
    // Twenty failures from this address: every login waits, known or not, right or wrong.
    for (login, password) in [("admin", PASSWORD), ("hq", PASSWORD), ("nobody2", "whatever it is")] {
        let refused = api_login(&t, login, password).await;
        assert_eq!((refused.status().as_u16(), refused.headers()["retry-after"].to_str().unwrap()), (429, "1"), "{login}");
    }
    t.clock.advance(chrono::Duration::seconds(1));
    assert_eq!(api_login(&t, "admin", PASSWORD).await.status(), 200);
}
both!(an_address_is_throttled_across_logins);

async fn weak_passwords_are_refused(db: Db) {
    let t = TestApp::start(db).await;
    let admin = t.client("admin").await;
    for (password, says) in [
        ("12345678", "at least 10 characters"),
        ("        ", "at least 10 characters"),
        ("aaaaaaaaaaaa", "mixes at least two kinds of characters (letters, digits, other signs)"),
        ("1234567890", "mixes at least two kinds"),
        ("password123", "one of the most common passwords"),
        ("Qwerty123456", "one of the most common passwords"),
    ] {
        let account = json!({"login": "wang", "password": password, "role": "grid_member", "unit_code": "150502001001001"});
        let (status, body) = t.send(&admin, Method::POST, "/api/v1/accounts", account).await;
        assert_eq!(status, 422, "{password:?}: {body}");
        assert!(body["message"].as_str().unwrap().contains(says), "{password:?}: {body}");
    }

    // The page form: refused with the rule in the reader's language, what was typed kept.
    let zh = client("zh");
    let response = log_in_on_the_page(&t, &zh, "admin", PASSWORD, "/").await;
    assert_eq!(response.status(), 303);
    let page = zh.get(t.url("/accounts")).send().await.unwrap().text().await.unwrap();
    let csrf = page.split("name=\"_csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let form = [
        ("_csrf", csrf.as_str()),
        ("login", "wang"),
        ("password", "aaaaaaaaaaaa"),
        ("role", "grid_member"),
        ("unit_code", "150502001001001"),
        ("display_name", "王"),
    ];
    let refused = zh.post(t.url("/accounts")).form(&form).send().await.unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("密码须混合至少两类字符（字母、数字、其他符号）"), "{html}");
    assert!(
        html.contains("name=\"login\" value=\"wang\"") && html.contains("value=\"150502001001001\"") && html.contains("value=\"grid_member\" selected"),
        "{html}"
    );
    assert!(!html.contains("aaaaaaaaaaaa"), "the password is not sent back");
    let form = [
        ("_csrf", csrf.as_str()),
        ("login", "wang"),
        ("password", "grid 2020 wang"),
        ("role", "grid_member"),
        ("unit_code", "150502001001001"),
        ("display_name", "王"),
    ];
    assert_eq!(zh.post(t.url("/accounts")).form(&form).send().await.unwrap().status(), 303);
    t.client_with("wang", "grid 2020 wang").await;
}
both!(weak_passwords_are_refused);

/// Probe finding 2: a township office behind one address, where colleagues' typos (or someone
/// guessing) throttle the address and a login, must not lock out a holder whose browser has
/// logged in to their login before: that browser is throttled by itself.
async fn a_browser_that_logged_in_before_is_not_locked_out_by_others_failures(db: Db) {
    let t = TestApp::start(db).await;
    let own = client("zh");
    assert_eq!(log_in_on_the_page(&t, &own, "hq", PASSWORD, "/").await.status(), 303);
    let set = own.get(t.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(set.status(), 200);
    // Others: twenty failures from the same address, five of them at hq itself.
    let logins = ["hq", "leader2", "nobody", "member1"];
    for n in 0..20 {
        assert_eq!(api_login(&t, logins[n % logins.len()], "wrong password").await.status(), 401);
    }
    assert_eq!(api_login(&t, "hq", PASSWORD).await.status(), 429, "a browser hq never used waits");
    assert_eq!(api_login(&t, "admin", PASSWORD).await.status(), 429, "the address waits");
    // hq's own browser is let in with the right password, on the page and over the API.
    assert_eq!(log_in_on_the_page(&t, &own, "hq", PASSWORD, "/").await.status(), 303);
    let api = own.post(t.url("/api/v1/login")).json(&json!({"login": "hq", "password": PASSWORD})).send().await.unwrap();
    assert_eq!(api.status(), 200);
    // Trusted by hq only: the same browser trying admin waits with the address.
    assert_eq!(log_in_on_the_page(&t, &own, "admin", PASSWORD, "/").await.status(), 429);
    // And it is throttled by itself: five failures of its own, and it waits too.
    for _ in 0..5 {
        assert_eq!(log_in_on_the_page(&t, &own, "hq", "not it", "/").await.status(), 401);
    }
    assert_eq!(log_in_on_the_page(&t, &own, "hq", PASSWORD, "/").await.status(), 429);
    t.clock.advance(chrono::Duration::seconds(1));
    assert_eq!(log_in_on_the_page(&t, &own, "hq", PASSWORD, "/").await.status(), 303);
}
both!(a_browser_that_logged_in_before_is_not_locked_out_by_others_failures);
