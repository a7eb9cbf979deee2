-- The daily close: at local midnight the server stores each unit's own figures for the day
-- that ended (what is registered on the unit itself, in none of its children), so a trend of
-- any unit is a sum over a path range, as today's roll-ups are. Snapshot figures (households,
-- colours, residents, expected check-ins, pending registrations) are as they stood at the
-- close; the rest are counted from the facts of that day and recounted when a late fact lands.
CREATE TABLE unit_day_figures (
    unit_code                TEXT NOT NULL REFERENCES units (code),
    unit_path                TEXT NOT NULL,
    day                      TEXT NOT NULL,
    households               INTEGER NOT NULL DEFAULT 0,
    red                      INTEGER NOT NULL DEFAULT 0,
    yellow                   INTEGER NOT NULL DEFAULT 0,
    blue                     INTEGER NOT NULL DEFAULT 0,
    white                    INTEGER NOT NULL DEFAULT 0,
    residents                INTEGER NOT NULL DEFAULT 0,
    returnees_arrived        INTEGER NOT NULL DEFAULT 0,
    returnees_in_observation INTEGER NOT NULL DEFAULT 0,
    returnees_from_key_areas INTEGER NOT NULL DEFAULT 0,
    isolated_home            INTEGER NOT NULL DEFAULT 0,
    isolated_central         INTEGER NOT NULL DEFAULT 0,
    isolations_started       INTEGER NOT NULL DEFAULT 0,
    isolations_released      INTEGER NOT NULL DEFAULT 0,
    followups_done           INTEGER NOT NULL DEFAULT 0,
    checkins_expected        INTEGER NOT NULL DEFAULT 0,
    checkins_reported        INTEGER NOT NULL DEFAULT 0,
    checkins_unwell          INTEGER NOT NULL DEFAULT 0,
    passages_in              INTEGER NOT NULL DEFAULT 0,
    passages_out             INTEGER NOT NULL DEFAULT 0,
    turned_back              INTEGER NOT NULL DEFAULT 0,
    referred                 INTEGER NOT NULL DEFAULT 0,
    fevers                   INTEGER NOT NULL DEFAULT 0,
    registrations_pending    INTEGER NOT NULL DEFAULT 0,
    alerts_open              INTEGER NOT NULL DEFAULT 0,
    alerts_acknowledged      INTEGER NOT NULL DEFAULT 0,
    alerts_escalated         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_code, day)
);
-- A trend reads one day's rows of a subtree as one range.
CREATE INDEX unit_day_figures_day_path ON unit_day_figures (day, unit_path);

-- Each closed day, when it was closed and with which fever line (a late fact is recounted
-- with the same one).
CREATE TABLE day_closes (
    day       TEXT PRIMARY KEY,
    closed_at TEXT NOT NULL,
    fever     REAL NOT NULL
);
