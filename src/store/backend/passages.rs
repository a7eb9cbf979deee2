//! `PassageStore` for this backend: people, passages (through the group committer),
//! registrations, trajectories and contacts.

use sqlx::QueryBuilder;

use async_trait::async_trait;

use super::{Db, Tx, audit};
use crate::domain::{AlertKind, Caller, Direction, Outcome, Phone, Plate, Target, Temperature, UnitPath};
use crate::store::scope::Scope;
use crate::store::{
    Checkpoint, CheckpointStore, Contact, MAX_PAGE, NewPassage, NewRegistration, Passage, PassageStore, Person, PersonKey, Registration, SqlStore, StoreError,
    StoreResult, Trajectory, TrajectoryItem,
};

#[async_trait]
impl PassageStore for SqlStore<Db> {
    async fn log_passage(&self, caller: &Caller, passage: &NewPassage, fever: Temperature) -> StoreResult<Passage> {
        let checkpoint = self.checkpoint(&caller.scope, passage.checkpoint_id).await?.ok_or(StoreError::NotFound)?;
        let job = |reply| crate::store::passages::PassageJob { caller: caller.clone(), checkpoint, passage: passage.clone(), fever, reply };
        let logged = crate::store::sql::submit!(self, passages, committer: Self::start_committer::<crate::store::passages::Passages>, job)?;
        // A passage of a day before today (a paper log typed in the next morning): its day's
        // stored figures, if it is closed, are counted again (`late_facts`).
        if crate::domain::time::local_date(logged.at) < crate::domain::time::local_date(caller.now) {
            crate::store::HistoryStore::recount_late_facts(self).await?;
        }
        Ok(logged)
    }

    async fn passages(
        &self,
        scope: &UnitPath,
        checkpoint: uuid::Uuid,
        from: chrono::DateTime<chrono::Utc>,
        to: chrono::DateTime<chrono::Utc>,
        offset: u32,
        limit: u32,
        fever: Temperature,
    ) -> StoreResult<Option<(Vec<Passage>, i64)>> {
        use crate::store::checkpoints::*;
        if self.checkpoint(scope, checkpoint).await?.is_none() {
            return Ok(None);
        }
        let sql = format!("{PASSAGE_SELECT} WHERE p.checkpoint_id = $1 AND p.at >= $2 AND p.at < $3 ORDER BY p.at DESC, p.id DESC LIMIT $4 OFFSET $5");
        let rows: Vec<PassageRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(checkpoint)
            .bind(from)
            .bind(to)
            .bind(i64::from(limit.clamp(1, MAX_PAGE)))
            .bind(i64::from(offset))
            .fetch_all(&self.reader)
            .await?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM passages WHERE checkpoint_id = $1 AND at >= $2 AND at < $3")
            .bind(checkpoint)
            .bind(from)
            .bind(to)
            .fetch_one(&self.reader)
            .await?;
        Ok(Some((rows.into_iter().map(|r| r.passage(fever)).collect(), total)))
    }

    async fn register_self(&self, token: &str, registration: &NewRegistration, now: chrono::DateTime<chrono::Utc>) -> StoreResult<Option<Registration>> {
        use crate::store::checkpoints::*;
        let Some(checkpoint) = self.checkpoint_by_token(token).await? else { return Ok(None) };
        let caller = Caller::public(checkpoint.unit_path.clone(), now);
        let mut tx = self.writer.begin().await?;
        let claim = Self::claim_id(&mut tx, &caller, "registration", registration.id, registration.fingerprint.as_deref(), &checkpoint.unit_path).await?;
        if claim == crate::store::client_ids::Claim::New {
            let key =
                PersonKey { id_number: Some(registration.id_number.clone()), name: Some(registration.name.clone()), phone: Some(registration.phone.clone()) };
            let person = Self::person_for(&mut tx, &key, now).await?.ok_or(StoreError::NotFound)?.id;
            let inserted = sqlx::query(
                "INSERT INTO registrations (id, checkpoint_id, unit_path, person_id, plate, from_place, to_place, purpose, at, name, phone) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING",
            )
            .bind(registration.id)
            .bind(checkpoint.id)
            .bind(checkpoint.unit_path.as_str())
            .bind(person)
            .bind(registration.plate.as_ref().map(|p| p.as_str()))
            .bind(&registration.from)
            .bind(&registration.to)
            .bind(&registration.purpose)
            .bind(now)
            .bind(&registration.name)
            .bind(registration.phone.as_str())
            .execute(&mut *tx)
            .await?;
            crate::store::client_ids::inserted(inserted.rows_affected())?;
            audit(&mut tx, &caller, "create", "registration", registration.id, checkpoint.unit_path.as_str(), serde_json::json!({"checkpoint": checkpoint.id}))
                .await?;
        }
        let sql = format!("{REGISTRATION_SELECT} WHERE g.id = $1");
        let row: RegistrationRow = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(registration.id).fetch_one(&mut *tx).await?;
        tx.commit().await?;
        Ok(Some(row.into()))
    }

