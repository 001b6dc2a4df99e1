-- study_flags: every flag raised on a study event row with a human reason naming dates and counts; ord is the fixed
-- flag order of study_results. The overlap flag names the company's other events dated between the first and last
-- dates of the row's event window (from study_ar).
-- Grain: one row per (ev, flag); a per-run work table.
WITH window_dates AS (
    SELECT a.ev, max(CASE WHEN a.day = p.win_start THEN a.date END) AS win_first_date, max(a.date) AS win_last_date
    FROM study_ar a
    CROSS JOIN study_params p
    GROUP BY a.ev
), ev AS (
    SELECT a.*, w.win_first_date, w.win_last_date, coalesce(k.m, 0) AS m,
           -- the overlap join hashes a number, not text; no company, no number (never overlaps)
           CASE WHEN a.company IS NOT NULL THEN dense_rank() OVER (ORDER BY a.company) END AS company_no,
           p.est_start, p.est_end, p.win_start, p.win_end, p.min_estimation
    FROM study_anchor a
    LEFT JOIN kernel_rows k ON k.ev = a.ev
    LEFT JOIN window_dates w ON w.ev = a.ev
    CROSS JOIN study_params p
), spans AS (
    -- the calendar span each row's window covers, and the 32-day buckets it touches (usually one or two)
    SELECT ev, event_id, company_no, coalesce(win_first_date, day0) AS lo, coalesce(win_last_date, day0) AS hi,
           unnest(range((coalesce(win_first_date, day0) - DATE '1970-01-01') // 32,
                        (coalesce(win_last_date, day0) - DATE '1970-01-01') // 32 + 1)) AS bucket
    FROM ev WHERE company_no IS NOT NULL
), dated AS (
    SELECT event_id, company_no, event_type, coalesce(day0, day0_given, study_date) AS d,
           (coalesce(day0, day0_given, study_date) - DATE '1970-01-01') // 32 AS bucket
    FROM ev WHERE company_no IS NOT NULL
), overlapping AS (
    -- joined on (company, bucket), so a company with many events is not paired with every one of them; each other
    -- event's date lies in one bucket, so no pair is found twice. The (date, type) items are de-duplicated and sorted
    -- before they become text.
    SELECT x.ev, array_to_string(list_transform(
               list_sort(list_distinct(list({'d': o.d, 'type': coalesce(o.event_type, '')}))),
               lambda i: strftime(i.d, '%Y-%m-%d') || CASE WHEN i.type <> '' THEN ' (' || i.type || ')' ELSE '' END
           ), ', ') AS others
    FROM spans x
    JOIN dated o ON o.company_no = x.company_no AND o.bucket = x.bucket AND o.event_id <> x.event_id
                AND o.d BETWEEN x.lo AND x.hi
    GROUP BY x.ev
)
SELECT ev, 1 AS ord, 'not_listed' AS flag,
       format('study date {} is before {} was listed on {}', study_date, symbol, listed_since) AS reason
FROM ev WHERE study_date < listed_since
UNION ALL
SELECT ev, 2, 'insufficient_estimation',
       format('only {} valid returns in the estimation window [{},{}] (need {})', m, est_start, est_end, min_estimation)
FROM ev WHERE row0 IS NOT NULL AND m < min_estimation
UNION ALL
SELECT ev, 3, 'missing_prices',
       CASE WHEN stock_rows = 0 THEN format('no prices for {}', symbol)
            WHEN bench_rows = 0 THEN format('no prices for the benchmark {}', benchmark)
            WHEN pair_rows = 0 THEN format('{} and {} have no common dates with returns', symbol, benchmark)
            WHEN row0 IS NULL THEN format('no joined session of {} and {} on or after {} (joined prices end {})',
                                          symbol, benchmark, coalesce(day0_given, study_date), pair_last_date)
            ELSE format('day 0 moved from {} to {}: {} or {} has no price on {}',
                        day0_given, day0, symbol, benchmark, day0_given)
       END
FROM ev WHERE row0 IS NULL OR day0 <> day0_given
UNION ALL
SELECT ev, 4, 'window_truncated',
       CASE WHEN last_day < win_end
            THEN format('prices end on {} at day {:+d}, inside the event window [{:+d},{:+d}]',
                        pair_last_date, last_day, win_start, win_end)
            ELSE format('prices start at day {:+d}, inside the event window [{:+d},{:+d}]', first_day, win_start, win_end)
       END
FROM ev WHERE row0 IS NOT NULL AND (last_day < win_end OR first_day > win_start)
UNION ALL
SELECT x.ev, 5, 'overlap',
       format('another {} event on {} inside [{:+d},{:+d}]', x.company, o.others, x.win_start, x.win_end)
FROM ev x JOIN overlapping o ON o.ev = x.ev
UNION ALL
SELECT ev, 6, 'date_uncertain',
       uncertain_reason || CASE WHEN window_start IS NOT NULL
                                THEN format('; window {} to {}', window_start, window_end) ELSE '' END
FROM ev WHERE date_uncertain
UNION ALL
SELECT ev, 7, 'background', 'background fact (e.g. a founding or an old listing): shown, not studied'
FROM ev WHERE background
