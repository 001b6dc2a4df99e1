-- study_event_groups: the group values of each event in aggregates, keyed by ev, for the one-pass GROUPING SETS
-- tests. Grain: one row per ev with in_aggregates.
-- g numbers the (event_type, company) combinations, so the big estimation-window passes aggregate by one small
-- integer and the all / event_type / company roll-ups run on their few rows.
CREATE OR REPLACE VIEW study_event_groups AS
SELECT a.ev, coalesce(r.event_type, 'unknown') AS event_type, coalesce(r.company, r.symbol) AS company,
       dense_rank() OVER (ORDER BY coalesce(r.event_type, 'unknown'), coalesce(r.company, r.symbol))::INTEGER AS g
FROM study_results r
JOIN study_anchor a ON a.event_id = r.event_id AND a.symbol = r.symbol
WHERE r.in_aggregates;