    async fn pending_registrations(
        &self,
        scope: &UnitPath,
        checkpoint: uuid::Uuid,
        since: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Option<(Vec<Registration>, i64)>> {
        use crate::store::checkpoints::*;
        if self.checkpoint(scope, checkpoint).await?.is_none() {
            return Ok(None);
        }
        let sql = format!(
            "{REGISTRATION_SELECT} WHERE g.checkpoint_id = $1 AND g.passage_id IS NULL AND g.at >= $2 ORDER BY g.at DESC, g.id DESC LIMIT {PENDING_SHOWN}"
        );
        let rows: Vec<RegistrationRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(checkpoint).bind(since).fetch_all(&self.reader).await?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM registrations WHERE checkpoint_id = $1 AND passage_id IS NULL AND at >= $2")
            .bind(checkpoint)
            .bind(since)
            .fetch_one(&self.reader)
            .await?;
        Ok(Some((rows.into_iter().map(Registration::from).collect(), total)))
    }

    async fn confirm_registration(
        &self,
        caller: &Caller,
        id: uuid::Uuid,
        temperature: Temperature,
        direction: Direction,
        outcome: Outcome,
        fever: Temperature,
    ) -> StoreResult<Passage> {
        type Typed =
            (uuid::Uuid, uuid::Uuid, Option<String>, Option<String>, Option<String>, Option<String>, Option<uuid::Uuid>, Option<String>, Option<String>);
        let mut query = QueryBuilder::new(
            "SELECT g.checkpoint_id, g.person_id, g.plate, g.from_place, g.to_place, g.purpose, g.passage_id, g.name, g.phone FROM registrations g \
             WHERE g.id = ",
        );
        query.push_bind(id).push(" AND ");
        Scope::of(&caller.scope).push_within(&mut query, "g.unit_path");
        let (checkpoint_id, person, plate, from, to, purpose, passage_id, name, phone) =
            query.build_query_as::<Typed>().fetch_optional(&self.reader).await?.ok_or(StoreError::NotFound)?;
        let checkpoint = self.checkpoint(&caller.scope, checkpoint_id).await?.ok_or(StoreError::NotFound)?;
        let mut tx = self.writer.begin().await?;
        let passage_id = match passage_id {
            Some(done) => done,
            None => {
                let passage = NewPassage {
                    id: uuid::Uuid::now_v7(),
                    fingerprint: None,
                    checkpoint_id,
                    person: PersonKey { id_number: None, name, phone: phone.as_deref().and_then(|p| Phone::parse(p).ok()) },
                    plate: plate.as_deref().and_then(|p| Plate::parse(p).ok()),
                    direction,
                    temperature: Some(temperature),
                    purpose,
                    from,
                    to,
                    outcome,
                    at: caller.now,
                };
                Self::insert_passage(&mut tx, caller, &checkpoint, &passage, Some(person), Some(id), fever).await?;
                // A registration is confirmed once, even if two staff tap at the same time:
                // the second finds it taken, drops its passage and answers with the first.
                let claimed = sqlx::query("UPDATE registrations SET passage_id = $1 WHERE id = $2 AND passage_id IS NULL")
                    .bind(passage.id)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                if claimed.rows_affected() == 0 {
                    tx.rollback().await?;
                    let first: uuid::Uuid = sqlx::query_scalar("SELECT passage_id FROM registrations WHERE id = $1").bind(id).fetch_one(&self.writer).await?;
                    let mut tx = self.writer.begin().await?;
                    let found = Self::passage_in(&mut tx, first, fever).await?;
                    tx.commit().await?;
                    return Ok(found);
                }
                passage.id
            }
        };
        let found = Self::passage_in(&mut tx, passage_id, fever).await?;
        tx.commit().await?;
        Ok(found)
    }

    async fn trajectory(&self, caller: &Caller, person: uuid::Uuid) -> StoreResult<Option<Trajectory>> {
        let Some(found) = self.person_row(person).await? else { return Ok(None) };
        let scope = Scope::of(&caller.scope);
        type Step = (
            uuid::Uuid,
            chrono::DateTime<chrono::Utc>,
            uuid::Uuid,
            String,
            String,
            Option<String>,
            Option<f64>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let mut query = QueryBuilder::new(
            "SELECT p.id, p.at, p.checkpoint_id, c.name, c.unit_code, p.direction, p.temperature, p.plate, p.from_place, p.to_place, p.outcome \
             FROM passages p JOIN checkpoints c ON c.id = p.checkpoint_id WHERE p.person_id = ",
        );
        query.push_bind(person).push(" AND ");
        scope.push_within(&mut query, "p.unit_path").push(" ORDER BY p.at");
        let passages: Vec<Step> = query.build_query_as().fetch_all(&self.reader).await?;
        let mut query = QueryBuilder::new(
            "SELECT g.id, g.at, g.checkpoint_id, c.name, c.unit_code, CAST(NULL AS TEXT), CAST(NULL AS DOUBLE PRECISION), g.plate, g.from_place, g.to_place, CAST(NULL AS TEXT) \
             FROM registrations g JOIN checkpoints c ON c.id = g.checkpoint_id WHERE g.person_id = ",
        );
        query.push_bind(person).push(" AND g.passage_id IS NULL AND ");
        scope.push_within(&mut query, "g.unit_path");
        let registrations: Vec<Step> = query.build_query_as().fetch_all(&self.reader).await?;
        let step = |kind: &'static str| {
            move |(id, at, checkpoint_id, checkpoint_name, unit_code, direction, temperature, plate, from, to, outcome): Step| {
                Ok::<_, StoreError>(TrajectoryItem {
                    kind,
                    id,
                    at,
                    checkpoint_id,
                    checkpoint_name,
                    unit_code,
                    direction: direction.map(Direction::try_from).transpose()?,
                    temperature,
                    plate,
                    from,
                    to,
                    outcome: outcome.map(Outcome::try_from).transpose()?,
                })
            }
        };
        let mut items: Vec<TrajectoryItem> =
            passages.into_iter().map(step("passage")).chain(registrations.into_iter().map(step("registration"))).collect::<Result<_, _>>()?;
        items.sort_by_key(|i| i.at);
        if items.is_empty() && !self.resident_in_scope(&caller.scope, found.id_number.as_deref()).await? {
            return Ok(None);
        }
        let mut found = found;
        if let Some(id_number) = found.id_number.clone() {
            let mut reader = self.reader.acquire().await?;
            let (name, phone) = Self::known_as(&mut reader, person, &id_number, &caller.scope, caller.role.reads_roster()).await?.unwrap_or_default();
            (found.name, found.phone) = (name, phone);
        }
        let mut tx = self.writer.begin().await?;
        audit(&mut tx, caller, "read", "person", person, caller.scope.as_str(), serde_json::json!({"what": "trajectory"})).await?;
        tx.commit().await?;
        Ok(Some(Trajectory { person: found, items }))
    }

    async fn contacts(&self, caller: &Caller, person: uuid::Uuid, window: chrono::Duration) -> StoreResult<Option<Vec<Contact>>> {
        use crate::domain::contacts::ContactReason;
        let Some(case) = self.person_row(person).await? else { return Ok(None) };
        let scope = Scope::of(&caller.scope);
        let mut found = Vec::new();
        let household: Option<uuid::Uuid> = match &case.id_number {
            Some(id_number) => {
                let mut query = QueryBuilder::new("SELECT household_id FROM residents WHERE id_number = ");
                query.push_bind(id_number).push(" AND ");
                scope.push_within(&mut query, "unit_path");
                query.build_query_scalar().fetch_optional(&self.reader).await?
            }
            None => None,
        };
        if let Some(household) = household {
            let members: Vec<(uuid::Uuid, String, String, Option<String>, String, Option<uuid::Uuid>)> = sqlx::query_as(
                "SELECT r.id, r.name, r.id_number, r.phone, r.unit_path, n.id FROM residents r LEFT JOIN people n ON n.id_number = r.id_number \
                 WHERE r.household_id = $1 AND r.id_number <> $2",
            )
            .bind(household)
            .bind(case.id_number.as_deref().unwrap_or_default())
            .fetch_all(&self.reader)
            .await?;
            found.extend(members.into_iter().map(|(resident, name, id_number, phone, path, person_id)| Contact {
                person_id,
                resident_id: Some(resident),
                name,
                id_number: Some(crate::domain::id_number::mask(&id_number)),
                phone: phone.as_deref().map(crate::domain::phone::mask),
                reasons: vec![ContactReason::Household],
                at: None,
                checkpoint_name: None,
                plate: None,
                unit_path: Some(UnitPath::from_stored(path)),
            }));
        }
        let mut query = QueryBuilder::new(
            "SELECT p.checkpoint_id, c.name, c.unit_path, p.plate, p.at FROM passages p JOIN checkpoints c ON c.id = p.checkpoint_id WHERE p.person_id = ",
        );
        query.push_bind(person).push(" AND ");
        // Every passage of the case, however many: a contact at the oldest counts as much.
        scope.push_within(&mut query, "p.unit_path").push(" ORDER BY p.at DESC");
        let passages: Vec<(uuid::Uuid, String, String, Option<String>, chrono::DateTime<chrono::Utc>)> = query.build_query_as().fetch_all(&self.reader).await?;
        if household.is_none() && passages.is_empty() {
            return Ok(None);
        }
        type Near = crate::store::checkpoints::NearPassage;
        for (checkpoint, _, _, plate, at) in &passages {
            let near: Vec<Near> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT p.person_id, {NEAR_COLUMNS} FROM passages p \
                 JOIN people n ON n.id = p.person_id JOIN checkpoints c ON c.id = p.checkpoint_id \
                 WHERE p.checkpoint_id = $1 AND p.at >= $2 AND p.at <= $3 AND p.person_id <> $4"
            )))
            .bind(*checkpoint)
            .bind(*at - window)
            .bind(*at + window)
            .bind(person)
            .fetch_all(&self.reader)
            .await?;
            let near = self.as_known(caller, near).await?;
            found.extend(near.into_iter().map(|n| crate::store::checkpoints::contact(n, ContactReason::Checkpoint)));
            if let Some(plate) = plate {
                let mut query = QueryBuilder::new(format!(
                    "SELECT p.person_id, {NEAR_COLUMNS} FROM passages p \
                     JOIN people n ON n.id = p.person_id JOIN checkpoints c ON c.id = p.checkpoint_id WHERE p.plate = "
                ));
                query.push_bind(plate).push(" AND p.at >= ").push_bind(*at - window).push(" AND p.at <= ").push_bind(*at + window);
                query.push(" AND p.person_id <> ").push_bind(person).push(" AND ");
                scope.push_within(&mut query, "p.unit_path");
                let same_car: Vec<Near> = query.build_query_as().fetch_all(&self.reader).await?;
                let same_car = self.as_known(caller, same_car).await?;
                found.extend(same_car.into_iter().map(|n| crate::store::checkpoints::contact(n, ContactReason::Vehicle)));
            }
        }
        let mut tx = self.writer.begin().await?;
        audit(
            &mut tx,
            caller,
            "read",
            "person",
            person,
            caller.scope.as_str(),
            serde_json::json!({"what": "contacts", "window_minutes": window.num_minutes()}),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(crate::store::checkpoints::merge_contacts(found)))
    }

    async fn screen_contacts(&self, caller: &Caller, person: uuid::Uuid, window: chrono::Duration) -> StoreResult<usize> {
        let contacts = self.contacts(caller, person, window).await?.ok_or(StoreError::NotFound)?;
        let scope = Scope::of(&caller.scope);
        let mut tx = self.writer.begin().await?;
        let mut created = 0;
        for contact in contacts {
            let (person_id, lives_at) = match (contact.person_id, contact.resident_id) {
                (_, Some(resident)) => {
                    let (id_number, name, phone, path): (String, String, Option<String>, String) =
                        sqlx::query_as("SELECT id_number, name, phone, unit_path FROM residents WHERE id = $1").bind(resident).fetch_one(&mut *tx).await?;
                    let key = PersonKey {
                        id_number: crate::store::screening::stored_id_number(&id_number),
                        name: Some(name),
                        phone: phone.as_deref().and_then(|p| Phone::parse(p).ok()),
                    };
                    (Self::person_for(&mut tx, &key, caller.now).await?.map(|p| p.id), Some(path))
                }
                (Some(id), None) => {
                    let mut query = QueryBuilder::new("SELECT r.unit_path FROM residents r JOIN people n ON n.id_number = r.id_number WHERE n.id = ");
                    query.push_bind(id).push(" AND ");
                    scope.push_within(&mut query, "r.unit_path");
                    let path: Option<String> = query.build_query_scalar().fetch_optional(&mut *tx).await?;
                    (Some(id), path)
                }
                (None, None) => (None, None),
            };
            let (Some(person_id), Some(path)) = (person_id, lives_at.or(contact.unit_path.map(|p| p.as_str().to_string()))) else { continue };
            let path = UnitPath::from_stored(path);
            let reasons: Vec<&str> = contact.reasons.iter().map(|r| r.as_str()).collect();
            let id = uuid::Uuid::now_v7();
            let inserted = sqlx::query(
                "INSERT INTO screening_tasks (id, person_id, unit_path, county_code, reason, source_person, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (person_id, source_person) DO NOTHING",
            )
            .bind(id)
            .bind(person_id)
            .bind(path.as_str())
            .bind(path.county_code())
            .bind(reasons.join(","))
            .bind(person)
            .bind(caller.now)
            .bind(&caller.login)
            .execute(&mut *tx)
            .await?;
            if inserted.rows_affected() > 0 {
                audit(
                    &mut tx,
                    caller,
                    "create",
                    "screening_task",
                    id,
                    path.as_str(),
                    serde_json::json!({"person": person_id, "source": person, "reasons": reasons}),
                )
                .await?;
                created += 1;
            }
        }
        tx.commit().await?;
        Ok(created)
    }
}

