//! PostgreSQL, for a region that outgrows one machine. The web tier keeps no state, so
//! several servers may share one primary.

use std::str::FromStr;

use sqlx::Postgres;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use super::StoreResult;
use super::sql::{Dialect, GROUP_COMMIT, GroupWrite, Job, SqlStore, group_or_each_alone};

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
    const BEFORE_BULK: Option<&'static str> = None;
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
    /// Starts the committer of a kind of group write (`commit_in_groups`).
    pub(crate) fn start_committer<W: GroupWrite>(writer: sqlx::PgPool, queue: tokio::sync::mpsc::Receiver<W::Job>) {
        tokio::spawn(commit_in_groups::<W>(writer, queue));
    }
}

/// PostgreSQL's group committer: takes every job waiting, writes them in one transaction
/// (`write_group`), and only then answers each (see `group_or_each_alone`).
async fn commit_in_groups<W: GroupWrite>(writer: sqlx::PgPool, mut queue: tokio::sync::mpsc::Receiver<W::Job>) {
    let mut jobs = Vec::with_capacity(GROUP_COMMIT);
    while queue.recv_many(&mut jobs, GROUP_COMMIT).await > 0 {
        let answers = group_or_each_alone(&jobs, |group| write_group::<W>(&writer, group)).await;
        for (job, answer) in jobs.drain(..).zip(answers) {
            job.reply(answer);
        }
    }
}

/// Writes a group of jobs in one transaction (see `GroupWrite`). It reads what the group needs
/// inside that transaction, so that, for check-ins, a session ended before the commit writes
/// nothing, and for passages, an id is claimed with the passage it names.
async fn write_group<W: GroupWrite>(writer: &sqlx::PgPool, jobs: &[W::Job]) -> StoreResult<Vec<<W::Job as Job>::Answer>> {
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
