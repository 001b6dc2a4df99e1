"""Event candidates in one sentence: which cue fired, which company it governs, modality, date.

The rules are deliberately simple and explainable (research note §5 item 5):

* a cue governs a company named inside the cue's own span (the object of "ordnete ... an"), else
  the nearest company in the cue's clause (before the cue first: German and English put the
  subject first), else — for strong cues only — the nearest company earlier in the sentence or
  the first one in the next clause ("Nachdem die USA die Exportkontrollen verschärft hatten,
  stellte Nvidia ...");
* "das Unternehmen", "des Konzerns" and a sentence-initial "Die Aktie" refer back to the company
  in focus (earlier in the sentence, else the subject of one of the three previous sentences);
* a product name (RTX, Qwen, Kunlun) stands for its maker when no company is named;
* companies after comparison words ("noch vor SenseTime", "genau wie SenseTime") are not actors;
* a list of companies ("Yitu, Megvii und Cloudwalk") shares the cue;
* a relative clause is about its antecedent: "Zhipu, in das unter anderem Qualcomm investiert hat"
  says who owns Zhipu, it is no event of Qualcomm's; names inside such a clause act for no cue
  outside it, and a cue inside it counts only for the antecedent when the relative pronoun is the
  clause's subject ("Xiaomi, das am Dienstag Zahlen vorlegte", "Baidu, which reported results");
* a contract or partnership is an event of every named party ("einen Liefervertrag mit BYD");
* modality comes from the cue's clause: negated > rumoured > considered > planned > reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

from tracker.events import triggers as T
from tracker.regex_prefilter import prefiltered


@dataclass(frozen=True)
class Candidate:
    company: str
    start: int          # offsets into the article text
    end: int
    how: str            # 'mention' | 'anaphor' | 'product'
    basis: str = "name"  # how an anaphor was resolved: 'same_sentence' | 'previous_subject' | 'focal'


@dataclass(frozen=True)
class Found:
    company: str
    event_type: str
    cue: str            # the cue's name
    trigger_start: int
    trigger_end: int
    trigger_text: str
    strength: float
    how: str            # how the company was found: 'span' | 'clause' | 'sentence' | plus ':anaphor'/':product'
    status: str
    clause: tuple[int, int]
    company_clause: tuple[int, int]
    mention: str = ""        # the words that name or refer to the company ("Cambricon", "das Unternehmen")
    resolved_by: str = "name"  # 'name' | 'product' | 'same_sentence' | 'previous_subject' | 'focal' | 'relative'


_INFINITIVE = re.compile(r"\b(?:zu\s+\w+en|\w+zu\w+en)\b")


def clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause spans of the sentence text[start:end] (commas inside numbers do not split)."""
    cuts = [start]
    skip_until = -1
    for m in T.CLAUSE_PUNCT.finditer(text, start, end):
        if m.start() <= skip_until:
            continue
        if m.group(0) == ",":
            if m.end() < end and text[m.end()].isdigit():
                continue
            if T.WEEKDAY_BEFORE_COMMA.search(text, max(start, m.start() - 12), m.start()):
                date = T.DATE_APPOSITION.match(text, m.end(), end)
                if date:
                    # the apposition's closing comma (if any) is part of the time expression too
                    rest = text[date.end():end]
                    skip_until = date.end() + len(rest) - len(rest.lstrip())
                    continue
        cuts.append(m.start())
    if _any_in(_CLAUSE_WORD_PIECES, text[start:end]):
        cuts += [m.start() for m in T.CLAUSE_WORD.finditer(text, start, end)]
        cuts.sort()
    cuts.append(end)
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def _clause_of(spans: list[tuple[int, int]], pos: int) -> int:
    for i, (a, b) in enumerate(spans):
        if a <= pos < b:
            return i
    return len(spans) - 1


def _automaton(words) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for w in words:
        automaton.add_word(w, w)
    automaton.make_automaton()
    return automaton


