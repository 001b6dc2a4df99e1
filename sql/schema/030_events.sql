-- events: dated company events extracted from the articles, merged across articles.
-- Grain: one row per (company, event_type, date bucket); id = sha1 of that key, stable across runs.
CREATE TABLE IF NOT EXISTS events (
    id             VARCHAR PRIMARY KEY,
    company        VARCHAR NOT NULL,     -- companies.id
    company_name   VARCHAR,
    tickers        VARCHAR[],            -- every listing's Yahoo symbol; empty for unlisted companies
    event_type     VARCHAR NOT NULL,     -- DESIGN.md §3 taxonomy
    event_date     DATE,                 -- first day of the period at date_precision
    date_precision VARCHAR,              -- day | week | month | quarter | half | year
    date_source    VARCHAR,              -- explicit | relative | publication
    date_text      VARCHAR,              -- the expression the date came from ('' for publication)
    date_value     VARCHAR,              -- ISO value at its granularity: 2025-09-18, 2025-W37, 2025-H1
    published      DATE,                 -- publication date of the first (earliest) source article
    article        VARCHAR,              -- that article's file name
    evidence       VARCHAR,              -- the sentence
    evidence_start INTEGER,              -- offsets into articles.text of that article
    evidence_end   INTEGER,
    confidence     DOUBLE,               -- 0..1
    headline       VARCHAR,              -- short English label for charts
    status         VARCHAR,              -- reported | planned | rumoured | negated
    background     BOOLEAN,              -- a background fact (founding, old listing): shown, not studied
    study_date     DATE,                 -- day the market could first know; NULL = not studyable
    trigger_text   VARCHAR               -- the cue that fired, for explaining the extraction
);
