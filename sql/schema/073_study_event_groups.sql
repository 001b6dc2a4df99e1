-- study_event_groups: the group values of each event in aggregates, keyed by ev (materialised once per run from the
-- study_event_groups_v view; it was itself a view, recomputed by each of the five study steps that read it).
-- Grain: one row per ev with in_aggregates.
-- g numbers the (event_type, company) combinations, so the estimation pass and the big roll-ups aggregate by one
-- small integer and the all / event_type / company roll-ups run on their few rows.
DROP VIEW IF EXISTS study_event_groups;
CREATE TABLE IF NOT EXISTS study_event_groups (
    ev         BIGINT,
    event_type VARCHAR,   -- 'unknown' when the event has none
    company    VARCHAR,   -- the symbol when the event has no company
    g          INTEGER
);
