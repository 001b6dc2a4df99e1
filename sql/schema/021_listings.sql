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
