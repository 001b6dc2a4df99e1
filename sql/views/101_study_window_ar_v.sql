-- study_window_ar_v: source of the study_window_ar table: abnormal returns on the event-window days with the
-- prediction-error variance, looked up in study_pairs by one integer key (day-0 key + day).
-- Grain: one row per (ev, day) inside the event window with a joined session.
CREATE OR REPLACE VIEW study_window_ar_v AS
WITH days AS (
    SELECT unnest(range(win_start, win_end + 1))::INTEGER AS day FROM study_params
), events AS MATERIALIZED (
    -- the fit joined per event first, so the only join per (event, day) row is the study_pairs lookup
    SELECT a.ev, a.key0, a.first_day, f.alpha, f.beta, f.mean_m, f.sigma2, f.c1, f.c2, f.m, f.smm
    FROM study_anchor a
    LEFT JOIN study_fit f ON f.ev = a.ev
    WHERE a.seq0 IS NOT NULL
)
SELECT e.ev, d.day, s.date, s.ret, s.bench_ret, s.price, s.bench_price,
       s.ret - e.alpha - e.beta * s.bench_ret AS ar,
       s.bench_ret - e.mean_m AS bench_dev,
       -- spec §4.2: sigma2 * (1 + c1/M + c2 (Rm - mean Rm)^2 / Smm)
       e.sigma2 * (1 + e.c1 / e.m
                   + CASE WHEN e.c2 = 0 THEN 0.0 ELSE (s.bench_ret - e.mean_m) ^ 2 / nullif(e.smm, 0) END) AS ar_var
FROM events e
CROSS JOIN days d
JOIN study_pairs s ON s.pair_key = e.key0 + d.day
WHERE d.day >= e.first_day;
