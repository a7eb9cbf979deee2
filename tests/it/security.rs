//! What a probe of the running server found (issue 12), each kept closed by a test through
//! HTTP on both databases: the role table walked over every route of the OpenAPI document,
//! another village's ids on every create, the public form that must not rename people, ID
//! numbers probed across villages, body limits, response headers and audited reads.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{Value, json};
use wangge::domain::{Permission, Role};

use crate::api_roster::find_household;
use crate::both;
use crate::support::{Db, FIXTURE_ACCOUNTS, TestApp, client, id_number, sample_roster};

/// The routes of the OpenAPI document: (METHOD, path template).
fn documented_routes() -> BTreeSet<(String, String)> {
    let doc: Value = serde_json::to_value(wangge::http::api::openapi()).expect("the OpenAPI document");
    let mut routes = BTreeSet::new();
    for (path, operations) in doc["paths"].as_object().expect("paths") {
        for method in operations.as_object().expect("operations").keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                routes.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    routes
}

/// Records of 和平社区's first group, which every fixture account but leader2 holds.
pub(crate) struct Fixture {
    pub(crate) household: String,
    pub(crate) resident: String,
    pub(crate) checkpoint: String,
    pub(crate) registration: String,
    pub(crate) person: String,
    pub(crate) isolation: String,
    pub(crate) organisation: String,
    pub(crate) member: String,
    pub(crate) round: String,
    pub(crate) key_area: String,
    /// Local times near the test clock's now: an hour ago, and twelve hours on.
    pub(crate) earlier: String,
    pub(crate) later: String,
}

pub(crate) async fn fixture(t: &TestApp) -> Fixture {
    let admin = t.client("admin").await;
    let (status, body) = t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await;
    assert_eq!(status, 200, "{body}");
    let household = find_household(t, &admin, "150502001001001", "002").await["id"].as_str().unwrap().to_string();
    let (_, record) = t.get(&admin, &format!("/api/v1/households/{household}")).await;
    let resident = record["residents"][0]["id"].as_str().unwrap().to_string();
    let created = |body: Value| {
        assert!(body["id"].is_string(), "{body}");
        body["id"].as_str().unwrap().to_string()
    };
    let (_, cp) = t.send(&admin, Method::POST, "/api/v1/checkpoints", json!({"unit_code": "150502001001001", "name": "一组卡点", "kind": "checkpoint"})).await;
    let checkpoint = created(cp.clone());
    let traveller = client("zh");
    let form = [("name", "过客"), ("id_number", &id_number("110105", 3)), ("phone", "13900002222"), ("from", "北京"), ("to", "一组"), ("purpose", "探亲")];
    let response = traveller.post(t.url(&format!("/r/{}", cp["token"].as_str().unwrap()))).form(&form).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let (_, pending) = t.get(&admin, &format!("/api/v1/checkpoints/{checkpoint}/registrations")).await;
    let registration = pending["items"][0]["id"].as_str().expect("a pending registration").to_string();
    let (_, passage) = t
        .send(
            &admin,
            Method::POST,
            &format!("/api/v1/checkpoints/{checkpoint}/passages"),
            json!({"id_number": id_number("150502", 3), "direction": "in", "outcome": "passed"}),
        )
        .await;
    let person = passage["person_id"].as_str().expect("a person").to_string();
    let (_, order) = t.send(&admin, Method::POST, "/api/v1/isolations", json!({"resident_id": resident, "kind": "home", "reason": "contact"})).await;
    let isolation = created(order);
    let (_, org) =
        t.send(&admin, Method::POST, "/api/v1/organisations", json!({"unit_code": "150502001001001", "name": "一组合作社", "kind": "company"})).await;
    let organisation = created(org);
    let member = uuid::Uuid::now_v7().to_string();
    let (status, body) =
        t.send(&admin, Method::POST, &format!("/api/v1/organisations/{organisation}/members"), json!([{"id": member, "name": "社员甲"}])).await;
    assert_eq!(status, 201, "{body}");
    let (_, round) = t.send(&admin, Method::POST, "/api/v1/units/150502001001001/rounds", json!({"name": "第一轮"})).await;
    let round = created(round);
    let (_, area) = t.send(&admin, Method::POST, "/api/v1/key-areas", json!({"area": "42", "valid_from": &t.local(0)[..10]})).await;
    let key_area = created(area);
    let (earlier, later) = (t.local(-60), t.local(12 * 60));
    Fixture { household, resident, checkpoint, registration, person, isolation, organisation, member, round, key_area, earlier, later }
}

/// The OpenAPI document's answer schemas, to check what the server answers against.
struct Schemas(Value);

impl Schemas {
    /// Whether `answer` fits the schema documented for `method template` answering `status`.
    fn check(&self, method: &str, template: &str, status: u16, answer: &Value) -> Result<(), String> {
        let documented = &self.0["paths"][template][method.to_lowercase()]["responses"][status.to_string()];
        let Some(schema) = documented["content"]["application/json"].get("schema") else {
            return Err(format!("no JSON schema is documented for {status}"));
        };
        // The schema's references point into the document's components: give it them.
        let root = json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "components": self.0["components"], "allOf": [schema]});
        let validator = jsonschema::validator_for(&root).map_err(|e| format!("the schema does not compile: {e}"))?;
        let problems: Vec<String> = validator.iter_errors(answer).take(3).map(|e| format!("{e} at {}", e.instance_path())).collect();
        if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
    }
}

/// Who may call a route: anyone logged in, or a role the table grants a permission.
#[derive(Clone, Copy)]
enum Need {
    Anyone,
    Public,
    P(Permission),
    /// Either of two permissions (the search: the roster, or people seen at checkpoints).
    Either(Permission, Permission),
}

