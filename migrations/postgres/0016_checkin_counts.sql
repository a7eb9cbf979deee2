-- 报平安 counted as it is written: each unit's check-ins and unwell check-ins of a day, kept
-- beside the check-ins by triggers in the same transaction, so that a dashboard sums one row
-- per unit instead of counting a city's millions of check-ins (as unit_counts does for
-- households and residents). A check-in's unit and day never change; a second report of the
-- same day changes only its status. A group of check-ins is written in (unit_path, day) order,
-- so that two groups lock the counts they share in the same order.
CREATE TABLE checkin_counts (
    day       DATE NOT NULL,
    unit_path TEXT COLLATE "C" NOT NULL,
    reported  BIGINT NOT NULL DEFAULT 0,
    unwell    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, unit_path)
);

INSERT INTO checkin_counts (day, unit_path, reported, unwell)
    SELECT day, unit_path, COUNT(*), COUNT(*) FILTER (WHERE status = 'unwell') FROM checkins GROUP BY day, unit_path;

CREATE FUNCTION checkins_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO checkin_counts (day, unit_path, reported, unwell)
            VALUES (NEW.day, NEW.unit_path, 1, CASE WHEN NEW.status = 'unwell' THEN 1 ELSE 0 END)
            ON CONFLICT (day, unit_path) DO UPDATE
            SET reported = checkin_counts.reported + 1, unwell = checkin_counts.unwell + excluded.unwell;
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE checkin_counts
            SET unwell = unwell + (CASE WHEN NEW.status = 'unwell' THEN 1 ELSE 0 END) - (CASE WHEN OLD.status = 'unwell' THEN 1 ELSE 0 END)
            WHERE day = NEW.day AND unit_path = NEW.unit_path;
    ELSE
        UPDATE checkin_counts
            SET reported = reported - 1, unwell = unwell - (CASE WHEN OLD.status = 'unwell' THEN 1 ELSE 0 END)
            WHERE day = OLD.day AND unit_path = OLD.unit_path;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER checkins_count_insert AFTER INSERT ON checkins FOR EACH ROW EXECUTE FUNCTION checkins_count();
CREATE TRIGGER checkins_count_status AFTER UPDATE OF status ON checkins
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION checkins_count();
CREATE TRIGGER checkins_count_delete AFTER DELETE ON checkins FOR EACH ROW EXECUTE FUNCTION checkins_count();
