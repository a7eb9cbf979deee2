//! Checkpoints, their shifts and posters' tokens; the people who pass them, their passages
//! and self-registrations; trajectories and contacts. A passage's scope is its checkpoint's
//! unit: a caller sees the passages of the checkpoints in their subtree.

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::StoreResult;
use crate::domain::contacts::ContactReason;
use crate::domain::{Caller, CheckpointKind, Direction, IdNumber, Location, Outcome, Phone, Plate, Temperature, UnitCode, UnitPath};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Checkpoint {
    pub id: Uuid,
    pub unit_code: String,
    #[serde(skip)]
    pub unit_path: UnitPath,
    pub name: String,
    pub kind: CheckpointKind,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// The secret in the poster's QR code: whoever holds it may register at this checkpoint.
    pub token: String,
}

#[derive(Debug, Clone)]
pub struct NewCheckpoint {
    pub id: Uuid,
    /// Set when the client chose `id`: the digest of its request (`app::fingerprint`).
    pub fingerprint: Option<String>,
    pub unit_code: UnitCode,
    pub name: String,
    pub kind: CheckpointKind,
    pub location: Option<Location>,
}

/// One person on a shift: a medic, a police officer, a cadre (医务人员、公安干警、机关干部).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OnDuty {
    pub name: String,
    pub duty: String,
    #[serde(default)]
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Shift {
    pub id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub staff: Vec<OnDuty>,
}

/// Who passed: an ID number, or a name (with a phone to tell namesakes apart).
#[derive(Debug, Clone, Default)]
pub struct PersonKey {
    pub id_number: Option<IdNumber>,
    pub name: Option<String>,
    pub phone: Option<Phone>,
}

#[derive(Debug, Clone)]
pub struct NewPassage {
    pub id: Uuid,
    /// Set when the client chose `id`: the digest of its request (`app::fingerprint`).
    pub fingerprint: Option<String>,
    pub checkpoint_id: Uuid,
    pub person: PersonKey,
    pub plate: Option<Plate>,
    pub direction: Direction,
    pub temperature: Option<Temperature>,
    pub purpose: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub outcome: Outcome,
    pub at: DateTime<Utc>,
}

/// A passage as lists show it: ID number and phone masked.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Passage {
    pub id: Uuid,
    pub checkpoint_id: Uuid,
    pub checkpoint_name: String,
    pub person_id: Option<Uuid>,
    pub name: Option<String>,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub plate: Option<String>,
    pub direction: Direction,
    pub temperature: Option<f64>,
    pub purpose: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub outcome: Outcome,
    pub at: DateTime<Utc>,
    pub actor: String,
    /// Whether the passage raised a fever alert.
    pub fever: bool,
}

#[derive(Debug, Clone)]
pub struct NewRegistration {
    pub id: Uuid,
    /// Set when the client chose `id`: the digest of its request (`app::fingerprint`).
    pub fingerprint: Option<String>,
    pub name: String,
    pub id_number: IdNumber,
    pub phone: Phone,
    pub plate: Option<Plate>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub purpose: Option<String>,
}

/// The most pending self-registrations a checkpoint's page lists at once (oldest unconfirmed
/// wait below; the count says how many there are).
pub const PENDING_SHOWN: u32 = 200;

/// A traveller's own registration, waiting for staff to take a temperature and confirm it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Registration {
    pub id: Uuid,
    pub checkpoint_id: Uuid,
    pub person_id: Uuid,
    pub name: String,
    pub id_number: String,
    pub phone: Option<String>,
    pub plate: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub purpose: Option<String>,
    pub at: DateTime<Utc>,
    pub passage_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Person {
    pub id: Uuid,
    pub name: String,
    /// Full: a person's page is a full record, and reading it is audited.
    pub id_number: Option<String>,
    pub phone: Option<String>,
}

/// A step on a person's time line: a passage, or a registration not yet confirmed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TrajectoryItem {
    #[schema(value_type = String, example = "passage")]
    pub kind: &'static str,
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub checkpoint_id: Uuid,
    pub checkpoint_name: String,
    pub unit_code: String,
    pub direction: Option<Direction>,
    pub temperature: Option<f64>,
    pub plate: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub outcome: Option<Outcome>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Trajectory {
    pub person: Person,
    pub items: Vec<TrajectoryItem>,
}

