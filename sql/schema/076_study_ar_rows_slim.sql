-- study_ar_rows keeps only what the run computes: the returns and prices are study_pairs' values and ar_se follows
-- from study_fit and bench_dev, so the study_ar view looks them up instead of the run writing them on every row.
-- Grain: study_ar_rows keeps one row per (ev, day) inside the event window with a joined session.
ALTER TABLE study_ar_rows DROP COLUMN ret;
ALTER TABLE study_ar_rows DROP COLUMN bench_ret;
ALTER TABLE study_ar_rows DROP COLUMN ar_se;
ALTER TABLE study_ar_rows DROP COLUMN price;
ALTER TABLE study_ar_rows DROP COLUMN bench_price;
