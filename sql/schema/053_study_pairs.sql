-- study_pairs: stock and benchmark returns joined on date, numbered per (symbol, benchmark); materialised once per run.
-- Grain: one row per (symbol, benchmark, joined session); seq counts the joined sessions from 1.
CREATE TABLE IF NOT EXISTS study_pairs (
    symbol      VARCHAR NOT NULL,
    benchmark   VARCHAR NOT NULL,
    seq         BIGINT NOT NULL,
    pair_key    BIGINT NOT NULL,   -- pair number * 2^24 + seq: one integer join key for (symbol, benchmark, seq)
    date        DATE NOT NULL,
    ret         DOUBLE NOT NULL,   -- simple return of adj_close over the symbol's previous stored row
    bench_ret   DOUBLE NOT NULL,
    price       DOUBLE NOT NULL,   -- adj_close
    bench_price DOUBLE NOT NULL,
    -- running sums over seq 1..this row (x = bench_ret, y = ret): any window's OLS moments are two lookups
    cx          DOUBLE NOT NULL,
    cy          DOUBLE NOT NULL,
    cxx         DOUBLE NOT NULL,
    cxy         DOUBLE NOT NULL,
    cyy         DOUBLE NOT NULL
);
