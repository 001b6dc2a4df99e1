-- study_anchor: where each study event sits in its joined series (day 0) and what price data it has; per run.
-- Grain: one row per (event_id, symbol) of study_events.
CREATE TABLE IF NOT EXISTS study_anchor (
    ev              BIGINT NOT NULL, -- integer id of the (event_id, symbol) row; the per-run tables key on it
    event_id        VARCHAR NOT NULL,
    symbol          VARCHAR NOT NULL,
    benchmark       VARCHAR NOT NULL,
    anchor          DATE NOT NULL,   -- coalesce(day0, study_date)
    seq0            BIGINT,          -- seq of the joined day 0; NULL if no joined session on/after anchor
    key0            BIGINT,          -- pair_key of the joined day 0
    day0            DATE,            -- the joined day-0 date
    stock_rows      BIGINT NOT NULL, -- prices rows of the symbol
    bench_rows      BIGINT NOT NULL, -- prices rows of the benchmark
    pair_rows       BIGINT NOT NULL, -- joined sessions with both returns
    pair_last_date  DATE,            -- last joined session
    first_day       BIGINT,          -- relative day of the first joined session
    last_day        BIGINT,          -- relative day of the last joined session
    win_first_date  DATE,            -- joined date at the event-window start (NULL if outside the data)
    win_last_date   DATE             -- joined date at the event-window end, or the last joined date if data ends before
);
