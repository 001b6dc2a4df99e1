-- study_aar: average abnormal return path per group over the event window, for CAAR charts with a 95% band.
-- Grain: one row per (group_kind, group_value, day).
CREATE TABLE IF NOT EXISTS study_aar (
    group_kind  VARCHAR,
    group_value VARCHAR,
    day         INTEGER,
    n           INTEGER,
    aar         DOUBLE,
    caar        DOUBLE,  -- mean over events of the CAR from the event-window start to this day
    caar_se     DOUBLE   -- cross-sectional sd of those CARs / sqrt(n); band = caar +- 1.96 caar_se
);
