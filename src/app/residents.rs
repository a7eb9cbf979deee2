//! Finding residents. A search by a full ID number or phone is a look-up of one person, so
//! it is audited like reading their record (the audit keeps the number masked).

use crate::domain::{Caller, IdNumber, Phone};
use crate::store::ResidentListItem;

use super::{App, AppError};

pub async fn search(app: &App, caller: &Caller, query: &str, limit: u32) -> Result<Vec<ResidentListItem>, AppError> {
    caller.require(caller.role.reads_roster(), "read the roster")?;
    // An ID number is searched as it is stored (full-width digits typed by an input method too).
    let id_number = IdNumber::parse(query);
    let query = id_number.as_ref().map_or(query, |n| n.as_str());
    let found = app.store.search_residents(&caller.scope, query, limit).await?;
    let exact = match (&id_number, Phone::parse(query)) {
        (Ok(id_number), _) => Some(serde_json::json!({"what": "search", "id_number": id_number.masked(), "found": found.len()})),
        (_, Ok(phone)) => Some(serde_json::json!({"what": "search", "phone": phone.masked(), "found": found.len()})),
        _ => None,
    };
    if let Some(detail) = exact {
        let entity_id = match found.as_slice() {
            [one] => one.id.to_string(),
            _ => "search".to_string(),
        };
        app.store.record_read(caller, "resident", &entity_id, &caller.scope, detail).await?;
    }
    Ok(found)
}
