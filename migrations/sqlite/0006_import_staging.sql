-- A roster import first writes what it has checked and planned here, in chunks of short
-- transactions that other writes (check-ins, passages, edits) come between; one last
-- transaction then moves the rows into households and residents, so that an import is still
-- seen whole or not at all. A run's rows are deleted when it ends; a later import deletes
-- those of a run that never ended (its process was killed).
CREATE TABLE import_runs (
    id         BLOB PRIMARY KEY,
    unit_path  TEXT NOT NULL,
    started_at TEXT NOT NULL
);

-- Households a run creates (`seen_head_name` NULL) or changes (`seen_…`: what it found).
CREATE TABLE import_households (
    run_id         BLOB NOT NULL,
    id             BLOB NOT NULL,
    unit_code      TEXT NOT NULL,
    unit_path      TEXT NOT NULL,
    county_code    TEXT,
    household_no   TEXT NOT NULL,
    head_name      TEXT NOT NULL,
    address        TEXT,
    colour         TEXT,
    colour_cause   TEXT,
    seen_head_name TEXT,
    seen_address   TEXT,
    PRIMARY KEY (run_id, id)
) WITHOUT ROWID;

-- Residents a run creates (`seen_name` NULL) or changes (`seen_…`: what it found).
CREATE TABLE import_residents (
    run_id            BLOB NOT NULL,
    id                BLOB NOT NULL,
    household_id      BLOB NOT NULL,
    unit_path         TEXT NOT NULL,
    county_code       TEXT,
    name              TEXT NOT NULL,
    id_number         TEXT NOT NULL,
    sex               TEXT NOT NULL,
    birth_date        TEXT NOT NULL,
    relation          TEXT NOT NULL,
    phone             TEXT,
    residence         TEXT NOT NULL,
    seen_household_id BLOB,
    seen_name         TEXT,
    seen_relation     TEXT,
    seen_phone        TEXT,
    seen_residence    TEXT,
    PRIMARY KEY (run_id, id)
) WITHOUT ROWID;
