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
