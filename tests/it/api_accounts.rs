//! Accounts, sessions, the OpenAPI document and the request guards.

use reqwest::Method;
use serde_json::json;

use crate::both;
use crate::support::{Db, PASSWORD, TestApp, client};

impl TestApp {
    pub async fn client_with(&self, login: &str, password: &str) -> reqwest::Client {
        let c = client("en");
        let (status, body) = self.send(&c, Method::POST, "/api/v1/login", json!({"login": login, "password": password})).await;
        assert_eq!(status, 200, "{body}");
        c
    }
}

async fn login_sessions_and_roles(db: Db) {
    let t = TestApp::start(db).await;
    let anonymous = client("en");
    let (status, body) = t.get(&anonymous, "/api/v1/units/15").await;
    assert_eq!((status, body["error"].as_str()), (401, Some("unauthenticated")));
    let (status, body) = t.send(&anonymous, Method::POST, "/api/v1/login", json!({"login": "admin", "password": "wrong password"})).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("bad_credentials")));
    let (status, body) = t.send(&anonymous, Method::POST, "/api/v1/login", json!({"login": "nobody", "password": PASSWORD})).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("bad_credentials")));

    let admin = t.client("admin").await;
    let (_, me) = t.get(&admin, "/api/v1/me").await;
    assert_eq!(me["role"], "admin");
    let response = client("en").post(t.url("/api/v1/login")).json(&json!({"login": "hq", "password": PASSWORD})).send().await.unwrap();
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");

    let (status, body) = t
        .send(&admin, Method::POST, "/api/v1/accounts", json!({"login": "m2", "password": "short", "role": "grid_member", "unit_code": "150502001001001"}))
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = t
        .send(&admin, Method::POST, "/api/v1/accounts", json!({"login": "m2", "password": "long enough", "role": "mayor", "unit_code": "150502001001001"}))
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, _) = t
        .send(
            &admin,
            Method::POST,
            "/api/v1/accounts",
            json!({"login": "m2", "password": "long enough", "role": "grid_member", "unit_code": "150502001001001"}),
        )
        .await;
    assert_eq!(status, 201);
    let (status, _) = t
        .send(
            &admin,
            Method::POST,
            "/api/v1/accounts",
            json!({"login": "M2", "password": "long enough", "role": "grid_member", "unit_code": "150502001001001"}),
        )
        .await;
    assert_eq!(status, 409, "logins are case-insensitive and unique");
    let hq = t.client("hq").await;
    let (status, _) = t
        .send(&hq, Method::POST, "/api/v1/accounts", json!({"login": "m3", "password": "long enough", "role": "grid_member", "unit_code": "150502001001001"}))
        .await;
    assert_eq!(status, 403, "only admins manage accounts");
    let (_, accounts) = t.get(&admin, "/api/v1/accounts").await;
    assert_eq!(accounts["items"].as_array().unwrap().len(), 8);

    let (status, _) = t.send(&admin, Method::POST, "/api/v1/logout", json!({})).await;
    assert_eq!(status, 200);
    let (status, _) = t.get(&admin, "/api/v1/me").await;
    assert_eq!(status, 401, "the session is gone after logout");

    for (role, roster, write) in [("inspector", 200, 403), ("checkpoint", 403, 403), ("member1", 200, 403)] {
        let c = t.client(role).await;
        let unit = if role == "member1" { "150502001001001" } else { "150502" };
        let (status, _) = t.get(&c, &format!("/api/v1/units/{unit}/households")).await;
        assert_eq!(status, roster, "{role} reads the roster");
        let (status, _) = t.send(&c, Method::POST, "/api/v1/units", json!({"name": "x", "parent_code": unit})).await;
        assert_eq!(status, write, "{role} creates units");
    }
}
both!(login_sessions_and_roles);

#[tokio::test]
async fn requests_from_other_sites_and_form_encoded_uploads_are_refused() {
    let t = TestApp::start(Db::Sqlite).await;
    let admin = t.client("admin").await;
    let response =
        admin.post(t.url("/api/v1/units")).header("origin", "http://evil.example").json(&json!({"name": "x", "parent_code": "150502"})).send().await.unwrap();
    assert_eq!(response.status(), 403);
    let response =
        admin.post(t.url("/api/v1/units/150502001/roster")).header("content-type", "text/plain").body(crate::support::sample_roster()).send().await.unwrap();
    assert_eq!(response.status(), 400);
    let response =
        admin.post(t.url("/api/v1/units")).header("content-type", "application/x-www-form-urlencoded").body("name=x&parent_code=150502").send().await.unwrap();
    assert_eq!(response.status(), 415);
    let (_, units) = t.get(&admin, "/api/v1/units/150502").await;
    assert_eq!(units["figures"]["units"], 6, "nothing was created");
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let t = TestApp::start(Db::Sqlite).await;
    let (status, doc) = t.get(&client("en"), "/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc, serde_json::to_value(wangge::http::api::openapi()).unwrap(), "the server serves the document the code makes");
    let mut operations = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            assert!(operations.insert(id.to_string()), "two operations are called {id}");
            assert!(operation["summary"].as_str().is_some_and(|s| !s.is_empty() && !s.contains('\n')), "{method} {path}: a one-line summary");
        }
    }
    // A route reaches the router only through `routes!(handler)`, which documents it: no API
    // module registers one by hand.
    for (file, source) in API_SOURCES {
        for hand_made in [".route(", ".route_service(", ".nest(", ".fallback("] {
            assert!(!source.contains(hand_made), "{file} registers a route by hand ({hand_made}): use routes!(handler) with #[utoipa::path]");
        }
    }
    let response = client("en").get(t.url("/api/v1/docs/")).send().await.unwrap();
    assert_eq!(response.status(), 200, "Swagger UI");
    assert!(response.text().await.unwrap().contains("swagger"), "Swagger UI's page");
}

/// The API's source files, for the checks that read the code itself.
const API_SOURCES: [(&str, &str); 11] = [
    ("mod.rs", include_str!("../../src/http/api/mod.rs")),
    ("accounts.rs", include_str!("../../src/http/api/accounts.rs")),
    ("checkins.rs", include_str!("../../src/http/api/checkins.rs")),
    ("checkpoints.rs", include_str!("../../src/http/api/checkpoints.rs")),
    ("households.rs", include_str!("../../src/http/api/households.rs")),
    ("isolation.rs", include_str!("../../src/http/api/isolation.rs")),
    ("organisations.rs", include_str!("../../src/http/api/organisations.rs")),
    ("people.rs", include_str!("../../src/http/api/people.rs")),
    ("residents.rs", include_str!("../../src/http/api/residents.rs")),
    ("screening.rs", include_str!("../../src/http/api/screening.rs")),
    ("units.rs", include_str!("../../src/http/api/units.rs")),
];