/// Every documented route with the permission it needs and a request that passes its
/// parsing, so that a refusal can only be the role's.
fn route_table(f: &Fixture) -> Vec<(Method, String, String, Need, Value)> {
    use Need::*;
    use Permission::*;
    let unit = "150502001001001";
    let fresh = || uuid::Uuid::now_v7().to_string();
    let rows: Vec<(&str, &str, String, Need, Value)> = vec![
        ("GET", "/api/v1/health", "/api/v1/health".into(), Public, Value::Null),
        ("POST", "/api/v1/login", "/api/v1/login".into(), Public, json!({"login": "nobody", "password": "wrong password"})),
        ("GET", "/api/v1/me", "/api/v1/me".into(), Anyone, Value::Null),
        ("GET", "/api/v1/accounts", "/api/v1/accounts".into(), P(ManageAccounts), Value::Null),
        (
            "POST",
            "/api/v1/accounts",
            "/api/v1/accounts".into(),
            P(ManageAccounts),
            json!({"login": "new-one", "password": "a long enough passphrase", "role": "inspector", "unit_code": unit}),
        ),
        ("GET", "/api/v1/audit", "/api/v1/audit".into(), P(ReadAudit), Value::Null),
        ("POST", "/api/v1/units", "/api/v1/units".into(), P(WriteRoster), json!({"parent_code": unit, "name": "新网格"})),
        (
            "POST",
            "/api/v1/units/import",
            "/api/v1/units/import".into(),
            P(WriteRoster),
            Value::String(format!("code,name,parent_code\n{unit}-09,九格,{unit}\n")),
        ),
        ("GET", "/api/v1/units/{code}", format!("/api/v1/units/{unit}"), Anyone, Value::Null),
        ("PATCH", "/api/v1/units/{code}", format!("/api/v1/units/{unit}"), P(WriteRoster), json!({"name": "一组"})),
        ("GET", "/api/v1/units/{code}/households", format!("/api/v1/units/{unit}/households"), P(ReadRoster), Value::Null),
        ("POST", "/api/v1/units/{code}/roster", format!("/api/v1/units/{unit}/roster"), P(WriteRoster), Value::String("户号,姓名,身份证号\n".into())),
        ("GET", "/api/v1/units/{code}/staff", format!("/api/v1/units/{unit}/staff"), Anyone, Value::Null),
        ("PUT", "/api/v1/units/{code}/staff/{login}", format!("/api/v1/units/{unit}/staff/member1"), P(WriteRoster), json!({"duty": "member"})),
        ("DELETE", "/api/v1/units/{code}/staff/{login}", format!("/api/v1/units/{unit}/staff/member1"), P(WriteRoster), Value::Null),
        ("GET", "/api/v1/units/{code}/issuing-body", format!("/api/v1/units/{unit}/issuing-body"), Anyone, Value::Null),
        ("PUT", "/api/v1/units/{code}/issuing-body", format!("/api/v1/units/{unit}/issuing-body"), P(Command), json!({"name": "一组指挥部", "phone": "12345"})),
        ("POST", "/api/v1/households", "/api/v1/households".into(), P(WriteRoster), json!({"unit_code": unit, "household_no": "900"})),
        ("GET", "/api/v1/households/{id}", format!("/api/v1/households/{}", f.household), P(ReadRoster), Value::Null),
        ("PATCH", "/api/v1/households/{id}", format!("/api/v1/households/{}", f.household), P(WriteRoster), json!({"address": "一组 2 号"})),
        ("PUT", "/api/v1/households/{id}/member", format!("/api/v1/households/{}/member", f.household), P(WriteRoster), json!({"login": "member1"})),
        (
            "POST",
            "/api/v1/households/{id}/residents",
            format!("/api/v1/households/{}/residents", f.household),
            P(WriteRoster),
            json!({"name": "新人", "id_number": id_number("150502", 80)}),
        ),
        ("GET", "/api/v1/members/{login}/households", "/api/v1/members/member1/households".into(), P(ReadRoster), Value::Null),
        ("GET", "/api/v1/residents", "/api/v1/residents?q=张".into(), P(ReadRoster), Value::Null),
        ("GET", "/api/v1/search", "/api/v1/search?q=张".into(), Either(ReadRoster, ReadTrajectories), Value::Null),
        ("GET", "/api/v1/units/{code}/figures/{metric}", format!("/api/v1/units/{unit}/figures/fevers"), P(ReadRoster), Value::Null),
        ("GET", "/api/v1/residents/{id}", format!("/api/v1/residents/{}", f.resident), P(ReadRoster), Value::Null),
        ("PATCH", "/api/v1/residents/{id}", format!("/api/v1/residents/{}", f.resident), P(WriteRoster), json!({"relation": "户主"})),
        ("GET", "/api/v1/key-areas", "/api/v1/key-areas".into(), Anyone, Value::Null),
        ("POST", "/api/v1/key-areas", "/api/v1/key-areas".into(), P(Command), json!({"area": "4201", "valid_from": &f.earlier[..10]})),
        ("DELETE", "/api/v1/key-areas/{id}", format!("/api/v1/key-areas/{}", f.key_area), P(Command), Value::Null),
        (
            "POST",
            "/api/v1/returnees",
            "/api/v1/returnees".into(),
            P(Screen),
            json!({"resident_id": f.resident, "origin": "北京", "arrived_at": f.earlier, "transport": "train"}),
        ),
        ("GET", "/api/v1/units/{code}/returnees", format!("/api/v1/units/{unit}/returnees"), P(ReadRoster), Value::Null),
        ("GET", "/api/v1/units/{code}/rounds", format!("/api/v1/units/{unit}/rounds"), P(ReadRoster), Value::Null),
        ("GET", "/api/v1/units/{code}/colour-map.svg", format!("/api/v1/units/{unit}/colour-map.svg"), P(ReadRoster), Value::Null),
        ("GET", "/api/v1/units/{code}/dashboard", format!("/api/v1/units/{unit}/dashboard"), P(ReadRoster), Value::Null),
        ("GET", "/api/v1/units/{code}/trends", format!("/api/v1/units/{unit}/trends"), P(ReadRoster), Value::Null),
        ("GET", "/api/v1/units/{code}/daily-report.xlsx", format!("/api/v1/units/{unit}/daily-report.xlsx"), P(ReadRoster), Value::Null),
        ("GET", "/api/v1/units/{code}/daily-report.csv", format!("/api/v1/units/{unit}/daily-report.csv"), P(ReadRoster), Value::Null),
        // A village's own leader confirms its day; HQ, allowed the operation, is refused another unit's day (422).
        (
            "POST",
            "/api/v1/units/{code}/reports/{date}/confirm",
            format!("/api/v1/units/150502001001/reports/{}/confirm", wangge::domain::time::local_date(chrono::Utc::now())),
            P(ConfirmReports),
            Value::Null,
        ),
        ("POST", "/api/v1/units/{code}/rounds", format!("/api/v1/units/{unit}/rounds"), P(Command), json!({"name": "第二轮"})),
        ("GET", "/api/v1/rounds/{id}/coverage", format!("/api/v1/rounds/{}/coverage?unit={unit}", f.round), P(ReadRoster), Value::Null),
        ("GET", "/api/v1/rounds/{id}/unvisited", format!("/api/v1/rounds/{}/unvisited?unit={unit}", f.round), P(ReadRoster), Value::Null),
        (
            "POST",
            "/api/v1/rounds/{id}/visits",
            format!("/api/v1/rounds/{}/visits", f.round),
            P(Screen),
            json!({"household_id": f.household, "outcome": "visited"}),
        ),
        (
            "POST",
            "/api/v1/checkpoints",
            "/api/v1/checkpoints".into(),
            P(ManageCheckpoints),
            json!({"unit_code": unit, "name": "二号卡点", "kind": "checkpoint"}),
        ),
        ("GET", "/api/v1/units/{code}/checkpoints", format!("/api/v1/units/{unit}/checkpoints"), Anyone, Value::Null),
        ("GET", "/api/v1/checkpoints/{id}", format!("/api/v1/checkpoints/{}", f.checkpoint), Anyone, Value::Null),
        ("POST", "/api/v1/checkpoints/{id}/token", format!("/api/v1/checkpoints/{}/token", f.checkpoint), P(ManageCheckpoints), Value::Null),
        ("GET", "/api/v1/checkpoints/{id}/poster", format!("/api/v1/checkpoints/{}/poster", f.checkpoint), Anyone, Value::Null),
        ("GET", "/api/v1/checkpoints/{id}/shifts", format!("/api/v1/checkpoints/{}/shifts", f.checkpoint), Anyone, Value::Null),
        (
            "POST",
            "/api/v1/checkpoints/{id}/shifts",
            format!("/api/v1/checkpoints/{}/shifts", f.checkpoint),
            P(ManageCheckpoints),
            json!({"starts_at": f.earlier, "ends_at": f.later, "staff": []}),
        ),
        ("GET", "/api/v1/checkpoints/{id}/passages", format!("/api/v1/checkpoints/{}/passages", f.checkpoint), Anyone, Value::Null),
        (
            "POST",
            "/api/v1/checkpoints/{id}/passages",
            format!("/api/v1/checkpoints/{}/passages", f.checkpoint),
            P(LogPassages),
            json!({"name": "路人", "direction": "in", "outcome": "passed"}),
        ),
        ("GET", "/api/v1/checkpoints/{id}/registrations", format!("/api/v1/checkpoints/{}/registrations", f.checkpoint), Anyone, Value::Null),
        (
            "POST",
            "/api/v1/registrations/{id}/confirm",
            format!("/api/v1/registrations/{}/confirm", f.registration),
            P(LogPassages),
            json!({"temperature": 36.5}),
        ),
        ("GET", "/api/v1/people/{id}/trajectory", format!("/api/v1/people/{}/trajectory", f.person), P(ReadTrajectories), Value::Null),
        ("GET", "/api/v1/people/{id}/contacts", format!("/api/v1/people/{}/contacts", f.person), P(TraceContacts), Value::Null),
        ("POST", "/api/v1/people/{id}/contacts/screening", format!("/api/v1/people/{}/contacts/screening", f.person), P(TraceContacts), Value::Null),
        ("GET", "/api/v1/tasks", "/api/v1/tasks".into(), Anyone, Value::Null),
        ("POST", "/api/v1/alerts/{id}/ack", format!("/api/v1/alerts/{}/ack", fresh()), Anyone, Value::Null),
        ("POST", "/api/v1/screening-tasks/{id}/done", format!("/api/v1/screening-tasks/{}/done", fresh()), P(Screen), Value::Null),
        ("POST", "/api/v1/isolations", "/api/v1/isolations".into(), P(WriteRoster), json!({"resident_id": f.resident, "kind": "home", "reason": "contact"})),
        ("GET", "/api/v1/isolations/{id}", format!("/api/v1/isolations/{}", f.isolation), P(ReadRoster), Value::Null),
        (
            "POST",
            "/api/v1/isolations/{id}/followups",
            format!("/api/v1/isolations/{}/followups", f.isolation),
            P(Screen),
            json!({"temperature": 36.5, "reached": "phone"}),
        ),
        ("POST", "/api/v1/isolations/{id}/end", format!("/api/v1/isolations/{}/end", f.isolation), P(WriteRoster), json!({"days": 20, "reason": "延长观察"})),
        ("GET", "/api/v1/units/{code}/isolations", format!("/api/v1/units/{unit}/isolations"), P(ReadRoster), Value::Null),
        ("GET", "/api/v1/escalations", "/api/v1/escalations".into(), P(ReadRoster), Value::Null),
        ("POST", "/api/v1/checkins", "/api/v1/checkins".into(), P(Screen), json!({"resident_id": f.resident, "status": "well", "where": "home"})),
        ("GET", "/api/v1/units/{code}/checkins", format!("/api/v1/units/{unit}/checkins"), P(ReadRoster), Value::Null),
        ("POST", "/api/v1/households/{id}/checkin-link", format!("/api/v1/households/{}/checkin-link", f.household), P(Screen), Value::Null),
        ("POST", "/api/v1/organisations", "/api/v1/organisations".into(), P(WriteRoster), json!({"unit_code": unit, "name": "二组合作社", "kind": "company"})),
        ("GET", "/api/v1/units/{code}/organisations", format!("/api/v1/units/{unit}/organisations"), P(ReadRoster), Value::Null),
        ("POST", "/api/v1/organisations/{id}/members", format!("/api/v1/organisations/{}/members", f.organisation), P(Screen), json!([{"name": "社员乙"}])),
        (
            "POST",
            "/api/v1/organisations/{id}/members/{member}/link",
            format!("/api/v1/organisations/{}/members/{}/link", f.organisation, f.member),
            P(Screen),
            Value::Null,
        ),
        ("GET", "/api/v1/organisations/{id}/checkins", format!("/api/v1/organisations/{}/checkins", f.organisation), P(ReadRoster), Value::Null),
        (
            "POST",
            "/api/v1/organisations/{id}/checkins",
            format!("/api/v1/organisations/{}/checkins", f.organisation),
            P(Screen),
            json!([{"member_id": f.member, "status": "well", "where": "home"}]),
        ),
        // Last: it ends the session the walk uses.
        ("POST", "/api/v1/logout", "/api/v1/logout".into(), Anyone, Value::Null),
    ];
    rows.into_iter().map(|(method, template, path, need, body)| (method.parse().unwrap(), template.to_string(), path, need, body)).collect()
}

