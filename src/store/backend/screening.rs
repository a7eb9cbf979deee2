//! `ScreeningStore` for this backend: key areas, returnees, rounds, visits, coverage.

use sqlx::QueryBuilder;

use async_trait::async_trait;

use super::{Db, Tx, audit, derived};
use crate::domain::{Caller, DomainError, KeyArea, UnitCode, UnitPath, VisitOutcome};
use crate::store::scope::Scope;
use crate::store::{
    Arrival, CoverageRow, KeyAreaRecord, MAX_PAGE, NewResident, NewReturnee, ReturneeItem, Round, ScreeningFigures, ScreeningStore, SqlStore, StoreError,
    StoreResult, Unit, UnitStore, Unvisited,
};

#[async_trait]
impl ScreeningStore for SqlStore<Db> {
    async fn add_key_area(&self, caller: &Caller, area: &KeyArea) -> StoreResult<KeyAreaRecord> {
        let id = uuid::Uuid::now_v7();
        let mut tx = self.writer.begin().await?;
        sqlx::query("INSERT INTO key_areas (id, unit_path, area, valid_from, valid_to, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(id)
            .bind(caller.scope.as_str())
            .bind(&area.area)
            .bind(area.valid_from)
            .bind(area.valid_to)
            .bind(caller.now)
            .bind(&caller.login)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            caller,
            "create",
            "key_area",
            id,
            caller.scope.as_str(),
            serde_json::json!({"area": area.area, "valid_from": area.valid_from, "valid_to": area.valid_to}),
        )
        .await?;
        derived::rederive_key_areas(&mut tx, caller, &caller.scope).await?;
        tx.commit().await?;
        let mut record = KeyAreaRecord {
            id,
            area: area.area.clone(),
            valid_from: area.valid_from,
            valid_to: area.valid_to,
            unit_path: caller.scope.clone(),
            created_by: caller.login.clone(),
            area_name: None,
        };
        self.name_areas(std::slice::from_mut(&mut record)).await?;
        Ok(record)
    }

    async fn remove_key_area(&self, caller: &Caller, id: uuid::Uuid) -> StoreResult<()> {
        let mut query = QueryBuilder::new("SELECT unit_path FROM key_areas WHERE id = ");
        query.push_bind(id).push(" AND ");
        Scope::of(&caller.scope).push_within(&mut query, "unit_path");
        let path = query.build_query_scalar::<String>().fetch_optional(&self.reader).await?.ok_or(StoreError::NotFound)?;
        let path = UnitPath::from_stored(path);
        let mut tx = self.writer.begin().await?;
        sqlx::query("DELETE FROM key_areas WHERE id = $1").bind(id).execute(&mut *tx).await?;
        audit(&mut tx, caller, "delete", "key_area", id, path.as_str(), serde_json::json!({})).await?;
        derived::rederive_key_areas(&mut tx, caller, &path).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn key_areas(&self, scope: &UnitPath) -> StoreResult<Vec<KeyAreaRecord>> {
        let sql = format!("{} ORDER BY valid_from DESC, area", crate::store::screening::KEY_AREA_SELECT);
        let rows: Vec<crate::store::screening::KeyAreaRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&self.reader).await?;
        let mut areas: Vec<KeyAreaRecord> =
            rows.into_iter().map(KeyAreaRecord::from).filter(|a| a.unit_path.contains(scope) || scope.contains(&a.unit_path)).collect();
        self.name_areas(&mut areas).await?;
        Ok(areas)
    }

