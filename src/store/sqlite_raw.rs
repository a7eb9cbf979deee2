//! Statements run straight on SQLite's C interface, for the write paths whose speed rests on
//! it: the group committers (`sqlite_committer`, with `checkins_sqlite` and `passages_sqlite`). sqlx runs each SQLite connection
//! on a thread of its own, and every statement is a round trip to that thread; under load on
//! two cores each trip waits about half a millisecond to be scheduled, and a group made
//! six. `SqliteConnection::lock_handle` takes the connection from its thread in one trip;
//! the whole group then runs here, on the caller's thread.
//!
//! Values are stored exactly as sqlx stores them (UUIDs as 16 bytes, dates as `YYYY-MM-DD`,
//! times as RFC 3339 text, booleans as 0 and 1), so either side reads what the other wrote.
//!
//! The one module allowed `unsafe` (Cargo.toml denies it everywhere else).
#![allow(unsafe_code)]

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ffi::{CStr, c_int};
use std::marker::PhantomData;
use std::ptr::{self, NonNull};

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use libsqlite3_sys as ffi;
use sqlx::sqlite::LockedSqliteHandle;
use uuid::Uuid;

use super::{StoreError, StoreResult};

/// A value bound to a statement's parameter.
pub(crate) enum Value<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

impl<'a> Value<'a> {
    pub fn uuid(id: &'a Uuid) -> Value<'a> {
        Value::Blob(id.as_bytes())
    }

    pub fn opt_text(text: Option<&'a str>) -> Value<'a> {
        text.map_or(Value::Null, Value::Text)
    }

    pub fn opt_uuid(id: Option<&'a Uuid>) -> Value<'a> {
        id.map_or(Value::Null, Value::uuid)
    }

    pub fn opt_real(number: Option<f64>) -> Value<'a> {
        number.map_or(Value::Null, Value::Real)
    }
}

/// A date as sqlx writes it.
pub(crate) fn date_text(day: NaiveDate) -> String {
    use chrono::Datelike;
    // Not chrono's `format("%F")`, which reads its pattern on every call (a group writes a
    // date or two a row). Years of four digits, as every window allows (1900–2200).
    match day.year() {
        year @ 0..=9999 => format!("{year:04}-{:02}-{:02}", day.month(), day.day()),
        _ => day.format("%F").to_string(),
    }
}

/// A time as sqlx writes it.
pub(crate) fn time_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// A connection taken from its sqlx thread for as long as this borrow lasts.
pub(crate) struct Connection<'h> {
    db: NonNull<ffi::sqlite3>,
    /// Where statements are kept prepared after use, if anywhere; else each is finalised.
    kept: Option<&'h KeptStatements>,
    _handle: PhantomData<&'h mut ()>,
}

impl<'h> Connection<'h> {
    pub fn new(handle: &'h mut LockedSqliteHandle<'_>) -> Connection<'h> {
        Connection { db: handle.as_raw_handle(), kept: None, _handle: PhantomData }
    }

    /// The connection, with its statements kept prepared in `kept` from one borrow to the
    /// next (see `KeptStatements`).
    pub fn keeping(handle: &'h mut LockedSqliteHandle<'_>, kept: &'h KeptStatements) -> Connection<'h> {
        let db = handle.as_raw_handle();
        kept.attach(db);
        Connection { db, kept: Some(kept), _handle: PhantomData }
    }

    /// Runs SQL without parameters or rows (`BEGIN`, `COMMIT`).
    pub fn execute(&self, sql: &str) -> StoreResult<()> {
        let mut statement = self.prepare(sql)?;
        statement.run(&[])
    }

    pub fn prepare(&self, sql: &str) -> StoreResult<Statement<'_>> {
        if let Some(raw) = self.kept.and_then(|kept| kept.take(sql)) {
            return Ok(Statement { raw, connection: self });
        }
        let mut raw = ptr::null_mut();
        let length = c_int::try_from(sql.len()).map_err(|_| StoreError::Engine("statement too long".into()))?;
        // SAFETY: `db` is an open connection held by this borrow; the text pointer and length
        // describe `sql`, which SQLite reads only during the call.
        let code = unsafe { ffi::sqlite3_prepare_v2(self.db.as_ptr(), sql.as_ptr().cast(), length, &mut raw, ptr::null_mut()) };
        self.check(code)?;
        let raw = NonNull::new(raw).ok_or_else(|| StoreError::Engine(format!("empty statement: {sql}")))?;
        Ok(Statement { raw, connection: self })
    }

