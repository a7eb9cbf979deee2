-- Failed logins. A throttle per login and per client address lives in the database, not in
-- a server's memory, so that it holds across the servers that share one database: the
-- attempts of the current run (an attempt counts from the moment it begins until it
-- succeeds), when the last one began and when the last one failed. Keys are
-- 'login:<login>' and 'address:<ip>'; rows left quiet for an hour are deleted.
CREATE TABLE login_throttle (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    last_attempt TIMESTAMPTZ NOT NULL,
    last_failure TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_throttle_last ON login_throttle (last_failure);

-- Failed attempts since the account's last successful login, told to its holder at the next.
ALTER TABLE accounts ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
-- The same number, kept on the session the login opened until a page has told it (once).
ALTER TABLE sessions ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
