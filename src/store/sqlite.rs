//! SQLite, the embedded default: one file in WAL mode, migrated at open.

use std::str::FromStr;
use std::time::Duration;

use sqlx::{ConnectOptions, Sqlite};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::{CheckpointStore, StoreResult, UnitStore};
use super::sql::{AbortOnDrop, Dialect, SqlStore, impl_store};

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
        .pragma("cache_size", "-65536")
        .pragma("temp_store", "memory")
        // After a checkpoint has caught up, the WAL file is cut back to 64 MB.
        .pragma("journal_size_limit", "67108864");
    // The writer may cache up to 2 GB: a Tongliao-scale import touches about that many pages in
    // one transaction, and a smaller cache would spill them to the WAL before the commit.
    // SQLite allocates the cache as it is used, and `AFTER_BULK` gives it back.
    // The writer never checkpoints: a commit pays only for its own WAL frames, and the
    // checkpointer below copies them into the database file beside it.
    let writer_options = options.clone().pragma("cache_size", "-2097152").pragma("wal_autocheckpoint", "0");
    let writer = pool(1).connect_with(writer_options).await?;
    sqlx::migrate!("migrations/sqlite").run(&writer).await?;
    // A checkpoint after a large import takes seconds by nature: not a slow statement to warn of.
    let checkpointer = pool(1).connect_with(options.clone().disable_statement_logging()).await?;
    let background = tokio::spawn(checkpoint_forever(checkpointer));
    let reader = pool(std::thread::available_parallelism().map_or(4, |n| n.get().max(2) * 2) as u32)
        .connect_with(options.read_only(true))
        .await?;
    Ok(SqlStore::new(reader, writer, vec![AbortOnDrop(background.abort_handle())]))
}

/// A pool of connections to the file. A connection to an embedded database cannot drop, so
/// none is pinged before use (a round trip to its thread on every query), and none is closed
/// for age or idleness (each keeps a warm page cache).
fn pool(connections: u32) -> SqlitePoolOptions {
    SqlitePoolOptions::new().max_connections(connections).test_before_acquire(false).idle_timeout(None).max_lifetime(None)
}

/// Copies committed WAL frames into the database file every second. PASSIVE never waits for
/// readers or the writer, so neither waits for it; committed data is durable in the WAL
/// before it runs, so stopping it at any moment loses nothing.
async fn checkpoint_forever(pool: sqlx::SqlitePool) {
    loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        if let Err(err) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await {
            tracing::warn!(%err, "WAL checkpoint failed; will try again");
        }
    }
}

impl Dialect for SqliteStore {
    // jsonb_each hands each element over as JSONB, which `->>` reads without parsing text.
    const JSON_ROWS: &'static str = "jsonb_each($1) AS j";
    /// Frees the writer's page cache.
    const AFTER_BULK: Option<&'static str> = Some("PRAGMA shrink_memory");

    /// sqlx stores a UUID in SQLite as its 16 bytes.
    fn uuid(expr: &str) -> String {
        format!("unhex({expr})")
    }

    fn date(expr: &str) -> String {
        expr.to_string()
    }
}

impl_store!(SqliteStore);
