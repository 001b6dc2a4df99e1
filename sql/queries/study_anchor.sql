-- study_anchor fill: day 0 of each event = the first joined session on/after coalesce(day0, study_date)
-- Grain: inserts one row per (event_id, symbol) of study_events.
-- (an equality join, an ASOF join for anchors that are not sessions), plus the price coverage the flags need. Run
-- after study_pairs.
INSERT INTO study_anchor
WITH pair_span AS (
    -- pair_key >> 24 is the pair number: grouping and the ASOF join below use integers, not the two symbol strings
    SELECT pair_key >> 24 AS pair_no, any_value(symbol) AS symbol, any_value(benchmark) AS benchmark,
           count(*) AS n, max(seq) AS last_seq, max(date) AS last_date
    FROM study_pairs GROUP BY pair_key >> 24
), ev AS (
    SELECT row_number() OVER (ORDER BY e.event_id, e.symbol) AS ev,
           e.event_id, e.symbol, e.benchmark, coalesce(e.day0, e.study_date) AS anchor, ps.pair_no
    FROM study_events e
    LEFT JOIN pair_span ps ON ps.symbol = e.symbol AND ps.benchmark = e.benchmark
), exact AS (
    -- most anchors are sessions of the pair: an equality join finds them without sorting study_pairs
    SELECT ev.*, p.seq AS seq0, p.pair_key AS key0, p.date AS day0
    FROM ev LEFT JOIN study_pairs p ON p.pair_key >> 24 = ev.pair_no AND p.date = ev.anchor
), later AS (
    -- the others (weekends, holidays, no data yet) take the first joined session after the anchor
    SELECT m.* EXCLUDE (seq0, key0, day0), p.seq AS seq0, p.pair_key AS key0, p.date AS day0
    FROM (SELECT * FROM exact WHERE seq0 IS NULL) m
    ASOF LEFT JOIN (SELECT pair_key - seq AS pair_base, seq, pair_key, date FROM study_pairs
                    WHERE pair_key >> 24 IN (SELECT pair_no FROM exact WHERE seq0 IS NULL)) p
      ON p.pair_base = m.pair_no << 24 AND m.anchor <= p.date
), located AS (
    SELECT * FROM exact WHERE seq0 IS NOT NULL
    UNION ALL
    SELECT * FROM later
), rows_per_symbol AS (
    SELECT symbol, count(*) AS n FROM prices
    WHERE symbol IN (SELECT symbol FROM study_events UNION SELECT benchmark FROM study_events)
    GROUP BY symbol
)
SELECT l.ev, l.event_id, l.symbol, l.benchmark, l.anchor, l.seq0, l.key0, l.day0,
       coalesce(rs.n, 0), coalesce(rb.n, 0), coalesce(ps.n, 0), ps.last_date, 1 - l.seq0, ps.last_seq - l.seq0
FROM located l
LEFT JOIN rows_per_symbol rs ON rs.symbol = l.symbol
LEFT JOIN rows_per_symbol rb ON rb.symbol = l.benchmark
LEFT JOIN pair_span ps ON ps.pair_no = l.pair_no;
