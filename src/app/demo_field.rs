//! The demo's field work in its first village, so that a first look shows every part at
//! work: a key area, returnees (yellow and red households), a checkpoint with a shift and a
//! day of passages (one with a fever, alerting the leader and HQ), a screening round, an
//! isolation order with its follow-ups, today's check-ins, and a bureau's staff.
//! Written once: a village that has a checkpoint already is left alone.

use chrono::Duration;
use uuid::Uuid;

use crate::domain::{UnitCode, UnitPath};

use super::checkins::{self, CheckinInput};
use super::checkpoints::{self, CheckpointInput, PassageInput, ShiftInput};
use super::isolation::{self, FollowupInput, IsolationInput};
use super::organisations::{self, MemberInput, OrganisationInput};
use super::screening::{self, KeyAreaInput, ReturneeInput, StayInput, VisitInput};
use super::{App, AppError};
use crate::domain::checkin::Via;
use crate::store::OnDuty;

fn local(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&crate::domain::time::REGION_TZ).format("%Y-%m-%dT%H:%M:%S").to_string()
}

pub async fn load(app: &App, village: &str, group: &str) -> Result<(), AppError> {
    let root = app.system_caller(UnitPath::root());
    let village_code = UnitCode::parse(village)?;
    if !app.store.checkpoints(&root.scope, &village_code).await?.unwrap_or_default().is_empty() {
        return Ok(());
    }
    let now = root.now;
    screening::add_key_area(app, &root, &KeyAreaInput { area: "42".into(), valid_from: local(now - Duration::days(60))[..10].into(), valid_to: None }).await?;

    let page = app.store.households(&root.scope, &UnitCode::parse(group)?, None, 12).await?.ok_or(AppError::NotFound)?;
    let household = |n: usize| page.items.get(n).map(|h| h.id);
    let arrivals: [(usize, &str, &str, i64); 3] = [(1, "北京市朝阳区", "北京", 2), (3, "呼和浩特市", "呼和浩特", 5), (5, "湖北省武汉市", "420102", 1)];
    for (n, (index, origin, place, days_ago)) in arrivals.into_iter().enumerate() {
        let Some(household) = household(index) else { continue };
        let record = app.store.household(&root, household).await?.ok_or(AppError::NotFound)?;
        let Some(person) = record.residents.first() else { continue };
        let arrived = now - Duration::days(days_ago);
        let input = ReturneeInput {
            id: None,
            resident_id: Some(person.id),
            origin: origin.into(),
            travel: vec![StayInput {
                place: place.into(),
                from: Some((arrived - Duration::days(20)).format("%Y-%m-%d").to_string()),
                to: Some(arrived.format("%Y-%m-%d").to_string()),
            }],
            arrived_at: local(arrived),
            transport: if n == 2 { "car".into() } else { "train".into() },
            health: "well".into(),
            ..Default::default()
        };
        screening::register_returnee(app, &root, &input).await?;
    }

    let checkpoint = checkpoints::create(
        app,
        &root,
        &CheckpointInput {
            id: None,
            unit_code: village.into(),
            name: "村口卡点".into(),
            kind: "checkpoint".into(),
            // In the first village's cell of the demo's schematic map (`demo_maps`).
            lat: Some(43.32.into()),
            lon: Some(121.97.into()),
        },
    )
    .await?;
    let shift_start = now - Duration::hours(6);
    let staff = vec![
        OnDuty { name: "李医生".into(), duty: "医务人员".into(), phone: None },
        OnDuty { name: "张警官".into(), duty: "公安干警".into(), phone: None },
        OnDuty { name: "王干部".into(), duty: "机关干部".into(), phone: None },
    ];
    checkpoints::add_shift(app, &root, checkpoint.id, &ShiftInput { starts_at: local(shift_start), ends_at: local(shift_start + Duration::hours(24)), staff })
        .await?;
    let travellers: [(&str, &str, &str, f64, &str, i64); 6] = [
        ("刘建国", "蒙G 31245", "in", 36.5, "passed", 300),
        ("乌云", "", "out", 36.7, "passed", 240),
        ("陈志强", "蒙G 8K012", "in", 36.4, "turned_back", 180),
        ("宝音", "蒙G 31245", "in", 36.6, "passed", 120),
        ("赵丽", "", "in", 37.8, "referred", 60),
        ("孟和", "蒙GD12345", "out", 36.3, "passed", 20),
    ];
    for (n, (name, plate, direction, temperature, outcome, minutes_ago)) in travellers.into_iter().enumerate() {
        let input = PassageInput {
            id: None,
            name: name.into(),
            phone: format!("1390475{:04}", 1000 + n),
            plate: plate.into(),
            direction: direction.into(),
            temperature: Some(temperature.into()),
            from: "通辽市区".into(),
            outcome: outcome.into(),
            at: local(now - Duration::minutes(minutes_ago)),
            ..Default::default()
        };
        checkpoints::log_passage(app, &root, checkpoint.id, &input).await?;
    }

    let round = screening::open_round(app, &root, village, "春节返乡排查").await?;
    for (n, item) in page.items.iter().take(4).enumerate() {
        let outcome = if n == 2 { "nobody_home" } else { "visited" };
        screening::record_visit(app, &root, round.id, &VisitInput { household_id: item.id, outcome: outcome.into(), note: String::new() }).await?;
    }

    // The Wuhan returnee isolated at home since yesterday, paired with the demo's grid member,
    // followed up yesterday afternoon (so this morning's follow-up is in `member`'s inbox).
    if let Some(household) = household(5) {
        let record = app.store.household(&root, household).await?.ok_or(AppError::NotFound)?;
        if let Some(person) = record.residents.first() {
            let start = now - Duration::days(1);
            let input = IsolationInput {
                id: None,
                resident_id: Some(person.id),
                kind: "home".into(),
                reason: "key_area".into(),
                start: local(start),
                days: Some(14u32.into()),
                cadre_login: "member".into(),
                ..Default::default()
            };
            let order = isolation::order(app, &root, &input).await?;
            let mut earlier = app.system_caller(UnitPath::root());
            earlier.now = now - Duration::hours(18);
            isolation::follow_up(
                app,
                &earlier,
                order.id,
                &FollowupInput { id: None, temperature: Some(36.6.into()), reached: "phone".into(), ..Default::default() },
            )
            .await?;
        }
    }
    // Today's check-ins of the first two households.
    let mut reports = Vec::new();
    for item in page.items.iter().take(2) {
        let record = app.store.household(&root, item.id).await?.ok_or(AppError::NotFound)?;
        reports.extend(record.residents.iter().map(|r| CheckinInput { resident_id: Some(r.id), ..Default::default() }));
    }
    checkins::check_in(app, &crate::store::Principal::Caller(root.clone()), &reports, Via::Member).await?;
    // A bureau that reports for its staff and their relatives (三个制度).
    let county = &village[..6];
    let org = organisations::create_organisation(
        app,
        &root,
        &OrganisationInput { id: None, unit_code: county.into(), name: "旗教育局".into(), kind: "bureau".into() },
    )
    .await?;
    // Random ids, as every record has: nobody can guess another village's records from the demo's.
    let staff = Uuid::now_v7();
    let members = [
        MemberInput { id: Some(staff), name: "包老师".into(), phone: "13904751234".into(), ..Default::default() },
        MemberInput { id: None, name: "包小红".into(), relative_of: Some(staff), relation: "女儿".into(), ..Default::default() },
        MemberInput { id: None, name: "韩主任".into(), ..Default::default() },
    ];
    organisations::add_members(app, &root, org.id, &members).await?;
    Ok(())
}
