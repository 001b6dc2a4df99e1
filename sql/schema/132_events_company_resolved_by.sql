-- events.company_resolved_by: how company_mention was tied to the company. Grain: unchanged (one row per
-- event). 'name' (a registry name), 'product' (a product stands for its maker), 'relative' (the
-- antecedent of a relative clause), 'same_sentence' / 'previous_subject' / 'focal' (a referring phrase
-- resolved to a company earlier in the sentence, the subject of a recent sentence, or the article's
-- focal company).
ALTER TABLE events ADD COLUMN IF NOT EXISTS company_resolved_by VARCHAR;
