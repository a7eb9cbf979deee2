//! SQLite's group committer, for any kind of group write (`sql::GroupWrite`; check-ins are
//! the first): two threads of its own per kind, so that neither the statements of a group nor
//! the wait for the disk hold up the threads that serve HTTP.
//!
//! - The **writer** takes the writer's connection from the pool for a turn (up to `TURN`, while
//!   requests keep coming) and commits one group after another on it: every request waiting,
//!   one transaction. In the turn the connection commits with `synchronous = NORMAL`: SQLite
//!   appends the group's frames to the write-ahead log and returns without waiting for the
//!   disk. The connection goes back to the pool with `FULL` again, so every other write keeps
//!   syncing its own commit.
//! - The **syncer** then syncs the log (`fdatasync`) and only then answers the group's requests.
//!   One sync covers every group committed before it, so while it waits for the disk the
//!   writer is already writing the next group.
//!
//! An answered request is therefore on disk, as with `FULL` (which is the same sync, taken
//! inside the commit). What `NORMAL` adds is that other readers may see a group before its
//! sync: a write nobody has been told is saved. SQLite keeps the database consistent under
//! `NORMAL` through any crash; its log's header is synced when the log is reused.

use std::fs::File;
use std::sync::Arc;
use std::sync::mpsc as std_mpsc;
use std::time::{Duration, Instant};

use sqlx::SqlitePool;
use tokio::runtime::Handle;
use tokio::sync::mpsc::Receiver;

use super::sql::{GROUP_COMMIT, GroupWrite, Job, group_or_each_alone};
use super::sqlite_raw::{Connection, KeptStatements, Statement};
use super::{StoreError, StoreResult};

/// The longest the writer keeps the connection while requests keep coming; other writers
/// wait about this long at most.
const TURN: Duration = Duration::from_millis(10);
/// How long the writer waits, holding the connection, for a request after the last group:
/// under load the next one is usually on its way, and giving the connection back and taking
/// it again costs a few hundred microseconds.
const LINGER: Duration = Duration::from_millis(1);

/// A request's answer, before the sync that makes it true.
type Answer<J> = StoreResult<<J as Job>::Answer>;

