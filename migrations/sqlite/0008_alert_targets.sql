-- Alerts store what they point at (a kind and an id) instead of a page's address: the pages
-- make the link. Existing alerts are carried over from their links; a link of another shape
-- stops the migration (NOT NULL) rather than guess.
ALTER TABLE alerts ADD COLUMN target_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN target_id BLOB NOT NULL DEFAULT x'';
UPDATE alerts SET
    target_kind = CASE
        WHEN link LIKE '/people/%' THEN 'person'
        WHEN link LIKE '/households/%' THEN 'household'
        WHEN link LIKE '/isolations/%' THEN 'isolation'
        WHEN link LIKE '/checkpoints/%' THEN 'checkpoint' END,
    target_id = unhex(replace(substr(link, instr(substr(link, 2), '/') + 2, 36), '-', ''));
ALTER TABLE alerts DROP COLUMN link;
