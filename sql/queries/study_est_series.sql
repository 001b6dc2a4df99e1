-- estimation-pass series: the joined stock and benchmark returns in pair_key order (row position = lookup index).
-- Grain: one row per study_pairs row.
SELECT pair_key, ret, bench_ret FROM study_pairs ORDER BY pair_key;
