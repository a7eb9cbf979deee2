//! Issue 15, item 8: the small demo fills one whole county with 30 days of history behind
//! today, so that every figure, chart and table has something to show on first start; written
//! through the app's own operations and closed day by day; loaded twice, written once.

use chrono::Duration;
use serde_json::Value;
use wangge::app::demo::{self, Scale};
use wangge::app::demo_history::{self, HISTORY_DAYS};

use crate::both;
use crate::support::{Db, TestApp};

async fn the_demo_county_has_thirty_days_of_everything(db: Db) {
    let t = TestApp::start(db).await;
    t.clock.set("2020-03-01T16:00");
    demo::load(&t.app, Scale::Small, &|_, _| {}).await.unwrap();
    assert_eq!(demo_history::load(&t.app, "150502", &|_, _| {}).await.unwrap(), HISTORY_DAYS as usize);
    let hq = t.client("hq").await;

    // Every township of the county has people; the county's days each have a close.
    let (_, county) = t.get(&hq, "/api/v1/units/150502/dashboard").await;
    let townships = county["children"].as_array().unwrap();
    assert_eq!(townships.len(), 27, "{county}");
    assert!(townships.iter().all(|c| c["figures"]["households"].as_i64() > Some(0)), "every township has households");

    let figure = |board: &Value, name: &str| board["figures"][name].as_i64().unwrap_or_else(|| panic!("{name}"));
    for back in [1, 10, 29] {
        let day = (chrono::NaiveDate::from_ymd_opt(2020, 3, 1).unwrap() - Duration::days(back)).to_string();
        let (status, board) = t.get(&hq, &format!("/api/v1/units/150502/dashboard?date={day}")).await;
        assert_eq!(status, 200, "{board}");
        for name in ["returnees_arrived", "returnees_in_observation", "checkins_reported", "passages_in", "passages_out", "followups_done"] {
            assert!(figure(&board, name) > 0, "{day}: {name} in {board}");
        }
        let rate = board["figures"]["checkin_rate"].as_f64().unwrap();
        assert!((85.0..=99.5).contains(&rate), "{day}: a realistic check-in rate, not {rate}");
        if back < 20 {
            for name in ["isolated_home", "followups_due"] {
                assert!(figure(&board, name) > 0, "{day}: {name} in {board}");
            }
        }
    }
    let (_, today) = t.get(&hq, "/api/v1/units/150502/dashboard").await;
    for name in ["isolated_home", "returnees_in_observation", "checkins_reported", "alerts_open"] {
        assert!(figure(&today, name) > 0, "today: {name} in {today}");
    }

    // Thirty closed days behind today, each with check-ins and passages; some fevers.
    let (_, trend) = t.get(&hq, "/api/v1/units/150502/trends?metrics=checkins_reported,passages_in,fevers,isolations_started,alerts_escalated").await;
    let series = |name: &str| trend["series"][name].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect::<Vec<_>>();
    assert_eq!(series("checkins_reported").len(), 30);
    assert!(series("checkins_reported")[..29].iter().all(|n| *n > 4_000), "{trend}");
    assert!(series("passages_in")[..29].iter().all(|n| *n > 0), "{trend}");
    assert!(series("fevers").iter().sum::<i64>() > 10 && series("isolations_started").iter().sum::<i64>() > 5, "{trend}");
    assert!(series("alerts_escalated").iter().sum::<i64>() > 0, "alerts nobody acknowledged climbed: {trend}");

    // Villages confirm their days, a few of them late: the first township waits on some days.
    let mut confirmed = 0;
    let mut waiting = 0;
    for back in 1..8 {
        let day = (chrono::NaiveDate::from_ymd_opt(2020, 3, 1).unwrap() - Duration::days(back)).to_string();
        let (_, street) = t.get(&hq, &format!("/api/v1/units/150502001/dashboard?date={day}")).await;
        let children = street["children"].as_array().unwrap();
        confirmed += children.iter().filter(|c| !c["confirmation"].is_null()).count();
        waiting += street["confirmation"]["waiting"].as_array().unwrap().len();
    }
    assert!(confirmed > 20 && waiting > 0, "confirmed {confirmed}, waiting {waiting}");

    // Loaded again, nothing is written twice.
    demo::load(&t.app, Scale::Small, &|_, _| {}).await.unwrap();
    assert_eq!(demo_history::load(&t.app, "150502", &|_, _| {}).await.unwrap(), 0);
    let (_, again) = t.get(&hq, "/api/v1/units/150502/trends?metrics=checkins_reported,passages_in,fevers,isolations_started,alerts_escalated").await;
    assert_eq!(again["series"], trend["series"]);
}
both!(the_demo_county_has_thirty_days_of_everything);