impl SqlStore<Db> {
    /// The person a passage names: found by ID number (or by name and phone), else
    /// added. `None` when the passage names nobody. Someone with an ID number is only
    /// that number here: the name and phone typed belong to the passage or registration,
    /// and each place sees the person as it knows them (`known_as`). Someone without one
    /// is their name and phone, the key they are found by.
    pub(crate) async fn person_for(
        tx: &mut Tx,
        key: &PersonKey,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Option<crate::store::checkpoints::PersonRow>> {
        let name = key.name.as_deref().unwrap_or_default();
        let phone = key.phone.as_ref().map(|p| p.as_str());
        use crate::store::passages::{PERSON_BY_NAME, PERSON_BY_NUMBER, PERSON_BY_NUMBER_INSERT, PERSON_INSERT};
        if let Some(id_number) = &key.id_number {
            sqlx::query(PERSON_BY_NUMBER_INSERT).bind(uuid::Uuid::now_v7()).bind(id_number.as_str()).bind(now).execute(&mut **tx).await?;
            let person = sqlx::query_as(PERSON_BY_NUMBER).bind(id_number.as_str()).fetch_one(&mut **tx).await?;
            return Ok(Some(person));
        }
        if name.is_empty() {
            return Ok(None);
        }
        if let Some(phone) = phone {
            let known = sqlx::query_as(PERSON_BY_NAME).bind(name).bind(phone).fetch_optional(&mut **tx).await?;
            if known.is_some() {
                return Ok(known);
            }
        }
        let person = sqlx::query_as(PERSON_INSERT).bind(uuid::Uuid::now_v7()).bind(name).bind(phone).bind(now).fetch_one(&mut **tx).await?;
        Ok(Some(person))
    }

    /// Contacts near a case as the caller's place knows them: a roster reader sees the roster's
    /// name and phone for a resident of their area (never what the public typed on a poster).
    async fn as_known(&self, caller: &Caller, near: Vec<crate::store::checkpoints::NearPassage>) -> StoreResult<Vec<crate::store::checkpoints::NearPassage>> {
        if !caller.role.reads_roster() {
            return Ok(near);
        }
        let mut reader = self.reader.acquire().await?;
        let mut known = Vec::with_capacity(near.len());
        for mut row in near {
            if let Some(id_number) = row.2.clone()
                && let Some((name, phone)) = Self::known_as(&mut reader, row.0, &id_number, &caller.scope, true).await?
            {
                (row.1, row.3) = (name, phone.or(row.3));
            }
            known.push(row);
        }
        Ok(known)
    }

    /// A person with an ID number as `scope` knows them: the roster's name and phone if
    /// they live there (only `with_roster`, for a role that reads the roster), else what its
    /// staff last typed for them at its checkpoints. Never what the public typed on a
    /// poster's form: that stays on the registration. `None` if nothing there names them.
    pub(crate) async fn known_as(
        connection: &mut <Db as sqlx::Database>::Connection,
        person: uuid::Uuid,
        id_number: &str,
        scope: &UnitPath,
        with_roster: bool,
    ) -> StoreResult<Option<(String, Option<String>)>> {
        if with_roster {
            let resident = Self::on_roster(connection, id_number, scope).await?;
            if resident.is_some() {
                return Ok(resident);
            }
        }
        Ok(Self::last_typed(connection, person, scope).await?.map(|(_, name, phone)| (name, phone)))
    }

    /// The roster's name and phone of the resident with an ID number in `scope`.
    pub(crate) async fn on_roster(
        connection: &mut <Db as sqlx::Database>::Connection,
        id_number: &str,
        scope: &UnitPath,
    ) -> StoreResult<Option<(String, Option<String>)>> {
        let mut query = QueryBuilder::new("SELECT name, phone FROM residents WHERE id_number = ");
        query.push_bind(id_number).push(" AND ");
        Scope::of(scope).push_within(&mut query, "unit_path");
        Ok(query.build_query_as().fetch_optional(&mut *connection).await?)
    }

    /// What staff at the checkpoints of `scope` last typed for a person: when, name, phone.
    pub(crate) async fn last_typed(
        connection: &mut <Db as sqlx::Database>::Connection,
        person: uuid::Uuid,
        scope: &UnitPath,
    ) -> StoreResult<Option<(chrono::DateTime<chrono::Utc>, String, Option<String>)>> {
        let mut query = QueryBuilder::new("SELECT at, name, phone FROM passages WHERE person_id = ");
        query.push_bind(person).push(" AND ");
        Scope::of(scope).push_within(&mut query, "unit_path").push(" AND name IS NOT NULL AND registration_id IS NULL ORDER BY at DESC LIMIT 1");
        Ok(query.build_query_as().fetch_optional(&mut *connection).await?)
    }

    /// Writes a passage, its audit entry and, for a fever, the alert; false if a passage
    /// with its id exists already (a retried request).
    pub(crate) async fn insert_passage(
        tx: &mut Tx,
        caller: &Caller,
        checkpoint: &Checkpoint,
        passage: &NewPassage,
        person: Option<uuid::Uuid>,
        registration: Option<uuid::Uuid>,
        fever: Temperature,
    ) -> StoreResult<bool> {
        let inserted = sqlx::query(crate::store::passages::PASSAGE_INSERT)
            .bind(passage.id)
            .bind(checkpoint.id)
            .bind(checkpoint.unit_path.as_str())
            .bind(checkpoint.unit_path.county_code())
            .bind(person)
            .bind(passage.plate.as_ref().map(|p| p.as_str()))
            .bind(passage.direction.as_str())
            .bind(passage.temperature.map(|t| t.celsius()))
            .bind(&passage.purpose)
            .bind(&passage.from)
            .bind(&passage.to)
            .bind(passage.outcome.as_str())
            .bind(passage.at)
            .bind(caller.now)
            .bind(&caller.login)
            .bind(registration)
            .bind(&passage.person.name)
            .bind(passage.person.phone.as_ref().map(|p| p.as_str()))
            .execute(&mut **tx)
            .await?;
        if inserted.rows_affected() == 0 {
            return Ok(false);
        }
        let detail = crate::store::passages::audit_detail(checkpoint, person, passage);
        audit(&mut *tx, caller, "create", "passage", passage.id, checkpoint.unit_path.as_str(), detail).await?;
        if let Some(temperature) = passage.temperature.filter(|t| t.is_fever(fever)) {
            // Named as staff typed them, or as the checkpoint's grid knows them: what a traveller
            // typed on the public form (a confirmed registration) names nobody here.
            let typed = passage.person.name.clone().filter(|_| registration.is_none());
            let (mut key, mut known) = (None, None);
            if let (None, Some(id)) = (&typed, person) {
                let (number, name): (Option<String>, String) =
                    sqlx::query_as("SELECT id_number, name FROM people WHERE id = $1").bind(id).fetch_one(&mut **tx).await?;
                if let Some(number) = &number {
                    known = Self::known_as(tx, id, number, &checkpoint.unit_path, caller.role.reads_roster()).await?.map(|(name, _)| name);
                }
                key = Some((number, name));
            }
            let key = key.as_ref().map(|(number, name)| (number.as_deref(), name.as_str()));
            let who = crate::store::passages::fever_who(typed, key, known, passage.plate.as_ref());
            let subject = crate::store::checkpoints::fever_subject(temperature, &who, &checkpoint.name);
            let target = match person {
                Some(id) => Target::person(id),
                None => Target::checkpoint(checkpoint.id),
            };
            Self::raise_alert(tx, AlertKind::Fever, &checkpoint.unit_path, &checkpoint.unit_code, &subject, &target, caller.now).await?;
        }
        Ok(true)
    }

    /// A passage as lists show it, read inside a transaction.
    pub(crate) async fn passage_in(tx: &mut Tx, id: uuid::Uuid, fever: Temperature) -> StoreResult<Passage> {
        Self::find_passage(tx, id, fever).await?.ok_or(StoreError::Database(sqlx::Error::RowNotFound))
    }

    /// A passage as lists show it, read inside a transaction, if it is written.
    pub(crate) async fn find_passage(tx: &mut Tx, id: uuid::Uuid, fever: Temperature) -> StoreResult<Option<Passage>> {
        let sql = format!("{} WHERE p.id = $1", crate::store::checkpoints::PASSAGE_SELECT);
        let row: Option<crate::store::checkpoints::PassageRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut **tx).await?;
        Ok(row.map(|row| row.passage(fever)))
    }