/// A candidate contact of a case, masked as lists are.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Contact {
    pub person_id: Option<Uuid>,
    pub resident_id: Option<Uuid>,
    pub name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub reasons: Vec<ContactReason>,
    /// For a vehicle or checkpoint contact: when and where they were closest.
    pub at: Option<DateTime<Utc>>,
    pub checkpoint_name: Option<String>,
    pub plate: Option<String>,
    /// Where the person belongs: their household's unit, else the checkpoint's.
    #[serde(skip)]
    pub unit_path: Option<UnitPath>,
}

#[async_trait]
pub trait CheckpointStore {
    async fn create_checkpoint(&self, caller: &Caller, checkpoint: &NewCheckpoint, token: &str) -> StoreResult<Checkpoint>;
    async fn checkpoint(&self, scope: &UnitPath, id: Uuid) -> StoreResult<Option<Checkpoint>>;
    /// Checkpoints of a unit's subtree; `None` if the unit is outside the scope.
    async fn checkpoints(&self, scope: &UnitPath, unit: &UnitCode) -> StoreResult<Option<Vec<Checkpoint>>>;
    /// Replaces the poster's token: old posters stop working.
    async fn rotate_token(&self, caller: &Caller, id: Uuid, token: &str) -> StoreResult<()>;
    /// The checkpoint a poster's token opens (public: no scope).
    async fn checkpoint_by_token(&self, token: &str) -> StoreResult<Option<Checkpoint>>;
    async fn add_shift(&self, caller: &Caller, checkpoint: Uuid, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>, staff: &[OnDuty]) -> StoreResult<Shift>;
    /// Shifts overlapping `[from, to)`.
    async fn shifts(&self, scope: &UnitPath, checkpoint: Uuid, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Option<Vec<Shift>>>;
}

#[async_trait]
pub trait PassageStore {
    /// Logs a passage; a temperature at or above `fever` raises an alert to the leader of the
    /// checkpoint's unit and its HQ accounts, in the same transaction. A retried request
    /// (same id) returns the first passage.
    async fn log_passage(&self, caller: &Caller, passage: &NewPassage, fever: Temperature) -> StoreResult<Passage>;
    /// Passages at a checkpoint in `[from, to)`, newest first: `limit` of them from the
    /// `offset`th, and how many there are in all.
    #[allow(clippy::too_many_arguments)]
    async fn passages(
        &self,
        scope: &UnitPath,
        checkpoint: Uuid,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        offset: u32,
        limit: u32,
        fever: Temperature,
    ) -> StoreResult<Option<(Vec<Passage>, i64)>>;
    /// A traveller registers through a poster's token (no account). `None` if the token is unknown.
    async fn register_self(&self, token: &str, registration: &NewRegistration, now: DateTime<Utc>) -> StoreResult<Option<Registration>>;
    /// Registrations at a checkpoint that staff have not confirmed yet, newest first: the
    /// first `PENDING_SHOWN`, and how many there are in all.
    async fn pending_registrations(&self, scope: &UnitPath, checkpoint: Uuid, since: DateTime<Utc>) -> StoreResult<Option<(Vec<Registration>, i64)>>;
    /// Staff confirm a registration with a temperature: it becomes a passage.
    async fn confirm_registration(
        &self,
        caller: &Caller,
        id: Uuid,
        temperature: Temperature,
        direction: Direction,
        outcome: Outcome,
        fever: Temperature,
    ) -> StoreResult<Passage>;
    /// A person's time line over the checkpoints in the caller's scope; audited. `None` if the
    /// caller can see nothing of them.
    async fn trajectory(&self, caller: &Caller, person: Uuid) -> StoreResult<Option<Trajectory>>;
    /// Candidate contacts of a case; audited.
    async fn contacts(&self, caller: &Caller, person: Uuid, window: Duration) -> StoreResult<Option<Vec<Contact>>>;
    /// Turns a case's contacts into screening tasks where each belongs; returns how many are new.
    async fn screen_contacts(&self, caller: &Caller, person: Uuid, window: Duration) -> StoreResult<usize>;
}

/// A person as a passage names them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct PersonRow {
    pub id: Uuid,
    pub name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
}

