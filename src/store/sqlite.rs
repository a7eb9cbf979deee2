//! SQLite, the embedded default: one file in WAL mode, migrated at open.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Sqlite};

use super::StoreResult;
use super::sql::{AbortOnDrop, Dialect, SqlStore};

pub type SqliteStore = SqlStore<Sqlite>;

pub async fn open(path: &str) -> StoreResult<SqliteStore> {
    let options = SqliteConnectOptions::from_str(&format!("sqlite:{path}"))?
        .create_if_missing(true)
        // 16 KB pages (set when the file is created): shallower trees and a quarter of the WAL
        // frames of the default 4 KB; a Tongliao-scale import runs in 55 s instead of 74 s.
        .page_size(16384)
        .journal_mode(SqliteJournalMode::Wal)
        // FULL syncs the WAL at every commit: an acknowledged write survives power loss too.
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(30))
        .pragma("cache_size", "-16384")
        .pragma("temp_store", "memory")
        // When the log starts over, a file past 256 MB (after an import) is cut back to that.
        // Not less: under a steady stream of writes the log reaches a little over `LONG_LOG`
        // between checkpoints, and cutting the file back each time, and growing it again,
        // stalled writers for tens of milliseconds.
        .pragma("journal_size_limit", "268435456");
    // The writer caches 16 MB like the readers, and up to 2 GB during a bulk write only
    // (`BEFORE_BULK`, `AFTER_BULK`): a Tongliao-scale import touches about that many pages in
    // one transaction, and a smaller cache would spill them to the WAL before the commit, but a
    // day of a city's check-ins kept in it would hold that memory for good.
    // The writer does not checkpoint after its commits: a commit pays only for its own WAL
    // frames, and the checkpointer below copies them into the database file beside it.
    let writer_options = options.clone().pragma("wal_autocheckpoint", "0");
    let writer = pool(1).connect_with(writer_options).await?;
    let migrator = sqlx::migrate!("migrations/sqlite");
    mend_edited_0016(&writer, &migrator).await?;
    migrator.run(&writer).await?;
    // A checkpoint after a large import takes seconds by nature: not a slow statement to warn of.
    let checkpointer = pool(1).connect_with(options.clone().disable_statement_logging()).await?;
    let background = tokio::spawn(checkpoint_forever(checkpointer, writer.clone()));
    let reader = pool(std::thread::available_parallelism().map_or(4, |n| n.get().max(2) * 2) as u32).connect_with(options.read_only(true)).await?;
    Ok(SqlStore::new(reader, writer, vec![AbortOnDrop(background.abort_handle())]))
}

/// SQLite's migration 0016 was edited after it had landed (its triggers on insert and on a
/// change of status taken out), and databases made while the edit stood applied it so. 0016
/// is back as it landed, and 0018 drops those triggers; a database that applied the edited
/// file has the same schema after 0018, so its record of 0016 is set to the landed file's
/// checksum (the migrator refuses a database whose applied migrations differ from its files).
async fn mend_edited_0016(writer: &sqlx::SqlitePool, migrator: &sqlx::migrate::Migrator) -> Result<(), sqlx::Error> {
    /// SHA-384 of the edited file, as sqlx recorded it.
    const EDITED: &str = "c7188e8049e7b99839407b6de19e1bd44c423ce5ac62f0b7e0944ed5e09d6d8bc89c3e8d8e6c98e860240f7c26785427";
    let recorded: Option<(String,)> =
        sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'").fetch_optional(writer).await?;
    let Some(landed) = migrator.iter().find(|m| m.version == 16) else { return Ok(()) };
    if recorded.is_some() {
        let edited = hex::decode(EDITED).expect("a hex digest");
        sqlx::query("UPDATE _sqlx_migrations SET checksum = ?1 WHERE version = 16 AND checksum = ?2")
            .bind(landed.checksum.as_ref())
            .bind(edited)
            .execute(writer)
            .await?;
    }
    Ok(())
}