    async fn register_returnee(&self, caller: &Caller, returnee: &NewReturnee) -> StoreResult<ReturneeItem> {
        use crate::store::screening::*;
        let mut tx = self.writer.begin().await?;
        let (resident_id, household_id, new_resident) = Self::arriving_resident(&mut tx, caller, &returnee.arrival).await?;
        let (unit_code, path): (String, String) =
            sqlx::query_as("SELECT unit_code, unit_path FROM households WHERE id = $1").bind(household_id).fetch_one(&mut *tx).await?;
        let path = UnitPath::from_stored(path);
        if Self::claim_id(&mut tx, caller, "returnee", returnee.id, returnee.fingerprint.as_deref(), &path).await? == crate::store::client_ids::Claim::New {
            if let Some(resident) = &new_resident
                && let Err(err) = Self::insert_resident(&mut tx, caller, household_id, &path, resident).await
            {
                drop(tx);
                return Err(self.held_elsewhere(caller, err).await);
            }
            let areas = crate::store::screening::areas_over(&derived::key_area_rows(&mut tx).await?, path.as_str());
            let from_key_area = crate::domain::screening::from_key_area(&stays_of(&returnee.origin, &returnee.travel, returnee.arrived_at), &areas);
            let inserted = sqlx::query(
                "INSERT INTO returnees (id, resident_id, household_id, unit_path, county_code, origin, travel, arrived_at, transport, transport_detail, health, \
                 temperature, contacts, expected_departure, observe_until, from_key_area, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) ON CONFLICT (id) DO NOTHING",
            )
            .bind(returnee.id)
            .bind(resident_id)
            .bind(household_id)
            .bind(path.as_str())
            .bind(path.county_code())
            .bind(&returnee.origin)
            .bind(serde_json::to_string(&returnee.travel).unwrap_or_else(|_| "[]".into()))
            .bind(returnee.arrived_at)
            .bind(returnee.transport.as_str())
            .bind(&returnee.transport_detail)
            .bind(returnee.health.as_str())
            .bind(returnee.temperature.map(|t| t.celsius()))
            .bind(&returnee.contacts)
            .bind(returnee.expected_departure)
            .bind(returnee.observe_until)
            .bind(from_key_area)
            .bind(caller.now)
            .bind(&caller.login)
            .execute(&mut *tx)
            .await?;
            crate::store::client_ids::inserted(inserted.rows_affected())?;
            audit(
                &mut tx,
                caller,
                "create",
                "returnee",
                returnee.id,
                path.as_str(),
                serde_json::json!({"resident_id": resident_id, "origin": returnee.origin, "from_key_area": from_key_area}),
            )
            .await?;
            match &new_resident {
                Some(r) => {
                    Self::after_resident_change(
                        &mut tx,
                        caller,
                        household_id,
                        crate::store::residents::head_relation(&r.relation).then_some(r.name.as_str()),
                        unit_code,
                    )
                    .await?
                }
                None => {
                    derived::refresh(&mut tx, caller, &[household_id], &[unit_code]).await?;
                }
            }
            derived::dated_fact(&mut tx, caller.now, path.as_str(), returnee.arrived_at).await?;
        }
        let sql = format!("{RETURNEE_SELECT} WHERE t.id = $1");
        let row: ReturneeRow = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(returnee.id).fetch_one(&mut *tx).await?;
        tx.commit().await?;
        row.item(caller.now)
    }

    async fn returnees(
        &self,
        scope: &UnitPath,
        unit: &UnitCode,
        now: chrono::DateTime<chrono::Utc>,
        from: u32,
        limit: u32,
    ) -> StoreResult<Option<(ScreeningFigures, Vec<ReturneeItem>)>> {
        use crate::store::screening::*;
        let Some(unit) = self.unit(scope, unit).await? else { return Ok(None) };
        let roster = derived::subtree_figures(&self.reader, &unit.path).await?;
        let subtree = Scope::of(&unit.path);
        let mut query = QueryBuilder::new("SELECT COUNT(*), SUM(CASE WHEN from_key_area THEN 1 ELSE 0 END), SUM(CASE WHEN observe_until > ");
        query.push_bind(now).push(" THEN 1 ELSE 0 END) FROM returnees WHERE ");
        subtree.push_within(&mut query, "unit_path");
        let (returnees, from_key_areas, in_observation) = query.build_query_as::<(i64, Option<i64>, Option<i64>)>().fetch_one(&self.reader).await?;
        let figures = ScreeningFigures {
            households: roster.households,
            residents: roster.residents,
            returnees,
            returnees_from_key_areas: from_key_areas.unwrap_or(0),
            in_observation: in_observation.unwrap_or(0),
        };
        let mut query = QueryBuilder::new(format!("{RETURNEE_SELECT} WHERE "));
        subtree.push_within(&mut query, "t.unit_path").push(" ORDER BY t.arrived_at DESC, t.id DESC LIMIT ").push_bind(i64::from(limit.clamp(1, MAX_PAGE)));
        query.push(" OFFSET ").push_bind(i64::from(from));
        let rows = query.build_query_as::<ReturneeRow>().fetch_all(&self.reader).await?;
        Ok(Some((figures, rows.into_iter().map(|r| r.item(now)).collect::<StoreResult<_>>()?)))
    }

