-- price_returns: each stored bar with its neighbours and daily returns (adjusted for the study, raw close ratios for
-- the data checks, which look for unadjusted splits and bad ticks). The one rule for holes in the data: a return
-- across more than 20 calendar days since the previous bar (exchange closures are at most 11) is not a daily return,
-- so ret is NULL there; the study reads its returns from here (sql/study/10_study_returns.sql).
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
    CASE WHEN date - lag(date) OVER w <= 20
         THEN adj_close / lag(adj_close) OVER w - 1 END AS ret,  -- simple return from adjusted closes
    close / lag(close) OVER w AS close_ratio,              -- today's close over the previous bar's
    lead(close) OVER w / lag(close) OVER w AS next_vs_prev -- next bar's close over the previous bar's
FROM prices
WINDOW w AS (PARTITION BY symbol ORDER BY date);
