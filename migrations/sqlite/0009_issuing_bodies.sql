-- A unit's issuing body (出具单位): the name, phone number and seal text its HQ sets once,
-- which every printout of the unit, and of the units below it that set none, carries. Names
-- and office numbers of public bodies, not personal data: a printout finds the nearest one up
-- its unit's path.
CREATE TABLE issuing_bodies (
    unit_code  TEXT PRIMARY KEY REFERENCES units (code),
    unit_path  TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    phone      TEXT NOT NULL,
    seal       TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
