-- study_results gains ev (study_anchor.ev of the run), so the per-run joins use one integer instead of
-- (event_id, symbol). Grain: study_results keeps one row per (event_id, symbol) of study_events.
ALTER TABLE study_results ADD COLUMN ev BIGINT;
