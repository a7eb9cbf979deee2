//! Thirty days behind the demo's today, so that every figure, chart, table and map has something
//! to show on first start: returnees arriving (some from a key area, who are isolated at home),
//! isolation orders followed up twice a day and released when they end, check-ins at 85–99 % of
//! the county a day, passages at a checkpoint in each township with a few fevers (most alerts
//! acknowledged, the others climbing), villages confirming their day's report (a few of them
//! late, over the last week), and the daily close at each midnight.
//!
//! Everything is written through the app's own operations, as of a clock moved through the days
//! (`Replay`), so the facts are real facts and the stored days are real closes. Written once: a
//! database with a closed day already is left alone.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

use super::checkins::{self, CheckinInput};
use super::checkpoints::{self, CheckpointInput, PassageInput};
use super::demo::Rng;
use super::isolation::{self, EndInput, FollowupInput, IsolationInput};
use super::screening::{self, ReturneeInput, StayInput};
use super::{App, AppError, Clock};
use crate::domain::alert::TaskKind;
use crate::domain::checkin::Via;
use crate::domain::command::day_bounds;
use crate::domain::time::{REGION_TZ, local_date};
use crate::domain::{Caller, Role, UnitCode, UnitPath};
use crate::store::Principal;

/// How many days behind today the demo fills.
pub const HISTORY_DAYS: i64 = 30;

/// A clock the history moves through the days.
struct Replay(Mutex<DateTime<Utc>>);

impl Clock for Replay {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&REGION_TZ).format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// Fills the days before today for the county `county`; answers the days written (none when
/// the database has a closed day already). `progress` gets (days done, days in all).
pub async fn load(app: &App, county: &str, progress: &(dyn Fn(usize, usize) + Send + Sync)) -> Result<usize, AppError> {
    if app.store.last_closed_day().await?.is_some() {
        return Ok(0);
    }
    let today = local_date(app.clock.now());
    let replay = Arc::new(Replay(Mutex::new(app.clock.now())));
    let past = App { clock: replay.clone(), ..app.clone() };
    let county_code = UnitCode::parse(county)?;
    let root = past.system_caller(UnitPath::root());
    let county_unit = past.store.unit(&root.scope, &county_code).await?.ok_or(AppError::NotFound)?;
    let hq = Caller { login: "hq".into(), role: Role::Hq, scope: county_unit.path.clone(), now: root.now };
    let (villages, reporting) = villages_of(&past, &root, &county_code).await?;
    let checkpoints = township_checkpoints(&past, &root, &villages).await?;
    let mut orders: Vec<(Uuid, DateTime<Utc>)> = Vec::new();
    let first = today - Duration::days(HISTORY_DAYS);
    // Everyone on the roster, read once: nobody checks in before the evening of a history day.
    let people = missing_residents(&past, &root, &county_code, first).await?;
    for (n, day) in first.iter_days().take_while(|d| *d < today).enumerate() {
        let mut dice = Rng::seeded(&day.to_string());
        let at = |hour: i64, minute: i64| day_bounds(day).0 + Duration::hours(hour) + Duration::minutes(minute);
        let set = |time: DateTime<Utc>| *replay.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = time;
        let caller_at = |time: DateTime<Utc>| Caller { now: time, ..root.clone() };

        set(at(8, 30));
        arrivals(&past, &caller_at(at(8, 30)), &mut dice, &people, at(7, 0), &mut orders).await?;
        set(at(9, 30));
        follow_ups(&past, &caller_at(at(9, 30)), &mut dice, &orders, 95).await?;
        set(at(10, 0));
        releases(&past, &caller_at(at(10, 0)), &mut orders).await?;
        passages(&past, &caller_at(at(11, 0)), &mut dice, &checkpoints, day).await?;
        set(at(11, 30));
        acknowledge_most(&past, &Caller { now: at(11, 30), ..hq.clone() }, &mut dice).await?;
        set(at(12, 30));
        super::tasks::sweep(&past).await?;
        set(at(15, 30));
        follow_ups(&past, &caller_at(at(15, 30)), &mut dice, &orders, 85).await?;
        // The days still open to confirm (a week): what the dashboards' sign-off shows.
        if today - day <= Duration::days(crate::domain::confirmations::OPEN_DAYS) {
            set(at(17, 0));
            confirmations(&past, &mut dice, &reporting, &county_unit.path, at(17, 0), day).await?;
        }
        set(at(20, 0));
        // 85 to 99 % of the county a day.
        let rate = 85 + dice.below(15);
        check_ins(&past, &caller_at(at(20, 0)), &mut dice, &people, rate).await?;
        set(at(23, 50));
        super::tasks::sweep(&past).await?;
        set(at(24, 5));
        super::history::close_day(&past, day).await?;
        progress(n + 1, HISTORY_DAYS as usize);
    }
    today_so_far(app, &root, &county_code, &orders, today).await?;
    Ok(HISTORY_DAYS as usize)
}

