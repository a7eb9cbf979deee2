//! The storage contract, run on SQLite and on PostgreSQL alike.

use std::collections::HashSet;

use wangge::app::demo::TONGLIAO_DIVISIONS;
use wangge::app::{App, divisions};
use wangge::domain::roster::RosterHousehold;
use wangge::domain::table::{RowProblem, Table};
use wangge::domain::{UnitCode, UnitPath, roster};
use wangge::store::StoreError;

use crate::both;
use crate::support::{Db, id_number, roster_csv, sample_roster, seed, test_db};

async fn fixture(db: Db) -> (App, crate::support::TestDb) {
    let db = test_db(db).await;
    let app = App::open(&db.url).await.expect("open");
    seed(&app).await;
    (app, db)
}

fn parse(csv: &str, into: &str) -> Vec<RosterHousehold> {
    let table = Table::from_records(
        csv::ReaderBuilder::new().has_headers(false).from_reader(csv.as_bytes()).records().map(|r| r.unwrap().iter().map(str::to_string).collect()),
    );
    roster::parse(&table, &UnitCode::parse(into).unwrap()).unwrap()
}

fn code(c: &str) -> UnitCode {
    UnitCode::parse(c).unwrap()
}

async fn official_divisions_import_idempotently(db: Db) {
    let db = test_db(db).await;
    let app = App::open(&db.url).await.unwrap();
    let root = app.system_caller(UnitPath::root());
    let sheets: Vec<(String, Vec<u8>)> = TONGLIAO_DIVISIONS.iter().map(|(s, t)| (s.to_string(), t.as_bytes().to_vec())).collect();
    let first = divisions::import(&app, &root, &sheets).await.unwrap();
    assert_eq!(first.created, 1 + 1 + 9 + 143 + 2568);
    let again = divisions::import(&app, &root, &sheets).await.unwrap();
    assert_eq!((again.created, again.renamed, again.unchanged), (0, 0, first.created));
    let figures = app.store.figures(&root.scope, &code("1505")).await.unwrap().unwrap();
    assert_eq!(figures.units, 9 + 143 + 2568);
    let county = app.store.unit(&root.scope, &code("150502")).await.unwrap().unwrap();
    assert_eq!(county.path.as_str(), "/15/1505/150502/");
    let children = app.store.children(&root.scope, &code("1505")).await.unwrap();
    assert_eq!(children.len(), 9);
    assert_eq!(children.iter().map(|(_, f)| f.units + 1).sum::<i64>(), figures.units);

    // A generic sheet adds below a village; a parent may come from an earlier import.
    let grids = "code,name,parent_code\n150502001001001,一组,150502001001\n150502001001002,二组,150502001001\n";
    let added = divisions::import(&app, &root, &[("grids".into(), grids.as_bytes().to_vec())]).await.unwrap();
    assert_eq!(added.created, 2);
    let renamed = divisions::import(&app, &root, &[("grids".into(), grids.replace("二组", "第二组").into_bytes())]).await.unwrap();
    assert_eq!((renamed.created, renamed.renamed, renamed.unchanged), (0, 1, 1));
    let bad = "code,name,parent_code\n9901,x,990\n150502001001003,三组,150502001001\n";
    match divisions::import(&app, &root, &[("grids".into(), bad.as_bytes().to_vec())]).await {
        Err(wangge::app::AppError::Rows(rows)) => {
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0].row, 2);
            assert_eq!(rows[0].problem, RowProblem::UnknownParent("990".into()));
        }
        other => panic!("{other:?}"),
    }
    assert!(app.store.unit(&root.scope, &code("150502001001003")).await.unwrap().is_none(), "all or nothing");
}
both!(official_divisions_import_idempotently);

async fn scope_filters_every_read(db: Db) {
    let (app, _db) = fixture(db).await;
    let root = app.system_caller(UnitPath::root());
    app.store.import_roster(&root, &code("150502001"), &parse(&sample_roster(), "150502001"), &|_| {}).await.unwrap();
    let village1 = app.store.unit(&root.scope, &code("150502001001")).await.unwrap().unwrap().path;
    let village2 = app.store.unit(&root.scope, &code("150502001002")).await.unwrap().unwrap().path;
    let mut caller = root.clone();
    caller.scope = village2.clone();
    assert!(app.store.unit(&village2, &code("150502001001")).await.unwrap().is_none());
    assert!(app.store.figures(&village2, &code("150502001")).await.unwrap().is_none());
    assert!(app.store.households(&village2, &code("150502001001"), None, 10).await.unwrap().is_none());
    let page = app.store.households(&village1, &code("150502001001"), None, 10).await.unwrap().unwrap();
    assert_eq!(page.items.len(), 4);
    let id = page.items[0].id;
    assert!(app.store.household(&caller, id).await.unwrap().is_none());
    assert!(app.store.search_residents(&village2, "张三", 10).await.unwrap().is_empty());
    assert_eq!(app.store.search_residents(&village1, "张", 10).await.unwrap().len(), 1);
    assert_eq!(app.store.search_residents(&village1, "%", 10).await.unwrap().len(), 0, "LIKE wildcards are escaped");
    assert!(matches!(app.store.update_household(&caller, id, &Default::default()).await, Err(StoreError::NotFound)));
    // The children of a unit are listed only as far as they lie in scope.
    let township_children = app.store.children(&village2, &code("150502001")).await.unwrap();
    let codes: Vec<&str> = township_children.iter().map(|(u, _)| u.code.as_str()).collect();
    assert_eq!(codes, ["150502001002"]);
}
both!(scope_filters_every_read);

