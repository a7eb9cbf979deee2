//! Scope is the tree: a grid leader of one village sees nothing of another, through every
//! list, detail and search endpoint; lists mask; full reads are audited.

use reqwest::Method;
use serde_json::json;

use crate::api_roster::find_household;
use crate::both;
use crate::support::{Db, TestApp, id_number, sample_roster};

async fn a_leader_sees_nothing_of_another_village(db: Db) {
    let t = TestApp::start(db).await;
    let admin = t.client("admin").await;
    t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await;
    let leader1 = t.client("leader1").await;
    let household = find_household(&t, &leader1, "150502001001001", "001").await;
    let household_id = household["id"].as_str().unwrap().to_string();
    let (_, record) = t.get(&leader1, &format!("/api/v1/households/{household_id}")).await;
    let resident_id = record["residents"][0]["id"].as_str().unwrap().to_string();
    let assigned = t.send(&leader1, Method::PUT, &format!("/api/v1/households/{household_id}/member"), json!({"login": "member1"})).await;
    assert_eq!(assigned.0, 200);

    let leader2 = t.client("leader2").await;
    for path in [
        "/api/v1/units/150502001001".to_string(),
        "/api/v1/units/150502001001001".to_string(),
        "/api/v1/units/150502001".to_string(),
        "/api/v1/units/150502001001/households".to_string(),
        "/api/v1/units/150502001001/staff".to_string(),
        format!("/api/v1/households/{household_id}"),
        format!("/api/v1/residents/{resident_id}"),
    ] {
        let (status, body) = t.get(&leader2, &path).await;
        assert_eq!(status, 404, "{path} must not be visible to leader2: {body}");
    }
    for query in ["张", &id_number("150502", 1), "13812345678"] {
        let (status, found) = t.get(&leader2, &format!("/api/v1/residents?q={query}")).await;
        assert_eq!(status, 200);
        assert_eq!(found["items"], json!([]), "search {query}");
        let (_, found) = t.get(&leader1, &format!("/api/v1/residents?q={query}")).await;
        assert_eq!(found["items"].as_array().unwrap().len(), 1, "leader1 finds {query}");
    }
    let (_, held) = t.get(&leader2, "/api/v1/members/member1/households").await;
    assert_eq!(held["items"], json!([]));
    for (method, path, body) in [
        (Method::PATCH, format!("/api/v1/households/{household_id}"), json!({"address": "x"})),
        (Method::PATCH, format!("/api/v1/residents/{resident_id}"), json!({"name": "x"})),
        (Method::POST, format!("/api/v1/households/{household_id}/residents"), json!({"name": "x", "id_number": id_number("150502", 90)})),
        (Method::PUT, format!("/api/v1/households/{household_id}/member"), json!({"login": null})),
        (Method::PATCH, "/api/v1/units/150502001001".to_string(), json!({"name": "x"})),
        (Method::POST, "/api/v1/households".to_string(), json!({"unit_code": "150502001001001", "household_no": "999"})),
    ] {
        let (status, body) = t.send(&leader2, method.clone(), &path, body).await;
        assert_eq!(status, 404, "{method} {path}: {body}");
    }
    let (status, body) = t.upload_roster(&leader2, "150502001001", "text/csv", sample_roster().into_bytes()).await;
    assert_eq!(status, 404, "{body}");
    // leader2's own village is theirs.
    let (_, own) = t.get(&leader2, "/api/v1/units/150502001002/households").await;
    assert_eq!(own["items"].as_array().unwrap().len(), 1);
    // Someone registered in another village cannot be re-imported into this one.
    let (status, body) = t.upload_roster(&leader2, "150502001002", "text/csv", sample_roster().into_bytes()).await;
    assert_eq!(status, 422);
    assert_eq!(body["errors"][0]["column"], "unit_code");
}
both!(a_leader_sees_nothing_of_another_village);

async fn lists_mask_and_full_reads_are_audited(db: Db) {
    let t = TestApp::start(db).await;
    let admin = t.client("admin").await;
    t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await;
    let leader = t.client("leader1").await;
    let (_, page) = t.get(&leader, "/api/v1/units/150502001001/households").await;
    let first = &page["items"][0];
    let id = id_number("150502", 1);
    assert_eq!(first["head_id_number"], format!("{}********{}", &id[..6], &id[14..]));
    assert_eq!(first["head_phone"], "138****5678");
    assert_eq!(page["items"][1]["head_phone"], "0475-***2345");
    let (_, found) = t.get(&leader, "/api/v1/residents?q=张三").await;
    assert_eq!(found["items"][0]["id_number"], first["head_id_number"]);
    assert!(!page.to_string().contains(&id), "no full ID number in a list");

    let (_, record) = t.get(&leader, &format!("/api/v1/households/{}", first["id"].as_str().unwrap())).await;
    assert_eq!(record["residents"][0]["id_number"], id);
    assert_eq!(record["residents"][0]["phone"], "13812345678");
    assert_eq!(record["residents"][0]["sex"], "male");

    let (status, _) = t.get(&leader, "/api/v1/audit").await;
    assert_eq!(status, 403, "only admins read the audit log");
    let (_, audit) = t.get(&admin, "/api/v1/audit").await;
    let reads: Vec<&serde_json::Value> = audit["items"].as_array().unwrap().iter().filter(|e| e["action"] == "read").collect();
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0]["actor"], "leader1");
    assert_eq!(reads[0]["entity"], "household");
    assert_eq!(reads[0]["entity_id"], first["id"]);
    let writes: Vec<&str> = audit["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(writes.contains(&"import"), "{writes:?}");

    // An admin sees the audit entries of their own subtree only: at the city, at the county
    // and at the township of the household the leader read; not at another county, nor at
    // the neighbouring village.
    for (login, unit, sees_the_read) in [
        ("city_admin", "1505", true),
        ("county_admin", "150502", true),
        ("town_admin", "150502001", true),
        ("other_county", "150521", false),
        ("next_village", "150502001002", false),
    ] {
        let account = json!({"login": login, "password": "another password", "role": "admin", "unit_code": unit});
        let (status, _) = t.send(&admin, Method::POST, "/api/v1/accounts", account).await;
        assert_eq!(status, 201);
        let scoped = t.client_with(login, "another password").await;
        let (_, audit) = t.get(&scoped, "/api/v1/audit").await;
        let items = audit["items"].as_array().unwrap();
        assert_eq!(items.iter().any(|e| e["action"] == "read" && e["entity_id"] == first["id"]), sees_the_read, "{login}: {audit}");
        assert_eq!(items.iter().any(|e| e["action"] == "import"), sees_the_read && unit.len() <= 9, "{login}: {audit}");
    }
}
both!(lists_mask_and_full_reads_are_audited);
