//! PostgreSQL, for a region that outgrows one machine. The web tier keeps no state, so
//! several servers may share one primary.

use std::str::FromStr;

use sqlx::Postgres;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use super::StoreResult;
use super::sql::{Dialect, GroupWrite, Job, SqlStore};

pub type PgStore = SqlStore<Postgres>;

pub async fn open(url: &str) -> StoreResult<PgStore> {
    let options = PgConnectOptions::from_str(url)?;
    let pool = PgPoolOptions::new().max_connections(16).connect_with(options).await?;
    sqlx::migrate!("migrations/postgres").run(&pool).await?;
    Ok(SqlStore::new(pool.clone(), pool, Vec::new()))
}

impl Dialect for PgStore {
    const JSON_ROWS: &'static str = "jsonb_array_elements($1::jsonb) AS j(value)";
    /// Fresh statistics: without them the planner, which saw the tables empty, scans them.
    const AFTER_BULK: Option<&'static str> = Some("ANALYZE households, residents, unit_counts, colour_changes");
    const ONE_WRITER: bool = false;

    fn uuid(expr: &str) -> String {
        format!("({expr})::uuid")
    }

    fn date(expr: &str) -> String {
        format!("({expr})::date")
    }
}

/// A write transaction on PostgreSQL.
pub(crate) type PgTx = sqlx::Transaction<'static, Postgres>;

impl PgStore {
    /// Starts the committer of a kind of group write: `commit_in_groups` over `write_group`.
    pub(crate) fn start_committer<W: GroupWrite>(writer: sqlx::PgPool, queue: tokio::sync::mpsc::Receiver<W::Job>) {
        tokio::spawn(super::sql::commit_in_groups(queue, move |jobs| Box::pin(write_group::<W>(writer.clone(), jobs))));
    }
}

/// Writes a group of jobs in one transaction (see `GroupWrite`, `commit_in_groups`). It reads
/// what the group needs inside that transaction, so that, for check-ins, a session ended
/// before the commit writes nothing.
pub(crate) async fn write_group<W: GroupWrite>(writer: sqlx::PgPool, jobs: &[W::Job]) -> StoreResult<Vec<<W::Job as Job>::Answer>> {
    let mut tx = writer.begin().await?;
    let reads = W::read_postgres(&mut tx, jobs).await?;
    let plan = W::plan(jobs, &reads);
    W::write_postgres(&mut tx, &plan).await?;
    tx.commit().await?;
    Ok(W::answers(plan))
}

/// The backend the shared implementation in `backend/` is compiled for here.
pub(crate) type Db = Postgres;

#[path = "backend/mod.rs"]
#[allow(clippy::duplicate_mod, reason = "compiled once per backend, on purpose")]
pub(crate) mod backend;
