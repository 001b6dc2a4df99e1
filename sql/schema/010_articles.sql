-- articles: the cleaned text of every ingested article and where its publication date came from.
-- Grain: one row per article file name (re-ingesting a file replaces its row).
CREATE TABLE IF NOT EXISTS articles (
    file             VARCHAR PRIMARY KEY,  -- file name, e.g. 000_439ff119099e6294.txt
    path             VARCHAR NOT NULL,     -- path it was read from
    sha1             VARCHAR NOT NULL,     -- of the raw bytes
    language         VARCHAR,              -- 'de' | 'en' | 'unknown'
    published        DATE,                 -- NULL when neither the manifest nor the text gives a date
    published_source VARCHAR,              -- 'manifest' | 'inferred' | 'none'
    published_basis  VARCHAR,              -- why that date, e.g. 'last-updated stamp "Stand: 08.12.2025"'
    source           VARCHAR,
    url              VARCHAR,
    title            VARCHAR,
    text             VARCHAR NOT NULL,     -- cleaned text; evidence offsets refer to it
    encoding         VARCHAR,              -- how the bytes were decoded: utf-8, cp1252, ...
    ingested_at      TIMESTAMP NOT NULL
);
