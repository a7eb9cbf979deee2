-- Ids a client chose for the records it created (an offline phone, a retried request): what
-- kind of record each names, where it lies, and a digest of what the request said. The same
-- request again answers the stored record; any other use of the id is refused.
CREATE TABLE client_ids (
    id          BLOB PRIMARY KEY,
    kind        TEXT NOT NULL,
    unit_path   TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- What a checkpoint or a traveller typed belongs to that passage or registration: the shared
-- `people` row is no longer rewritten by it.
ALTER TABLE passages ADD COLUMN name TEXT;
ALTER TABLE passages ADD COLUMN phone TEXT;
ALTER TABLE registrations ADD COLUMN name TEXT;
ALTER TABLE registrations ADD COLUMN phone TEXT;
