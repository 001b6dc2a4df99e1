-- events.fiscal_period: for earnings and guidance, the period the results or the forecast cover.
-- Grain: unchanged (one row per event). Values '2025-Q2', '2025-H1', '2025-FY' (fiscal labels keep the
-- company's own year: Alibaba's FY2026 is '2026-FY'); NULL for other types or when the text names no
-- period. Never the event date, which is the release day.
ALTER TABLE events ADD COLUMN IF NOT EXISTS fiscal_period VARCHAR;
