-- study_pairs: the stock and benchmark returns of every (symbol, benchmark) pair the events need, joined on date,
-- pairs one after the other and each in date order; row is the kernel's series row (tracker/study/kernel.py).
-- Grain: one row per (pair, joined session with both returns); a per-run work table.
WITH needed AS (
    SELECT symbol, benchmark, (row_number() OVER (ORDER BY symbol, benchmark) - 1)::INTEGER AS pair
    FROM (SELECT DISTINCT symbol, benchmark FROM study_events)
), joined AS (
    SELECT n.pair, n.symbol, n.benchmark, s.date, s.ret, b.ret AS bench_ret, s.price, b.price AS bench_price,
           row_number() OVER (PARTITION BY n.pair ORDER BY s.date) - 1 AS seq
    FROM needed n
    JOIN study_returns s ON s.symbol = n.symbol
    -- only the benchmarks' returns are hashed for the date join (a few series, not every symbol's)
    JOIN (SELECT * FROM study_returns WHERE symbol IN (SELECT benchmark FROM needed)) b
      ON b.symbol = n.benchmark AND b.date = s.date
), offsets AS (
    SELECT pair, (sum(count(*)) OVER (ORDER BY pair) - count(*))::BIGINT AS first_row FROM joined GROUP BY pair
)
SELECT (o.first_row + j.seq)::BIGINT AS row, j.pair, j.symbol, j.benchmark, j.date,
       (j.date - DATE '1970-01-01')::INTEGER AS day_number, j.ret, j.bench_ret, j.price, j.bench_price
FROM joined j
JOIN offsets o USING (pair)
