-- securities_loads: what `tracker companies update` loaded, from where and when, for
-- `tracker companies status`.
-- Grain: one row per source (sec, financedatabase); each update replaces its source's row.
CREATE TABLE IF NOT EXISTS securities_loads (
    source    VARCHAR PRIMARY KEY,  -- sec | financedatabase
    location  VARCHAR NOT NULL,     -- file, folder or URL the rows came from
    rows      INTEGER NOT NULL,     -- rows read (before dropping delisted lines)
    kept      INTEGER NOT NULL,     -- rows stored in securities
    licence   VARCHAR NOT NULL,     -- licence of the data
    loaded_at TIMESTAMP NOT NULL
);
