//! Issue 14, item 3: no list is cut without saying so. The inbox, the search (residents and
//! people seen at checkpoints) and a unit's isolation orders say how many there are in all and
//! page through them, on the pages and in the API.

use reqwest::Method;
use serde_json::{Value, json};

use crate::both;
use crate::first_week::{between, big_roster, html, page_client};
use crate::support::{Db, TestApp, sample_roster};

/// Names hold no digits: `n` in Chinese numerals.
fn numbered(prefix: &str, n: usize) -> String {
    let digits: String = n.to_string().chars().map(|c| "零一二三四五六七八九".chars().nth(c.to_digit(10).unwrap() as usize).unwrap()).collect();
    format!("{prefix}{digits}")
}

fn next_link(pager: &str) -> String {
    let at = pager.find("rel=\"next\"").expect("a next link");
    let link = pager[..at].rsplit("href=\"").next().unwrap();
    link.split('"').next().unwrap().replace("&#38;", "&").replace("&amp;", "&")
}

/// 105 travellers with a fever at a checkpoint of 和平社区: each raises an alert to its leader.
async fn feverish_checkpoint(t: &TestApp) -> String {
    let admin = t.client("admin").await;
    let (status, cp) = t.send(&admin, Method::POST, "/api/v1/checkpoints", json!({"unit_code": "150502001001", "name": "东卡点", "kind": "checkpoint"})).await;
    assert_eq!(status, 201, "{cp}");
    let id = cp["id"].as_str().unwrap().to_string();
    let staff = t.client("checkpoint").await;
    for n in 0..105 {
        let passage = json!({"name": numbered("过客", n), "direction": "in", "temperature": 38.2, "outcome": "referred"});
        let (status, body) = t.send(&staff, Method::POST, &format!("/api/v1/checkpoints/{id}/passages"), passage).await;
        assert_eq!(status, 201, "{body}");
        t.clock.advance(chrono::Duration::seconds(30));
    }
    id
}

