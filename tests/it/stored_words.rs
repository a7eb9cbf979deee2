//! Stored words read back into their enums or fail loudly, and alerts keep what they point
//! at (a kind and an id) rather than a page's address.

use std::borrow::Cow;
use std::path::Path;

use reqwest::Method;
use serde_json::json;
use sqlx::migrate::Migrator;

use crate::both;
use crate::support::{Db, TestApp, test_db};

/// Runs raw SQL beside the server: what no API can write.
async fn execute(t: &TestApp, sql: &str) {
    if t.database_url().starts_with("sqlite:") {
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&sqlx::SqlitePool::connect(t.database_url()).await.unwrap()).await.unwrap();
    } else {
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&sqlx::PgPool::connect(t.database_url()).await.unwrap()).await.unwrap();
    }
}

/// A word the program never writes, found in the database, is a server error naming nothing
/// of it (and a log line), never read as the list's first word.
async fn an_unknown_stored_word_is_a_server_error_not_a_guess(db: Db) {
    let t = TestApp::start(db).await;
    let leader = t.client("leader1").await;
    let (status, body) =
        t.send(&leader, Method::POST, "/api/v1/checkpoints", json!({"unit_code": "150502001001", "name": "和平路卡点", "kind": "persuasion_point"})).await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    let (status, body) = t.get(&leader, &format!("/api/v1/checkpoints/{id}")).await;
    assert_eq!((status, body["kind"].as_str()), (200, Some("persuasion_point")), "{body}");

    execute(&t, "UPDATE checkpoints SET kind = 'roadblock'").await;
    let (status, body) = t.get(&leader, &format!("/api/v1/checkpoints/{id}")).await;
    assert_eq!(status, 500, "{body}");
    assert!(!body.to_string().contains("roadblock"), "internals stay hidden: {body}");
    let page = leader.get(t.url(&format!("/checkpoints/{id}"))).send().await.unwrap();
    assert_eq!(page.status(), 500);
    assert!(!page.text().await.unwrap().contains("roadblock"));
}
both!(an_unknown_stored_word_is_a_server_error_not_a_guess);

/// An alert raised before alerts kept their target (migration 0008) still leads to its record.
async fn alerts_raised_before_targets_were_kept_still_lead_to_their_record(db: Db) {
    let prepared = test_db(db).await;
    let person = uuid::Uuid::now_v7();
    let (alert, now) = (uuid::Uuid::now_v7(), chrono::Utc::now());
    let insert = "INSERT INTO alerts (id, kind, unit_path, county_code, subject, link, due, created_at) VALUES ($1, 'fever', '/15/', NULL, '37.5 °C · 王强', $2, $3, $3)";
    let link = format!("/people/{person}");
    match db {
        Db::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&format!("{}?mode=rwc", prepared.url)).await.unwrap();
            up_to_0007(Path::new("migrations/sqlite")).await.run(&pool).await.unwrap();
            sqlx::query(insert).bind(alert).bind(&link).bind(now).execute(&pool).await.unwrap();
            pool.close().await;
        }
        Db::Postgres => {
            let pool = sqlx::PgPool::connect(&prepared.url).await.unwrap();
            up_to_0007(Path::new("migrations/postgres")).await.run(&pool).await.unwrap();
            sqlx::query(insert).bind(alert).bind(&link).bind(now).execute(&pool).await.unwrap();
            pool.close().await;
        }
    }
    let t = TestApp::start_on(prepared, |_| {}).await;
    execute(&t, &format!("INSERT INTO alert_recipients (account_id, alert_id) SELECT id, {} FROM accounts WHERE login = 'hq'", literal(db, alert))).await;
    let hq = t.client("hq").await;
    let (status, tasks) = t.get(&hq, "/api/v1/tasks").await;
    assert_eq!(status, 200, "{tasks}");
    let items = tasks["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{tasks}");
    assert_eq!(items[0]["kind"], "fever_alert");
    assert_eq!(items[0]["target"], json!({"kind": "person", "id": person.to_string()}));
    assert_eq!(items[0]["link"], link);
    let page = hq.get(t.url("/tasks")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&format!("href=\"{link}\"")), "the inbox page makes the link");
}
both!(alerts_raised_before_targets_were_kept_still_lead_to_their_record);

/// The migrations as they stood before 0008.
async fn up_to_0007(folder: &Path) -> Migrator {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
    let mut migrator = Migrator::new(folder).await.unwrap();
    migrator.migrations = Cow::Owned(migrator.migrations.iter().filter(|m| m.version <= 7).cloned().collect());
    migrator
}

/// A uuid as each database writes it in SQL text.
fn literal(db: Db, id: uuid::Uuid) -> String {
    match db {
        Db::Sqlite => format!("x'{}'", id.simple()),
        Db::Postgres => format!("'{id}'"),
    }
}