/// A pool of connections to the file. A connection to an embedded database cannot drop, so
/// none is pinged before use (a round trip to its thread on every query), and none is closed
/// for age or idleness (each keeps a warm page cache).
fn pool(connections: u32) -> SqlitePoolOptions {
    SqlitePoolOptions::new().max_connections(connections).test_before_acquire(false).idle_timeout(None).max_lifetime(None)
}

/// Copies committed WAL frames into the database file five times a second. PASSIVE never
/// waits for readers or the writer, so neither waits for it; committed data is durable in the
/// WAL before it runs, so stopping it at any moment loses nothing.
///
/// SQLite starts its log over only after a checkpoint has copied the last frame. Under a
/// steady stream of commits a passive checkpoint never gets there (commits land while it
/// copies), and the log would grow by every commit's frames for as long as the stream lasts
/// (2.4 GB in the passage benchmark's 20 seconds). So once the log passes `LONG_LOG`, the
/// checkpointer copies until little is left, then takes the writer's connection, which every
/// write waits its turn for, and copies the rest with no commit landing meanwhile: the next
/// commit starts the log over.
async fn checkpoint_forever(checkpointer: sqlx::SqlitePool, writer: sqlx::SqlitePool) {
    loop {
        tokio::time::sleep(Duration::from_millis(200)).await;
        if let Err(err) = checkpoint(&checkpointer, &writer, LONG_LOG).await {
            tracing::warn!(%err, "WAL checkpoint failed; will try again");
        }
    }
}

/// A log this many frames long (64 MB of 16 KB pages) is caught up with and started over.
const LONG_LOG: i64 = 4096;
/// Frames left to copy that writers may wait for (4 MB).
const SHORT_REST: i64 = 256;

/// Returns whether the log was caught up with: long, and copied to its last frame while the
/// writer waited. `false` also when another checkpoint was running (SQLite runs one at a time):
/// the next call tries again.
async fn checkpoint(checkpointer: &sqlx::SqlitePool, writer: &sqlx::SqlitePool, long_log: i64) -> Result<bool, sqlx::Error> {
    let (busy, mut log, mut copied) = passive_checkpoint(checkpointer).await?;
    if busy != 0 || log < long_log {
        return Ok(false);
    }
    // Each pass copies what landed during the one before; a few, while commits outpace it.
    for _ in 0..4 {
        if log - copied <= SHORT_REST {
            break;
        }
        (_, log, copied) = passive_checkpoint(checkpointer).await?;
    }
    let mut connection = writer.acquire().await?;
    let (busy, log, copied) = passive_checkpoint(&mut *connection).await?;
    Ok(busy == 0 && log == copied)
}

/// A passive checkpoint: (busy, frames in the log, frames copied). Busy is 1, and the counts
/// -1, when another checkpoint was running.
async fn passive_checkpoint<'e>(on: impl sqlx::SqliteExecutor<'e>) -> Result<(i64, i64, i64), sqlx::Error> {
    sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)").fetch_one(on).await
}

impl Dialect for SqliteStore {
    // jsonb_each hands each element over as JSONB, which `->>` reads without parsing text.
    const JSON_ROWS: &'static str = "jsonb_each($1) AS j";
    /// Frees the writer's page cache.
    const BEFORE_BULK: Option<&'static str> = Some("PRAGMA cache_size = -2097152");
    const AFTER_BULK: Option<&'static str> = Some("PRAGMA cache_size = -16384; PRAGMA shrink_memory");
    const ONE_WRITER: bool = true;

    /// sqlx stores a UUID in SQLite as its 16 bytes.
    fn uuid(expr: &str) -> String {
        format!("unhex({expr})")
    }

    fn date(expr: &str) -> String {
        expr.to_string()
    }
}

