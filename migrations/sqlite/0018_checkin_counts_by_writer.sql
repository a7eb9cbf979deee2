-- The check-in counts of 0016 are kept by the one writer (`checkins_sqlite`), which adds each
-- group's changes as one row per unit and day: a trigger per check-in cost a third more
-- instructions a check-in. Its two triggers on insert and on a change of status go; the
-- trigger on delete stays (a check-in is deleted only by a purge, never by the writer).
DROP TRIGGER IF EXISTS checkins_count_insert;
DROP TRIGGER IF EXISTS checkins_count_status;
