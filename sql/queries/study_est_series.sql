-- estimation-pass series: the joined stock and benchmark returns with their pair_key and date (the pass sorts by
-- pair_key itself: a numpy sort of one integer column is cheaper than ORDER BY over all four).
-- Grain: one row per study_pairs row.
SELECT pair_key, date, ret, bench_ret FROM study_pairs;
