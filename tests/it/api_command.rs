//! The command view through HTTP: the four-colour household map, as SVG and as a page (on a
//! phone and on paper), scoped as every list is.

use std::collections::HashMap;

use fantoccini::Locator;
use reqwest::Method;
use serde_json::{Value, json};

use crate::both;
use crate::browser::{browser, no_sideways_scroll, screenshot, text, wait_for_path};
use crate::support::{Db, PASSWORD, TestApp, id_number, sample_roster};

/// The colours of a unit's households as its household list tells them.
async fn listed_colours(t: &TestApp, client: &reqwest::Client, unit: &str) -> HashMap<String, usize> {
    let (status, page) = t.get(client, &format!("/api/v1/units/{unit}/households?limit=1000")).await;
    assert_eq!(status, 200, "{page}");
    let mut colours = HashMap::new();
    for household in page["items"].as_array().unwrap() {
        *colours.entry(household["colour"].as_str().unwrap().to_string()).or_default() += 1;
    }
    colours
}

async fn svg(t: &TestApp, client: &reqwest::Client, unit: &str) -> (u16, String, String) {
    let response = client.get(t.url(&format!("/api/v1/units/{unit}/colour-map.svg"))).send().await.unwrap();
    let status = response.status().as_u16();
    let kind = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, kind, response.text().await.unwrap())
}

async fn the_colour_map_draws_every_household_in_its_colour_within_scope(db: Db) {
    let t = TestApp::start(db).await;
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    // A returnee turns household 003 yellow.
    let leader = t.client("leader1").await;
    let (_, list) = t.get(&leader, "/api/v1/units/150502001001002/households").await;
    let household = list["items"].as_array().unwrap().iter().find(|h| h["household_no"] == "003").unwrap()["id"].as_str().unwrap().to_string();
    let (status, body) = t
        .send(
            &leader,
            Method::POST,
            "/api/v1/returnees",
            json!({"id_number": id_number("150502", 50), "name": "钱八", "household_id": household, "origin": "北京", "arrived_at": t.local(-60), "transport": "train"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");

    let (status, kind, map) = svg(&t, &leader, "150502001001").await;
    assert_eq!((status, kind.as_str()), (200, "image/svg+xml"), "{map}");
    let listed = listed_colours(&t, &leader, "150502001001").await;
    assert_eq!(listed.values().sum::<usize>(), 4);
    for colour in ["red", "yellow", "blue", "white"] {
        let drawn = map.matches(&format!("class=\"tile {colour}\"")).count();
        assert_eq!(drawn, listed.get(colour).copied().unwrap_or(0), "{colour} tiles against the household list");
    }
    assert_eq!(map.matches("class=\"tile yellow\"").count(), 1, "the returnee's household");
    assert_eq!(map.matches("class=\"tile blue\"").count(), 1, "the renters");
    assert!(map.contains(&format!("href=\"/households/{household}\"")), "tiles link to their households");
    assert!(map.contains("一组 (2)") && map.contains("二组 (2)"), "grouped by villager group: {map}");
    assert!(!map.contains("张三") && !map.contains("1505021"), "nothing personal on the map");

    // Scoped: another village's leader sees nothing of it; the checkpoint role reads no roster.
    let other = t.client("leader2").await;
    assert_eq!(svg(&t, &other, "150502001001").await.0, 404);
    assert_eq!(svg(&t, &other, "150502001002").await.0, 200);
    assert_eq!(svg(&t, &t.client("checkpoint").await, "150502001001").await.0, 403);
    let (status, _, county) = svg(&t, &t.client("hq").await, "150502").await;
    assert_eq!(status, 200);
    assert_eq!(county.matches("<rect class=\"tile ").count(), 5, "HQ's county: every household");
    let (status, page) = t.get(&other, "/units/150502001001/colour-map").await;
    assert_eq!(status, 404, "{page}");
}
both!(the_colour_map_draws_every_household_in_its_colour_within_scope);

/// A leader opens the village's map on a phone, follows a tile to its household, and prints
/// the map on A3.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leader_reads_the_colour_map_on_a_phone_and_prints_it() {
    let t = TestApp::start(Db::Sqlite).await;
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    let profile = tempfile::tempdir().unwrap();
    let (_driver, client) = browser(profile.path()).await;
    let result = async {
        client.goto(&t.url("/login")).await.unwrap();
        let form = client.form(Locator::Css("form.stack")).await.unwrap();
        form.set_by_name("login", "leader1").await.unwrap().set_by_name("password", PASSWORD).await.unwrap().submit().await.unwrap();
        client.goto(&t.url("/units/150502001001")).await.unwrap();
        client.find(Locator::Id("colour-map-link")).await.unwrap().click().await.unwrap();
        wait_for_path(&client, "/units/150502001001/colour-map").await;
        assert!(text(&client, "#map-title").await.contains("四色图"));
        assert_eq!(text(&client, "#count-total").await, "4");
        assert_eq!(text(&client, "#count-blue").await, "1");
        assert_eq!(client.find_all(Locator::Css("a.tile")).await.unwrap().len(), 4);
        no_sideways_scroll(&client, "colour map").await;
        screenshot(&client, "colour-map").await;

        client.find(Locator::Css("a.tile.blue")).await.unwrap().click().await.unwrap();
        for _ in 0..100 {
            if client.current_url().await.unwrap().path().starts_with("/households/") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(text(&client, "#household-title").await.contains("巴特尔"), "the renters' household");

        client.goto(&t.url("/units/150502001001/colour-map")).await.unwrap();
        client.find(Locator::Id("print-a3")).await.unwrap().click().await.unwrap();
        wait_for_path(&client, "/units/150502001001/colour-map/print").await;
        let body_class: Value = client.execute("return document.body.className;", vec![]).await.unwrap();
        assert_eq!(body_class, "colour-map a3");
        assert_eq!(client.find_all(Locator::Css("a.tile")).await.unwrap().len(), 4);
        screenshot(&client, "colour-map-print").await;
    }
    .await;
    client.close().await.unwrap();
    result
}
