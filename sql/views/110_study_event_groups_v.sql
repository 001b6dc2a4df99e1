-- study_event_groups_v: source of the study_event_groups table (see there), from study_results.
-- Grain: one row per ev with in_aggregates.
CREATE OR REPLACE VIEW study_event_groups_v AS
SELECT r.ev, coalesce(r.event_type, 'unknown') AS event_type, coalesce(r.company, r.symbol) AS company,
       dense_rank() OVER (ORDER BY coalesce(r.event_type, 'unknown'), coalesce(r.company, r.symbol))::INTEGER AS g
FROM study_results r
WHERE r.in_aggregates;
