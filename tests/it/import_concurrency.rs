//! A large roster import does not stall other writes: while it runs, a check-in and an
//! ordinary write are answered, and none of the import is visible until it is whole. What it
//! has staged and not moved in (it failed, or was stopped) is never seen and is cleaned away.
//!
//! No HTTP answer marks the moment an import has begun writing, so the import here runs
//! through `app::roster::import` (what both `POST /api/v1/units/{code}/roster` and
//! `wangge import roster` run), whose progress says when it has begun writing rows; every other
//! write and every check is made over HTTP.

use std::sync::Arc;

use chrono::NaiveDate;
use reqwest::Method;
use serde_json::json;
use tokio::sync::Notify;
use wangge::app::{AppError, roster};
use wangge::domain::table::RowProblem;
use wangge::domain::{IdNumber, UnitCode, UnitPath};
use wangge::store::ImportSummary;

use crate::api_roster::find_household;
use crate::both;
use crate::support::{Db, TestApp, id_number, roster_csv, sample_roster};

/// Residents in the large file (four to a household): many chunks' worth.
const RESIDENTS: usize = 48_000;
/// Where the large file's households go: 和平社区 二组, which holds two from the sample roster.
const GROUP: &str = "150502001001002";

/// Person `n` of the large file (born in 1930, so no number of the sample roster's).
fn person(n: usize) -> String {
    let birth = NaiveDate::from_ymd_opt(1930, 1, 1).unwrap() + chrono::Duration::days((n / 800) as i64);
    IdNumber::compose("150502", birth, (n % 800) as u16 + 100).unwrap().as_str().to_string()
}

/// The large file: households `1000`… of four residents each in `GROUP`.
fn large_roster() -> String {
    let numbers: Vec<String> = (0..RESIDENTS / 4).map(|h| (1000 + h).to_string()).collect();
    let ids: Vec<String> = (0..RESIDENTS).map(person).collect();
    let rows: Vec<(&str, &str, &str, &str, &str, &str, &str)> =
        (0..RESIDENTS).map(|n| (numbers[n / 4].as_str(), "居民", ids[n].as_str(), if n % 4 == 0 { "户主" } else { "子女" }, "", GROUP, "常住")).collect();
    roster_csv(&rows)
}

/// The fixture with the sample roster loaded through the API.
async fn with_sample_roster(db: Db) -> TestApp {
    let t = TestApp::start(db).await;
    let admin = t.client("admin").await;
    let (status, body) = t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await;
    assert_eq!(status, 200, "{body}");
    t
}

/// Starts the large import into 和平社区 and waits until it has written rows but not finished.
async fn start_large_import(t: &TestApp) -> tokio::task::JoinHandle<Result<ImportSummary, AppError>> {
    let written = Arc::new(Notify::new());
    let app = t.app.clone();
    let bytes = large_roster().into_bytes();
    let import = {
        let written = written.clone();
        tokio::spawn(async move {
            let caller = app.system_caller(UnitPath::root());
            let into = UnitCode::parse("150502001001").unwrap();
            roster::import(&app, &caller, &into, &bytes, &move |done, total| {
                if done > 0 && done < total {
                    written.notify_one();
                }
            })
            .await
        })
    };
    let mut import = import;
    tokio::select! {
        () = written.notified() => import,
        finished = &mut import => panic!("the import ended ({:?}) without saying it had written any rows", finished.unwrap()),
    }
}

async fn figures(t: &TestApp, client: &reqwest::Client, unit: &str) -> (i64, i64) {
    let (status, body) = t.get(client, &format!("/api/v1/units/{unit}")).await;
    assert_eq!(status, 200, "{body}");
    (body["figures"]["households"].as_i64().unwrap(), body["figures"]["residents"].as_i64().unwrap())
}

