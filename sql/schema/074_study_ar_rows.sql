-- study_ar_rows: the stored event-window AR path, keyed by the run's integer ev; the study_ar view adds event_id and
-- symbol from study_anchor. (Replaces the study_ar table: writing two text columns on every (event, day) row cost
-- about as much as computing the row.) Rewritten by each run_study from the study_ar_v view.
-- Grain: one row per (ev, day) inside the event window with a joined session.
DROP TABLE IF EXISTS study_ar;
CREATE TABLE IF NOT EXISTS study_ar_rows (
    ev          BIGINT,  -- study_anchor.ev of this run
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
    bench_dev   DOUBLE   -- Rm - mean Rm of the estimation window (input of the CAR variance)
);
