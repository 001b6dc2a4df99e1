-- estimation-pass inputs: the events in aggregates with a fitted model, where their pooled days sit in study_pairs.
-- Grain: one row per ev in study_event_groups with alpha and beta; sorted by (g, ev): g numbers (company,
-- event_type), so a company's events and each group g are adjacent.
-- key0 is day 0's pair_key; relative day d is key0 + d because seq is dense within a pair; first_day/last_day bound
-- the days with a joined session (T_i of the rank test counts the pooled days in between).
SELECT a.ev, g.g, g.event_type, g.company, a.key0, a.first_day, a.last_day, f.alpha, f.beta
FROM study_event_groups g
JOIN study_anchor a ON a.ev = g.ev
JOIN study_fit f ON f.ev = a.ev
WHERE a.seq0 IS NOT NULL AND f.alpha IS NOT NULL AND f.beta IS NOT NULL
ORDER BY g.g, a.ev;
