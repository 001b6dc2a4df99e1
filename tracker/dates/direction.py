"""Which way an underspecified date points: tense cues in its sentence, then the news prior.

"Am 18. September gab Huawei ... bekannt" (past) and "wird am 3. Oktober ..." (future) name no
year; HeidelTime's answer, which we follow, is to take the closest date in the direction the
tense points. Cues are looked up word by word in small sets (a dict lookup per word is far
cheaper than one regex with hundreds of alternatives) and only for sentences that need them.
"""

from __future__ import annotations

import re
from datetime import date

from tracker.dates.model import Period

PAST, FUTURE = "past", "future"

_DE_FUTURE = frozenset("""
wird werden werde wirst werdet soll sollen solle sollte sollten plant planen plane planten geplant
will wollen wolle beabsichtigt beabsichtigen voraussichtlich künftig demnächst dürfte dürften
bevorstehenden bevorstehende anstehenden anstehende
""".split())

# Präteritum of the verbs news uses most, Perfekt/passive auxiliaries. German weak verbs end in
# -te, but so do "erste", "Mitte", "Rate": an open pattern would invent past cues.
_DE_PAST = frozenset("""
hat haben hatte hatten habe war waren wurde wurden worden gewesen zuvor damals
sagte sagten erklärte erklärten betonte betonten meldete meldeten berichtete berichteten teilte
teilten gab gaben kündigte kündigten stellte stellten legte legten stieg stiegen fiel fielen sank
sanken schloss schlossen kletterte kletterten verlor gewann gewannen erreichte erreichten
verzeichnete verzeichneten erzielte erzielten übernahm übernahmen kaufte kauften verkaufte
verkauften zahlte zahlten erhielt erhielten bekam bekamen begann begannen endete endeten folgte
folgten führte führten brachte brachten zeigte zeigten nannte nannten hieß präsentierte
präsentierten veröffentlichte veröffentlichten warnte warnten forderte forderten ordnete ordneten
genehmigte genehmigten bewilligte bewilligten verhängte verhängten setzte setzten beantragte
beantragten reichte reichten unterzeichnete unterzeichneten vereinbarte vereinbarten einigte
einigten startete starteten lancierte lancierten eröffnete eröffneten kam kamen ging gingen stand
standen lag lagen trat traten schrieb schrieben sprach sprachen traf trafen beschloss nahm nahmen
hob hoben senkte senkten erhöhte erhöhten investierte investierten gründete gründeten stoppte
stoppten verbot verboten untersagte untersagten bestätigte bestätigten dementierte rief riefen riet
rieten bot boten gelang scheiterte scheiterten notierte notierten schoss brach brachen rutschte
rutschten sackte verdoppelte verdoppelten verdreifachte wuchs wuchsen machte machten sah sahen
ließ ließen gab erlebte erlebten markierte verkündete verkündeten enthüllte enthüllten
""".split())

_EN_FUTURE = frozenset("""
will shall upcoming scheduled slated planned plans plan intends intend aims expects
""".split())
_EN_FUTURE_BEFORE_TO = frozenset({"expected", "set", "scheduled", "slated", "poised", "going", "likely"})
_EN_PAST = frozenset("""
was were had did said rose fell sank made took gave sold bought won lost began saw told met led
paid hit cut got came went grew left held brought became spent struck wrote ago previously
""".split())
_EN_NOT_PAST = frozenset({"expected", "scheduled", "planned", "slated", "based", "proceed", "exceed", "hundred",
                          "speed", "indeed", "embed", "biased", "listed", "limited", "united", "related"})

_WORD = re.compile(r"[\w']+")

# A sentence ends at a line break or at . ! ? before a capital, unless the period closes an
# ordinal ("18. September") or a common abbreviation.
_END = re.compile(r"\n|[.!?][\"'“”»«)]*\s+(?=[A-ZÄÖÜ„\"“«(])")
_ORDINAL = re.compile(r"(?<!\d)\d{1,2}$")
_ABBREV = frozenset("""
z b bzw ca nr mio mrd str dr prof usw etc inc corp co ltd st mr mrs ms vs sog ggf evtl inkl abs
art u a d h v jan feb febr mär apr jun jul aug sep sept okt oct nov dez dec no
""".split())


