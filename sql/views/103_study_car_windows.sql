-- study_car_windows: CAR for every configured window with the full variance incl. estimation error (spec §4.3).
-- Grain: one row per (event_id, symbol, window) for every study event; covered = all L sessions present.
CREATE OR REPLACE VIEW study_car_windows AS
WITH sums AS (
    SELECT a.ev, w.label,
           sum(a.ar) AS car,
           count(a.ar) AS n_days,
           sum(a.bench_dev) AS dev,
           sum(a.ar_t) AS csar
    FROM study_ar a
    JOIN study_windows w ON a.day BETWEEN w.win_start AND w.win_end
    GROUP BY a.ev, w.label
), full_var AS (
    SELECT s.*, w.win_start, w.win_end, w.win_end - w.win_start + 1 AS l, f.df,
           f.sigma2 * ((w.win_end - w.win_start + 1)
                       + f.c1 * (w.win_end - w.win_start + 1) ^ 2 / f.m
                       + CASE WHEN f.c2 = 0 THEN 0.0 ELSE s.dev ^ 2 / nullif(f.smm, 0) END) AS var_car
    FROM sums s
    JOIN study_windows w ON w.label = s.label
    LEFT JOIN study_fit f ON f.ev = s.ev
)
SELECT e.event_id, e.symbol, w.label AS "window", w.win_start, w.win_end,
       CASE WHEN v.n_days = v.l THEN v.car END AS car,
       CASE WHEN v.n_days = v.l THEN sqrt(v.var_car) END AS se,
       CASE WHEN v.n_days = v.l THEN v.car / nullif(sqrt(v.var_car), 0) END AS t,
       coalesce(v.n_days = v.l AND v.car IS NOT NULL, false) AS covered,
       coalesce(v.n_days, 0)::INTEGER AS n_days,
       v.df::INTEGER AS df,
       CASE WHEN v.n_days = v.l THEN v.csar END AS csar
FROM study_anchor e
CROSS JOIN study_windows w
LEFT JOIN full_var v ON v.ev = e.ev AND v.label = w.label;