    /// The write-ahead log of the main database, when it is in WAL mode and kept in a file.
    pub fn wal_path(&self) -> StoreResult<Option<std::path::PathBuf>> {
        let mut wal_mode = false;
        self.prepare("PRAGMA journal_mode")?.query(&[], |row| {
            wal_mode = row.text(0)?.is_some_and(|mode| mode.eq_ignore_ascii_case("wal"));
            Ok(())
        })?;
        if !wal_mode {
            return Ok(None);
        }
        // SAFETY: `db` is an open connection held by this borrow. SQLite returns the names of
        // the database file and of its WAL as NUL-terminated text that lives as long as the
        // connection; both are copied at once. An in-memory database's name is empty.
        unsafe {
            let database = ffi::sqlite3_db_filename(self.db.as_ptr(), c"main".as_ptr());
            if database.is_null() || *database == 0 {
                return Ok(None);
            }
            let wal = ffi::sqlite3_filename_wal(database);
            if wal.is_null() {
                return Ok(None);
            }
            // A name that is not UTF-8 is left alone: the log is then synced by SQLite itself.
            Ok(CStr::from_ptr(wal).to_str().ok().map(std::path::PathBuf::from))
        }
    }

    /// Whether a transaction is open.
    pub fn in_transaction(&self) -> bool {
        // SAFETY: `db` is an open connection held by this borrow.
        unsafe { ffi::sqlite3_get_autocommit(self.db.as_ptr()) == 0 }
    }

    /// The SQL of every statement prepared on the connection, by whomever.
    #[cfg(test)]
    pub fn statements(&self) -> Vec<String> {
        let mut all = Vec::new();
        // SAFETY: `db` is an open connection held by this borrow; each statement's text lives
        // until it is finalised, and is copied at once.
        unsafe {
            let mut next = ffi::sqlite3_next_stmt(self.db.as_ptr(), ptr::null_mut());
            while !next.is_null() {
                all.push(CStr::from_ptr(ffi::sqlite3_sql(next)).to_string_lossy().into_owned());
                next = ffi::sqlite3_next_stmt(self.db.as_ptr(), next);
            }
        }
        all
    }

    fn check(&self, code: c_int) -> StoreResult<()> {
        if code == ffi::SQLITE_OK || code == ffi::SQLITE_ROW || code == ffi::SQLITE_DONE {
            return Ok(());
        }
        // SAFETY: SQLite returns a NUL-terminated message that lives until the next call on
        // this connection; it is copied at once.
        let message = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(self.db.as_ptr())) }.to_string_lossy().into_owned();
        Err(StoreError::Engine(format!("SQLite error {code}: {message}")))
    }
}

/// A prepared statement, finalised when dropped.
pub(crate) struct Statement<'c> {
    raw: NonNull<ffi::sqlite3_stmt>,
    connection: &'c Connection<'c>,
}

