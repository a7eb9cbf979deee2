use crate::domain::DomainError;
use crate::domain::table::RowError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("no such session, or it has ended")]
    NoSession,
    #[error("already exists: {0}")]
    Conflict(&'static str),
    #[error("{} rows rejected", .0.len())]
    Rows(Vec<RowError>),
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The database holds a word this program never writes: a read fails rather than guess.
    #[error(transparent)]
    Stored(#[from] crate::domain::UnknownWord),
    #[error("unsupported database URL {0:?}: use sqlite:PATH or postgres://…")]
    BadUrl(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// An error from SQLite's C interface, used directly on the group committers' write paths.
    #[error("database: {0}")]
    Engine(String),
    #[error("the database writer has stopped")]
    WriterStopped,
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A new resident's ID number is registered in a household the caller does not hold:
    /// `held_elsewhere` tells the HQ over both places, and the caller only that it cannot be.
    #[error("the ID number is registered outside the caller's subtree")]
    HeldElsewhere { household: uuid::Uuid, path: crate::domain::UnitPath, wanted: crate::domain::UnitPath, id_number: String },
}

impl StoreError {
    /// Maps a unique-constraint violation to `Conflict(what)`, leaving other errors alone.
    pub(crate) fn unique(err: sqlx::Error, what: &'static str) -> StoreError {
        match &err {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(what),
            _ => StoreError::Database(err),
        }
    }
}
