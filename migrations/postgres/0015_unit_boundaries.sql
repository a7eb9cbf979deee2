-- Units' boundaries, for the maps of units (choropleths of a figure over a unit's children):
-- the geometry as GeoJSON (a MultiPolygon of WGS 84 longitude and latitude, checked before it
-- is stored), whether it is schematic (the demo's generated shapes, said so in the legend),
-- and who set it when. One per unit; setting it again replaces it.
CREATE TABLE unit_boundaries (
    unit_code TEXT PRIMARY KEY REFERENCES units (code),
    unit_path TEXT NOT NULL,
    geometry  TEXT NOT NULL,
    schematic BOOLEAN NOT NULL,
    set_by    TEXT NOT NULL,
    set_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX unit_boundaries_path ON unit_boundaries (unit_path);
