//! Every form of every page, driven in headless Chromium at 360 px, in Chinese and English
//! (issue 14's quality bar). The walker logs in as each role, follows every link from the
//! page it lands on, and meets each form by its action (ids, codes and tokens as
//! placeholders); each form it meets must have a case below, so a new form without one fails.
//! A case submits the form once with bad input (the message names the field as the form
//! labels it, what was typed is kept, no raw error text) and once with good input (the page
//! that follows is the expected one), checking that nothing scrolls sideways; screenshots of
//! each step go to `target/screenshots/forms/`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::Duration;

use fantoccini::{Client, Locator};
use reqwest::Method;
use serde_json::{Value, json};

use crate::browser::browser;
use crate::support::{Db, PASSWORD, TestApp, id_number, sample_roster};

/// What a case types into a form, and what it expects.
struct Case {
    /// Field name → value for the good submission (fields not named keep their defaults).
    good: &'static [(&'static str, &'static str)],
    /// The bad submission and the field its message must name; `None` where nothing can be
    /// typed wrong (a button alone, a choice of valid options).
    bad: Option<(&'static [(&'static str, &'static str)], &'static str)>,
    /// Where the good submission lands: a path prefix.
    lands: &'static str,
}

/// The case for each form, by `METHOD action-pattern`. `{lang}` in a value is replaced by
/// the language under test, so each run types something new.
fn cases() -> BTreeMap<&'static str, Case> {
    let mut cases = BTreeMap::new();
    let mut add = |key, good, bad, lands| {
        cases.insert(key, Case { good, bad, lands });
    };
    add(
        "POST /accounts",
        &[("login", "form-{lang}"), ("password", "river stone lantern 7"), ("unit_code", "150502001001")][..],
        Some((&[("login", "weak-{lang}"), ("password", "Passw0rd!!"), ("unit_code", "150502001001")][..], "password")),
        "/accounts",
    );
    add("POST /units/{code}/children", &[("name", "表单网格{lang}")], Some((&[("name", "x<y>"), ("code", "")][..], "name")), "/units/");
    add("POST /units/{code}/rounds", &[("name", "表单轮次{lang}")], Some((&[("name", "a<b>")][..], "name")), "/rounds/");
    add(
        "POST /units/{code}/checkpoints",
        &[("name", "表单卡点{lang}"), ("lat", "43.6"), ("lon", "122.2")],
        Some((&[("name", "表单卡点{lang}"), ("lat", "95"), ("lon", "122.2")][..], "lat")),
        "/checkpoints/",
    );
    add("POST /units/{code}/staff", &[("login", "member1")], Some((&[("login", "no-such-login")][..], "login")), "/units/");
    add(
        "POST /units/{code}/issuer",
        &[("issuer_name", "表单指挥部{lang}"), ("issuer_phone", "0475-1234567"), ("seal_text", "表单指挥部")],
        Some((&[("issuer_name", "表单指挥部{lang}"), ("issuer_phone", "电话{lang}"), ("seal_text", "")][..], "issuer_phone")),
        "/units/",
    );
    add(
        "POST /units/{code}/organisations",
        &[("name", "表单单位{lang}"), ("kind", "学校")],
        Some((&[("name", "a<b>"), ("kind", "学校")][..], "name")),
        "/organisations/",
    );
    add("POST /households/{id}/address", &[("address", "一组 3 栋 {lang}")], Some((&[("address", "<b>3</b> 栋")][..], "address")), "/households/");
    add("POST /households/{id}/checkin-link", &[], None, "/households/");
    add("POST /households/{id}/member", &[("login", "member1")], Some((&[("login", "no-such-login")][..], "login")), "/households/");
    // Each language orders isolation for another resident of the household.
    add("POST /isolations", &[("days", "14"), ("resident_id", "INDEX:{langindex}")], Some((&[("days", "0")][..], "days")), "/isolations/");
    add(
        "POST /isolations/{id}/followups",
        &[("temperature", "36.6"), ("note", "好")],
        Some((&[("temperature", "60"), ("note", "留言{lang}")][..], "temperature")),
        "/isolations/",
    );
    add("POST /isolations/{id}/end", &[("reason", "复查正常"), ("days", "")], Some((&[("reason", "延长观察"), ("days", "0")][..], "days")), "/isolations/");
    add(
        "POST /checkpoints/{id}/passages",
        &[("id_number", "ID:110105:9"), ("temperature", "36.6")],
        Some((&[("id_number", "ID:110105:10"), ("temperature", "60")][..], "temperature")),
        "/checkpoints/",
    );
    add(
        "POST /checkpoints/{id}/shifts",
        &[("starts_at", "LOCAL:-60"), ("ends_at", "LOCAL:600"), ("staff", "医务人员 李医生")],
        Some((&[("starts_at", "LOCAL:-60"), ("ends_at", "LOCAL:-120"), ("staff", "李医生")][..], "ends_at")),
        "/checkpoints/",
    );
    add("POST /checkpoints/{id}/token", &[], None, "/checkpoints/");
    add("POST /registrations/{id}/confirm", &[("temperature", "36.5")], Some((&[("temperature", "60")][..], "temperature")), "/checkpoints/");
    add(
        "POST /organisations/{id}/members",
        &[("name", "表单职工"), ("phone", "13900001111")],
        Some((&[("name", "表单职工"), ("phone", "12")][..], "phone")),
        "/organisations/",
    );
    add("POST /organisations/{id}/links", &[], None, "/organisations/");
    add("GET /people/{id}", &[("window_minutes", "30")], Some((&[("window_minutes", "99999")][..], "window_minutes")), "/people/");
    // The window is carried over from the contacts list above it (a hidden field).
    add("POST /people/{id}/screening", &[], None, "/people/");
    add(
        "POST /units/{code}/returnees",
        &[("id_number", "ID:110105:11"), ("name", "表单返乡"), ("origin", "北京"), ("arrived_at", "LOCAL:-60")],
        Some((&[("id_number", "ID:110105:12"), ("name", "表单返乡"), ("origin", "北京"), ("arrived_at", "2000-01-01T08:00")][..], "arrived_at")),
        "/units/",
    );
    add("POST /rounds/{id}/visits", &[], None, "/rounds/");
    add("GET /audit", &[("who", "admin")], None, "/audit");
    add("GET /search", &[("q", "张")], None, "/search");
    add("GET /units/{code}/dashboard", &[("date", "TODAY")], Some((&[("date", "2999-01-01")][..], "date")), "/units/");
    add("GET /units/{code}/trends", &[("first_day", "TODAY")], Some((&[("first_day", "2999-01-01")][..], "first_day")), "/units/");
    add(
        "POST /key-areas",
        &[("area", "4201"), ("valid_from", "TODAY")],
        Some((&[("area", "4201"), ("valid_from", "2000-01-01")][..], "valid_from")),
        "/key-areas",
    );
    add("POST /units/{code}/checkins", &[], None, "/units/");
    // The day's sign-off: a button (the day is the dashboard's own, hidden).
    add("POST /units/{code}/confirm", &[], None, "/units/");
    add("POST /alerts/{id}/ack", &[], None, "/tasks");
    add("POST /screening-tasks/{id}/done", &[], None, "/tasks");
    add("POST /units/{code}/roster", &[("file", "FILE:roster")], Some((&[("file", "FILE:bad-roster")][..], "TEXT:身份证号|ID number")), "/units/");
    add("POST /units/{code}/units", &[("file", "FILE:units")], Some((&[("file", "FILE:bad-units")][..], "TEXT:编码|Code")), "/units/");
    add("GET /units/{code}/map", &[("metric", "fevers"), ("date", "TODAY")], Some((&[("date", "2999-01-01")][..], "date")), "/units/");
    add(
        "POST /units/{code}/boundaries",
        &[("file", "FILE:boundaries")],
        Some((&[("file", "FILE:bad-boundaries")][..], "TEXT:第 1 个要素|feature 1")),
        "/units/",
    );
    add("POST /logout", &[], None, "/login");
    add("POST /login", &[("login", "admin"), ("password", "PASSWORD")], Some((&[("login", "admin"), ("password", "not the password")][..], "password")), "/");
    add(
        "POST /r/{token}",
        &[("name", "过客甲"), ("id_number", "ID:110105:13"), ("phone", "13900003333")],
        Some((&[("name", "过客乙"), ("id_number", "123"), ("phone", "13900004444")][..], "id_number")),
        "/r/",
    );
    add("POST /c/{token}", &[], Some((&[("location_0", "elsewhere"), ("where_0", "")][..], "where_0")), "/c/");
    add("POST /o/{token}", &[], Some((&[("location_0", "elsewhere"), ("where_0", "")][..], "where_0")), "/o/");
    add("POST /o/{token}/relatives", &[("name", "表单家属"), ("relation", "母亲")], Some((&[("name", "a<b>"), ("relation", "母亲")][..], "name")), "/o/");
    cases
}