impl SqliteStore {
    /// Starts the committer of a kind of group write: its writer and syncer threads (see
    /// `sqlite_committer`).
    pub(crate) fn start_committer<W: super::sql::GroupWrite>(writer: sqlx::SqlitePool, queue: tokio::sync::mpsc::Receiver<W::Job>) {
        super::sqlite_committer::start::<W>(writer, queue);
    }
}

/// The backend the shared implementation in `backend/` is compiled for here.
pub(crate) type Db = Sqlite;

#[path = "backend/mod.rs"]
#[allow(clippy::duplicate_mod, reason = "compiled once per backend, on purpose")]
pub(crate) mod backend;

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::*;

    /// Frames in the log now, as a passive checkpoint reports them (asked again while the
    /// store's own checkpointer is running one).
    async fn frames(pool: &sqlx::SqlitePool) -> i64 {
        loop {
            let (busy, log, _) = passive_checkpoint(pool).await.unwrap();
            if busy == 0 {
                return log;
            }
        }
    }

    /// A database that applied 0016 as it was wrongly edited opens, and ends with the schema of
    /// one that applied it as it landed: the writer's counts, no insert or status trigger.
    #[tokio::test]
    async fn a_database_made_with_the_edited_0016_opens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("test.db").display().to_string();
        let store = open(&path).await.unwrap();
        // As the edited file left it: its checksum recorded, the two triggers never made.
        let edited = include_bytes!("../../tests/data/0016_checkin_counts_as_edited.sql");
        use sha2::Digest;
        sqlx::query("UPDATE _sqlx_migrations SET checksum = ?1 WHERE version = 16")
            .bind(sha2::Sha384::digest(edited).to_vec())
            .execute(&store.writer)
            .await
            .unwrap();
        drop(store);
        let store = open(&path).await.expect("opens");
        let triggers: Vec<(String,)> = sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'checkins' ORDER BY name")
            .fetch_all(&store.writer)
            .await
            .unwrap();
        assert_eq!(triggers, [("checkins_count_delete".to_string(),)]);
    }

    /// While writes stream in without a pause, the log still starts over once it is long: it
    /// does not grow for as long as the stream lasts.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_long_log_starts_over_under_a_stream_of_writes() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(&dir.path().join("test.db").display().to_string()).await.unwrap();
        let checkpointer = pool(1).connect(&format!("sqlite:{}", dir.path().join("test.db").display())).await.unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let stream = {
            let (writer, stop) = (store.writer.clone(), stop.clone());
            tokio::spawn(async move {
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    sqlx::query("INSERT INTO audit_log (at, actor, action, entity, entity_id, unit_path, detail) VALUES ('2020-02-01T00:00:00Z', 'test', 'create', 'probe', $1, '/15/', '{}')")
                        .bind(n.to_string())
                        .execute(&writer)
                        .await
                        .unwrap();
                    n += 1;
                }
            })
        };
        // The length seen past 400 frames (read again, the log may already have started over
        // behind the store's own checkpointer).
        let long = loop {
            let seen = frames(&checkpointer).await;
            if seen >= 400 {
                break seen;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        };
        // A catch-up can miss: the store's own checkpointer may be running one (SQLite runs
        // one at a time), or be looking at the log just when the next commit would start it
        // over. So a few tries, each a catch-up and the log's length over the commits after it.
        let (mut caught_up, mut shortest) = (0, i64::MAX);
        for _ in 0..20 {
            if !checkpoint(&checkpointer, &store.writer, 300).await.unwrap() {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
            caught_up += 1;
            // The next commits land on a log begun anew: it is shorter than before, if only
            // for a moment (it grows by a frame a commit).
            for _ in 0..10 {
                shortest = shortest.min(frames(&checkpointer).await);
            }
            if shortest < long {
                break;
            }
        }
        stop.store(true, Ordering::Relaxed);
        stream.await.unwrap();
        assert!(caught_up > 0, "the log was never caught up with");
        assert!(shortest < long, "the log went on from {long} frames, never shorter than {shortest} after {caught_up} catch-ups");
    }
}
