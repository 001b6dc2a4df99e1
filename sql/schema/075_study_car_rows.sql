-- study_car_rows: the stored CAR per event and window, keyed by the run's integer ev; the study_car view adds event_id
-- and symbol from study_anchor (replaces the study_car table, for the same reason as study_ar_rows).
-- Rewritten by each run_study from the study_car_windows view plus p-values.
-- Grain: one row per (ev, window) for every study event; covered = all L sessions present.
DROP TABLE IF EXISTS study_car;
CREATE TABLE IF NOT EXISTS study_car_rows (
    ev        BIGINT,
    "window"  VARCHAR,  -- 'a:b'
    win_start INTEGER,
    win_end   INTEGER,
    car       DOUBLE,
    se        DOUBLE,
    t         DOUBLE,
    p         DOUBLE,
    covered   BOOLEAN,
    n_days    INTEGER,  -- joined sessions of the window present
    df        INTEGER,  -- degrees of freedom of t (the event's model)
    csar      DOUBLE    -- sum of the window's prediction-error-standardised ARs (Patell input)
);
