"""Who an article is about, and whom "das Unternehmen", "die Aktie", "the company" refer to.

News names its company in the headline and lead and then refers to it: "Die Aktie verlor acht
Prozent", "the company said". The focal company is, among the companies named in the headline or
in subject position of the two sentences after it, the one named most in the lead (then in the
whole text, then first); with none there, no company is focal. A referring phrase means, in this order: the company named
in subject position earlier in its own sentence (else the last one named before it there); the
company in subject position of one of the three sentences before; the focal company.

Subject position is read the simple way news writes it: the first company named within the first
few words of its sentence ("Xiaomi meldete", "Der chinesische Konzern Xiaomi meldete", "Am
Dienstag teilte Xiaomi mit").
"""

from __future__ import annotations

from collections import Counter

LEAD_CHARS = 400          # headline plus lead: about two news sentences
SUBJECT_WORDS = 6         # a subject is named within this many words of the sentence start
LOOK_BACK = 3             # sentences searched for an antecedent before the focal company
LEAD_SENTENCES = 2        # body sentences after the headline whose subject may be the focal company


def focal_company(text: str, mentions: list, sentences: list[tuple[int, int]] | None = None,
                  lead_chars: int = LEAD_CHARS) -> str | None:
    """The company the article is about, or None when it names none it can be sure of.

    News puts its company in the headline or makes it the subject of the lead. A company that appears
    in neither (a customer named in the lead, a rival further down) is not what "der Konzern" means:
    when the headline's company is one the matcher does not know, guessing a bystander would give
    that bystander the article's events, so no company is focal then."""
    if not mentions:
        return None
    everywhere = Counter(m.company for m in mentions)
    lead = Counter(m.company for m in mentions if m.start < lead_chars)
    first = {}
    for m in mentions:
        first.setdefault(m.company, m.start)
    candidates = set(everywhere)
    if sentences:
        candidates = {m.company for m in mentions if sentences[0][0] <= m.start < sentences[0][1]}
        for start, end in sentences[1:LEAD_SENTENCES + 1]:
            subject = subject_mention(text, start, [m for m in mentions if start <= m.start < end])
            if subject is not None:
                candidates.add(subject.company)
        if not candidates:
            return None
    return min(candidates, key=lambda c: (-lead[c], -everywhere[c], first[c]))


def subject_mention(text: str, sentence_start: int, mentions: list):
    """The mention in subject position of the sentence starting at sentence_start, or None."""
    if not mentions:
        return None
    m = mentions[0]
    if len(text[sentence_start:m.start].split()) <= SUBJECT_WORDS:
        return m
    return None


class Resolver:
    """Resolves referring phrases of one article; sentence-by-sentence mentions as built by extract."""

    def __init__(self, text: str, sentences: list[tuple[int, int]], by_sentence: list[list], focal: str | None):
        self.text = text
        self.sentences = sentences
        self.by_sentence = by_sentence
        self.focal = focal
        self._subjects: dict[int, object] = {}

    def _subject(self, si: int):
        if si not in self._subjects:
            self._subjects[si] = subject_mention(self.text, self.sentences[si][0], self.by_sentence[si])
        return self._subjects[si]

    def resolve(self, si: int, pos: int) -> tuple[str, str] | None:
        """(company, basis) for a referring phrase at pos in sentence si; basis is 'same_sentence',
        'previous_subject' or 'focal'."""
        earlier = [m for m in self.by_sentence[si] if m.end <= pos]
        if earlier:
            subject = self._subject(si)
            chosen = subject if subject is not None and subject.end <= pos else earlier[-1]
            return chosen.company, "same_sentence"
        for back in range(si - 1, max(-1, si - 1 - LOOK_BACK), -1):
            subject = self._subject(back)
            if subject is not None:
                return subject.company, "previous_subject"
        if self.focal:
            return self.focal, "focal"
        return None