impl Statement<'_> {
    /// Runs the statement once with `params`, to the end.
    pub fn run(&mut self, params: &[Value]) -> StoreResult<()> {
        self.query(params, |_| Ok(()))
    }

    /// Runs the statement once with `params`, handing each row to `each`.
    pub fn query(&mut self, params: &[Value], mut each: impl FnMut(&Row) -> StoreResult<()>) -> StoreResult<()> {
        let result = self.bind(params).and_then(|()| {
            loop {
                // SAFETY: the statement is live and its parameters bound.
                let code = unsafe { ffi::sqlite3_step(self.raw.as_ptr()) };
                match code {
                    ffi::SQLITE_ROW => each(&Row { raw: self.raw, _statement: PhantomData })?,
                    ffi::SQLITE_DONE => break Ok(()),
                    _ => break self.connection.check(code),
                }
            }
        });
        // SAFETY: the statement is live; resetting makes it ready for the next run, and
        // clearing its values lets go of the borrowed ones `bind` handed over.
        unsafe {
            ffi::sqlite3_reset(self.raw.as_ptr());
            ffi::sqlite3_clear_bindings(self.raw.as_ptr());
        }
        result
    }

    fn bind(&mut self, params: &[Value]) -> StoreResult<()> {
        for (i, value) in params.iter().enumerate() {
            let (stmt, i) = (self.raw.as_ptr(), c_int::try_from(i + 1).expect("few parameters"));
            // SAFETY: the statement is live. SQLITE_STATIC lends SQLite the text and blobs
            // without a copy: `query` borrows them for its whole run, and clears the statement's
            // values after its last step and reset, so SQLite never reads them after.
            let code = unsafe {
                match value {
                    Value::Null => ffi::sqlite3_bind_null(stmt, i),
                    Value::Int(n) => ffi::sqlite3_bind_int64(stmt, i, *n),
                    Value::Real(x) => ffi::sqlite3_bind_double(stmt, i, *x),
                    Value::Text(text) => {
                        ffi::sqlite3_bind_text64(stmt, i, text.as_ptr().cast(), text.len() as u64, ffi::SQLITE_STATIC(), ffi::SQLITE_UTF8 as u8)
                    }
                    Value::Blob(bytes) => ffi::sqlite3_bind_blob64(stmt, i, bytes.as_ptr().cast(), bytes.len() as u64, ffi::SQLITE_STATIC()),
                }
            };
            self.connection.check(code)?;
        }
        Ok(())
    }
}

impl Drop for Statement<'_> {
    fn drop(&mut self) {
        match self.connection.kept {
            // Reset and cleared after each run (`query`): kept as it is.
            Some(kept) => kept.put(self.raw),
            // SAFETY: the statement is live and finalised once, here.
            None => unsafe {
                ffi::sqlite3_finalize(self.raw.as_ptr());
            },
        }
    }
}

/// Statements kept prepared on one connection between borrows of it, by their SQL.
///
/// The group committers run the same dozen statements on every turn, and preparing one costs
/// about 27,000 instructions: with one client, more than writing its row. Kept, each is
/// prepared once for the connection's life.
///
/// A connection cannot close while statements prepared on it live (sqlx panics on the error
/// `sqlite3_close` then returns), so the owner must call `finalise` on the connection before
/// it lets the connection go for good. A `KeptStatements` dropped with statements in it
/// leaves them unfinalised, with an error logged: finalising them then, without the
/// connection, could race its thread.
#[derive(Default)]
pub(crate) struct KeptStatements {
    db: Cell<Option<NonNull<ffi::sqlite3>>>,
    idle: RefCell<HashMap<String, NonNull<ffi::sqlite3_stmt>>>,
}

impl KeptStatements {
    /// Ties the kept statements to `db`. Statements kept for another connection are let go
    /// of, unfinalised: that connection is no longer the one handed over, and this thread may
    /// not touch it.
    fn attach(&self, db: NonNull<ffi::sqlite3>) {
        if self.db.replace(Some(db)).is_some_and(|before| before != db) {
            let lost = self.idle.borrow_mut().drain().count();
            tracing::error!(lost, "the writer's connection changed; its kept statements are left unfinalised");
        }
    }

    fn take(&self, sql: &str) -> Option<NonNull<ffi::sqlite3_stmt>> {
        self.idle.borrow_mut().remove(sql)
    }

