//! Units of the grid: adding one under another (numbered after its siblings when no code is
//! given) and who staffs it.

use super::{App, AppError};
use crate::domain::error::{DomainError, Reason};
use crate::domain::unit::NewUnit;
use crate::domain::{Caller, Login, UnitCode};
use crate::store::{Duty, Unit};

/// A new unit under `parent`: its code as given, else the next free one after its siblings'.
pub async fn create_child(app: &App, caller: &Caller, parent: &str, code: Option<&str>, name: &str) -> Result<Unit, AppError> {
    caller.require(caller.role.writes_roster(), "create units")?;
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

pub async fn change_staff(app: &App, caller: &Caller, code: &str, login: &str, duty: Option<Duty>) -> Result<(), AppError> {
    caller.require(caller.role.writes_roster(), "assign staff")?;
    let code = UnitCode::parse(code).map_err(|_| AppError::NotFound)?;
    let login = Login::parse(login).map_err(|_| AppError::NotFound)?;
    app.store.set_staff(caller, &code, &login, duty).await?;
    Ok(())
}

/// A staff duty as forms and the API spell it.
pub fn parse_duty(raw: &str) -> Result<Duty, DomainError> {
    match raw {
        "leader" => Ok(Duty::Leader),
        "member" => Ok(Duty::Member),
        _ => Err(DomainError::invalid("duty", Reason::OneOf("leader member"))),
    }
}