/// A path with its ids, unit codes and tokens as placeholders: the form's (or page's) kind.
fn pattern(path: &str) -> String {
    let mut out = Vec::new();
    let parts: Vec<&str> = path.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        let before = if i > 0 { parts[i - 1] } else { "" };
        out.push(if uuid::Uuid::parse_str(part).is_ok() {
            "{id}".to_string()
        } else if part.len() >= 2 && part.chars().all(|c| c.is_ascii_digit()) {
            "{code}".to_string()
        } else if ["r", "c", "o"].contains(&before) && i == 2 {
            "{token}".to_string()
        } else if before == "members" {
            "{login}".to_string()
        } else {
            part.to_string()
        });
    }
    out.join("/")
}

/// Waits until a new document has replaced the one marked before submitting.
async fn wait_for_new_page(client: &Client) {
    for _ in 0..200 {
        let fresh = client.execute("return window.__walker === undefined && document.readyState === 'complete';", vec![]).await;
        if fresh.is_ok_and(|v| v == json!(true)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the submitted form never led to a page");
}

/// The label of a form's field as the page shows it: its `<label>`'s own words, or the
/// placeholder, or the legend of its group.
const LABEL_OF: &str = r#"
    const [action, name] = arguments;
    const form = [...document.forms].find(f => f.getAttribute('action') === action);
    const field = form && form.querySelector(`[name="${name}"]`);
    if (!field) return null;
    const label = field.closest('label') || (field.id && document.querySelector(`label[for="${field.id}"]`));
    let words = '';
    if (label) words = [...label.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join(' ');
    if (!words.trim()) words = field.getAttribute('placeholder') || field.getAttribute('aria-label') || '';
    return words.replace(/[(（][^)）]*[)）]/g, '').replace(/[*:：℃…]/g, ' ').trim().split(/\s{2,}/)[0].trim();
"#;

/// What a refused form shows in a field: the field of the form with that action (a page may hold
/// several forms with a field of that name), or of the page if the form is gone.
const KEPT_VALUE: &str = r#"
    const [action, name] = arguments;
    const scope = [...document.forms].find(f => f.getAttribute('action') === action) || document;
    const f = scope.querySelector(`[name="${name}"]:not([type=radio]):not([type=checkbox]):not([type=hidden])`) || scope.querySelector(`[name="${name}"]:checked`);
    return f ? f.value : null;
"#;

/// Types the values into the form named by its action and submits it, without the browser's
/// own checks (so that the server's are what is tested).
const FILL_AND_SUBMIT: &str = r#"
    const [action, values] = arguments;
    const form = [...document.forms].find(f => f.getAttribute('action') === action);
    form.closest('details') && (form.closest('details').open = true);
    for (const [name, value] of values) {
        const fields = form.querySelectorAll(`[name="${name}"]`);
        for (const field of fields) {
            if (field.type === 'radio' || field.type === 'checkbox') field.checked = field.value === value;
            else if (field.tagName === 'SELECT' && value.startsWith('INDEX:')) field.selectedIndex = Number(value.slice(6));
            else if (field.type !== 'file') field.value = value;
        }
    }
    form.noValidate = true;
    window.__walker = true;
    const button = form.querySelector('button[type=submit], button:not([type]), input[type=submit]');
    form.requestSubmit(button || undefined);
"#;

struct Walk<'a> {
    t: &'a TestApp,
    client: &'a Client,
    lang: &'static str,
    files: &'a tempfile::TempDir,
    cases: BTreeMap<&'static str, Case>,
    /// Forms already tried in this language.
    done: BTreeSet<String>,
    /// What went wrong, all of it, so one run shows every form's problems.
    problems: Vec<String>,
    step: usize,
}

impl Walk<'_> {
    fn value(&self, raw: &str) -> String {
        let raw = raw.replace("{lang}", self.lang).replace("{langindex}", if self.lang == "zh" { "0" } else { "1" });
        if let Some(rest) = raw.strip_prefix("ID:") {
            let (county, n) = rest.split_once(':').unwrap();
            let n: u16 = n.parse().unwrap();
            return id_number(county, n + if self.lang == "en" { 100 } else { 0 });
        }
        if let Some(minutes) = raw.strip_prefix("LOCAL:") {
            return self.t.local(minutes.parse().unwrap())[..16].to_string();
        }
        if raw == "PASSWORD" {
            return PASSWORD.to_string();
        }
        if raw == "TODAY" {
            return self.t.local(0)[..10].to_string();
        }
        if let Some(name) = raw.strip_prefix("FILE:") {
            return self.files.path().join(format!("{name}.csv")).display().to_string();
        }
        raw
    }

    async fn shot(&mut self, what: &str) {
        self.step += 1;
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots/forms");
        std::fs::create_dir_all(&dir).unwrap();
        let name: String = what.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
        std::fs::write(dir.join(format!("{}-{:03}-{name}.png", self.lang, self.step)), self.client.screenshot().await.unwrap()).unwrap();
    }

    async fn body_text(&self) -> String {
        self.client.find(Locator::Css("body")).await.unwrap().text().await.unwrap_or_default()
    }

    /// Fills and submits a form with `values`; file fields are sent their file by the driver.
    async fn submit(&mut self, action: &str, values: &[(&str, &str)]) {
        let mut typed = Vec::new();
        for (name, raw) in values {
            let value = self.value(raw);
            if raw.starts_with("FILE:") {
                let selector = format!("form[action='{action}'] input[name='{name}']");
                self.client.execute("document.querySelectorAll('details').forEach(d => d.open = true);", vec![]).await.unwrap();
                self.client.find(Locator::Css(&selector)).await.unwrap().send_keys(&value).await.unwrap();
            } else {
                typed.push(json!([name, value]));
            }
        }
        self.client.execute(FILL_AND_SUBMIT, vec![json!(action), Value::Array(typed)]).await.unwrap();
        wait_for_new_page(self.client).await;
    }

    /// Tries one form: bad input first (where there is a case for it), then good.
    async fn try_form(&mut self, page: &str, key: &str, action: &str) {
        let Some(case) = self.cases.get(key) else {
            self.problems.push(format!("{key} (on {page}) has no case in tests/it/forms.rs"));
            return;
        };
        let (good, bad, lands) = (case.good, case.bad, case.lands);
        if let Some((values, field)) = bad {
            // A file's problems are named by the file's own column.
            let label = match field.strip_prefix("TEXT:").and_then(|t| t.split_once('|')) {
                Some((zh, en)) => json!(if self.lang == "zh" { zh } else { en }),
                None => self.client.execute(LABEL_OF, vec![json!(action), json!(field)]).await.unwrap(),
            };
            self.submit(action, values).await;
            self.shot(&format!("{key}-bad")).await;
            let said = self.body_text().await;
            let message = self
                .client
                .execute("return [...document.querySelectorAll('.notice.bad, [role=alert]')].map(e => e.innerText).join(' | ');", vec![])
                .await
                .unwrap();
            let message = message.as_str().unwrap_or_default().to_string();
            if let Some(raw) = raw_error(&said) {
                self.problems.push(format!("{key} ({}), bad input: raw error text {raw:?}", self.lang));
            }
            match label.as_str() {
                Some(label) if !label.is_empty() && !message.to_lowercase().contains(&label.to_lowercase()) => {
                    self.problems.push(format!("{key} ({}), bad input: the message {message:?} does not name the field as labelled ({label:?})", self.lang))
                }
                None | Some("") => self.problems.push(format!("{key} ({}): the field {field} has no label or placeholder", self.lang)),
                _ => {}
            }
            for (name, raw) in values.iter().filter(|(n, v)| *n != "password" && !v.starts_with("FILE:") && !v.is_empty()) {
                let expected = self.value(raw);
                let kept = self.client.execute(KEPT_VALUE, vec![json!(action), json!(name)]).await.unwrap();
                if kept.as_str() != Some(expected.as_str()) {
                    self.problems.push(format!("{key} ({}), bad input: {name} typed {expected:?} is not kept (now {kept})", self.lang));
                }
            }
            self.check_width(key).await;
            self.client.goto(&self.t.url(page)).await.unwrap();
        }
        self.submit(action, good).await;
        self.shot(&format!("{key}-good")).await;
        let said = self.body_text().await;
        if let Some(raw) = raw_error(&said) {
            self.problems.push(format!("{key} ({}), good input: raw error text {raw:?}", self.lang));
        }
        let at = self.client.current_url().await.unwrap();
        let error_page = self.client.find(Locator::Css("#error")).await.is_ok();
        if error_page || !at.path().starts_with(lands) {
            let shown = self.client.execute("const e = document.querySelector('.notice.bad'); return e ? e.innerText : '';", vec![]).await.unwrap();
            self.problems.push(format!(
                "{key} ({}), good input: landed on {} (expected {lands}…){}",
                self.lang,
                at.path(),
                if error_page { format!(", an error: {shown}") } else { String::new() }
            ));
        }
        self.check_width(key).await;
    }

    async fn check_width(&mut self, key: &str) {
        let widths = self.client.execute("return [document.documentElement.scrollWidth, window.innerWidth];", vec![]).await.unwrap();
        if widths[0].as_i64() > widths[1].as_i64() {
            self.problems.push(format!("{key} ({}): the page that follows scrolls sideways ({widths})", self.lang));
        }
    }

    /// Follows every link from `starts`, trying each kind of form once (logging out last).
    async fn walk(&mut self, starts: &[String]) {
        let mut queue = VecDeque::from(starts.to_vec());
        let mut seen_pages = BTreeSet::new();
        let mut logout = None;
        while let Some(page) = queue.pop_front() {
            if !seen_pages.insert(pattern(&page)) || seen_pages.len() > 60 {
                continue;
            }
            self.client.goto(&self.t.url(&page)).await.unwrap();
            let found = self
                .client
                .execute(
                    "return [[...document.forms].map(f => [(f.getAttribute('method') || 'get').toUpperCase(), f.getAttribute('action')]),
                             [...document.querySelectorAll('a[href^=\"/\"]')].map(a => a.getAttribute('href'))];",
                    vec![],
                )
                .await
                .unwrap();
            for link in found[1].as_array().unwrap().iter().filter_map(Value::as_str) {
                let path = link.split('#').next().unwrap();
                let skip = ["/lang/", "/static/", "/api/", "/login", "/logout"].iter().any(|p| path.starts_with(p))
                    || path.ends_with("/poster")
                    || path.ends_with("/notice");
                if !skip {
                    queue.push_back(path.to_string());
                }
            }
            for form in found[0].as_array().unwrap() {
                let (method, action) = (form[0].as_str().unwrap(), form[1].as_str().unwrap_or_default());
                let key = format!("{method} {}", pattern(action.split('?').next().unwrap()));
                if key == "POST /logout" {
                    logout = Some((page.clone(), action.to_string()));
                    continue;
                }
                if self.done.insert(key.clone()) {
                    self.try_form(&page, &key, action).await;
                    self.client.goto(&self.t.url(&page)).await.unwrap();
                }
            }
        }
        if let Some((page, action)) = logout
            && self.done.insert("POST /logout".into())
        {
            self.client.goto(&self.t.url(&page)).await.unwrap();
            self.try_form(&page, "POST /logout", &action).await;
        }
    }

    async fn log_in(&mut self, login: &str) {
        self.client.delete_all_cookies().await.unwrap();
        self.client.goto(&self.t.url(&format!("/lang/{}", self.lang))).await.unwrap();
        self.client.goto(&self.t.url("/login")).await.unwrap();
        self.client
            .execute(
                "const [login, password] = arguments; const f = document.querySelector('form[action=\"/login\"]'); f.login.value = login; f.password.value = password; window.__walker = true; f.submit();",
                vec![json!(login), json!(PASSWORD)],
            )
            .await
            .unwrap();
        wait_for_new_page(self.client).await;
    }
}

