-- security_lookups: cached online look-ups (yfinance search) of organisation names that matched
-- nothing in the registry or the securities table; misses are cached too, so a name is asked once.
-- Grain: one row per normalised name.
CREATE TABLE IF NOT EXISTS security_lookups (
    name_key    VARCHAR PRIMARY KEY,  -- normalised name that was looked up
    query       VARCHAR NOT NULL,     -- the name as it was sent
    found       BOOLEAN NOT NULL,     -- false: the search returned no usable equity
    symbol      VARCHAR,              -- Yahoo symbol of the best equity quote
    name        VARCHAR,              -- its name (long name, else short name)
    exchange    VARCHAR,              -- its MIC where known
    currency    VARCHAR,
    looked_up_at TIMESTAMP NOT NULL
);
