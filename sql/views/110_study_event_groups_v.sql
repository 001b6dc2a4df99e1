-- study_event_groups_v: source of the study_event_groups table (see there), from study_results.
-- Grain: one row per ev with in_aggregates.
CREATE OR REPLACE VIEW study_event_groups_v AS
SELECT r.ev, coalesce(r.event_type, 'unknown') AS event_type, coalesce(r.company, r.symbol) AS company,
       -- numbered company first, so the estimation pass gets each company's groups adjacent by sorting on g alone
       dense_rank() OVER (ORDER BY coalesce(r.company, r.symbol), coalesce(r.event_type, 'unknown'))::INTEGER AS g
FROM study_results r
WHERE r.in_aggregates;
