-- study_window_ar_v: source of the study_window_ar table: abnormal returns on the event-window days with the
-- prediction-error variance, looked up in study_pairs by one integer key (day-0 key + day).
-- Grain: one row per (ev, day) inside the event window with a joined session.
CREATE OR REPLACE VIEW study_window_ar_v AS
WITH days AS (
    SELECT unnest(range(win_start, win_end + 1))::INTEGER AS day FROM study_params
)
SELECT a.ev, d.day, s.date, s.ret, s.bench_ret, s.price, s.bench_price,
       s.ret - f.alpha - f.beta * s.bench_ret AS ar,
       s.bench_ret - f.mean_m AS bench_dev,
       -- spec §4.2: sigma2 * (1 + c1/M + c2 (Rm - mean Rm)^2 / Smm)
       f.sigma2 * (1 + f.c1 / f.m
                   + CASE WHEN f.c2 = 0 THEN 0.0 ELSE (s.bench_ret - f.mean_m) ^ 2 / nullif(f.smm, 0) END) AS ar_var
FROM study_anchor a
CROSS JOIN days d
JOIN study_pairs s ON s.pair_key = a.key0 + d.day
LEFT JOIN study_fit f ON f.ev = a.ev
WHERE a.seq0 IS NOT NULL AND d.day >= a.first_day;
