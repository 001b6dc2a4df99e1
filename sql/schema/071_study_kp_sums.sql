-- study_kp_sums: Kolari–Pynnönen cross-event sums from the estimation pass (tracker/study/estimation_pass.py), the
-- input of study_kp; rewritten by each run_study (empty when estimation_tests is off).
-- Grain: one row per (group_kind, group_value) of the aggregates: all / event_type / company.
-- s2 = sum over calendar dates t of (sum over the group's events i of u_it)^2 with u_it = (AR_it - mean_i) / norm_i on
-- estimation days; s2 - N = sum over pairs i <> j of the residual correlations.
CREATE TABLE IF NOT EXISTS study_kp_sums (
    group_kind  VARCHAR NOT NULL,
    group_value VARCHAR NOT NULL,
    s2          DOUBLE NOT NULL
);
