-- study_event_groups: the group values of each event in aggregates, keyed by ev, for the one-pass GROUPING SETS
-- tests over study_residuals. Grain: one row per ev with in_aggregates.
CREATE OR REPLACE VIEW study_event_groups AS
SELECT a.ev, coalesce(r.event_type, 'unknown') AS event_type, coalesce(r.company, r.symbol) AS company
FROM study_results r
JOIN study_anchor a ON a.event_id = r.event_id AND a.symbol = r.symbol
WHERE r.in_aggregates;