/// Today up to now: the follow-ups of the windows that have begun, and the check-ins of the
/// hours gone by (most people report in the morning).
async fn today_so_far(app: &App, root: &Caller, county: &UnitCode, orders: &[(Uuid, DateTime<Utc>)], today: NaiveDate) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut dice = Rng::seeded(&today.to_string());
    let at = |hour: i64, minute: i64| day_bounds(today).0 + Duration::hours(hour) + Duration::minutes(minute);
    for (time, percent) in [(at(9, 30), 95), (at(15, 30), 85)] {
        if time <= now {
            follow_ups(app, &Caller { now: time, ..root.clone() }, &mut dice, orders, percent).await?;
        }
    }
    let hours = (now - at(6, 0)).num_minutes().clamp(0, 14 * 60) as f64 / 60.0;
    let share = ((hours / 6.0).min(1.0) * 90.0) as u64;
    let caller = Caller { now, ..root.clone() };
    let missing = missing_residents(app, &caller, county, today).await?;
    check_ins(app, &caller, &mut dice, &missing, share).await
}

/// The county's villages with households, and the villages that confirm their days: those,
/// and every village of the first township (zero reports, 零报告, where nobody is registered),
/// so that the first township can confirm when none of its villages is late. (The other
/// townships hold villages the demo leaves empty, which never confirm: they wait.)
type Villages = Vec<(String, UnitPath)>;
async fn villages_of(app: &App, root: &Caller, county: &UnitCode) -> Result<(Villages, Villages), AppError> {
    let (mut peopled, mut reporting) = (Vec::new(), Vec::new());
    for (t, (township, _)) in app.store.children(&root.scope, county).await?.into_iter().enumerate() {
        for (village, figures) in app.store.children(&root.scope, &UnitCode::parse(&township.code)?).await? {
            if figures.households > 0 {
                peopled.push((village.code.clone(), village.path.clone()));
            }
            if figures.households > 0 || t == 0 {
                reporting.push((village.code, village.path));
            }
        }
    }
    Ok((peopled, reporting))
}

/// A checkpoint at the first village of each township (the demo's own first village has one).
async fn township_checkpoints(app: &App, root: &Caller, villages: &[(String, UnitPath)]) -> Result<Vec<Uuid>, AppError> {
    let mut ids = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (code, _) in villages {
        if seen.contains(&&code[..9]) {
            continue;
        }
        seen.push(&code[..9]);
        let existing = app.store.checkpoints(&root.scope, &UnitCode::parse(code)?).await?.unwrap_or_default();
        let id = match existing.first() {
            Some(checkpoint) => checkpoint.id,
            None => {
                let (lon, lat) = super::demo_maps::township_point(seen.len() - 1);
                let input = CheckpointInput {
                    id: None,
                    unit_code: code.clone(),
                    name: format!("{}号卡点", seen.len()),
                    kind: "checkpoint".into(),
                    lat: Some(lat.into()),
                    lon: Some(lon.into()),
                };
                checkpoints::create(app, root, &input).await?.id
            }
        };
        ids.push(id);
    }
    Ok(ids)
}

/// Who has not checked in on `day` yet, with their households, across the county.
async fn missing_residents(app: &App, caller: &Caller, county: &UnitCode, day: NaiveDate) -> Result<Vec<(Uuid, Uuid)>, AppError> {
    let mut all = Vec::new();
    loop {
        let page = app.store.checkin_summary(caller, county, day, all.len() as u32, crate::store::MAX_PAGE).await?.ok_or(AppError::NotFound)?;
        all.extend(page.missing.iter().map(|m| (m.resident_id, m.household_id)));
        if page.missing.is_empty() || all.len() as i64 >= page.missing_count {
            return Ok(all);
        }
    }
}

