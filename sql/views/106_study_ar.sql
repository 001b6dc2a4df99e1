-- study_ar: the abnormal-return path of each (event, listing) over the event window, with t, the CAR cumulated from
-- the window start and its full variance: study_ar_rows with the event's ids, the day's returns and prices from
-- study_pairs and ar_se from study_fit (the same expression as study_ar_v's AR variance, bench_dev = Rm - mean Rm).
-- Grain: one row per (event_id, symbol, day) inside the event window with a joined session.
CREATE OR REPLACE VIEW study_ar AS
SELECT a.event_id, a.symbol, r.day, r.date, s.ret, s.bench_ret, r.ar,
       sqrt(f.sigma2 * (1 + f.c1 / f.m
                        + CASE WHEN f.c2 = 0 THEN 0.0 ELSE r.bench_dev * r.bench_dev / nullif(f.smm, 0) END)) AS ar_se,
       r.ar_t, r.car, r.car_se, s.price, s.bench_price, r.ev, r.bench_dev
FROM study_ar_rows r
JOIN study_anchor a ON a.ev = r.ev
LEFT JOIN study_fit f ON f.ev = r.ev
LEFT JOIN study_pairs s ON s.pair_key = a.key0 + r.day;
