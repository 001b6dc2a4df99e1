-- study_ar_v: source of the study_ar_rows table: event-window ARs with their prediction-error t, and the CAR
-- cumulated from the window start with its full variance, looked up in study_pairs by one integer key (day-0 key +
-- day). Grain: one row per (ev, day) inside the event window with a joined session.
-- The AR variance follows spec §4.2: sigma2 (1 + c1/M + c2 (Rm - mean Rm)^2 / Smm); car_se spec §4.3:
-- sigma2 (L + c1 L^2/M + c2 (sum of (Rm - mean Rm))^2 / Smm), L = days so far. The cumulated sums are differences of
-- study_pairs' running sums (as in study_fit), so no per-event sort is needed; they equal the summed ARs to ~1e-14.
CREATE OR REPLACE VIEW study_ar_v AS
WITH events AS MATERIALIZED (
    -- fit and the running sums before the window start joined per event first, so the only join per
    -- (event, day) row is the study_pairs lookup. The days are unnested here rather than cross-joined from a day
    -- list: DuckDB then hashes study_pairs and probes it with the 21 rows per event, instead of hashing those
    -- (with every fit column) and probing with all of study_pairs (about 2.5x slower at 100k events).
    SELECT a.ev, a.key0, greatest(p.win_start, a.first_day) AS from_day,
           unnest(range(greatest(p.win_start, a.first_day), p.win_end + 1))::INTEGER AS day,
           coalesce(b.cx, 0.0) AS cx0, coalesce(b.cy, 0.0) AS cy0,
           f.alpha, f.beta, f.mean_m, f.sigma2, f.c1, f.c2, f.m, f.smm
    FROM study_anchor a
    CROSS JOIN study_params p
    LEFT JOIN study_fit f ON f.ev = a.ev
    LEFT JOIN study_pairs b ON b.pair_key = a.key0 + p.win_start - 1 AND p.win_start - 1 >= a.first_day
    WHERE a.seq0 IS NOT NULL
), day_rows AS (
    SELECT e.*, s.date,
           s.ret - e.alpha - e.beta * s.bench_ret AS ar,
           s.bench_ret - e.mean_m AS bench_dev,
           study_prediction_variance(e.sigma2, e.c1, e.c2, e.m, e.smm, 1, s.bench_ret - e.mean_m) AS ar_var,
           e.day - e.from_day + 1 AS cum_n,
           (s.cy - e.cy0) - e.alpha * (e.day - e.from_day + 1) - e.beta * (s.cx - e.cx0) AS car,
           (s.cx - e.cx0) - e.mean_m * (e.day - e.from_day + 1) AS cum_dev
    FROM events e
    JOIN study_pairs s ON s.pair_key = e.key0 + e.day
)
SELECT ev, day, date, ar,
       ar / nullif(sqrt(ar_var), 0) AS ar_t,
       car,
       sqrt(study_prediction_variance(sigma2, c1, c2, m, smm, cum_n, cum_dev)) AS car_se,
       bench_dev
FROM day_rows;
