-- study_abnormal: abnormal returns on every estimation- and event-window day with the prediction-error variance,
-- looked up in study_pairs by one integer key (day-0 key + day); the per-(event, day) reference for inspection and
-- tests (the run computes the same ARs in the estimation pass, tracker/study/estimation_pass.py).
-- Grain: one row per (ev, day) in the estimation or event window with a joined session and a fitted model.
CREATE OR REPLACE VIEW study_abnormal AS
WITH wanted AS (
    SELECT d.day::INTEGER AS day,
           d.day BETWEEN p.est_start AND p.est_end AS in_est,
           d.day BETWEEN p.win_start AND p.win_end AS in_win
    FROM study_params p,
         (SELECT unnest(range(least(est_start, win_start), greatest(est_end, win_end) + 1)) AS day FROM study_params) d
    WHERE d.day BETWEEN p.est_start AND p.est_end OR d.day BETWEEN p.win_start AND p.win_end
)
SELECT a.ev, w.day, s.date, s.ret, s.bench_ret,
       s.ret - f.alpha - f.beta * s.bench_ret AS ar,
       study_prediction_variance(f.sigma2, f.c1, f.c2, f.m, f.smm, 1, s.bench_ret - f.mean_m) AS ar_var,
       w.in_est, w.in_win
FROM study_anchor a
JOIN study_fit f ON f.ev = a.ev
CROSS JOIN wanted w
JOIN study_pairs s ON s.pair_key = a.key0 + w.day
WHERE a.seq0 IS NOT NULL AND w.day >= a.first_day;
