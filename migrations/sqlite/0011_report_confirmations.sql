-- The daily sign-off (日报告、零报告): one row per unit and day, the figures as they were when
-- confirmed (a JSON object of figure name → number). Confirming again replaces the row; the
-- audit log keeps the one replaced.
CREATE TABLE report_confirmations (
    unit_code    TEXT NOT NULL REFERENCES units (code),
    unit_path    TEXT NOT NULL,
    day          TEXT NOT NULL,
    confirmed_by TEXT NOT NULL,
    confirmed_at TEXT NOT NULL,
    figures      TEXT NOT NULL,
    PRIMARY KEY (unit_code, day)
);
CREATE INDEX report_confirmations_path ON report_confirmations (unit_path, day);

-- A report is a unit's day, not a record with an id: an alert about one names the unit and
-- the day.
ALTER TABLE alerts ADD COLUMN target_unit TEXT;
ALTER TABLE alerts ADD COLUMN target_day TEXT;

-- An unconfirmed day climbs from the township an hour after the deadline, the county an
-- hour later.
INSERT INTO escalation_rules (kind, delay_minutes, steps) VALUES ('report_unconfirmed', 60, 2);