/// Two to five returnees a day; one in three from the key area, isolated at home on arrival.
async fn arrivals(
    app: &App,
    caller: &Caller,
    dice: &mut Rng,
    people: &[(Uuid, Uuid)],
    arrived: DateTime<Utc>,
    orders: &mut Vec<(Uuid, DateTime<Utc>)>,
) -> Result<(), AppError> {
    for n in 0..2 + dice.below(4) {
        let (resident, _) = people[dice.below(people.len() as u64) as usize];
        let from_key_area = dice.chance(33);
        let (origin, place) =
            if from_key_area { ("湖北省武汉市", "420102") } else { (["北京市朝阳区", "呼和浩特市", "沈阳市"][n as usize % 3], "北京") };
        let input = ReturneeInput {
            resident_id: Some(resident),
            origin: origin.into(),
            travel: vec![StayInput {
                place: place.into(),
                from: Some((arrived - Duration::days(15)).format("%Y-%m-%d").to_string()),
                to: Some(arrived.format("%Y-%m-%d").to_string()),
            }],
            arrived_at: local(arrived + Duration::minutes(n as i64 * 17)),
            transport: ["train", "bus", "car"][dice.below(3) as usize].into(),
            health: "well".into(),
            ..Default::default()
        };
        // A resident drawn twice may be refused as already back: nothing more to show for them.
        if refused_is_fine(screening::register_returnee(app, caller, &input).await)?.is_none() || !from_key_area {
            continue;
        }
        let order = IsolationInput {
            resident_id: Some(resident),
            kind: if dice.chance(25) { "central".into() } else { "home".into() },
            place: "旗隔离点".into(),
            reason: "key_area".into(),
            days: Some(14u32.into()),
            ..Default::default()
        };
        // Someone isolated already is refused a second order.
        if let Some(order) = refused_is_fine(isolation::order(app, caller, &order).await)? {
            orders.push((order.id, order.planned_end));
        }
    }
    Ok(())
}

async fn follow_ups(app: &App, caller: &Caller, dice: &mut Rng, orders: &[(Uuid, DateTime<Utc>)], percent: u64) -> Result<(), AppError> {
    for (order, _) in orders {
        if dice.chance(percent) {
            let temperature = if dice.chance(3) { 37.6 } else { 36.5 };
            let input = FollowupInput { temperature: Some(temperature.into()), reached: "phone".into(), ..Default::default() };
            isolation::follow_up(app, caller, *order, &input).await?;
        }
    }
    Ok(())
}

/// Orders whose fourteen days are over are released that morning, after the final follow-up.
async fn releases(app: &App, caller: &Caller, orders: &mut Vec<(Uuid, DateTime<Utc>)>) -> Result<(), AppError> {
    let mut running = Vec::new();
    for (order, end) in orders.drain(..) {
        if end <= caller.now + Duration::hours(14) {
            let last = FollowupInput { temperature: Some(36.5.into()), reached: "visit".into(), note: "解除前复查".into(), ..Default::default() };
            isolation::follow_up(app, caller, order, &last).await?;
            isolation::end_or_extend(app, caller, order, &EndInput { reason: "隔离期满，解除隔离".into(), days: None }).await?;
        } else {
            running.push((order, end));
        }
    }
    *orders = running;
    Ok(())
}

/// Four to eight passages a checkpoint; one in forty a fever.
async fn passages(app: &App, caller: &Caller, dice: &mut Rng, checkpoints: &[Uuid], day: NaiveDate) -> Result<(), AppError> {
    let names = ["刘建国", "乌云", "陈志强", "宝音", "赵丽", "孟和", "王芳", "苏和", "李明", "萨仁"];
    let mut writes = tokio::task::JoinSet::new();
    for (c, checkpoint) in checkpoints.iter().enumerate() {
        for n in 0..4 + dice.below(5) {
            let fever = dice.chance(3);
            let outcome = if fever {
                "referred"
            } else if dice.chance(8) {
                "turned_back"
            } else {
                "passed"
            };
            let input = PassageInput {
                name: names[dice.below(names.len() as u64) as usize].into(),
                phone: format!("139{:04}{:04}", day.format("%m%d"), c * 16 + n as usize),
                direction: if dice.chance(50) { "in".into() } else { "out".into() },
                temperature: Some(if fever { 37.8 } else { 36.4 + dice.below(5) as f64 / 10.0 }.into()),
                from: "通辽市区".into(),
                outcome: outcome.into(),
                at: local(caller.now - Duration::minutes(dice.below(180) as i64)),
                ..Default::default()
            };
            let (app, caller, checkpoint) = (app.clone(), caller.clone(), *checkpoint);
            // Together, as a busy morning sends them: one group commit writes them all.
            writes.spawn(async move { checkpoints::log_passage(&app, &caller, checkpoint, &input).await.map(|_| ()) });
        }
    }
    while let Some(done) = writes.join_next().await {
        done.map_err(|e| AppError::Internal(e.to_string()))??;
    }
    Ok(())
}

