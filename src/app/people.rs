//! People who passed checkpoints: a person's time line over the checkpoints in the caller's
//! subtree, the candidate contacts of a case, turned into screening tasks where each
//! belongs, and the header's search for anyone the caller's area knows.

use serde::Serialize;
use uuid::Uuid;

use super::{App, AppError};
use crate::domain::{Caller, IdNumber, Permission, Phone, contacts};
pub use crate::store::{Contact, Found, Person, PersonHit, ResidentHit, Trajectory, TrajectoryItem};

/// A person's passages and registrations in time order: the reading is audited.
pub async fn trajectory(app: &App, caller: &Caller, person: Uuid) -> Result<Trajectory, AppError> {
    caller.require(caller.role.may(Permission::ReadTrajectories), "read trajectories")?;
    app.store.trajectory(caller, person).await?.ok_or(AppError::NotFound)
}

/// A case's candidate contacts within a window.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Contacts {
    /// The window used: ± this many minutes.
    pub window_minutes: i64,
    pub items: Vec<Contact>,
}

/// Candidate contacts of a case: same household, same vehicle (plate) or same checkpoint
/// within ± `window_minutes` (30 by default, at most 1440); the reading is audited.
pub async fn contacts(app: &App, caller: &Caller, person: Uuid, window_minutes: Option<u32>) -> Result<Contacts, AppError> {
    caller.require(caller.role.may(Permission::TraceContacts), "trace contacts")?;
    let window = contacts::window(window_minutes)?;
    let items = app.store.contacts(caller, person, window).await?.ok_or(AppError::NotFound)?;
    Ok(Contacts { window_minutes: window.num_minutes(), items })
}

/// Turns a case's contacts into screening tasks where each belongs; answers how many.
pub async fn screen_contacts(app: &App, caller: &Caller, person: Uuid, window_minutes: Option<u32>) -> Result<usize, AppError> {
    caller.require(caller.role.may(Permission::TraceContacts), "trace contacts")?;
    let window = contacts::window(window_minutes)?;
    Ok(app.store.screen_contacts(caller, person, window).await?)
}

/// The most a search lists of each kind at once.
pub const MAX_SEARCH: u32 = 200;

/// Which page of each of a search's two lists to answer: `limit` residents from
/// `residents_from`, `limit` people seen from `people_from`.
#[derive(Debug, Clone, Copy)]
pub struct SearchPages {
    pub residents_from: u32,
    pub people_from: u32,
    pub limit: u32,
}

/// Everyone the caller's subtree knows by a name prefix, an ID number or a phone: its
/// residents (for roles that read the roster), and the people seen at its checkpoints who
/// are no residents of it (for roles that read trajectories); a page of each with how many
/// there are in all, masked as lists are. A search by a full ID number or phone is a look-up
/// of one person, so it is audited like reading their record (the number masked).
pub async fn search(app: &App, caller: &Caller, query: &str, pages: SearchPages) -> Result<Found, AppError> {
    let (roster, trajectories) = (caller.role.may(Permission::ReadRoster), caller.role.may(Permission::ReadTrajectories));
    caller.require(roster || trajectories, "search for people")?;
    let limit = crate::domain::text::number_between("limit", pages.limit, 1, i64::from(MAX_SEARCH))?;
    // An ID number is searched as it is stored (full-width digits typed by an input method too).
    let id_number = IdNumber::parse(query);
    let phone = Phone::parse(query);
    let query = match (&id_number, &phone) {
        (Ok(n), _) => n.as_str(),
        (_, Ok(p)) => p.as_str(),
        _ => query.trim(),
    };
    let (residents, residents_total) =
        if roster { app.store.find_residents(&caller.scope, query, pages.residents_from, limit).await? } else { (Vec::new(), 0) };
    let (people, people_total) = if trajectories { app.store.find_people(&caller.scope, query, pages.people_from, limit).await? } else { (Vec::new(), 0) };
    let found = residents_total + people_total;
    let exact = match (&id_number, &phone) {
        (Ok(id_number), _) => Some(serde_json::json!({"what": "search", "id_number": id_number.masked(), "found": found})),
        (_, Ok(phone)) => Some(serde_json::json!({"what": "search", "phone": phone.masked(), "found": found})),
        _ => None,
    };
    if let Some(detail) = exact {
        let (entity, id) = match (residents.as_slice(), people.as_slice()) {
            ([one], []) if found == 1 => ("resident", one.id.to_string()),
            ([], [one]) if found == 1 => ("person", one.id.to_string()),
            _ => ("resident", "search".to_string()),
        };
        app.store.record_read(caller, entity, &id, &caller.scope, detail).await?;
    }
    Ok(Found { residents, residents_total, people, people_total })
}
