-- study_rank_tests: Corrado (1989) rank test over each CAR window in Cowan's (1992) form, per group.
-- Grain: one row per (group_kind, group_value, window).
-- D̄_t = mean D over the events present on relative day t; S_D = sqrt(mean of D̄_t^2 over all pooled days);
-- Z = sum_{t in window} D̄_t / (sqrt(L) S_D). GROUPING SETS make all groups in one pass over the residuals.
CREATE OR REPLACE VIEW study_rank_tests AS
WITH daily AS (
    SELECT CASE WHEN grouping(g.event_type) = 0 THEN 'event_type'
                WHEN grouping(g.company) = 0 THEN 'company' ELSE 'all' END AS group_kind,
           coalesce(g.event_type, g.company, 'all') AS group_value,
           r.day, avg(r.d) AS dbar
    FROM study_residuals r
    JOIN study_event_groups g ON g.ev = r.ev
    GROUP BY GROUPING SETS ((r.day), (g.event_type, r.day), (g.company, r.day))
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
