//! `SearchStore` for this backend: the header's search over residents and people seen at
//! checkpoints, both through `Scope`.

use async_trait::async_trait;
use sqlx::QueryBuilder;
use uuid::Uuid;

use super::Db;
use crate::domain::UnitPath;
use crate::domain::id_number::mask as mask_id;
use crate::domain::phone::mask as mask_phone;
use crate::store::residents::like_prefix;
use crate::store::scope::Scope;
use crate::store::search::{PersonHit, ResidentHit, SearchStore};
use crate::store::{SqlStore, StoreResult};

/// How many sightings a people search reads before it keeps the latest of each person.
const SIGHTINGS_READ: i64 = 2000;

#[async_trait]
impl SearchStore for SqlStore<Db> {
    async fn find_residents(&self, scope: &UnitPath, query: &str, limit: u32) -> StoreResult<Vec<ResidentHit>> {
        let query = query.trim();
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let mut select = QueryBuilder::new(
            "SELECT r.id, r.household_id, r.name, r.relation, r.id_number, r.phone, h.unit_code, u.name \
             FROM residents r JOIN households h ON h.id = r.household_id JOIN units u ON u.code = h.unit_code WHERE ",
        );
        Scope::of(scope).push_within(&mut select, "r.unit_path");
        select.push(" AND (r.name LIKE ").push_bind(like_prefix(query)).push(" ESCAPE '\\'");
        select.push(" OR r.id_number = ").push_bind(query.to_ascii_uppercase()).push(" OR r.phone = ").push_bind(query.to_string()).push(")");
        select.push(" ORDER BY r.unit_path, r.name LIMIT ").push_bind(i64::from(limit));
        let rows: Vec<(Uuid, Uuid, String, String, String, Option<String>, String, String)> = select.build_query_as().fetch_all(&self.reader).await?;
        Ok(rows
            .into_iter()
            .map(|(id, household_id, name, relation, id_number, phone, unit_code, unit_name)| ResidentHit {
                id,
                household_id,
                name,
                relation,
                id_number: mask_id(&id_number),
                phone: phone.as_deref().map(mask_phone),
                unit_code,
                unit_name,
            })
            .collect())
    }

    async fn find_people(&self, scope: &UnitPath, query: &str, limit: u32) -> StoreResult<Vec<PersonHit>> {
        let query = query.trim();
        if query.is_empty() {
            return Ok(Vec::new());
        }
        // Sightings at the subtree's checkpoints: each checkpoint's passages and registrations
        // are read through their (checkpoint, time) indexes.
        let mut select = QueryBuilder::new(
            "SELECT p.id, p.id_number, COALESCE(x.name, p.name), COALESCE(x.phone, p.phone), x.at, c.name, c.unit_code, u.name \
             FROM (SELECT person_id, checkpoint_id, name, phone, at FROM passages WHERE person_id IS NOT NULL \
                   UNION ALL SELECT person_id, checkpoint_id, name, phone, at FROM registrations) x \
             JOIN checkpoints c ON c.id = x.checkpoint_id JOIN units u ON u.code = c.unit_code JOIN people p ON p.id = x.person_id WHERE ",
        );
        Scope::of(scope).push_within(&mut select, "c.unit_path");
        select.push(" AND (x.name LIKE ").push_bind(like_prefix(query)).push(" ESCAPE '\\'");
        select.push(" OR x.phone = ").push_bind(query.to_string()).push(" OR p.id_number = ").push_bind(query.to_ascii_uppercase()).push(")");
        // Residents of the subtree are found as residents.
        select.push(" AND NOT EXISTS (SELECT 1 FROM residents r WHERE r.id_number = p.id_number AND ");
        Scope::of(scope).push_within(&mut select, "r.unit_path");
        select.push(") ORDER BY x.at DESC LIMIT ").push_bind(SIGHTINGS_READ);
        type Row = (Uuid, Option<String>, String, Option<String>, chrono::DateTime<chrono::Utc>, String, String, String);
        let rows: Vec<Row> = select.build_query_as().fetch_all(&self.reader).await?;
        let mut seen = std::collections::HashSet::new();
        let mut hits: Vec<PersonHit> = rows
            .into_iter()
            .filter(|row| seen.insert(row.0))
            .take(limit as usize)
            .map(|(id, id_number, name, phone, last_seen, checkpoint_name, unit_code, unit_name)| PersonHit {
                id,
                name,
                id_number: id_number.as_deref().map(mask_id),
                phone: phone.as_deref().map(mask_phone),
                last_seen,
                checkpoint_name,
                unit_code,
                unit_name,
            })
            .collect();
        hits.sort_by(|a, b| a.name.cmp(&b.name).then(b.last_seen.cmp(&a.last_seen)));
        Ok(hits)
    }
}
