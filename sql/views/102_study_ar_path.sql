-- study_ar_path: event-window ARs with t, and the CAR cumulated from the window start with its full variance.
-- Grain: one row per (event_id, symbol, day) inside the event window. Source of the study_ar table.
-- car_se uses spec §4.3: sigma2 (L + c1 L^2/M + c2 (sum of (Rm - mean Rm))^2 / Smm), L = days so far.
CREATE OR REPLACE VIEW study_ar_path AS
WITH cum AS (
    SELECT a.*,
           sum(a.ar) OVER w AS car,
           count(*) OVER w AS cum_n,
           sum(a.bench_dev) OVER w AS cum_dev
    FROM study_window_ar a
    WINDOW w AS (PARTITION BY a.ev ORDER BY a.day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
SELECT an.event_id, an.symbol, c.day, c.date, c.ret, c.bench_ret, c.ar,
       sqrt(c.ar_var) AS ar_se,
       c.ar / nullif(sqrt(c.ar_var), 0) AS ar_t,
       c.car,
       sqrt(f.sigma2 * (c.cum_n + f.c1 * c.cum_n * c.cum_n / f.m
                        + CASE WHEN f.c2 = 0 THEN 0.0 ELSE c.cum_dev ^ 2 / nullif(f.smm, 0) END)) AS car_se,
       c.price, c.bench_price, c.ev
FROM cum c
JOIN study_anchor an ON an.ev = c.ev
LEFT JOIN study_fit f ON f.ev = c.ev;
