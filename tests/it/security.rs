//! What a probe of the running server found (issue 12), each kept closed by a test through
//! HTTP on both databases: the role table walked over every route of the OpenAPI document,
//! and another village's ids on every create (security_people.rs holds the rest).

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
        ("GET", "/api/v1/units/{code}/map.svg", format!("/api/v1/units/{unit}/map.svg"), P(ReadRoster), Value::Null),
        (
            "PUT",
            "/api/v1/units/{code}/boundary",
            format!("/api/v1/units/{unit}/boundary"),
            P(Command),
            json!({"type": "Polygon", "coordinates": [[[122.0, 43.5], [122.1, 43.5], [122.1, 43.6], [122.0, 43.6], [122.0, 43.5]]]}),
        ),
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
            // A role that may not write is told so whatever it sends, never what is wrong with
            // the body. (Check-ins read their sessions inside the group's transaction, after
            // the body: the commonest request there is reads the session once.)
            if !allowed && matches!(body, Value::Object(_)) && template != "/api/v1/checkins" {
                let status = c.request(method.clone(), t.url(path)).json(&json!({"zzz": 1})).send().await.unwrap().status().as_u16();
                if status != 403 {
                    wrong.push(format!("{login} ({}) {method} {template} with a misspelt body: {status}, expected 403", role.as_str()));
                }
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

/// A name for person `n` (below 100) without digits, which names may not hold: 人甲乙.
pub(crate) fn numbered_name(stem: &str, n: u16) -> String {
    let stems = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
    format!("{stem}{}{}", stems[usize::from(n / 10 % 10)], stems[usize::from(n % 10)])
}

/// A client that opens a connection and trickles its request's head (slowloris) is cut off
/// when the head's time is up, and the server goes on answering others.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_head_that_never_ends_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let t = TestApp::start(Db::Sqlite).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(wangge::http::serve_with_head_timeout(listener, t.app.clone(), std::time::Duration::from_millis(300)));
    let mut slow = tokio::net::TcpStream::connect(address).await.unwrap();
    slow.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let started = std::time::Instant::now();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(10), slow.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the connection was still open after 10 s");
    assert!(started.elapsed() >= std::time::Duration::from_millis(250), "not cut off before its time");
    // The server still answers a client that sends its head whole.
    let mut quick = tokio::net::TcpStream::connect(address).await.unwrap();
    quick.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut answer = String::new();
    quick.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200") && answer.ends_with("ok"), "{answer}");
}