# Lower-case pieces one of which every match of T.MODALITY contains (short words with the spaces
# around them): most clauses contain none, and a substring scan is far cheaper than the regex.
_MODAL_PIECES = _automaton(T.MODALITY_STEMS)
_SOURCE_PIECES = _automaton(T.RUMOUR_SOURCE_STEMS)


_ANAPHORA_PIECES = _automaton(T.ANAPHORA_STEMS)
_PRODUCT_PIECES = _automaton(T.PRODUCT_STEMS)
_SPEECH_PIECES = _automaton(T.SPEECH_STEMS)
_CLAUSE_WORD_PIECES = _automaton(T.CLAUSE_WORDS)


def _any_in(automaton: ahocorasick.Automaton, text: str) -> bool:
    for _ in automaton.iter(text):
        return True
    return False


def _may_contain(automaton: ahocorasick.Automaton, text: str) -> bool:
    low = f" {text.lower()} "
    for _ in automaton.iter(low):
        return True
    return False


def modality(text: str) -> str:
    """negated > rumoured > considered > planned > reported, from one scan of the clause."""
    if not _may_contain(_MODAL_PIECES, text):
        return "reported"
    seen = set()
    for m in T.MODALITY.finditer(text):
        if m.lastgroup == "negated":
            return "negated"
        seen.add(m.lastgroup)
    for status in ("rumoured", "considered", "planned"):
        if status in seen:
            return status
    return "reported"


def may_refer_to_company(sentence: str) -> bool:
    """Cheap test for a sentence without a company mention: could an anaphor or product stand in?"""
    low = sentence.lower()
    return (_any_in(_ANAPHORA_PIECES, low) or _any_in(_PRODUCT_PIECES, sentence)
            or bool(T.STOCK_ANAPHOR.match(sentence)))


def candidates_in(text: str, start: int, end: int, mentions: list, resolve_anaphor) -> list[Candidate]:
    """Companies a cue in text[start:end] could be about, in order of position."""
    found: list[Candidate] = []
    for m in mentions:
        if _ROLE_COMPOUND.match(text, m.end):
            continue   # "der Apple-Zulieferer" is someone else, named by whom it supplies
        before = text[max(start, m.start - 20):m.start]
        if T.COMPARISON_BEFORE.search(before) and not _reported_by(text, before, m.end, end):
            # not an actor, but still the other party of a deal: "einen Liefervertrag mit BYD"
            found.append(Candidate(m.company, m.start, m.end, "compared"))
            continue
        found.append(Candidate(m.company, m.start, m.end, "mention"))
    taken = [(c.start, c.end) for c in found]
    sentence = text[start:end]
    if _any_in(_PRODUCT_PIECES, sentence):
        for pattern, company in T.PRODUCTS:
            for m in pattern.finditer(text, start, end):
                if not any(a <= m.start() < b for a, b in taken):
                    found.append(Candidate(company, m.start(), m.end(), "product"))
    low = sentence.lower()
    anaphors = T.ANAPHORA.finditer(text, start, end) if _any_in(_ANAPHORA_PIECES, low) else ()
    for m in anaphors:
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue  # "des Unternehmens Alibaba" is a mention, not an anaphor
        resolved = resolve_anaphor(m.start())
        if resolved:
            found.append(Candidate(resolved[0], m.start(), m.end(), "anaphor", resolved[1]))
            taken.append((m.start(), m.end()))
    stock = T.STOCK_ANAPHOR.match(text, start)
    if stock and not mentions and not any(a < stock.end() and stock.start() < b for a, b in taken):
        resolved = resolve_anaphor(stock.start())
        if resolved:
            found.append(Candidate(resolved[0], stock.start(), stock.end(), "anaphor", resolved[1]))
    return sorted(found, key=lambda c: c.start)


