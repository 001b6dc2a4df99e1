-- study_car_windows: CAR for every configured window with the full variance incl. estimation error (spec §4.3).
-- Grain: one row per (ev, window) for every study event; covered = all L sessions present. Source of study_car_rows.
-- Windows are numbered and expanded to their days, so the per-(event, window) sums are an equality join and an
-- integer-keyed GROUP BY.
CREATE OR REPLACE VIEW study_car_windows AS
WITH windows AS (
    SELECT row_number() OVER (ORDER BY win_start, win_end)::INTEGER AS w, label, win_start, win_end FROM study_windows
), window_days AS (
    SELECT w, unnest(range(win_start, win_end + 1))::INTEGER AS day FROM windows
), sums AS (
    SELECT a.ev, d.w,
           sum(a.ar) AS car,
           count(a.ar) AS n_days,
           sum(a.bench_dev) AS dev,
           sum(a.ar_t) AS csar
    FROM study_ar_rows a
    JOIN window_days d ON d.day = a.day
    GROUP BY a.ev, d.w
), full_var AS (
    SELECT s.*, w.label, w.win_start, w.win_end, w.win_end - w.win_start + 1 AS l, f.df,
           study_prediction_variance(f.sigma2, f.c1, f.c2, f.m, f.smm, w.win_end - w.win_start + 1, s.dev) AS var_car
    FROM sums s
    JOIN windows w ON w.w = s.w
    LEFT JOIN study_fit f ON f.ev = s.ev
)
SELECT e.ev, w.label AS "window", w.win_start, w.win_end,
       CASE WHEN v.n_days = v.l THEN v.car END AS car,
       CASE WHEN v.n_days = v.l THEN sqrt(v.var_car) END AS se,
       CASE WHEN v.n_days = v.l THEN v.car / nullif(sqrt(v.var_car), 0) END AS t,
       coalesce(v.n_days = v.l AND v.car IS NOT NULL, false) AS covered,
       coalesce(v.n_days, 0)::INTEGER AS n_days,
       v.df::INTEGER AS df,
       CASE WHEN v.n_days = v.l THEN v.csar END AS csar
FROM study_anchor e
CROSS JOIN windows w
LEFT JOIN full_var v ON v.ev = e.ev AND v.w = w.w;
