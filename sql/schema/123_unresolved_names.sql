-- unresolved_names: organisation-like names in articles ("Zhipu AI-Aktie", "Foo Holdings Ltd") that
-- matched neither the registry nor the securities table nor an online look-up, so no event can be
-- about them; listed by `tracker events` and in the report instead of being dropped silently.
-- Grain: one row per (article, name); replaced for the articles of each `tracker events` run.
CREATE TABLE IF NOT EXISTS unresolved_names (
    article  VARCHAR NOT NULL,   -- articles.file
    name     VARCHAR NOT NULL,   -- the name as the text writes it
    mentions INTEGER NOT NULL,   -- how often the article writes it
    PRIMARY KEY (article, name)
);
