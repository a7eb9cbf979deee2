-- The daily close's figures of each unit's whole subtree, beside each unit's own
-- (unit_day_figures): a trend of a county's 30 days reads 30 rows here instead of summing
-- some 45,000 units' rows (80 ms at Tongliao scale). Written by the close from the units' own
-- figures; a late fact's recount adds the change of its unit's own figures to the rows of the
-- unit and of each unit above it, in the same transaction.
CREATE TABLE subtree_day_figures (
    unit_path TEXT COLLATE "C" NOT NULL,
    day       DATE NOT NULL,
    households               BIGINT NOT NULL DEFAULT 0,
    red                      BIGINT NOT NULL DEFAULT 0,
    yellow                   BIGINT NOT NULL DEFAULT 0,
    blue                     BIGINT NOT NULL DEFAULT 0,
    white                    BIGINT NOT NULL DEFAULT 0,
    residents                BIGINT NOT NULL DEFAULT 0,
    checkins_expected        BIGINT NOT NULL DEFAULT 0,
    registrations_pending    BIGINT NOT NULL DEFAULT 0,
    returnees_arrived        BIGINT NOT NULL DEFAULT 0,
    returnees_in_observation BIGINT NOT NULL DEFAULT 0,
    returnees_from_key_areas BIGINT NOT NULL DEFAULT 0,
    isolated_home            BIGINT NOT NULL DEFAULT 0,
    isolated_central         BIGINT NOT NULL DEFAULT 0,
    isolations_started       BIGINT NOT NULL DEFAULT 0,
    isolations_released      BIGINT NOT NULL DEFAULT 0,
    followups_done           BIGINT NOT NULL DEFAULT 0,
    followups_due            BIGINT NOT NULL DEFAULT 0,
    followups_overdue        BIGINT NOT NULL DEFAULT 0,
    checkins_reported        BIGINT NOT NULL DEFAULT 0,
    checkins_unwell          BIGINT NOT NULL DEFAULT 0,
    passages_in              BIGINT NOT NULL DEFAULT 0,
    passages_out             BIGINT NOT NULL DEFAULT 0,
    turned_back              BIGINT NOT NULL DEFAULT 0,
    referred                 BIGINT NOT NULL DEFAULT 0,
    fevers                   BIGINT NOT NULL DEFAULT 0,
    alerts_open              BIGINT NOT NULL DEFAULT 0,
    alerts_acknowledged      BIGINT NOT NULL DEFAULT 0,
    alerts_escalated         BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_path, day)
);

INSERT INTO subtree_day_figures (unit_path, day, households, red, yellow, blue, white, residents, checkins_expected, registrations_pending, returnees_arrived, returnees_in_observation, returnees_from_key_areas, isolated_home, isolated_central, isolations_started, isolations_released, followups_done, followups_due, followups_overdue, checkins_reported, checkins_unwell, passages_in, passages_out, turned_back, referred, fevers, alerts_open, alerts_acknowledged, alerts_escalated)
    SELECT a.path, f.day, SUM(f.households), SUM(f.red), SUM(f.yellow), SUM(f.blue), SUM(f.white), SUM(f.residents), SUM(f.checkins_expected), SUM(f.registrations_pending), SUM(f.returnees_arrived), SUM(f.returnees_in_observation), SUM(f.returnees_from_key_areas), SUM(f.isolated_home), SUM(f.isolated_central), SUM(f.isolations_started), SUM(f.isolations_released), SUM(f.followups_done), SUM(f.followups_due), SUM(f.followups_overdue), SUM(f.checkins_reported), SUM(f.checkins_unwell), SUM(f.passages_in), SUM(f.passages_out), SUM(f.turned_back), SUM(f.referred), SUM(f.fevers), SUM(f.alerts_open), SUM(f.alerts_acknowledged), SUM(f.alerts_escalated)
    FROM units a JOIN unit_day_figures f ON f.unit_path >= a.path AND f.unit_path < substr(a.path, 1, length(a.path) - 1) || '0'
    GROUP BY a.path, f.day;
