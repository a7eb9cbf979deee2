-- Follow-ups due and overdue as day figures: the isolation orders with a follow-up window on
-- the day, and those of them with a window closed and nobody following up since it opened.
-- Which windows count is a server setting, so each close keeps the windows it counted with
-- (as it keeps its fever line) and a late fact is recounted with the same ones.
ALTER TABLE unit_day_figures ADD COLUMN followups_due BIGINT NOT NULL DEFAULT 0;
ALTER TABLE unit_day_figures ADD COLUMN followups_overdue BIGINT NOT NULL DEFAULT 0;
ALTER TABLE day_closes ADD COLUMN followup_windows TEXT NOT NULL DEFAULT '07:00-12:00,14:00-19:00';
