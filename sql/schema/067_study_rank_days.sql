-- study_rank_days: Corrado rank deviations summed per group number and relative day, from the estimation pass
-- (tracker/study/estimation_pass.py), the input of study_rank_tests; rewritten by each run_study.
-- Grain: one row per (g, day) with at least one event that has an AR on that day; g is study_event_groups.g.
-- D_it = average rank of AR_it among event i's pooled estimation+event ARs (ties averaged) - (T_i + 1) / 2; every D
-- is a multiple of 1/2, so the sums are exact. (Replaces the per-(event, day) working table study_est_ar.)
DROP TABLE IF EXISTS study_est_ar;
CREATE TABLE IF NOT EXISTS study_rank_days (
    g     INTEGER NOT NULL,
    day   INTEGER NOT NULL,
    sum_d DOUBLE NOT NULL,  -- sum over the group's events of D_it
    n     BIGINT NOT NULL   -- events of the group with an AR on that day
);
