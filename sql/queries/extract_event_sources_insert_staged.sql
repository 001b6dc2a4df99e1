-- Insert the sentences that report the stored events, staged as the relation staged_event_sources.
-- Grain: one row per (event_id, article, evidence_start).
INSERT OR REPLACE INTO event_sources (event_id, article, published, evidence, evidence_start, evidence_end)
SELECT event_id, article, published, evidence, evidence_start, evidence_end
FROM staged_event_sources;
