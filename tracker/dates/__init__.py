"""Rule-based German and English temporal tagger, in the manner of HeidelTime.

Detect, then normalise against the document creation time (the publication date), keeping the
granularity the text gives: "im Juli 2025" is the month 2025-07, never July 20th.

Choices the rest of the pipeline relies on:
- Direction of a date without a year (or a bare weekday): the expression's own word
  ("letzten", "nächsten") > "seit" (looks back) > the nearest tense cue in the sentence
  (Präteritum/Perfekt/"wurde" point back; "wird", "soll", "plant", "will" forward) > the news
  prior: the past reading unless the future one is NEUTRAL_FUTURE_PENALTY (2) times nearer
  (direction.choose explains why not plainly "never after dct"; set it to inf for that).
  A bare weekday without any cue is the last such day up to and including the dct; with
  "bis"/"ab" ("bis Freitag", "ab Montag") the next one.
- "vor zwei Wochen" is the ISO week 14 days before dct (precision week), "vor drei Tagen" the
  day, "vor zwei Monaten" the month, "vor einem Jahr" the year: the unit sets the precision.
  "seit etwa zwei Wochen" is the same period with interval 'since'.
- Seasons are meteorological three-month spans: value '2025-06/2025-08' (an ISO 8601 interval),
  precision 'quarter', rule 'season_*'. Winter runs from December to February.
- Modifiers (Anfang/Mitte/Ende, early/mid/late) keep value, first_day and last_day of the whole
  period; mod says which part. "ab Oktober" is interval 'since', "bis 2035" 'until'.
- Vague words (bald, derzeit, kürzlich, seit Jahren, in den kommenden Jahren) give no Timex.
  "Vorjahr"/"Vorjahresquartal" give none either: in news they are comparison baselines.
  "in zwei Wochen" (future offset) is not tagged: "in drei Jahren verdoppelt" is a duration.
- Fiscal labels (Geschäftsjahr, FY, fiscal) set fiscal=True; value/first/last are the label read
  as calendar, and model.fiscal_span() maps them with a company's fiscal year end.
- Clock times are never tagged, so "Minute 5:50" cannot become a date. Bare four-digit numbers
  are years unless a unit, currency or quantifier marks them as amounts ("rund 2000 Mitarbeiter").
- "vom 1. bis 3. Oktober" gives "1." (2025-10-01, no interval) and "bis 3. Oktober" ('until').
- Page stamps keep their date but carry rule 'stamp_updated' ("Stand:", "Aktualisiert") or
  'stamp_published' ("Veröffentlicht am"), so intake can tell them from dates in the story.
- kind 'explicit' = the year is written (or borrowed from the range end), else 'relative'.

Package layout: model (Timex, periods, fiscal_span), lexicon (words), direction (tense cues and
the choice rule), resolve (candidates around dct), tagger (rule engine, prefixes, overlaps),
rules_de / rules_en / rules_common (the patterns), api (tag, latest_full_date).
"""

from tracker.dates.api import latest_full_date, tag
from tracker.dates.model import Period, Timex, fiscal_span

__all__ = ["Timex", "Period", "tag", "latest_full_date", "fiscal_span"]