    async fn returnees_to_screen(&self, scope: &UnitPath, now: chrono::DateTime<chrono::Utc>, first: u32) -> StoreResult<(Vec<ReturneeItem>, i64)> {
        use crate::store::screening::*;
        let awaiting = |query: &mut QueryBuilder<Db>| {
            Scope::of(scope).push_within(query, "t.unit_path").push(" AND t.from_key_area AND t.observe_until > ").push_bind(now);
            query.push(" AND NOT EXISTS (SELECT 1 FROM isolations i WHERE i.resident_id = t.resident_id AND i.ended_at IS NULL)");
        };
        let mut count = QueryBuilder::new("SELECT COUNT(*) FROM returnees t WHERE ");
        awaiting(&mut count);
        let total: i64 = count.build_query_scalar().fetch_one(&self.reader).await?;
        let mut query = QueryBuilder::new(format!("{RETURNEE_SELECT} WHERE "));
        awaiting(&mut query);
        query.push(" ORDER BY t.arrived_at, t.id LIMIT ").push_bind(i64::from(first));
        let rows = query.build_query_as::<ReturneeRow>().fetch_all(&self.reader).await?;
        Ok((rows.into_iter().map(|r| r.item(now)).collect::<StoreResult<_>>()?, total))
    }

    async fn expire_observations(&self, caller: &Caller) -> StoreResult<usize> {
        // Windows that have closed, and isolation orders that have begun since they were made.
        let scope = Scope::of(&caller.scope);
        let mut query = QueryBuilder::new("SELECT DISTINCT h.id, h.unit_code FROM households h JOIN returnees t ON t.household_id = h.id WHERE ");
        scope.push_within(&mut query, "h.unit_path").push(" AND t.observe_until <= ").push_bind(caller.now);
        query.push(" AND h.colour_cause IN ('returnee', 'from_key_area') UNION SELECT h.id, h.unit_code FROM households h JOIN isolations i ON i.household_id = h.id WHERE ");
        scope.push_within(&mut query, "h.unit_path").push(" AND i.ended_at IS NULL AND i.starts_at <= ").push_bind(caller.now);
        query.push(" AND h.colour_cause <> 'under_isolation'");
        let due = query.build_query_as::<(uuid::Uuid, String)>().fetch_all(&self.reader).await?;
        if due.is_empty() {
            return Ok(0);
        }
        let mut tx = self.writer.begin().await?;
        let ids: Vec<uuid::Uuid> = due.iter().map(|(id, _)| *id).collect();
        let mut units: Vec<String> = due.into_iter().map(|(_, unit)| unit).collect();
        units.sort();
        units.dedup();
        derived::refresh(&mut tx, caller, &ids, &units).await?;
        tx.commit().await?;
        Ok(ids.len())
    }

