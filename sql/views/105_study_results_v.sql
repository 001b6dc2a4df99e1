-- study_results_v: per (event, symbol) model parameters, flags in fixed order and the aggregate membership.
-- Grain: one row per (event_id, symbol) of study_events. Source of the study_results table.
CREATE OR REPLACE VIEW study_results_v AS
WITH flagged AS (
    -- one plain list() of (ord, flag, reason) per integer ev, sorted afterwards (an ordered aggregate would sort per
    -- group)
    SELECT ev,
           list_sort(list({'ord': ord, 'flag': flag, 'reason': reason})) AS items,
           bool_or(flag IN ('not_listed', 'insufficient_estimation', 'missing_prices', 'background')) AS excluded
    FROM study_flag_rows
    GROUP BY ev
)
SELECT e.event_id, e.symbol, e.benchmark, e.company, e.event_type, e.label, p.model, e.study_date,
       a.day0, f.alpha, f.beta, sqrt(f.sigma2) AS sigma,
       coalesce(f.m, 0)::INTEGER AS n_estimation, f.df::INTEGER AS df,
       coalesce(list_transform(fl.items, lambda i: i.flag), []::VARCHAR[]) AS flags,
       coalesce(list_transform(fl.items, lambda i: i.reason), []::VARCHAR[]) AS flag_reasons,
       NOT coalesce(fl.excluded, false)
           AND (e.event_type IS DISTINCT FROM 'stock_move' OR p.include_stock_moves) AS in_aggregates,
       a.ev
FROM study_events e
CROSS JOIN study_params p
LEFT JOIN study_anchor a ON a.event_id = e.event_id AND a.symbol = e.symbol
LEFT JOIN study_fit f ON f.ev = a.ev
LEFT JOIN flagged fl ON fl.ev = a.ev;
