-- study_car: CAR of each (event, listing) for every configured window from the kernel (tracker/study/kernel.py:
-- car_windows), with the full variance including estimation error, t, its df and two-sided p; csar is the sum of
-- the window's prediction-error-standardised ARs (the Patell input).
-- Grain: one row per (event_id, symbol, window); covered = all L sessions of the window have an AR (else car NULL).
SELECT a.event_id, a.symbol, k."window", k.win_start, k.win_end, k.car, k.se, k.t, k.p, k.covered, k.n_days, k.df,
       k.csar
FROM kernel_car k
JOIN study_anchor a ON a.ev = k.ev
