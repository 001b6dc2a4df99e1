-- study_car: CAR per configured window with the full variance including estimation error, t and two-sided p.
-- Grain: one row per (event_id, symbol, window); uncovered windows have covered = false and NULL car.
CREATE TABLE IF NOT EXISTS study_car (
    event_id  VARCHAR,
    symbol    VARCHAR,
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
