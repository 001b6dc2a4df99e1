-- study_est_events: per-event summaries of the estimation-window ARs that the generalized-sign and
-- Kolari–Pynnönen tests need (materialised from study_est_events_v once per run; empty when estimation_tests is off).
-- Grain: one row per ev (study_anchor.ev) in aggregates with at least one AR.
CREATE TABLE IF NOT EXISTS study_est_events (
    ev       INTEGER,
    g        INTEGER,
    n_est    BIGINT,   -- estimation-window ARs (M)
    p_pos    DOUBLE,   -- share of positive estimation-window ARs (zero counts as non-positive)
    mean_est DOUBLE,   -- mean estimation-window AR
    norm_est DOUBLE    -- sqrt of the sum of squared deviations from mean_est (u = (ar - mean_est) / norm_est)
);