    async fn open_round(&self, caller: &Caller, unit: &UnitCode, name: &str) -> StoreResult<Round> {
        let unit = self.unit(&caller.scope, unit).await?.ok_or(StoreError::NotFound)?;
        let id = uuid::Uuid::now_v7();
        let mut tx = self.writer.begin().await?;
        sqlx::query("INSERT INTO screening_rounds (id, unit_code, unit_path, name, opened_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id)
            .bind(&unit.code)
            .bind(unit.path.as_str())
            .bind(name)
            .bind(caller.now)
            .bind(&caller.login)
            .execute(&mut *tx)
            .await?;
        audit(&mut tx, caller, "create", "screening_round", id, unit.path.as_str(), serde_json::json!({"name": name})).await?;
        tx.commit().await?;
        let households = derived::subtree_figures(&self.reader, &unit.path).await?.households;
        Ok(Round { id, unit_code: unit.code, name: name.to_string(), opened_at: caller.now, households, visited: 0, complete: households == 0 })
    }

    async fn rounds(&self, scope: &UnitPath, unit: &UnitCode) -> StoreResult<Option<Vec<Round>>> {
        let Some(unit) = self.unit(scope, unit).await? else { return Ok(None) };
        let ancestors: Vec<String> = {
            let mut path = String::from("/");
            let mut all = Vec::new();
            for code in unit.path.codes() {
                path.push_str(code);
                path.push('/');
                all.push(path.clone());
            }
            all
        };
        let mut query = sqlx::QueryBuilder::new("SELECT id, unit_code, name, opened_at FROM screening_rounds WHERE closed_at IS NULL AND unit_path IN (");
        let mut list = query.separated(", ");
        for path in &ancestors {
            list.push_bind(path.clone());
        }
        query.push(") ORDER BY opened_at DESC");
        let rows: Vec<(uuid::Uuid, String, String, chrono::DateTime<chrono::Utc>)> = query.build_query_as().fetch_all(&self.reader).await?;
        let households = derived::subtree_figures(&self.reader, &unit.path).await?.households;
        let mut rounds = Vec::new();
        for (id, unit_code, name, opened_at) in rows {
            let visited = self.visited_below(id, &unit.path).await?;
            rounds.push(Round { id, unit_code, name, opened_at, households, visited, complete: visited >= households });
        }
        Ok(Some(rounds))
    }

    async fn record_visit(&self, caller: &Caller, round: uuid::Uuid, household: uuid::Uuid, outcome: VisitOutcome, note: Option<&str>) -> StoreResult<()> {
        let round_path = sqlx::query_scalar::<_, String>("SELECT unit_path FROM screening_rounds WHERE id = $1")
            .bind(round)
            .fetch_optional(&self.reader)
            .await?
            .ok_or(StoreError::NotFound)?;
        let round_path = UnitPath::from_stored(round_path);
        let mut query = QueryBuilder::new("SELECT unit_path FROM households WHERE id = ");
        query.push_bind(household).push(" AND ");
        Scope::of(&caller.scope).push_within(&mut query, "unit_path");
        let path = query.build_query_scalar::<String>().fetch_optional(&self.reader).await?.ok_or(StoreError::NotFound)?;
        if !round_path.contains(&UnitPath::from_stored(path.clone())) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "INSERT INTO visits (round_id, household_id, unit_path, outcome, note, at, actor) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (round_id, household_id) DO UPDATE SET outcome = excluded.outcome, note = excluded.note, at = excluded.at, actor = excluded.actor",
        )
        .bind(round)
        .bind(household)
        .bind(&path)
        .bind(outcome.as_str())
        .bind(note)
        .bind(caller.now)
        .bind(&caller.login)
        .execute(&mut *tx)
        .await?;
        audit(&mut tx, caller, "visit", "household", household, path.as_str(), serde_json::json!({"round": round, "outcome": outcome.as_str()})).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn coverage(&self, scope: &UnitPath, round: uuid::Uuid, unit: &UnitCode) -> StoreResult<Option<Vec<CoverageRow>>> {
        let Some(unit) = self.round_unit(scope, round, unit).await? else { return Ok(None) };
        let children = self.children(scope, &UnitCode::parse(&unit.code)?).await?;
        let units: Vec<(String, String, UnitPath, i64)> = if children.is_empty() {
            let households = derived::subtree_figures(&self.reader, &unit.path).await?.households;
            vec![(unit.code.clone(), unit.name.clone(), unit.path.clone(), households)]
        } else {
            children.into_iter().map(|(u, f)| (u.code, u.name, u.path, f.households)).collect()
        };
        let mut rows = Vec::new();
        for (code, name, path, households) in units {
            let visited = self.visited_below(round, &path).await?;
            rows.push(CoverageRow { code, name, households, visited, not_visited: households - visited });
        }
        Ok(Some(rows))
    }

    async fn unvisited(&self, scope: &UnitPath, round: uuid::Uuid, unit: &UnitCode, from: u32, limit: u32) -> StoreResult<Option<(Vec<Unvisited>, i64)>> {
        let Some(unit) = self.round_unit(scope, round, unit).await? else { return Ok(None) };
        let mut query = QueryBuilder::new("SELECT COUNT(*) FROM households h LEFT JOIN visits v ON v.round_id = ");
        query.push_bind(round).push(" AND v.household_id = h.id WHERE ");
        Scope::of(&unit.path).push_within(&mut query, "h.unit_path").push(" AND (v.outcome IS NULL OR v.outcome <> 'visited')");
        let total: i64 = query.build_query_scalar().fetch_one(&self.reader).await?;
        let mut query = QueryBuilder::new(
            "SELECT h.id, h.household_no, h.unit_code, h.head_name, h.address, v.outcome FROM households h LEFT JOIN visits v ON v.round_id = ",
        );
        query.push_bind(round).push(" AND v.household_id = h.id WHERE ");
        Scope::of(&unit.path).push_within(&mut query, "h.unit_path").push(" AND (v.outcome IS NULL OR v.outcome <> 'visited')");
        query.push(" ORDER BY h.unit_path, h.household_no, h.id LIMIT ").push_bind(i64::from(limit.clamp(1, MAX_PAGE)));
        query.push(" OFFSET ").push_bind(i64::from(from));
        let rows = query.build_query_as::<(uuid::Uuid, String, String, String, Option<String>, Option<String>)>().fetch_all(&self.reader).await?;
        let unvisited = rows.into_iter().map(|(id, household_no, unit_code, head_name, address, last_outcome)| {
            let last_outcome = last_outcome.as_deref().map(VisitOutcome::from_stored).transpose()?;
            Ok::<_, StoreError>(Unvisited { id, household_no, unit_code, head_name, address, last_outcome })
        });
        Ok(Some((unvisited.collect::<Result<_, _>>()?, total)))
    }
}

impl SqlStore<Db> {
    /// Names the key areas given by a code: the division's name in the data, else the
    /// province's.
    async fn name_areas(&self, areas: &mut [KeyAreaRecord]) -> StoreResult<()> {
        for area in areas.iter_mut().filter(|a| !a.area.is_empty() && a.area.bytes().all(|b| b.is_ascii_digit())) {
            let name: Option<String> = sqlx::query_scalar("SELECT name FROM units WHERE code = $1").bind(&area.area).fetch_optional(&self.reader).await?;
            area.area_name = name.or_else(|| {
                let province = crate::domain::divisions::province_name(area.area.get(..2)?)?;
                Some(if area.area.len() == 2 { province.to_string() } else { format!("{province} {}", area.area) })
            });
        }
        Ok(())
    }

