-- The grid, the roster, accounts, sessions and the audit log (PostgreSQL).
-- Paths are materialised (`/15/1505/150502/`); a subtree is the byte range
-- [path, path with its last '/' replaced by '0'), which the indexes on path serve.

CREATE TABLE units (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,
    parent_code TEXT REFERENCES units (code),
    path        TEXT COLLATE "C" NOT NULL UNIQUE,
    county_code TEXT,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX units_parent ON units (parent_code);

-- Each unit's own figures (not its subtree's): one row per unit, created with the unit and
-- rewritten in the same transaction as every roster write; a roll-up sums a path range
-- (and counts its rows for the number of units).
CREATE TABLE unit_counts (
    unit_code  TEXT PRIMARY KEY REFERENCES units (code),
    path       TEXT COLLATE "C" NOT NULL,
    households INTEGER NOT NULL DEFAULT 0,
    red        INTEGER NOT NULL DEFAULT 0,
    yellow     INTEGER NOT NULL DEFAULT 0,
    blue       INTEGER NOT NULL DEFAULT 0,
    white      INTEGER NOT NULL DEFAULT 0,
    residents  INTEGER NOT NULL DEFAULT 0
);
-- Covering: a roll-up reads the index alone.
CREATE INDEX unit_counts_path ON unit_counts (path, households, residents, red, yellow, blue, white);

CREATE TABLE accounts (
    id            UUID PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    unit_code     TEXT NOT NULL REFERENCES units (code),
    display_name  TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX accounts_unit ON accounts (unit_code);

CREATE TABLE sessions (
    token      TEXT PRIMARY KEY,
    account_id UUID NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE unit_staff (
    unit_code  TEXT NOT NULL REFERENCES units (code),
    account_id UUID NOT NULL REFERENCES accounts (id),
    duty       TEXT NOT NULL CHECK (duty IN ('leader', 'member')),
    PRIMARY KEY (unit_code, account_id)
);
CREATE UNIQUE INDEX unit_staff_one_leader ON unit_staff (unit_code) WHERE duty = 'leader';

CREATE TABLE households (
    id           UUID PRIMARY KEY,
    unit_code    TEXT NOT NULL REFERENCES units (code),
    unit_path    TEXT COLLATE "C" NOT NULL,
    county_code  TEXT,
    household_no TEXT NOT NULL,
    head_name    TEXT NOT NULL DEFAULT '',
    address      TEXT,
    colour       TEXT NOT NULL,
    colour_cause TEXT NOT NULL,
    member_id    UUID REFERENCES accounts (id),
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (unit_code, household_no)
);
CREATE INDEX households_path ON households (unit_path, household_no);
CREATE INDEX households_member ON households (member_id);

CREATE TABLE residents (
    id           UUID PRIMARY KEY,
    household_id UUID NOT NULL REFERENCES households (id),
    unit_path    TEXT COLLATE "C" NOT NULL,
    county_code  TEXT,
    name         TEXT NOT NULL,
    id_number    TEXT NOT NULL UNIQUE,
    sex          TEXT NOT NULL,
    birth_date   DATE NOT NULL,
    relation     TEXT NOT NULL DEFAULT '',
    phone        TEXT,
    residence    TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX residents_household ON residents (household_id);
CREATE INDEX residents_path_name ON residents (unit_path, name);

CREATE TABLE colour_changes (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    household_id UUID NOT NULL REFERENCES households (id),
    at           TIMESTAMPTZ NOT NULL,
    from_colour  TEXT,
    to_colour    TEXT NOT NULL,
    cause        TEXT NOT NULL,
    actor        TEXT NOT NULL
);
CREATE INDEX colour_changes_household ON colour_changes (household_id, id);

CREATE TABLE audit_log (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        TIMESTAMPTZ NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    unit_path TEXT COLLATE "C" NOT NULL,
    detail    TEXT NOT NULL
);
CREATE INDEX audit_log_path ON audit_log (unit_path, id);
