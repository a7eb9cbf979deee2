//! The store both backends share: a pool for reads and one for writes. SQLite allows one
//! writer at a time, so its write pool holds a single connection and writes queue in the
//! pool rather than failing with SQLITE_BUSY; PostgreSQL uses one pool for both.

use sqlx::{Database, Pool};

pub struct SqlStore<DB: Database> {
    pub(crate) reader: Pool<DB>,
    pub(crate) writer: Pool<DB>,
    /// Background work of the backend (SQLite's checkpointer), stopped with the store.
    pub(crate) _background: Vec<AbortOnDrop>,
    /// The queues of writes waiting for their group committer, each started on first use.
    pub(crate) passages: tokio::sync::OnceCell<tokio::sync::mpsc::Sender<super::passages::PassageJob>>,
    pub(crate) checkins: tokio::sync::OnceCell<tokio::sync::mpsc::Sender<super::checkins::CheckinJob>>,
}

impl<DB: Database> SqlStore<DB> {
    pub(crate) fn new(reader: Pool<DB>, writer: Pool<DB>, background: Vec<AbortOnDrop>) -> SqlStore<DB> {
        SqlStore { reader, writer, _background: background, passages: tokio::sync::OnceCell::new(), checkins: tokio::sync::OnceCell::new() }
    }
}

/// The most writes one group commit takes: enough to absorb a burst, few enough that the
/// first in the batch does not wait long for the last.
pub(crate) const GROUP_COMMIT: usize = 128;

/// A write waiting for a group committer, and the channel its answer goes back on.
pub(crate) trait Job: Send + 'static {
    type Answer: Send;
    fn reply(self, answer: super::StoreResult<Self::Answer>);
}

