"""Short English chart labels for events: a template per type plus the key object words.

"Alibaba raises $3.2bn in convertible bonds", "Baidu shares +13%", "Huawei unveils chip roadmap".
The words come from the evidence sentences (amounts, percentages, product names, instruments),
so a label never claims more than the text.
"""

from __future__ import annotations

import re

_SCALE = {"milliarde": "bn", "milliarden": "bn", "mrd": "bn", "billion": "bn", "bn": "bn",
          "million": "m", "millionen": "m", "mio": "m", "m": "m"}
_CURRENCY = {"us-dollar": "$", "usd": "$", "dollar": "$", "$": "$", "yuan": "CNY ", "cny": "CNY ", "rmb": "CNY ",
             "euro": "EUR ", "eur": "EUR ", "hk$": "HK$", "hkd": "HK$"}
_AMOUNT = re.compile(
    r"(?P<cur1>\$|HK\$)?\s?(?P<num>\d+(?:[.,]\d+)?)\s*(?P<scale>Milliarden|Milliarde|Mrd\.?|Millionen|Million|Mio\.?|billion|bn|million|m)\b\s*"
    r"(?P<cur2>US-Dollar|USD|Dollar|Yuan|CNY|RMB|Euro|EUR|HKD)?", re.IGNORECASE)
_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s?(?:%|Prozent|percent)")
_DOWN = re.compile(r"\b(?:fiel\w*|fällt|sank\w*|brach|Kurssturz|Kursrutsch|Kurseinbruch|Kursverlust\w*|fell|dropped|slumped|tumbled)\b", re.I)
_INSTRUMENTS = ((r"Wandelanleihe|convertible", "convertible bonds"), (r"Kapitalerhöhung|rights issue", "a share sale"),
                (r"Platzierung|placement|Aktienverkauf", "a share placement"), (r"Anleihe|bond", "bonds"))
_PRODUCT = re.compile(r"\b(?:Qwen[\w.-]*|RTX(?:\s+Pro)?\s+\w+|H20|H2O|V\d(?:\.\d)?(?=-Modell)|Kunlun|Ascend\s*\w*|Ernie\s*\w*)")
_ROADMAP = re.compile(r"Roadmap|Dreijahresplan|Plan\b", re.I)


def _amount(text: str) -> str | None:
    for m in _AMOUNT.finditer(text):
        cur = (m["cur1"] or m["cur2"] or "").lower()
        if not cur:
            continue
        num = m["num"].replace(",", ".")
        scale = _SCALE[m["scale"].lower().rstrip(".")]
        symbol = _CURRENCY[cur]
        return f"{symbol}{num}{scale}"
    return None


def _percent(text: str) -> str | None:
    m = _PERCENT.search(text)
    return m.group(1).replace(",", ".") + "%" if m else None


def headline(event, name: str, evidence: list[str]) -> str:
    text = " ".join(evidence)
    first = evidence[0] if evidence else ""
    t, status = event.event_type, event.status
    verb_plan = status in ("planned", "considered", "rumoured")
    if status == "negated":
        return f"{name}: no {t.replace('_', ' ')} (denied or not done)"
    if t == "capital_raise":
        amount = _amount(first) or _amount(text)
        instrument = next((label for pat, label in _INSTRUMENTS if re.search(pat, text, re.I)), None)
        if amount:
            what = f"{amount} in {instrument}" if instrument else amount
        else:
            what = f"capital via {instrument}" if instrument else "capital"
        return f"{name} {'plans to raise' if verb_plan else 'raises'} {what}"
    if t == "stock_move":
        pct = _percent(first) or _percent(text)
        sign = "-" if _DOWN.search(first) else "+"
        return f"{name} shares {sign}{pct}" if pct else f"{name} shares {'fall' if sign == '-' else 'rise'}"
    if t == "earnings":
        if re.search(r"Rekordgewinn|record profit", text, re.I):
            return f"{name} reports record profits"
        if re.search(r"Umsatz|Umsätze|revenue|Wachstum", text, re.I):
            return f"{name} reports revenue growth"
        return f"{name} reports results"
    if t == "product_launch":
        product = _PRODUCT.search(first) or _PRODUCT.search(text)
        if product and product.group(0).startswith("Qwen"):
            return f"{name} {'updates' if re.search(r'Aktualisierung|update', first, re.I) else 'unveils'} Qwen models"
        if product:
            return f"{name} unveils {product.group(0).strip()}" + (" model update" if "Modell" in first else "")
        if _ROADMAP.search(first):
            return f"{name} unveils chip roadmap" if re.search(r"Chip", first) else f"{name} unveils roadmap"
        if re.search(r"Modell|model", first):
            return f"{name} updates AI model"
        if re.search(r"Chip", first, re.I):
            return f"{name} unveils chip"
        return f"{name} launches product"
    if t == "contract":
        amount = _amount(first)
        return f"{name} signs {amount + ' ' if amount else ''}contract"
    if t == "regulatory_action":
        product = _PRODUCT.search(first)
        return f"Regulator action on {name}" + (f" ({product.group(0)})" if product else "")
    if t == "export_control":
        if re.search(r"Entity[ -]List", first, re.I):
            return f"{name} put on US Entity List"
        return f"{name} hit by export controls"
    if t == "investment":
        amount = _amount(first)
        verb = "plans to invest" if verb_plan else "invests"
        return f"{name} {verb} {amount}" if amount else f"{name} {'plans investment' if verb_plan else 'investment'}"
    simple = {
        "ipo_filing": f"{name} files for IPO",
        "ipo_approval": f"{name} IPO approved",
        "listing": f"{name} {'prepares listing' if verb_plan else 'listing'}",
        "guidance": f"{name} gives outlook",
        "management_commentary": f"{name} executive comments",
        "other": f"{name} founded" if re.search(r"gegründet|Gründung|founded", text, re.I) else f"{name}: other",
    }
    label = simple.get(t, f"{name}: {t.replace('_', ' ')}")
    if event.background and event.date_value:
        label += f" ({event.date_value[:4]})"
    return label