async fn every_route_allows_the_roles_the_table_says(db: Db) {
    let t = TestApp::start(db).await;
    let f = fixture(&t).await;
    let table = route_table(&f);
    let walked: BTreeSet<(String, String)> = table.iter().map(|(m, template, ..)| (m.to_string(), template.clone())).collect();
    let documented = documented_routes();
    assert_eq!(walked, documented, "every documented route needs a row in the role walk (and no row may name an undocumented one)");
    let mut wrong = Vec::new();
    let answers = Schemas(serde_json::to_value(wangge::http::api::openapi()).unwrap());
    assert!(answers.check("GET", "/api/v1/accounts", 200, &json!({"items": "not a list"})).is_err(), "the schema check can fail");
    let mut checked = BTreeSet::new();
    for (login, role, _) in FIXTURE_ACCOUNTS.iter().filter(|(login, ..)| *login != "leader2") {
        let role = Role::parse(role).unwrap();
        let c = t.client(login).await;
        for (method, template, path, need, body) in &table {
            let request = c.request(method.clone(), t.url(path));
            let request = match body {
                Value::Null => request,
                Value::String(text) => request.header("content-type", "text/csv").body(text.clone()),
                json => request.json(json),
            };
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let json = response.headers().get("content-type").is_some_and(|t| t.as_bytes().starts_with(b"application/json"));
            if (200..300).contains(&status) && json {
                let answer: Value = response.json().await.unwrap();
                checked.insert((method.to_string(), template.clone()));
                if let Err(why) = answers.check(method.as_str(), template, status, &answer) {
                    wrong.push(format!("{login} {method} {template}: the {status} answer does not match its schema: {why}"));
                }
            }
            let allowed = match need {
                Need::Public | Need::Anyone => true,
                Need::P(permission) => role.may(*permission),
                Need::Either(one, other) => role.may(*one) || role.may(*other),
            };
            let fine = match need {
                Need::Public => status < 500,
                _ if allowed => status != 403 && status != 401 && status < 500,
                _ => status == 403,
            };
            if !fine {
                wrong.push(format!("{login} ({}) {method} {template}: {status}, expected {}", role.as_str(), if allowed { "allowed" } else { "403" }));
            }
        }
    }
    assert!(wrong.is_empty(), "the role table is not what the routes do:\n{}", wrong.join("\n"));
    assert!(checked.len() >= 45, "answers checked against their schemas: {} routes", checked.len());
    // Without a session, only the public routes answer.
    let anonymous = client("en");
    for (method, template, path, need, _) in &table {
        if matches!(need, Need::Public) {
            continue;
        }
        let status = anonymous.request(method.clone(), t.url(path)).send().await.unwrap().status().as_u16();
        assert_eq!(status, 401, "anonymous {method} {template}");
    }
}
both!(every_route_allows_the_roles_the_table_says);

