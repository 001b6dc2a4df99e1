-- study_returns: the daily returns of every symbol the study events need, listings and benchmarks, as price_returns
-- defines them (adjusted closes; none across a hole in the data, the rule the data checks share).
-- Grain: one row per (symbol, date) with a return; a per-run work table.
SELECT r.symbol, r.date, r.ret, r.adj_close AS price
FROM price_returns r
WHERE r.symbol IN (SELECT symbol FROM study_events UNION SELECT benchmark FROM study_events)
  AND r.ret IS NOT NULL
