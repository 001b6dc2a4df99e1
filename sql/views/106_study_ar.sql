-- study_ar: the abnormal-return path of each (event, listing) over the event window, with t, the CAR cumulated from
-- the window start and its full variance: study_ar_rows with the event's ids, the day's returns and prices from
-- study_pairs and ar_se from study_fit (the same expression as study_ar_v's AR variance, bench_dev = Rm - mean Rm).
-- Grain: one row per (event_id, symbol, day) inside the event window with a joined session.
CREATE OR REPLACE VIEW study_ar AS
SELECT a.event_id, a.symbol, r.day, r.date, s.ret, s.bench_ret, r.ar,
       sqrt(study_prediction_variance(f.sigma2, f.c1, f.c2, f.m, f.smm, 1, r.bench_dev)) AS ar_se,
       r.ar_t, r.car, r.car_se, s.price, s.bench_price, r.ev, r.bench_dev
FROM study_ar_rows r
JOIN study_anchor a ON a.ev = r.ev
LEFT JOIN study_fit f ON f.ev = r.ev
LEFT JOIN study_pairs s ON s.pair_key = a.key0 + r.day;
