-- study_aggregates: cross-sectional tests of the CARs per group and window, in long format (one row per test).
-- Grain: one row per (group_kind, group_value, window, test).
CREATE TABLE IF NOT EXISTS study_aggregates (
    group_kind  VARCHAR,   -- 'all' | 'event_type' | 'company'
    group_value VARCHAR,
    "window"    VARCHAR,
    n           INTEGER,
    caar        DOUBLE,
    test        VARCHAR,   -- csect_t | patell_z | bmp_t | kp_bmp_t | corrado_rank_z | gen_sign_z
    statistic   DOUBLE,
    p           DOUBLE,    -- two-sided
    convention  VARCHAR    -- formula and distribution used; says why when statistic is NULL
);
