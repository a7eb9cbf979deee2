//! Organisations (三个制度): a bureau, a school or a company registered in a unit reports
//! every day for its staff and their relatives, through its account or each staff member's
//! own link (`/o/{token}`).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::checkins::{CheckinInput, day};
use super::{App, AppError};
use crate::domain::error::{DomainError, Problems, Reason};
use crate::domain::table::RowError;
use crate::domain::text::optional;
use crate::domain::time::local_date;
use crate::domain::{Caller, Permission};
pub use crate::store::{Member, OrgDay, Organisation, StaffLink};

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct OrganisationInput {
    pub id: Option<Uuid>,
    pub unit_code: String,
    pub name: String,
    /// bureau, school, company, … as the unit calls itself.
    pub kind: String,
}

pub async fn create_organisation(app: &App, caller: &Caller, input: &OrganisationInput) -> Result<Organisation, AppError> {
    caller.require(caller.role.writes_roster(), "register organisations")?;
    let unit = crate::domain::UnitCode::parse(&input.unit_code)?;
    let name = crate::domain::text::label("title", &input.name, 100)?;
    let kind = crate::domain::text::label("kind", &input.kind, 30)?;
    let fingerprint = super::fingerprint(input.id, input);
    Ok(app.store.create_organisation(caller, input.id.unwrap_or_else(Uuid::now_v7), fingerprint.as_deref(), &unit, &name, &kind).await?)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct MemberInput {
    pub id: Option<Uuid>,
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub relative_of: Option<Uuid>,
    pub relation: String,
}

/// The organisations registered in a unit.
pub async fn of_unit(app: &App, caller: &Caller, unit_code: &str) -> Result<Vec<Organisation>, AppError> {
    caller.require(caller.role.may(Permission::ReadRoster), "read the roster")?;
    let unit = crate::domain::UnitCode::parse(unit_code).map_err(|_| AppError::NotFound)?;
    app.store.organisations(&caller.scope, &unit).await?.ok_or(AppError::NotFound)
}

/// Staff (and relatives of staff) an organisation reports for: all of them, or none.
pub async fn add_members(app: &App, caller: &Caller, org: Uuid, inputs: &[MemberInput]) -> Result<usize, AppError> {
    caller.require(caller.role.screens(), "list an organisation's staff")?;
    let mut members = Vec::new();
    let mut errors = Vec::new();
    for (i, m) in inputs.iter().enumerate() {
        // Every problem of a row, so that a form shows them all at once.
        let mut problems = Problems::default();
        let name = problems.check(crate::domain::text::person_name("name", &m.name));
        let id_number = problems.check(optional(&m.id_number, crate::domain::IdNumber::parse));
        let phone = problems.check(optional(&m.phone, crate::domain::Phone::parse));
        let relation = problems.check(crate::domain::text::optional_label("relation_to_staff", &m.relation, 20));
        match (name, id_number, phone, relation) {
            (Some(name), Some(id_number), Some(phone), Some(relation)) => members.push(crate::store::NewMember {
                id: m.id.unwrap_or_else(Uuid::now_v7),
                fingerprint: super::fingerprint(m.id, &(org, m)),
                name,
                id_number,
                phone,
                relative_of: m.relative_of,
                relation,
            }),
            _ => errors.extend(problems.into_each().into_iter().map(|err| RowError::field(i + 1, err))),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Rows(errors));
    }
    Ok(app.store.add_members(caller, org, &members).await?)
}

/// One staff member's (or relative's) report in an organisation's daily report: the fields of
/// a check-in but the resident, named by `member_id` instead. Spelt out rather than
/// flattened, so that a misspelt field is refused (serde cannot refuse them through a flatten).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct OrgCheckinInput {
    pub member_id: Option<Uuid>,
    /// `well` (the default) or `unwell`.
    pub status: String,
    /// As for a check-in.
    pub symptoms: Vec<String>,
    /// `home` (the default) or `elsewhere`.
    pub location: String,
    /// Where they are: required when `elsewhere`.
    #[serde(rename = "where")]
    pub place: String,
}

impl OrgCheckinInput {
    fn report(&self) -> CheckinInput {
        CheckinInput {
            status: self.status.clone(),
            symptoms: self.symptoms.clone(),
            location: self.location.clone(),
            place: self.place.clone(),
            ..Default::default()
        }
    }
}

