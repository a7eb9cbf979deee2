//! Units of the grid: a unit with its figures and children, adding one under another (numbered
//! after its siblings when no code is given), renaming, who staffs it, the names on a path.

use super::{App, AppError};
use crate::domain::error::{DomainError, Reason};
pub use crate::domain::issuing_body::IssuingBody;
use crate::domain::unit::NewUnit;
use crate::domain::{Caller, Login, Permission, UnitCode, UnitPath};
pub use crate::store::{Checkpoint, Duty, Figures, Issuer, Round, StaffMember, Unit};

/// A unit's code as a path names it: one that cannot be a code is not found, as one outside
/// the caller's area is not.
fn code(raw: &str) -> Result<UnitCode, AppError> {
    UnitCode::parse(raw).map_err(|_| AppError::NotFound)
}

/// A unit in the caller's subtree (any account may see the units of its own).
pub async fn get(app: &App, caller: &Caller, unit: &str) -> Result<Unit, AppError> {
    app.store.unit(&caller.scope, &code(unit)?).await?.ok_or(AppError::NotFound)
}

/// A unit, its figures rolled up over its subtree, and each child with its own.
pub struct Overview {
    pub unit: Unit,
    pub figures: Figures,
    pub children: Vec<(Unit, Figures)>,
}

/// A unit with its figures and its children's: what a unit's page and the API show of it.
pub async fn overview(app: &App, caller: &Caller, unit: &str) -> Result<Overview, AppError> {
    let code = code(unit)?;
    let unit = app.store.unit(&caller.scope, &code).await?.ok_or(AppError::NotFound)?;
    let figures = app.store.figures(&caller.scope, &code).await?.ok_or(AppError::NotFound)?;
    let children = app.store.children(&caller.scope, &code).await?;
    Ok(Overview { unit, figures, children })
}

/// A new unit under `parent`: its code as given, else the next free one after its siblings'.
pub async fn create_child(app: &App, caller: &Caller, parent: &str, code: Option<&str>, name: &str) -> Result<Unit, AppError> {
    caller.require(caller.role.may(Permission::WriteRoster), "create units")?;
    let parent_code = UnitCode::parse(parent)?;
    let code = match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => code.to_string(),
        None => {
            let siblings = app.store.children(&caller.scope, &parent_code).await?;
            parent_code.next_child(siblings.iter().map(|(u, _)| u.code.as_str()))?.to_string()
        }
    };
    let unit = NewUnit::parse(&code, name, Some(parent_code.as_str()), None)?;
    Ok(app.store.create_unit(caller, &unit).await?)
}

pub async fn rename(app: &App, caller: &Caller, unit: &str, name: &str) -> Result<Unit, AppError> {
    caller.require(caller.role.may(Permission::WriteRoster), "rename units")?;
    let code = code(unit)?;
    let name = crate::domain::text::label("title", name, 100)?;
    Ok(app.store.rename_unit(caller, &code, &name).await?)
}

/// The unit's leader and members, with how many households each holds.
pub async fn staff(app: &App, caller: &Caller, unit: &str) -> Result<Vec<StaffMember>, AppError> {
    let code = code(unit)?;
    app.store.unit(&caller.scope, &code).await?.ok_or(AppError::NotFound)?;
    Ok(app.store.staff(&caller.scope, &code).await?)
}

/// Makes an account the unit's leader or a member (`Some`), or takes it off the staff (`None`).
pub async fn change_staff(app: &App, caller: &Caller, unit: &str, login: &str, duty: Option<Duty>) -> Result<(), AppError> {
    caller.require(caller.role.may(Permission::WriteRoster), "assign staff")?;
    let code = code(unit)?;
    let login = Login::parse(login).map_err(|_| DomainError::invalid("login", Reason::Unknown))?;
    app.store.set_staff(caller, &code, &login, duty).await?;
    Ok(())
}

/// A staff duty as forms and the API spell it.
pub fn parse_duty(raw: &str) -> Result<Duty, DomainError> {
    match raw {
        "leader" => Ok(Duty::Leader),
        "member" => Ok(Duty::Member),
        _ => Err(DomainError::invalid("duty", Reason::OneOf("leader member", "组长 网格员"))),
    }
}

/// A unit on the way down to a record: its code, its name, and whether the caller may open it
/// (it lies in their subtree).
pub struct Crumb {
    pub code: String,
    pub name: String,
    pub open: bool,
}

/// The units from the top down to `path` (a unit's, or a record's the caller has just read).
pub async fn crumbs(app: &App, caller: &Caller, path: &UnitPath) -> Result<Vec<Crumb>, AppError> {
    let scope_depth = caller.scope.depth();
    let names = app.store.names_on_path(path).await?;
    Ok(names.into_iter().enumerate().map(|(i, (code, name))| Crumb { code, name, open: i + 1 >= scope_depth }).collect())
}

/// The checkpoints of a unit and (for roster readers) its screening rounds, as its page lists
/// them beside its own figures.
pub async fn checkpoints_and_rounds(app: &App, caller: &Caller, unit: &str) -> Result<(Vec<Checkpoint>, Vec<Round>), AppError> {
    let code = code(unit)?;
    let checkpoints = app.store.checkpoints(&caller.scope, &code).await?.unwrap_or_default();
    let rounds = if caller.role.may(Permission::ReadRoster) { app.store.rounds(&caller.scope, &code).await?.unwrap_or_default() } else { Vec::new() };
    Ok((checkpoints, rounds))
}

/// What a unit's HQ types as its issuing body, as the form and the API send it.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssuingBodyInput {
    pub name: String,
    pub phone: String,
    #[serde(default)]
    pub seal: String,
}

/// Sets the body that issues the printouts of a unit and of the units below it that set none
/// (audited). HQ's: the body speaks for the unit's command.
pub async fn set_issuing_body(app: &App, caller: &Caller, unit: &str, input: &IssuingBodyInput) -> Result<Issuer, AppError> {
    caller.require(caller.role.may(Permission::Command), "set the issuing body of printouts")?;
    let code = code(unit)?;
    let body = IssuingBody::parse(&input.name, &input.phone, &input.seal)?;
    Ok(app.store.set_issuing_body(caller, &code, &body).await?)
}

/// The issuing body a printout of a unit carries: the unit's own, else the nearest one above
/// it; `None` when no unit up its path has set one. Any account that may see the unit may see
/// who issues its printouts.
pub async fn issuing_body(app: &App, caller: &Caller, unit: &str) -> Result<Option<Issuer>, AppError> {
    let unit = get(app, caller, unit).await?;
    issuing_body_over(app, &unit.path).await
}

/// The issuing body over a record's path the caller has already been shown (a notice's
/// resident, a poster's checkpoint): the public bodies up that path.
pub async fn issuing_body_over(app: &App, path: &UnitPath) -> Result<Option<Issuer>, AppError> {
    Ok(app.store.issuing_body(path).await?)
}
