"""Intake: article files and folders → cleaned ``Article`` records plus per-file ``Problem``s.

A folder may hold a ``manifest.toml`` with one ``[[article]]`` table per file::

    [[article]]
    file = "004_e364ef39556d80bb.txt"
    published = 2025-09-12          # TOML date or "YYYY-MM-DD"; a time with its zone
                                    # ("2025-09-11T21:30-04:00") lets relative dates use the market's day
    language = "de"                 # optional; detected otherwise
    source = "FMW/Bloomberg"        # optional
    url = "https://..."             # optional
    basis = "Bloomberg wire of ..." # optional: why this date

Without a manifest entry the publication date is inferred from the text (``published_source =
'inferred'`` with its basis) or left empty with a warning. One bad file never stops the others: it
becomes a ``Problem`` whose message is one line naming the file.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from tracker.articles.boilerplate import clean, normalise
from tracker.articles.docmeta import detect_language, infer_published, parse_date, parse_datetime
from tracker.articles.htmltext import extract_html

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
MAX_BYTES = 10 * 1024 * 1024
MANIFEST = "manifest.toml"
_MAGIC = {b"%PDF": "a PDF", b"\x89PNG": "a PNG image", b"PK\x03\x04": "a ZIP/Office file",
          b"GIF8": "a GIF image", b"\xff\xd8\xff": "a JPEG image", b"\x7fELF": "an executable",
          b"\xd0\xcf\x11\xe0": "an old Office file"}


@dataclass
class Article:
    file: str
    path: Path
    text: str                      # cleaned text; evidence offsets refer to it
    language: str
    published: date | None
    published_source: str          # 'manifest' | 'inferred' | 'none'
    published_basis: str | None
    source: str | None
    url: str | None
    title: str | None
    sha1: str
    encoding: str = "utf-8"
    published_at: datetime | None = None   # the publication instant, when the source gives a time and zone


@dataclass
class Problem:
    file: str                      # the article's file name, or the path of a manifest/argument
    message: str
    severity: str                  # 'error' (file skipped) | 'warning'

    def __str__(self) -> str:
        return f"{self.severity}: {self.file}: {self.message}"


class _Skip(Exception):
    """A file that cannot be read; the message becomes an error Problem."""


def read_articles(paths: list[Path], today: date | None = None) -> tuple[list[Article], list[Problem]]:
    """Read files and/or folders (non-recursive); each folder's manifest.toml supplies dates."""
    problems: list[Problem] = []
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SUFFIXES)
        elif p.is_file():
            if p.name == MANIFEST:
                continue
            if p.suffix.lower() not in SUFFIXES:
                problems.append(Problem(str(p), f"unsupported file type {p.suffix or '(none)'}; use .txt, .md or .html", "error"))
                continue
            files.append(p)
        else:
            problems.append(Problem(str(p), "no such file or folder", "error"))
    manifests: dict[Path, dict[str, dict]] = {}
    folders = list(dict.fromkeys([f.parent for f in files] + [p for p in map(Path, paths) if p.is_dir()]))
    for folder in folders:
        manifests[folder] = _read_manifest(folder, problems)
    articles: list[Article] = []
    seen: set[str] = set()
    for f in files:
        if f.name in seen:
            problems.append(Problem(f.name, f"{f} has the same file name as an article already read; rename one", "warning"))
            continue
        entry = manifests.get(f.parent, {}).get(f.name)
        try:
            article = _read_one(f, entry, problems, today)
        except _Skip as exc:
            problems.append(Problem(f.name, str(exc), "error"))
            continue
        seen.add(f.name)
        articles.append(article)
    return articles, problems


def _read_manifest(folder: Path, problems: list[Problem]) -> dict[str, dict]:
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        reason = str(exc).splitlines()[0]
        problems.append(Problem(str(path), f"not valid TOML ({reason}); dates will be inferred from the texts until it is fixed", "error"))
        return {}
    entries: dict[str, dict] = {}
    for i, entry in enumerate(data.get("article", []), 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            problems.append(Problem(str(path), f"[[article]] number {i} has no file = \"...\"; add the file name", "error"))
            continue
        name = entry["file"]
        if not (folder / name).is_file():
            problems.append(Problem(name, f"listed in {path} but not in {folder}; fix the name or remove the entry", "error"))
            continue
        if "published" in entry and parse_date(entry["published"]) is None:
            problems.append(Problem(name, f"published = {entry['published']!r} in {path} is not a date (use YYYY-MM-DD); inferring it from the text", "warning"))
        entries[name] = entry
    return entries


def _decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding). UTF-8 (with or without BOM) and UTF-16 with BOM, else cp1252 if plausible."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _Skip("starts like UTF-16 but does not decode; save it as UTF-8") from exc
    head = raw[:65536]
    for magic, what in _MAGIC.items():
        if raw.startswith(magic):
            raise _Skip(f"is {what}, not text; convert it to .txt/.md/.html")
    if b"\x00" in head:
        raise _Skip("is binary (contains NUL bytes), not text; convert it to .txt/.md/.html")
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(raw):
        return raw.decode("utf-8-sig", errors="replace"), "utf-8 (with invalid bytes replaced)"
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise _Skip("is neither UTF-8 nor Windows-1252/Latin-1; save it as UTF-8") from exc
    if not _plausible_western(text):
        raise _Skip("is not UTF-8 and does not look like Windows-1252/Latin-1 text either; save it as UTF-8")
    return text, "cp1252"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_UTF8_SEQ = re.compile(rb"[\xc2-\xf4][\x80-\xbf]{1,3}")
