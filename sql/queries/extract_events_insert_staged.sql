-- Insert the extracted events staged as the relation staged_events (tracker.events.store_events deletes
-- the old rows first and registers the batch under that name). Grain: one row per event id.
INSERT INTO events (id, company, company_name, tickers, event_type, event_date, date_precision, date_source,
                    date_text, date_value, published, article, evidence, evidence_start, evidence_end,
                    confidence, headline, status, background, study_date, trigger_text,
                    fiscal_period, company_mention, company_resolved_by)
SELECT id, company, company_name, tickers, event_type, event_date, date_precision, date_source,
       date_text, date_value, published, article, evidence, evidence_start, evidence_end,
       confidence, headline, status, background, study_date, trigger_text,
       fiscal_period, company_mention, company_resolved_by
FROM staged_events;
