-- study_residuals_v: source of the study_residuals table (see there); ranks use average ranks for ties.
-- Grain: one row per (ev, day) with an AR, for events in aggregates.
CREATE OR REPLACE VIEW study_residuals_v AS
WITH r AS (
    SELECT a.ev, a.day, a.date, a.ar, a.in_est, a.in_win
    FROM study_abnormal a
    WHERE a.ev IN (SELECT ev FROM study_event_groups) AND a.ar IS NOT NULL
), per_event AS (
    SELECT ev, count(*) AS t_i,
           avg(CASE WHEN in_est THEN ar END) AS mean_est,
           sqrt(var_pop(CASE WHEN in_est THEN ar END) * count(CASE WHEN in_est THEN ar END)) AS norm_est
    FROM r GROUP BY ev
), ranked AS (
    -- rank() is the lowest rank of a tie group, the RANGE count the highest: their mean is the average rank
    SELECT r.*, (rank() OVER w + count(*) OVER w) / 2.0 AS k
    FROM r
    WINDOW w AS (PARTITION BY ev ORDER BY ar)
)
SELECT k.ev, k.day, k.date, k.ar, k.in_est, k.in_win,
       k.k - (e.t_i + 1) / 2.0 AS d,
       CASE WHEN k.in_est THEN (k.ar - e.mean_est) / nullif(e.norm_est, 0) END AS u
FROM ranked k
JOIN per_event e ON e.ev = k.ev;
