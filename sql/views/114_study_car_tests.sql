-- study_car_tests: cross-sectional inputs and parametric statistics of the covered CARs per group and window (wide).
-- Grain: one row per (group_kind, group_value, window) with at least one covered CAR.
-- Inputs are study_car_rows (covered windows only), the groups of study_event_groups and the per-event estimation
-- summaries in study_est_events.
CREATE OR REPLACE VIEW study_car_tests AS
WITH obs AS (
    -- each covered CAR once, with its event's groups; GROUPING SETS below form all / event_type / company
    SELECT g.event_type, g.company, c."window", c.win_start, c.win_end, c.car, c.se, c.df, c.csar, e.p_pos,
           c.car / nullif(c.se, 0) AS scar
    FROM study_event_groups g
    JOIN study_car_rows c ON c.ev = g.ev AND c.covered
    LEFT JOIN study_est_events e ON e.ev = g.ev
)
SELECT CASE WHEN grouping(event_type) = 0 THEN 'event_type'
            WHEN grouping(company) = 0 THEN 'company' ELSE 'all' END AS group_kind,
       coalesce(event_type, company, 'all') AS group_value,
       "window", win_start, win_end,
       count(*) AS n,
       avg(car) AS caar,
       sqrt(count(*)) * avg(car) / nullif(stddev_samp(car), 0) AS csect_t,
       -- Patell: each window CSAR scaled by sqrt(L (M-k)/(M-k-2)); needs df > 2
       sum(CASE WHEN df > 2 THEN csar / sqrt((win_end - win_start + 1) * df / (df - 2.0)) END)
           / nullif(sqrt(count(CASE WHEN df > 2 THEN csar END)), 0) AS patell_z,
       count(CASE WHEN df > 2 THEN csar END) AS n_patell,
       sqrt(count(scar)) * avg(scar) / nullif(stddev_samp(scar), 0) AS bmp_t,
       count(scar) AS n_bmp,
       count(CASE WHEN car > 0 THEN 1 END) AS n_pos,
       avg(p_pos) AS p_hat
FROM obs
GROUP BY GROUPING SETS (("window", win_start, win_end),
                        (event_type, "window", win_start, win_end),
                        (company, "window", win_start, win_end));