async fn other_writes_are_answered_while_a_large_import_runs(db: Db) {
    let t = with_sample_roster(db).await;
    let admin = t.client("admin").await;
    let member = t.client("member1").await;
    let leader = t.client("leader1").await;
    let household = find_household(&t, &member, "150502001001001", "001").await;
    let (_, record) = t.get(&member, &format!("/api/v1/households/{}", household["id"].as_str().unwrap())).await;
    let resident = record["residents"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(figures(&t, &admin, GROUP).await, (2, 2));

    let import = start_large_import(&t).await;
    // A check-in (the group committer's write) and a new household (an ordinary write, in
    // the very group the import fills) are answered while the import is still running...
    let (checked_in, created) = tokio::join!(
        t.send(&member, Method::POST, "/api/v1/checkins", json!({"resident_id": resident})),
        t.send(&leader, Method::POST, "/api/v1/households", json!({"unit_code": GROUP, "household_no": "900"})),
    );
    assert_eq!(checked_in.0, 201, "{}", checked_in.1);
    assert_eq!(created.0, 201, "{}", created.1);
    // ...before any of the import can be seen: it had not committed when they were answered.
    assert_eq!(figures(&t, &admin, GROUP).await, (3, 2), "the other writes were answered only once the import had committed");
    assert!(!import.is_finished(), "the other writes were answered only once the import had ended");

    let summary = import.await.unwrap().unwrap();
    assert_eq!((summary.households_created, summary.residents_created), (RESIDENTS / 4, RESIDENTS));
    // All of it, beside the household written meanwhile.
    assert_eq!(figures(&t, &admin, GROUP).await, (2 + RESIDENTS as i64 / 4 + 1, 2 + RESIDENTS as i64));
    let (_, village) = t.get(&admin, "/api/v1/units/150502001001").await;
    assert_eq!(village["figures"]["households_by_colour"]["white"], 3 + RESIDENTS / 4 + 1, "{village}");
    // Importing the same file again changes nothing.
    let again =
        roster::import(&t.app, &t.app.system_caller(UnitPath::root()), &UnitCode::parse("150502001001").unwrap(), large_roster().as_bytes(), &|_, _| {})
            .await
            .unwrap();
    assert_eq!((again.households_unchanged, again.residents_unchanged, again.residents_created), (RESIDENTS / 4, RESIDENTS, 0));
}
both!(other_writes_are_answered_while_a_large_import_runs);

async fn a_household_written_meanwhile_is_kept_and_the_import_planned_again(db: Db) {
    let t = with_sample_roster(db).await;
    let admin = t.client("admin").await;
    let leader = t.client("leader1").await;
    let import = start_large_import(&t).await;
    // Household 1005 of the file is created while the import runs: the import, which planned
    // to create it, finds it there at its last transaction, and plans and writes again.
    let (status, body) = t.send(&leader, Method::POST, "/api/v1/households", json!({"unit_code": GROUP, "household_no": "1005"})).await;
    assert_eq!(status, 201, "{body}");
    let summary = import.await.unwrap().unwrap();
    assert_eq!((summary.households_created, summary.households_updated, summary.residents_created), (RESIDENTS / 4 - 1, 1, RESIDENTS));
    assert_eq!(figures(&t, &admin, GROUP).await, (2 + RESIDENTS as i64 / 4, 2 + RESIDENTS as i64));
    let household = find_household(&t, &leader, GROUP, "1005").await;
    assert_eq!(household["id"], body["id"], "the household written meanwhile is the one the import filled");
    assert_eq!((household["head_name"].as_str(), household["residents"].as_i64()), (Some("居民"), Some(4)));
    assert_eq!(staged(&t).await, 0);
}
both!(a_household_written_meanwhile_is_kept_and_the_import_planned_again);

async fn an_import_that_can_no_longer_be_written_whole_writes_nothing(db: Db) {
    let t = with_sample_roster(db).await;
    let admin = t.client("admin").await;
    let other_village = t.client("leader2").await;
    let import = start_large_import(&t).await;
    // While the import runs, the person on row 9 of its file is registered in 胜利社区,
    // outside the importing village: the file can no longer be written whole.
    let household = find_household(&t, &other_village, "150502001002001", "001").await;
    let path = format!("/api/v1/households/{}/residents", household["id"].as_str().unwrap());
    let (status, body) = t.send(&other_village, Method::POST, &path, json!({"name": "居民", "id_number": person(7)})).await;
    assert_eq!(status, 201, "{body}");
    match import.await.unwrap() {
        Err(AppError::Rows(rows)) => {
            let found: Vec<_> = rows.iter().map(|r| (r.row, r.column, r.problem.clone())).collect();
            assert_eq!(found, [(9, Some("id_number"), RowProblem::RegisteredElsewhere)]);
        }
        other => panic!("expected the file rejected by row, got {other:?}"),
    }
    // Nothing of it is seen, and nothing of it is left.
    assert_eq!(figures(&t, &admin, GROUP).await, (2, 2));
    assert_eq!(figures(&t, &admin, "150502001002001").await, (1, 2));
    assert_eq!(staged(&t).await, 0);
}
both!(an_import_that_can_no_longer_be_written_whole_writes_nothing);

async fn what_a_killed_import_staged_is_deleted_by_the_next(db: Db) {
    let t = TestApp::start(db).await;
    let admin = t.client("admin").await;
    let now = wangge::app::Clock::now(t.clock.as_ref());
    // A run killed two hours ago, the rows of a run killed after it ended, and a run under way
    // (in another process, say) that began a minute ago.
    let (killed, ended, running) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    let resident = "INSERT INTO import_residents (run_id, id, household_id, unit_path, name, id_number, sex, birth_date, relation, residence) \
                    VALUES ($1, $2, $3, '/15/', '居民', $4, 'male', $5, '', 'permanent')";
    let birth = NaiveDate::from_ymd_opt(1960, 1, 1).unwrap();
    macro_rules! leave {
        ($pool:expr) => {{
            let pool = $pool;
            for (run, started) in [(killed, now - chrono::Duration::hours(2)), (running, now - chrono::Duration::minutes(1))] {
                sqlx::query("INSERT INTO import_runs (id, unit_path, started_at) VALUES ($1, '/15/', $2)")
                    .bind(run)
                    .bind(started)
                    .execute(&pool)
                    .await
                    .unwrap();
            }
            for (n, run) in [killed, killed, ended, running].into_iter().enumerate() {
                sqlx::query(resident)
                    .bind(run)
                    .bind(uuid::Uuid::now_v7())
                    .bind(uuid::Uuid::now_v7())
                    .bind(id_number("150502", 200 + n as u16))
                    .bind(birth)
                    .execute(&pool)
                    .await
                    .unwrap();
            }
        }};
    }
    match db {
        Db::Sqlite => leave!(sqlx::SqlitePool::connect(t.database_url()).await.unwrap()),
        Db::Postgres => leave!(sqlx::PgPool::connect(t.database_url()).await.unwrap()),
    }
    assert_eq!(staged(&t).await, 2 + 4);
    let (status, body) = t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(staged(&t).await, 1 + 1, "only the run under way is left");
}
both!(what_a_killed_import_staged_is_deleted_by_the_next);

/// Rows in the staging tables: read beside the server, since nothing over HTTP shows them.
async fn staged(t: &TestApp) -> i64 {
    let sql = "SELECT (SELECT COUNT(*) FROM import_runs) + (SELECT COUNT(*) FROM import_households) + (SELECT COUNT(*) FROM import_residents)";
    if t.database_url().starts_with("sqlite:") {
        sqlx::query_scalar(sql).fetch_one(&sqlx::SqlitePool::connect(t.database_url()).await.unwrap()).await.unwrap()
    } else {
        sqlx::query_scalar(sql).fetch_one(&sqlx::PgPool::connect(t.database_url()).await.unwrap()).await.unwrap()
    }
}
