//! The command view on a 360-px phone, in headless Chromium: HQ lands on the county's
//! dashboard, sorts the children, drills down to a village, opens the trends, the four-colour
//! map and its print view, a figure's records, and the evening sheet's link answers a workbook; in both languages,
//! none of these pages scrolls sideways.

use fantoccini::{Client, Locator};

use crate::browser::{browser, no_sideways_scroll, screenshot, text, wait_for_path};
use crate::support::{Db, PASSWORD, TestApp, sample_roster};

async fn click(client: &Client, css: &str) {
    client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).click().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hq_lands_on_the_dashboard_sorts_drills_down_and_opens_the_maps_on_a_phone() {
    let t = TestApp::start(Db::Sqlite).await;
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    let profile = tempfile::tempdir().unwrap();
    let (_driver, client) = browser(profile.path()).await;
    let result = async {
        client.goto(&t.url("/login")).await.unwrap();
        let form = client.form(Locator::Css("form.stack")).await.unwrap();
        form.set_by_name("login", "hq").await.unwrap().set_by_name("password", PASSWORD).await.unwrap().submit().await.unwrap();
        wait_for_path(&client, "/units/150502/dashboard").await;
        assert!(text(&client, "#dashboard-title").await.starts_with("科尔沁区"));
        assert_eq!(text(&client, "#fig-households").await, "5");
        no_sideways_scroll(&client, "the county's dashboard").await;
        screenshot(&client, "dashboard-county").await;

        // Sorting by another column marks that column as the one sorted by.
        let columns = client.find_all(Locator::Css("a.sort:not(.sorted)")).await.unwrap();
        let column = columns.first().expect("a column to sort by").text().await.unwrap();
        columns[0].click().await.unwrap();
        let sorted = text(&client, "a.sort.sorted").await;
        assert!(sorted.starts_with(column.trim()), "sorted by {sorted}, not {column}");

        for (name, path) in [("科尔沁街道", "/units/150502001/dashboard"), ("和平社区", "/units/150502001001/dashboard")] {
            client.find(Locator::LinkText(name)).await.unwrap_or_else(|e| panic!("link {name}: {e}")).click().await.unwrap();
            wait_for_path(&client, path).await;
            assert!(text(&client, "#dashboard-title").await.starts_with(name));
        }
        let households: i64 = text(&client, "#fig-households").await.parse().unwrap();
        assert!((1..=5).contains(&households), "the village's households: {households}");
        no_sideways_scroll(&client, "the village's dashboard").await;
        screenshot(&client, "dashboard-village").await;

        // A figure opens the records behind it: as many as it said, each a link.
        click(&client, "a[data-figure='households']").await;
        wait_for_path(&client, "/units/150502001001/figures/households").await;
        assert_eq!(text(&client, "#figure-total").await, households.to_string());
        assert_eq!(client.find_all(Locator::Css("#figure-records li.record a")).await.unwrap().len() as i64, households);
        no_sideways_scroll(&client, "a figure's records").await;
        screenshot(&client, "figure-households").await;
        click(&client, "#back-to-dashboard").await;
        wait_for_path(&client, "/units/150502001001/dashboard").await;

        // The evening sheet's link answers a workbook (a zip) to the same account.
        let sheet = client.find(Locator::Css("#daily-report")).await.unwrap().attr("href").await.unwrap().expect("a link");
        let hq = t.client("hq").await;
        let answer = hq.get(t.url(&sheet)).send().await.unwrap();
        assert_eq!(answer.status(), 200, "{sheet}");
        assert!(answer.bytes().await.unwrap().starts_with(b"PK"), "an .xlsx is a zip");

        click(&client, "a[href$='/colour-map']").await;
        wait_for_path(&client, "/units/150502001001/colour-map").await;
        no_sideways_scroll(&client, "the colour map").await;
        screenshot(&client, "colour-map").await;
        click(&client, "#print-a4").await;
        wait_for_path(&client, "/units/150502001001/colour-map/print").await;
        screenshot(&client, "colour-map-print").await;

        client.goto(&t.url("/units/150502001001/trends")).await.unwrap();
        assert!(client.find(Locator::Css("svg")).await.is_ok(), "the trends draw charts");
        no_sideways_scroll(&client, "the trends").await;
        screenshot(&client, "trends").await;

        // In English too.
        client.goto(&t.url("/units/150502/dashboard")).await.unwrap();
        click(&client, "a.lang").await;
        for _ in 0..100 {
            if text(&client, "#dashboard-title").await.contains("Today") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(text(&client, "#dashboard-title").await.contains("Today"), "the page switched to English");
        no_sideways_scroll(&client, "the county's dashboard in English").await;
        screenshot(&client, "dashboard-county-en").await;
        client.goto(&t.url("/units/150502001001/trends")).await.unwrap();
        no_sideways_scroll(&client, "the trends in English").await;
        screenshot(&client, "trends-en").await;
    }
    .await;
    client.close().await.unwrap();
    result
}

/// The same walk on an office's 1366-px screen: the dashboard, a figure's records, a village,
/// the colour map and the trends use the width and never scroll sideways.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hq_reads_the_command_view_on_an_office_screen() {
    use crate::browser::{desktop_browser, widths};
    let t = TestApp::start(Db::Sqlite).await;
    let admin = t.client("admin").await;
    assert_eq!(t.upload_roster(&admin, "150502001", "text/csv", sample_roster().into_bytes()).await.0, 200);
    let profile = tempfile::tempdir().unwrap();
    let (_driver, client) = desktop_browser(profile.path()).await;
    let result = async {
        client.goto(&t.url("/login")).await.unwrap();
        let form = client.form(Locator::Css("form.stack")).await.unwrap();
        form.set_by_name("login", "hq").await.unwrap().set_by_name("password", PASSWORD).await.unwrap().submit().await.unwrap();
        wait_for_path(&client, "/units/150502/dashboard").await;
        let fits = |page: &'static str| {
            let client = client.clone();
            async move {
                let (scroll, inner) = widths(&client).await;
                assert!(inner >= 1300, "an office screen: {inner}");
                assert!(scroll <= inner, "{page} scrolls sideways at {inner} px: {scroll}");
                screenshot(&client, &format!("{page}-1366")).await;
            }
        };
        fits("dashboard-county").await;
        click(&client, "a[data-figure='residents']").await;
        wait_for_path(&client, "/units/150502/figures/residents").await;
        assert_eq!(text(&client, "#figure-total").await, "7");
        fits("figure-residents").await;
        client.goto(&t.url("/units/150502001001/dashboard")).await.unwrap();
        fits("dashboard-village").await;
        client.goto(&t.url("/units/150502001001/colour-map")).await.unwrap();
        fits("colour-map").await;
        client.goto(&t.url("/units/150502001001/trends")).await.unwrap();
        fits("trends").await;
    }
    .await;
    client.close().await.unwrap();
    result
}
