-- study_est_events_v: source of the study_est_events table (see there), from study_est_ar.
-- Grain: one row per ev in study_est_ar.
CREATE OR REPLACE VIEW study_est_events_v AS
SELECT ev, any_value(g) AS g,
       count(CASE WHEN in_est THEN ar END) AS n_est,
       avg(CASE WHEN in_est THEN (ar > 0)::INTEGER END) AS p_pos,
       avg(CASE WHEN in_est THEN ar END) AS mean_est,
       sqrt(var_pop(CASE WHEN in_est THEN ar END) * count(CASE WHEN in_est THEN ar END)) AS norm_est
FROM study_est_ar
GROUP BY ev;
