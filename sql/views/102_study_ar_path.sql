-- study_ar_path: event-window ARs with t, and the CAR cumulated from the window start with its full variance.
-- Grain: one row per (event_id, symbol, day) inside the event window. Source of the study_ar table.
-- car_se uses spec §4.3: sigma2 (L + c1 L^2/M + c2 (sum of (Rm - mean Rm))^2 / Smm), L = days so far.
CREATE OR REPLACE VIEW study_ar_path AS
WITH events AS MATERIALIZED (
    -- ids and fit joined per event first: one join per AR row instead of two
    SELECT an.ev, an.event_id, an.symbol, f.sigma2, f.c1, f.c2, f.m, f.smm
    FROM study_anchor an
    LEFT JOIN study_fit f ON f.ev = an.ev
), cum AS (
    SELECT a.*,
           sum(a.ar) OVER w AS car,
           count(*) OVER w AS cum_n,
           sum(a.bench_dev) OVER w AS cum_dev
    FROM study_window_ar a
    WINDOW w AS (PARTITION BY a.ev ORDER BY a.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
SELECT e.event_id, e.symbol, c.day, c.date, c.ret, c.bench_ret, c.ar,
       sqrt(c.ar_var) AS ar_se,
       c.ar / nullif(sqrt(c.ar_var), 0) AS ar_t,
       c.car,
       sqrt(e.sigma2 * (c.cum_n + e.c1 * c.cum_n * c.cum_n / e.m
                        + CASE WHEN e.c2 = 0 THEN 0.0 ELSE c.cum_dev ^ 2 / nullif(e.smm, 0) END)) AS car_se,
       c.price, c.bench_price, c.ev
FROM cum c
JOIN events e ON e.ev = c.ev;
