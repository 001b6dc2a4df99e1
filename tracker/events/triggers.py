"""Trigger lexicons: the German and English cues that signal each event type, and modality cues.

Cues run inside one sentence (articles.sentences has split the text), so a period inside a gap is
an abbreviation or a number ("1 Mrd. Euro", "350.000 Fahrzeuge", "7.7%"): gaps exclude only ";".

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

from tracker.dates.lexicon import MONTH_DE_RE, MONTH_EN_RE, WEEKDAY_DE_RE, WEEKDAY_EN_RE


@dataclass(frozen=True)
class Cue:
    event_type: str
    pattern: re.Pattern
    strength: float
    scope: str = "sentence"            # 'sentence' | 'clause'
    requires: re.Pattern | None = None
    unless_before: re.Pattern | None = None
    excludes: re.Pattern | None = None   # the cue does not count in a clause with this ("Umsatz stieg um 5 %")
    name: str = ""
    # Lower-case substrings one of which every match contains: a cheap test that spares the regex
    # most sentences (extraction must keep up with hundreds of articles a second).
    stems: tuple[str, ...] = ()


def _re(p: str, case: bool = False) -> re.Pattern:
    return re.compile(p, 0 if case else re.IGNORECASE)


_REPORTING_VERB = _re(r"\b(?:gemeldet|meldete\w*|meldet|vorgelegt|legte\b.{0,60}\bvor|verzeichnete\w*|erzielte\w*|"
                      r"steigerte\w*|gesteigert|teilte\b.{0,80}\bmit|mitteilte|mitgeteilt|reported|reporting|posted|posting|reports|"
                      r"announced|report|publish\w*|releas\w*|vorlegen|vorzulegen|veröffentlich\w*|said|says|"
                      r"sagte|erklärte)\b")
_SIGNED = _re(r"\b(?:unterzeichnet\w*|unterschrieben|unterschrieb|abgeschlossen|schloss\b.{0,60}\bab|erhalten|erhielt|"
              r"gewonnen|gewann|erteilt|vergeben|vereinbart\w*|signed|signs?|won|awarded|secured|inked|struck|"
              r"reached|agreed)\b")
_PRODUCT_OBJECT = _re(r"Modell|Chip|Plan\b|Pläne|Roadmap|Dreijahresplan|Produkt|Prozessor|Smartphone|Fahrzeug|Auto\b|"
                      r"Autos\b|Elektroauto\w*|SUV|Limousine|Handy|Tablet|Brille|Roboter|robot\w*|\bcar\b|\bEV\b|"
                      r"Version|Update|Software|Plattform|Cloud-Dienst|GPU|Grafikkarte|Server|Cluster|Qwen|"
                      r"Betriebssystem|model|chip|product|roadmap|platform|device|phone|vehicle")
_CONTEXT_ONLY = _re(r"\b(?:aufgrund|wegen|inmitten|trotz|angesichts|amid|despite|due\s+to|because\s+of)\b[^;,]{0,30}$")
_REGULATOR = (r"(?:Regulierungsbehörde\w*|Regulierer\w*|Aufsicht\w*|Cyberspace-Administration|"
              r"Kartell\w*|Wettbewerbshüter|Ministerium|(?<=[\w-])kommission|(?<=[\w-])behörde\w*|Kommission|\w{0,3}[Bb]ehörde\w*|Regierung|Gericht\w*|"
              r"SAMR|CAC|MIIT|NDRC|SEC|FTC|Peking|Beijing|Washington|"
              r"regulators?|authorities|watchdog|antitrust|Administration|Commission|Department|Ministry)")
_REG_ACTION = (r"(?:ordnete\w*|ordnet|forderte\w*|fordert|verbot\w*|verbietet|untersagt\w*|untersagte|riet\w*|rät|"
               r"verhängt\w*|verhängte|bestraft\w*|ermittelt|leitete\b.{0,40}\bein|einzustellen|stoppt\w*|"
               r"ordered|banned|bans|told|urged|fined|probed?|halted|violated|breached|investigat\w*|imposed|penali[sz]ed)")

CUES: tuple[Cue, ...] = (
    # --- listings ---------------------------------------------------------------------------
    Cue("ipo_approval", _re(r"(?:IPO|Börsengang|Börsenantrag|IPO-Antrag\w*|Notierung\w*|listing)\b.{0,80}?\b"
                            r"(?:bewilligt|genehmigt|gebilligt|zugelassen|approved|cleared)|Börsenzulassung\w*|"
                            r"IPO[- ]approval|(?:approved|cleared)\b.{0,40}\b(?:IPO|listing)"), 0.9, name="ipo_approval",
        stems=("bewilligt", "genehmigt", "gebilligt", "zugelassen", "approved", "cleared", "zulassung", "approval")),
    Cue("ipo_filing", _re(r"IPO-Antrag\w*|Börsenantrag\w*|Börsenprospekt\w*|Börsengang\b[^;,]{0,40}?\bbeantragt|"
                          r"(?:Zulassung|Notierung)\s+(?:\w+\s+){0,3}beantragt|"
                          r"(?:file|filed|files|filing)\s+(?:for\s+)?(?:an?\s+)?(?:IPO|initial public offering|listing)|"
                          r"IPO\s+(?:filing|application|prospectus)"), 0.9, name="ipo_filing",
        stems=("ipo-antrag", "börsenantrag", "prospekt", "beantragt", "file", "ipo ")),
    Cue("listing", _re(r"\bBörsengang\w*|\bBörsengänge\w*|\bIPOs?\b|Börsendebüt\w*|Handelsstart|"
                       # "an die Börse" only with a verb of going there: not "Pflichtmitteilung an die Börse"
                       r"an die Börse\s+(?:\w+\s+){0,2}?(?:zu\s+)?(?:gehen|bringen|gebracht|gegangen|führen|geführt|"
                       r"streb\w*|schaffen|geschafft|kommen|gekommen|zurückkehren|wechseln)\b|"
                       r"\b(?:geht|ging|gingen|gehen|bringt|brachte|strebt|strebte|will|wollen|schafft|schaffte|kommt|"
                       r"kam|kamen)\b[^;]{0,60}?\ban die Börse|"
                       r"erste[nr]? Handelstag\w*|Börsennotierung\w*|\bnotiert\b|\bgelistet\b|Roadshow|"
                       r"went public|go(?:es|ing)? public|initial public offering|began trading|debut\w*|first\s+(?:day\s+of\s+)?trading(?:\s+day)?|"
                       r"Erstnotiz\w*|Handelsdebüt\w*|"
                       r"\b(?:primary|secondary|dual(?:[- ]primary)?|public|stock(?:\s+market)?|share|homecoming)\s+listing\b|"
                       r"\blisting\s+in\s+(?:Hong\s+Kong|Shanghai|Shenzhen|New\s+York|the\s+US|the\s+U\.S\.|London|"
                       r"Singapore|Tokyo)\b|\bfloat(?:s|ed|ing)?\s+(?:its\s+)?shares\b"), 0.55,
        name="listing",
        stems=("börsengang", "börsengänge", "börsendebüt", "börsennotierung", "an die börse", "ipo", "notiert",
               "gelistet", "roadshow", "went public", "go public", "goes public",
               "going public", "handelstag", "handelsstart", "debut", "began trading", "first day of trading",
               "first trading", "erstnotiz", "listing", "float")),
    # --- money ------------------------------------------------------------------------------
    # capital_raise in three cues so that each runs only where its own words occur.
    Cue("capital_raise", _re(r"Wandelanleihe\w*|Kapitalerhöhung\w*|Platzierung\w*|\bplatziert\w*|Aktienverkauf\w*|"
                             r"Anleihe\w*\s+(?:begeben|ausgegeben)|Finanzierungsrunde\w*|convertible\s+(?:bonds?|notes?)|"
                             r"share\s+(?:sale|placement|offering)|capital\s+raise|rights\s+issue|Aktienemission\w*|Bezugsrecht\w*|"
                             r"\bneue\s+Aktien\b|\bnew\s+shares\b|(?:follow-on|secondary|top-up|stock)\s+(?:offering|placement|sale)|"
                             r"\bplacing\b|\b(?:sell|sells|selling|sold)\s+(?:up\s+to\s+|about\s+|nearly\s+)?[\d.,]+\s*(?:million\s+|billion\s+)?"
                             r"(?:new\s+)?(?:class\s+[A-Z]\s+|ordinary\s+|common\s+)?shares\b|\bequity\s+offering\b"), 0.85,
        name="capital_raise",
        stems=("wandelanleihe", "kapitalerhöhung", "platzier", "aktienverkauf", "begeben", "ausgegeben",
               "finanzierungsrunde", "convertible", "share sale", "share placement", "share offering", "capital raise",
               "rights issue", "aktienemission", "bezugsrecht", "neue aktien", "new shares", "offering", "placement",
               "stock sale", "placing", "sell", "sold", "equity offering")),
    Cue("capital_raise", _re(r"Kapital\b[^;]{0,40}?\b(?:zu\s+)?(?:beschaffen|aufnehmen|einsammeln|aufzubringen)|"
                             r"\baufzubringen\b|\baufbrachte\b|\baufgebracht\b|\beingesammelt\b|\beinsammeln\b"),
        0.85, name="capital_raise_verb",
        stems=("beschaffen", "aufnehmen", "einsammeln", "aufzubringen", "aufbrachte", "aufgebracht", "eingesammelt")),
    Cue("capital_raise", _re(r"\brais(?:e|es|ed|ing)\s+(?:about\s+|around\s+|nearly\s+|some\s+|up\s+to\s+|"
                             r"more\s+than\s+|almost\s+|roughly\s+)?(?:[A-Z]{0,3}\$|€|£|¥|\d)|"
                             r"\brais(?:e|es|ed|ing)\s+(?:new\s+|fresh\s+)?(?:capital|funds|money|equity|cash)\b"
                             r"(?!\s+(?:spending|expenditure|outlays?|investment|budget|returns?|flow|requirements?))"),
        0.8, name="capital_raise_en", stems=("raise", "raising")),
    # A buyback returns capital to shareholders: DESIGN.md §3 has no type for it, and capital_raise
    # (shares sold, placements, convertibles) would put it beside its opposite, so it is `other`.
    Cue("other", _re(r"Aktienrückk[aä]uf\w*|Rückkaufprogramm\w*|Rückkauf\s+(?:eigener\s+)?Aktien|"
                     r"eigene\s+Aktien\b[^;]{0,60}?\bzurück(?:kaufen|zukaufen|gekauft)|kauft\w*\b[^;]{0,60}?\beigene\s+Aktien\b[^;]{0,30}?\bzurück|"
                     r"(?:share|stock)\s+(?:buy-?backs?|repurchases?)|buy-?back\s+(?:program+e?|plan)|"
                     r"repurchas\w*\s+(?:up\s+to\s+)?(?:[A-Z]{0,3}\$|€|\d|its\s+(?:own\s+)?shares|shares)|"
                     r"buy(?:s|ing)?\s+back\s+(?:its\s+(?:own\s+)?)?(?:shares|stock)"),
        0.85, name="buyback",
        stems=("rückkauf", "rückkäuf", "eigene aktien", "buyback", "buy-back", "repurchas", "buy back", "buys back",
               "buying back")),
    Cue("earnings", _re(r"Rekordgewinn\w*|Rekordumsatz\w*|Rekordergebnis\w*|Quartalszahlen|Geschäftszahlen|"
                        r"Quartalsergebnis\w*|Halbjahresergebnis\w*|Jahresergebnis\w*|Nettogewinn\w*|Reingewinn\w*|"
                        r"quarterly\s+results|earnings|net\s+(?:profit|income)|record\s+profits?|Zahlenwerk\w*|Bilanzvorlage|"
                        r"Ergebnisvorlage"), 0.85, name="earnings_strong",
        stems=("rekord", "quartalszahlen", "geschäftszahlen", "ergebnis", "nettogewinn", "reingewinn",
               "results", "earnings", "net profit", "net income", "record profit", "zahlenwerk", "bilanzvorlage")),
    Cue("earnings", _re(r"Umsatz\w*|Umsätze\w*|KI-Umsätze\w*|Gewinn\w*|Überschuss\w*|Wachstum|Erlös\w*|\bEbita?d?a?\b|"
                        r"\bZahlen\b|\bBilanz\b|revenue|profit|sales|\bresults\b|\bearnings\b|net\s+loss|\bgrowth\b"),
        0.6, scope="clause", requires=_REPORTING_VERB, name="earnings_weak",
        # stems of the required reporting verb: rarer than the nouns
        stems=("gemeldet", "meldet", "vorgelegt", "legte", "verzeichnete", "erzielte", "steigerte", "gesteigert", "teilte",
               "mitgeteilt", "report", "posted", "announced", "publish", "releas", "vorlegen", "vorzulegen",
               "veröffentlich", "said", "says", "sagte", "erklärte")),
    Cue("earnings", _re(r"\b(?:Umsatz\w*|Umsätze\w*|Gewinn\w*|Überschuss\w*|Erlös\w*|Ergebnis\w*|Verlust\w*|verdien\w*)\b[^;]{0,60}?"
                        r"\b(?:im|des|für\s+das)\s+(?:ersten|zweiten|dritten|vierten|abgelaufenen|vergangenen|[1-4]\.)\s+"
                        r"(?:Quartal\w*|Geschäftsquartal\w*|Halbjahr\w*|Geschäftsjahr\w*)|"
                        r"\b(?:im|des|für\s+das)\s+(?:ersten|zweiten|dritten|vierten|abgelaufenen|vergangenen|[1-4]\.)\s+"
                        r"(?:Quartal\w*|Halbjahr\w*|Geschäftsjahr\w*)\b[^;]{0,40}?\b(?:Umsatz\w*|Gewinn\w*|Überschuss\w*|Erlös\w*|"
                        r"Ergebnis\w*|Verlust\w*|verdien\w*)|"
                        r"\b(?:first|second|third|fourth|full)[- ](?:quarter|half|year)\s+(?:results|revenue|sales|earnings|"
                        r"(?:net\s+)?(?:profit|income|loss)|operating\s+profit)\b|\bQ[1-4]\s+(?:results|revenue|earnings|sales)\b|"
                        r"\b(?:quarterly|half-year(?:ly)?|annual|interim|full-year)\s+(?:results|revenue|sales|earnings|"
                        r"(?:net\s+)?(?:profit|income|loss))\b|\b(?:Quartals|Halbjahres|Jahres)(?:umsatz|gewinn|zahlen|bilanz)\w*"),
        0.8, name="earnings_period",
        stems=("quartal", "halbjahr", "geschäftsjahr", "quarter", "half", "year ", "q1", "q2", "q3", "q4", "annual",
               "interim", "full-year", "jahresumsatz", "jahresgewinn", "jahreszahlen", "jahresbilanz")),
    Cue("guidance", _re(r"Ausblick\w*|Prognose\w*|prognostiziert\w*|Umsatzziel\w*|Jahresziel\w*|"
                        r"\berwartet\b[^;]{0,60}?\b(?:Umsatz|Gewinn|Erlös)\w*|"
                        r"\bguidance\b|\boutlook\b|\bforecasts?\b|Gewinnwarnung\w*|\bpeilt\w*\b[^;]{0,80}?\ban\b|"
                        r"\bstellt\w*\b[^;]{0,60}?\bin\s+Aussicht\b|\brechne[nt]\w*\b[^;]{0,60}?\bmit\b[^;]{0,50}?\b(?:Umsatz|"
                        r"Gewinn|Verlust|Erlös|Ergebnis|Rückgang|Wachstum|Anstieg|Einbußen)\w*|Umsatzwarnung\w*|profit\s+warning|"
                        r"\b(?:senkte|senkt|gesenkt|kappte|kappt|bestätigte|bestätigt)\b[^;]{0,40}?\b(?:Ziele?|Prognose\w*|Jahresziel\w*)\b|\bhob\b[^;]{0,60}?\bZiel\w*\b[^;]{0,20}?\ban\b|\bexpects?\b[^;]{0,60}?\b(?:revenue|sales|profit|earnings)"),
        0.8, name="guidance",
        stems=("ausblick", "prognose", "prognostiziert", "umsatzziel", "jahresziel", "erwartet", "expect",
               "guidance", "outlook", "forecast", "warnung", "warning", "ziel", "peilt", "aussicht", "rechne"),
        # "beat forecasts", "als von Analysten erwartet": the yardstick results are measured against
        unless_before=_re(r"\b(?:beat|beats|beating|topped|tops|top|missed|misses|miss|exceeded|exceeds|than|"
                          r"analysts'?|consensus|market|übertr\w*|verfehlt\w*|Analysten\w*|als)\s+(?:\w+\s+){0,2}$")),
    Cue("investment", _re(r"\binvestier\w*|\bInvestition(?!sausgaben|sbudget|splan|squote)\w*|\binvests?\b|\binvested\b|\binvestment\s+in\b|"
                          r"\bBau\s+(?:eines|einer|des|der)\s+(?:neuen\s+)?(?:\w+)?(?:[Ww]erks?|[Ff]abrik)\b|"
                          r"\bbuild(?:s|ing)?\s+(?:a\s+)?(?:new\s+)?(?:\w+\s+)?(?:plant|factory)\b|"
                          r"\bbeteiligt\s+sich\b|stake\s+in"), 0.6, name="investment",
        stems=("investier", "investition", "invests", "invested", "investment in", "beteiligt", "stake in", "bau ",
               "build")),
    # --- products and deals -------------------------------------------------------------------
    Cue("product_launch", _re(r"\bvorgestellt\b|\bstellte\b[^;]{0,120}?\bvor\b|\bpräsentiert\w*|\bMarkteinführung\w*|"
                              r"\beingeführt\b|\bführte\b[^;]{0,60}?\bein\b|\baktualisiert\b|\blanciert\b|"
                              r"\bunveil\w*|\blaunch(?:ed|es)?\b|\brolled\s+out\b"), 0.8, name="product_strong",
        stems=("vorgestellt", "stellte", "präsentiert", "markteinführung", "eingeführt", "führte",
               "aktualisiert", "lanciert", "unveil", "launch", "rolled out")),
    Cue("product_launch", _re(r"\bangekündigt\b|\bkündigte\b[^;]{0,80}?\ban\b|\bgab\b[^;]{0,120}?\bbekannt\b|"
                              r"\bveröffentlicht\w*|\beinzuführen\b|\beinführen\b|\bvorstellen\b|\bpräsentieren\b|"
                              r"auf\s+den\s+Markt\s+bringen|\breleas(?:ed|es|e)?\b|\bintroduc\w*|\bannounc\w*"),
        0.65, scope="clause", requires=_PRODUCT_OBJECT, name="product_weak",
        stems=("angekündigt", "kündigte", " gab ", "veröffentlicht", "einzuführen", "einführen", "vorstellen", "präsentieren",
               "auf den markt", "releas", "introduc", "announc")),
    Cue("product_launch", _re(r"\bMarkteintritt\w*|\b(?:in|nach)\s+(?:Europa|Deutschland|den\s+USA|Amerika|Japan|China|"
                              r"Indien|Südostasien|\w+land|\w+reich)\b[^;,]{0,40}?\b(?:verkaufen|anbieten|anzubieten|zu\s+verkaufen|expandieren|"
                              r"vertreiben|auf\s+den\s+Markt\s+bringen|an\s+den\s+Start\s+gehen)\b|"
                              r"\b(?:enter|entering|entered|enters)\s+the\s+(?:\w+\s+){0,2}market\b|"
                              r"\b(?:start|begin|started|began)\s+selling\b[^;,]{0,40}?\bin\b|\bexpand\w*\s+into\b"),
        0.7, name="market_entry",
        stems=("markteintritt", "verkaufen", "anbieten", "anzubieten", "expandieren", "vertreiben", "auf den markt", "an den start",
               "market", "selling", "expand")),
    Cue("contract", _re(r"\w*[Vv]ertrag\w*|\w*[Vv]erträge\w*|Auftrag\w*|Aufträge\w*|\w*vereinbarung\w*|Abkommen|\bDeal\b|"
                        r"\bcontract\b|\border\b|(?:supply|purchase|sales|licen[cs]ing)\s+(?:deal|agreement|contract)"),
        0.85, requires=_SIGNED, name="contract",
        stems=("vertrag", "verträge", "auftrag", "aufträge", "liefervereinbarung", "abkommen", " deal",
               "contract", " order", "supply")),
    Cue("partnership", _re(r"\bPartnerschaft\w*|\bZusammenarbeit\b|\bKooperation\w*|\bkooperier\w*|"
                           r"\bGemeinschaftsunternehmen\b|\bJoint[- ]Venture\w*|\bAllianz\b|\bpartnership\w*|"
                           r"\bpartner(?:s|ed|ing)?\s+with\b|\bteam(?:s|ed)?\s+up\b|\balliance\b|\bcollaborat\w*"),
        0.8, requires=_re(r"\b(?:vereinbart\w*|vertief\w*|ausbau\w*|ausgebaut|ausweit\w*|geschlossen|schließen|schloss\w*|"
                          r"eingehen|eingegangen|ging\w*|gab\b.{0,120}\bbekannt|bekanntgegeben|angekündigt|kündigt\w*|"
                          r"unterzeichnet\w*|gründe\w*|gegründet|startet\w*|will|wollen|arbeite\w*\s+zusammen|"
                          r"announc\w*|formed|form|forming|signed|sign|agreed|agree|expand\w*|deepen\w*|extend\w*|"
                          r"launch\w*|struck|strike|enter\w*|teams?|teamed)\b"),
        name="partnership",
        stems=("partnerschaft", "zusammenarbeit", "kooperation", "kooperier", "gemeinschaftsunternehmen", "joint",
               "allianz", "partner", "team", "alliance", "collaborat")),
    Cue("merger_acquisition", _re(r"\bÜbernahme(?!\s+(?:der|von)\s+(?:Verantwortung|Kosten|Aufgaben|Führung))\w*|"
                                  r"\bÜbernahmeangebot\w*|\bFusion\w*|\bfusionier\w*|\bZusammenschluss\w*|\bAkquisition\w*|"
                                  r"\bMehrheit\s+an\b|\bKomplettübernahme\w*|\berwirbt\b|\berwerben\b|\berworben\b|"
                                  r"\bacqui(?:re|res|red|ring|sition\w*)\b|\btakeover\w*|\bmerger\w*|\bbuyout\w*|"
                                  r"\bpurchase\s+of\b|\bbuy(?:s|ing)?\s+(?:out\b|the\s+(?:rest|remaining)|a\s+(?:majority|controlling))|"
                                  r"\btake\s+\w+\s+private\b"),
        0.8, name="merger_acquisition",
        stems=("übernahme", "fusion", "fusionier", "zusammenschluss", "akquisition", "mehrheit", "erwirbt", "erwerben",
               "erworben", "acqui", "takeover", "merger", "buyout", "purchase of", "buy", "private")),
    Cue("merger_acquisition", _re(r"\b(?:übernehmen|übernimmt|übernahm|übernommen)\b"), 0.7, scope="clause",
        requires=_re(r"\b(?:Mehrheit|Anteil\w*|Aktien|Konzern\w*|Unternehmen\w*|Firma|Rivale\w*|Konkurrent\w*|"
                     r"Sparte|Tochter\w*|Werk\w*|Fabrik\w*|Hersteller\w*|Start-?up\w*|Betreiber\w*)\b"),
        name="merger_verb", stems=("übernehm", "übernimmt", "übernahm", "übernommen")),
    Cue("legal", _re(r"\bKlage\w*|\bSammelklage\w*|\bverklagt\w*|\bverklagen\b|\bklagt\b|\bGerichtsverfahren\w*|"
                     r"\bRechtsstreit\w*|\bPatentverletzung\w*|\bPatentstreit\w*|\bSchiedsverfahren\w*|"
                     r"\blawsuits?\b|\bsue[sd]?\b|\bsuing\b|\bclass[- ]action\b|\blitigation\b|"
                     r"\bpatent\s+infringement\b|\bindict\w*|\bcharged\s+with\b"),
        0.8, name="legal",
        stems=("klage", "klagt", "gerichtsverfahren", "rechtsstreit", "patent", "schiedsverfahren", "lawsuit", "sue",
               "suing", "class", "litigation", "indict", "charged with")),
    # --- the state ----------------------------------------------------------------------------
    # Cues run inside one sentence, so a period in the gap is an abbreviation ("18,2 Mrd. Yuan").
    Cue("regulatory_action", _re(rf"{_REGULATOR}\b[^;]{{0,160}}?\b{_REG_ACTION}\b|\b{_REG_ACTION}\b[^;]{{0,40}}?{_REGULATOR}"),
        0.8, name="regulatory_action",
        stems=("ordnet", "fordert", "verbot", "verbiet", "untersagt", "riet", "rät", "verhängt", "bestraft",
               "ermittelt", "leitete", "einzustellen", "stoppt", "ordered", "banned", "bans", "told", "urged",
               "fined", "probe", "halted", "violated", "breached", "investigat", "imposed", "penali")),
    Cue("export_control", _re(r"Exportkontroll\w*|Exportbeschränkung\w*|Exportverbot\w*|Ausfuhrkontroll\w*|"
                              r"Ausfuhrbeschränkung\w*|Exportlizenz\w*|Entity[ -]List|schwarze\s+Liste|Sanktion\w*|"
                              r"\bsanktioniert\w*|export\s+controls?|export\s+restrictions?|export\s+licen[cs]es?|"
                              r"blacklist\w*"), 0.85, unless_before=_CONTEXT_ONLY, name="export_control",
        stems=("export", "ausfuhr", "entity", "schwarze liste", "sanktion", "blacklist")),
    # --- the market ---------------------------------------------------------------------------
    Cue("stock_move", _re(r"\b(?:Aktie\w*|Papier\w*|Titel|Anteilsschein\w*|Kurs)\b[^;]{0,80}?\b(?:stieg\w*|steigt|"
                          r"legte\w*\b[^;]{0,80}?\bzu|gab\w*\b[^;]{0,60}?\bnach|notiert\w*\b[^;]{0,60}?\b(?:fester|"
                          r"schwächer|höher|tiefer|leichter|im\s+(?:Plus|Minus))|fiel\w*|fällt|verlor\w*|verliert|"
                          r"gewann\w*|gewinnt|büßte\w*|"
                          r"rutschte\w*|sackte\w*|sank\w*|brach\b[^;]{0,40}?\bein|schoss\w*|schießt|sprang|"
                          r"kletterte\w*|verdoppelt\w*|halbiert\w*|schloss\w*\b[^;]{0,40}?\b(?:im\s+(?:Plus|Minus)|"
                          r"höher|tiefer|fester|schwächer)|im\s+Höhenflug)\b|Höhenflug\s+der\s+\S+-Aktie"), 0.75,
        name="stock_move",
        stems=("stieg", "steigt", "legte", "gab", "notiert", "fiel", "fällt", "verlor", "verliert", "gewann", "gewinnt", "büßte",
               "rutschte", "sackte", "sank", "brach", "schoss", "schießt", "sprang", "kletterte", "verdoppelt",
               "halbiert", "schloss", "höhenflug")),
    # German puts the verb second: "Am Mittwoch fiel die Aktie um 40 Prozent", "verloren die Papiere".
    Cue("stock_move", _re(r"\b(?:stieg\w*|steigt|fiel\w*|fällt|verlor\w*|verliert|gewann\w*|gewinnt|sank\w*|"
                          r"sackte\w*|rutschte\w*|kletterte\w*|schoss\w*|sprang\w*|brach\w*|büßte\w*|legte\w*|"
                          r"notierte\w*|notiert|schloss\w*)\s+(?:die|der|ihre|seine)\s+(?:[\w-]+\s+)?"
                          r"(?:[\w-]*Aktien?|Papiere?|Titel|Anteilsscheine?)\b|"
                          r"\b(?:Aktien?|Papiere?|Titel)\b[^;:]{0,60}?\b(?:abgerutscht|eingebrochen|eingebüßt|zurückgefallen|"
                          r"gestiegen|gefallen|gesunken|geklettert|abgestürzt|eingeknickt|ins\s+Minus|ins\s+Plus)\b|"
                          r"\bgehör\w*\b[^;]{0,40}?\bzu\s+den\s+(?:größten\s+)?(?:Verlierern|Gewinnern)\b"),
        0.75, name="stock_move_v2", excludes=_re(r"\b(?:Umsatz\w*|Umsätze|Erlös\w*|Gewinn\w*|Überschuss\w*|Absatz)\b"),
        stems=("stieg", "steigt", "fiel", "fällt", "verlor", "verliert", "gewann", "gewinnt", "sank", "sackte",
               "rutscht", "kletter", "schoss", "sprang", "brach", "büßt", "legte", "notiert", "schloss", "eingebro",
               "zurückgefallen", "gestiegen", "gefallen", "gesunken", "abgestürzt", "eingeknickt", "ins minus",
               "ins plus", "verlierern", "gewinnern")),
    # "S.F. Holding dropped 4.3%", "Xiaomi verlor 4,7 Prozent": a name, a move and a percentage, in a
    # clause that is not about revenue or profit.
    Cue("stock_move", _re(r"\b(?:rose|jumped|fell|dropped|surged|soared|slumped|gained|tumbled|rallied|slipped|slid|"
                          r"sank|plunged|climbed|lost|(?:was|were)\s+(?:up|down)|stieg\w*|fiel\w*|sank\w*|verlor\w*|"
                          r"gewann\w*|kletterte\w*|legte\w*|rutschte\w*|sackte\w*|büßte\w*|schoss\w*|sprang\w*|"
                          r"brach\w*\s+um)\s+(?:\w+\s+){0,3}?(?:um\s+)?(?:as\s+much\s+as\s+|bis\s+zu\s+|nearly\s+|"
                          r"about\s+|almost\s+|more\s+than\s+|rund\s+|fast\s+|knapp\s+|mehr\s+als\s+|gut\s+)?"
                          r"\d+(?:[.,]\d+)?\s?(?:%|per\s?cent|percent|Prozent)"),
        0.7, scope="clause", name="stock_move_percent",
        excludes=_re(r"Umsatz\w*|Umsätze|Gewinn\w*|Erlös\w*|Ergebnis\w*|Überschuss\w*|Absatz\w*|Auslieferung\w*|"
                     r"Nachfrage|Marge\w*|Kosten|Index|Dax|Hang\s+Seng|revenue|profit|sales|income|earnings|margin|"
                     r"deliveries|demand|costs?|index|benchmark|market"),
        stems=("%", "prozent", "percent", "per cent")),
    Cue("stock_move", _re(r"Kursanstieg\w*|Kurssprung\w*|Kurssturz\w*|Kursrutsch\w*|Kursgewinn\w*|Kurseinbruch\w*|"
                          r"Kursverlust\w*"), 0.75, name="stock_move_noun", stems=("kurs",)),
    Cue("stock_move", _re(r"\b(?:shares?|stock)\b[^;]{0,40}?\b(?:rose|jumped|fell|dropped|surged|soared|slumped|"
                          r"gained|tumbled|rallied|slipped|slip|slid|sank|sunk|plunged|climbed|declined|advanced|lost|crumbled|"
                          r"(?:ended|closed|finished|traded|trading|opened)\b[^;]{0,30}?\b(?:higher|lower|up|down))\b|"
                          r"\b(?:sending|sent|pushing|pushed|driving|drove|dragging|dragged)\s+(?:its\s+|the\s+)?(?:[\w-]+\s+){0,3}?"
                          r"(?:shares|stock)\s+(?:down|up|higher|lower)\b|"
                          r"\blost\b[^;]{0,30}?\bof\s+its\s+(?:market\s+)?value\b|\b(?:shares?|stock)\b[^;]{0,30}?\btook\s+a\s+dive\b"),
        0.75,
        name="stock_move_en",
        stems=("rose", "jumped", "fell", "dropped", "surged", "soared", "slumped", "gained", "tumbled", "rallied",
               "slip", "slid", "sank", "sunk", "plunged", "climbed", "declined", "advanced", "lost", "ended", "closed",
               "finished", "traded", "trading", "opened", "crumbled", "dive", "sending", "sent", "pushing", "pushed",
               "driving", "drove", "dragging", "dragged")),
    Cue("stock_move", _re(r"\blegt\w*\b[^;,]{0,30}?\bzu\b"), 0.55, scope="clause",
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
# A sentence that opens with a title and no company name ("Konzernchef Pony Ma sagte", "The
# company's chief executive said") quotes the company in focus.
TITLE_OPENING = _re(r"(?:Konzernchef\w*|Firmenchef\w*|Vorstandschef\w*|Unternehmenschef\w*|Finanzchef\w*|"
                    r"(?:The|Its)\s+(?:company's\s+)?(?:chief\s+executive|CEO|CFO|chief\s+financial\s+officer))\b")

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

ANAPHORA_STEMS = ("unternehm", "konzern", "riese", "marktführer", "firma", "gesellschaft", "hersteller", "autobauer",
                  "chipdesigner", "zulieferer", "anbieter", "betreiber", "entwickler", "händler", "dienst", "bauer",
                  "company", "firm",
                  "group", "giant", "maker", "retailer", "operator", "provider", "developer", "aktie", "papier",
                  "titel", "shares", "stock", "management")
PRODUCT_STEMS = ("RTX", "GeForce", "CUDA", "Blackwell", "H1", "H2", "H8", "A100", "B200", "Qwen", "Tongyi", "Ernie",
                 "Kunlun", "Ascend", "Kirin", "Harmony", "Pangu", "Hunyuan", "Doubao")

# Noun phrases that refer back to the company in focus.
ANAPHORA = _re(r"\b(?:(?:das|des|dem)\b(?:\s+(?!(?:der|die|das|den|dem|des)\b)[\w\"-]+){0,8}?\s+(?:Unternehmens?|Konzerns?|Konzern)|"
               r"(?:der|des|dem)\s+(?:[\w-]+\s+)?[\w-]*(?:[Kk]onzerns?|[Rr]iesen?|Marktführers?|Herstellers?|"
               r"[Aa]utobauers?|[Cc]hipdesigners?|[Zz]ulieferers?|[Aa]nbieters?|[Bb]etreibers?|[Ee]ntwicklers?|"
               r"[Hh]ändlers?|[Ll]ieferdienste?s?|[Dd]ienstes|[Dd]ienst|[Bb]auers?)|"
               r"(?:die|der)\s+(?:Firma|Gesellschaft)|(?:das|des|dem)\s+Managements?|the\s+management|the\s+(?:[\w-]+\s+){0,2}?(?:company|firm|group|giant|[\w-]*maker|"
               r"retailer|operator|provider|developer)(?:'s)?|its\s+(?:shares|stock)|"
               r"(?:die|der)\s+(?:[\w-]+\s+)?Aktien?(?!\w|\s+(?:vieler|anderer|mehrerer|aus|[a-zäöü]+er\s+[A-ZÄÖÜ]))|"
               r"(?:das|des)\s+Papiers?|die\s+Papiere|die\s+Titel|"
               r"the\s+(?:company's\s+)?(?:shares|stock)(?!\s+(?:market|exchange|index|indices|indexes|of\s+(?:other|many|rival)))"
               r")\b")
# "Die Aktien chinesischer Techkonzerne", "The stock market": other shares than the company's.
STOCK_ANAPHOR = _re(r"(?:Die|Ihre|Seine|The|Its)\s+(?:Aktie|Aktien|Papiere?|Titel|shares|stock)\b"
                    r"(?!\s+(?:vieler|anderer|mehrerer|aus|[a-zäöü]+er\s+[A-ZÄÖÜ]|market|exchange|index|of\s+(?:other|many|rival)))")

# A mention right after these words is compared with, not acted upon ("noch vor SenseTime").
COMPARISON_BEFORE = _re(r"\b(?:wie|als|than|like|vor|hinter|gegenüber|versus|vs\.?|zu|mit|auf)\s*$")

# Modality, checked in the trigger's clause.
NEGATION = _re(r"\b(?:nicht(?!\s+nur)|kein\w*|nie|niemals|not|no|never|denied|dementiert\w*|verwehrt\w*|"
               r"abgesagt|gescheitert|scheiterte\w*|cancel+ed|scrapped)\b")
RUMOUR = _re(r"\b(?:Gerücht\w*|Medienberichten\s+zufolge|Insidern\s+zufolge|Kreisen\s+zufolge|angeblich|"
             r"reportedly|rumou?r\w*|people\s+familiar|sources\s+said|falls\s+er\s+zutreffe)\b")
# The company weighs it, or it may happen: neither decided nor denied (DESIGN.md §3 "considered").
CONSIDER = _re(r"\b(?:könnte\w*|dürfte\w*|möglicherweise|womöglich|erwäg\w*|prüft|denkt\b[^;]{0,60}\bnach|"
               r"could|might|may\s+(?:sell|raise|list|buy|seek|launch|float|file)|considering|considers|weighing|"
               r"weighs|exploring|explores|mulling|mulls)\b")
# Who says it, for the whole sentence: "..., people familiar with the matter said" puts a rumour on
# every clause, not only the one it closes.
RUMOUR_SOURCE = _re(r"\b(?:Insidern\s+zufolge|Kreisen\s+zufolge|Medienberichten\s+zufolge|aus\s+Insiderkreisen|"
                    r"people\s+(?:familiar|with\s+knowledge|briefed)|according\s+to\s+(?:people|sources|insiders)|"
                    r"sources\s+(?:said|say|told)|reportedly)\b")
PLAN = _re(r"\b(?:plant\w*|planen|geplant\w*|will|wollen|werde|soll|sollen|beabsichtig\w*|bereitet\w*\s+sich|"
           r"bereiten\s+sich|bereite\s+sich|vorbereit\w*|strebt\w*|intends?|plans?|planning|aims?\s+to|expects?\s+to|"
           r"prepar(?:es|ing)\s+to|seek(?:s|ing)?|would|(?:is|are|was|were)\s+(?:set|scheduled|slated|poised|due)\s+to|"
           r"to\s+be\s+launched)\b")

# The three in one pattern, so a clause is scanned once (sentence_events.modality ranks them).
MODALITY = re.compile(rf"(?P<negated>{NEGATION.pattern})|(?P<rumoured>{RUMOUR.pattern})|"
                      rf"(?P<considered>{CONSIDER.pattern})|(?P<planned>{PLAN.pattern})", re.IGNORECASE)

# What every match of MODALITY contains (lower case; short words with spaces or punctuation around
# them, matched against the clause padded with spaces), so that clauses without one skip the regex.
MODALITY_STEMS = (
    "nicht", "kein", "nie", "not", " no ", " no,", " no.", " no-", "(no ", "never", "denied", "dementiert", "verwehrt",
    "abgesagt", "gescheitert", "scheiterte", "cancel", "scrapped",
    "gerücht", "zufolge", "angeblich", "könnte", "dürfte", "möglicherweise", "womöglich", "erwäg", "prüft", "could",
    "might", "reportedly", "rumo", "familiar", "sources said", "falls er", "consider", "weigh", "explor", "denkt",
    "mull", "may ", "would",
    "plan", "will", "wollen", "werde", "soll", "beabsichtig", "bereite", "vorbereit", "strebt", "intend", "aim",
    "expect", "prepar", "launched", "seek", "set to", "scheduled", "slated", "poised", "due to",
)
RUMOUR_SOURCE_STEMS = ("zufolge", "insiderkreisen", "people", "according to", "sources", "reportedly")

# An English relative clause after the cue describes its object ("the shares ... that it does not
# already own"): its negation or plan is not the event's.
RELATIVE_AFTER = re.compile(r"\b(?:that|which|who|whose)\b")

# A clause that reports an announcement ("teilten beide Konzerne am Dienstag mit", "said on
# Tuesday") dates the event of the clause it reports on.
REPORTING_CLAUSE = _re(r"\b(?:teilte\w*|mitteilte\w*|mitgeteilt|sagte\w*|erklärte\w*|gab\w*\b[^;]{0,60}\bbekannt|"
                       r"bekanntgegeben|berichtete\w*|said|says|announced|told|reported|confirmed|bestätigte\w*)\b")

# A weekday with its date in apposition ("am Donnerstag, dem 26. Juni 2025, ..." / "on Wednesday,
# August 29, ...") is one time expression: neither of the commas around the date breaks the clause.
_MONTH = rf"(?:{MONTH_DE_RE}|{MONTH_EN_RE})\.?"
WEEKDAY_BEFORE_COMMA = re.compile(rf"(?:{WEEKDAY_DE_RE}|{WEEKDAY_EN_RE})\s*$")
DATE_APPOSITION = re.compile(r"\s*(?:(?:de[mn]\s+)?\d{1,2}\.\s*" + _MONTH + r"(?:\s+\d{4})?|"
                             + _MONTH + r"\s+\d{1,2}(?:,\s*\d{4})?)(?=\s*[,;:]|\s*$|\s)")

# Parentheses do not break clauses: "(1,86 Milliarden Singapur-Dollar)" sits inside one.
CLAUSE_BREAK = re.compile(r",(?!\d)|[;:]|\s-\s|\bund\s+(?=(?:das|die|der|dessen|deren)\s)|"
                          r"\b(?:während|aber|doch|nachdem|weil|obwohl|sondern|whereas|while|after|because|although|but)\b")
# The same breaks in two parts: punctuation (a quick scan) and the words, whose scan is slow and so
# only runs when one of CLAUSE_WORDS occurs in the sentence.
CLAUSE_PUNCT = re.compile(r",(?!\d)|[;:]|\s-\s")
CLAUSE_WORD = re.compile(r"\bund\s+(?=(?:das|die|der|dessen|deren)\s)|"
                         r"\b(?:während|aber|doch|nachdem|weil|obwohl|sondern|whereas|while|after|because|although|but)\b")
CLAUSE_WORDS = ("und", "während", "aber", "doch", "nachdem", "weil", "obwohl", "sondern", "whereas", "while", "after",
                "because", "although", "but")