/// The creates that take a client's `id`, from the OpenAPI document: the request body (or
/// each item of an array body) has an `id` property.
fn documented_creates_with_ids() -> BTreeSet<String> {
    let doc: Value = serde_json::to_value(wangge::http::api::openapi()).expect("the OpenAPI document");
    let resolve = |schema: &Value| -> Value {
        match schema["$ref"].as_str() {
            Some(reference) => doc["components"]["schemas"][reference.rsplit('/').next().unwrap()].clone(),
            None => schema.clone(),
        }
    };
    let mut creates = BTreeSet::new();
    for (path, operations) in doc["paths"].as_object().unwrap() {
        let Some(schema) = operations["post"]["requestBody"]["content"]["application/json"].get("schema") else { continue };
        let schema = resolve(schema);
        let item = if schema["type"] == "array" { resolve(&schema["items"]) } else { schema };
        if item["properties"].get("id").is_some() {
            creates.insert(path.clone());
        }
    }
    creates
}

/// One village's parents for the creates: a household, a resident, a checkpoint, an
/// isolation order and an organisation.
struct Village {
    unit: &'static str,
    household: String,
    resident: String,
    checkpoint: String,
    isolation: String,
    organisation: String,
}

async fn village(t: &TestApp, login: &str, unit: &'static str, number: &str) -> Village {
    let c = t.client(login).await;
    let household = find_household(t, &c, unit, number).await["id"].as_str().unwrap().to_string();
    let (_, record) = t.get(&c, &format!("/api/v1/households/{household}")).await;
    let resident = record["residents"][0]["id"].as_str().unwrap().to_string();
    let id = |(status, body): (u16, Value)| {
        assert_eq!(status, 201, "{body}");
        body["id"].as_str().unwrap().to_string()
    };
    let checkpoint = id(t.send(&c, Method::POST, "/api/v1/checkpoints", json!({"unit_code": unit, "name": "卡点", "kind": "checkpoint"})).await);
    let isolation = id(t.send(&c, Method::POST, "/api/v1/isolations", json!({"resident_id": resident, "kind": "home", "reason": "contact"})).await);
    let organisation = id(t.send(&c, Method::POST, "/api/v1/organisations", json!({"unit_code": unit, "name": "合作社", "kind": "company"})).await);
    Village { unit, household, resident, checkpoint, isolation, organisation }
}

/// A create in a village: (path, body without an id), `n` making the body's own values.
/// An isolation order needs a resident of its own, added first.
async fn create(t: &TestApp, c: &reqwest::Client, template: &str, v: &Village, n: u16, at: &str) -> (String, Value) {
    if template == "/api/v1/isolations" {
        let (status, added) = t
            .send(
                c,
                Method::POST,
                &format!("/api/v1/households/{}/residents", v.household),
                json!({"name": "隔离者", "id_number": id_number("150502", 700 + n)}),
            )
            .await;
        assert_eq!(status, 201, "{added}");
        return (template.into(), json!({"resident_id": added["id"], "kind": "home", "reason": "contact"}));
    }
    let name = numbered_name("人", n);
    match template {
        "/api/v1/households" => (template.into(), json!({"unit_code": v.unit, "household_no": format!("9{n:02}")})),
        "/api/v1/households/{id}/residents" => {
            (format!("/api/v1/households/{}/residents", v.household), json!({"name": name, "id_number": id_number("150502", 500 + n)}))
        }
        "/api/v1/returnees" => {
            ("/api/v1/returnees".into(), json!({"resident_id": v.resident, "origin": format!("北京{n}"), "arrived_at": at, "transport": "train"}))
        }
        "/api/v1/checkpoints" => (template.into(), json!({"unit_code": v.unit, "name": format!("卡点{n}"), "kind": "checkpoint"})),
        "/api/v1/checkpoints/{id}/passages" => {
            (format!("/api/v1/checkpoints/{}/passages", v.checkpoint), json!({"name": name, "direction": "in", "outcome": "passed"}))
        }
        "/api/v1/isolations/{id}/followups" => {
            (format!("/api/v1/isolations/{}/followups", v.isolation), json!({"temperature": 36.5, "reached": "phone", "note": name}))
        }
        "/api/v1/organisations" => (template.into(), json!({"unit_code": v.unit, "name": format!("合作社{n}"), "kind": "company"})),
        "/api/v1/organisations/{id}/members" => (format!("/api/v1/organisations/{}/members", v.organisation), json!([{"name": name}])),
        other => panic!("no case for the create {other}: add one to `create` in tests/it/security.rs"),
    }
}

fn with_id(body: &Value, id: &str) -> Value {
    let mut body = body.clone();
    match &mut body {
        Value::Array(items) => items[0]["id"] = json!(id),
        object => object["id"] = json!(id),
    }
    body
}

/// The id a create answers with (members answer with how many were added).
fn answered_id(body: &Value, sent: &str) -> String {
    body["id"].as_str().map(str::to_string).unwrap_or_else(|| sent.to_string())
}

