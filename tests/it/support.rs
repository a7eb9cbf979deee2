//! Test harness: a real server on port 0 over a real database (a temporary SQLite file,
//! or a fresh schema in the PostgreSQL that `WANGGE_TEST_POSTGRES_URL` names), with a
//! small grid of real division codes and an account per role.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, Utc};
use reqwest::Client;
use serde_json::{Value, json};
use tempfile::TempDir;
use wangge::app::accounts::NewUser;
use wangge::app::{App, Clock, accounts, divisions};
use wangge::domain::{IdNumber, UnitPath};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// Runs an async test function once per backend: `both!(name)` makes `name::sqlite` and
/// `name::postgres`.
#[macro_export]
macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::support::Db::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::support::Db::Postgres).await
            }
        }
    };
}

pub const PASSWORD: &str = "correct horse battery";

pub fn postgres_base_url() -> String {
    std::env::var("WANGGE_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A database of its own for one test.
pub struct TestDb {
    pub url: String,
    _dir: Option<TempDir>,
}

pub async fn test_db(db: Db) -> TestDb {
    match db {
        Db::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite:{}", dir.path().join("test.db").display());
            TestDb { url, _dir: Some(dir) }
        }
        Db::Postgres => {
            let base = postgres_base_url();
            let schema = format!("t_{}", uuid::Uuid::now_v7().simple());
            let admin = sqlx::PgPool::connect(&base)
                .await
                .unwrap_or_else(|e| panic!("PostgreSQL at {base} is needed for the postgres tests (set WANGGE_TEST_POSTGRES_URL; .ci/run starts one): {e}"));
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}"))).execute(&admin).await.expect("create schema");
            let separator = if base.contains('?') { '&' } else { '?' };
            TestDb { url: format!("{base}{separator}options=-c%20search_path%3D{schema}"), _dir: None }
        }
    }
}

/// A clock the tests move: it starts at the real time and stands still until told.
pub struct TestClock(Mutex<DateTime<Utc>>);

impl TestClock {
    pub fn advance(&self, by: chrono::Duration) {
        *self.0.lock().unwrap() += by;
    }