/// Committers whose statements are not finalised yet (see `settle`).
static RUNNING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Waits (at most `limit`) for the committers of stores already dropped to finalise their
/// statements: a command that ends must not take the runtime down under them, or SQLite's
/// connection is closed with statements open (sqlx then panics on its worker thread).
pub fn settle(limit: Duration) {
    let until = std::time::Instant::now() + limit;
    while RUNNING.load(std::sync::atomic::Ordering::Acquire) > 0 && std::time::Instant::now() < until {
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Starts the committer's threads for the group write `W` on the requests of `queue`.
pub(crate) fn start<W: GroupWrite>(writer: SqlitePool, queue: Receiver<W::Job>) {
    let runtime = Handle::current();
    let syncer = Syncer::start(W::NAME);
    let committer = Committer::<W> { runtime, writer, queue, syncer, jobs: Vec::with_capacity(GROUP_COMMIT) };
    RUNNING.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    // Without its thread the queue is dropped, and each request is told the writer stopped.
    if let Err(err) = std::thread::Builder::new().name(format!("{}-writer", W::NAME)).spawn(move || committer.run()) {
        RUNNING.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
        tracing::error!(%err, kind = W::NAME, "could not start the group writer");
    }
}

struct Committer<W: GroupWrite> {
    runtime: Handle,
    writer: SqlitePool,
    queue: Receiver<W::Job>,
    /// `None` where its thread could not start: the connection then syncs every commit itself.
    syncer: Option<Syncer<W::Job>>,
    /// The requests of the next group.
    jobs: Vec<W::Job>,
}

impl<W: GroupWrite> Committer<W> {
    fn run(mut self) {
        // Pool connections go back to their pool on a task of the runtime.
        let runtime = self.runtime.clone();
        let _context = runtime.enter();
        let kept = KeptStatements::default();
        while let Some(job) = self.queue.blocking_recv() {
            self.jobs.push(job);
            self.take_waiting();
            if let Err(err) = self.turn(&kept) {
                tracing::error!(%err, kind = W::NAME, "group writer could not write");
                let message = err.to_string();
                for job in self.jobs.drain(..) {
                    job.reply(Err(StoreError::Engine(message.clone())));
                }
            }
        }
        self.finalise(kept);
        RUNNING.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }

    /// Finalises the statements kept from turn to turn, once the queue has closed (the store
    /// was dropped): the writer's connection cannot close while they live. The runtime may be
    /// going down too, so the connection is taken without a timer of the runtime. If it
    /// cannot be had, the connection is kept open for good rather than closed with them.
    fn finalise(self, kept: KeptStatements) {
        for _ in 0..300 {
            if let Some(mut connection) = self.writer.try_acquire() {
                if let Ok(mut handle) = self.runtime.block_on(connection.lock_handle()) {
                    kept.finalise(&Connection::new(&mut handle));
                    return;
                }
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        tracing::error!(kind = W::NAME, "could not finalise the group writer's statements; its connection stays open");
        std::mem::forget(self.writer);
        std::mem::forget(kept);
    }

    /// Takes the writer's connection and commits groups on it until the requests stop coming
    /// or the turn is over.
    fn turn(&mut self, kept: &KeptStatements) -> StoreResult<()> {
        let mut connection = self.runtime.block_on(self.writer.acquire())?;
        let mut handle = self.runtime.block_on(connection.lock_handle())?;
        let db = Connection::keeping(&mut handle, kept);
        let log = match &self.syncer {
            Some(_) => DeferredSync::begin(&db)?,
            None => None,
        };
        let mut group = Group::<W>::prepare(&db)?;
        let ends = Instant::now() + TURN;
        loop {
            let answers = group.commit_or_each_alone(&db, &self.jobs);
            let done: Vec<(W::Job, Answer<W::Job>)> = self.jobs.drain(..).zip(answers).collect();
            match (&log, &self.syncer) {
                (Some(log), Some(syncer)) => syncer.answer_after_sync(log.file.clone(), done),
                _ => done.into_iter().for_each(|(job, answer)| job.reply(answer)),
            }
            if Instant::now() >= ends || !self.more_jobs() {
                return Ok(());
            }
        }
    }

    /// Moves every request already waiting into the group, up to a group's size.
    fn take_waiting(&mut self) {
        while self.jobs.len() < GROUP_COMMIT {
            match self.queue.try_recv() {
                Ok(job) => self.jobs.push(job),
                Err(_) => break,
            }
        }
    }

    /// Whether a next group has come within `LINGER`.
    fn more_jobs(&mut self) -> bool {
        let until = Instant::now() + LINGER;
        loop {
            self.take_waiting();
            if !self.jobs.is_empty() {
                return true;
            }
            if Instant::now() >= until {
                return false;
            }
            // A short sleep, not a timer of the runtime: this thread must not depend on the
            // runtime still running.
            std::thread::sleep(Duration::from_micros(50));
        }
    }
}

/// The statements of a turn: the transaction's, and those of the group write `W` (kept
/// prepared from turn to turn: see `KeptStatements`).
struct Group<'c, W: GroupWrite> {
    begin: Statement<'c>,
    commit: Statement<'c>,
    rollback: Statement<'c>,
    statements: W::Statements<'c>,
}

impl<'c, W: GroupWrite> Group<'c, W> {
    fn prepare(db: &'c Connection<'c>) -> StoreResult<Group<'c, W>> {
        Ok(Group { begin: db.prepare("BEGIN IMMEDIATE")?, commit: db.prepare("COMMIT")?, rollback: db.prepare("ROLLBACK")?, statements: W::prepare(db)? })
    }

    /// Commits a group (see `sql::group_or_each_alone`, which writes each request again alone
    /// if the group fails as a whole).
    fn commit_or_each_alone(&mut self, db: &Connection, jobs: &[W::Job]) -> Vec<Answer<W::Job>> {
        ready(group_or_each_alone(jobs, |group| std::future::ready(self.commit(db, group))))
    }

    /// Writes a group of requests in one transaction, reading what the group needs inside it.
    /// On any error the transaction rolls back whole.
    fn commit(&mut self, db: &Connection, jobs: &[W::Job]) -> StoreResult<Vec<<W::Job as Job>::Answer>> {
        let written = self.write(jobs);
        if written.is_err() && db.in_transaction() {
            self.rollback.run(&[])?;
        }
        written
    }

    fn write(&mut self, jobs: &[W::Job]) -> StoreResult<Vec<<W::Job as Job>::Answer>> {
        self.begin.run(&[])?;
        let reads = W::read_sqlite(&mut self.statements, jobs)?;
        let plan = W::plan(jobs, &reads);
        W::write_sqlite(&mut self.statements, &plan)?;
        self.commit.run(&[])?;
        Ok(W::answers(plan))
    }
}

/// The output of a future that never waits (its work is synchronous): polled once, on this
/// thread, without a runtime.
fn ready<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    match future.as_mut().poll(&mut std::task::Context::from_waker(std::task::Waker::noop())) {
        std::task::Poll::Ready(output) => output,
        std::task::Poll::Pending => unreachable!("a synchronous write never waits"),
    }
}

/// A turn's connection committing with `synchronous = NORMAL`, and the log the syncer syncs;
/// `FULL` again when dropped.
struct DeferredSync<'c> {
    db: &'c Connection<'c>,
    file: Arc<File>,
}

