-- study_pairs fill: simple returns of adj_close over consecutive stored rows per symbol, stock and benchmark
-- Grain: inserts one row per (symbol, benchmark, joined session with both returns).
-- joined on date, joined sessions numbered per (symbol, benchmark), with running sums for the OLS moments.
-- Run after DELETE when the prices or the needed pairs changed (see study_pairs_state).
-- A return across a hole in the data (previous stored row more than 20 calendar days earlier; exchange
-- holidays are at most 11) is not a daily return and is dropped.
INSERT INTO study_pairs
WITH needed AS (
    SELECT symbol, benchmark, row_number() OVER (ORDER BY symbol, benchmark) AS pair_no
    FROM (SELECT DISTINCT symbol, benchmark FROM study_events)
), wanted AS (
    SELECT symbol FROM needed UNION SELECT benchmark FROM needed
), returns AS (
    SELECT p.symbol, p.date, p.adj_close,
           CASE WHEN p.date - lag(p.date) OVER w <= 20
                THEN p.adj_close / lag(p.adj_close) OVER w - 1 END AS ret
    FROM prices p
    WHERE p.symbol IN (SELECT symbol FROM wanted) AND p.adj_close > 0
    WINDOW w AS (PARTITION BY p.symbol ORDER BY p.date)
)
-- one window specification for the numbering and the running sums, so the rows are sorted once
SELECT n.symbol, n.benchmark,
       row_number() OVER w AS seq,
       n.pair_no * 16777216 + row_number() OVER w AS pair_key,
       s.date, s.ret, b.ret, s.adj_close, b.adj_close,
       sum(b.ret) OVER w, sum(s.ret) OVER w, sum(b.ret * b.ret) OVER w,
       sum(b.ret * s.ret) OVER w, sum(s.ret * s.ret) OVER w
FROM needed n
JOIN returns s ON s.symbol = n.symbol
-- only the benchmarks' returns are hashed for the date join (a few series, not every symbol's)
JOIN (SELECT * FROM returns WHERE symbol IN (SELECT benchmark FROM needed)) b
  ON b.symbol = n.benchmark AND b.date = s.date
WHERE s.ret IS NOT NULL AND b.ret IS NOT NULL
WINDOW w AS (PARTITION BY n.pair_no ORDER BY s.date ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW);
