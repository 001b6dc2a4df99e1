-- study_ar: the abnormal-return path of each (event, listing) over the event window, with t, the CAR cumulated from
-- the window start and its full variance (study_ar_rows with the event's ids).
-- Grain: one row per (event_id, symbol, day) inside the event window with a joined session.
CREATE OR REPLACE VIEW study_ar AS
SELECT a.event_id, a.symbol, r.day, r.date, r.ret, r.bench_ret, r.ar, r.ar_se, r.ar_t, r.car, r.car_se,
       r.price, r.bench_price, r.ev, r.bench_dev
FROM study_ar_rows r
JOIN study_anchor a ON a.ev = r.ev;
