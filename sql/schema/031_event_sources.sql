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
