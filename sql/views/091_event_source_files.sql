-- event_source_files: the article files that report each event (an event merged from several
-- articles lists them all).
-- Grain: one row per event id.
CREATE OR REPLACE VIEW event_source_files AS
SELECT event_id, list(DISTINCT article ORDER BY article) AS sources
FROM event_sources
GROUP BY event_id;