impl<'c> DeferredSync<'c> {
    /// `None` where there is no log file to sync (a database in memory, or not in WAL mode):
    /// the connection then keeps syncing its own commits.
    fn begin(db: &'c Connection<'c>) -> StoreResult<Option<DeferredSync<'c>>> {
        let Some(path) = db.wal_path()? else { return Ok(None) };
        let file = File::open(&path).map_err(|err| StoreError::Engine(format!("could not open {}: {err}", path.display())))?;
        db.execute("PRAGMA synchronous = NORMAL")?;
        Ok(Some(DeferredSync { db, file: Arc::new(file) }))
    }
}

impl Drop for DeferredSync<'_> {
    fn drop(&mut self) {
        if let Err(err) = self.db.execute("PRAGMA synchronous = FULL") {
            tracing::error!(%err, "could not set the writer back to synchronous = FULL");
        }
    }
}

/// Groups committed but not yet synced, with their requests' answers.
struct Committed<J: Job> {
    log: Arc<File>,
    done: Vec<(J, Answer<J>)>,
}

/// The thread that syncs the log and then answers the groups committed before the sync.
struct Syncer<J: Job>(std_mpsc::Sender<Committed<J>>);

impl<J: Job> Syncer<J> {
    /// `kind` names the thread (`{kind}-syncer`).
    fn start(kind: &str) -> Option<Syncer<J>> {
        let (sender, receiver) = std_mpsc::channel::<Committed<J>>();
        let spawned = std::thread::Builder::new().name(format!("{kind}-syncer")).spawn(move || {
            while let Ok(first) = receiver.recv() {
                let mut groups = vec![first];
                groups.extend(receiver.try_iter());
                let synced = sync(&groups);
                let failed = synced.err().map(|err| format!("could not sync the log: {err}"));
                for group in groups {
                    for (job, answer) in group.done {
                        job.reply(match &failed {
                            None => answer,
                            Some(message) => Err(StoreError::Engine(message.clone())),
                        });
                    }
                }
            }
        });
        match spawned {
            Ok(_) => Some(Syncer(sender)),
            Err(err) => {
                tracing::warn!(%err, kind, "no thread for the group syncer; each commit syncs itself");
                None
            }
        }
    }

