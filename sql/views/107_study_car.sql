-- study_car: CAR of each (event, listing) for every configured window with its full-variance se, t and two-sided p
-- (study_car_rows with the event's ids).
-- Grain: one row per (event_id, symbol, window); covered = all L sessions of the window present.
CREATE OR REPLACE VIEW study_car AS
SELECT a.event_id, a.symbol, c."window", c.win_start, c.win_end, c.car, c.se, c.t, c.p, c.covered, c.n_days, c.df,
       c.csar
FROM study_car_rows c
JOIN study_anchor a ON a.ev = c.ev;
