-- estimation-pass series: the joined stock and benchmark returns with their pair_key and date as a day number (the
-- pass sorts by
-- pair_key itself: a numpy sort of one integer column is cheaper than ORDER BY over all four).
-- Grain: one row per study_pairs row.
SELECT pair_key, (date - DATE '1970-01-01')::INTEGER AS day_number, ret, bench_ret FROM study_pairs;
