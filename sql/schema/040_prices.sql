-- prices: daily bars per symbol from Yahoo (yfinance) or a CSV folder; returns use adj_close.
-- Grain: one row per (symbol, date); date is the exchange-local trading day.
CREATE TABLE IF NOT EXISTS prices (
    symbol    VARCHAR NOT NULL,
    date      DATE NOT NULL,
    open      DOUBLE,
    high      DOUBLE,
    low       DOUBLE,
    close     DOUBLE NOT NULL,
    adj_close DOUBLE NOT NULL,   -- Yahoo's Adj Close; equals close when the source has none
    volume    DOUBLE,            -- NULL where the source gives none (indexes)
    source    VARCHAR NOT NULL,  -- 'yfinance' | 'csv:<folder>'
    PRIMARY KEY (symbol, date)
);