    fn answer_after_sync(&self, log: Arc<File>, done: Vec<(J, Answer<J>)>) {
        // The syncer only stops when this sender is dropped, so the send cannot fail while
        // the committer runs; if it ever did, the requests would be told the writer stopped.
        let _ = self.0.send(Committed { log, done });
    }
}

/// One `fdatasync` of each log file the groups were written to (one, but for a turn that
/// opened it anew): it covers every frame written to it before it began.
fn sync<J: Job>(groups: &[Committed<J>]) -> std::io::Result<()> {
    let mut synced: Vec<&Arc<File>> = Vec::new();
    for group in groups {
        if !synced.iter().any(|file| Arc::ptr_eq(file, &group.log)) {
            group.log.sync_data()?;
            synced.push(&group.log);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use uuid::Uuid;

    use super::*;
    use crate::domain::checkin::{Report, Via};
    use crate::domain::{Caller, Role, UnitPath};
    use crate::store::checkins::{CheckinJob, Checkins};
    use crate::store::{CheckedIn, NewCheckin, Principal};

    /// A store on a fresh file holding the small demo, and some of its residents.
    async fn store_with_residents(dir: &tempfile::TempDir) -> (crate::store::sqlite::SqliteStore, Vec<Uuid>) {
        let path = dir.path().join("test.db").display().to_string();
        let app = crate::app::App::open(&format!("sqlite:{path}")).await.unwrap();
        crate::app::demo::load(&app, crate::app::demo::Scale::Small, &|_, _| {}).await.unwrap();
        drop(app);
        let store = crate::store::sqlite::open(&path).await.unwrap();
        let residents = sqlx::query_scalar("SELECT id FROM residents ORDER BY id LIMIT 200").fetch_all(&store.reader).await.unwrap();
        (store, residents)
    }

    /// A committer started on the store's writer, and its queue.
    fn committer(store: &crate::store::sqlite::SqliteStore) -> tokio::sync::mpsc::Sender<CheckinJob> {
        let (sender, receiver) = tokio::sync::mpsc::channel(4 * GROUP_COMMIT);
        start::<Checkins>(store.writer.clone(), receiver);
        sender
    }

    fn job(resident: Uuid) -> (CheckinJob, tokio::sync::oneshot::Receiver<StoreResult<Vec<CheckedIn>>>) {
        let caller = Caller { login: "cli".into(), role: Role::Admin, scope: UnitPath::root(), now: Utc::now() };
        let report = Report { status: crate::domain::Health::Well, symptoms: Vec::new(), location: crate::domain::checkin::Whereabouts::Home, place: None };
        let checkin = NewCheckin { resident_id: resident, day: crate::domain::time::local_date(caller.now), report, via: Via::Api, seconds_to_fill: None };
        let (reply, answer) = tokio::sync::oneshot::channel();
        (CheckinJob { who: Principal::Caller(caller), rows: vec![(1, checkin)], reply }, answer)
    }

    /// The writer's connection commits without syncing only inside the committer's turn: once
    /// the check-ins are answered, every other write on it syncs its own commit again.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_writer_goes_back_to_the_pool_syncing_every_commit() {
        let dir = tempfile::tempdir().unwrap();
        let (store, residents) = store_with_residents(&dir).await;
        let sender = committer(&store);
        let mut answers = Vec::new();
        for resident in &residents {
            let (job, answer) = job(*resident);
            sender.send(job).await.unwrap();
            answers.push(answer);
        }
        for answer in answers {
            assert_eq!(answer.await.unwrap().unwrap().len(), 1);
        }
        let written: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM checkins").fetch_one(&store.reader).await.unwrap();
        assert_eq!(written, residents.len() as i64);
        // What SQLite calls FULL is 2. (The writer pool holds one connection: the committer's.)
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&store.writer).await.unwrap();
        assert_eq!(synchronous, 2);
    }

    /// While check-ins keep coming, other writes still get the writer's connection between
    /// the committer's turns.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn other_writes_get_their_turn_under_a_stream_of_check_ins() {
        let dir = tempfile::tempdir().unwrap();
        let (store, residents) = store_with_residents(&dir).await;
        let sender = committer(&store);
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stream = {
            let (stop, residents) = (stop.clone(), residents.clone());
            tokio::spawn(async move {
                let mut sent = 0usize;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let (job, answer) = job(residents[sent % residents.len()]);
                    sender.send(job).await.unwrap();
                    answer.await.unwrap().unwrap();
                    sent += 1;
                }
                sent
            })
        };
        // Ten separate writes, each waiting for the connection like any other writer.
        for n in 0..10 {
            let write = sqlx::query("INSERT INTO audit_log (at, actor, action, entity, entity_id, unit_path, detail) VALUES ('2020-02-01T00:00:00Z', 'test', 'create', 'probe', $1, '/15/', '{}')").bind(n.to_string()).execute(&store.writer);
            tokio::time::timeout(Duration::from_secs(20), write).await.expect("a write between the committer's turns").unwrap();
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        assert!(stream.await.unwrap() > 0);
    }

    /// The SQL of the statements prepared on the writer's connection now.
    async fn statements_on_writer(store: &crate::store::sqlite::SqliteStore) -> Vec<String> {
        let mut connection = store.writer.acquire().await.unwrap();
        let mut handle = connection.lock_handle().await.unwrap();
        Connection::new(&mut handle).statements()
    }

    /// The committer prepares its statements once, keeps them from turn to turn, and
    /// finalises them when its queue closes, so that the writer's connection can close.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn statements_are_prepared_once_and_finalised_at_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let (store, residents) = store_with_residents(&dir).await;
        let sender = committer(&store);
        let begins = |statements: &[String]| statements.iter().filter(|sql| sql.as_str() == "BEGIN IMMEDIATE").count();
        for round in 0..3 {
            // One request at a time, each answered before the next: a turn each, or nearly.
            for resident in &residents[round * 10..round * 10 + 10] {
                let (job, answer) = job(*resident);
                sender.send(job).await.unwrap();
                answer.await.unwrap().unwrap();
            }
            assert_eq!(begins(&statements_on_writer(&store).await), 1, "round {round}");
        }
        drop(sender);
        let mut statements = statements_on_writer(&store).await;
        for _ in 0..200 {
            if begins(&statements) == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            statements = statements_on_writer(&store).await;
        }
        assert_eq!(begins(&statements), 0, "the committer's statements are finalised once its queue closes: {statements:?}");
        // With them gone the connection closes cleanly.
        store.writer.close().await;
    }

    /// A request is answered only once the log has been synced, and with an error if the sync
    /// fails: what was committed but not synced is never reported as saved.
    #[tokio::test]
    async fn answers_follow_the_sync_and_share_its_failure() {
        let syncer = Syncer::start("test").unwrap();
        // A pipe cannot be synced: fdatasync fails on it with EINVAL.
        let (reader, _writer) = std::io::pipe().unwrap();
        let unsyncable = Arc::new(File::from(std::os::fd::OwnedFd::from(reader)));
        let (first, answer) = job(Uuid::now_v7());
        syncer.answer_after_sync(unsyncable, vec![(first, Ok(Ok(Vec::new())))]);
        match answer.await.unwrap() {
            Err(StoreError::Engine(message)) => assert!(message.contains("could not sync the log"), "{message}"),
            other => panic!("expected the failed sync, got {other:?}"),
        }

        let synced_file = Arc::new(tempfile::tempfile().unwrap());
        let (second, answer) = job(Uuid::now_v7());
        syncer.answer_after_sync(synced_file, vec![(second, Ok(Ok(Vec::new())))]);
        assert!(answer.await.unwrap().unwrap().is_empty());
    }
}
