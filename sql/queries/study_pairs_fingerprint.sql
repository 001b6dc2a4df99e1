-- study_pairs fingerprint: every (symbol, date, adj_close) of the symbols the study needs and the list of
-- Grain: one row, one fingerprint string.
-- (symbol, benchmark) pairs; equal fingerprints mean study_pairs can be reused as it is.
WITH needed AS (
    SELECT DISTINCT symbol, benchmark FROM study_events
), wanted AS (
    SELECT symbol FROM needed UNION SELECT benchmark FROM needed
)
SELECT concat_ws('/',
    (SELECT count(*) FROM prices WHERE symbol IN (SELECT symbol FROM wanted)),
    (SELECT coalesce(bit_xor(hash(symbol, date, adj_close)), 0) FROM prices WHERE symbol IN (SELECT symbol FROM wanted)),
    (SELECT hash(string_agg(symbol || '|' || benchmark, ',' ORDER BY symbol, benchmark)) FROM needed)
) AS fingerprint;
