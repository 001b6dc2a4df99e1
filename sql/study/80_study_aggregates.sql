-- study_aggregates: the cross-event tests of the CARs per group (all, event type, company) and window from the kernel
-- (tracker/study/kernel.py: aggregate), in long format; convention names each test's formula and distribution and
-- says why when statistic is NULL; p is two-sided. n counts the observations in the test (news clusters, unless
-- listing = all: then every (event, listing) row), n_listings the (cluster, listing) pairs behind them.
-- Grain: one row per (group_kind, group_value, window, test).
SELECT group_kind, group_value, "window", n, caar, test, statistic, p, convention, n_listings
FROM kernel_aggregates
