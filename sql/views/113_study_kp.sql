-- study_kp: Kolari–Pynnönen (2010) mean off-diagonal correlation r̄ of the estimation residuals per group.
-- Grain: one row per (group_kind, group_value).
-- With u_i the unit-norm demeaned residuals aligned by calendar date, sum_d (sum_i u_id)^2 - N = sum_{i<>j} corr_ij
-- exactly when the estimation windows share their dates; dates the windows do not share contribute 0.
-- This is O(rows) instead of O(N^2) pairs; GROUPING SETS make all groups in one pass.
CREATE OR REPLACE VIEW study_kp AS
WITH by_date AS (
    SELECT CASE WHEN grouping(g.event_type) = 0 THEN 'event_type'
                WHEN grouping(g.company) = 0 THEN 'company' ELSE 'all' END AS group_kind,
           coalesce(g.event_type, g.company, 'all') AS group_value,
           sum(r.u) AS s, sum(r.u * r.u) AS ss
    FROM study_residuals r
    JOIN study_event_groups g ON g.ev = r.ev
    WHERE r.in_est AND r.u IS NOT NULL
    GROUP BY GROUPING SETS ((r.date), (g.event_type, r.date), (g.company, r.date))
), totals AS (
    SELECT group_kind, group_value, sum(s * s) AS s2, round(sum(ss)) AS n
    FROM by_date GROUP BY group_kind, group_value
)
SELECT group_kind, group_value, n::INTEGER AS n,
       CASE WHEN n >= 2 THEN (s2 - n) / (n * (n - 1)) END AS r_bar
FROM totals;
