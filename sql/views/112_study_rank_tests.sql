-- study_rank_tests: Corrado (1989) rank test over each CAR window in Cowan's (1992) form, per group.
-- Grain: one row per (group_kind, group_value, window).
-- D_it = average rank of AR_it among event i's pooled estimation+event ARs (ties averaged) - (T_i + 1) / 2;
-- D̄_t = mean D over the events present on relative day t; S_D = sqrt(mean of D̄_t^2 over all pooled days);
-- Z = sum_{t in window} D̄_t / (sqrt(L) S_D). The ranks are computed and summed per (g, day) by the estimation pass
-- into study_rank_days (sums of multiples of 1/2, exact), so the all / event_type / company roll-ups give the same D̄_t
-- as summing per event.
CREATE OR REPLACE VIEW study_rank_tests AS
WITH by_g AS (
    SELECT g, day, sum_d, n FROM study_rank_days
), keys AS (
    SELECT DISTINCT g, event_type, company FROM study_event_groups
), daily AS (
    SELECT CASE WHEN grouping(k.event_type) = 0 THEN 'event_type'
                WHEN grouping(k.company) = 0 THEN 'company' ELSE 'all' END AS group_kind,
           coalesce(k.event_type, k.company, 'all') AS group_value,
           b.day, sum(b.sum_d) / sum(b.n) AS dbar
    FROM by_g b
    JOIN keys k ON k.g = b.g
    GROUP BY GROUPING SETS ((b.day), (k.event_type, b.day), (k.company, b.day))
), spread AS (
    SELECT group_kind, group_value, sqrt(avg(dbar * dbar)) AS s_d
    FROM daily GROUP BY group_kind, group_value
)
SELECT d.group_kind, d.group_value, w.label AS "window",
       sum(d.dbar) / nullif(sqrt(w.win_end - w.win_start + 1) * s.s_d, 0) AS z,
       count(*) AS days
FROM daily d
JOIN study_windows w ON d.day BETWEEN w.win_start AND w.win_end
JOIN spread s ON s.group_kind = d.group_kind AND s.group_value = d.group_value
GROUP BY d.group_kind, d.group_value, w.label, w.win_start, w.win_end, s.s_d;