    pub(crate) async fn person_row(&self, id: uuid::Uuid) -> StoreResult<Option<Person>> {
        let row: Option<(uuid::Uuid, String, Option<String>, Option<String>)> =
            sqlx::query_as("SELECT id, name, id_number, phone FROM people WHERE id = $1").bind(id).fetch_optional(&self.reader).await?;
        Ok(row.map(|(id, name, id_number, phone)| Person { id, name, id_number, phone }))
    }

    pub(crate) async fn resident_in_scope(&self, scope: &UnitPath, id_number: Option<&str>) -> StoreResult<bool> {
        let Some(id_number) = id_number else { return Ok(false) };
        let mut query = QueryBuilder::new("SELECT id FROM residents WHERE id_number = ");
        query.push_bind(id_number).push(" AND ");
        Scope::of(scope).push_within(&mut query, "unit_path");
        Ok(query.build_query_scalar::<uuid::Uuid>().fetch_optional(&self.reader).await?.is_some())
    }
}

/// What a contact near a case shows of each passage: the name and phone typed at the
/// checkpoint, never those a member of the public typed on a poster's form (a registration),
/// else the person's own.
const NEAR_COLUMNS: &str = "COALESCE(CASE WHEN p.registration_id IS NULL THEN p.name END, n.name), n.id_number, \
 COALESCE(CASE WHEN p.registration_id IS NULL THEN p.phone END, n.phone), p.at, p.plate, c.name, c.unit_path";