def _is_boundary(text: str, m: re.Match) -> bool:
    if m.group().startswith("\n"):
        return True
    before = text[max(0, m.start() - 12):m.start()]
    if _ORDINAL.search(before):
        return False
    word = re.search(r"(\w+)$", before)
    return not (word and (len(word.group(1)) == 1 or word.group(1).lower() in _ABBREV))


def sentence_around(text: str, start: int, end: int, reach: int = 600) -> tuple[int, int]:
    """(first, last) offsets of the sentence holding [start, end), looking at most reach chars
    either way (a news sentence is shorter; a run-on list item is cut there)."""
    s_start = max(0, start - reach)
    for m in _END.finditer(text, s_start, start):
        if _is_boundary(text, m):
            s_start = m.end()
    s_end = min(len(text), end + reach)
    for m in _END.finditer(text, end, s_end):
        if _is_boundary(text, m):
            s_end = m.start() + 1
            break
    return s_start, s_end


class TenseContext:
    """Finds the tense cue nearest to a span within its sentence."""

    def __init__(self, text: str, lang: str) -> None:
        self.text = text
        self.lang = lang

    def direction(self, start: int, end: int) -> str | None:
        s_start, s_end = sentence_around(self.text, start, end)
        best: tuple[int, str] | None = None
        for m in _WORD.finditer(self.text, s_start, s_end):
            if start <= m.start() < end:
                continue  # "nächsten" inside the expression is the expression's own business
            cue = self._cue(m.group())
            if cue is None and self.lang == "en" and m.group().lower() in _EN_FUTURE_BEFORE_TO \
                    and self.text.startswith(" to ", m.end()):
                cue = FUTURE  # "is expected to", "is set to", "is scheduled to"
            if cue is None:
                continue
            distance = start - m.end() if m.end() <= start else m.start() - end
            if best is None or distance < best[0]:
                best = (distance, cue)
        return best[1] if best else None

    def _cue(self, word: str) -> str | None:
        w = word.lower()
        if self.lang == "en":
            if w in _EN_FUTURE or w.endswith("'ll"):
                return FUTURE
            if w in _EN_PAST or (len(w) > 4 and w.endswith("ed") and w not in _EN_NOT_PAST):
                return PAST
            return None
        if w in _DE_FUTURE:
            return FUTURE
        if w in _DE_PAST:
            return PAST
        return None


# Without a tense cue the future reading wins only if it is this many times nearer than the past
# one. float("inf") gives the strict news prior "never after dct"; 2 keeps "am 3. Oktober beginnt
# die Messe" (present tense, future meaning, published 20 September) on 2025-10-03, not 2024.
NEUTRAL_FUTURE_PENALTY = 2.0


def choose(candidates: list[Period], dct: date, direction: str | None, strict: bool = False) -> Period:
    """Pick the candidate period the direction points to (candidates sorted by time).

    past: the latest period that has begun by dct (strict: that has ended before dct);
    future: the earliest period not yet over at dct (strict: that starts after dct).
    No cue: the period containing dct, else the nearer of the last past and the next future
    one, where the past wins unless the future one is NEUTRAL_FUTURE_PENALTY times nearer. The bias is
    the news prior (news mostly reports what happened); not plain "not after dct" because a
    wrongly early date silently shifts an event study by a year, while a wrongly late one is
    caught downstream (a date after publication is never used as the study date).
    """
    if direction == PAST:
        fits = [p for p in candidates if (p.last < dct if strict else p.first <= dct)]
        return fits[-1] if fits else candidates[0]
    if direction == FUTURE:
        fits = [p for p in candidates if (p.first > dct if strict else p.last >= dct)]
        return fits[0] if fits else candidates[-1]
    for p in candidates:
        if p.first <= dct <= p.last:
            return p
    past = [p for p in candidates if p.last < dct]
    future = [p for p in candidates if p.first > dct]
    if not future:
        return past[-1]
    if not past:
        return future[0]
    back = (dct - past[-1].last).days
    ahead = (future[0].first - dct).days
    return future[0] if NEUTRAL_FUTURE_PENALTY * ahead < back else past[-1]
