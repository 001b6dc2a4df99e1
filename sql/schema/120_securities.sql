-- securities: the listed world beyond the curated registry (DESIGN.md §3b): US listings from the
-- SEC's company_tickers_exchange.json and other exchanges from FinanceDatabase's equity files,
-- with the group each line belongs to (one company's listings share a group_id).
-- Grain: one row per Yahoo symbol; `tracker companies update` replaces all rows of a source.
CREATE TABLE IF NOT EXISTS securities (
    symbol        VARCHAR PRIMARY KEY,  -- Yahoo symbol: ASML, ASML.AS, 600519.SS, BRK-B
    name          VARCHAR NOT NULL,     -- registered name as the source writes it
    norm_name     VARCHAR NOT NULL,     -- normalised name (lower case, legal forms and punctuation removed)
    exchange      VARCHAR,              -- MIC: XNAS, XNYS, XHKG, XSHG, XTKS, XAMS, XETR, ...; NULL for OTC
    exchange_code VARCHAR,              -- the source's own code: Nasdaq, NYSE, OTC, HKG, JPX, GER, ...
    currency      VARCHAR,
    country       VARCHAR,              -- country of the company (FinanceDatabase), NULL when unknown
    isin          VARCHAR,              -- where known
    website       VARCHAR,
    market_cap    VARCHAR,              -- FinanceDatabase class: Mega Cap, Large Cap, Mid Cap, Small Cap, Micro Cap, Nano Cap
    sec_rank      INTEGER,              -- row number in the SEC file (ordered roughly by market value), 1 = largest
    cik           BIGINT,               -- SEC central index key
    kind          VARCHAR NOT NULL,     -- listing | secondary (a foreign share quoted on Xetra/London) | otc
    group_id      VARCHAR NOT NULL,     -- 'sec:<symbol of the group's primary listing>'
    is_primary    BOOLEAN NOT NULL,     -- the group's primary listing
    source        VARCHAR NOT NULL,     -- sec | financedatabase | sec+financedatabase
    loaded_at     TIMESTAMP NOT NULL
);
