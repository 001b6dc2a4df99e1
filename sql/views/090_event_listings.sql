-- event_listings: every listing an extracted event can be studied on, with its benchmark and the
-- study date (events that did not happen — negated, rumoured or only considered — and undatable ones are left out).
-- Grain: one row per (event id, listing symbol).
CREATE OR REPLACE VIEW event_listings AS
SELECT e.id AS event_id,
       l.symbol,
       l.benchmark,
       e.study_date,
       l.exchange,
       e.event_type,
       e.company,
       e.headline AS label,
       l.listed_since,
       e.background,
       coalesce(e.status, 'reported') AS status
FROM events e
JOIN listings l ON l.company = e.company
WHERE e.study_date IS NOT NULL
  AND coalesce(e.status, 'reported') NOT IN ('negated', 'rumoured', 'considered');
