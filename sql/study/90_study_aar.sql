-- study_aar: the average abnormal return path per group over the event window from the kernel
-- (tracker/study/kernel.py: aggregate), for CAAR charts with a 95% band (caar +- 1.96 caar_se, the cross-sectional sd
-- of the CARs to that day over sqrt(n)).
-- Grain: one row per (group_kind, group_value, day).
SELECT group_kind, group_value, day, n, aar, caar, caar_se
FROM kernel_aar