/// An organisation's daily report for its staff and their relatives: all rows, or none.
pub async fn org_check_in(app: &App, caller: &Caller, org: Uuid, date: Option<&str>, inputs: &[OrgCheckinInput]) -> Result<usize, AppError> {
    caller.require(caller.role.screens(), "report check-ins")?;
    let mut reports = Vec::new();
    let mut errors = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        // Whether the member is the organisation's is for storage to say.
        match (input.member_id, input.report().report(caller.now, date.unwrap_or_default())) {
            (Some(member), Ok((_, report))) => reports.push((member, report)),
            (None, _) => errors.push(RowError::field(i + 1, DomainError::invalid("member_id", Reason::Empty))),
            (_, Err(err)) => errors.push(RowError::field(i + 1, err)),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Rows(errors));
    }
    Ok(app.store.org_check_in(caller, org, day(app, date)?, &reports).await?)
}

/// A staff member's own link (`/o/{token}`): made by the organisation's account.
pub async fn staff_link(app: &App, caller: &Caller, org: Uuid, member: Uuid) -> Result<String, AppError> {
    caller.require(caller.role.screens(), "hand out staff links")?;
    Ok(app.store.staff_link(caller, org, member, &super::accounts::random_token()?[..24]).await?)
}

/// The staff member and relatives a link opens, as of today.
pub async fn staff(app: &App, token: &str) -> Result<Option<(Uuid, StaffLink)>, AppError> {
    if !super::accounts::plausible_token(token) {
        return Ok(None);
    }
    Ok(app.store.staff_by_link(token, local_date(app.clock.now())).await?)
}

/// A staff member reports for themselves and their relatives through their own link.
pub async fn staff_check_in(app: &App, token: &str, inputs: &[CheckinInput]) -> Result<usize, AppError> {
    let (_, link) = staff(app, token).await?.ok_or(AppError::NotFound)?;
    let caller = Caller::public(link.unit_path.clone(), app.clock.now());
    let mut reports = Vec::new();
    let mut errors = Vec::new();
    // As a household's form: one naming nobody, or someone not on this link, is refused whole.
    let stale = || AppError::from(DomainError::invalid("checkin", Reason::StaleForm));
    if inputs.is_empty() {
        return Err(stale());
    }
    for (i, input) in inputs.iter().enumerate() {
        let member = input.resident_id.filter(|id| link.people.iter().any(|(p, ..)| p == id)).ok_or_else(stale)?;
        match input.report(caller.now, &input.date) {
            Ok((_, report)) => reports.push((member, report)),
            Err(err) => errors.push(RowError::field(i + 1, err)),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Rows(errors));
    }
    Ok(app.store.org_check_in(&caller, link.org.id, local_date(caller.now), &reports).await?)
}

/// A staff member adds a relative to report on (三个制度).
pub async fn add_relative(app: &App, token: &str, name: &str, relation: &str) -> Result<(), AppError> {
    let (staff_id, link) = staff(app, token).await?.ok_or(AppError::NotFound)?;
    // Every field is checked and every problem reported at once.
    let mut problems = Problems::default();
    if link.people.len() > 20 {
        problems.push(DomainError::invalid("relatives", Reason::TooMany(20)));
    }
    let name = problems.check(crate::domain::text::person_name("name", name));
    let relation = problems.check(crate::domain::text::public_text("relation_to_staff", relation, 20));
    problems.finish()?;
    let (Some(name), Some(relation)) = (name, relation) else { unreachable!("a field without a value has its problem kept") };
    let caller = Caller::public(link.unit_path.clone(), app.clock.now());
    let member = crate::store::NewMember { id: Uuid::now_v7(), fingerprint: None, name, id_number: None, phone: None, relative_of: Some(staff_id), relation };
    app.store.add_members(&caller, link.org.id, &[member]).await?;
    Ok(())
}

/// Everyone an organisation reports for, with names, masked ID numbers and phones: roster
/// readers only, and the reading is audited.
pub async fn org_day(app: &App, caller: &Caller, org: Uuid, date: Option<&str>) -> Result<OrgDay, AppError> {
    caller.require(caller.role.reads_roster(), "read the roster")?;
    app.store.org_day(caller, org, day(app, date)?).await?.ok_or(AppError::NotFound)
}