    /// Sets the clock to a local Beijing time, `2020-02-01T08:00`.
    pub fn set(&self, local: &str) {
        *self.0.lock().unwrap() = wangge::domain::time::parse_time("at", local).unwrap();
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// A running server and the app behind it.
pub struct TestApp {
    pub base: String,
    /// The same application the server runs, for what a test does beside HTTP.
    pub app: App,
    pub clock: Arc<TestClock>,
    /// Kept so that a temporary database lives as long as the server.
    _db: TestDb,
}

impl TestApp {
    /// Starts a server with the fixture grid and accounts.
    pub async fn start(db: Db) -> TestApp {
        TestApp::start_with(db, |_| {}).await
    }

    /// Starts a server whose settings `configure` changes first.
    pub async fn start_with(db: Db, configure: impl FnOnce(&mut App)) -> TestApp {
        TestApp::start_on(test_db(db).await, configure).await
    }

    /// Starts a server on a database a test has prepared (migrating it to the latest).
    pub async fn start_on(db: TestDb, configure: impl FnOnce(&mut App)) -> TestApp {
        let mut app = App::open(&db.url).await.expect("open store");
        configure(&mut app);
        let clock = Arc::new(TestClock(Mutex::new(Utc::now())));
        app.clock = clock.clone();
        seed(&app).await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(wangge::http::serve(listener, app.clone()));
        TestApp { base, app, clock, _db: db }
    }

    /// Local Beijing time `minutes` from the clock's now, as the API takes it.
    pub fn local(&self, minutes: i64) -> String {
        (self.clock.now() + chrono::Duration::minutes(minutes)).with_timezone(&chrono_tz::Asia::Shanghai).format("%Y-%m-%dT%H:%M:%S").to_string()
    }

    /// The database the server runs on, for what a test reads beside it.
    pub fn database_url(&self) -> &str {
        &self._db.url
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A client logged in as `login`, speaking `lang`.
    pub async fn client(&self, login: &str) -> Client {
        let client = client("en");
        let response = client.post(self.url("/api/v1/login")).json(&json!({"login": login, "password": PASSWORD})).send().await.expect("login");
        assert_eq!(response.status(), 200, "login as {login}");
        client
    }

    pub async fn get(&self, client: &Client, path: &str) -> (u16, Value) {
        let response = client.get(self.url(path)).send().await.expect("request");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    pub async fn send(&self, client: &Client, method: reqwest::Method, path: &str, body: Value) -> (u16, Value) {
        let response = client.request(method, self.url(path)).json(&body).send().await.expect("request");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Uploads a roster file to a unit through the API.
    pub async fn upload_roster(&self, client: &Client, unit: &str, content_type: &str, bytes: Vec<u8>) -> (u16, Value) {
        let response =
            client.post(self.url(&format!("/api/v1/units/{unit}/roster"))).header("content-type", content_type).body(bytes).send().await.expect("upload");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

pub fn client(lang: &str) -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers([(reqwest::header::ACCEPT_LANGUAGE, lang.parse().expect("header"))].into_iter().collect())
        .build()
        .expect("client")
}

/// The fixture grid: real codes of 通辽市, two villages in one township of 科尔沁区, one
/// village in 科尔沁左翼中旗, and a villager group under each village.
pub const FIXTURE_UNITS: &str = "code,name,parent_code
15,内蒙古自治区,
1505,通辽市,15
150502,科尔沁区,1505
150502001,科尔沁街道,150502
150502001001,和平社区,150502001
150502001002,胜利社区,150502001
150521,科尔沁左翼中旗,1505
150521100,保康镇,150521
150521100200,东街嘎查,150521100
150502001001001,一组,150502001001
150502001001002,二组,150502001001
150502001002001,一组,150502001002
150521100200001,一组,150521100200
";

/// (login, role, unit): one account per role.
pub const FIXTURE_ACCOUNTS: [(&str, &str, &str); 7] = [
    ("admin", "admin", "15"),
    ("hq", "hq", "150502"),
    ("leader1", "grid_leader", "150502001001"),
    ("leader2", "grid_leader", "150502001002"),
    ("member1", "grid_member", "150502001001001"),
    ("inspector", "inspector", "150502"),
    ("checkpoint", "checkpoint", "150502"),
];

pub async fn seed(app: &App) {
    let root = app.system_caller(UnitPath::root());
    divisions::import(app, &root, &[("units".into(), FIXTURE_UNITS.as_bytes().to_vec())]).await.expect("fixture units");
    for (login, role, unit) in FIXTURE_ACCOUNTS {
        accounts::add_user(app, &root, NewUser { login, password: PASSWORD, role, unit_code: unit, display_name: "" }).await.expect("fixture account");
    }
}

/// A valid ID number for person `n` of a county.
pub fn id_number(county: &str, n: u16) -> String {
    let birth = NaiveDate::from_ymd_opt(1960, 1, 1).unwrap() + chrono::Duration::days(i64::from(n) * 97);
    IdNumber::compose(county, birth, n).unwrap().as_str().to_string()
}

/// A roster CSV with Chinese headers: rows of (household, name, id, relation, phone, unit, residence).
pub fn roster_csv(rows: &[(&str, &str, &str, &str, &str, &str, &str)]) -> String {
    let mut csv = String::from("户号,姓名,身份证号,与户主关系,联系电话,住址,网格编码,居住类型\n");
    for (household, name, id, relation, phone, unit, residence) in rows {
        csv.push_str(&format!("{household},{name},{id},{relation},{phone},{unit} {household}号,{unit},{residence}\n"));
    }
    csv
}

/// Four households in the two groups of 和平社区 (one renting) and one in 胜利社区.
pub fn sample_roster() -> String {
    let a = |n| id_number("150502", n);
    roster_csv(&[
        ("001", "张三", &a(1), "户主", "13812345678", "150502001001001", "常住"),
        ("001", "李四", &a(2), "配偶", "", "150502001001001", "常住"),
        ("002", "巴特尔", &a(3), "户主", "0475-8212345", "150502001001001", "租住"),
        ("002", "其木格", &a(4), "配偶", "13912345678", "150502001001001", "租住"),
        ("003", "王五", &a(5), "户主", "", "150502001001002", "常住"),
        ("004", "赵六", &a(6), "户主", "13712345678", "150502001001002", "常住"),
        ("001", "孙七", &a(7), "户主", "", "150502001002001", "常住"),
    ])
}

/// Percent-encodes a query parameter.
pub fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
