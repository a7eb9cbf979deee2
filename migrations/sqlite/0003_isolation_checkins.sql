-- Isolation and daily reporting (SQLite): orders, follow-ups, check-ins, and the rules and
-- record of escalation.

CREATE TABLE isolations (
    id           BLOB PRIMARY KEY,
    resident_id  BLOB NOT NULL REFERENCES residents (id),
    household_id BLOB NOT NULL REFERENCES households (id),
    unit_path    TEXT NOT NULL,
    county_code  TEXT,
    kind         TEXT NOT NULL,
    place        TEXT,
    reason       TEXT NOT NULL,
    note         TEXT,
    starts_at    TEXT NOT NULL,
    planned_end  TEXT NOT NULL,
    ended_at     TEXT,
    end_reason   TEXT,
    cadre_id     BLOB REFERENCES accounts (id),
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL
);
CREATE INDEX isolations_path ON isolations (unit_path, ended_at);
CREATE INDEX isolations_household ON isolations (household_id, ended_at);
CREATE INDEX isolations_cadre ON isolations (cadre_id, ended_at);

CREATE TABLE followups (
    id           BLOB PRIMARY KEY,
    isolation_id BLOB NOT NULL REFERENCES isolations (id),
    unit_path    TEXT NOT NULL,
    at           TEXT NOT NULL,
    temperature  REAL,
    symptoms     TEXT NOT NULL,
    needs        TEXT NOT NULL,
    reached      TEXT NOT NULL,
    note         TEXT,
    actor        TEXT NOT NULL
);
CREATE INDEX followups_isolation ON followups (isolation_id, at);

-- Rules are data: how long a kind of lapse may last before it climbs one level, and how
-- many levels it climbs (grid leader, township, county).
CREATE TABLE escalation_rules (
    kind          TEXT PRIMARY KEY,
    delay_minutes INTEGER NOT NULL,
    steps         INTEGER NOT NULL
);
INSERT INTO escalation_rules (kind, delay_minutes, steps) VALUES ('followup_missed', 60, 3), ('alert_unacknowledged', 30, 3);

-- Every step taken: one row per lapse and level, so that no step is taken twice.
CREATE TABLE escalations (
    kind      TEXT NOT NULL,
    subject   TEXT NOT NULL,
    step      INTEGER NOT NULL,
    unit_path TEXT NOT NULL,
    at        TEXT NOT NULL,
    alert_id  BLOB REFERENCES alerts (id),
    PRIMARY KEY (kind, subject, step)
);

-- One check-in per resident per local day; a retried or corrected one replaces it.
CREATE TABLE checkins (
    resident_id       BLOB NOT NULL REFERENCES residents (id),
    day               TEXT NOT NULL,
    household_id      BLOB NOT NULL REFERENCES households (id),
    unit_path         TEXT NOT NULL,
    county_code       TEXT,
    status            TEXT NOT NULL,
    symptoms          TEXT NOT NULL,
    location          TEXT NOT NULL,
    place             TEXT,
    at                TEXT NOT NULL,
    via               TEXT NOT NULL,
    actor             TEXT NOT NULL,
    same_as_yesterday INTEGER NOT NULL,
    PRIMARY KEY (resident_id, day)
);
CREATE INDEX checkins_day_path ON checkins (day, unit_path);

-- The household's own check-in link (/c/{token}), made when first asked for.
ALTER TABLE households ADD COLUMN checkin_token TEXT;
CREATE UNIQUE INDEX households_checkin_token ON households (checkin_token);

-- 三个制度: an organisation (a bureau, a school) reports daily for its staff, and staff for
-- their relatives. Its people need not live in the grid, so they are its own list.
CREATE TABLE organisations (
    id         BLOB PRIMARY KEY,
    unit_code  TEXT NOT NULL REFERENCES units (code),
    unit_path  TEXT NOT NULL,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX organisations_path ON organisations (unit_path);

CREATE TABLE org_members (
    id          BLOB PRIMARY KEY,
    org_id      BLOB NOT NULL REFERENCES organisations (id),
    unit_path   TEXT NOT NULL,
    name        TEXT NOT NULL,
    id_number   TEXT,
    phone       TEXT,
    relative_of BLOB REFERENCES org_members (id),
    relation    TEXT,
    -- A staff member's own link (/o/{token}): they report for themselves and their relatives.
    link_token  TEXT UNIQUE,
    created_at  TEXT NOT NULL
);
CREATE INDEX org_members_org ON org_members (org_id);

CREATE TABLE org_checkins (
    member_id BLOB NOT NULL REFERENCES org_members (id),
    day       TEXT NOT NULL,
    org_id    BLOB NOT NULL REFERENCES organisations (id),
    status    TEXT NOT NULL,
    symptoms  TEXT NOT NULL,
    location  TEXT NOT NULL,
    place     TEXT,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    PRIMARY KEY (member_id, day)
);
CREATE INDEX org_checkins_org_day ON org_checkins (org_id, day);