/// Text that only a crash or an unhandled rejection would show a person.
fn raw_error(text: &str) -> Option<&'static str> {
    ["Failed to deserialize", "invalid type", "expected u32", "missing field", "{\"error\"", "Internal Server Error", "panicked"]
        .into_iter()
        .find(|raw| text.contains(raw))
}

/// The records the pages need to show every form: a roster, a checkpoint with a pending
/// self-registration and a fever, an isolation order, an organisation with a member, a round,
/// a key area, a contact-screening task, and the public links.
async fn records(t: &TestApp) -> (crate::security::Fixture, Vec<String>) {
    // The poster's link is read when the public walk starts: a staff walk rotates it.
    let f = crate::security::fixture(t).await;
    let admin = t.client("admin").await;
    let (status, body) = t
        .send(
            &admin,
            Method::POST,
            &format!("/api/v1/checkpoints/{}/passages", f.checkpoint),
            json!({"id_number": id_number("110105", 40), "direction": "in", "outcome": "passed", "temperature": 38.6}),
        )
        .await;
    assert_eq!(status, 201, "a fever: {body}");
    let (status, body) = t.send(&admin, Method::POST, &format!("/api/v1/people/{}/contacts/screening?window_minutes=60", f.person), Value::Null).await;
    assert!(status < 300, "contacts screened: {body}");
    let (_, link) = t.send(&admin, Method::POST, &format!("/api/v1/households/{}/checkin-link", f.household), Value::Null).await;
    let (_, staff) = t.send(&admin, Method::POST, &format!("/api/v1/organisations/{}/members/{}/link", f.organisation, f.member), Value::Null).await;
    let public = [&link["url"], &staff["url"]]
        .iter()
        .filter_map(|u| u.as_str())
        .map(|u| u.split_once("//").unwrap().1.split_once('/').unwrap().1.to_string())
        .map(|p| format!("/{p}"))
        .collect();
    (f, public)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_form_of_every_page_takes_good_input_and_explains_bad_input_in_both_languages() {
    let t = TestApp::start(Db::Sqlite).await;
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    let (fixture, public) = records(&t).await;
    assert_eq!(public.len(), 2, "a household's and a staff member's link: {public:?}");
    let files = tempfile::tempdir().unwrap();
    let roster = crate::support::roster_csv(&[("101", "表单户", &id_number("150502", 90), "户主", "", "150502001001001", "常住")]);
    std::fs::write(files.path().join("roster.csv"), roster).unwrap();
    let bad = crate::support::roster_csv(&[("102", "坏户", "123", "户主", "", "150502001001001", "常住")]);
    std::fs::write(files.path().join("bad-roster.csv"), bad).unwrap();
    std::fs::write(files.path().join("units.csv"), "code,name,parent_code\n150502001001009,九组,150502001001\n").unwrap();
    std::fs::write(files.path().join("bad-units.csv"), "code,name,parent_code\n999,九组,150502001001\n").unwrap();
    // GeoJSON, in files named as the walker names its files.
    let square = r#"{"type":"Polygon","coordinates":[[[122.0,43.5],[122.1,43.5],[122.1,43.6],[122.0,43.6],[122.0,43.5]]]}"#;
    std::fs::write(files.path().join("boundaries.csv"), format!(r#"{{"type":"Feature","properties":{{"code":"150502001"}},"geometry":{square}}}"#)).unwrap();
    std::fs::write(files.path().join("bad-boundaries.csv"), format!(r#"{{"type":"Feature","properties":{{}},"geometry":{square}}}"#)).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let (_driver, client) = browser(profile.path()).await;
    let mut problems = Vec::new();
    let mut tried = BTreeSet::new();
    for lang in ["zh", "en"] {
        let mut walk = Walk { t: &t, client: &client, lang, files: &files, cases: cases(), done: BTreeSet::new(), problems: Vec::new(), step: 0 };
        for (login, ..) in crate::support::FIXTURE_ACCOUNTS {
            walk.log_in(login).await;
            let landed = client.current_url().await.unwrap().path().to_string();
            // An order's page too, which no page links to yet (issue 14, item 7).
            walk.walk(&[landed, format!("/isolations/{}", fixture.isolation)]).await;
        }
        client.delete_all_cookies().await.unwrap();
        client.goto(&t.url(&format!("/lang/{lang}"))).await.unwrap();
        let (_, cp) = t.get(&admin, &format!("/api/v1/checkpoints/{}", fixture.checkpoint)).await;
        let poster = format!("/r/{}", cp["token"].as_str().expect("the poster's token"));
        for link in public.iter().chain([&poster]) {
            walk.walk(std::slice::from_ref(link)).await;
        }
        tried.extend(walk.done.iter().cloned());
        problems.extend(walk.problems);
    }
    client.close().await.unwrap();
    let untried = cases().into_keys().filter(|k| !tried.contains(*k));
    problems.extend(untried.map(|k| format!("{k}: no page showed it (remove its case, or make the walk reach it)")));
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}
