-- study_fit_v: source of the study_fit table; the normal-return model of each event fitted by OLS over its
-- estimation window, per study_params.model.
-- Grain: one row per ev (study_anchor.ev) with at least one estimation-window return.
-- The window moments are differences of the running sums in study_pairs at the window's last day and the day
-- before its first, so the fit costs two lookups per event instead of a pass over 240 rows; the result equals
-- regr_slope/regr_intercept (tests pin it to numpy lstsq at 1e-10).
-- sigma2 follows spec §4.1: market SSR/(M-2); constant_mean and market_adjusted sample variance (M-1).
-- c1/c2 switch the estimation-error terms of the prediction-error variances (spec §4.2/§4.3):
-- c1 = 1 when a mean is estimated (market, constant_mean), c2 = 1 when a slope is estimated (market).
CREATE OR REPLACE VIEW study_fit_v AS
WITH sums AS (
    SELECT a.ev,
           hi.seq - coalesce(lo.seq, 0) AS m,
           hi.cx - coalesce(lo.cx, 0) AS sx,
           hi.cy - coalesce(lo.cy, 0) AS sy,
           hi.cxx - coalesce(lo.cxx, 0) AS sxx,
           hi.cxy - coalesce(lo.cxy, 0) AS sxy,
           hi.cyy - coalesce(lo.cyy, 0) AS syy
    FROM study_anchor a
    CROSS JOIN study_params p
    JOIN study_pairs hi ON hi.pair_key = a.key0 + p.est_end AND p.est_end >= a.first_day
    LEFT JOIN study_pairs lo ON lo.pair_key = a.key0 + p.est_start - 1 AND p.est_start - 1 >= a.first_day
    WHERE a.seq0 IS NOT NULL
), moments AS (
    SELECT ev, m, sx / m AS mean_m, sy / m AS mean_r,
           sxx - sx * sx / m AS smm,            -- centred sums of squares and products
           sxy - sx * sy / m AS cxy,
           syy - sy * sy / m AS cyy
    FROM sums
    WHERE m > 0
)
SELECT mo.ev, p.model, mo.m, mo.mean_m, mo.smm,
       CASE p.model WHEN 'market' THEN mo.mean_r - mo.cxy / nullif(mo.smm, 0) * mo.mean_m
                    WHEN 'constant_mean' THEN mo.mean_r ELSE 0.0 END AS alpha,
       CASE p.model WHEN 'market' THEN mo.cxy / nullif(mo.smm, 0)
                    WHEN 'constant_mean' THEN 0.0 ELSE 1.0 END AS beta,
       CASE p.model
           WHEN 'market' THEN CASE WHEN mo.m > 2 AND mo.smm > 0
                                   THEN greatest(mo.cyy - mo.cxy * mo.cxy / mo.smm, 0.0) / (mo.m - 2) END
           WHEN 'constant_mean' THEN CASE WHEN mo.m > 1 THEN greatest(mo.cyy, 0.0) / (mo.m - 1) END
           ELSE CASE WHEN mo.m > 1 THEN greatest(mo.cyy - 2 * mo.cxy + mo.smm, 0.0) / (mo.m - 1) END
       END AS sigma2,
       CASE p.model WHEN 'market' THEN mo.m - 2 ELSE mo.m - 1 END AS df,
       CASE p.model WHEN 'market_adjusted' THEN 0.0 ELSE 1.0 END AS c1,
       CASE p.model WHEN 'market' THEN 1.0 ELSE 0.0 END AS c2
FROM moments mo, study_params p;
