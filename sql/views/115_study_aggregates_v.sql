-- study_aggregates_v: the cross-sectional tests in long format with the convention each uses; Python adds p.
-- Grain: one row per (group_kind, group_value, window, test). df NULL = standard normal reference.
CREATE OR REPLACE VIEW study_aggregates_v AS
WITH t AS (
    SELECT c.*, k.r_bar, r.z AS rank_z,
           CASE WHEN c.p_hat > 0 AND c.p_hat < 1
                THEN (c.n_pos - c.n * c.p_hat) / sqrt(c.n * c.p_hat * (1 - c.p_hat)) END AS gsign_z
    FROM study_car_tests c
    LEFT JOIN study_kp k ON k.group_kind = c.group_kind AND k.group_value = c.group_value
    LEFT JOIN study_rank_tests r ON r.group_kind = c.group_kind AND r.group_value = c.group_value
                                AND r."window" = c."window"
), tests AS (
    SELECT group_kind, group_value, "window", win_start, win_end, n, caar, 1 AS ord, 'csect_t' AS test,
           csect_t AS statistic, n - 1 AS df,
           'Brown-Warner 1985 cross-sectional t: sqrt(N) mean(CAR) / sd(CAR), sd with N-1; t(N-1)'
           || CASE WHEN n < 2 THEN '; not computed: needs N >= 2'
                   WHEN csect_t IS NULL THEN '; not computed: the CARs do not vary' ELSE '' END AS convention
    FROM t
    UNION ALL
    SELECT group_kind, group_value, "window", win_start, win_end, n, caar, 2, 'patell_z', patell_z, NULL,
           'Patell 1976: SAR = AR / prediction-error sd (spec 4.2); Z = sum_i CSAR_i / sqrt(L df_i/(df_i-2)) / sqrt(N); N(0,1)'
           || CASE WHEN patell_z IS NULL THEN '; not computed: needs events with df > 2'
                   WHEN n_patell < n THEN format('; {} of {} events with df > 2', n_patell, n) ELSE '' END
    FROM t
    UNION ALL
    SELECT group_kind, group_value, "window", win_start, win_end, n, caar, 3, 'bmp_t', bmp_t, n_bmp - 1,
           'BMP 1991 on SCAR = CAR / sd with estimation error (spec 4.3; on one day the prediction-error SAR, as ARC/estudy2): sqrt(N) mean(SCAR)/sd(SCAR); t(N-1)'
           || CASE WHEN n_bmp < 2 THEN '; not computed: needs N >= 2'
                   WHEN bmp_t IS NULL THEN '; not computed: the SCARs do not vary' ELSE '' END
    FROM t
    UNION ALL
    SELECT group_kind, group_value, "window", win_start, win_end, n, caar, 4, 'kp_bmp_t',
           bmp_t * sqrt((1 - r_bar) / nullif(1 + (n_bmp - 1) * r_bar, 0)), n_bmp - 1,
           'Kolari-Pynnonen 2010 adjusted BMP: BMP sqrt((1-r)/(1+(N-1)r)), r = mean off-diagonal correlation of estimation residuals by calendar date'
           || CASE WHEN r_bar IS NULL OR bmp_t IS NULL THEN '; not computed: needs N >= 2 and a BMP t'
                   WHEN 1 + (n_bmp - 1) * r_bar <= 0 THEN '; not computed: r out of range'
                   ELSE format(' (r = {:.4f}); t(N-1)', r_bar) END
    FROM t
    UNION ALL
    SELECT group_kind, group_value, "window", win_start, win_end, n, caar, 5, 'corrado_rank_z', rank_z, NULL,
           'Corrado 1989 rank of ARs over estimation+event days per event (average ranks for ties), Cowan 1992 window form sum D_t/(sqrt(L) S_D); N(0,1)'
           || CASE WHEN rank_z IS NULL THEN '; not computed: the ranks do not vary' ELSE '' END
    FROM t
    UNION ALL
    SELECT group_kind, group_value, "window", win_start, win_end, n, caar, 6, 'gen_sign_z', gsign_z, NULL,
           'Cowan 1992 generalized sign: w = #(CAR > 0), zero counts as non-positive; p = per-event share of positive estimation ARs averaged over events'
           || CASE WHEN gsign_z IS NULL THEN '; not computed: p is 0 or 1'
                   ELSE format(' (p = {:.4f}); N(0,1)', p_hat) END
    FROM t
)
SELECT group_kind, group_value, "window", n::INTEGER AS n, caar, test,
       CASE WHEN isfinite(statistic) THEN statistic END AS statistic, df::INTEGER AS df, convention,
       win_start, win_end, ord
FROM tests;
