"""Company names normalised for grouping and matching: case, punctuation and legal forms removed.

``normalise_name`` is the grouping key stored in ``securities.norm_name``: "ASML HOLDING NV",
"ASML Holding N.V." and "ASML Holding" all give "asml holding"; "Tencent Holdings Ltd" and
"Tencent Holding Ltd." give "tencent holding". Words that describe the company rather than name it
(Group, Holding, Technologies) are kept there, because "Sony Group" and "Sony Corp" may differ;
``name_variants`` adds the shorter forms a text uses ("sony", "asml", "infineon").

``text_key`` maps a text to the same alphabet one character for one character (offsets stay
valid), so keys found in it point straight back into the original text.
"""

from __future__ import annotations

import re
import unicodedata

# Legal forms, lower case without dots, as they close a registered name (longest first where one
# contains another: "co ltd" before "ltd").
LEGAL_FORMS = (
    "aktiengesellschaft", "corporation", "incorporated", "company", "limited", "co ltd", "co inc",
    "sa de cv", "s p a", "spa", "kgaa", "gmbh", "corp", "inc", "ltd", "plc", "llc", "ag", "se", "nv",
    "n v", "sa", "s a", "ab", "asa", "oyj", "bhd", "berhad", "tbk", "pcl", "lp", "co", "the",
)
# Words that describe rather than name: dropped for the short forms texts use.
DESCRIPTORS = ("group", "holding", "technologies", "technology", "international", "gruppe", "konzern")
_SEC_STATE_TAIL = re.compile(r"\s*/[A-Za-z]{2,3}/?\s*$")   # "ARM HOLDINGS PLC /UK", "FOO INC /DE/"
_CLASS_TAIL = re.compile(r"\b(?:class|series)\s+[a-z]\b.*$")
_NON_WORD = re.compile(r"[^\w]|_")
# A space stays a space: leaving spaces out of the pattern spares most replacements in running text.
_NON_WORD_NOR_SPACE = re.compile(r"[^\w ]|_")
_SPACES = re.compile(r"\s+")


def _tokens(name: str) -> list[str]:
    name = unicodedata.normalize("NFKC", name)
    name = _SEC_STATE_TAIL.sub("", name).lower()
    name = _CLASS_TAIL.sub("", name.replace("'s ", "s ").replace("’s ", "s "))
    # "N.V." and "S.A." lose their dots before the split, so they read as one token
    name = re.sub(r"\b([a-z])\.(?=[a-z]\.)", r"\1", name).replace(".", " ")
    words = _SPACES.sub(" ", _NON_WORD.sub(" ", name)).split()
    return ["holding" if w == "holdings" else w for w in words]


def normalise_name(name: str) -> str:
    """The grouping key of a registered name: lower case, punctuation and trailing legal forms gone."""
    words = _tokens(name)
    changed = True
    while changed and len(words) > 1:
        changed = False
        for form in LEGAL_FORMS:
            parts = form.split()
            if len(words) > len(parts) and words[-len(parts):] == parts:
                words = words[:-len(parts)]
                changed = True
                break
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def name_variants(norm: str) -> list[str]:
    """The normalised name and the shorter forms left after dropping trailing descriptors, longest first."""
    words = norm.split()
    out = [norm] if norm else []
    while len(words) > 1 and words[-1] in DESCRIPTORS:
        words = words[:-1]
        out.append(" ".join(words))
    return out


def text_key(text: str) -> str:
    """The text lower-cased with every non-word character a space, same length as the text."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return _NON_WORD_NOR_SPACE.sub(" ", lowered)


def website_domain(url: str | None) -> str | None:
    """'http://www.asml.com/en' → 'asml.com'; None for an empty value."""
    if not url:
        return None
    host = re.sub(r"^[a-z]+://", "", url.strip().lower()).split("/")[0].split(":")[0]
    host = host[4:] if host.startswith("www.") else host
    return host or None
