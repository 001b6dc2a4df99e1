-- study_ar: abnormal returns over the event window with prediction-error variances and cumulative CARs.
-- Grain: one row per (event_id, symbol, day) inside the event window with a joined session.
CREATE TABLE IF NOT EXISTS study_ar (
    event_id    VARCHAR,
    symbol      VARCHAR,
    day         INTEGER,
    date        DATE,
    ret         DOUBLE,
    bench_ret   DOUBLE,
    ar          DOUBLE,
    ar_se       DOUBLE,  -- prediction-error (FEC) sd of this AR
    ar_t        DOUBLE,
    car         DOUBLE,  -- cumulative from the event-window start to this day
    car_se      DOUBLE,  -- full variance incl. estimation error (MacKinlay 1997)
    price       DOUBLE,  -- adjusted close, for the indexed chart
    bench_price DOUBLE,
    ev          BIGINT   -- study_anchor.ev of this run, for joins inside the study
);
