-- study_fit: the fitted normal-return model per event (materialised from the study_fit_v view once per run, since
-- every later step reads it). Grain: one row per ev (study_anchor.ev) with an estimation-window return.
CREATE TABLE IF NOT EXISTS study_fit (
    ev     BIGINT,
    model  VARCHAR,
    m      BIGINT,   -- valid estimation returns (M)
    mean_m DOUBLE,   -- mean benchmark return over the estimation window
    smm    DOUBLE,   -- sum of squared benchmark deviations over the estimation window
    alpha  DOUBLE,
    beta   DOUBLE,
    sigma2 DOUBLE,
    df     BIGINT,
    c1     DOUBLE,
    c2     DOUBLE
);
