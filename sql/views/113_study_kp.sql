-- study_kp: Kolari–Pynnönen (2010) mean off-diagonal correlation r̄ of the estimation residuals per group.
-- Grain: one row per (group_kind, group_value).
-- With u_it = (AR_it - mean_i) / norm_i aligned by calendar date, sum_t (sum_i u_it)^2 - N = sum_{i<>j} corr_ij
-- (dates the windows do not share contribute 0). As AR_it = R_t - alpha_i - beta_i Rm_t, the sum over the events
-- of one pair on a date is R_t A - B - Rm_t C, with A, B, C the sums of 1/norm_i, (alpha_i + mean_i)/norm_i and
-- beta_i/norm_i over the events whose estimation window covers that date: running sums of +/- steps at each
-- window's first and last+1 session. One row per (group number g, pair, covered session), not per event and day.
CREATE OR REPLACE VIEW study_kp AS
WITH ev AS (
    SELECT e.g,
           a.key0 + greatest(p.est_start, a.first_day) AS k_lo,
           a.key0 + least(p.est_end, a.last_day) AS k_hi,
           1.0 / e.norm_est AS da, (f.alpha + e.mean_est) / e.norm_est AS db, f.beta / e.norm_est AS dc
    FROM study_est_events e
    JOIN study_anchor a ON a.ev = e.ev
    JOIN study_fit f ON f.ev = e.ev
    CROSS JOIN study_params p
    WHERE e.norm_est > 0
), deltas AS (
    SELECT g, k, sum(n) AS n, sum(da) AS da, sum(db) AS db, sum(dc) AS dc
    FROM (SELECT g, k_lo AS k, 1 AS n, da, db, dc FROM ev
          UNION ALL
          SELECT g, k_hi + 1, -1, -da, -db, -dc FROM ev)
    GROUP BY g, k
), steps AS (
    -- pair_key >> 24 is the pair number: a step holds from its key up to the next step of the same (g, pair)
    SELECT g, k,
           lead(k) OVER (PARTITION BY g, k >> 24 ORDER BY k) AS k_next,
           sum(n) OVER w AS n, sum(da) OVER w AS a, sum(db) OVER w AS b, sum(dc) OVER w AS c
    FROM deltas
    WINDOW w AS (PARTITION BY g, k >> 24 ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
), keys AS (
    -- integer ids for the roll-ups: the big GROUP BY below hashes numbers, not names
    SELECT g, event_type, company,
           dense_rank() OVER (ORDER BY event_type) AS type_no, dense_rank() OVER (ORDER BY company) AS company_no
    FROM (SELECT DISTINCT g, event_type, company FROM study_event_groups)
), covered AS (
    SELECT k.type_no, k.company_no, s.a, s.b, s.c, unnest(range(s.k, s.k_next)) AS pair_key
    FROM steps s
    JOIN keys k ON k.g = s.g
    WHERE s.n > 0
), by_date AS (
    -- straight from the covered rows to the three roll-ups: a (g, date) level in between would not shrink them
    SELECT CASE WHEN grouping(c.type_no) = 0 THEN 'event_type'
                WHEN grouping(c.company_no) = 0 THEN 'company' ELSE 'all' END AS group_kind,
           coalesce(c.type_no, c.company_no, 0) AS group_no,
           sum(s.ret * c.a - c.b - s.bench_ret * c.c) AS s
    FROM covered c
    JOIN study_pairs s ON s.pair_key = c.pair_key
    GROUP BY GROUPING SETS ((s.date), (c.type_no, s.date), (c.company_no, s.date))
), names AS (
    SELECT DISTINCT 'event_type' AS group_kind, type_no AS group_no, event_type AS group_value FROM keys
    UNION ALL
    SELECT DISTINCT 'company', company_no, company FROM keys
    UNION ALL
    SELECT 'all', 0, 'all'
), totals AS (
    SELECT b.group_kind, n.group_value, sum(b.s * b.s) AS s2
    FROM by_date b
    JOIN names n ON n.group_kind = b.group_kind AND n.group_no = b.group_no
    GROUP BY b.group_kind, n.group_value
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
JOIN totals t ON t.group_kind = c.group_kind AND t.group_value = c.group_value;
