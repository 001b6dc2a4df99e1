-- price_flags: suspicious stretches in stored prices, flagged and never fixed:
-- Grain: one row per (symbol, flag, date), date = first bar of the stretch, n = bars in it.
--   bad_tick   |one-day move| > 40% that the next bar reverses (back within 10% of the day before)
--   split_like a move equal to a common split ratio (within 3%) that is not reversed: an
--              unadjusted split or reverse split
--   stale_run  5 or more consecutive bars with the identical close
--   zero_volume 5 or more consecutive bars with volume 0 (indexes excluded: they have no volume)
-- Moves are only compared between bars at most 15 calendar days apart (the longest exchange
-- closure, Chinese New Year, is 11): across a longer hole in the data a jump says nothing.
-- Gaps against the exchange calendar and prices before the listing date need the calendar and the
-- listings table, so tracker/prices/checks.py adds those.
CREATE OR REPLACE VIEW price_flags AS
WITH split_ratios(label, ratio) AS (
    VALUES ('2:1', 1 / 2.0), ('3:1', 1 / 3.0), ('4:1', 1 / 4.0), ('5:1', 1 / 5.0), ('10:1', 1 / 10.0),
           ('20:1', 1 / 20.0), ('3:2', 2 / 3.0), ('1:2', 2.0), ('1:3', 3.0), ('1:4', 4.0),
           ('1:5', 5.0), ('1:10', 10.0), ('1:20', 20.0), ('2:3', 1.5)
),
moves AS (
    SELECT r.*, abs(r.next_vs_prev - 1) < 0.10 AS reversed
    FROM price_returns r
    WHERE r.close_ratio IS NOT NULL AND r.days_since_prev <= 15
),
runs AS (
    SELECT symbol, date, close, volume,
           sum(CASE WHEN close IS DISTINCT FROM prev_close THEN 1 ELSE 0 END) OVER w AS close_run,
           sum(CASE WHEN (volume = 0) IS DISTINCT FROM (prev_volume = 0) THEN 1 ELSE 0 END) OVER w AS volume_run
    FROM (SELECT symbol, date, close, volume,
                 lag(close) OVER (PARTITION BY symbol ORDER BY date) AS prev_close,
                 lag(volume) OVER (PARTITION BY symbol ORDER BY date) AS prev_volume
          FROM prices)
    WINDOW w AS (PARTITION BY symbol ORDER BY date ROWS UNBOUNDED PRECEDING)
)
SELECT symbol, 'bad_tick' AS flag, date, date AS end_date, 1 AS n,
       printf('close moved %+.1f%% from %s and back the next bar', 100 * (close_ratio - 1), prev_date) AS detail
FROM moves
WHERE abs(close_ratio - 1) > 0.40 AND reversed
UNION ALL
SELECT m.symbol, 'split_like', m.date, m.date, 1,
       printf('close ratio %.4f to %s matches a %s split', m.close_ratio, m.prev_date, s.label)
FROM moves m
JOIN split_ratios s ON abs(m.close_ratio / s.ratio - 1) < 0.03
WHERE NOT coalesce(m.reversed, false)
UNION ALL
SELECT symbol, 'stale_run', min(date), max(date), count(*),
       printf('%d bars with the same close %s', count(*), CAST(any_value(close) AS VARCHAR))
FROM runs
GROUP BY symbol, close_run
HAVING count(*) >= 5
UNION ALL
SELECT r.symbol, 'zero_volume', min(r.date), max(r.date), count(*), printf('%d bars with volume 0', count(*))
FROM runs r
LEFT JOIN price_symbols ps USING (symbol)
WHERE r.volume = 0 AND NOT coalesce(ps.is_index, false)
GROUP BY r.symbol, r.volume_run
HAVING count(*) >= 5;