    /// The resident who arrived: (resident, household, a resident to add first).
    pub(crate) async fn arriving_resident(tx: &mut Tx, caller: &Caller, arrival: &Arrival) -> StoreResult<(uuid::Uuid, uuid::Uuid, Option<NewResident>)> {
        let scope = Scope::of(&caller.scope);
        match arrival {
            Arrival::Resident(id) => {
                let mut query = QueryBuilder::new("SELECT household_id FROM residents WHERE id = ");
                query.push_bind(*id).push(" AND ");
                scope.push_within(&mut query, "unit_path");
                let household: uuid::Uuid = query.build_query_scalar().fetch_optional(&mut **tx).await?.ok_or(StoreError::NotFound)?;
                Ok((*id, household, None))
            }
            Arrival::Person { resident, household_id } => {
                let mut query = QueryBuilder::new("SELECT id, household_id FROM residents WHERE id_number = ");
                query.push_bind(resident.id_number.as_str()).push(" AND ");
                scope.push_within(&mut query, "unit_path");
                let known: Option<(uuid::Uuid, uuid::Uuid)> = query.build_query_as().fetch_optional(&mut **tx).await?;
                if let Some((id, household)) = known {
                    return Ok((id, household, None));
                }
                let missing = |field| StoreError::Domain(DomainError::invalid(field, crate::domain::error::Reason::Empty));
                if resident.name.is_empty() {
                    return Err(missing("name"));
                }
                let household = household_id.ok_or(missing("household_id"))?;
                let mut query = QueryBuilder::new("SELECT id FROM households WHERE id = ");
                query.push_bind(household).push(" AND ");
                scope.push_within(&mut query, "unit_path");
                let found: Option<uuid::Uuid> = query.build_query_scalar().fetch_optional(&mut **tx).await?;
                // A household number typed that is none here is a problem with that field.
                found.ok_or(StoreError::Domain(DomainError::invalid("household_id", crate::domain::error::Reason::Unknown)))?;
                Ok((resident.id, household, Some(resident.clone())))
            }
        }
    }

    /// Households below `path` visited in a round.
    pub(crate) async fn visited_below(&self, round: uuid::Uuid, path: &UnitPath) -> StoreResult<i64> {
        let mut query = QueryBuilder::new("SELECT COUNT(*) FROM visits WHERE round_id = ");
        query.push_bind(round).push(" AND ");
        Scope::of(path).push_within(&mut query, "unit_path").push(" AND outcome = 'visited'");
        Ok(query.build_query_scalar::<i64>().fetch_one(&self.reader).await?)
    }

    /// The unit, if it is in the scope and inside the round's unit.
    pub(crate) async fn round_unit(&self, scope: &UnitPath, round: uuid::Uuid, unit: &UnitCode) -> StoreResult<Option<Unit>> {
        let Some(round_path) =
            sqlx::query_scalar::<_, String>("SELECT unit_path FROM screening_rounds WHERE id = $1").bind(round).fetch_optional(&self.reader).await?
        else {
            return Ok(None);
        };
        let Some(unit) = self.unit(scope, unit).await? else { return Ok(None) };
        Ok(UnitPath::from_stored(round_path).contains(&unit.path).then_some(unit))
    }
}
