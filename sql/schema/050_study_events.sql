-- study_events: the study's input, one row per event and listed symbol (from extracted events or a user CSV).
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
