-- price_fetches: log of every price load (download or CSV import), kept forever; also the coverage
-- record: rows with covers = true say "this source was asked for start..end and answered", so a
-- later run does not ask again (see tracker/prices/cache.py for the rule on recent dates).
-- Grain: one row per (symbol, requested range, load attempt).
CREATE TABLE IF NOT EXISTS price_fetches (
    symbol     VARCHAR NOT NULL,
    start_date DATE NOT NULL,
    end_date   DATE NOT NULL,      -- inclusive
    source     VARCHAR NOT NULL,   -- 'yfinance' | 'csv:<folder>'
    fetched_at TIMESTAMP NOT NULL, -- UTC
    n_rows     INTEGER NOT NULL,   -- rows received for this range
    outcome    VARCHAR NOT NULL,   -- 'ok' | 'empty' | 'error'
    message    VARCHAR,
    covers     BOOLEAN NOT NULL    -- counts as coverage of start..end
);
