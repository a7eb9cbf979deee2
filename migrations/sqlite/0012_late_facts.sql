-- A check-in or passage written for a day before today (a paper list typed in the next
-- morning), noted in the transaction that writes it. The stored figures of that day, once it
-- is closed, are counted again from the facts and the note removed in one transaction: after
-- the group's commit, and by the closer every minute and at start, so that neither a crash
-- after the commit nor a close running beside the write leaves a closed day short.
CREATE TABLE late_facts (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_path TEXT NOT NULL,
    day       TEXT NOT NULL
);
