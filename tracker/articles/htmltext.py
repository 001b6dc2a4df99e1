"""Main text of a news web page with the standard library's HTML parser.

Keeps headings, paragraphs, list items and quotes; skips scripts, styles, navigation, headers,
footers, asides, forms and anything whose class/id says cookie/consent/share/comment/newsletter.
If the page has an ``<article>`` (or ``<main>``) element, only its text is used. Also picks up the
title and the publication date from the usual meta tags, which a page carries far more reliably
than its body text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_SKIP_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button",
              "svg", "iframe", "select", "template", "figure"}
_BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "div", "section",
               "article", "main", "br", "tr", "dd", "dt", "figcaption", "td", "th"}
# Class/id words of page furniture; matched at the start of a word part so that "unavailable"
# or "canvas" are not mistaken for "nav".
_NOISE_ATTR = re.compile(r"(?<![a-z])(?:cookie|consent|share|sharing|social|comment|newsletter|related|promo|advert|"
                         r"ads?(?![a-z])|banner|breadcrumb|subscribe|paywall|teaser-list|footer|nav)", re.I)
_VOID = {"br", "img", "hr", "meta", "link", "input", "source", "wbr", "area", "base", "col", "embed"}
_DATE_META = ("article:published_time", "og:published_time", "datepublished", "date", "pubdate",
              "publishdate", "dc.date", "dc.date.issued", "sailthru.date", "parsely-pub-date")


@dataclass
class HtmlDoc:
    text: str
    title: str | None = None
    published: str | None = None     # raw meta/time value, e.g. '2025-09-12T08:15:00+02:00'
    lang: str | None = None
    notes: list[str] = field(default_factory=list)


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []   # (tag, skipping)
        self.all_parts: list[str] = []
        self.article_parts: list[str] = []
        self.in_article = 0
        self.title_parts: list[str] = []
        self.in_title = False
        self.h1: str | None = None
        self.h1_parts: list[str] | None = None
        self.meta: dict[str, str] = {}
        self.time_value: str | None = None
        self.lang: str | None = None

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "html" and a.get("lang"):
            self.lang = a["lang"][:2].lower()
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content"):
                self.meta.setdefault(key, a["content"])
            return
        if tag == "time" and a.get("datetime") and self.time_value is None:
            self.time_value = a["datetime"]
        if tag == "title":
            self.in_title = True
        if tag in _VOID:
            if tag == "br":
                self._emit("\n")
            return
        noisy = bool(_NOISE_ATTR.search(a.get("class", "") + " " + a.get("id", ""))) and tag not in ("article", "main", "body", "html")
        skip = self.skipping or tag in _SKIP_TAGS or noisy
        self.stack.append((tag, skip))
        if tag in ("article", "main") and not skip:
            self.in_article += 1
        if tag == "h1" and self.h1 is None and not skip:
            self.h1_parts = []
        if tag in _BLOCK_TAGS:
            self._emit("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag in _VOID:
            return
        # Pop to the matching tag; tolerate unclosed children (<p> without </p>).
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for t, skip in self.stack[i:]:
                    if t in ("article", "main") and not skip:
                        self.in_article -= 1
                del self.stack[i:]
                break
        if tag == "h1" and self.h1_parts is not None:
            self.h1 = " ".join("".join(self.h1_parts).split()) or None
            self.h1_parts = None
        if tag in _BLOCK_TAGS:
            self._emit("\n")

    def handle_data(self, data):
        if self.in_title:
            self.title_parts.append(data)
            return
        if self.skipping:
            return
        # Line breaks inside a paragraph are source formatting; paragraphs come from block tags.
        data = re.sub(r"\s+", " ", data)
        if self.h1_parts is not None:
            self.h1_parts.append(data)
        self._emit(data)

    def _emit(self, s: str) -> None:
        self.all_parts.append(s)
        if self.in_article > 0:
            self.article_parts.append(s)


def _tidy(parts: list[str]) -> str:
    lines = [" ".join(line.split()) for line in "".join(parts).split("\n")]
    return "\n".join(line for line in lines if line)


def extract_html(html: str) -> HtmlDoc:
    parser = _Extractor()
    parser.feed(html)
    parser.close()
    article = _tidy(parser.article_parts)
    text = article if len(article) >= 200 else _tidy(parser.all_parts)
    title = parser.meta.get("og:title") or parser.h1 or (" ".join("".join(parser.title_parts).split()) or None)
    published = next((parser.meta[k] for k in _DATE_META if parser.meta.get(k)), None) or parser.time_value
    return HtmlDoc(text=text, title=title, published=published, lang=parser.lang)
