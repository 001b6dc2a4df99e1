-- study_anchor: each study event row with its integer id ev (from 0, in (event_id, symbol) order), day 0 = the first
-- joined session on or after coalesce(day0, study_date) at series row row0 (relative day d = row0 + d), price coverage
-- for the flags, its news cluster (company|study date), is_primary (the registry's; else the event's first symbol), and
-- date_uncertain (dated coarser than a day; a publication date standing in for a missing one is a known day) with its
-- uncertainty window: first to last joined session of the week / month / quarter / half / year, never past publication.
-- Grain: one row per (event_id, symbol) of study_events; a per-run work table.
WITH pair_span AS (
    SELECT pair, any_value(symbol) AS symbol, any_value(benchmark) AS benchmark, count(*) AS n,
           min(row) AS first_row, max(row) AS last_row, max(date) AS last_date
    FROM study_pairs GROUP BY pair
), listed AS (
    SELECT e.*, coalesce(l.is_primary, false) AS marked,
           bool_or(coalesce(l.is_primary, false)) OVER (PARTITION BY e.event_id) AS any_marked,
           min(e.symbol) OVER (PARTITION BY e.event_id) AS first_symbol
    FROM study_events e
    LEFT JOIN listings l ON l.symbol = e.symbol
), dated AS (
    SELECT x.*, v.date_precision, v.date_source, v.event_date, v.published,
           coalesce(v.date_precision, 'day') <> 'day' AS date_uncertain
    FROM listed x
    LEFT JOIN events v ON v.id = x.event_id
), ev AS (
    SELECT (row_number() OVER (ORDER BY d.event_id, d.symbol) - 1)::BIGINT AS ev, d.*,
           coalesce(d.day0, d.study_date) AS anchor, ps.pair,
           d.marked OR (NOT d.any_marked AND d.symbol = d.first_symbol) AS is_primary,
           coalesce(d.company, d.symbol) || '|' || strftime(d.study_date, '%Y-%m-%d') AS cluster_id,
           CASE WHEN d.date_uncertain THEN
               d.event_date END AS period_start,
           CASE WHEN d.date_uncertain THEN least(
               CASE d.date_precision WHEN 'week' THEN d.event_date + 6
                                     WHEN 'month' THEN last_day(d.event_date)
                                     WHEN 'quarter' THEN (date_trunc('quarter', d.event_date) + INTERVAL 3 MONTH)::DATE - 1
                                     WHEN 'half' THEN (d.event_date + INTERVAL 6 MONTH)::DATE - 1
                                     WHEN 'year' THEN (d.event_date + INTERVAL 1 YEAR)::DATE - 1 END,
               coalesce(d.published, d.study_date)) END AS period_end,
           CASE WHEN NOT d.date_uncertain THEN NULL
                WHEN d.date_precision = 'week' THEN 'dated to the week of ' || strftime(d.event_date, '%-d %b %Y')
                WHEN d.date_precision = 'month' THEN 'dated to ' || strftime(d.event_date, '%B %Y')
                WHEN d.date_precision = 'quarter' THEN format('dated to Q{} {}', quarter(d.event_date), year(d.event_date))
                WHEN d.date_precision = 'half'
                    THEN format('dated to H{} {}', CASE WHEN month(d.event_date) <= 6 THEN 1 ELSE 2 END, year(d.event_date))
                WHEN d.date_precision = 'year' THEN format('dated to {}', year(d.event_date))
           END AS uncertain_reason
    FROM dated d
    LEFT JOIN pair_span ps ON ps.symbol = d.symbol AND ps.benchmark = d.benchmark
), located AS (
    SELECT ev.*, p.row AS row0, p.date AS day0_found
    FROM ev ASOF LEFT JOIN study_pairs p ON p.pair = ev.pair AND ev.anchor <= p.date
), span_first AS (
    SELECT l.ev, p.row AS span_first_row, p.date AS window_start
    FROM (SELECT * FROM located WHERE date_uncertain) l
    ASOF JOIN study_pairs p ON p.pair = l.pair AND l.period_start <= p.date
), span_last AS (
    SELECT l.ev, p.row AS span_last_row, p.date AS window_end
    FROM (SELECT * FROM located WHERE date_uncertain) l
    ASOF JOIN study_pairs p ON p.pair = l.pair AND l.period_end >= p.date
), rows_per_symbol AS (
    SELECT symbol, count(*) AS n FROM prices
    WHERE symbol IN (SELECT symbol FROM study_events UNION SELECT benchmark FROM study_events)
    GROUP BY symbol
)
SELECT l.ev, l.event_id, l.symbol, l.benchmark, l.study_date, l.day0 AS day0_given, l.event_type, l.company,
       l.label, l.listed_since, l.background, l.anchor, l.pair, l.row0, l.day0_found AS day0,
       coalesce(rs.n, 0) AS stock_rows, coalesce(rb.n, 0) AS bench_rows, coalesce(ps.n, 0) AS pair_rows,
       ps.last_date AS pair_last_date, ps.first_row - l.row0 AS first_day, ps.last_row - l.row0 AS last_day,
       l.cluster_id, l.is_primary, l.date_precision, l.date_source, l.date_uncertain, l.uncertain_reason,
       CASE WHEN sf.span_first_row <= sl.span_last_row THEN sf.window_start END AS window_start,
       CASE WHEN sf.span_first_row <= sl.span_last_row THEN sl.window_end END AS window_end,
       CASE WHEN sf.span_first_row <= sl.span_last_row THEN sf.span_first_row - l.row0 END AS span_first_day,
       CASE WHEN sf.span_first_row <= sl.span_last_row THEN sl.span_last_row - l.row0 END AS span_last_day
FROM located l
LEFT JOIN rows_per_symbol rs ON rs.symbol = l.symbol
LEFT JOIN rows_per_symbol rb ON rb.symbol = l.benchmark
LEFT JOIN pair_span ps ON ps.pair = l.pair
LEFT JOIN span_first sf ON sf.ev = l.ev
LEFT JOIN span_last sl ON sl.ev = l.ev