/// The passage just written, as lists show it, without reading it back.
pub(crate) fn written_passage(caller: &Caller, checkpoint: &Checkpoint, passage: &NewPassage, person: Option<&PersonRow>, fever: Temperature) -> Passage {
    Passage {
        id: passage.id,
        checkpoint_id: checkpoint.id,
        checkpoint_name: checkpoint.name.clone(),
        person_id: person.map(|p| p.id),
        name: passage.person.name.clone().or_else(|| person.map(|p| p.name.clone()).filter(|name| !name.is_empty())),
        id_number: person.and_then(|p| p.id_number.as_deref()).map(crate::domain::id_number::mask),
        phone: passage.person.phone.as_ref().map(|p| p.as_str()).or_else(|| person.and_then(|p| p.phone.as_deref())).map(crate::domain::phone::mask),
        plate: passage.plate.as_ref().map(|p| p.as_str().to_string()),
        direction: passage.direction,
        temperature: passage.temperature.map(|t| t.celsius()),
        purpose: passage.purpose.clone(),
        from: passage.from.clone(),
        to: passage.to.clone(),
        outcome: passage.outcome,
        at: passage.at,
        actor: caller.login.clone(),
        fever: passage.temperature.is_some_and(|t| t.is_fever(fever)),
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct CheckpointRow {
    pub id: Uuid,
    pub unit_code: String,
    pub unit_path: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub kind: CheckpointKind,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub token: String,
}

impl From<CheckpointRow> for Checkpoint {
    fn from(row: CheckpointRow) -> Checkpoint {
        Checkpoint {
            id: row.id,
            unit_code: row.unit_code,
            unit_path: UnitPath::from_stored(row.unit_path),
            name: row.name,
            kind: row.kind,
            lat: row.lat,
            lon: row.lon,
            token: row.token,
        }
    }
}

pub(crate) const CHECKPOINT_SELECT: &str = "SELECT id, unit_code, unit_path, name, kind, lat, lon, token FROM checkpoints";

#[derive(sqlx::FromRow)]
pub(crate) struct PassageRow {
    pub id: Uuid,
    pub checkpoint_id: Uuid,
    pub checkpoint_name: String,
    pub person_id: Option<Uuid>,
    pub name: Option<String>,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub plate: Option<String>,
    #[sqlx(try_from = "String")]
    pub direction: Direction,
    pub temperature: Option<f64>,
    pub purpose: Option<String>,
    pub from_place: Option<String>,
    pub to_place: Option<String>,
    #[sqlx(try_from = "String")]
    pub outcome: Outcome,
    pub at: DateTime<Utc>,
    pub actor: String,
}

impl PassageRow {
    pub(crate) fn passage(self, fever: Temperature) -> Passage {
        Passage {
            id: self.id,
            checkpoint_id: self.checkpoint_id,
            checkpoint_name: self.checkpoint_name,
            person_id: self.person_id,
            name: self.name,
            id_number: self.id_number.as_deref().map(crate::domain::id_number::mask),
            phone: self.phone.as_deref().map(crate::domain::phone::mask),
            plate: self.plate,
            direction: self.direction,
            fever: self.temperature.and_then(|t| Temperature::from_celsius(t).ok()).is_some_and(|t| t.is_fever(fever)),
            temperature: self.temperature,
            purpose: self.purpose,
            from: self.from_place,
            to: self.to_place,
            outcome: self.outcome,
            at: self.at,
            actor: self.actor,
        }
    }
}

/// A passage shows what was typed at the checkpoint; what it left out, the person's first record.
pub(crate) const PASSAGE_SELECT: &str = "SELECT p.id, p.checkpoint_id, c.name AS checkpoint_name, p.person_id, COALESCE(p.name, NULLIF(n.name, '')) AS name, n.id_number, \
     COALESCE(p.phone, n.phone) AS phone, p.plate, p.direction, \
     p.temperature, p.purpose, p.from_place, p.to_place, p.outcome, p.at, p.actor \
     FROM passages p JOIN checkpoints c ON c.id = p.checkpoint_id LEFT JOIN people n ON n.id = p.person_id";

#[derive(sqlx::FromRow)]
pub(crate) struct RegistrationRow {
    pub id: Uuid,
    pub checkpoint_id: Uuid,
    pub person_id: Uuid,
    pub name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub plate: Option<String>,
    pub from_place: Option<String>,
    pub to_place: Option<String>,
    pub purpose: Option<String>,
    pub at: DateTime<Utc>,
    pub passage_id: Option<Uuid>,
}

impl From<RegistrationRow> for Registration {
    fn from(row: RegistrationRow) -> Registration {
        Registration {
            id: row.id,
            checkpoint_id: row.checkpoint_id,
            person_id: row.person_id,
            name: row.name,
            id_number: row.id_number.as_deref().map(crate::domain::id_number::mask).unwrap_or_default(),
            phone: row.phone.as_deref().map(crate::domain::phone::mask),
            plate: row.plate,
            from: row.from_place,
            to: row.to_place,
            purpose: row.purpose,
            at: row.at,
            passage_id: row.passage_id,
        }
    }
}

pub(crate) const REGISTRATION_SELECT: &str = "SELECT g.id, g.checkpoint_id, g.person_id, COALESCE(g.name, n.name) AS name, n.id_number, COALESCE(g.phone, n.phone) AS phone, g.plate, g.from_place, g.to_place, g.purpose, g.at, g.passage_id \
     FROM registrations g JOIN people n ON n.id = g.person_id";

/// The subject line of a fever alert: names and numbers, the same in every language.
pub(crate) fn fever_subject(temperature: Temperature, who: &str, checkpoint: &str) -> String {
    format!("{temperature} °C · {who} · {checkpoint}")
}

/// Merges contacts found for several reasons into one entry per person.
pub(crate) fn merge_contacts(found: Vec<Contact>) -> Vec<Contact> {
    let mut merged: Vec<Contact> = Vec::new();
    for contact in found {
        let same = merged.iter_mut().find(|c| {
            (contact.person_id.is_some() && c.person_id == contact.person_id) || (contact.resident_id.is_some() && c.resident_id == contact.resident_id)
        });
        match same {
            Some(existing) => {
                for reason in contact.reasons {
                    if !existing.reasons.contains(&reason) {
                        existing.reasons.push(reason);
                    }
                }
                existing.person_id = existing.person_id.or(contact.person_id);
                existing.resident_id = existing.resident_id.or(contact.resident_id);
                if existing.at.is_none() {
                    existing.at = contact.at;
                    existing.checkpoint_name = contact.checkpoint_name;
                    existing.plate = contact.plate;
                }
                if existing.unit_path.is_none() {
                    existing.unit_path = contact.unit_path;
                }
            }
            None => merged.push(contact),
        }
    }
    for contact in &mut merged {
        contact.reasons.sort();
    }
    merged.sort_by(|a, b| a.reasons.cmp(&b.reasons).then(a.at.cmp(&b.at)).then(a.name.cmp(&b.name)));
    merged
}

/// A passage near a case's: (person, name, ID number, phone, at, plate, checkpoint, its path).
pub(crate) type NearPassage = (uuid::Uuid, String, Option<String>, Option<String>, chrono::DateTime<chrono::Utc>, Option<String>, String, String);

/// A contact found near one of a case's passages.
pub(crate) fn contact(
    (person_id, name, id_number, phone, at, plate, checkpoint_name, checkpoint_path): NearPassage,
    reason: crate::domain::contacts::ContactReason,
) -> Contact {
    Contact {
        person_id: Some(person_id),
        resident_id: None,
        name,
        id_number: id_number.as_deref().map(crate::domain::id_number::mask),
        phone: phone.as_deref().map(crate::domain::phone::mask),
        reasons: vec![reason],
        at: Some(at),
        checkpoint_name: Some(checkpoint_name),
        plate,
        unit_path: Some(crate::domain::UnitPath::from_stored(checkpoint_path)),
    }
}
