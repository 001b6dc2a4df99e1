-- Insert one sentence that reports an event. Parameters: event_id, article, published, evidence, evidence_start, evidence_end.
-- Grain: one row per (event_id, article, evidence_start).
INSERT OR REPLACE INTO event_sources (event_id, article, published, evidence, evidence_start, evidence_end)
VALUES (?, ?, ?, ?, ?, ?);
