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
    let (status, body) = t.send(&admin, Method::POST, &format!("/api/v1/people/{}/contacts/screening", f.person), json!({"window_minutes": 60})).await;
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