async fn another_villages_ids_are_refused_on_every_create(db: Db) {
    let t = TestApp::start(db).await;
    let admin = t.client("admin").await;
    let (status, body) = t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await;
    assert_eq!(status, 200, "{body}");
    let mine = village(&t, "leader1", "150502001001001", "001").await;
    let theirs = village(&t, "leader2", "150502001002001", "001").await;
    let (leader1, leader2) = (t.client("leader1").await, t.client("leader2").await);
    let creates = documented_creates_with_ids();
    assert!(creates.len() >= 9, "{creates:?}");
    let at = t.local(-60);
    for (n, template) in creates.iter().enumerate() {
        let n = n as u16 * 10;
        // leader2 writes a record with an id of their choosing and one with the server's.
        let chosen = uuid::Uuid::now_v7().to_string();
        let (path, body) = create(&t, &leader2, template, &theirs, n, &at).await;
        let (status, answer) = t.send(&leader2, Method::POST, &path, with_id(&body, &chosen)).await;
        assert_eq!(status, 201, "leader2 {template}: {answer}");
        let (path, body) = create(&t, &leader2, template, &theirs, n + 1, &at).await;
        let (status, answer) = t.send(&leader2, Method::POST, &path, body).await;
        assert!(status == 201, "leader2 {template}: {answer}");
        let server_made = answered_id(&answer, "");
        // leader1 names those ids on a create of their own: refused, and told nothing.
        for (i, id) in [chosen.clone(), server_made].into_iter().filter(|id| !id.is_empty()).enumerate() {
            let (path, body) = create(&t, &leader1, template, &mine, n + 2 + i as u16, &at).await;
            let (status, answer) = t.send(&leader1, Method::POST, &path, with_id(&body, &id)).await;
            assert_eq!(status, 409, "leader1 {template} with leader2's id: {answer}");
            assert_eq!(answer["error"], "conflict", "{answer}");
            let text = answer.to_string();
            for secret in ["人", "卡点", "合作社", "北京", "150502001002"] {
                assert!(!text.contains(secret), "the refusal of {template} tells something of leader2's record: {text}");
            }
        }
        // leader1's own id: the same request again answers the same record; another body is refused.
        let own = uuid::Uuid::now_v7().to_string();
        let (path, body) = create(&t, &leader1, template, &mine, n + 5, &at).await;
        let (status, first) = t.send(&leader1, Method::POST, &path, with_id(&body, &own)).await;
        assert_eq!(status, 201, "leader1 {template}: {first}");
        let (status, again) = t.send(&leader1, Method::POST, &path, with_id(&body, &own)).await;
        assert!(status == 200 || status == 201, "leader1 {template} again: {again}");
        assert_eq!(answered_id(&again, &own), answered_id(&first, &own), "{template}: a retry answers the stored record");
        let (path, other_body) = create(&t, &leader1, template, &mine, n + 6, &at).await;
        let (status, answer) = t.send(&leader1, Method::POST, &path, with_id(&other_body, &own)).await;
        assert_eq!(status, 409, "leader1 {template}, the same id with another body: {answer}");
        // The same request from leader2, outside the record's village, is refused too.
        let (status, answer) = t.send(&leader2, Method::POST, &path, with_id(&body, &own)).await;
        assert!(status == 409 || status == 404, "leader2 replays leader1's {template}: {answer}");
    }
}
both!(another_villages_ids_are_refused_on_every_create);

/// What a traveller types on the public form, or a checkpoint in one village, belongs to that
/// registration or passage: each village sees a person as it knows them, and nobody renames
/// them for the others.
async fn the_public_form_never_renames_a_person(db: Db) {
    let t = TestApp::start(db).await;
    let (leader1, leader2) = (t.client("leader1").await, t.client("leader2").await);
    let checkpoint = |c: reqwest::Client, unit: &'static str, name: &'static str| {
        let t = &t;
        async move {
            let (status, cp) = t.send(&c, Method::POST, "/api/v1/checkpoints", json!({"unit_code": unit, "name": name, "kind": "checkpoint"})).await;
            assert_eq!(status, 201, "{cp}");
            (cp["id"].as_str().unwrap().to_string(), cp["token"].as_str().unwrap().to_string())
        }
    };
    let (mine, my_token) = checkpoint(leader1.clone(), "150502001001", "甲卡点").await;
    let (theirs, their_token) = checkpoint(leader2.clone(), "150502001002", "乙卡点").await;
    let someone = id_number("150502", 42);
    let (status, first) = t
        .send(
            &leader1,
            Method::POST,
            &format!("/api/v1/checkpoints/{mine}/passages"),
            json!({"id_number": someone, "name": "王强", "phone": "13900001111", "direction": "in", "outcome": "passed"}),
        )
        .await;
    assert_eq!(status, 201, "{first}");
    let person = first["person_id"].as_str().unwrap().to_string();
    // A stranger registers at the other village's poster with the same ID number, another name and phone.
    t.clock.advance(chrono::Duration::minutes(1));
    let form = [("name", "假名"), ("id_number", someone.as_str()), ("phone", "13800009999"), ("from", "北京"), ("to", "乙村"), ("purpose", "探亲")];
    let response = client("zh").post(t.url(&format!("/r/{their_token}"))).form(&form).send().await.unwrap();
    assert_eq!(response.status(), 200);
    // The other village's checkpoint types yet another phone.
    t.clock.advance(chrono::Duration::minutes(1));
    let (status, second) = t
        .send(
            &leader2,
            Method::POST,
            &format!("/api/v1/checkpoints/{theirs}/passages"),
            json!({"id_number": someone, "phone": "13700007777", "direction": "out", "outcome": "passed"}),
        )
        .await;
    assert_eq!(status, 201, "{second}");
    assert_eq!(second["person_id"], first["person_id"], "the same ID number is the same person");
    // The first village still sees what it typed, in its list and on the person's page.
    let (_, listed) = t.get(&leader1, &format!("/api/v1/checkpoints/{mine}/passages")).await;
    assert_eq!(listed["items"][0]["name"], "王强", "{listed}");
    assert_eq!(listed["items"][0]["phone"], "139****1111", "{listed}");
    let (_, trajectory) = t.get(&leader1, &format!("/api/v1/people/{person}/trajectory")).await;
    assert_eq!(trajectory["person"]["name"], "王强", "{trajectory}");
    assert_eq!(trajectory["person"]["phone"], "13900001111", "{trajectory}");
    for elsewhere in ["假名", "13800009999", "13700007777"] {
        assert!(!trajectory.to_string().contains(elsewhere), "leader1 sees what was typed in another village: {trajectory}");
    }
    // And the other village sees nothing the first typed.
    let (_, theirs_seen) = t.get(&leader2, &format!("/api/v1/people/{person}/trajectory")).await;
    let (_, their_list) = t.get(&leader2, &format!("/api/v1/checkpoints/{theirs}/passages")).await;
    for elsewhere in ["王强", "13900001111", "139****1111"] {
        assert!(
            !theirs_seen.to_string().contains(elsewhere) && !their_list.to_string().contains(elsewhere),
            "leader2 sees what leader1 typed: {theirs_seen} {their_list}"
        );
    }
    // A stranger at the first village's own poster renames nobody there either: a later passage
    // by ID number alone still shows what the village's staff typed.
    t.clock.advance(chrono::Duration::minutes(1));
    let form = [("name", "坏人"), ("id_number", someone.as_str()), ("phone", "13911112222"), ("from", "北京"), ("to", "甲村"), ("purpose", "探亲")];
    let response = client("zh").post(t.url(&format!("/r/{my_token}"))).form(&form).send().await.unwrap();
    assert_eq!(response.status(), 200);
    t.clock.advance(chrono::Duration::minutes(1));
    let (_, later) = t
        .send(
            &leader1,
            Method::POST,
            &format!("/api/v1/checkpoints/{mine}/passages"),
            json!({"id_number": someone, "direction": "out", "outcome": "passed", "temperature": 38.5}),
        )
        .await;
    assert_eq!(later["name"], "王强", "{later}");
    let (_, trajectory) = t.get(&leader1, &format!("/api/v1/people/{person}/trajectory")).await;
    assert_eq!(trajectory["person"]["name"], "王强", "{trajectory}");
    let (_, tasks) = t.get(&leader1, "/api/v1/tasks").await;
    assert!(tasks.to_string().contains("38.5 °C · 王强"), "the fever alert names the person as the village knows them: {tasks}");
    // Confirming the stranger's registration with a fever alerts under the name the village knows.
    let (_, pending) = t.get(&leader1, &format!("/api/v1/checkpoints/{mine}/registrations")).await;
    let stranger =
        pending["items"].as_array().unwrap().iter().find(|r| r["name"] == "坏人").expect("the stranger's registration")["id"].as_str().unwrap().to_string();
    let (status, confirmed) = t.send(&leader1, Method::POST, &format!("/api/v1/registrations/{stranger}/confirm"), json!({"temperature": 38.9})).await;
    assert_eq!(status, 200, "{confirmed}");
    let (_, tasks) = t.get(&leader1, "/api/v1/tasks").await;
    assert!(tasks.to_string().contains("38.9 °C · 王强") && !tasks.to_string().contains("坏人"), "{tasks}");
    // A case passing the same checkpoint then: the contact list names the person as the village
    // knows them, never as the stranger typed, in the list and in its sheet.
    let (status, case) =
        t.send(&leader1, Method::POST, &format!("/api/v1/checkpoints/{mine}/passages"), json!({"name": "病例", "direction": "in", "outcome": "passed"})).await;
    assert_eq!(status, 201, "{case}");
    let case = case["person_id"].as_str().unwrap();
    let (_, contacts) = t.get(&leader1, &format!("/api/v1/people/{case}/contacts?window_minutes=30")).await;
    assert!(contacts.to_string().contains("王强") && !contacts.to_string().contains("坏人"), "{contacts}");
    let sheet = leader1.get(t.url(&format!("/api/v1/people/{case}/contacts?window_minutes=30&format=csv"))).send().await.unwrap().text().await.unwrap();
    assert!(!sheet.contains("坏人") && !sheet.contains("13911112222"), "{sheet}");
    // The registration keeps what the traveller typed, seen where it was made.
    let (_, pending) = t.get(&leader2, &format!("/api/v1/checkpoints/{theirs}/registrations")).await;
    assert_eq!(pending["items"][0]["name"], "假名", "{pending}");
    // The public form takes no id: one naming another checkpoint's registration is a new
    // registration, and the answer holds nothing of the other.
    let registration = pending["items"][0]["id"].as_str().unwrap().to_string();
    let form = [
        ("id", registration.as_str()),
        ("name", "李四"),
        ("id_number", &id_number("150502", 43)),
        ("phone", "13800001234"),
        ("from", "北京"),
        ("to", "甲村"),
        ("purpose", "探亲"),
    ];
    let response = client("zh").post(t.url(&format!("/r/{my_token}"))).form(&form).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(!text.contains("假名") && !text.contains("乙卡点"), "{text}");
    let (_, pending) = t.get(&leader1, &format!("/api/v1/checkpoints/{mine}/registrations")).await;
    let names: Vec<&str> = pending["items"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"李四"), "a registration of its own: {pending}");
    assert!(pending["items"].as_array().unwrap().iter().all(|r| r["id"] != registration.as_str()));
    // The checkpoint role reads no roster: a resident's passage and trajectory show no name or
    // phone from it.
    let admin = t.client("admin").await;
    t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await;
    let staff = t.client("checkpoint").await;
    let (_, passage) = t
        .send(
            &staff,
            Method::POST,
            &format!("/api/v1/checkpoints/{mine}/passages"),
            json!({"id_number": id_number("150502", 1), "direction": "in", "outcome": "passed"}),
        )
        .await;
    assert!(!passage.to_string().contains("张三"), "{passage}");
    let (_, trajectory) = t.get(&staff, &format!("/api/v1/people/{}/trajectory", passage["person_id"].as_str().unwrap())).await;
    assert!(!trajectory.to_string().contains("张三") && !trajectory.to_string().contains("13812345678"), "{trajectory}");
    let (_, trajectory) = t.get(&leader1, &format!("/api/v1/people/{}/trajectory", passage["person_id"].as_str().unwrap())).await;
    assert_eq!(trajectory["person"]["name"], "张三", "a roster reader sees the roster's name: {trajectory}");
}
both!(the_public_form_never_renames_a_person);

