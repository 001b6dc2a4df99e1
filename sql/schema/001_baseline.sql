-- baseline: the tables that store data (articles, companies, listings, events, event_sources, prices,
-- price_symbols, price_fetches) and the study's input study_events; every other study table is rebuilt per run
-- from sql/study/. Each table below has its own header. Later changes are new migration files, never edits here.
-- Grain: see each table.

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

-- companies: the company registry (bundled tracker/data/companies.toml plus users' --registry files),
-- so SQL can name companies, find their aliases and tell listed from unlisted (Huawei, DeepSeek).
-- Grain: one row per company id; store_registry() replaces all rows on each run.
CREATE TABLE IF NOT EXISTS companies (
    id                    VARCHAR PRIMARY KEY,  -- lowercase slug, e.g. 'alibaba'; events.company refers to it
    name                  VARCHAR NOT NULL,     -- display name, e.g. 'Alibaba'
    listed                BOOLEAN NOT NULL,     -- true when it has at least one row in listings
    aliases               VARCHAR[] NOT NULL,   -- every name texts may use (German, English, pinyin, Chinese script)
    parent                VARCHAR,              -- companies.id of the parent (T-Head -> alibaba), NULL if none
    fiscal_year_end_month INTEGER               -- 1-12 where known (Alibaba: 3), NULL otherwise
);

-- listings: where each company's shares trade (Alibaba: the BABA ADR and 9988.HK), with the
-- benchmark its abnormal returns are measured against. No foreign key to companies, so both tables
-- can be replaced in either order; store_registry() keeps them consistent.
-- Grain: one row per Yahoo symbol; store_registry() replaces all rows on each run.
CREATE TABLE IF NOT EXISTS listings (
    symbol       VARCHAR PRIMARY KEY,  -- Yahoo symbol: BABA, 9988.HK, 688256.SS, 0020.HK
    company      VARCHAR NOT NULL,     -- companies.id
    exchange     VARCHAR NOT NULL,     -- MIC: XNYS, XNAS, XHKG, XSHG, XSHE, XTKS, XKRX, XAMS, XTAI, XETR
    currency     VARCHAR NOT NULL,     -- USD, HKD, CNY, ...
    listed_since DATE,                 -- first trading day, NULL if unknown
    benchmark    VARCHAR NOT NULL,     -- Yahoo symbol of the default benchmark (SPY, ^HSI, 000001.SS, ...)
    is_primary   BOOLEAN NOT NULL,     -- the listing a study uses by default (one per listed company)
    kind         VARCHAR NOT NULL      -- 'ordinary' | 'ADR'
);

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

-- event_sources: every article sentence that reports an event (an event merged from several reports
-- has several rows).
-- Grain: one row per (event_id, article, evidence_start).
CREATE TABLE IF NOT EXISTS event_sources (
    event_id       VARCHAR NOT NULL,
    article        VARCHAR NOT NULL,
    published      DATE,
    evidence       VARCHAR,
    evidence_start INTEGER,
    evidence_end   INTEGER,
    PRIMARY KEY (event_id, article, evidence_start)
);

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
    source    VARCHAR NOT NULL,  -- 'yfinance' | 'csv' | 'snapshot' (the bundled seed prices)
    PRIMARY KEY (symbol, date)
);

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

-- price_fetches: log of every price load (download or CSV import), kept forever; also the coverage
-- record: rows with covers = true say "this source was asked for start..end and answered", so a
-- later run does not ask again (see tracker/prices/cache.py for the rule on recent dates).
-- Grain: one row per (symbol, requested range, load attempt).
CREATE TABLE IF NOT EXISTS price_fetches (
    symbol     VARCHAR NOT NULL,
    start_date DATE NOT NULL,
    end_date   DATE NOT NULL,      -- inclusive
    source     VARCHAR NOT NULL,   -- 'yfinance' | 'csv' (file name in message) | 'snapshot'
    fetched_at TIMESTAMP NOT NULL, -- UTC
    n_rows     INTEGER NOT NULL,   -- rows received for this range
    outcome    VARCHAR NOT NULL,   -- 'ok' | 'empty' | 'error' | 'unreachable'
    message    VARCHAR,
    covers     BOOLEAN NOT NULL    -- counts as coverage of start..end
);

-- study_events: the study's input, one row per event and listed symbol (from extracted events or a user CSV), kept
-- between runs as the record of what the last study ran on; written by tracker/study/inputs.py.
-- Grain: one row per (event_id, symbol).
CREATE TABLE IF NOT EXISTS study_events (
    event_id     VARCHAR NOT NULL,
    symbol       VARCHAR NOT NULL,
    benchmark    VARCHAR NOT NULL,  -- Yahoo symbol of the market index/ETF the symbol is compared with
    study_date   DATE NOT NULL,     -- calendar date the market could first know
    day0         DATE,              -- first exchange session on/after study_date; NULL = first joined session on/after study_date
    event_type   VARCHAR,
    company      VARCHAR,
    label        VARCHAR,
    listed_since DATE,              -- from listings; NULL if unknown
    background   BOOLEAN,
    PRIMARY KEY (event_id, symbol)
);