# A relative clause opens after a comma with a relative pronoun, optionally after a preposition
# ("in das", "an dem", "in which"); German puts its finite verb last, which tells "…, die Aktie
# stieg" (a main clause) from "…, die den Chip entwickelt hat" (a relative one).
_RELATIVE_OPEN = re.compile(
    r",\s*(?P<prep>(?:in|an|bei|mit|von|für|über|auf|aus|zu|unter|hinter|neben|of|in|with|for|from|at|by)\s+)?"
    r"(?P<pron>das|die|der|dem|den|deren|dessen|denen|welche[mnrs]?|which|who|whom|whose)\s")
_VERB_LAST = re.compile(r"(?:\b(?:hat|haben|ist|sind|war|waren|wurde|wurden|worden|wird|werden|soll|sollen|kann|"
                        r"können|will|wollen)|\w+(?:te|ten|et|t|en))\W*$")
# The antecedent acts in the clause, or owns what acts ("dessen Aktie sich verdoppelte", "whose shares").
_SUBJECT_PRONOUNS = frozenset({"das", "die", "der", "welche", "welcher", "welches", "which", "who", "dessen", "deren",
                               "whose"})


def relative_clauses(text: str, start: int, end: int, cands: list[Candidate]) -> list[tuple[int, int, bool]]:
    """(start, end, the pronoun is the clause's subject) of each relative clause in text[start:end]
    that describes a company named right before it (other relative clauses are read as usual)."""
    out = []
    for m in _RELATIVE_OPEN.finditer(text, start, end):
        if _antecedent(cands, m.start(), text) is None:
            continue
        close = text.find(",", m.end(), end)
        stop = close if close != -1 else end
        pron = m["pron"].lower()
        english = pron in ("which", "who", "whom", "whose")
        if not english and not m["prep"] and not _VERB_LAST.search(text, m.end(), stop):
            continue
        out.append((m.start(), stop, not m["prep"] and pron in _SUBJECT_PRONOUNS))
    return out


_WIE = re.compile(r"\b[Ww]ie\s*$")


def _reported_by(text: str, before: str, pos: int, end: int) -> bool:
    """ "Wie Xiaomi am Mittwoch mitteilte": the company is the source of the news, not a comparison."""
    if not _WIE.search(before):
        return False
    comma = text.find(",", pos, end)
    return T.REPORTING_CLAUSE.search(text, pos, comma if comma != -1 else end) is not None


_JOINER = re.compile(r"^\s*(?:,\s*(?:und|and|sowie|oder|or)?|und|and|sowie|oder|or|&)\s*$")


def _coordinated(text: str, chosen: Candidate, cands: list[Candidate]) -> list[Candidate]:
    """The chosen company plus those listed with it ("Yitu, Megvii und Cloudwalk")."""
    group = [chosen]
    ordered = [c for c in cands if c.how == "mention"]
    if chosen not in ordered:
        return group
    i = ordered.index(chosen)
    joiner = _JOINER
    j = i
    while j > 0 and joiner.match(text[ordered[j - 1].end:ordered[j].start]):
        j -= 1
        group.append(ordered[j])
    j = i
    while j + 1 < len(ordered) and joiner.match(text[ordered[j].end:ordered[j + 1].start]):
        j += 1
        group.append(ordered[j])
    return group


# A clause announcing what the infinitive clause after it will do.
_ANNOUNCES = re.compile(r"\b(?:angekündigt|kündigte\w*|bekanntgegeben|gab\w*\b[^;]{0,60}\bbekannt|beschlossen|"
                        r"announced|agreed|decided)\b", re.IGNORECASE)
# "Apple-Zulieferer", "Nvidia-Rivale": a compound whose head is another company's role.
_ROLE_COMPOUND = re.compile(r"-(?:Zulieferer|Lieferant|Rivale|Konkurrent|Partner|Kunde|Herausforderer|Wettbewerber|"
                            r"Auftragsfertiger)\w*")
