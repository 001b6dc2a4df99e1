"""Trigger lexicons: the German and English cues that signal each event type, and modality cues.

Each ``Cue`` is a regex with a strength (how surely it means the event) and a scope: ``clause``
cues (weak words like "Umsatz", "legt zu") only count for a company named in the same clause;
``sentence`` cues (strong nouns like "Wandelanleihe", "Entity List") may govern the sentence's
subject. ``requires`` is a second pattern that must occur in the same clause ("Vertrag" needs
"unterzeichnet"), ``unless_before`` a context that turns the cue into background ("aufgrund von
US-Sanktionen" explains, it does not report). Patterns are matched case-insensitively unless
``case`` is set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Cue:
    event_type: str
    pattern: re.Pattern
    strength: float
    scope: str = "sentence"            # 'sentence' | 'clause'
    requires: re.Pattern | None = None
    unless_before: re.Pattern | None = None
    name: str = ""
    # Lower-case substrings one of which every match contains: a cheap test that spares the regex
    # most sentences (extraction must keep up with hundreds of articles a second).
    stems: tuple[str, ...] = ()


def _re(p: str, case: bool = False) -> re.Pattern:
    return re.compile(p, 0 if case else re.IGNORECASE)


_REPORTING_VERB = _re(r"\b(?:gemeldet|meldete\w*|meldet|vorgelegt|legte\b.{0,60}\bvor|verzeichnete\w*|erzielte\w*|"
                      r"steigerte\w*|gesteigert|teilte\b.{0,80}\bmit|mitgeteilt|reported|posted|reports|announced)\b")
_SIGNED = _re(r"\b(?:unterzeichnet\w*|unterschrieben|unterschrieb|abgeschlossen|schloss\b.{0,60}\bab|erhalten|erhielt|"
              r"gewonnen|gewann|erteilt|vergeben|signed|won|awarded|secured|inked)\b")
_PRODUCT_OBJECT = _re(r"Modell|Chip|Plan\b|Pläne|Roadmap|Dreijahresplan|Produkt|Prozessor|Smartphone|Fahrzeug|"
                      r"Version|Update|Software|Plattform|Cloud-Dienst|GPU|Grafikkarte|Server|Cluster|Qwen|"
                      r"Betriebssystem|model|chip|product|roadmap|platform|device|phone|vehicle")
_CONTEXT_ONLY = _re(r"\b(?:aufgrund|wegen|inmitten|trotz|angesichts|amid|despite|due\s+to|because\s+of)\b[^.;,]{0,30}$")
_REGULATOR = (r"(?:Regulierungsbehörde\w*|Regulierer\w*|Aufsicht\w*|Cyberspace-Administration|"
              r"Kartell\w*|Wettbewerbshüter|Ministerium|\w*kommission|\w*behörde\w*|Regierung|Gericht\w*|"
              r"SAMR|CAC|MIIT|NDRC|SEC|FTC|Peking|Beijing|Washington|"
              r"regulators?|authorities|watchdog|antitrust)")
_REG_ACTION = (r"(?:ordnete\w*|ordnet|forderte\w*|fordert|verbot\w*|verbietet|untersagt\w*|untersagte|riet\w*|rät|"
               r"verhängt\w*|verhängte|bestraft\w*|ermittelt|leitete\b.{0,40}\bein|einzustellen|stoppt\w*|"
               r"ordered|banned|bans|told|urged|fined|probed?|halted)")

CUES: tuple[Cue, ...] = (
    # --- listings ---------------------------------------------------------------------------
    Cue("ipo_approval", _re(r"(?:IPO|Börsengang|Börsenantrag|IPO-Antrag\w*|Notierung\w*|listing)\b.{0,80}?\b"
                            r"(?:bewilligt|genehmigt|gebilligt|zugelassen|approved|cleared)|Börsenzulassung\w*|"
                            r"IPO[- ]approval|(?:approved|cleared)\b.{0,40}\b(?:IPO|listing)"), 0.9, name="ipo_approval",
        stems=("bewilligt", "genehmigt", "gebilligt", "zugelassen", "approved", "cleared", "zulassung", "approval")),
    Cue("ipo_filing", _re(r"IPO-Antrag\w*|Börsenantrag\w*|Börsenprospekt\w*|Börsengang\s+beantragt|"
                          r"(?:Zulassung|Notierung)\s+(?:\w+\s+){0,3}beantragt|"
                          r"(?:filed|files|filing)\s+(?:for\s+)?(?:an?\s+)?(?:IPO|initial public offering|listing)|"
                          r"IPO\s+(?:filing|application|prospectus)"), 0.9, name="ipo_filing",
        stems=("ipo-antrag", "börsenantrag", "prospekt", "beantragt", "filed", "files", "filing", "ipo ")),
    Cue("listing", _re(r"\bBörsengang\w*|\bBörsengänge\w*|\bIPOs?\b|an die Börse|Börsendebüt\w*|Handelsstart|"
                       r"erste[nr]? Handelstag\w*|Börsennotierung\w*|\bnotiert\b|\bgelistet\b|Roadshow|"
                       r"went public|go(?:es|ing)? public|initial public offering|began trading|debut\w*"), 0.55,
        name="listing",
        stems=("börse", "ipo", "notiert", "gelistet", "roadshow", "went public", "go public", "goes public",
               "going public", "handelstag", "handelsstart", "debut", "began trading")),
    # --- money ------------------------------------------------------------------------------
    # capital_raise in three cues so that each runs only where its own words occur.
    Cue("capital_raise", _re(r"Wandelanleihe\w*|Kapitalerhöhung\w*|Platzierung\w*|\bplatziert\w*|Aktienverkauf\w*|"
                             r"Anleihe\w*\s+(?:begeben|ausgegeben)|Finanzierungsrunde\w*|convertible\s+(?:bonds?|notes?)|"
                             r"share\s+(?:sale|placement)|capital\s+raise|rights\s+issue"), 0.85, name="capital_raise",
        stems=("wandelanleihe", "kapitalerhöhung", "platzier", "aktienverkauf", "begeben", "ausgegeben",
               "finanzierungsrunde", "convertible", "share sale", "share placement", "capital raise", "rights issue")),
    Cue("capital_raise", _re(r"Kapital\b[^.;]{0,40}?\b(?:zu\s+)?(?:beschaffen|aufnehmen|einsammeln|aufzubringen)|"
                             r"\baufzubringen\b|\baufbrachte\b|\baufgebracht\b|\beingesammelt\b|\beinsammeln\b"),
        0.85, name="capital_raise_verb",
        stems=("beschaffen", "aufnehmen", "einsammeln", "aufzubringen", "aufbrachte", "aufgebracht", "eingesammelt")),
    Cue("capital_raise", _re(r"\braised?\b\s+\$|\braises\b"), 0.8, name="capital_raise_en", stems=("raise",)),
    Cue("earnings", _re(r"Rekordgewinn\w*|Rekordumsatz\w*|Rekordergebnis\w*|Quartalszahlen|Geschäftszahlen|"
                        r"Quartalsergebnis\w*|Halbjahresergebnis\w*|Jahresergebnis\w*|Nettogewinn\w*|Reingewinn\w*|"
                        r"quarterly\s+results|earnings|net\s+(?:profit|income)|record\s+profits?"), 0.85, name="earnings_strong",
        stems=("rekord", "quartalszahlen", "geschäftszahlen", "ergebnis", "nettogewinn", "reingewinn",
               "results", "earnings", "net profit", "net income", "record profit")),
    Cue("earnings", _re(r"Umsatz\w*|Umsätze\w*|KI-Umsätze\w*|Gewinn\w*|Wachstum|Erlös\w*|\bEbita?d?a?\b|revenue|profit|sales"),
        0.6, scope="clause", requires=_REPORTING_VERB, name="earnings_weak",
        # stems of the required reporting verb: rarer than the nouns
        stems=("gemeldet", "meldet", "vorgelegt", "legte", "verzeichnete", "erzielte", "steigerte", "gesteigert", "teilte",
               "mitgeteilt", "reported", "posted", "reports", "announced")),
    Cue("guidance", _re(r"Ausblick\w*|Prognose\w*|prognostiziert\w*|Umsatzziel\w*|Jahresziel\w*|"
                        r"\berwartet\b[^.;]{0,60}?\b(?:Umsatz|Gewinn|Erlös)\w*|"
                        r"\bguidance\b|\boutlook\b|\bforecasts?\b|\bexpects?\b[^.;]{0,60}?\b(?:revenue|sales|profit|earnings)"),
        0.8, name="guidance",
        stems=("ausblick", "prognose", "prognostiziert", "umsatzziel", "jahresziel", "erwartet", "expect",
               "guidance", "outlook", "forecast")),
    Cue("investment", _re(r"\binvestier\w*|\bInvestition\w*|\binvests?\b|\binvested\b|\binvestment\s+in\b|"
                          r"\bbeteiligt\s+sich\b|stake\s+in"), 0.6, name="investment",
        stems=("investier", "investition", "invests", "invested", "investment in", "beteiligt", "stake in")),
    # --- products and deals -------------------------------------------------------------------
    Cue("product_launch", _re(r"\bvorgestellt\b|\bstellte\b[^.;]{0,120}?\bvor\b|\bpräsentiert\w*|\bMarkteinführung\w*|"
                              r"\beingeführt\b|\bführte\b[^.;]{0,60}?\bein\b|\baktualisiert\b|\blanciert\b|"
                              r"\bunveil\w*|\blaunch(?:ed|es)?\b|\brolled\s+out\b"), 0.8, name="product_strong",
        stems=("vorgestellt", "stellte", "präsentiert", "markteinführung", "eingeführt", "führte",
               "aktualisiert", "lanciert", "unveil", "launch", "rolled out")),
    Cue("product_launch", _re(r"\bangekündigt\b|\bkündigte\b[^.;]{0,80}?\ban\b|\bgab\b[^.;]{0,120}?\bbekannt\b|"
                              r"\bveröffentlicht\w*|\beinzuführen\b|\beinführen\b|\bvorstellen\b|\bpräsentieren\b|"
                              r"auf\s+den\s+Markt\s+bringen|\breleas(?:ed|es|e)?\b|\bintroduc\w*|\bannounc\w*"),
        0.65, scope="clause", requires=_PRODUCT_OBJECT, name="product_weak",
        stems=("angekündigt", "kündigte", " gab ", "veröffentlicht", "einzuführen", "einführen", "vorstellen", "präsentieren",
               "auf den markt", "releas", "introduc", "announc")),
    Cue("contract", _re(r"Vertrag\w*|Verträge\w*|Auftrag\w*|Aufträge\w*|Liefervereinbarung\w*|Abkommen|\bDeal\b|"
                        r"\bcontract\b|\border\b|supply\s+(?:deal|agreement)"), 0.85, requires=_SIGNED, name="contract",
        stems=("vertrag", "verträge", "auftrag", "aufträge", "liefervereinbarung", "abkommen", " deal",
               "contract", " order", "supply")),
    # --- the state ----------------------------------------------------------------------------
    Cue("regulatory_action", _re(rf"{_REGULATOR}\b[^.;]{{0,160}}?\b{_REG_ACTION}\b|\b{_REG_ACTION}\b[^.;]{{0,40}}?{_REGULATOR}"),
        0.8, name="regulatory_action",
        stems=("ordnet", "fordert", "verbot", "verbiet", "untersagt", "riet", "rät", "verhängt", "bestraft",
               "ermittelt", "leitete", "einzustellen", "stoppt", "ordered", "banned", "bans", "told", "urged",
               "fined", "probe", "halted")),
    Cue("export_control", _re(r"Exportkontroll\w*|Exportbeschränkung\w*|Exportverbot\w*|Ausfuhrkontroll\w*|"
                              r"Ausfuhrbeschränkung\w*|Exportlizenz\w*|Entity[ -]List|schwarze\s+Liste|Sanktion\w*|"
                              r"\bsanktioniert\w*|export\s+controls?|export\s+restrictions?|export\s+licen[cs]es?|"
                              r"blacklist\w*"), 0.85, unless_before=_CONTEXT_ONLY, name="export_control",
        stems=("export", "ausfuhr", "entity", "schwarze liste", "sanktion", "blacklist")),
    # --- the market ---------------------------------------------------------------------------
    Cue("stock_move", _re(r"\bAktie\w*\b[^.;]{0,80}?\b(?:stieg\w*|steigt|legte\w*\b[^.;]{0,40}?\bzu|fiel\w*|fällt|"
                          r"sank\w*|brach\b[^.;]{0,20}?\bein|schoss\w*|schießt|sprang|kletterte\w*|verdoppelt\w*|"
                          r"halbiert\w*|im\s+Höhenflug)\b|Höhenflug\s+der\s+\S+-Aktie"), 0.75, name="stock_move",
        stems=("stieg", "steigt", "legte", "fiel", "fällt", "sank", "brach", "schoss", "schießt", "sprang", "kletterte",
               "verdoppelt", "halbiert", "höhenflug")),
    Cue("stock_move", _re(r"Kursanstieg\w*|Kurssprung\w*|Kurssturz\w*|Kursrutsch\w*|Kursgewinn\w*|Kurseinbruch\w*|"
                          r"Kursverlust\w*"), 0.75, name="stock_move_noun", stems=("kurs",)),
    Cue("stock_move", _re(r"\b(?:shares?|stock)\b[^.;]{0,40}?\b(?:rose|jumped|fell|dropped|surged|soared|slumped|"
                          r"gained|tumbled|rallied)\b"), 0.75, name="stock_move_en",
        stems=("rose", "jumped", "fell", "dropped", "surged", "soared", "slumped", "gained", "tumbled", "rallied")),
    Cue("stock_move", _re(r"\blegt\w*\b[^.;,]{0,30}?\bzu\b"), 0.55, scope="clause",
        unless_before=None, name="stock_move_weak", stems=("legt",)),
    # --- people and history -------------------------------------------------------------------
    Cue("other", _re(r"\bgegründet\w*|\bGründung\b|\bfounded\b"), 0.7, name="founding",
        stems=("gegründet", "gründung", "founded")),
)

# Speech by the company's own executive; the title must be attached to the company mention.
SPEECH_STEMS = ("sagt", "betont", "erklärte", "lobte", "kommentierte", "said", "told", "stressed", "noted")
SPEECH = _re(r"\b(?:sagte|betonte|erklärte|lobte|kommentierte|sagt|betont|said|told|stressed|noted)\b", case=True)
EXECUTIVE = _re(r"\b(?:CEO|CFO|COO|CTO|Chef\w*|Vorstandschef\w*|Vorstandsvorsitzende\w*|Konzernchef\w*|Firmenchef\w*|"
                r"Gründer\w*|Mitgründer\w*|Chairman|Vorsitzende\w*|Sprecher\w*|spokes\w*|founder|"
                r"chief\s+executive|chief\s+financial\s+officer)\b")
EXEC_OF = r"(?:von|bei|des|der|of|at)"

# Product names that point to their maker when the sentence names no company (the CAC ordered a
# stop of RTX Pro 6000D tests — an Nvidia card, though the sentence never says Nvidia).
PRODUCTS: tuple[tuple[re.Pattern, str], ...] = (
    (_re(r"\b(?:RTX|GeForce|CUDA|Blackwell|H[12]0{2}|H800|A100|B200|H20|H2O)(?=[\s-])", case=True), "nvidia"),
    (_re(r"\bQwen[\w.-]*|\bTongyi\b", case=True), "alibaba"),
    (_re(r"\b(?:Ernie|Kunlun)(?=[\s-])", case=True), "baidu"),
    (_re(r"\b(?:Ascend|Kirin|HarmonyOS|Pangu)(?=[\s-])", case=True), "huawei"),
    (_re(r"\bHunyuan\b", case=True), "tencent"),
    (_re(r"\bDoubao\b", case=True), "bytedance"),
)

ANAPHORA_STEMS = ("unternehm", "konzern", "riese", "marktführer", "firma", "company", "firm", "group")
PRODUCT_STEMS = ("RTX", "GeForce", "CUDA", "Blackwell", "H1", "H2", "H8", "A100", "B200", "Qwen", "Tongyi", "Ernie",
                 "Kunlun", "Ascend", "Kirin", "Harmony", "Pangu", "Hunyuan", "Doubao")

# Noun phrases that refer back to the company in focus.
ANAPHORA = _re(r"\b(?:(?:das|des|dem)\b(?:\s+[\w\"-]+){0,8}?\s+(?:Unternehmens?|Konzerns?|Konzern)|"
               r"(?:der|des|dem)\s+(?:[\w-]+\s+)?[\w-]*(?:[Kk]onzerns?|[Rr]iesen?|Marktführers?)|"
               r"(?:die|der)\s+Firma|the\s+(?:company|firm|group))\b")
STOCK_ANAPHOR = _re(r"(?:Die|Ihre|Seine|The)\s+(?:Aktie|Aktien|shares|stock)\b")

# A mention right after these words is compared with, not acted upon ("noch vor SenseTime").
COMPARISON_BEFORE = _re(r"\b(?:wie|als|than|like|vor|hinter|gegenüber|versus|vs\.?|zu|mit|auf)\s*$")

# Modality, checked in the trigger's clause.
NEGATION = _re(r"\b(?:nicht(?!\s+nur)|kein\w*|nie|niemals|not|no|never|denied|dementiert\w*|verwehrt\w*|"
               r"abgesagt|gescheitert|scheiterte\w*|cancel+ed|scrapped)\b")
RUMOUR = _re(r"\b(?:Gerücht\w*|Medienberichten\s+zufolge|Insidern\s+zufolge|Kreisen\s+zufolge|angeblich|"
             r"könnte\w*|dürfte\w*|möglicherweise|womöglich|erwäg\w*|prüft|could|might|reportedly|rumou?r\w*|"
             r"people\s+familiar|sources\s+said|falls\s+er\s+zutreffe)\b")
PLAN = _re(r"\b(?:plant\w*|planen|geplant\w*|will|wollen|werde|soll|sollen|beabsichtig\w*|bereitet\w*\s+sich|"
           r"bereiten\s+sich|bereite\s+sich|vorbereit\w*|strebt\w*|intends?|plans?|planning|aims?\s+to|expects?\s+to|"
           r"to\s+be\s+launched)\b")

# Parentheses do not break clauses: "(1,86 Milliarden Singapur-Dollar)" sits inside one.
CLAUSE_BREAK = re.compile(r",(?!\d)|[;:]|\s-\s|\bund\s+(?=(?:das|die|der|dessen|deren)\s)|"
                          r"\b(?:während|aber|doch|nachdem|weil|obwohl|sondern|whereas|while|after|because|although|but)\b")
