-- 报平安 counted as it is written: each unit's check-ins and unwell check-ins of a day, kept
-- beside the check-ins by triggers in the same transaction, so that a dashboard sums one row
-- per unit instead of counting a city's millions of check-ins (as unit_counts does for
-- households and residents). A check-in's unit and day never change; a second report of the
-- same day changes only its status.
CREATE TABLE checkin_counts (
    day       TEXT NOT NULL,
    unit_path TEXT NOT NULL,
    reported  INTEGER NOT NULL DEFAULT 0,
    unwell    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, unit_path)
) WITHOUT ROWID;

INSERT INTO checkin_counts (day, unit_path, reported, unwell)
    SELECT day, unit_path, COUNT(*), SUM(status = 'unwell') FROM checkins GROUP BY day, unit_path;

CREATE TRIGGER checkins_count_insert AFTER INSERT ON checkins BEGIN
    INSERT INTO checkin_counts (day, unit_path, reported, unwell) VALUES (NEW.day, NEW.unit_path, 1, NEW.status = 'unwell')
        ON CONFLICT (day, unit_path) DO UPDATE SET reported = reported + 1, unwell = unwell + excluded.unwell;
END;

CREATE TRIGGER checkins_count_status AFTER UPDATE OF status ON checkins WHEN OLD.status IS NOT NEW.status BEGIN
    UPDATE checkin_counts SET unwell = unwell + (NEW.status = 'unwell') - (OLD.status = 'unwell')
        WHERE day = NEW.day AND unit_path = NEW.unit_path;
END;

CREATE TRIGGER checkins_count_delete AFTER DELETE ON checkins BEGIN
    UPDATE checkin_counts SET reported = reported - 1, unwell = unwell - (OLD.status = 'unwell')
        WHERE day = OLD.day AND unit_path = OLD.unit_path;
END;