# A clause that only says who reported what the clause before it states.
_REPORTED_AFTER = re.compile(r"[,;]?\s*(?:wie|teilte|teilten|sagte|sagten|erklärte|erklärten|berichtete|"
                            r"the\s+company\s+said|it\s+said|according\s+to)\b|[,;]?\s*[^,;]{0,60}\b(?:said|says)\s*[.,;]?\s*$",
                            re.IGNORECASE)
_WITH_BEFORE = re.compile(r"\b(?:mit|with)\s+(?:dem\s+|der\s+|the\s+)?$")
_PARTNER_LINK = re.compile(r"\s*(?:mit|with)\b[^,;()]{0,40}$")


def _partners_after(text: str, t1: int, clause_end: int, cands: list[Candidate]) -> list[Candidate]:
    """The other side of a partnership: "eine Partnerschaft mit dem Elektroautobauer BYD"."""
    after = [c for c in cands if c.how in ("mention", "compared") and t1 <= c.start < clause_end]
    if after and _PARTNER_LINK.fullmatch(text, t1, after[0].start):
        named = [c for c in cands if c.how in ("mention", "compared")]
        return _coordinated(text, after[0], [Candidate(c.company, c.start, c.end, "mention") for c in named])
    return []


def _antecedent(cands: list[Candidate], r0: int, text: str) -> Candidate | None:
    """The company a relative clause opening at r0 (its comma) is about: the name right before it."""
    before = [c for c in cands if c.end <= r0 and not text[c.end:r0].strip(" )\"'")]
    return before[-1] if before else None


def _govern(cue: T.Cue, t0: int, t1: int, spans, ci: int, cands: list[Candidate]) -> tuple[list[Candidate], str]:
    inside = [c for c in cands if t0 <= c.start and c.end <= t1]
    if inside:
        return [inside[-1]], "span"
    a, b = spans[ci]
    before = [c for c in cands if a <= c.start < t0]
    if before:
        return [before[-1]], "clause"
    after = [c for c in cands if t1 <= c.start < b]
    if after:
        return [after[0]], "clause"
    if cue.scope == "clause":
        return [], ""
    earlier = [c for c in cands if c.end <= t0]
    if earlier:
        return [earlier[-1]], "sentence"
    if ci + 1 < len(spans):
        na, nb = spans[ci + 1]
        nxt = [c for c in cands if na <= c.start < nb]
        if nxt:
            return [nxt[0]], "sentence"
    return [], ""


_EXEC_BEFORE = re.compile(rf"{T.EXECUTIVE.pattern}\s+{T.EXEC_OF}\s*$", re.IGNORECASE)
_EXEC_AFTER = re.compile(rf"^(?:-|'s\s+|s\s+)?{T.EXECUTIVE.pattern}", re.IGNORECASE)


def _executive_speaker(text: str, start: int, end: int, mentions: list, speech: re.Match) -> list[tuple[str, re.Match, str]]:
    """(company, speech match) when the speaker is the company's own executive ("CFO von SenseTime")."""
    out = []
    for m in mentions:
        window_before = text[max(start, m.start - 40):m.start]
        window_after = text[m.end:min(end, m.end + 25)]
        if _EXEC_BEFORE.search(window_before) or _EXEC_AFTER.match(window_after):
            out.append((m.company, speech, m.surface))
    return out


def _cues_for(sentence: str) -> list[int]:
    """Indexes of the cues whose stems occur in the sentence: one scan for all stems is far cheaper
    than running every case-insensitive cue regex, and most sentences contain no stem at all."""
    low = sentence.lower()
    if len(low) != len(sentence):   # a rare character changed length when lower-cased: run them all
        return list(range(len(T.CUES)))
    found = set(_ALWAYS)
    for _end, cues in _STEMS.iter(low):   # every occurrence of every stem, overlaps included, in one pass
        found |= cues
    return sorted(found)


def _stem_automaton() -> ahocorasick.Automaton:
    """An Aho-Corasick automaton over all cue stems, each stem carrying the cues it belongs to."""
    own: dict[str, set[int]] = {}
    for n, cue in enumerate(T.CUES):
        for stem in cue.stems:
            own.setdefault(stem, set()).add(n)
    automaton = ahocorasick.Automaton()
    for stem, ns in own.items():
        automaton.add_word(stem, frozenset(ns))
    automaton.make_automaton()
    return automaton


