-- study_ar gains bench_dev (Rm - mean Rm of the estimation window), the CAR-variance input of the window CARs, so
-- the CAR windows are summed from study_ar and the per-(event, day) working table study_window_ar is dropped.
-- Grain: study_ar keeps one row per (event_id, symbol, day) inside the event window.
ALTER TABLE study_ar ADD COLUMN bench_dev DOUBLE;
DROP TABLE IF EXISTS study_window_ar;
