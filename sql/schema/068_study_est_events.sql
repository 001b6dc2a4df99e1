-- study_est_events: per-event summaries of the estimation-window ARs that the generalized-sign and Kolari–Pynnönen
-- tests need, filled once per run by the estimation pass (tracker/study/estimation_pass.py); empty when
-- estimation_tests is off. (Recreated here because its source view study_est_events_v is gone; per-run rows only.)
-- Grain: one row per ev (study_anchor.ev) in aggregates with at least one AR.
DROP TABLE IF EXISTS study_est_events;
CREATE TABLE study_est_events (
    ev       INTEGER,
    g        INTEGER,
    n_est    BIGINT,   -- estimation-window ARs (M)
    p_pos    DOUBLE,   -- share of positive estimation-window ARs (zero counts as non-positive)
    mean_est DOUBLE,   -- mean estimation-window AR
    norm_est DOUBLE    -- sqrt of the sum of squared deviations from mean_est (u = (ar - mean_est) / norm_est)
);
