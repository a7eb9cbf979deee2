-- The daily close: at local midnight the server stores each unit's own figures for the day
-- that ended (what is registered on the unit itself, in none of its children), so a trend of
-- any unit is a sum over a path range, as today's roll-ups are. Snapshot figures (households,
-- colours, residents, expected check-ins, pending registrations) are as they stood at the
-- close; the rest are counted from the facts of that day and recounted when a late fact lands.
CREATE TABLE unit_day_figures (
    unit_code                TEXT NOT NULL REFERENCES units (code),
    unit_path                TEXT COLLATE "C" NOT NULL,
    day                      DATE NOT NULL,
    households               BIGINT NOT NULL DEFAULT 0,
    red                      BIGINT NOT NULL DEFAULT 0,
    yellow                   BIGINT NOT NULL DEFAULT 0,
    blue                     BIGINT NOT NULL DEFAULT 0,
    white                    BIGINT NOT NULL DEFAULT 0,
    residents                BIGINT NOT NULL DEFAULT 0,
    returnees_arrived        BIGINT NOT NULL DEFAULT 0,
    returnees_in_observation BIGINT NOT NULL DEFAULT 0,
    returnees_from_key_areas BIGINT NOT NULL DEFAULT 0,
    isolated_home            BIGINT NOT NULL DEFAULT 0,
    isolated_central         BIGINT NOT NULL DEFAULT 0,
    isolations_started       BIGINT NOT NULL DEFAULT 0,
    isolations_released      BIGINT NOT NULL DEFAULT 0,
    followups_done           BIGINT NOT NULL DEFAULT 0,
    checkins_expected        BIGINT NOT NULL DEFAULT 0,
    checkins_reported        BIGINT NOT NULL DEFAULT 0,
    checkins_unwell          BIGINT NOT NULL DEFAULT 0,
    passages_in              BIGINT NOT NULL DEFAULT 0,
    passages_out             BIGINT NOT NULL DEFAULT 0,
    turned_back              BIGINT NOT NULL DEFAULT 0,
    referred                 BIGINT NOT NULL DEFAULT 0,
    fevers                   BIGINT NOT NULL DEFAULT 0,
    registrations_pending    BIGINT NOT NULL DEFAULT 0,
    alerts_open              BIGINT NOT NULL DEFAULT 0,
    alerts_acknowledged      BIGINT NOT NULL DEFAULT 0,
    alerts_escalated         BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_code, day)
);
-- A trend reads one day's rows of a subtree as one range.
CREATE INDEX unit_day_figures_day_path ON unit_day_figures (day, unit_path);

-- Each closed day, when it was closed and with which fever line (a late fact is recounted
-- with the same one).
CREATE TABLE day_closes (
    day       DATE PRIMARY KEY,
    closed_at TIMESTAMPTZ NOT NULL,
    fever     DOUBLE PRECISION NOT NULL
);