/// A kind of group write: what a group of its jobs must read, what it writes (planned once,
/// from the jobs and what was read, for both backends), and the reads and writes on each
/// backend. The group committers run any of them: on SQLite the writer and syncer threads
/// (`sqlite_committer::start`, on SQLite's C interface), on PostgreSQL
/// `postgres::commit_in_groups`. Each runs a group as: begin, `read_…`, `plan`, `write_…`,
/// commit, `answers`; a failed group rolls back and is written again a job at a time
/// (`group_or_each_alone`). Check-ins (`checkins::Checkins`) and passages
/// (`passages::Passages`) are the two; a new high-rate write plugs in with one type
/// implementing this.
pub(crate) trait GroupWrite: 'static {
    type Job: Job + Sync;
    /// What a group must read before it can be planned.
    type Reads: Send + Sync;
    /// What a group writes and answers, worked out from its jobs and reads.
    type Plan<'a>: Send + Sync;
    /// The statements of a group on SQLite's C interface, prepared once for a writer's turn.
    type Statements<'c>;
    /// What the committer's threads are called (`{NAME}-writer`, `{NAME}-syncer`).
    const NAME: &'static str;

    fn plan<'a>(jobs: &'a [Self::Job], reads: &'a Self::Reads) -> Self::Plan<'a>;
    /// Each job's answer, in the order of the jobs, once the group has committed.
    fn answers(plan: Self::Plan<'_>) -> Vec<<Self::Job as Job>::Answer>;

    fn prepare<'c>(db: &'c super::sqlite_raw::Connection<'c>) -> super::StoreResult<Self::Statements<'c>>;
    fn read_sqlite(statements: &mut Self::Statements<'_>, jobs: &[Self::Job]) -> super::StoreResult<Self::Reads>;
    fn write_sqlite(statements: &mut Self::Statements<'_>, plan: &Self::Plan<'_>) -> super::StoreResult<()>;

    fn read_postgres(tx: &mut super::postgres::PgTx, jobs: &[Self::Job]) -> impl std::future::Future<Output = super::StoreResult<Self::Reads>> + Send;
    fn write_postgres(tx: &mut super::postgres::PgTx, plan: &Self::Plan<'_>) -> impl std::future::Future<Output = super::StoreResult<()>> + Send;
}

/// Writes a group of jobs in one transaction (`write`) and gives each job's answer; if the
/// group fails as a whole, each job is written again alone, so that one bad write does not
/// fail the others (and a single bad request gets its own error). Every group committer
/// answers through this one function; on SQLite's writer thread
/// (`sqlite_committer`) `write` is synchronous and its future ready at once.
pub(crate) async fn group_or_each_alone<'j, J: Job, W>(jobs: &'j [J], mut write: impl FnMut(&'j [J]) -> W) -> Vec<super::StoreResult<J::Answer>>
where
    W: std::future::Future<Output = super::StoreResult<Vec<J::Answer>>>,
{
    match write(jobs).await {
        Ok(written) => written.into_iter().map(Ok).collect(),
        Err(_) => {
            let mut alone = Vec::with_capacity(jobs.len());
            for job in jobs.chunks(1) {
                alone.push(write(job).await.and_then(|mut one| one.pop().ok_or(super::StoreError::WriterStopped)));
            }
            alone
        }
    }
}

/// Hands a job to a store's group committer, starting it on first use (`committer: start`,
/// given the writer's pool and the queue: the backend's `SqlStore::start_committer::<W>`),
/// and waits for the answer, given after the commit.
macro_rules! submit {
    ($self:expr, $queue:ident, committer: $start:expr, $job:expr) => {{
        let queue = $self
            .$queue
            .get_or_init(|| async {
                let (sender, receiver) = tokio::sync::mpsc::channel(4 * $crate::store::sql::GROUP_COMMIT);
                ($start)($self.writer.clone(), receiver);
                sender
            })
            .await;
        let (reply, answer) = tokio::sync::oneshot::channel();
        queue.send($job(reply)).await.map_err(|_| $crate::store::StoreError::WriterStopped)?;
        answer.await.map_err(|_| $crate::store::StoreError::WriterStopped)?
    }};
}
pub(crate) use submit;

pub(crate) struct AbortOnDrop(pub tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Rows per multi-row statement with one parameter per value: well under both backends'
/// parameter limits.
pub(crate) const CHUNK: usize = 500;
/// Rows per bulk statement that takes its rows as one JSON parameter.
pub(crate) const JSON_CHUNK: usize = 5_000;

/// What the two SQL dialects spell differently in bulk statements, which take their rows
/// as one JSON array parameter (`$1`) so that the database, not the driver, unpacks them.
pub(crate) trait Dialect {
    /// The elements of the JSON array `$1` as rows `j`, each element in `j.value`.
    const JSON_ROWS: &'static str;
    /// Run on the writer before a bulk write.
    const BEFORE_BULK: Option<&'static str>;
    /// Run on the writer after a bulk write, whether it committed or not.
    const AFTER_BULK: Option<&'static str>;
    /// Whether every write waits for the one writer connection (SQLite): a long write that
    /// nobody needs whole (deleting an import's staged rows) is then made in short ones.
    const ONE_WRITER: bool;
    /// SQL turning the 32-hex-digit text `expr` into a stored id.
    fn uuid(expr: &str) -> String;
    /// SQL turning the `YYYY-MM-DD` text `expr` into a stored date.
    fn date(expr: &str) -> String;
}

/// A JSON array of rows for a bulk statement.
pub(crate) fn json_rows<T: serde::Serialize>(rows: &[T]) -> String {
    serde_json::to_string(rows).expect("rows of strings serialise")
}

/// A list of words stored as JSON text (the same in both databases), read back into its enum;
/// a word this program never writes fails the read.
pub(crate) fn stored_list<T: TryFrom<String, Error = crate::domain::UnknownWord>>(json: &str) -> super::StoreResult<Vec<T>> {
    let words: Vec<String> = serde_json::from_str(json).map_err(|_| crate::domain::UnknownWord { kind: "list of words", word: json.to_string() })?;
    Ok(words.into_iter().map(T::try_from).collect::<Result<_, _>>()?)
}
