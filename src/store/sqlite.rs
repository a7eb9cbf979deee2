//! SQLite, the embedded default: one file in WAL mode, migrated at open.

use std::str::FromStr;
use std::time::Duration;

use sqlx::Sqlite;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::{StoreResult, UnitStore};
use super::sql::{SqlStore, impl_store};

pub type SqliteStore = SqlStore<Sqlite>;

pub async fn open(path: &str) -> StoreResult<SqliteStore> {
    let options = SqliteConnectOptions::from_str(&format!("sqlite:{path}"))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // FULL syncs the WAL at every commit: an acknowledged write survives power loss too.
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(30))
        .pragma("cache_size", "-65536")
        .pragma("temp_store", "memory");
    let writer = SqlitePoolOptions::new().max_connections(1).connect_with(options.clone()).await?;
    sqlx::migrate!("migrations/sqlite").run(&writer).await?;
    let reader = SqlitePoolOptions::new()
        .max_connections(std::thread::available_parallelism().map_or(4, |n| n.get().max(2) * 2) as u32)
        .connect_with(options.read_only(true))
        .await?;
    Ok(SqlStore { reader, writer })
}

impl_store!(SqliteStore);