async fn pages_cover_the_subtree_once(db: Db) {
    let (app, _db) = fixture(db).await;
    let root = app.system_caller(UnitPath::root());
    app.store.import_roster(&root, &code("150502001"), &parse(&sample_roster(), "150502001"), &|_| {}).await.unwrap();
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = app.store.households(&root.scope, &code("150502"), after.as_deref(), 2).await.unwrap().unwrap();
        seen.extend(page.items.iter().map(|h| (h.unit_code.clone(), h.household_no.clone())));
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 5);
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "in unit then household order");
}
both!(pages_cover_the_subtree_once);

async fn a_person_registered_elsewhere_rejects_the_import(db: Db) {
    let (app, _db) = fixture(db).await;
    let root = app.system_caller(UnitPath::root());
    app.store.import_roster(&root, &code("150502001"), &parse(&sample_roster(), "150502001"), &|_| {}).await.unwrap();
    let moved = roster_csv(&[
        ("009", "新人", &id_number("150521", 1), "户主", "", "150521100200001", "常住"),
        ("009", "张三", &id_number("150502", 1), "配偶", "", "150521100200001", "常住"),
    ]);
    let err = app.store.import_roster(&root, &code("150521"), &parse(&moved, "150521"), &|_| {}).await.unwrap_err();
    match err {
        StoreError::Rows(rows) => {
            assert_eq!(rows.len(), 1);
            assert_eq!((rows[0].row, rows[0].column), (3, Some("id_number")));
            assert_eq!(rows[0].problem, RowProblem::RegisteredElsewhere);
        }
        other => panic!("{other:?}"),
    }
    let figures = app.store.figures(&root.scope, &code("150521")).await.unwrap().unwrap();
    assert_eq!(figures.households, 0, "nothing written");

    // Within the importing unit a person may move household: both households' figures follow.
    let within = roster_csv(&[("001", "李四", &id_number("150502", 2), "户主", "", "150502001001002", "租住")]);
    let summary = app.store.import_roster(&root, &code("150502001"), &parse(&within, "150502001"), &|_| {}).await.unwrap();
    assert_eq!((summary.households_created, summary.residents_updated), (1, 1));
    let group1 = app.store.figures(&root.scope, &code("150502001001001")).await.unwrap().unwrap();
    let group2 = app.store.figures(&root.scope, &code("150502001001002")).await.unwrap().unwrap();
    assert_eq!((group1.residents, group2.residents), (3, 3));
    assert_eq!((group2.households, group2.blue), (3, 1));
}
both!(a_person_registered_elsewhere_rejects_the_import);

async fn sessions_expire(db: Db) {
    let (app, _db) = fixture(db).await;
    let (account, _) = app.store.credentials(&wangge::domain::Login::parse("hq").unwrap()).await.unwrap().unwrap();
    let now = chrono::Utc::now();
    let caller = account.caller(now);
    let attempt = wangge::store::LoginAttempt { login: wangge::domain::Login::parse(&account.login).unwrap(), address: None, trusted_device: None, at: now };
    assert!(!app.store.trusted_device("device-1", &attempt.login, now - chrono::Duration::days(1)).await.unwrap());
    app.store.create_session(&caller, "token-1", "csrf-1", now + chrono::Duration::hours(1), &attempt, "device-1").await.unwrap();
    // The browser that logged in is trusted by that login (and no other) from then on.
    assert!(app.store.trusted_device("device-1", &attempt.login, now - chrono::Duration::days(1)).await.unwrap());
    assert!(!app.store.trusted_device("device-1", &wangge::domain::Login::parse("admin").unwrap(), now - chrono::Duration::days(1)).await.unwrap());
    assert!(!app.store.trusted_device("device-1", &attempt.login, now + chrono::Duration::seconds(1)).await.unwrap(), "not after its last login");
    app.store.forget_login_attempts(now, now + chrono::Duration::seconds(1)).await.unwrap();
    assert!(!app.store.trusted_device("device-1", &attempt.login, now - chrono::Duration::days(1)).await.unwrap(), "forgotten");
    let session = app.store.session("token-1", now).await.unwrap().unwrap();
    assert_eq!((session.account.login.as_str(), session.csrf.as_str()), ("hq", "csrf-1"));
    assert_eq!(session.account.scope.as_str(), "/15/1505/150502/");
    assert!(app.store.session("token-1", now + chrono::Duration::hours(2)).await.unwrap().is_none());
    assert!(app.store.session("token-2", now).await.unwrap().is_none());
    app.store.delete_session("token-1").await.unwrap();
    assert!(app.store.session("token-1", now).await.unwrap().is_none());
}
both!(sessions_expire);

