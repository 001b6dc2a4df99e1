-- study_aar_v: the AAR/CAAR path per group over the event window, with a cross-sectional standard error for CAAR bands.
-- Grain: one row per (group_kind, group_value, day). caar = mean of the events' CARs from the window start to day.
CREATE OR REPLACE VIEW study_aar_v AS
SELECT CASE WHEN grouping(g.event_type) = 0 THEN 'event_type'
            WHEN grouping(g.company) = 0 THEN 'company' ELSE 'all' END AS group_kind,
       coalesce(g.event_type, g.company, 'all') AS group_value,
       a.day,
       count(a.ar)::INTEGER AS n,
       avg(a.ar) AS aar,
       avg(a.car) AS caar,
       stddev_samp(a.car) / sqrt(count(a.car)) AS caar_se
FROM study_ar_rows a
JOIN study_event_groups g ON g.ev = a.ev
GROUP BY GROUPING SETS ((a.day), (g.event_type, a.day), (g.company, a.day));
