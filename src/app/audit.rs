//! The audit log: who read or wrote what, when (administrators read it), filtered by who,
//! what and when.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::Deserialize;

use super::{App, AppError};
use crate::domain::time::{REGION_TZ, parse_date};
use crate::domain::{Caller, Permission};
pub use crate::store::AuditEntry;
use crate::store::AuditFilter;

/// The kinds of record the log names, for the filter by what.
pub const ENTITIES: &[&str] = &[
    "household",
    "resident",
    "person",
    "isolation",
    "isolations",
    "figure",
    "followup",
    "checkin_link",
    "checkpoint",
    "passage",
    "registration",
    "screening_round",
    "screening_task",
    "returnees",
    "key_area",
    "organisation",
    "org_members",
    "org_checkins",
    "staff_link",
    "alert",
    "unit",
    "units",
    "roster",
    "account",
    "report",
];

/// The filters as people type them: who (a login or a display name), what (a kind of
/// record), and the local days from and to (both included); each blank one is no filter.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(default, deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Entries before this one (the `id` of the last entry of the previous page).
    pub before: Option<i64>,
    /// By this login, or by the account with this display name.
    pub who: String,
    /// About this kind of record: household, resident, person, isolation, …
    pub what: String,
    /// From this local day (`YYYY-MM-DD`).
    pub from: String,
    /// To this local day, included.
    pub to: String,
    /// How many entries (100 by default; the pages show 100).
    pub limit: Option<u32>,
}

fn start_of(day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    REGION_TZ.from_local_datetime(&midnight).earliest().map_or_else(|| midnight.and_utc(), |at| at.with_timezone(&Utc))
}

/// How far the log's total is counted: past it, "more than 10,000".
pub const COUNT_CAP: u32 = 10_000;

/// A page of the log, and how many entries the filter finds in all.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    /// Entries the filter finds on every page, counted up to 10,000.
    pub total: i64,
    /// There are more than `total` (the count stopped at 10,000).
    pub more: bool,
}

/// The entries about records in the caller's subtree, newest first, as the query narrows them,
/// `limit` of them, with how many there are in all.
pub async fn log(app: &App, caller: &Caller, query: &AuditQuery, limit: u32) -> Result<AuditPage, AppError> {
    caller.require(caller.role.may(Permission::ReadAudit), "read the audit log")?;
    super::page_limit(limit)?;
    let day = |field, raw: &str| match raw.trim() {
        "" => Ok(None),
        raw => parse_date(field, raw).map(Some),
    };
    let what = query.what.trim();
    if !what.is_empty() && !ENTITIES.contains(&what) {
        return Err(crate::domain::DomainError::invalid(
            "what",
            crate::domain::error::Reason::OneOf("household resident person …", "household resident person …"),
        )
        .into());
    }
    let filter = AuditFilter {
        before: query.before,
        actor: Some(query.who.trim().to_string()).filter(|w| !w.is_empty()),
        entity: Some(what.to_string()).filter(|w| !w.is_empty()),
        // Named as the log's form labels them (a checkpoint's `from` is where someone came from).
        since: day("first_day", &query.from)?.map(start_of),
        until: day("last_day", &query.to)?.and_then(|d| d.succ_opt()).map(start_of),
    };
    let items = app.store.audit_log(&caller.scope, &filter, limit).await?;
    let counted = app.store.audit_count(&caller.scope, &filter, COUNT_CAP).await?;
    Ok(AuditPage { items, total: counted.min(i64::from(COUNT_CAP)), more: counted > i64::from(COUNT_CAP) })
}