async fn the_demo_shows_every_part_at_work_and_loads_once(db: Db) {
    use wangge::app::demo::{self, Scale};
    let db = test_db(db).await;
    let app = App::open(&db.url).await.unwrap();
    let first = demo::load(&app, Scale::Small, &|_, _| {}).await.unwrap();
    assert!(first.roster.households_created > 500, "{first:?}");
    let again = demo::load(&app, Scale::Small, &|_, _| {}).await.unwrap();
    assert_eq!((again.units_created, again.roster.households_created), (0, 0));

    let counties = demo::plan(Scale::Small);
    let village = code(&counties[0].1[0].village_code);
    let root = app.system_caller(UnitPath::root());
    let checkpoints = app.store.checkpoints(&root.scope, &village).await.unwrap().unwrap();
    assert_eq!(checkpoints.len(), 1, "one checkpoint, however often the demo loads");
    let day = (root.now - chrono::Duration::days(1), root.now);
    let fever = wangge::domain::Temperature::DEFAULT_FEVER;
    let (passages, total) = app.store.passages(&root.scope, checkpoints[0].id, day.0, day.1, 0, 100, fever).await.unwrap().unwrap();
    assert_eq!((passages.len(), total), (6, 6));
    assert_eq!(passages.iter().filter(|p| p.fever).count(), 1);
    // A page of three from the fifth on: the two oldest, and the count of them all.
    let (older, total) = app.store.passages(&root.scope, checkpoints[0].id, day.0, day.1, 4, 3, fever).await.unwrap().unwrap();
    assert_eq!(total, 6);
    assert_eq!(older.iter().map(|p| p.id).collect::<Vec<_>>(), passages[4..].iter().map(|p| p.id).collect::<Vec<_>>());
    let (figures, returnees) = app.store.returnees(&root.scope, &village, root.now, 0, 10).await.unwrap().unwrap();
    assert_eq!((figures.returnees, figures.returnees_from_key_areas), (3, 1), "{returnees:?}");
    let colours = app.store.figures(&root.scope, &village).await.unwrap().unwrap();
    assert!(colours.red >= 1 && colours.yellow >= 2, "{colours:?}");
    // The demo's grid leader finds the fever in their inbox.
    let leader = app.store.credentials(&wangge::domain::Login::parse("leader").unwrap()).await.unwrap().unwrap().0;
    let tasks = app.store.tasks(&leader.caller(root.now), 100).await.unwrap().0;
    assert_eq!(tasks.iter().filter(|t| t.kind.as_str() == "fever_alert").count(), 1, "{tasks:?}");
}
both!(the_demo_shows_every_part_at_work_and_loads_once);

/// A database from before the audit log carried counties gets each old entry's county from
/// its path when it is opened, so county-scoped audit reads find the old entries too.
async fn old_audit_entries_get_their_county(db: Db) {
    let db = test_db(db).await;
    let paths = ["/15/", "/15/1505/", "/15/1505/150502/", "/15/1505/150502/150502001/150502001001/"];
    let insert = "INSERT INTO audit_log (at, actor, action, entity, entity_id, unit_path, detail) VALUES ($1, 'old', 'create', 'unit', 'x', $2, '{}')";
    if db.url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(&format!("{}?mode=rwc", db.url)).await.unwrap();
        sqlx::migrate!("migrations/sqlite").run_to(3, &pool).await.unwrap();
        for path in paths {
            sqlx::query(insert).bind(chrono::Utc::now()).bind(path).execute(&pool).await.unwrap();
        }
        pool.close().await;
    } else {
        let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
        sqlx::migrate!("migrations/postgres").run_to(3, &pool).await.unwrap();
        for path in paths {
            sqlx::query(insert).bind(chrono::Utc::now()).bind(path).execute(&pool).await.unwrap();
        }
        pool.close().await;
    }
    let app = App::open(&db.url).await.unwrap();
    let seen_from = |scope: &str| {
        let (app, scope) = (&app, UnitPath::from_stored(scope.into()));
        async move { app.store.audit_log(&scope, &Default::default(), 100).await.unwrap().into_iter().filter(|e| e.actor == "old").count() }
    };
    assert_eq!(seen_from("/15/").await, 4);
    assert_eq!(seen_from("/15/1505/").await, 3);
    assert_eq!(seen_from("/15/1505/150502/").await, 2);
    assert_eq!(seen_from("/15/1505/150502/150502001/").await, 1);
    assert_eq!(seen_from("/15/1505/150521/").await, 0);
}
both!(old_audit_entries_get_their_county);