_HIGH = re.compile(rb"[\x80-\xff]")


def _mostly_utf8(raw: bytes) -> bool:
    """A UTF-8 file with a few corrupt bytes: decode it as UTF-8 rather than as mojibake cp1252."""
    good = sum(len(m) for m in _UTF8_SEQ.findall(raw))
    high = len(_HIGH.findall(raw))
    return high > 0 and good >= 0.9 * high


def _plausible_western(text: str) -> bool:
    """Mojibake from CJK or other multi-byte encodings shows runs of accented letters and symbols;
    real German/French text has isolated umlauts between ASCII letters."""
    high = [i for i, ch in enumerate(text) if ord(ch) > 127]
    if not high:
        return True
    in_runs = sum(1 for i in high if (i + 1 < len(text) and ord(text[i + 1]) > 127) or (i > 0 and ord(text[i - 1]) > 127))
    return in_runs / len(high) < 0.5 or len(high) / max(1, len(text)) < 0.01


def _read_one(f: Path, entry: dict | None, problems: list[Problem], today: date | None) -> Article:
    size = f.stat().st_size  # before reading: a 50 MB file is refused without loading it
    if size == 0:
        raise _Skip("is empty; remove it or add the article text")
    if size > MAX_BYTES:
        raise _Skip(f"is {size / 1e6:.0f} MB, over the {MAX_BYTES // (1024 * 1024)} MB limit for one article; split it or remove it")
    raw = f.read_bytes()
    text, encoding = _decode(raw)
    if encoding != "utf-8":
        problems.append(Problem(f.name, f"not UTF-8, read as {encoding}; check the umlauts or save it as UTF-8", "warning"))
    control = len(_CONTROL.findall(text, 0, 65536))
    if control > 0.05 * min(len(text), 65536):
        raise _Skip("is binary (many control characters), not text; convert it to .txt/.md/.html")
    title = meta_published = html_lang = None
    if f.suffix.lower() in (".html", ".htm"):
        doc = extract_html(text)
        body, title, meta_published, html_lang = doc.text, doc.title, doc.published, doc.lang
    elif f.suffix.lower() in (".md", ".markdown"):
        body = _markdown_to_text(text)
    else:
        body = text
    body = normalise(body)
    cleaned, _dropped = clean(body)
    if not cleaned.strip():
        raise _Skip("has no article text left after removing boilerplate; check that it is a news article")
    entry = entry or {}
    language = entry.get("language") or detect_language(cleaned)
    if language == "unknown" and html_lang in ("de", "en"):
        language = html_lang
    published = parse_date(entry.get("published"))
    published_at = parse_datetime(entry.get("published"))
    source, basis = "manifest", entry.get("basis")
    if published is None and meta_published and parse_date(meta_published):
        published, source, basis = parse_date(meta_published), "inferred", f'HTML metadata "{meta_published}"'
        published_at = parse_datetime(meta_published)
    if published is None:
        published, basis = infer_published(body, today)
        source = "inferred" if published else "none"
        if published is not None:
            problems.append(Problem(f.name, f"publication date {published} inferred from the {basis}; "
                                            f"put the real date in {MANIFEST} if it is known", "warning"))
        else:
            problems.append(Problem(f.name, f"no publication date (not in {MANIFEST}, none found in the text); "
                                            f"add it to {MANIFEST} or its events cannot be dated", "warning"))
    return Article(
        file=f.name, path=f, text=cleaned, language=language, published=published,
        published_source=source, published_basis=basis, source=entry.get("source"), url=entry.get("url"),
        title=entry.get("title") or title or _first_line_title(cleaned), sha1=hashlib.sha1(raw).hexdigest(),
        encoding=encoding, published_at=published_at,
    )


def _markdown_to_text(text: str) -> str:
    text = re.sub(r"^\s{0,3}#{1,6}\s*", "", text, flags=re.MULTILINE)          # headings
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)                           # images
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)                       # links keep their text
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)                            # bold
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)   # italics
    text = re.sub(r"^\s{0,3}>\s?", "", text, flags=re.MULTILINE)               # quotes
    return text


def _first_line_title(text: str, limit: int = 160) -> str | None:
    line = next((ln.strip() for ln in text.split("\n") if ln.strip()), "")
    if len(line) <= limit:
        return line or None
    return line[:limit].rsplit(" ", 1)[0] + " ..."


def store_articles(con, articles: list[Article]) -> int:
    """Insert or replace one row per article (keyed by file name). Returns the number written."""
    from tracker.db import read_sql

    import pyarrow as pa

    if not articles:
        return 0
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    text = pa.string()
    staged_articles = pa.table({
        "file": pa.array([a.file for a in articles], text), "path": pa.array([str(a.path) for a in articles], text),
        "sha1": pa.array([a.sha1 for a in articles], text), "language": pa.array([a.language for a in articles], text),
        "published": pa.array([a.published for a in articles], pa.date32()),
        "published_source": pa.array([a.published_source for a in articles], text),
        "published_basis": pa.array([a.published_basis for a in articles], text),
        "source": pa.array([a.source for a in articles], text), "url": pa.array([a.url for a in articles], text),
        "title": pa.array([a.title for a in articles], text), "text": pa.array([a.text for a in articles], text),
        "encoding": pa.array([a.encoding for a in articles], text),
        "ingested_at": pa.array([now] * len(articles), pa.timestamp("us")),
    })
    # one staged batch (a statement per row costs DuckDB milliseconds each), which DuckDB reads
    # through the local name staged_articles (a replacement scan)
    con.execute(read_sql("queries/extract_articles_upsert_staged.sql"))
    return len(articles)