/// A resident whose ID number is registered in another village: the caller learns only that
/// the HQ over both places must settle it, and that HQ finds it in its inbox.
async fn an_id_number_held_in_another_village_goes_to_the_hq_over_both(db: Db) {
    let t = TestApp::start(db).await;
    let admin = t.client("admin").await;
    t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await;
    let leader2 = t.client("leader2").await;
    let hq = t.client("hq").await;
    let conflicts =
        |tasks: Value| tasks["items"].as_array().unwrap().iter().filter(|task| task["kind"] == "id_conflict_alert").cloned().collect::<Vec<Value>>();
    // 张三 (person 1) lives in leader1's village: a roster row naming them is refused by row,
    // saying nothing of where, and the county's HQ (over both villages) is told.
    let roster = crate::support::roster_csv(&[("005", "张三", &id_number("150502", 1), "户主", "", "150502001002001", "常住")]);
    let (status, answer) = t.upload_roster(&leader2, "150502001002", "text/csv", roster.into_bytes()).await;
    assert_eq!(status, 422, "{answer}");
    assert_eq!(answer["errors"][0]["row"], 2, "{answer}");
    assert!(answer["errors"][0]["message"].as_str().unwrap().contains("HQ over both"), "{answer}");
    assert!(!answer.to_string().contains("150502001001"), "{answer}");
    assert_eq!(conflicts(t.get(&hq, "/api/v1/tasks").await.1).len(), 1, "the roster's conflict is in HQ's inbox");
    let theirs = find_household(&t, &leader2, "150502001002001", "001").await["id"].as_str().unwrap().to_string();
    let (status, answer) =
        t.send(&leader2, Method::POST, &format!("/api/v1/households/{theirs}/residents"), json!({"name": "张三", "id_number": id_number("150502", 1)})).await;
    assert_eq!(status, 422, "{answer}");
    let text = answer.to_string();
    assert!(text.contains("HQ over both"), "{text}");
    assert!(!text.contains("已存在") && !text.contains("already exists") && !text.contains("150502001001"), "says nothing of where: {text}");
    // Registering them as a returnee says the same.
    let (status, answer) = t.send(&leader2, Method::POST, "/api/v1/returnees", json!({"id_number": id_number("150502", 1), "name": "张三", "household_id": theirs, "origin": "北京", "arrived_at": t.local(-60), "transport": "train"})).await;
    assert_eq!(status, 422, "{answer}");
    // hq holds the county, over both villages.
    let (_, tasks) = t.get(&hq, "/api/v1/tasks").await;
    let found = conflicts(tasks.clone());
    assert_eq!(found.len(), 1, "one task for the same conflict, however often tried: {tasks}");
    let subject = found[0]["subject"].as_str().unwrap();
    assert!(subject.contains("****") && !subject.contains(&id_number("150502", 1)), "masked: {subject}");
    assert!(subject.contains("和平社区·一组") && subject.contains("胜利社区·一组"), "the places told apart: {subject}");
    for login in ["leader1", "leader2"] {
        let c = t.client(login).await;
        let (_, tasks) = t.get(&c, "/api/v1/tasks").await;
        assert!(!tasks.to_string().contains("id_conflict"), "{login} holds only one of the places: {tasks}");
    }
    // Inside the caller's own subtree it is an ordinary conflict.
    let leader1 = t.client("leader1").await;
    let mine = find_household(&t, &leader1, "150502001001002", "003").await["id"].as_str().unwrap().to_string();
    let (status, answer) =
        t.send(&leader1, Method::POST, &format!("/api/v1/households/{mine}/residents"), json!({"name": "张三", "id_number": id_number("150502", 1)})).await;
    assert_eq!(status, 409, "{answer}");
    // A file cannot probe ID numbers in bulk: past 20 such rows it is refused naming none, the
    // attempt is audited, and HQ's inbox takes at most 20 tasks.
    let people: Vec<(String, String)> = (0..25u16).map(|n| (numbered_name("居民", n), id_number("150502", 300 + n))).collect();
    let roster = |unit: &'static str| {
        let rows: Vec<(String, &str, &str)> =
            people.iter().enumerate().map(|(i, (name, id))| (format!("{:03}", 100 + i), name.as_str(), id.as_str())).collect();
        crate::support::roster_csv(&rows.iter().map(|(h, n, id)| (h.as_str(), *n, *id, "户主", "", unit, "常住")).collect::<Vec<_>>())
    };
    let (status, answer) = t.upload_roster(&leader1, "150502001001", "text/csv", roster("150502001001002").into_bytes()).await;
    assert_eq!(status, 200, "{answer}");
    let (status, answer) = t.upload_roster(&leader2, "150502001002", "text/csv", roster("150502001002001").into_bytes()).await;
    assert_eq!(status, 422, "{answer}");
    let errors = answer["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "one error for the whole file: {answer}");
    assert_eq!(errors[0]["row"], 0, "no row named: {answer}");
    assert!(
        errors[0]["message"].as_str().unwrap().contains("many rows"),
        "no count: it would tell how many of the file's numbers are held elsewhere: {answer}"
    );
    assert_eq!(conflicts(t.get(&hq, "/api/v1/tasks").await.1).len(), 1 + 25, "every conflict reaches HQ, however many the file names");
    let admin = t.client("admin").await;
    let (_, audit) = t.get(&admin, "/api/v1/audit?limit=1000").await;
    assert!(
        audit["items"].as_array().unwrap().iter().any(|e| e["actor"] == "leader2" && e["action"] == "refuse" && e["entity"] == "roster"),
        "the attempt is audited"
    );
}
both!(an_id_number_held_in_another_village_goes_to_the_hq_over_both);