    fn put(&self, raw: NonNull<ffi::sqlite3_stmt>) {
        // SAFETY: the statement is live; SQLite keeps its text until it is finalised, and the
        // text is copied at once.
        let sql = unsafe { CStr::from_ptr(ffi::sqlite3_sql(raw.as_ptr())) }.to_string_lossy().into_owned();
        if let Some(twin) = self.idle.borrow_mut().insert(sql, raw) {
            // Two of the same statement were live at once: one is enough to keep.
            // SAFETY: the twin is live, idle (so no one else holds it) and finalised once, here.
            unsafe {
                ffi::sqlite3_finalize(twin.as_ptr());
            }
        }
    }

    /// Finalises every kept statement, on the connection they were prepared on.
    pub fn finalise(&self, on: &Connection) {
        if self.db.get() != Some(on.db) {
            return;
        }
        for (_, raw) in self.idle.borrow_mut().drain() {
            // SAFETY: the statement is live, idle, and its connection is held by `on`.
            unsafe {
                ffi::sqlite3_finalize(raw.as_ptr());
            }
        }
    }
}

impl Drop for KeptStatements {
    fn drop(&mut self) {
        let left = self.idle.get_mut().len();
        if left > 0 {
            tracing::error!(left, "kept statements were not finalised; their connection cannot close");
        }
    }
}

/// The current row of a statement being stepped.
pub(crate) struct Row<'s> {
    raw: NonNull<ffi::sqlite3_stmt>,
    _statement: PhantomData<&'s ()>,
}

