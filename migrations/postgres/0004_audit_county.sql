-- The audit log carries its unit's county, like every large table, and is indexed by it.
-- The index on (unit_path, id) put each new entry beside its own unit's older ones, so nearly
-- every audited write also rewrote a page of that index somewhere in the middle; entries
-- now go to the end of their county's run, and a scope inside a county reads that run
-- newest first.
ALTER TABLE audit_log ADD COLUMN county_code TEXT;
-- The third code of the path ('/15/1505/150502/…' → '150502'), if it has one.
UPDATE audit_log SET county_code = NULLIF(split_part(unit_path, '/', 4), '');
CREATE INDEX audit_log_county ON audit_log (county_code, id);
DROP INDEX audit_log_path;
