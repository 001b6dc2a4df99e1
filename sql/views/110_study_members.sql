-- study_members: which (event, symbol) rows count in which aggregate group (only rows with in_aggregates).
-- Grain: one row per (group_kind, group_value, event_id, symbol); groups: all / event_type / company.
CREATE OR REPLACE VIEW study_members AS
WITH r AS (
    SELECT event_id, symbol, event_type, company, ev FROM study_results WHERE in_aggregates
)
SELECT 'all' AS group_kind, 'all' AS group_value, event_id, symbol, ev FROM r
UNION ALL
SELECT 'event_type', coalesce(event_type, 'unknown'), event_id, symbol, ev FROM r
UNION ALL
SELECT 'company', coalesce(company, symbol), event_id, symbol, ev FROM r;
