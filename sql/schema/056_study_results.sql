-- study_results: one summary row per studied (event, symbol): model parameters, flags and whether it counts in aggregates.
-- Grain: one row per (event_id, symbol); rewritten by each run_study.
CREATE TABLE IF NOT EXISTS study_results (
    event_id      VARCHAR,
    symbol        VARCHAR,
    benchmark     VARCHAR,
    company       VARCHAR,
    event_type    VARCHAR,
    label         VARCHAR,
    model         VARCHAR,
    study_date    DATE,
    day0          DATE,          -- the joined day-0 session
    alpha         DOUBLE,
    beta          DOUBLE,
    sigma         DOUBLE,        -- residual sd of the estimation window (M-2 market, M-1 otherwise)
    n_estimation  INTEGER,       -- valid returns in the estimation window (M)
    df            INTEGER,       -- degrees of freedom of the per-event t tests
    flags         VARCHAR[],
    flag_reasons  VARCHAR[],     -- same length and order as flags
    in_aggregates BOOLEAN
);
