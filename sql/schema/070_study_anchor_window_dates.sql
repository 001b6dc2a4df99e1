-- study_anchor loses win_first_date / win_last_date: the overlap flag reads the event window's dates from study_ar
-- (its first and last rows), which saves two lookups per event into study_pairs.
-- Grain: study_anchor keeps one row per (event_id, symbol) of study_events.
ALTER TABLE study_anchor DROP COLUMN win_first_date;
ALTER TABLE study_anchor DROP COLUMN win_last_date;
