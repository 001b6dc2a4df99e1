-- study_flag_rows: every flag raised on a study event with a human reason naming dates and counts.
-- Grain: one row per (event_id, symbol, flag); ord gives the fixed flag order used in study_results; ev is the
-- run's integer id of the (event_id, symbol) row (study_anchor.ev).
-- Reads study_ar_rows (filled before study_results) for the dates of the event window's first and last joined sessions.
CREATE OR REPLACE VIEW study_flag_rows AS
WITH window_dates AS (
    SELECT a.ev, max(CASE WHEN a.day = p.win_start THEN a.date END) AS win_first_date, max(a.date) AS win_last_date
    FROM study_ar_rows a
    CROSS JOIN study_params p
    GROUP BY a.ev
), ev AS (
    SELECT a.ev, e.event_id, e.symbol, e.benchmark, e.study_date, e.day0 AS day0_given, e.event_type, e.company,
           e.listed_since, e.background,
           a.seq0, a.day0, a.stock_rows, a.bench_rows, a.pair_rows, a.pair_last_date,
           a.first_day, a.last_day, w.win_first_date, w.win_last_date,
           coalesce(f.m, 0) AS m,
           -- the overlap join hashes a number, not text; no company, no number (never overlaps, as before)
           CASE WHEN e.company IS NOT NULL THEN dense_rank() OVER (ORDER BY e.company) END AS company_no,
           p.est_start, p.est_end, p.win_start, p.win_end, p.min_estimation
    FROM study_events e
    JOIN study_anchor a ON a.event_id = e.event_id AND a.symbol = e.symbol
    LEFT JOIN study_fit f ON f.ev = a.ev
    LEFT JOIN window_dates w ON w.ev = a.ev
    CROSS JOIN study_params p
), spans AS (
    -- the calendar span each event's window covers, and the 32-day buckets it touches (usually one or two)
    SELECT ev, event_id, company_no, coalesce(win_first_date, day0) AS lo, coalesce(win_last_date, day0) AS hi,
           unnest(range((coalesce(win_first_date, day0) - DATE '1970-01-01') // 32,
                        (coalesce(win_last_date, day0) - DATE '1970-01-01') // 32 + 1)) AS bucket
    FROM ev WHERE company_no IS NOT NULL
), dated AS (
    SELECT event_id, company_no, event_type, coalesce(day0, day0_given, study_date) AS d,
           (coalesce(day0, day0_given, study_date) - DATE '1970-01-01') // 32 AS bucket
    FROM ev WHERE company_no IS NOT NULL
), overlapping AS (
    -- joined on (company, bucket) rather than company alone, so a company with many events is not paired with
    -- every one of them; each other event's date lies in one bucket, so no pair is found twice. A plain list()
    -- sorted afterwards instead of an ordered aggregate: DuckDB sorts the few items per event cheaply. The items are
    -- (date, type) pairs, de-duplicated and sorted before they become text, so each distinct one is formatted once.
    SELECT x.ev, array_to_string(list_transform(
               list_sort(list_distinct(list({'d': o.d, 'type': coalesce(o.event_type, '')}))),
               lambda i: strftime(i.d, '%Y-%m-%d') || CASE WHEN i.type <> '' THEN ' (' || i.type || ')' ELSE '' END
           ), ', ') AS others
    FROM spans x
    JOIN dated o ON o.company_no = x.company_no AND o.bucket = x.bucket AND o.event_id <> x.event_id
                AND o.d BETWEEN x.lo AND x.hi
    GROUP BY x.ev
)
SELECT event_id, symbol, 1 AS ord, 'not_listed' AS flag,
       format('study date {} is before {} was listed on {}', study_date, symbol, listed_since) AS reason,
       ev
FROM ev WHERE study_date < listed_since
UNION ALL
SELECT event_id, symbol, 2, 'insufficient_estimation',
       format('only {} valid returns in the estimation window [{},{}] (need {})', m, est_start, est_end, min_estimation),
       ev
FROM ev WHERE seq0 IS NOT NULL AND m < min_estimation
UNION ALL
SELECT event_id, symbol, 3, 'missing_prices',
       CASE WHEN stock_rows = 0 THEN format('no prices for {}', symbol)
            WHEN bench_rows = 0 THEN format('no prices for the benchmark {}', benchmark)
            WHEN pair_rows = 0 THEN format('{} and {} have no common dates with returns', symbol, benchmark)
            WHEN seq0 IS NULL THEN format('no joined session of {} and {} on or after {} (joined prices end {})',
                                          symbol, benchmark, coalesce(day0_given, study_date), pair_last_date)
            ELSE format('day 0 moved from {} to {}: {} or {} has no price on {}',
                        day0_given, day0, symbol, benchmark, day0_given)
       END,
       ev
FROM ev WHERE seq0 IS NULL OR day0 <> day0_given
UNION ALL
SELECT event_id, symbol, 4, 'window_truncated',
       CASE WHEN last_day < win_end
            THEN format('prices end on {} at day {:+d}, inside the event window [{:+d},{:+d}]',
                        pair_last_date, last_day, win_start, win_end)
            ELSE format('prices start at day {:+d}, inside the event window [{:+d},{:+d}]', first_day, win_start, win_end)
       END,
       ev
FROM ev WHERE seq0 IS NOT NULL AND (last_day < win_end OR first_day > win_start)
UNION ALL
SELECT x.event_id, x.symbol, 5, 'overlap',
       format('another {} event on {} inside [{:+d},{:+d}]', x.company, o.others, x.win_start, x.win_end),
       x.ev
FROM ev x JOIN overlapping o ON o.ev = x.ev
UNION ALL
SELECT event_id, symbol, 6, 'background', 'background fact (e.g. a founding or an old listing): shown, not studied', ev
FROM ev WHERE background;
