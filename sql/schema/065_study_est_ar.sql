-- study_est_ar: narrow working table of the abnormal returns on every estimation- and event-window day of the
-- events in aggregates, the only input of the rank test and of study_est_events. Filled and emptied inside one
-- run_study transaction (tens of millions of rows at 100k events; never kept in the database file).
-- Grain: one row per (ev, day) with an AR; ev is study_anchor.ev, g is study_event_groups.g.
CREATE TABLE IF NOT EXISTS study_est_ar (
    ev     INTEGER NOT NULL,
    g      INTEGER NOT NULL,   -- (event_type, company) group number, for one-pass roll-ups
    day    INTEGER NOT NULL,
    t_i    INTEGER NOT NULL,   -- pooled days with an AR of this event (T_i of the rank test)
    in_est BOOLEAN NOT NULL,
    ar     DOUBLE NOT NULL
);