_STEMS = _stem_automaton()
_CUE_PATTERNS = [prefiltered(cue.pattern) for cue in T.CUES]
_ALWAYS = {n for n, cue in enumerate(T.CUES) if not cue.stems}


def _has_speech(sentence: str) -> bool:
    return _any_in(_SPEECH_PIECES, sentence)


def find_in_sentence(text: str, start: int, end: int, mentions: list, resolve_anaphor) -> list[Found]:
    """Every (company, event type) the sentence text[start:end] reports."""
    sentence = text[start:end]
    hits: list[tuple[T.Cue, re.Match]] = []
    for n in _cues_for(sentence):
        cue = T.CUES[n]
        for m in _CUE_PATTERNS[n].finditer(text, start, end):
            hits.append((cue, m))
    titled = T.TITLE_OPENING.match(text, start) if not mentions else None
    speech = T.SPEECH.search(text, start, end) if (mentions or titled) and _has_speech(sentence) else None
    if not hits and not speech:
        return []
    spans = clauses(text, start, end)
    rumour_source = _may_contain(_SOURCE_PIECES, sentence) and T.RUMOUR_SOURCE.search(sentence) is not None
    cands = candidates_in(text, start, end, mentions, resolve_anaphor)
    relatives = relative_clauses(text, start, end, cands) if "," in sentence else []
    outside = [c for c in cands if not any(r0 < c.start < r1 for r0, r1, _ in relatives)] if relatives else cands
    actors = [c for c in outside if c.how != "compared"]
    # Overlapping cues: the stronger (then longer) one wins ("IPO-Antrag ... bewilligt" is an
    # approval, not a filing; the "IPO" inside "IPO-Antrag" is not a listing).
    hits.sort(key=lambda h: (-h[0].strength, -(h[1].end() - h[1].start())))
    kept: list[tuple[T.Cue, re.Match]] = []
    for cue, m in hits:
        if any(m.start() < k.end() and k.start() < m.end() for _, k in kept):
            continue
        kept.append((cue, m))
    out: dict[tuple[str, str], Found] = {}
    for cue, m in kept:
        ci = _clause_of(spans, m.start())
        a = spans[ci][0]
        last = _clause_of(spans, max(m.start(), m.end() - 1))
        clause_text = text[a:spans[last][1]]
        reporter = None
        if cue.scope == "clause" and last + 1 < len(spans) and _REPORTED_AFTER.match(text, *spans[last + 1]):
            # "Der Umsatz kletterte um 34 Prozent, wie der Zulieferer am Mittwoch mitteilte": the
            # reporting clause names who reported and supplies the reporting verb
            reporter = spans[last + 1]
        if cue.requires is not None and not cue.requires.search(clause_text) and not (
                reporter and cue.requires.search(text, *reporter)):
            continue
        if cue.excludes is not None and cue.excludes.search(clause_text):
            continue
        if cue.unless_before is not None and cue.unless_before.search(text[max(start, m.start() - 40):m.start()]):
            continue
        inside = next(((r0, r1, subj) for r0, r1, subj in relatives if r0 < m.start() < r1), None)
        if inside is None:
            chosen, how = _govern(cue, m.start(), m.end(), spans, ci, actors)
            if not chosen and reporter is not None:
                said_by = [c for c in actors if reporter[0] <= c.start < reporter[1]]
                chosen, how = (said_by[:1], "clause") if said_by else ([], "")
        else:
            antecedent = _antecedent(actors, inside[0], text) if inside[2] else None
            chosen, how = ([antecedent], "relative") if antecedent else ([], "")
        if not chosen:
            continue
        relative = T.RELATIVE_AFTER.search(text, m.end(), spans[last][1])
        status = modality(text[a:relative.start()] if relative else clause_text)
        if status in ("reported", "planned", "considered") and rumour_source:
            status = "rumoured"
        k = ci
        while status == "reported" and k > 0 and _INFINITIVE.search(text[spans[k][0]:spans[k][1]]):
            # "plant, fast 4 Milliarden CNY aufzubringen, um ... zu investieren": the plan sits in the
            # clause that governs the chain of infinitive clauses.
            k -= 1
            before = modality(text[spans[k][0]:spans[k][1]])
            if before == "reported" and _ANNOUNCES.search(text, *spans[k]):
                before = "planned"   # "hatte angekündigt, ab 2026 in Japan Kleinwagen anzubieten"
            status = before if before in ("planned", "considered", "rumoured") else status
        parties = _coordinated(text, chosen[0], actors)
        if cue.event_type == "merger_acquisition":
            # the target is a party too: "agreed to acquire ... Zeekr", "die Übernahme von Kuka"
            target = [c for c in outside if c.how in ("mention", "compared") and m.end() <= c.start < min(spans[last][1], m.end() + 80)
                      and all(p.company != c.company for p in parties)]
            if target:
                parties.append(Candidate(target[0].company, target[0].start, target[0].end, "mention"))
        if cue.event_type in ("partnership", "contract"):
            parties += [c for c in _partners_after(text, m.end(), spans[last][1], outside) if c not in parties]
            # "BYD hat mit Xiaomi einen Liefervertrag unterzeichnet": the other side, named before the cue
            parties += [Candidate(c.company, c.start, c.end, "mention") for c in outside
                        if c.how == "compared" and a <= c.start < m.start() and _WITH_BEFORE.search(text, max(a, c.start - 12), c.start)
                        and all(p.company != c.company for p in parties)]
        for c in parties:
            key = (c.company, cue.event_type)
            label = how if c.how == "mention" else f"{how}:{c.how}"
            resolved_by = "relative" if how == "relative" else ("name" if c.how == "mention" else
                                                                 "product" if c.how == "product" else c.basis)
            f = Found(c.company, cue.event_type, cue.name, m.start(), m.end(), m.group(0), cue.strength, label, status,
                      (a, spans[last][1]), spans[_clause_of(spans, c.start)], text[c.start:c.end], resolved_by)
            if key not in out or out[key].strength < f.strength:
                out[key] = f
    speakers = [(c, s, m, "name") for c, s, m in _executive_speaker(text, start, end, mentions, speech)] \
        if speech and mentions else []
    if speech and titled:
        resolved = resolve_anaphor(start)
        if resolved:
            # "Konzernchef Pony Ma sagte, ...": the title alone refers to the company in focus
            speakers.append((resolved[0], speech, titled.group(0), resolved[1]))
    for company, speech, mention, basis in speakers:
        key = (company, "management_commentary")
        if key not in out:
            ci = _clause_of(spans, speech.start())
            out[key] = Found(company, "management_commentary", "executive_speech", speech.start(), speech.end(),
                             speech.group(0), 0.7, "span", "reported", spans[ci], spans[ci], mention, basis)
    _suppress(out)
    return list(out.values())


def _suppress(out: dict) -> None:
    """An approved IPO was filed and will list: report only the strongest listing event. A vague
    "announced"/"gab bekannt" is about the concrete event named in its clause ("announced a strategic
    partnership"), not a product launch."""
    for (company, event_type), f in list(out.items()):
        if f.cue == "product_weak" and any(
                o.strength >= 0.8 and o.clause == f.clause and t not in ("product_launch", "stock_move")
                for (c, t), o in out.items() if c == company):
            del out[(company, event_type)]
    for company in {c for c, _ in out}:
        types = {t for c, t in out if c == company}
        if "ipo_approval" in types:
            out.pop((company, "ipo_filing"), None)
            out.pop((company, "listing"), None)
        elif "ipo_filing" in types:
            out.pop((company, "listing"), None)
