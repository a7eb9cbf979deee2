//! Issue 15, item 4: maps of units. Boundaries set one at a time through the API or many from a
//! GeoJSON file (the page's upload, the command line), all or nothing with every bad feature
//! named; a unit's children drawn as a choropleth of a figure; scope and roles as everywhere.

use fantoccini::Locator;
use reqwest::Method;
use serde_json::{Value, json};
use wangge::app::accounts::{self, NewUser};
use wangge::domain::UnitPath;

use crate::both;
use crate::browser::{browser, no_sideways_scroll, screenshot, text, wait_for_path};
use crate::first_week::{csrf_of, html, page_client};
use crate::support::{Db, PASSWORD, TestApp};

fn square(west: f64, south: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[[west, south], [west + 0.1, south], [west + 0.1, south + 0.1], [west, south + 0.1], [west, south]]]})
}

fn feature(code: &str, geometry: Value) -> Value {
    json!({"type": "Feature", "properties": {"code": code}, "geometry": geometry})
}

async fn map_svg(t: &TestApp, c: &reqwest::Client, path: &str) -> (u16, String) {
    let response = c.get(t.url(path)).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn boundaries_are_set_and_drawn_in_scope(db: Db) {
    let t = TestApp::start(db).await;
    let root = t.app.system_caller(UnitPath::root());
    accounts::add_user(&t.app, &root, NewUser { login: "other-hq", password: PASSWORD, role: "hq", unit_code: "150521", display_name: "" }).await.unwrap();
    let hq = t.client("hq").await;

    // One village's boundary through the API; the township's map draws it, coloured.
    let (status, done) = t.send(&hq, Method::PUT, "/api/v1/units/150502001001/boundary", feature("150502001001", square(122.0, 43.5))).await;
    assert_eq!(status, 200, "{done}");
    let (status, svg) = map_svg(&t, &hq, "/api/v1/units/150502001/map.svg?metric=checkin_rate").await;
    assert_eq!(status, 200, "{svg}");
    assert_eq!(svg.matches("<path class=\"unit\"").count(), 1, "{svg}");
    assert!(svg.contains("data-unit=\"150502001001\"") && svg.contains("和平社区"), "{svg}");
    assert!(!svg.contains("schematic") && !svg.contains("示意图"), "a surveyed boundary is not called schematic");

    // A checkpoint where the village's name would go: the name moves below it, so neither
    // hides the other.
    let (status, cp) = t
        .send(&hq, Method::POST, "/api/v1/checkpoints", json!({"unit_code": "150502001001", "name": "村口", "kind": "checkpoint", "lat": 43.55, "lon": 122.05}))
        .await;
    assert_eq!(status, 201, "{cp}");
    let (_, svg) = map_svg(&t, &hq, "/api/v1/units/150502001/map.svg").await;
    let number_after = |text: &str, key: &str| -> f64 {
        let at = text.find(key).unwrap_or_else(|| panic!("{key} in {text}")) + key.len();
        text[at..].split('"').next().unwrap().parse().unwrap()
    };
    let cy = number_after(&svg, "cy=\"");
    let label = &svg[svg.find("<text class=\"label\"").expect("a label")..];
    let y = number_after(label, " y=\"");
    // (A name reaches at most 15 above its line; the point's radius is 5.)
    assert!(y - 15.0 >= cy + 5.0, "the name ({y}) sits below the point ({cy}): {svg}");

    // Bad geometry, other roles, other areas.
    let open_ring = json!({"type": "Polygon", "coordinates": [[[122.0, 43.5], [122.1, 43.5], [122.1, 43.6]]]});
    let (status, refused) = t.send(&hq, Method::PUT, "/api/v1/units/150502001002/boundary", open_ring).await;
    assert_eq!(status, 422);
    assert!(refused["message"].as_str().unwrap().contains("must be a GeoJSON Polygon or MultiPolygon"), "{refused}");
    let other = t.client("other-hq").await;
    assert_eq!(t.send(&other, Method::PUT, "/api/v1/units/150502001002/boundary", square(122.0, 43.5)).await.0, 404, "another county's unit");
    assert_eq!(map_svg(&t, &other, "/api/v1/units/150502001/map.svg").await.0, 404);
    assert_eq!(t.send(&hq, Method::PUT, "/api/v1/units/150599999/boundary", square(122.0, 43.5)).await.0, 404, "no such unit");
    let leader = t.client("leader1").await;
    assert_eq!(t.send(&leader, Method::PUT, "/api/v1/units/150502001001/boundary", square(122.0, 43.5)).await.0, 403, "boundaries are HQ's");
    assert_eq!(map_svg(&t, &t.client("checkpoint").await, "/api/v1/units/150502001/map.svg").await.0, 403);
    let (status, refused) = t.get(&hq, "/api/v1/units/150502001/map.svg?metric=colour").await;
    assert_eq!(status, 422);
    assert!(refused["message"].as_str().unwrap().contains("checkin rate, red per 100"), "says which figures: {refused}");
    let (status, svg) = map_svg(&t, &leader, "/api/v1/units/150502001001/map.svg?metric=followups_overdue").await;
    assert_eq!(status, 200, "a leader reads the map of their village");
    assert!(svg.contains("尚无下级单位的边界") || svg.contains("No boundaries of the units below"), "{svg}");

    // A file on the page: every bad feature named, nothing written; then a good one.
    let page = page_client(&t, "zh", "hq").await;
    let form = html(&t, &page, "/units/150502001/map").await;
    assert!(form.contains("id=\"boundary-upload\"") && form.contains("胜利社区"), "the upload, and 胜利社区 listed as without a boundary: {form}");
    let bad = json!({"type": "FeatureCollection", "features": [
        feature("150502001002", square(122.1, 43.5)),
        feature("150521100200", square(122.2, 43.5)),
        {"type": "Feature", "properties": {"name": "无编码"}, "geometry": square(122.3, 43.5)},
    ]});
    let upload = |text: String| {
        let csrf = csrf_of(&form);
        let file = reqwest::multipart::Part::bytes(text.into_bytes()).file_name("村界.geojson");
        let body = reqwest::multipart::Form::new().text("_csrf", csrf).text("code_property", "code").part("file", file);
        page.post(t.url("/units/150502001/boundaries")).multipart(body).send()
    };
    let refused = upload(bad.to_string()).await.unwrap();
    assert_eq!(refused.status(), 422);
    let said = refused.text().await.unwrap();
    assert!(said.contains("第 2 个要素：没有编码为 150521100200 的单位（或不在您的辖区内）"), "{said}");
    assert!(said.contains("第 3 个要素：没有属性 code"), "{said}");
    let (_, svg) = map_svg(&t, &hq, "/api/v1/units/150502001/map.svg").await;
    assert_eq!(svg.matches("<path class=\"unit\"").count(), 1, "nothing of the refused file was written");
    let good = json!({"type": "FeatureCollection", "features": [feature("150502001002", square(122.1, 43.5))]});
    let done = upload(good.to_string()).await.unwrap();
    assert_eq!(done.status(), 303);
    let (_, svg) = map_svg(&t, &hq, "/api/v1/units/150502001/map.svg?metric=red_per_100").await;
    assert_eq!(svg.matches("<path class=\"unit\"").count(), 2, "{svg}");
    let (_, audit) = t.get(&t.client("admin").await, "/api/v1/audit?what=unit").await;
    assert!(audit["items"].as_array().unwrap().iter().any(|e| e["action"] == "set_boundary" && e["actor"] == "hq"), "{audit}");
}
both!(boundaries_are_set_and_drawn_in_scope);

/// HQ opens its township's map on a phone and on an office screen, changes the figure, and
/// reads the units without a boundary.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hq_reads_a_map_of_its_units_on_a_phone() {
    let t = TestApp::start(Db::Sqlite).await;
    let hq = t.client("hq").await;
    assert_eq!(t.send(&hq, Method::PUT, "/api/v1/units/150502001001/boundary", feature("150502001001", square(122.0, 43.5))).await.0, 200);
    let profile = tempfile::tempdir().unwrap();
    let (_driver, client) = browser(profile.path()).await;
    client.goto(&t.url("/login")).await.unwrap();
    let form = client.form(Locator::Css("form.stack")).await.unwrap();
    form.set_by_name("login", "hq").await.unwrap().set_by_name("password", PASSWORD).await.unwrap().submit().await.unwrap();
    wait_for_path(&client, "/units/150502/dashboard").await;
    client.goto(&t.url("/units/150502001/dashboard")).await.unwrap();
    client.find(Locator::Id("unit-map-link")).await.unwrap().click().await.unwrap();
    wait_for_path(&client, "/units/150502001/map").await;
    no_sideways_scroll(&client, "the map").await;
    assert!(text(&client, "#unmapped").await.contains("胜利社区"));
    screenshot(&client, "unit-map").await;
    let choice = client.form(Locator::Id("map-choice")).await.unwrap();
    choice.set_by_name("metric", "fevers").await.unwrap().submit().await.unwrap();
    for _ in 0..100 {
        if client.current_url().await.unwrap().as_str().contains("metric=fevers") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // The map's title (an SVG <title>, read as a screen reader does: never drawn, so not
    // WebDriver's visible text) names the figure.
    let title = client.execute("return document.getElementById('unit-map-title').textContent", vec![]).await.unwrap();
    assert!(title.as_str().unwrap_or_default().contains("发热"), "the title names the figure: {title}");
    no_sideways_scroll(&client, "the map of fevers").await;
    client.set_window_size(1366, 900).await.unwrap();
    screenshot(&client, "unit-map-1366").await;
}