async fn the_inbox_pages_through_every_task(db: Db) {
    let t = TestApp::start(db).await;
    t.clock.set("2020-02-01T08:00");
    feverish_checkpoint(&t).await;
    let leader = t.client("leader1").await;
    let (status, all) = t.get(&leader, "/api/v1/tasks?limit=1000").await;
    assert_eq!(status, 200, "{all}");
    let total = all["total"].as_i64().unwrap();
    let fevers = all["items"].as_array().unwrap().iter().filter(|task| task["kind"] == "fever_alert").count();
    assert_eq!(fevers, 105, "{all}");
    assert_eq!(all["items"].as_array().unwrap().len() as i64, total, "all of them fit in 1000");

    // The API pages: the default page is 100, the rest follow, none twice.
    let (_, first) = t.get(&leader, "/api/v1/tasks").await;
    assert_eq!((first["items"].as_array().unwrap().len(), first["total"].as_i64()), (100, Some(total)));
    let (_, rest) = t.get(&leader, "/api/v1/tasks?offset=100").await;
    assert_eq!(rest["items"].as_array().unwrap().len() as i64, total - 100);
    let ids = |page: &Value| page["items"].as_array().unwrap().iter().map(|task| task["id"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    let (mut paged, everything) = (ids(&first), ids(&all));
    paged.extend(ids(&rest));
    assert_eq!(paged, everything, "the pages are the whole inbox in order");
    let (status, refused) = t.get(&leader, "/api/v1/tasks?limit=5000").await;
    assert_eq!(status, 422, "{refused}");

    // The page: the heading and the badge count them all; 100 a page.
    let page = html(&t, &page_client(&t, "zh", "leader1").await, "/tasks").await;
    assert_eq!(page.matches("<li class=\"task ").count(), 100);
    assert!(between(&page, "<h1>", "</h1>").contains(&format!("<small>{total}</small>")));
    assert!(between(&page, "id=\"task-badge\">", "<").contains(&total.to_string()));
    let pager = between(&page, "id=\"tasks-pager\">", "</p>");
    assert!(pager.contains(&format!("第 1–100 条，共 {total} 条")), "{pager}");
    let next = next_link(pager);
    assert_eq!(next, "/tasks?from=100");
    let second = html(&t, &page_client(&t, "en", "leader1").await, &next).await;
    assert_eq!(second.matches("<li class=\"task ").count() as i64, total - 100);
    assert!(between(&second, "id=\"tasks-pager\">", "</p>").contains(&format!("101–{total} of {total}")));
}
both!(the_inbox_pages_through_every_task);

async fn the_search_counts_and_pages_both_lists(db: Db) {
    let t = TestApp::start(db).await;
    t.clock.set("2020-02-01T08:00");
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", big_roster().into_bytes()).await.0, 200);
    feverish_checkpoint(&t).await;

    // Residents: 30 of the 270 are called 张…; the API pages them.
    let hq = t.client("hq").await;
    let (status, found) = t.get(&hq, "/api/v1/search?q=%E5%BC%A0&limit=10&residents_offset=20").await;
    assert_eq!(status, 200, "{found}");
    assert_eq!((found["residents"].as_array().unwrap().len(), found["residents_total"].as_i64()), (10, Some(30)), "{found}");
    assert!(found["residents"][0]["id_number"].as_str().unwrap().contains('*'), "masked");
    // The county's HQ reads each group with its village; the village's leader, the group alone.
    let unit_name = |found: &serde_json::Value| found["residents"][0]["unit_name"].as_str().unwrap_or_default().to_string();
    assert!(unit_name(&found).starts_with("和平社区 · "), "{found}");
    let (_, own) = t.get(&t.client("leader1").await, "/api/v1/search?q=%E5%BC%A0&limit=1").await;
    assert!(!unit_name(&own).contains(" · ") && !unit_name(&own).is_empty(), "{own}");
    // People seen: 105 travellers, 100 a page on the search page.
    let page = html(&t, &page_client(&t, "zh", "hq").await, "/search?q=%E8%BF%87%E5%AE%A2").await;
    assert_eq!(page.matches("href=\"/people/").count(), 100);
    let pager = between(&page, "id=\"people-pager\">", "</p>");
    assert!(pager.contains("第 1–100 条，共 105 条"), "{pager}");
    let next = next_link(pager);
    assert!(next.starts_with("/search?q=%E8%BF%87%E5%AE%A2") && next.ends_with("people_from=100"), "{next}");
    let rest = html(&t, &page_client(&t, "en", "hq").await, &next).await;
    assert_eq!(rest.matches("href=\"/people/").count(), 5);
    assert!(between(&rest, "id=\"people-pager\">", "</p>").contains("101–105 of 105"));
    let (_, api) = t.get(&hq, "/api/v1/search?q=%E8%BF%87%E5%AE%A2&people_offset=100").await;
    assert_eq!((api["people"].as_array().unwrap().len(), api["people_total"].as_i64()), (5, Some(105)), "{api}");

    // Checkpoint staff find the people seen (not the roster), from the header's link.
    let staff = page_client(&t, "zh", "checkpoint").await;
    let own = html(&t, &staff, "/search?q=%E8%BF%87%E5%AE%A2%E4%B8%80").await;
    assert!(own.contains("href=\"/search\""), "the header links to the search");
    assert!(own.contains("id=\"people-results\"") && !own.contains("id=\"results\""), "people seen, no residents");
    let checkpoint = t.client("checkpoint").await;
    let (status, found) = t.get(&checkpoint, "/api/v1/search?q=%E5%BC%A0").await;
    assert_eq!((status, found["residents_total"].as_i64()), (200, Some(0)), "{found}");
    assert_eq!(t.get(&checkpoint, "/api/v1/residents?q=%E5%BC%A0").await.0, 403, "the roster stays closed");
}
both!(the_search_counts_and_pages_both_lists);

async fn a_units_isolation_orders_page_and_tell_where_each_stands(db: Db) {
    let t = TestApp::start(db).await;
    t.clock.set("2020-02-01T08:00");
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    let leader = t.client("leader1").await;
    let (_, found) = t.get(&leader, "/api/v1/residents?q=%E5%BC%A0%E4%B8%89").await;
    let (_, more) = t.get(&leader, "/api/v1/residents?q=%E6%9D%8E%E5%9B%9B").await;
    let mut orders = Vec::new();
    for resident in [&found["items"][0]["id"], &more["items"][0]["id"]] {
        let (status, order) = t.send(&leader, Method::POST, "/api/v1/isolations", json!({"resident_id": resident, "kind": "home", "reason": "key_area"})).await;
        assert_eq!(status, 201, "{order}");
        orders.push(order["id"].as_str().unwrap().to_string());
        t.clock.advance(chrono::Duration::minutes(5));
    }
    let (status, _) =
        t.send(&leader, Method::POST, &format!("/api/v1/isolations/{}/followups", orders[0]), json!({"temperature": 36.5, "reached": "phone"})).await;
    assert_eq!(status, 201);

    let (status, first) = t.get(&leader, "/api/v1/units/150502001001/isolations?limit=1").await;
    assert_eq!(status, 200, "{first}");
    assert_eq!((first["items"].as_array().unwrap().len(), first["total"].as_i64()), (1, Some(2)), "{first}");
    assert_eq!(first["items"][0]["id"], orders[1].as_str(), "newest first");
    assert_eq!(first["items"][0]["followup"]["state"], "due", "nobody has called the newest");
    let (_, second) = t.get(&leader, "/api/v1/units/150502001001/isolations?limit=1&offset=1").await;
    assert_eq!(second["items"][0]["id"], orders[0].as_str());
    assert_eq!(second["items"][0]["followup"]["state"], "done", "the list knows the morning's follow-up");
    assert_eq!(second["items"][0]["followups"].as_array().map(Vec::len), Some(1), "{second}");
}
both!(a_units_isolation_orders_page_and_tell_where_each_stands);
