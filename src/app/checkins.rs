//! Daily check-ins (报平安): through a household's own link, a grid member's list, or the API
//! (one or many at once).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::checkin::{Report, Via, Whereabouts, may_report};
use crate::domain::error::{DomainError, Reason};
use crate::domain::isolation::{Symptom, parse_list};
use crate::domain::table::RowError;
use crate::domain::text::optional_text;
use crate::domain::time::{Window, local_date, parse_date};
use crate::domain::{Caller, Health, Permission, UnitCode};
use crate::store::NewCheckin;
pub use crate::store::{CheckedIn, CheckinHousehold, CheckinSummary, Missing, Principal};

use super::{App, AppError};

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CheckinInput {
    /// The resident reporting (required through the API and a household's link).
    pub resident_id: Option<Uuid>,
    /// `YYYY-MM-DD`: today in the region's time zone by default.
    pub date: String,
    /// `well` (the default) or `unwell`.
    pub status: String,
    /// fever, cough, fatigue, breathlessness, sore_throat, diarrhoea, loss_of_taste, other.
    pub symptoms: Vec<String>,
    /// `home` (the default) or `elsewhere`.
    pub location: String,
    /// Where the resident is: required when `elsewhere`.
    #[serde(rename = "where")]
    pub place: String,
}

/// A check-in alone (an object), or many in one request (an array).
#[derive(Debug, Clone)]
pub enum OneOrMany {
    Many(Vec<CheckinInput>),
    One(CheckinInput),
}

/// Told apart by the JSON's first token, not by trying each in turn as `#[serde(untagged)]`
/// would (which copies the whole body into an intermediate tree first): a check-in is the
/// commonest request there is.
impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<OneOrMany, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = OneOrMany;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a check-in object or an array of them")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<OneOrMany, A::Error> {
                Deserialize::deserialize(serde::de::value::SeqAccessDeserializer::new(seq)).map(OneOrMany::Many)
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<OneOrMany, A::Error> {
                Deserialize::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(OneOrMany::One)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl CheckinInput {
    pub fn parse(&self, now: DateTime<Utc>, via: Via, seconds_to_fill: Option<i64>) -> Result<NewCheckin, DomainError> {
        let (day, report) = self.report(now, &self.date)?;
        Ok(NewCheckin { resident_id: self.resident_id.ok_or(DomainError::invalid("resident_id", Reason::Empty))?, day, report, via, seconds_to_fill })
    }

    /// The day (`date`, today when blank) and what is reported for it, whoever it is about.
    pub fn report(&self, now: DateTime<Utc>, date: &str) -> Result<(NaiveDate, Report), DomainError> {
        let day = match date.trim() {
            "" => local_date(now),
            date => Window::CHECKIN_DAY.date("date", date, now)?,
        };
        let symptoms = parse_list(&self.symptoms, Symptom::parse)?;
        // A symptom makes the day unwell: said so when not given, refused when said otherwise
        // (a tick under 症状 left beside 健康 is a mistake, not a well day).
        let status = match self.status.trim() {
            "" if symptoms.is_empty() => Health::Well,
            "" => Health::Unwell,
            status => Health::parse(status).map_err(|_| DomainError::invalid("status", Reason::OneOf("well unwell", "健康 异常")))?,
        };
        if status == Health::Well && !symptoms.is_empty() {
            return Err(DomainError::invalid("symptoms", Reason::SymptomsWhenWell));
        }
        let location = if self.location.trim().is_empty() { Whereabouts::Home } else { Whereabouts::parse(&self.location)? };
        let place = optional_text("where", &self.place, 100)?;
        if location == Whereabouts::Elsewhere && place.is_none() {
            return Err(DomainError::invalid("where", Reason::Empty));
        }
        let report = Report { status, symptoms, location, place: if location == Whereabouts::Home { None } else { place } };
        Ok((day, report))
    }
}

/// Check-ins through the API or a grid member's list: all of them, or (naming every bad row)
/// none. An API request's session is checked by the store as it writes (see `Principal`).
pub async fn check_in(app: &App, who: &Principal, inputs: &[CheckinInput], via: Via) -> Result<Vec<CheckedIn>, AppError> {
    if let Principal::Caller(caller) = who {
        may_report(caller)?;
    }
    let mut errors = Vec::new();
    let mut checkins = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        match input.parse(who.now(), via, None) {
            Ok(checkin) => checkins.push(checkin),
            Err(err) => errors.push(RowError::field(i + 1, err)),
        }
    }
    if errors.is_empty() && !checkins.is_empty() {
        return Ok(app.store.check_in(who, &checkins).await?);
    }
    // A request that writes nothing is answered as the write would be: who may not check
    // in learns that, not what was wrong with the rows. Only this path reads the session
    // apart from its group.
    if let Principal::Session { token, now } = who {
        let session = app.store.session(token, *now).await?.ok_or(AppError::Unauthenticated)?;
        may_report(&session.account.caller(*now))?;
    }
    if errors.is_empty() {
        return Err(DomainError::Invalid { field: "checkins", reason: Reason::Empty }.into());
    }
    Err(AppError::Rows(errors))
}

