-- Screening and checkpoints (SQLite): key areas, returnees, door-to-door rounds,
-- checkpoints with shifts, people and their passages, self-registrations, alerts.

-- A key area applies below the unit that declared it (its HQ's scope).
CREATE TABLE key_areas (
    id         BLOB PRIMARY KEY,
    unit_path  TEXT NOT NULL,
    area       TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to   TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX key_areas_path ON key_areas (unit_path);

-- `from_key_area` is derived from `origin`, `travel` and the key areas, and rewritten with
-- every change of a key area that applies to it.
CREATE TABLE returnees (
    id                 BLOB PRIMARY KEY,
    resident_id        BLOB NOT NULL REFERENCES residents (id),
    household_id       BLOB NOT NULL REFERENCES households (id),
    unit_path          TEXT NOT NULL,
    county_code        TEXT,
    origin             TEXT NOT NULL,
    travel             TEXT NOT NULL,
    arrived_at         TEXT NOT NULL,
    transport          TEXT NOT NULL,
    transport_detail   TEXT,
    health             TEXT NOT NULL,
    temperature        REAL,
    contacts           TEXT,
    expected_departure TEXT,
    observe_until      TEXT NOT NULL,
    from_key_area      INTEGER NOT NULL,
    created_at         TEXT NOT NULL,
    created_by         TEXT NOT NULL
);
CREATE INDEX returnees_path ON returnees (unit_path, arrived_at);
CREATE INDEX returnees_household ON returnees (household_id, observe_until);
CREATE INDEX returnees_resident ON returnees (resident_id);
CREATE INDEX returnees_until ON returnees (observe_until);

CREATE TABLE screening_rounds (
    id         BLOB PRIMARY KEY,
    unit_code  TEXT NOT NULL REFERENCES units (code),
    unit_path  TEXT NOT NULL,
    name       TEXT NOT NULL,
    opened_at  TEXT NOT NULL,
    closed_at  TEXT,
    created_by TEXT NOT NULL
);
CREATE INDEX screening_rounds_path ON screening_rounds (unit_path);

-- One row per household per round: its latest outcome.
CREATE TABLE visits (
    round_id     BLOB NOT NULL REFERENCES screening_rounds (id),
    household_id BLOB NOT NULL REFERENCES households (id),
    unit_path    TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    note         TEXT,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    PRIMARY KEY (round_id, household_id)
);
CREATE INDEX visits_round_path ON visits (round_id, unit_path, outcome);

CREATE TABLE checkpoints (
    id         BLOB PRIMARY KEY,
    unit_code  TEXT NOT NULL REFERENCES units (code),
    unit_path  TEXT NOT NULL,
    county_code TEXT,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    lat        REAL,
    lon        REAL,
    token      TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX checkpoints_path ON checkpoints (unit_path);

-- Who is on duty when; `staff` is a JSON array of {name, duty, phone}.
CREATE TABLE checkpoint_shifts (
    id            BLOB PRIMARY KEY,
    checkpoint_id BLOB NOT NULL REFERENCES checkpoints (id),
    starts_at     TEXT NOT NULL,
    ends_at       TEXT NOT NULL,
    staff         TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL
);
CREATE INDEX checkpoint_shifts_checkpoint ON checkpoint_shifts (checkpoint_id, starts_at);

-- Everyone who passed a checkpoint: one row per ID number; people without one are told
-- apart by name and phone.
CREATE TABLE people (
    id         BLOB PRIMARY KEY,
    id_number  TEXT UNIQUE,
    name       TEXT NOT NULL,
    phone      TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX people_name_phone ON people (name, phone);

CREATE TABLE passages (
    id              BLOB PRIMARY KEY,
    checkpoint_id   BLOB NOT NULL REFERENCES checkpoints (id),
    unit_path       TEXT NOT NULL,
    county_code     TEXT,
    person_id       BLOB REFERENCES people (id),
    plate           TEXT,
    direction       TEXT NOT NULL,
    temperature     REAL,
    purpose         TEXT,
    from_place      TEXT,
    to_place        TEXT,
    outcome         TEXT NOT NULL,
    at              TEXT NOT NULL,
    recorded_at     TEXT NOT NULL,
    actor           TEXT NOT NULL,
    registration_id BLOB
);
CREATE INDEX passages_checkpoint_at ON passages (checkpoint_id, at);
CREATE INDEX passages_person_at ON passages (person_id, at);
CREATE INDEX passages_plate_at ON passages (plate, at) WHERE plate IS NOT NULL;

-- A traveller's own registration through a checkpoint's QR code, until staff confirm it.
CREATE TABLE registrations (
    id            BLOB PRIMARY KEY,
    checkpoint_id BLOB NOT NULL REFERENCES checkpoints (id),
    unit_path     TEXT NOT NULL,
    person_id     BLOB NOT NULL REFERENCES people (id),
    plate         TEXT,
    from_place    TEXT,
    to_place      TEXT,
    purpose       TEXT,
    at            TEXT NOT NULL,
    passage_id    BLOB REFERENCES passages (id)
);
CREATE INDEX registrations_checkpoint ON registrations (checkpoint_id, at);
CREATE INDEX registrations_person ON registrations (person_id, at);

-- Something that someone must act on now; each recipient sees it in their inbox until
-- it is acknowledged.
CREATE TABLE alerts (
    id              BLOB PRIMARY KEY,
    kind            TEXT NOT NULL,
    unit_path       TEXT NOT NULL,
    county_code     TEXT,
    subject         TEXT NOT NULL,
    link            TEXT NOT NULL,
    due             TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by TEXT
);
CREATE INDEX alerts_path ON alerts (unit_path, created_at);

CREATE TABLE alert_recipients (
    account_id BLOB NOT NULL REFERENCES accounts (id),
    alert_id   BLOB NOT NULL REFERENCES alerts (id),
    PRIMARY KEY (account_id, alert_id)
);

-- A person to screen, turned from a contact list; done when a grid member has seen them.
CREATE TABLE screening_tasks (
    id             BLOB PRIMARY KEY,
    person_id      BLOB NOT NULL REFERENCES people (id),
    unit_path      TEXT NOT NULL,
    county_code    TEXT,
    reason         TEXT NOT NULL,
    source_person  BLOB NOT NULL REFERENCES people (id),
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    done_at        TEXT,
    UNIQUE (person_id, source_person)
);
CREATE INDEX screening_tasks_path ON screening_tasks (unit_path, done_at);
