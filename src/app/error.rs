use crate::domain::DomainError;
use crate::domain::table::RowError;
use crate::store::StoreError;

/// What can go wrong in an operation, in terms a person can act on.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("login or password is wrong")]
    BadCredentials,
    /// Too many failed logins for the login or the client's address: wait this many seconds.
    #[error("too many failed attempts; retry after {retry_after} s")]
    TooManyAttempts { retry_after: u64 },
    #[error("not logged in, or the session has ended")]
    Unauthenticated,
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("already exists: {0}")]
    Conflict(&'static str),
    #[error("{} problems in the file", .0.len())]
    Rows(Vec<RowError>),
    #[error("{0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> AppError {
        match err {
            StoreError::NotFound => AppError::NotFound,
            StoreError::NoSession => AppError::Unauthenticated,
            StoreError::Conflict(what) => AppError::Conflict(what),
            StoreError::Rows(rows) => AppError::Rows(rows),
            StoreError::Domain(err) => AppError::Domain(err),
            other => AppError::Internal(other.to_string()),
        }
    }
}