/// Bodies are small unless the route takes files, and the protections ride on every answer.
async fn small_bodies_and_protective_headers(db: Db) {
    let t = TestApp::start_with(db, |app| app.settings.secure_cookies = true).await;
    let anonymous = client("en");
    let big = "x".repeat(100 * 1024);
    let response =
        anonymous.post(t.url("/api/v1/login")).header("content-type", "application/json").body(format!("{{\"login\": \"{big}\"}}")).send().await.unwrap();
    assert_eq!(response.status(), 413, "a login is not 100 KB");
    let response = anonymous.post(t.url("/login")).form(&[("login", big.as_str()), ("password", "x")]).send().await.unwrap();
    assert_eq!(response.status(), 413);
    // An upload route takes a large file from someone logged in, and nothing from anyone else.
    let admin = t.client("admin").await;
    let mut roster = sample_roster();
    while roster.len() < 200 * 1024 {
        roster.push_str("# padding\n");
    }
    let response = anonymous.post(t.url("/api/v1/units/150502001/roster")).header("content-type", "text/csv").body(roster.clone()).send().await.unwrap();
    assert_eq!(response.status(), 401);
    let (status, body) = t.upload_roster(&admin, "150502001", "text/csv", roster.into_bytes()).await;
    assert_ne!(status, 413, "{body}");
    // Past the upload limit, a role that may not import is refused before its body is read
    // (403, not 413); one that may is told the file is too large.
    let huge = vec![b'#'; wangge::http::body::UPLOAD + 1];
    for (login, unit, expected) in [("leader2", "150502001001", 404), ("member1", "150502001001001", 403)] {
        let (status, whole_body_sent) = upload_in_chunks(&t, login, &format!("/api/v1/units/{unit}/roster"), huge.len()).await;
        assert_eq!((status, whole_body_sent), (Some(expected), false), "{login} is refused before the body is read");
    }
    let (status, _) = upload_in_chunks(&t, "admin", "/api/v1/units/150502001/roster", huge.len()).await;
    assert_eq!(status, Some(413), "one who may import is told the file is too large");
    // Headers.
    let response = anonymous.post(t.url("/api/v1/login")).json(&json!({"login": "admin", "password": crate::support::PASSWORD})).send().await.unwrap();
    let headers = response.headers().clone();
    assert!(headers["content-security-policy"].to_str().unwrap().contains("default-src 'self'"));
    assert!(headers["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"));
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert_eq!(headers["cache-control"], "no-store");
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.ends_with("; Secure"), "{cookie}");
    let page = anonymous.get(t.url("/login")).send().await.unwrap();
    assert_eq!(page.headers()["cache-control"], "no-store");
    assert!(page.headers().contains_key("content-security-policy"));
    let css = anonymous.get(t.url("/static/app.css")).send().await.unwrap();
    assert!(css.headers()["cache-control"].to_str().unwrap().starts_with("public"), "static files may be cached");
    // Answers are compressed for a client that takes gzip.
    let page = admin.get(t.url("/units/150502001001001")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(page.headers().get("content-encoding").map(|v| v.to_str().unwrap()), Some("gzip"));
    // The policy forbids inline script and style, so the pages hold none (an error page included).
    let (_, unit) = t.get(&admin, "/api/v1/units/150502001001001").await;
    assert!(unit["code"].is_string(), "{unit}");
    for path in ["/", "/units/150502001001", "/units/150502001001001", "/tasks", "/key-areas", "/accounts", "/audit", "/units/999999", "/login"] {
        let page = admin.get(t.url(path)).send().await.unwrap().text().await.unwrap();
        for inline in ["javascript:", " onclick=", " onload=", " style=", "<style", "<script>"] {
            assert!(!page.contains(inline), "{path} holds inline {inline:?}, which the policy blocks");
        }
    }
}
both!(small_bodies_and_protective_headers);

