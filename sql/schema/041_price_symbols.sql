-- price_symbols: where each symbol's prices came from, and its exchange calendar and currency.
-- Grain: one row per symbol with stored prices (or a recorded attempt to get them).
CREATE TABLE IF NOT EXISTS price_symbols (
    symbol     VARCHAR PRIMARY KEY,
    exchange   VARCHAR NOT NULL,   -- MIC whose sessions define gaps and day 0
    currency   VARCHAR NOT NULL,
    is_index   BOOLEAN NOT NULL,  -- an index (^HSI, 000001.SS): no share volume, so no volume checks
    source     VARCHAR NOT NULL,   -- source of the latest successful load
    fetched_at TIMESTAMP NOT NULL  -- UTC time of that load
);
