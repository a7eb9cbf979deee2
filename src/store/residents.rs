//! Residents: full records (audited), search (masked), and writes that keep the
//! household's colour and the unit's counts true.

use async_trait::async_trait;
use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

use super::StoreResult;
use crate::domain::{Caller, IdNumber, Phone, Residence, UnitPath};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ResidentRecord {
    pub id: Uuid,
    pub household_id: Uuid,
    pub name: String,
    pub id_number: String,
    pub sex: String,
    pub birth_date: NaiveDate,
    pub relation: String,
    pub phone: Option<String>,
    pub residence: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ResidentListItem {
    pub id: Uuid,
    pub household_id: Uuid,
    pub unit_code: String,
    pub name: String,
    /// Masked.
    pub id_number: String,
    /// Masked.
    pub phone: Option<String>,
    pub relation: String,
}

#[derive(Debug, Clone)]
pub struct NewResident {
    pub id: Uuid,
    /// Set when the client chose `id`: the digest of its request (`app::fingerprint`).
    pub fingerprint: Option<String>,
    pub name: String,
    pub id_number: IdNumber,
    pub relation: String,
    pub phone: Option<Phone>,
    pub residence: Residence,
}

#[derive(Debug, Clone, Default)]
pub struct ResidentPatch {
    pub name: Option<String>,
    pub relation: Option<String>,
    pub phone: Option<Phone>,
    pub residence: Option<Residence>,
}

#[async_trait]
pub trait ResidentStore {
    /// Adds a resident to a household in scope; a retried request (same `id`) is a no-op.
    async fn add_resident(&self, caller: &Caller, household_id: Uuid, resident: &NewResident) -> StoreResult<Uuid>;
    async fn update_resident(&self, caller: &Caller, id: Uuid, patch: &ResidentPatch) -> StoreResult<()>;
    /// The full record, unmasked; the reading is written to the audit log.
    async fn resident(&self, caller: &Caller, id: Uuid) -> StoreResult<Option<ResidentRecord>>;
    /// Residents in scope whose name starts with `query` or whose ID number or phone is
    /// exactly `query`; masked.
    async fn search_residents(&self, scope: &UnitPath, query: &str, limit: u32) -> StoreResult<Vec<ResidentListItem>>;
}

pub(crate) const RESIDENT_COLUMNS: &str = "r.id, r.household_id, r.name, r.id_number, r.sex, r.birth_date, r.relation, r.phone, r.residence";

/// Escapes LIKE's wildcards so a search for `50%` means the characters.
pub(crate) fn like_prefix(query: &str) -> String {
    let mut escaped = String::with_capacity(query.len() + 1);
    for c in query.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('%');
    escaped
}

macro_rules! impl_residents {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::ResidentStore for $store {
            async fn add_resident(&self, caller: &$crate::domain::Caller, household_id: uuid::Uuid, resident: &$crate::store::NewResident) -> $crate::store::StoreResult<uuid::Uuid> {
                let query = sqlx::query_as::<_, (String, String)>("SELECT unit_code, unit_path FROM households WHERE id = $1 AND unit_path >= $2 AND unit_path < $3").bind(household_id);
                let (unit_code, path) = $crate::store::sql::bind_range!(query, caller.scope).fetch_optional(&self.reader).await?.ok_or($crate::store::StoreError::NotFound)?;
                let path = $crate::domain::UnitPath::from_stored(path);
                let mut tx = self.writer.begin().await?;
                match Self::insert_resident(&mut tx, caller, household_id, &path, resident).await {
                    Ok(true) => {}
                    Ok(false) => return Ok(resident.id),
                    Err(err) => {
                        drop(tx);
                        return Err(self.held_elsewhere(caller, err).await);
                    }
                }
                Self::after_resident_change(&mut tx, caller, household_id, $crate::store::residents::head_relation(&resident.relation).then_some(resident.name.as_str()), unit_code).await?;
                tx.commit().await?;
                Ok(resident.id)
            }

            async fn update_resident(&self, caller: &$crate::domain::Caller, id: uuid::Uuid, patch: &$crate::store::ResidentPatch) -> $crate::store::StoreResult<()> {
                let sql = format!(
                    "SELECT {} FROM residents r WHERE r.id = $1 AND r.unit_path >= $2 AND r.unit_path < $3",
                    $crate::store::residents::RESIDENT_COLUMNS
                );
                let query = sqlx::query_as::<_, $crate::store::ResidentRecord>(sqlx::AssertSqlSafe(sql)).bind(id);
                let old = $crate::store::sql::bind_range!(query, caller.scope).fetch_optional(&self.reader).await?.ok_or($crate::store::StoreError::NotFound)?;
                let name = patch.name.clone().unwrap_or(old.name.clone());
                let relation = patch.relation.clone().unwrap_or(old.relation.clone());
                let phone = patch.phone.as_ref().map(|p| p.as_str().to_string()).or(old.phone.clone());
                let residence = patch.residence.map(|r| r.as_str().to_string()).unwrap_or(old.residence.clone());
                if (&name, &relation, &phone, &residence) == (&old.name, &old.relation, &old.phone, &old.residence) {
                    return Ok(());
                }
                let (unit_code, path): (String, String) = sqlx::query_as("SELECT unit_code, unit_path FROM households WHERE id = $1").bind(old.household_id).fetch_one(&self.reader).await?;
                let mut tx = self.writer.begin().await?;
                sqlx::query("UPDATE residents SET name = $1, relation = $2, phone = $3, residence = $4, updated_at = $5 WHERE id = $6")
                    .bind(&name)
                    .bind(&relation)
                    .bind(&phone)
                    .bind(&residence)
                    .bind(caller.now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                let changed = serde_json::json!({
                    "name": [old.name, name],
                    "relation": [old.relation, relation],
                    "phone": [old.phone.as_deref().map($crate::domain::phone::mask), phone.as_deref().map($crate::domain::phone::mask)],
                    "residence": [old.residence, residence],
                });
                $crate::store::sql::audit!(tx, caller, "update", "resident", id, path.as_str(), changed);
                Self::after_resident_change(&mut tx, caller, old.household_id, $crate::store::residents::head_relation(&relation).then_some(name.as_str()), unit_code).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn resident(&self, caller: &$crate::domain::Caller, id: uuid::Uuid) -> $crate::store::StoreResult<Option<$crate::store::ResidentRecord>> {
                let sql = format!(
                    "SELECT {}, r.unit_path FROM residents r WHERE r.id = $1 AND r.unit_path >= $2 AND r.unit_path < $3",
                    $crate::store::residents::RESIDENT_COLUMNS
                );
                let query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id);
                let Some(row) = $crate::store::sql::bind_range!(query, caller.scope).fetch_optional(&self.reader).await? else {
                    return Ok(None);
                };
                use sqlx::{FromRow, Row};
                let record = $crate::store::ResidentRecord::from_row(&row)?;
                let path: String = row.try_get("unit_path")?;
                let mut tx = self.writer.begin().await?;
                $crate::store::sql::audit!(tx, caller, "read", "resident", id, path.as_str(), serde_json::json!({}));
                tx.commit().await?;
                Ok(Some(record))
            }

            async fn search_residents(&self, scope: &$crate::domain::UnitPath, query: &str, limit: u32) -> $crate::store::StoreResult<Vec<$crate::store::ResidentListItem>> {
                let query = query.trim();
                if query.is_empty() {
                    return Ok(Vec::new());
                }
                let (low, high) = scope.range();
                let rows: Vec<(uuid::Uuid, uuid::Uuid, String, String, String, Option<String>, String)> = sqlx::query_as(
                    "SELECT r.id, r.household_id, h.unit_code, r.name, r.id_number, r.phone, r.relation FROM residents r JOIN households h ON h.id = r.household_id \
                     WHERE r.unit_path >= $1 AND r.unit_path < $2 AND (r.name LIKE $3 ESCAPE '\\' OR r.id_number = $4 OR r.phone = $4) \
                     ORDER BY r.unit_path, r.name LIMIT $5",
                )
                .bind(low)
                .bind(high)
                .bind($crate::store::residents::like_prefix(query))
                .bind(query.to_ascii_uppercase())
                .bind(i64::from(limit.clamp(1, $crate::store::MAX_PAGE)))
                .fetch_all(&self.reader)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, household_id, unit_code, name, id_number, phone, relation)| $crate::store::ResidentListItem {
                        id,
                        household_id,
                        unit_code,
                        name,
                        id_number: $crate::domain::id_number::mask(&id_number),
                        phone: phone.as_deref().map($crate::domain::phone::mask),
                        relation,
                    })
                    .collect())
            }
        }

        impl $store {
            /// Turns `HeldElsewhere` into what the caller may be told, once the HQ over both
            /// places has the conflict in its inbox; other errors pass unchanged.
            pub(crate) async fn held_elsewhere(&self, caller: &$crate::domain::Caller, err: $crate::store::StoreError) -> $crate::store::StoreError {
                let $crate::store::StoreError::HeldElsewhere { household, path, wanted, id_number } = err else { return err };
                let over_both = $crate::domain::UnitPath::common([&path, &wanted]);
                let Some(code) = over_both.codes().last().map(str::to_string) else {
                    return $crate::store::StoreError::Domain($crate::domain::DomainError::invalid("id_number", $crate::domain::error::Reason::HeldElsewhere));
                };
                // Each place by the names below the unit over both (和平社区·一组), which tell them apart.
                let depth = over_both.depth();
                let place = |path: &$crate::domain::UnitPath| {
                    let codes: Vec<String> = path.codes().skip(depth).map(str::to_string).collect();
                    async move {
                        let mut names = Vec::new();
                        for code in codes.first().into_iter().chain(codes.last().filter(|_| codes.len() > 1)) {
                            let name = sqlx::query_scalar::<_, String>("SELECT name FROM units WHERE code = $1").bind(code).fetch_optional(&self.reader).await.ok().flatten();
                            names.push(name.unwrap_or_else(|| code.clone()));
                        }
                        names.join("·")
                    }
                };
                let subject = format!("{} · {} ⇄ {} · {}", $crate::domain::id_number::mask(&id_number), place(&path).await, place(&wanted).await, caller.login);
                let written = async {
                    let mut tx = self.writer.begin().await?;
                    // One task a day for the same conflict, however often it is tried.
                    // The household the person is held in, and which person (a digest, not the number:
                    // two people whose masked numbers read alike stay two tasks).
                    let person = {
                        use sha2::Digest;
                        hex::encode(&sha2::Sha256::digest(id_number.as_bytes())[..8])
                    };
                    let link = format!("/households/{household}?conflict={person}");
                    let open: Option<uuid::Uuid> =
                        sqlx::query_scalar("SELECT id FROM alerts WHERE kind = 'id_conflict' AND subject = $1 AND link = $3 AND created_at > $2 LIMIT 1")
                            .bind(&subject)
                        .bind(caller.now - chrono::Duration::days(1))
                        .bind(&link)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if open.is_none() {
                        Self::raise_alert(&mut tx, "id_conflict", &over_both, &code, &subject, &link, caller.now).await?;
                    }
                    let detail = serde_json::json!({"id_number": $crate::domain::id_number::mask(&id_number), "held_in": over_both.as_str()});
                    $crate::store::sql::audit!(tx, caller, "refuse", "resident", person, wanted.as_str(), detail);
                    tx.commit().await?;
                    Ok::<_, $crate::store::StoreError>(())
                };
                if let Err(err) = written.await {
                    return err;
                }
                $crate::store::StoreError::Domain($crate::domain::DomainError::invalid("id_number", $crate::domain::error::Reason::HeldElsewhere))
            }

            /// Inserts a resident into a household at `path` and audits it; false if the same
            /// request made it before (a retry). An ID number registered in the caller's subtree
            /// is a conflict; one registered outside it is `HeldElsewhere`, which says nothing
            /// of where.
            async fn insert_resident(
                tx: &mut $crate::store::sql::Tx<$store>,
                caller: &$crate::domain::Caller,
                household_id: uuid::Uuid,
                path: &$crate::domain::UnitPath,
                resident: &$crate::store::NewResident,
            ) -> $crate::store::StoreResult<bool> {
                if Self::claim_id(tx, caller, "resident", resident.id, resident.fingerprint.as_deref(), path).await? == $crate::store::client_ids::Claim::Repeat {
                    return Ok(false);
                }
                let registered: Option<(uuid::Uuid, String)> =
                    sqlx::query_as("SELECT household_id, unit_path FROM residents WHERE id_number = $1").bind(resident.id_number.as_str()).fetch_optional(&mut **tx).await?;
                if let Some((household, held)) = registered {
                    let held = $crate::domain::UnitPath::from_stored(held);
                    return Err(if caller.scope.contains(&held) {
                        $crate::store::StoreError::Conflict("ID number")
                    } else {
                        $crate::store::StoreError::HeldElsewhere { household, path: held, wanted: path.clone(), id_number: resident.id_number.as_str().to_string() }
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
                .map_err(|e| $crate::store::StoreError::unique(e, "ID number"))?;
                $crate::store::client_ids::inserted(inserted.rows_affected())?;
                $crate::store::sql::audit!(*tx, caller, "create", "resident", resident.id, path.as_str(), serde_json::json!({"household_id": household_id, "name": resident.name}));
                Ok(true)
            }

            async fn residents_of(&self, household_ids: &[uuid::Uuid]) -> $crate::store::StoreResult<Vec<$crate::store::ResidentRecord>> {
                let mut all = Vec::new();
                for chunk in household_ids.chunks($crate::store::sql::CHUNK) {
                    let mut query = sqlx::QueryBuilder::new(format!("SELECT {} FROM residents r WHERE r.household_id IN (", $crate::store::residents::RESIDENT_COLUMNS));
                    let mut list = query.separated(", ");
                    for id in chunk {
                        list.push_bind(*id);
                    }
                    query.push(") ORDER BY r.household_id, r.birth_date");
                    all.extend(query.build_query_as::<$crate::store::ResidentRecord>().fetch_all(&self.reader).await?);
                }
                Ok(all)
            }

            /// Keeps a household's head name, colour and its unit's counts true after a resident changes.
            async fn after_resident_change(
                tx: &mut $crate::store::sql::Tx<$store>,
                caller: &$crate::domain::Caller,
                household_id: uuid::Uuid,
                new_head: Option<&str>,
                unit_code: String,
            ) -> $crate::store::StoreResult<()> {
                if let Some(head) = new_head {
                    sqlx::query("UPDATE households SET head_name = $1 WHERE id = $2").bind(head).bind(household_id).execute(&mut **tx).await?;
                } else {
                    sqlx::query("UPDATE households SET head_name = (SELECT r.name FROM residents r WHERE r.household_id = $1 ORDER BY r.created_at LIMIT 1) WHERE id = $1 AND head_name = ''")
                        .bind(household_id)
                        .execute(&mut **tx)
                        .await?;
                }
                Self::refresh_colours(tx, caller, &[household_id]).await?;
                Self::refresh_counts(tx, &[unit_code]).await?;
                Ok(())
            }
        }
    };
}
pub(crate) use impl_residents;

pub(crate) fn head_relation(relation: &str) -> bool {
    crate::domain::household::is_head(relation)
}