/// HQ acknowledges four in five of the fever alerts waiting (the others climb), and catches
/// up on every alert older than two days (so the county's inbox on the demo's morning holds
/// the last two days' work, not a month's).
async fn acknowledge_most(app: &App, hq: &Caller, dice: &mut Rng) -> Result<(), AppError> {
    let inbox = super::tasks::inbox(app, hq, 0, crate::store::MAX_PAGE).await?;
    let caught_up = hq.now - Duration::days(2);
    for task in &inbox.tasks {
        let alert = matches!(task.kind, TaskKind::FeverAlert | TaskKind::FollowupAlert | TaskKind::EscalationAlert);
        if (task.kind == TaskKind::FeverAlert && dice.chance(80)) || (alert && task.due < caught_up) {
            super::tasks::acknowledge(app, hq, task.id).await?;
        }
    }
    Ok(())
}

/// Each village confirms its day, but one in ten is late (it confirms nothing that day);
/// townships whose villages all confirmed confirm, and the county after them.
async fn confirmations(
    app: &App,
    dice: &mut Rng,
    villages: &[(String, UnitPath)],
    county: &UnitPath,
    at: DateTime<Utc>,
    day: NaiveDate,
) -> Result<(), AppError> {
    let date = day.to_string();
    let mut townships: HashMap<&str, UnitPath> = HashMap::new();
    for (code, path) in villages {
        if !dice.chance(90) {
            continue;
        }
        // Confirmed in the name of the command line that wrote the demo (the audit log says so).
        let leader = Caller { login: "cli".into(), role: Role::GridLeader, scope: path.clone(), now: at };
        super::confirmations::confirm(app, &leader, code, &date).await?;
        let township = &code[..9];
        townships.entry(township).or_insert_with(|| UnitPath::from_stored(format!("{}{township}/", county.as_str())));
    }
    let mut codes: Vec<(&str, UnitPath)> = townships.into_iter().collect();
    codes.sort_by(|a, b| a.0.cmp(b.0));
    for (code, path) in codes {
        let hq = Caller { login: "cli".into(), role: Role::Hq, scope: path, now: at + Duration::minutes(20) };
        refused_is_fine(super::confirmations::confirm(app, &hq, code, &date).await)?;
    }
    let hq = Caller { login: "cli".into(), role: Role::Hq, scope: county.clone(), now: at + Duration::minutes(40) };
    refused_is_fine(super::confirmations::confirm(app, &hq, county.codes().last().unwrap_or_default(), &date).await)?;
    Ok(())
}

/// What the rules refuse (a unit still waiting for one below it, a second order for someone
/// isolated already) is skipped, as staff would; anything else stops the history.
fn refused_is_fine<T>(result: Result<T, AppError>) -> Result<Option<T>, AppError> {
    match result {
        Ok(done) => Ok(Some(done)),
        Err(AppError::Domain(_) | AppError::Conflict(_)) => Ok(None),
        Err(other) => Err(other),
    }
}

/// `rate` % of `people` check in; one in three hundred unwell.
async fn check_ins(app: &App, caller: &Caller, dice: &mut Rng, people: &[(Uuid, Uuid)], rate: u64) -> Result<(), AppError> {
    let mut reports: Vec<CheckinInput> = Vec::with_capacity(people.len());
    for (resident, _) in people {
        if !dice.chance(rate) {
            continue;
        }
        let unwell = dice.below(300) == 0;
        reports.push(CheckinInput {
            resident_id: Some(*resident),
            status: if unwell { "unwell".into() } else { String::new() },
            symptoms: if unwell { vec!["cough".into()] } else { Vec::new() },
            ..Default::default()
        });
    }
    for batch in reports.chunks(crate::store::MAX_PAGE as usize) {
        checkins::check_in(app, &Principal::Caller(caller.clone()), batch, Via::Member).await?;
    }
    Ok(())
}
