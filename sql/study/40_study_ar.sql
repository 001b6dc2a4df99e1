-- study_ar: the abnormal-return path of each (event, listing) over the event window from the kernel
-- (tracker/study/kernel.py: event_window): AR with its prediction-error sd and t, the CAR cumulated from the first
-- window day with data and its full-variance sd (MacKinlay 1997), the day's returns and adjusted closes for charts.
-- Grain: one row per (event_id, symbol, day) inside the event window with a joined session.
SELECT a.event_id, a.symbol, k.day, k.date, k.ret, k.bench_ret, k.ar, k.ar_se, k.ar_t, k.car, k.car_se,
       k.price, k.bench_price, k.ev, k.bench_dev
FROM kernel_ar k
JOIN study_anchor a ON a.ev = k.ev
