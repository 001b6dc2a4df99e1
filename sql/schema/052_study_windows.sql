-- study_windows: the CAR windows of the current study run.
-- Grain: one row per CAR window.
CREATE TABLE IF NOT EXISTS study_windows (
    label     VARCHAR NOT NULL,  -- 'a:b', e.g. '-1:1'
    win_start INTEGER NOT NULL,
    win_end   INTEGER NOT NULL
);
