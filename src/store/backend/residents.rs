//! `ResidentStore` for this backend.

use sqlx::QueryBuilder;

use async_trait::async_trait;

use super::{Db, Tx, audit, derived};
use crate::domain::{AlertKind, Caller, DomainError, Target, UnitPath};
use crate::store::scope::Scope;
use crate::store::{MAX_PAGE, NewResident, ResidentListItem, ResidentPatch, ResidentRecord, ResidentStore, SqlStore, StoreError, StoreResult};

#[async_trait]
impl ResidentStore for SqlStore<Db> {
    async fn add_resident(&self, caller: &Caller, household_id: uuid::Uuid, resident: &NewResident) -> StoreResult<uuid::Uuid> {
        let mut query = QueryBuilder::new("SELECT unit_code, unit_path FROM households WHERE id = ");
        query.push_bind(household_id).push(" AND ");
        Scope::of(&caller.scope).push_within(&mut query, "unit_path");
        let (unit_code, path) = query.build_query_as::<(String, String)>().fetch_optional(&self.reader).await?.ok_or(StoreError::NotFound)?;
        let path = UnitPath::from_stored(path);
        let mut tx = self.writer.begin().await?;
        match Self::insert_resident(&mut tx, caller, household_id, &path, resident).await {
            Ok(true) => {}
            Ok(false) => return Ok(resident.id),
            Err(err) => {
                drop(tx);
                return Err(self.held_elsewhere(caller, err).await);
            }
        }
        Self::after_resident_change(
            &mut tx,
            caller,
            household_id,
            crate::store::residents::head_relation(&resident.relation).then_some(resident.name.as_str()),
            unit_code,
        )
        .await?;
        tx.commit().await?;
        Ok(resident.id)
    }

