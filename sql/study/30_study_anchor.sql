-- study_anchor: each study event row with its integer id ev, its pair's series rows and day 0 = the first joined
-- session on or after coalesce(day0, study_date), and the price coverage the flags need.
-- Grain: one row per (event_id, symbol) of study_events; a per-run work table. ev numbers the rows from 0 in
-- (event_id, symbol) order; relative day d of a row is series row row0 + d.
WITH pair_span AS (
    SELECT pair, any_value(symbol) AS symbol, any_value(benchmark) AS benchmark, count(*) AS n,
           min(row) AS first_row, max(row) AS last_row, max(date) AS last_date
    FROM study_pairs GROUP BY pair
), ev AS (
    SELECT (row_number() OVER (ORDER BY e.event_id, e.symbol) - 1)::BIGINT AS ev, e.*,
           coalesce(e.day0, e.study_date) AS anchor, ps.pair
    FROM study_events e
    LEFT JOIN pair_span ps ON ps.symbol = e.symbol AND ps.benchmark = e.benchmark
), located AS (
    SELECT ev.*, p.row AS row0, p.date AS day0_found
    FROM ev ASOF LEFT JOIN study_pairs p ON p.pair = ev.pair AND ev.anchor <= p.date
), rows_per_symbol AS (
    SELECT symbol, count(*) AS n FROM prices
    WHERE symbol IN (SELECT symbol FROM study_events UNION SELECT benchmark FROM study_events)
    GROUP BY symbol
)
SELECT l.ev, l.event_id, l.symbol, l.benchmark, l.study_date, l.day0 AS day0_given, l.event_type, l.company,
       l.label, l.listed_since, l.background, l.anchor, l.pair, l.row0, l.day0_found AS day0,
       coalesce(rs.n, 0) AS stock_rows, coalesce(rb.n, 0) AS bench_rows, coalesce(ps.n, 0) AS pair_rows,
       ps.last_date AS pair_last_date, ps.first_row - l.row0 AS first_day, ps.last_row - l.row0 AS last_day
FROM located l
LEFT JOIN rows_per_symbol rs ON rs.symbol = l.symbol
LEFT JOIN rows_per_symbol rb ON rb.symbol = l.benchmark
LEFT JOIN pair_span ps ON ps.pair = l.pair
