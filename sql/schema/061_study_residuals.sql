-- study_residuals: estimation- and event-window ARs of the events in aggregates, with Corrado rank deviations and
-- unit-norm demeaned estimation residuals (Kolari–Pynnönen input); materialised once per run for the rank/KP/sign tests.
-- Grain: one row per (ev, day) with an AR; ev is study_anchor.ev.
CREATE TABLE IF NOT EXISTS study_residuals (
    ev       BIGINT,
    day      INTEGER,
    date     DATE,
    ar       DOUBLE,
    in_est   BOOLEAN,
    in_win   BOOLEAN,
    d        DOUBLE,   -- average rank of ar among the event's pooled days minus (T_i + 1) / 2
    u        DOUBLE    -- estimation days: (ar - mean) / sqrt(sum of squared deviations); NULL on event days
);
