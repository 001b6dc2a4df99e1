-- study_results: one summary row per studied (event, listing): the fitted model from the kernel
-- (tracker/study/kernel.py: fit), day 0, flags in fixed order with their reasons, and whether the row counts in the
-- aggregates (not flagged not_listed / insufficient_estimation / missing_prices / background, and not a stock_move
-- unless include_stock_moves).
-- Grain: one row per (event_id, symbol) of study_events; ev is the run's integer id of the row.
WITH flagged AS (
    SELECT ev,
           list_sort(list({'ord': ord, 'flag': flag, 'reason': reason})) AS items,
           bool_or(flag IN ('not_listed', 'insufficient_estimation', 'missing_prices', 'background')) AS excluded
    FROM study_flags
    GROUP BY ev
)
SELECT a.event_id, a.symbol, a.benchmark, a.company, a.event_type, a.label, p.model, a.study_date, a.day0,
       k.alpha, k.beta, k.sigma, coalesce(k.m, 0)::INTEGER AS n_estimation, k.df::INTEGER AS df,
       coalesce(list_transform(fl.items, lambda i: i.flag), []::VARCHAR[]) AS flags,
       coalesce(list_transform(fl.items, lambda i: i.reason), []::VARCHAR[]) AS flag_reasons,
       NOT coalesce(fl.excluded, false)
           AND (a.event_type IS DISTINCT FROM 'stock_move' OR p.include_stock_moves) AS in_aggregates,
       a.ev
FROM study_anchor a
CROSS JOIN study_params p
LEFT JOIN kernel_rows k ON k.ev = a.ev
LEFT JOIN flagged fl ON fl.ev = a.ev
