//! `SearchStore` for this backend: the header's search over residents and people seen at
//! checkpoints, both through `Scope`, each a page of the whole list with its count.

use async_trait::async_trait;
use sqlx::QueryBuilder;
use uuid::Uuid;

use super::Db;
use crate::domain::UnitPath;
use crate::domain::id_number::mask as mask_id;
use crate::domain::phone::mask as mask_phone;
use crate::store::residents::like_prefix;
use crate::store::scope::Scope;
use crate::store::search::{Hits, PersonHit, ResidentHit, SearchStore};
use crate::store::{SqlStore, StoreResult};

#[async_trait]
impl SearchStore for SqlStore<Db> {
    async fn find_residents(&self, scope: &UnitPath, query: &str, offset: u32, limit: u32) -> StoreResult<Hits<ResidentHit>> {
        let query = query.trim();
        if query.is_empty() {
            return Ok((Vec::new(), 0));
        }
        let matching = |select: &mut QueryBuilder<Db>| {
            Scope::of(scope).push_within(select, "r.unit_path");
            select.push(" AND (r.name LIKE ").push_bind(like_prefix(query)).push(" ESCAPE '\\'");
            select.push(" OR r.id_number = ").push_bind(query.to_ascii_uppercase()).push(" OR r.phone = ").push_bind(query.to_string()).push(")");
        };
        let mut count = QueryBuilder::new("SELECT COUNT(*) FROM residents r WHERE ");
        matching(&mut count);
        let total: i64 = count.build_query_scalar().fetch_one(&self.reader).await?;
        // A group is named with its village when the caller holds more than the village (a
        // county's search finds many villages' 第一村民小组).
        let mut select = QueryBuilder::new("SELECT r.id, r.household_id, r.name, r.relation, r.id_number, r.phone, h.unit_code, CASE WHEN length(p.path) > ");
        select.push_bind(i64::try_from(scope.as_str().len()).unwrap_or(i64::MAX));
        select.push(
            " THEN p.name || ' · ' || u.name ELSE u.name END \
             FROM residents r JOIN households h ON h.id = r.household_id JOIN units u ON u.code = h.unit_code \
             LEFT JOIN units p ON p.code = u.parent_code WHERE ",
        );
        matching(&mut select);
        select.push(" ORDER BY r.unit_path, r.name, r.id LIMIT ").push_bind(i64::from(limit)).push(" OFFSET ").push_bind(i64::from(offset));
        let rows: Vec<(Uuid, Uuid, String, String, String, Option<String>, String, String)> = select.build_query_as().fetch_all(&self.reader).await?;
        let hits = rows
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
            .collect();
        Ok((hits, total))
    }

    async fn find_people(&self, scope: &UnitPath, query: &str, offset: u32, limit: u32) -> StoreResult<Hits<PersonHit>> {
        let query = query.trim();
        if query.is_empty() {
            return Ok((Vec::new(), 0));
        }
        // Sightings at the subtree's checkpoints that match: each checkpoint's passages and
        // registrations are read through their (checkpoint, time) indexes. Residents of the
        // subtree are found as residents. A person with an ID number is found and named only
        // by what staff typed at a passage (as `known_as` names them): what the public typed
        // on a poster's form, or on a registration confirmed into a passage, names nobody.
        // Someone without an ID number is their name and phone, the key they are found by.
        let sightings = |select: &mut QueryBuilder<Db>| {
            select.push(
                " FROM (SELECT person_id, checkpoint_id, \
                     CASE WHEN registration_id IS NULL THEN name END AS name, CASE WHEN registration_id IS NULL THEN phone END AS phone, at \
                   FROM passages WHERE person_id IS NOT NULL \
                   UNION ALL SELECT person_id, checkpoint_id, CAST(NULL AS TEXT), CAST(NULL AS TEXT), at FROM registrations) x \
                 JOIN checkpoints c ON c.id = x.checkpoint_id JOIN people p ON p.id = x.person_id WHERE ",
            );
            Scope::of(scope).push_within(select, "c.unit_path");
            let (prefix, exact) = (like_prefix(query), query.to_string());
            select.push(" AND (x.name LIKE ").push_bind(prefix.clone()).push(" ESCAPE '\\' OR x.phone = ").push_bind(exact.clone());
            select.push(" OR p.id_number = ").push_bind(query.to_ascii_uppercase());
            select.push(" OR (p.id_number IS NULL AND (p.name LIKE ").push_bind(prefix).push(" ESCAPE '\\' OR p.phone = ").push_bind(exact).push(")))");
            select.push(" AND NOT EXISTS (SELECT 1 FROM residents r WHERE r.id_number = p.id_number AND ");
            Scope::of(scope).push_within(select, "r.unit_path");
            select.push(")");
        };
        let mut count = QueryBuilder::new("SELECT COUNT(DISTINCT x.person_id)");
        sightings(&mut count);
        let total: i64 = count.build_query_scalar().fetch_one(&self.reader).await?;
        // The latest matching sighting of each person, with the latest name and the latest
        // phone staff typed among them (a page of them by that name).
        let latest = |column: &str| {
            format!("FIRST_VALUE(x.{column}) OVER (PARTITION BY x.person_id ORDER BY CASE WHEN x.{column} IS NULL THEN 1 ELSE 0 END, x.at DESC)")
        };
        let mut select = QueryBuilder::new(format!(
            "SELECT s.id, s.id_number, s.name, s.phone, s.at, s.checkpoint_name, s.unit_code, u.name FROM (\
             SELECT p.id, p.id_number, COALESCE({}, p.name) AS name, CASE WHEN p.id_number IS NULL THEN p.phone ELSE {} END AS phone, x.at, \
             c.name AS checkpoint_name, c.unit_code, ROW_NUMBER() OVER (PARTITION BY x.person_id ORDER BY x.at DESC) AS latest",
            latest("name"),
            latest("phone")
        ));
        sightings(&mut select);
        select.push(") s JOIN units u ON u.code = s.unit_code WHERE s.latest = 1 ORDER BY s.name, s.at DESC, s.id LIMIT ");
        select.push_bind(i64::from(limit)).push(" OFFSET ").push_bind(i64::from(offset));
        type Row = (Uuid, Option<String>, String, Option<String>, chrono::DateTime<chrono::Utc>, String, String, String);
        let rows: Vec<Row> = select.build_query_as().fetch_all(&self.reader).await?;
        let hits = rows
            .into_iter()
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
        Ok((hits, total))
    }
}