/// The household behind a check-in link, as of today.
pub async fn household(app: &App, token: &str) -> Result<Option<CheckinHousehold>, AppError> {
    if !super::accounts::plausible_token(token) {
        return Ok(None);
    }
    Ok(app.store.checkin_household(token, local_date(app.clock.now())).await?)
}

/// The household head checks in for the members through the household's link: only the
/// household's own members, and every field checked.
pub async fn household_check_in(app: &App, token: &str, inputs: &[CheckinInput], seconds_to_fill: Option<i64>) -> Result<Vec<CheckedIn>, AppError> {
    let home = household(app, token).await?.ok_or(AppError::NotFound)?;
    let caller = Caller::public(home.unit_path.clone(), app.clock.now());
    let mut checkins = Vec::new();
    let mut errors = Vec::new();
    // The form names each member it was made for: one naming nobody, or someone not of this
    // household (another household's form, an old one), is refused whole, writing nothing.
    let stale = || AppError::from(DomainError::invalid("checkin", Reason::StaleForm));
    if inputs.is_empty() {
        return Err(stale());
    }
    for (i, input) in inputs.iter().enumerate() {
        if !input.resident_id.is_some_and(|id| home.members.iter().any(|(m, ..)| *m == id)) {
            return Err(stale());
        }
        match input.parse(caller.now, Via::Household, seconds_to_fill) {
            Ok(checkin) => checkins.push(checkin),
            Err(err) => errors.push(RowError::field(i + 1, err)),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Rows(errors));
    }
    Ok(app.store.check_in(&Principal::Caller(caller), &checkins).await?)
}

/// The day a summary is asked for: today in the region unless given.
pub fn day(app: &App, raw: Option<&str>) -> Result<NaiveDate, DomainError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(local_date(app.clock.now())),
        Some(date) => parse_date("date", date),
    }
}

/// Who sends a check-in through the API: the session of the request, checked by the store as
/// it writes, with the other requests of its group (see `Principal::Session`).
pub fn by_session(app: &App, token: String) -> Principal {
    Principal::Session { token, now: app.clock.now() }
}

/// A unit's check-ins for a day (today unless given): expected, reported, flagged, and who has
/// not reported (`limit` of them from the `from`th, and how many in all).
pub async fn summary(app: &App, caller: &Caller, unit: &str, date: Option<&str>, from: u32, limit: u32) -> Result<CheckinSummary, AppError> {
    caller.require(caller.role.may(Permission::ReadRoster), "read the roster")?;
    super::page_limit(limit)?;
    let day = day(app, date)?;
    let unit = UnitCode::parse(unit).map_err(|_| AppError::NotFound)?;
    app.store.checkin_summary(caller, &unit, day, from, limit).await?.ok_or(AppError::NotFound)
}

/// The household's own check-in link's token (`/c/{token}`), made on first request; with
/// `renew`, a new one that replaces the old at once.
pub async fn household_link(app: &App, caller: &Caller, household: Uuid, renew: bool) -> Result<String, AppError> {
    caller.require(caller.role.may(Permission::Screen), "hand out check-in links")?;
    Ok(app.store.checkin_token(caller, household, &super::accounts::random_token()?[..24], renew).await?)
}