impl Row<'_> {
    fn bytes(&self, column: usize) -> Option<&[u8]> {
        let (stmt, column) = (self.raw.as_ptr(), c_int::try_from(column).expect("few columns"));
        // SAFETY: the statement is on a row; the pointer SQLite returns is valid, for the
        // length it reports, until the statement steps again, which this borrow prevents.
        unsafe {
            if ffi::sqlite3_column_type(stmt, column) == ffi::SQLITE_NULL {
                return None;
            }
            let data = ffi::sqlite3_column_blob(stmt, column);
            let length = usize::try_from(ffi::sqlite3_column_bytes(stmt, column)).unwrap_or(0);
            Some(if data.is_null() || length == 0 { &[] } else { std::slice::from_raw_parts(data.cast(), length) })
        }
    }

    pub fn text(&self, column: usize) -> StoreResult<Option<String>> {
        self.bytes(column).map(|bytes| String::from_utf8(bytes.to_vec()).map_err(|_| StoreError::Engine(format!("column {column} is not UTF-8")))).transpose()
    }

    pub fn required_text(&self, column: usize) -> StoreResult<String> {
        self.text(column)?.ok_or_else(|| StoreError::Engine(format!("column {column} is NULL")))
    }

    /// A whole-number column; `None` for NULL.
    pub fn int(&self, column: usize) -> Option<i64> {
        let (stmt, column) = (self.raw.as_ptr(), c_int::try_from(column).expect("few columns"));
        // SAFETY: the statement is on a row, which this borrow keeps it on.
        unsafe { (ffi::sqlite3_column_type(stmt, column) != ffi::SQLITE_NULL).then(|| ffi::sqlite3_column_int64(stmt, column)) }
    }

    /// A number column; `None` for NULL.
    pub fn real(&self, column: usize) -> Option<f64> {
        let (stmt, column) = (self.raw.as_ptr(), c_int::try_from(column).expect("few columns"));
        // SAFETY: the statement is on a row, which this borrow keeps it on.
        unsafe { (ffi::sqlite3_column_type(stmt, column) != ffi::SQLITE_NULL).then(|| ffi::sqlite3_column_double(stmt, column)) }
    }

    /// A UUID column that may be NULL.
    pub fn opt_uuid(&self, column: usize) -> StoreResult<Option<Uuid>> {
        self.bytes(column).map(|bytes| Uuid::from_slice(bytes).map_err(|_| StoreError::Engine(format!("column {column} is not a UUID")))).transpose()
    }

    pub fn uuid(&self, column: usize) -> StoreResult<Uuid> {
        self.bytes(column).and_then(|bytes| Uuid::from_slice(bytes).ok()).ok_or_else(|| StoreError::Engine(format!("column {column} is not a UUID")))
    }

    pub fn time(&self, column: usize) -> StoreResult<DateTime<Utc>> {
        let text = self.required_text(column)?;
        DateTime::parse_from_rfc3339(&text).map(|at| at.with_timezone(&Utc)).map_err(|_| StoreError::Engine(format!("column {column} is not a time: {text}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn memory() -> sqlx::SqlitePool {
        sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect("sqlite::memory:").await.unwrap()
    }

    /// What this module writes, sqlx must read back as the same value, and the reverse:
    /// the rest of the store reads check-ins with sqlx and compares dates and times as text.
    #[tokio::test]
    async fn values_are_written_as_sqlx_writes_them() {
        let pool = memory().await;
        let at: DateTime<Utc> = "2020-02-01T09:30:15.250Z".parse().unwrap();
        let day = NaiveDate::from_ymd_opt(2020, 2, 1).unwrap();
        let id = Uuid::now_v7();
        let (time, date, bytes): (String, String, Vec<u8>) = sqlx::query_as("SELECT $1, $2, $3").bind(at).bind(day).bind(id).fetch_one(&pool).await.unwrap();
        assert_eq!(time, time_text(at));
        assert_eq!(date, date_text(day));
        for (y, m, d) in [(1900, 1, 1), (2200, 12, 31), (999, 5, 6), (2020, 10, 9)] {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(date_text(day), day.format("%F").to_string());
        }
        assert_eq!(bytes, id.as_bytes());

        let mut connection = pool.acquire().await.unwrap();
        let mut handle = connection.lock_handle().await.unwrap();
        let db = Connection::new(&mut handle);
        let mut read = None;
        db.prepare("SELECT ?1, ?2, ?3, ?4, ?5")
            .unwrap()
            .query(&[Value::uuid(&id), Value::Text(&time_text(at)), Value::Real(37.3), Value::opt_real(None), Value::opt_uuid(None)], |row| {
                read = Some((row.uuid(0)?, row.time(1)?, row.real(2), row.real(3), row.opt_uuid(4)?, row.opt_uuid(0)?));
                Ok(())
            })
            .unwrap();
        assert_eq!(read, Some((id, at, Some(37.3), None, None, Some(id))));
    }

    /// A failed statement names SQLite's error, and the caller can roll back what its
    /// transaction had written.
    #[tokio::test]
    async fn a_failed_statement_is_an_error_and_rolls_back() {
        let pool = memory().await;
        sqlx::query("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)").execute(&pool).await.unwrap();
        {
            let mut connection = pool.acquire().await.unwrap();
            let mut handle = connection.lock_handle().await.unwrap();
            let db = Connection::new(&mut handle);
            db.execute("BEGIN IMMEDIATE").unwrap();
            assert!(db.in_transaction());
            let mut insert = db.prepare("INSERT INTO t (k, v) VALUES (?1, ?2)").unwrap();
            insert.run(&[Value::Int(1), Value::Text("one")]).unwrap();
            let err = insert.run(&[Value::Int(2), Value::Null]).unwrap_err();
            assert!(err.to_string().contains("NOT NULL constraint failed: t.v"), "{err}");
            drop(insert);
            db.execute("ROLLBACK").unwrap();
            assert!(!db.in_transaction());
            assert!(db.prepare("SELEC 1").is_err());
        }
        // The connection went back to sqlx unharmed, and nothing was written.
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM t").fetch_one(&pool).await.unwrap();
        assert_eq!(count, 0);
    }
}