/// Reads that name people are audited: an isolation order (API, page, notice), an
/// organisation's day list, a search by a full ID number, and a link handed out again.
async fn reads_of_people_are_audited(db: Db) {
    let t = TestApp::start(db).await;
    let f = fixture(&t).await;
    let leader = t.client("leader1").await;
    for path in [format!("/api/v1/isolations/{}", f.isolation), format!("/isolations/{}", f.isolation), format!("/isolations/{}/notice", f.isolation)] {
        let response = leader.get(t.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
    let (status, _) = t.get(&leader, &format!("/api/v1/organisations/{}/checkins", f.organisation)).await;
    assert_eq!(status, 200);
    let (_, found) = t.get(&leader, &format!("/api/v1/residents?q={}", id_number("150502", 3))).await;
    assert_eq!(found["items"].as_array().unwrap().len(), 1, "{found}");
    let (_, found) = t.get(&leader, "/api/v1/residents?q=13912345678").await;
    assert_eq!(found["items"].as_array().unwrap().len(), 1, "by phone: {found}");
    let wide: String =
        id_number("150502", 3).chars().map(|c| if c == 'X' { 'Ｘ' } else { char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap() }).collect();
    let (_, found) = t.get(&leader, &format!("/api/v1/residents?q={wide}")).await;
    assert_eq!(found["items"].as_array().unwrap().len(), 1, "full-width digits are the same number: {found}");
    let (status, _) = t.get(&leader, "/api/v1/units/150502001001/isolations").await;
    assert_eq!(status, 200);
    let (status, _) = t.get(&leader, "/api/v1/units/150502001001/returnees").await;
    assert_eq!(status, 200);
    // A failed login of a login nobody has belongs to no place: the region's admin sees it.
    let response = client("en").post(t.url("/api/v1/login")).json(&json!({"login": "made-up", "password": "guess number one"})).send().await.unwrap();
    assert_eq!(response.status(), 401);
    let response =
        client("en").post(t.url("/api/v1/login")).json(&json!({"login": "NoSuch\u{202e}User", "password": "guess number two"})).send().await.unwrap();
    assert_eq!(response.status(), 401, "a login no account can have is answered alike");
    for _ in 0..2 {
        let (status, _) = t.send(&leader, Method::POST, &format!("/api/v1/households/{}/checkin-link", f.household), Value::Null).await;
        assert_eq!(status, 200);
        let (status, _) = t.send(&leader, Method::POST, &format!("/api/v1/organisations/{}/members/{}/link", f.organisation, f.member), Value::Null).await;
        assert_eq!(status, 200);
    }
    let admin = t.client("admin").await;
    let (_, audit) = t.get(&admin, "/api/v1/audit?limit=1000").await;
    let by_leader: Vec<&Value> = audit["items"].as_array().unwrap().iter().filter(|e| e["actor"] == "leader1").collect();
    let count = |entity: &str, action: &str| by_leader.iter().filter(|e| e["entity"] == entity && e["action"] == action).count();
    assert_eq!(count("isolation", "read"), 3, "API, page and notice: {by_leader:?}");
    assert_eq!(count("organisation", "read"), 1);
    let searches: Vec<&&Value> = by_leader.iter().filter(|e| e["entity"] == "resident" && e["action"] == "read").collect();
    assert_eq!(searches.len(), 3, "the searches by ID number (narrow and wide) and by phone: {searches:?}");
    for search in searches {
        let detail = search["detail"].as_str().unwrap();
        assert!(!detail.contains(&id_number("150502", 3)) && !detail.contains("13912345678"), "the audit keeps the number masked: {search}");
    }
    assert_eq!(count("isolations", "read"), 1, "the unit's orders in full");
    assert_eq!(count("returnees", "read"), 1, "the unit's returnees with their health");
    assert!(audit["items"].as_array().unwrap().iter().any(|e| e["action"] == "login_failed" && e["entity_id"] == "made-up"), "{audit}");
    assert!(audit["items"].as_array().unwrap().iter().any(|e| e["action"] == "login_failed" && e["entity_id"] == "!nosuchuser"), "and audited: {audit}");
    assert_eq!((count("checkin_link", "create"), count("checkin_link", "read")), (1, 1), "made once, handed out again once");
    assert_eq!(count("staff_link", "read"), 1, "handed out again once");
}
both!(reads_of_people_are_audited);

/// Sends a `length`-byte upload as `login` over a plain connection, a chunk at a time, while
/// reading the answer: its status, and whether the whole body had been sent when it came (a
/// request refused without reading its body is answered before).
async fn upload_in_chunks(t: &TestApp, login: &str, path: &str, length: usize) -> (Option<u16>, bool) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let response = client("en").post(t.url("/api/v1/login")).json(&json!({"login": login, "password": crate::support::PASSWORD})).send().await.unwrap();
    let cookie = response.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let address = t.base.trim_start_matches("http://").to_string();
    let stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let (mut reading, mut writing) = stream.into_split();
    let head = format!("POST {path} HTTP/1.1\r\nHost: {address}\r\nCookie: {cookie}\r\nContent-Type: text/csv\r\nContent-Length: {length}\r\n\r\n");
    writing.write_all(head.as_bytes()).await.unwrap();
    let sender = tokio::spawn(async move {
        let chunk = vec![b'#'; 64 * 1024];
        let mut sent = 0;
        while sent < length {
            let n = chunk.len().min(length - sent);
            if writing.write_all(&chunk[..n]).await.is_err() {
                return false;
            }
            sent += n;
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        true
    });
    let mut answer = vec![0u8; 64];
    let read = reading.read(&mut answer).await.unwrap_or(0);
    let finished = sender.is_finished() && sender.await.unwrap_or(false);
    let line = String::from_utf8_lossy(&answer[..read]).to_string();
    let status = line.split(' ').nth(1).and_then(|code| code.parse().ok());
    (status, finished)
}

/// A name for person `n` (below 100) without digits, which names may not hold: 人甲乙.
fn numbered_name(stem: &str, n: u16) -> String {
    let stems = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
    format!("{stem}{}{}", stems[usize::from(n / 10 % 10)], stems[usize::from(n % 10)])
}

/// Naming an account from elsewhere answers as naming one that does not exist: no form tells
/// which logins exist outside the caller's area.
async fn accounts_outside_the_area_answer_as_unknown_ones(db: Db) {
    let t = TestApp::start(db).await;
    let admin = t.client("admin").await;
    t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await;
    let leader = t.client("leader1").await;
    let household = find_household(&t, &leader, "150502001001001", "001").await["id"].as_str().unwrap().to_string();
    let resident = t.get(&leader, &format!("/api/v1/households/{household}")).await.1["residents"][0]["id"].as_str().unwrap().to_string();
    let member = |login: &'static str| json!({"login": login});
    let cadre = |login: &'static str| json!({"resident_id": resident, "kind": "home", "reason": "contact", "cadre_login": login});
    for (path, method, elsewhere, nobody) in [
        (format!("/api/v1/households/{household}/member"), Method::PUT, member("leader2"), member("nobody-here")),
        ("/api/v1/isolations".to_string(), Method::POST, cadre("leader2"), cadre("nobody-here")),
    ] {
        let (status, a) = t.send(&leader, method.clone(), &path, elsewhere).await;
        let (status_b, b) = t.send(&leader, method, &path, nobody).await;
        assert_eq!((status, &a), (status_b, &b), "{path}: leader2 (another village) and a login nobody has answer alike");
        assert_eq!(status, 422, "{a}");
    }
}
both!(accounts_outside_the_area_answer_as_unknown_ones);
