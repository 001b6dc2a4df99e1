-- study_results: one summary row per studied (event, listing): the kernel's fit (tracker/study/kernel.py), day 0,
-- flags in fixed order with reasons, its news cluster, and in_aggregates: not flagged not_listed / insufficient_
-- estimation / missing_prices / background, not date_uncertain unless include_uncertain, not a stock_move unless
-- include_stock_moves, and with listing = primary only the cluster's primary listing. A date_uncertain row carries
-- its uncertainty window, the CAR over it (sd, t) and the day with the largest |AR| (exploratory).
-- Grain: one row per (event_id, symbol) of study_events; ev is the run's integer id of the row.
WITH flagged AS (
    SELECT ev,
           list_sort(list({'ord': ord, 'flag': flag, 'reason': reason})) AS items,
           bool_or(flag IN ('not_listed', 'insufficient_estimation', 'missing_prices', 'background')) AS excluded,
           bool_or(flag = 'date_uncertain') AS uncertain
    FROM study_flags
    GROUP BY ev
)
SELECT a.event_id, a.symbol, a.benchmark, a.company, a.event_type, a.label, p.model, a.study_date, a.day0,
       k.alpha, k.beta, k.sigma, coalesce(k.m, 0)::INTEGER AS n_estimation, k.df::INTEGER AS df,
       coalesce(list_transform(fl.items, lambda i: i.flag), []::VARCHAR[]) AS flags,
       coalesce(list_transform(fl.items, lambda i: i.reason), []::VARCHAR[]) AS flag_reasons,
       NOT coalesce(fl.excluded, false)
           AND (a.event_type IS DISTINCT FROM 'stock_move' OR p.include_stock_moves)
           AND (NOT coalesce(fl.uncertain, false) OR p.include_uncertain)
           AND (a.is_primary OR p.listing <> 'primary') AS in_aggregates,
       a.ev, a.cluster_id, a.is_primary, a.date_uncertain, a.window_start, a.window_end,
       k.window_car, k.window_car_se, k.window_car_t, k.peak_date, k.peak_ar
FROM study_anchor a
CROSS JOIN study_params p
LEFT JOIN kernel_rows k ON k.ev = a.ev
LEFT JOIN flagged fl ON fl.ev = a.ev
