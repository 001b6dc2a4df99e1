-- study_params: the parameters of the current study run, so the study views are plain SQL.
-- Grain: exactly one row (rewritten by each run_study).
CREATE TABLE IF NOT EXISTS study_params (
    model               VARCHAR NOT NULL,  -- market | market_adjusted | constant_mean
    est_start           INTEGER NOT NULL,  -- estimation window in joined sessions relative to day 0
    est_end             INTEGER NOT NULL,
    win_start           INTEGER NOT NULL,  -- event window
    win_end             INTEGER NOT NULL,
    min_estimation      INTEGER NOT NULL,  -- fewer valid estimation returns flags insufficient_estimation
    include_stock_moves BOOLEAN NOT NULL
);
