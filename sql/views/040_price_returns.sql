-- price_returns: each stored bar with its neighbours and daily returns (adjusted for the study,
-- raw close ratios for the data checks, which look for unadjusted splits and bad ticks).
-- Grain: one row per (symbol, date) in prices.
CREATE OR REPLACE VIEW price_returns AS
SELECT
    symbol,
    date,
    close,
    adj_close,
    volume,
    lag(date) OVER w AS prev_date,
    date - lag(date) OVER w AS days_since_prev,            -- calendar days; large = a hole in the data
    adj_close / lag(adj_close) OVER w - 1 AS ret,          -- simple return from adjusted closes
    close / lag(close) OVER w AS close_ratio,              -- today's close over the previous bar's
    lead(close) OVER w / lag(close) OVER w AS next_vs_prev -- next bar's close over the previous bar's
FROM prices
WINDOW w AS (PARTITION BY symbol ORDER BY date);
