-- study_est_ar fill: the pooled estimation- and event-window ARs of the events in aggregates.
-- Grain: inserts one row per (ev, day) with an AR.
-- The per-event values are joined first (100k rows), so the one big join is a single integer-key lookup of
-- (day-0 key + day) in study_pairs; AR is the same expression as study_abnormal, so the values are identical.
-- T_i is counted from the data span (every seq between the first and last joined session exists).
INSERT INTO study_est_ar
WITH days AS (
    SELECT d.day::INTEGER AS day, d.day BETWEEN p.est_start AND p.est_end AS in_est
    FROM study_params p,
         (SELECT unnest(range(least(est_start, win_start), greatest(est_end, win_end) + 1)) AS day FROM study_params) d
    WHERE d.day BETWEEN p.est_start AND p.est_end OR d.day BETWEEN p.win_start AND p.win_end
), events AS MATERIALIZED (
    SELECT a.ev, g.g, a.key0, a.first_day, f.alpha, f.beta,
           (SELECT count(*) FROM days d WHERE d.day BETWEEN a.first_day AND a.last_day) AS t_i
    FROM study_event_groups g
    JOIN study_anchor a ON a.ev = g.ev
    JOIN study_fit f ON f.ev = a.ev
    WHERE a.seq0 IS NOT NULL AND f.alpha IS NOT NULL AND f.beta IS NOT NULL
)
SELECT e.ev, e.g, d.day, e.t_i, d.in_est, s.ret - e.alpha - e.beta * s.bench_ret AS ar
FROM events e
CROSS JOIN days d
JOIN study_pairs s ON s.pair_key = e.key0 + d.day
WHERE d.day >= e.first_day;
