-- events.company_mention: the words in the evidence sentence that name or refer to the event's company
-- ("Cambricon", "das Unternehmen", "its shares"). Grain: unchanged (one row per event).
ALTER TABLE events ADD COLUMN IF NOT EXISTS company_mention VARCHAR;
