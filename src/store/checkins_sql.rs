//! The SQL of `CheckinStore`, shared by both backends.

macro_rules! impl_checkins {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::store::CheckinStore for $store {
            async fn check_in(&self, who: &$crate::store::Principal, checkins: &[$crate::store::NewCheckin]) -> $crate::store::StoreResult<Vec<$crate::store::CheckedIn>> {
                use std::collections::HashMap;
                // The last word on a resident's day wins, within a batch as across batches.
                let mut latest: HashMap<(uuid::Uuid, chrono::NaiveDate), usize> = HashMap::new();
                for (i, c) in checkins.iter().enumerate() {
                    latest.insert((c.resident_id, c.day), i);
                }
                let mut rows: Vec<(usize, $crate::store::NewCheckin)> = latest.into_values().map(|i| (i + 1, checkins[i].clone())).collect();
                rows.sort_by_key(|(row, _)| *row);
                let job = |reply| $crate::store::checkins::CheckinJob { who: who.clone(), rows, reply };
                $crate::store::sql::submit!(self, checkins, Self::write_checkins, job)
            }

            async fn checkin_token(&self, caller: &$crate::domain::Caller, household: uuid::Uuid, new_token: &str) -> $crate::store::StoreResult<String> {
                let query = sqlx::query_as::<_, (String, Option<String>)>("SELECT unit_path, checkin_token FROM households WHERE id = $1 AND unit_path >= $2 AND unit_path < $3").bind(household);
                let (path, token) = $crate::store::sql::bind_range!(query, caller.scope).fetch_optional(&self.reader).await?.ok_or($crate::store::StoreError::NotFound)?;
                if let Some(token) = token {
                    return Ok(token);
                }
                let mut tx = self.writer.begin().await?;
                sqlx::query("UPDATE households SET checkin_token = $1 WHERE id = $2 AND checkin_token IS NULL").bind(new_token).bind(household).execute(&mut *tx).await?;
                $crate::store::sql::audit!(tx, caller, "create", "checkin_link", household, path.as_str(), serde_json::json!({}));
                let token: String = sqlx::query_scalar("SELECT checkin_token FROM households WHERE id = $1").bind(household).fetch_one(&mut *tx).await?;
                tx.commit().await?;
                Ok(token)
            }

            async fn checkin_household(&self, token: &str, day: chrono::NaiveDate) -> $crate::store::StoreResult<Option<$crate::store::CheckinHousehold>> {
                let found: Option<(uuid::Uuid, String, String)> = sqlx::query_as("SELECT id, household_no, unit_path FROM households WHERE checkin_token = $1").bind(token).fetch_optional(&self.reader).await?;
                let Some((id, household_no, path)) = found else { return Ok(None) };
                let members: Vec<(uuid::Uuid, String, String, Option<uuid::Uuid>)> = sqlx::query_as(
                    "SELECT r.id, r.name, r.relation, c.resident_id FROM residents r LEFT JOIN checkins c ON c.resident_id = r.id AND c.day = $2 \
                     WHERE r.household_id = $1 ORDER BY r.birth_date, r.id",
                )
                .bind(id)
                .bind(day)
                .fetch_all(&self.reader)
                .await?;
                Ok(Some($crate::store::CheckinHousehold {
                    id,
                    household_no,
                    unit_path: $crate::domain::UnitPath::from_stored(path),
                    members: members.into_iter().map(|(id, name, relation, done)| (id, name, relation, done.is_some())).collect(),
                }))
            }

            async fn checkin_summary(
                &self,
                scope: &$crate::domain::UnitPath,
                unit: &$crate::domain::UnitCode,
                day: chrono::NaiveDate,
                limit: u32,
            ) -> $crate::store::StoreResult<Option<$crate::store::CheckinSummary>> {
                let Some(unit) = self.unit(scope, unit).await? else { return Ok(None) };
                let expected = self.subtree_figures(&unit.path).await?.residents;
                let query = sqlx::query_as::<_, (i64, Option<i64>)>(
                    "SELECT COUNT(*), SUM(CASE WHEN same_as_yesterday THEN 1 ELSE 0 END) FROM checkins WHERE day = $3 AND unit_path >= $1 AND unit_path < $2",
                );
                let (reported, flagged) = $crate::store::sql::bind_range!(query, unit.path).bind(day).fetch_one(&self.reader).await?;
                let query = sqlx::query_as::<_, (uuid::Uuid, String, uuid::Uuid, String, String, Option<String>)>(
                    "SELECT r.id, r.name, r.household_id, h.household_no, h.unit_code, r.phone FROM residents r JOIN households h ON h.id = r.household_id \
                     LEFT JOIN checkins c ON c.resident_id = r.id AND c.day = $3 WHERE r.unit_path >= $1 AND r.unit_path < $2 AND c.resident_id IS NULL \
                     ORDER BY r.unit_path, h.household_no, r.birth_date LIMIT $4",
                );
                let missing = $crate::store::sql::bind_range!(query, unit.path).bind(day).bind(i64::from(limit.clamp(1, $crate::store::MAX_PAGE))).fetch_all(&self.reader).await?;
                Ok(Some($crate::store::CheckinSummary {
                    day,
                    expected,
                    reported,
                    missing_count: (expected - reported).max(0),
                    flagged: flagged.unwrap_or(0),
                    missing: missing
                        .into_iter()
                        .map(|(resident_id, name, household_id, household_no, unit_code, phone)| $crate::store::Missing {
                            resident_id,
                            name,
                            household_id,
                            household_no,
                            unit_code,
                            phone: phone.as_deref().map($crate::domain::phone::mask),
                        })
                        .collect(),
                }))
            }
        }

        impl $store {
            /// Where each resident lives: household and unit.
            async fn homes(
                tx: &mut $crate::store::sql::Tx<$store>,
                ids: &[uuid::Uuid],
            ) -> $crate::store::StoreResult<std::collections::HashMap<uuid::Uuid, (uuid::Uuid, $crate::domain::UnitPath)>> {
                let mut homes = std::collections::HashMap::new();
                for chunk in ids.chunks($crate::store::sql::CHUNK) {
                    let mut query = sqlx::QueryBuilder::new("SELECT id, household_id, unit_path FROM residents WHERE id IN (");
                    let mut list = query.separated(", ");
                    for id in chunk {
                        list.push_bind(*id);
                    }
                    query.push(")");
                    let found: Vec<(uuid::Uuid, uuid::Uuid, String)> = query.build_query_as().fetch_all(&mut **tx).await?;
                    homes.extend(found.into_iter().map(|(id, household, path)| (id, (household, $crate::domain::UnitPath::from_stored(path)))));
                }
                Ok(homes)
            }

            /// Writes the check-ins of a group of requests in one transaction (see
            /// `commit_in_groups`): one multi-row insert for all their rows, one audit entry for
            /// each request, so that the writer's work grows with the group, not with requests.
            async fn write_checkins(
                writer: sqlx::Pool<<$store as $crate::store::sql::HasDb>::Db>,
                jobs: &[$crate::store::checkins::CheckinJob],
            ) -> $crate::store::StoreResult<Vec<$crate::store::StoreResult<Vec<$crate::store::CheckedIn>>>> {
                use $crate::domain::table::{RowError, RowProblem};
                // What the group needs read, with one query per kind for all its requests, in
                // the transaction that writes them: a session ended before the commit writes
                // nothing. Only a form's check-in (timed) can be flagged: API rows skip the look
                // back at the day before.
                let mut tx = writer.begin().await?;
                let mut ids: Vec<uuid::Uuid> = jobs.iter().flat_map(|job| job.rows.iter().map(|(_, c)| c.resident_id)).collect();
                ids.sort();
                ids.dedup();
                let timed: Vec<&$crate::store::NewCheckin> = jobs.iter().flat_map(|job| &job.rows).map(|(_, c)| c).filter(|c| c.seconds_to_fill.is_some()).collect();
                let callers = Self::callers(&mut tx, jobs).await?;
                let homes = Self::homes(&mut tx, &ids).await?;
                let yesterday = Self::reports_before(&mut tx, &timed).await?;
                // A request without a valid session, or with a resident outside its caller's
                // scope, is refused whole.
                let (mut callers, mut refused): (Vec<Option<$crate::domain::Caller>>, Vec<Option<$crate::store::StoreError>>) =
                    callers.into_iter().map(|caller| match caller { Ok(caller) => (Some(caller), None), Err(err) => (None, Some(err)) }).unzip();
                for (j, job) in jobs.iter().enumerate() {
                    let Some(caller) = &callers[j] else { continue };
                    let errors: Vec<RowError> = job
                        .rows
                        .iter()
                        .filter(|(_, c)| !homes.get(&c.resident_id).is_some_and(|(_, path)| caller.scope.contains(path)))
                        .map(|(row, _)| RowError { row: *row, column: Some("resident_id"), problem: RowProblem::NotFound })
                        .collect();
                    if !errors.is_empty() {
                        refused[j] = Some($crate::store::StoreError::Rows(errors));
                    }
                }
                // A refused request has no one to write it.
                for (caller, refused) in callers.iter_mut().zip(&refused) {
                    if refused.is_some() {
                        *caller = None;
                    }
                }
                let rows: Vec<(usize, &$crate::store::NewCheckin, uuid::Uuid, &$crate::domain::UnitPath, &$crate::domain::Caller)> = jobs
                    .iter()
                    .enumerate()
                    .filter_map(|(j, job)| callers[j].as_ref().map(|caller| (j, job, caller)))
                    .flat_map(|(j, job, caller)| {
                        let homes = &homes;
                        job.rows.iter().map(move |(_, c)| {
                            let (household, path) = &homes[&c.resident_id];
                            (j, c, *household, path, caller)
                        })
                    })
                    .collect();
                let flagged: Vec<bool> = rows
                    .iter()
                    .map(|(_, c, ..)| $crate::domain::checkin::same_as_yesterday(&c.report, yesterday.get(&(c.resident_id, c.day)), c.seconds_to_fill))
                    .collect();
                // A statement may touch a row once: of two requests for the same person and day
                // in one group, the later one is written.
                let mut last: std::collections::HashMap<(uuid::Uuid, chrono::NaiveDate), usize> = std::collections::HashMap::new();
                for (i, (_, c, ..)) in rows.iter().enumerate() {
                    last.insert((c.resident_id, c.day), i);
                }
                let mut written: Vec<usize> = last.into_values().collect();
                written.sort();
                let mut answers: Vec<Vec<$crate::store::CheckedIn>> = jobs.iter().map(|job| Vec::with_capacity(job.rows.len())).collect();
                let mut places: Vec<Vec<&$crate::domain::UnitPath>> = jobs.iter().map(|_| Vec::new()).collect();
                for (i, (j, c, _, path, _)) in rows.iter().enumerate() {
                    answers[*j].push($crate::store::CheckedIn { resident_id: c.resident_id, day: c.day, same_as_yesterday: flagged[i] });
                    places[*j].push(path);
                }
                let accepted: Vec<(&$crate::domain::Caller, &Vec<$crate::store::CheckedIn>, &Vec<&$crate::domain::UnitPath>)> =
                    (0..jobs.len()).filter_map(|j| callers[j].as_ref().map(|caller| (caller, &answers[j], &places[j]))).filter(|(_, answer, _)| !answer.is_empty()).collect();
                if !written.is_empty() {
                    for chunk in written.chunks($crate::store::sql::CHUNK) {
                        let mut query = sqlx::QueryBuilder::new(
                            "INSERT INTO checkins (resident_id, day, household_id, unit_path, county_code, status, symptoms, location, place, at, via, actor, same_as_yesterday) ",
                        );
                        query.push_values(chunk, |mut row, i| {
                            let (_, c, household, path, caller) = rows[*i];
                            row.push_bind(c.resident_id)
                                .push_bind(c.day)
                                .push_bind(household)
                                .push_bind(path.as_str().to_string())
                                .push_bind(path.county_code().map(str::to_string))
                                .push_bind(c.report.status.clone())
                                .push_bind(serde_json::to_string(&c.report.symptoms).unwrap_or_else(|_| "[]".into()))
                                .push_bind(c.report.location.clone())
                                .push_bind(c.report.place.clone())
                                .push_bind(caller.now)
                                .push_bind(c.via.as_str())
                                .push_bind(caller.login.clone())
                                .push_bind(flagged[*i]);
                        });
                        query.push(
                            " ON CONFLICT (resident_id, day) DO UPDATE SET status = excluded.status, symptoms = excluded.symptoms, location = excluded.location, \
                             place = excluded.place, at = excluded.at, via = excluded.via, actor = excluded.actor, same_as_yesterday = excluded.same_as_yesterday",
                        );
                        query.build().execute(&mut *tx).await?;
                    }
                    let mut audit = sqlx::QueryBuilder::new("INSERT INTO audit_log (at, actor, action, entity, entity_id, unit_path, detail) ");
                    audit.push_values(accepted, |mut row, (caller, answer, places)| {
                        let residents: Vec<String> = answer.iter().take(100).map(|a| a.resident_id.to_string()).collect();
                        let at = $crate::domain::UnitPath::common(places.iter().copied());
                        row.push_bind(caller.now)
                            .push_bind(caller.login.clone())
                            .push_bind("create")
                            .push_bind("checkins")
                            .push_bind(answer.len().to_string())
                            .push_bind(at.as_str().to_string())
                            .push_bind(serde_json::json!({"count": answer.len(), "residents": residents}).to_string());
                    });
                    audit.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok(answers
                    .into_iter()
                    .zip(refused)
                    .map(|(answer, refused)| match refused {
                        Some(err) => Err(err),
                        None => Ok(answer),
                    })
                    .collect())
            }

            /// Who each job is for: its caller, or the account of its session (one look-up for
            /// the group) if that session is current and its account may report check-ins.
            async fn callers(
                tx: &mut $crate::store::sql::Tx<$store>,
                jobs: &[$crate::store::checkins::CheckinJob],
            ) -> $crate::store::StoreResult<Vec<$crate::store::StoreResult<$crate::domain::Caller>>> {
                use $crate::store::Principal;
                let mut tokens: Vec<&str> = jobs.iter().filter_map(|job| if let Principal::Session { token, .. } = &job.who { Some(token.as_str()) } else { None }).collect();
                tokens.sort();
                tokens.dedup();
                let mut sessions: std::collections::HashMap<String, (chrono::DateTime<chrono::Utc>, $crate::store::Account)> = std::collections::HashMap::new();
                for chunk in tokens.chunks($crate::store::sql::CHUNK) {
                    let mut query = sqlx::QueryBuilder::new(format!("SELECT {} WHERE s.token IN (", $crate::store::accounts::SESSION_ACCOUNT));
                    let mut list = query.separated(", ");
                    for token in chunk {
                        list.push_bind(token.to_string());
                    }
                    query.push(")");
                    use sqlx::{FromRow, Row};
                    for row in query.build().fetch_all(&mut **tx).await? {
                        let account = $crate::store::accounts::AccountRow::from_row(&row)?.into_account()?;
                        sessions.insert(row.try_get("token")?, (row.try_get("expires_at")?, account));
                    }
                }
                Ok(jobs
                    .iter()
                    .map(|job| match &job.who {
                        Principal::Caller(caller) => Ok(caller.clone()),
                        Principal::Session { token, now } => {
                            let (_, account) = sessions.get(token).filter(|(expires_at, _)| expires_at > now).ok_or($crate::store::StoreError::NoSession)?;
                            let caller = account.caller(*now);
                            $crate::domain::checkin::may_report(&caller)?;
                            Ok(caller)
                        }
                    })
                    .collect())
            }

            /// The reports of the day before each check-in's day, by (resident, that day).
            async fn reports_before(
                tx: &mut $crate::store::sql::Tx<$store>,
                checkins: &[&$crate::store::NewCheckin],
            ) -> $crate::store::StoreResult<std::collections::HashMap<(uuid::Uuid, chrono::NaiveDate), $crate::domain::checkin::Report>> {
                let wanted: std::collections::HashSet<(uuid::Uuid, chrono::NaiveDate)> = checkins.iter().map(|c| (c.resident_id, c.day)).collect();
                let mut found = std::collections::HashMap::new();
                let ids: Vec<uuid::Uuid> = wanted.iter().map(|(id, _)| *id).collect();
                let mut rows: Vec<(uuid::Uuid, chrono::NaiveDate, String, String, String, Option<String>)> = Vec::new();
                for chunk in ids.chunks($crate::store::sql::CHUNK) {
                    let mut query = sqlx::QueryBuilder::new("SELECT resident_id, day, status, symptoms, location, place FROM checkins WHERE resident_id IN (");
                    let mut list = query.separated(", ");
                    for id in chunk {
                        list.push_bind(*id);
                    }
                    query.push(")");
                    rows.extend(query.build_query_as::<(uuid::Uuid, chrono::NaiveDate, String, String, String, Option<String>)>().fetch_all(&mut **tx).await?);
                }
                for (id, day, status, symptoms, location, place) in rows {
                    if let Some(next) = day.succ_opt().filter(|next| wanted.contains(&(id, *next))) {
                        let report = $crate::domain::checkin::Report { status, symptoms: serde_json::from_str(&symptoms).unwrap_or_default(), location, place };
                        found.insert((id, next), report);
                    }
                }
                Ok(found)
            }
        }
    };
}
pub(crate) use impl_checkins;
