-- study_kp: Kolari–Pynnönen (2010) mean off-diagonal correlation r̄ of the estimation residuals per group.
-- Grain: one row per (group_kind, group_value).
-- With u_it = (AR_it - mean_i) / norm_i aligned by calendar date, sum_t (sum_i u_it)^2 - N = sum_{i<>j} corr_ij
-- (dates the windows do not share contribute 0); the estimation pass stores sum_t (sum_i u_it)^2 per group in
-- study_kp_sums, N counts the group's events with residual spread (norm > 0).
CREATE OR REPLACE VIEW study_kp AS
WITH keys AS (
    SELECT DISTINCT g, event_type, company FROM study_event_groups
), counts AS (
    SELECT CASE WHEN grouping(k.event_type) = 0 THEN 'event_type'
                WHEN grouping(k.company) = 0 THEN 'company' ELSE 'all' END AS group_kind,
           coalesce(k.event_type, k.company, 'all') AS group_value,
           count(*) AS n
    FROM study_est_events e
    JOIN keys k ON k.g = e.g
    WHERE e.norm_est > 0
    GROUP BY GROUPING SETS ((), (k.event_type), (k.company))
)
SELECT c.group_kind, c.group_value, c.n::INTEGER AS n,
       CASE WHEN c.n >= 2 THEN (t.s2 - c.n) / (c.n * (c.n - 1)) END AS r_bar
FROM counts c
JOIN study_kp_sums t ON t.group_kind = c.group_kind AND t.group_value = c.group_value;
