-- study_window_ar: abnormal returns on the event-window days with their prediction-error variance; materialised
-- once per run for the AR path and the CAR windows. Grain: one row per (ev, day) inside the event window.
CREATE TABLE IF NOT EXISTS study_window_ar (
    ev          BIGINT,
    day         INTEGER,
    date        DATE,
    ret         DOUBLE,
    bench_ret   DOUBLE,
    price       DOUBLE,
    bench_price DOUBLE,
    ar          DOUBLE,
    bench_dev   DOUBLE,
    ar_var      DOUBLE
);