    async fn update_resident(&self, caller: &Caller, id: uuid::Uuid, patch: &ResidentPatch) -> StoreResult<()> {
        let mut query = QueryBuilder::new(format!("SELECT {} FROM residents r WHERE r.id = ", crate::store::residents::RESIDENT_COLUMNS));
        query.push_bind(id).push(" AND ");
        Scope::of(&caller.scope).push_within(&mut query, "r.unit_path");
        let old = query.build_query_as::<ResidentRecord>().fetch_optional(&self.reader).await?.ok_or(StoreError::NotFound)?;
        let name = patch.name.clone().unwrap_or(old.name.clone());
        let relation = patch.relation.clone().unwrap_or(old.relation.clone());
        let phone = patch.phone.as_ref().map(|p| p.as_str().to_string()).or(old.phone.clone());
        let residence = patch.residence.unwrap_or(old.residence);
        if (&name, &relation, &phone, &residence) == (&old.name, &old.relation, &old.phone, &old.residence) {
            return Ok(());
        }
        let (unit_code, path): (String, String) =
            sqlx::query_as("SELECT unit_code, unit_path FROM households WHERE id = $1").bind(old.household_id).fetch_one(&self.reader).await?;
        let mut tx = self.writer.begin().await?;
        sqlx::query("UPDATE residents SET name = $1, relation = $2, phone = $3, residence = $4, updated_at = $5 WHERE id = $6")
            .bind(&name)
            .bind(&relation)
            .bind(&phone)
            .bind(residence.as_str())
            .bind(caller.now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let changed = serde_json::json!({
            "name": [old.name, name],
            "relation": [old.relation, relation],
            "phone": [old.phone.as_deref().map(crate::domain::phone::mask), phone.as_deref().map(crate::domain::phone::mask)],
            "residence": [old.residence, residence],
        });
        audit(&mut tx, caller, "update", "resident", id, path.as_str(), changed).await?;
        Self::after_resident_change(&mut tx, caller, old.household_id, crate::store::residents::head_relation(&relation).then_some(name.as_str()), unit_code)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn resident(&self, caller: &Caller, id: uuid::Uuid) -> StoreResult<Option<ResidentRecord>> {
        let mut query = QueryBuilder::new(format!("SELECT {}, r.unit_path FROM residents r WHERE r.id = ", crate::store::residents::RESIDENT_COLUMNS));
        query.push_bind(id).push(" AND ");
        Scope::of(&caller.scope).push_within(&mut query, "r.unit_path");
        let Some(row) = query.build().fetch_optional(&self.reader).await? else {
            return Ok(None);
        };
        use sqlx::{FromRow, Row};
        let record = ResidentRecord::from_row(&row)?;
        let path: String = row.try_get("unit_path")?;
        let mut tx = self.writer.begin().await?;
        audit(&mut tx, caller, "read", "resident", id, path.as_str(), serde_json::json!({})).await?;
        tx.commit().await?;
        Ok(Some(record))
    }

    async fn search_residents(&self, scope: &UnitPath, query: &str, limit: u32) -> StoreResult<Vec<ResidentListItem>> {
        let query = query.trim();
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let mut select = QueryBuilder::new(
            "SELECT r.id, r.household_id, h.unit_code, r.name, r.id_number, r.phone, r.relation FROM residents r JOIN households h ON h.id = r.household_id WHERE ",
        );
        Scope::of(scope).push_within(&mut select, "r.unit_path");
        select.push(" AND (r.name LIKE ").push_bind(crate::store::residents::like_prefix(query)).push(" ESCAPE '\\'");
        select.push(" OR r.id_number = ").push_bind(query.to_ascii_uppercase()).push(" OR r.phone = ").push_bind(query.to_ascii_uppercase()).push(")");
        select.push(" ORDER BY r.unit_path, r.name LIMIT ").push_bind(i64::from(limit.clamp(1, MAX_PAGE)));
        let rows: Vec<(uuid::Uuid, uuid::Uuid, String, String, String, Option<String>, String)> = select.build_query_as().fetch_all(&self.reader).await?;
        Ok(rows
            .into_iter()
            .map(|(id, household_id, unit_code, name, id_number, phone, relation)| ResidentListItem {
                id,
                household_id,
                unit_code,
                name,
                id_number: crate::domain::id_number::mask(&id_number),
                phone: phone.as_deref().map(crate::domain::phone::mask),
                relation,
            })
            .collect())
    }
}

impl SqlStore<Db> {
    /// Turns `HeldElsewhere` into what the caller may be told, once the HQ over both
    /// places has the conflict in its inbox; other errors pass unchanged.
    pub(crate) async fn held_elsewhere(&self, caller: &Caller, err: StoreError) -> StoreError {
        let StoreError::HeldElsewhere { household, path, wanted, id_number } = err else { return err };
        let over_both = UnitPath::common([&path, &wanted]);
        let Some(code) = over_both.codes().last().map(str::to_string) else {
            return StoreError::Domain(DomainError::invalid("id_number", crate::domain::error::Reason::HeldElsewhere));
        };
        // Each place by the names below the unit over both (和平社区·一组), which tell them apart.
        let depth = over_both.depth();
        let place = |path: &UnitPath| {
            let codes: Vec<String> = path.codes().skip(depth).map(str::to_string).collect();
            async move {
                let mut names = Vec::new();
                for code in codes.first().into_iter().chain(codes.last().filter(|_| codes.len() > 1)) {
                    let name =
                        sqlx::query_scalar::<_, String>("SELECT name FROM units WHERE code = $1").bind(code).fetch_optional(&self.reader).await.ok().flatten();
                    names.push(name.unwrap_or_else(|| code.clone()));
                }
                names.join("·")
            }
        };
        let subject = format!("{} · {} ⇄ {} · {}", crate::domain::id_number::mask(&id_number), place(&path).await, place(&wanted).await, caller.login);
        let written = async {
            let mut tx = self.writer.begin().await?;
            // One task a day for the same conflict, however often it is tried. The audit names
            // the person by a digest, not the number.
            let person = {
                use sha2::Digest;
                hex::encode(&sha2::Sha256::digest(id_number.as_bytes())[..8])
            };
            let target = Target::household(household);
            let open: Option<uuid::Uuid> = sqlx::query_scalar(
                "SELECT id FROM alerts WHERE kind = 'id_conflict' AND subject = $1 AND target_kind = $3 AND target_id = $4 AND created_at > $2 LIMIT 1",
            )
            .bind(&subject)
            .bind(caller.now - chrono::Duration::days(1))
            .bind(target.kind.as_str())
            .bind(target.id)
            .fetch_optional(&mut *tx)
            .await?;
            if open.is_none() {
                Self::raise_alert(&mut tx, AlertKind::IdConflict, &over_both, &code, &subject, &target, caller.now).await?;
            }
            let detail = serde_json::json!({"id_number": crate::domain::id_number::mask(&id_number), "held_in": over_both.as_str()});
            audit(&mut tx, caller, "refuse", "resident", person, wanted.as_str(), detail).await?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        };
        if let Err(err) = written.await {
            return err;
        }
        StoreError::Domain(DomainError::invalid("id_number", crate::domain::error::Reason::HeldElsewhere))
    }

    /// Inserts a resident into a household at `path` and audits it; false if the same
    /// request made it before (a retry). An ID number registered in the caller's subtree
    /// is a conflict; one registered outside it is `HeldElsewhere`, which says nothing
    /// of where.
    pub(crate) async fn insert_resident(tx: &mut Tx, caller: &Caller, household_id: uuid::Uuid, path: &UnitPath, resident: &NewResident) -> StoreResult<bool> {
        if Self::claim_id(tx, caller, "resident", resident.id, resident.fingerprint.as_deref(), path).await? == crate::store::client_ids::Claim::Repeat {
            return Ok(false);
        }
        let registered: Option<(uuid::Uuid, String)> = sqlx::query_as("SELECT household_id, unit_path FROM residents WHERE id_number = $1")
            .bind(resident.id_number.as_str())
            .fetch_optional(&mut **tx)
            .await?;
        if let Some((household, held)) = registered {
            let held = UnitPath::from_stored(held);
            return Err(if caller.scope.contains(&held) {
                StoreError::Conflict("ID number")
            } else {
                StoreError::HeldElsewhere { household, path: held, wanted: path.clone(), id_number: resident.id_number.as_str().to_string() }
            });
        }
        let inserted = sqlx::query(
            "INSERT INTO residents (id, household_id, unit_path, county_code, name, id_number, sex, birth_date, relation, phone, residence, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) ON CONFLICT (id) DO NOTHING",
        )
        .bind(resident.id)
        .bind(household_id)
        .bind(path.as_str())
        .bind(path.county_code())
        .bind(&resident.name)
        .bind(resident.id_number.as_str())
        .bind(resident.id_number.sex().as_str())
        .bind(resident.id_number.birth_date())
        .bind(&resident.relation)
        .bind(resident.phone.as_ref().map(|p| p.as_str()))
        .bind(resident.residence.as_str())
        .bind(caller.now)
        .execute(&mut **tx)
        .await
        .map_err(|e| StoreError::unique(e, "ID number"))?;
        crate::store::client_ids::inserted(inserted.rows_affected())?;
        audit(&mut *tx, caller, "create", "resident", resident.id, path.as_str(), serde_json::json!({"household_id": household_id, "name": resident.name}))
            .await?;
        Ok(true)
    }

    pub(crate) async fn residents_of(&self, household_ids: &[uuid::Uuid]) -> StoreResult<Vec<ResidentRecord>> {
        let mut all = Vec::new();
        for chunk in household_ids.chunks(crate::store::sql::CHUNK) {
            let mut query = sqlx::QueryBuilder::new(format!("SELECT {} FROM residents r WHERE r.household_id IN (", crate::store::residents::RESIDENT_COLUMNS));
            let mut list = query.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            query.push(") ORDER BY r.household_id, r.birth_date");
            all.extend(query.build_query_as::<ResidentRecord>().fetch_all(&self.reader).await?);
        }
        Ok(all)
    }

    /// Keeps a household's head name, colour and its unit's counts true after a resident changes.
    pub(crate) async fn after_resident_change(
        tx: &mut Tx,
        caller: &Caller,
        household_id: uuid::Uuid,
        new_head: Option<&str>,
        unit_code: String,
    ) -> StoreResult<()> {
        if let Some(head) = new_head {
            sqlx::query("UPDATE households SET head_name = $1 WHERE id = $2").bind(head).bind(household_id).execute(&mut **tx).await?;
        } else {
            sqlx::query("UPDATE households SET head_name = (SELECT r.name FROM residents r WHERE r.household_id = $1 ORDER BY r.created_at LIMIT 1) WHERE id = $1 AND head_name = ''")
                .bind(household_id)
                .execute(&mut **tx)
                .await?;
        }
        derived::refresh(tx, caller, &[household_id], &[unit_code]).await?;
        Ok(())
    }
}
