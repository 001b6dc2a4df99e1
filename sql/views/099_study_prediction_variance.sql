-- study_prediction_variance(sigma2, c1, c2, m, smm, l, dev): the variance of a sum of L abnormal returns including the
-- estimation error of the fitted model (spec §4.2 for one day, §4.3 for a CAR): sigma2 (L + c1 L^2/M + c2 dev^2/Smm),
-- dev = sum over the L days of (Rm - mean Rm of the estimation window); c1, c2 come from study_fit.
-- Grain: a scalar macro (no rows); the one definition the AR and CAR views use.
CREATE OR REPLACE MACRO study_prediction_variance(sigma2, c1, c2, m, smm, l, dev) AS
    sigma2 * (l + c1 * l * l / m + CASE WHEN c2 = 0 THEN 0.0 ELSE dev * dev / nullif(smm, 0) END);
