"""Intake: reading files and folders, manifest dates, encodings, HTML, boilerplate, bad input."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from tracker.articles.boilerplate import clean, normalise
from tracker.articles.docmeta import detect_language, infer_published
from tracker.articles.ingest import MAX_BYTES, read_articles, store_articles
from tracker.articles.sentences import split_sentences

GERMAN = ("Alibaba hat diese Woche 3,2 Milliarden US-Dollar an Wandelanleihen aufgenommen, um das größte "
          "KI-Budget des Landes zu finanzieren. Die Aktie stieg in Hongkong um mehr als 7 %.\n")
ENGLISH = ("Alibaba raised $3.2 billion in convertible bonds this week to fund the largest AI budget in the "
           "country. The shares rose more than 7% in Hong Kong, and the company said it will invest more.\n")


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _by_file(problems):
    return {p.file: p for p in problems}


# --- the seeds ---------------------------------------------------------------------------------

def test_seeds_read_with_manifest_dates(seeds_dir):
    articles, problems = read_articles([seeds_dir])
    assert [a.file[:3] for a in articles] == ["000", "001", "002", "003", "004"]
    assert not [p for p in problems if p.severity == "error"]
    by = {a.file[:3]: a for a in articles}
    assert by["000"].published == date(2021, 8, 30)
    assert by["004"].published == date(2025, 9, 12)
    assert all(a.published_source == "manifest" and a.language == "de" for a in articles)


def test_seed_000_consent_block_dropped_and_offsets_exact(seeds_dir):
    articles, _ = read_articles([seeds_dir / "000_439ff119099e6294.txt"])
    text = articles[0].text
    for junk in ("Selbstverständlichkeit", "Einwilligung", "Recht auf Widerruf", "Mir ist bewusst",
                 "Henrik Bork ist Analyst", "Stand: 08.12.2025", "LinkedIN"):
        assert junk not in text
    # The article text on both sides of the consent block survives.
    assert "beschleunigt der chinesische Staat die Digitalisierung" in text
    assert "Erfolge mit der Digitalisierung von städtischen und kommunalen Dienstleistungen" in text
    evidence = ("SenseTime war schon 2019 in Washington auf die sogenannte \"Entity List\", eine schwarze "
                "Liste für Hochtechnologie-Exporte, gesetzt worden.")
    spans = [(s, e) for s, e in split_sentences(text) if text[s:e] == evidence]
    assert len(spans) == 1
    start, end = spans[0]
    assert text[start:end] == evidence and start == text.index(evidence)


def test_seed_tails_dropped(seeds_dir):
    articles, _ = read_articles([seeds_dir])
    by = {a.file[:3]: a.text for a in articles}
    assert "Kommentar (0)" not in by["002"] and "Quelle: https" not in by["002"] and "(TTXVN/Vietnam+)" not in by["002"]
    assert "Kommentare lesen" not in by["004"] and "FMW/Bloomberg" not in by["004"]
    assert "|" not in by["001"] and "---" not in by["001"]
    assert by["001"].count("Hongkongs Aufstieg: KI-Hotspot") == 1   # title printed three times
    assert "Was Bloomberg Intelligence sagt:" in by["004"]           # a heading, not boilerplate


# --- normalisation and boilerplate -------------------------------------------------------------

def test_normalise_quotes_dashes_and_nfc():
    decomposed = "Bo\u0308rse \u201evier KI-Drachen\u201c \u2013 Alibaba\u2019s \u00bbQwen\u00ab\r\nZeile"
    assert normalise(decomposed) == "Börse \"vier KI-Drachen\" - Alibaba's \"Qwen\"\nZeile"


@pytest.mark.parametrize("line", [
    "Kommentare lesen und schreiben, hier klicken", "Kommentar (0)", "Quelle: https://example.com/a",
    "https://example.com/x", "(dpa)", "(TTXVN/Vietnam+)", "FMW/Bloomberg", "Details | |", "---|---|",
    "Ort | Hongkong, China |", "Quellen |", "Artikel teilen", "Stand: 08.12.2025",
    "Wir verwenden Cookies, um Ihnen das beste Nutzererlebnis zu bieten.",
    "* Henrik Bork ist Analyst bei Asia Waypoint, einem Beratungsunternehmen in Peking.",
])
def test_boilerplate_lines_dropped(line):
    text, dropped = clean(f"Alibaba hat Anleihen platziert.\n{line}\nBaidu legte zu.")
    assert text == "Alibaba hat Anleihen platziert.\nBaidu legte zu."
    assert [d.line for d in dropped] == [line]


@pytest.mark.parametrize("line", [
    "Teilen der Belegschaft droht die Kündigung.",
    "Newsletter-Anbieter Substack sammelt 100 Millionen Dollar ein.",
    "Reuters berichtet, Alibaba plane einen Börsengang in Hongkong",
    "AP Moller Maersk steigert den Gewinn",
    "Werbung für Alibaba-Produkte wirkt.",
    "Quellen im Umfeld von Alibaba bestätigten den Bericht.",
])
def test_article_lines_that_look_like_boilerplate_are_kept(line):
    assert clean(line) == (line, [])


def test_article_about_data_protection_is_kept():
    line = "Die Datenschutzbehörde verhängte gegen Meta eine Strafe von 1,2 Milliarden Euro wegen Datentransfers in die USA."
    assert clean(line)[0] == line


# --- publication dates -------------------------------------------------------------------------

def test_manifest_date_wins_and_unlisted_file_is_inferred(tmp_path):
    _write(tmp_path, "a.txt", "Stand: 01.09.2025\n" + GERMAN)
    _write(tmp_path, "b.txt", "Am 03.09.2025 meldete Alibaba Zahlen. " + GERMAN)
    _write(tmp_path, "manifest.toml", '[[article]]\nfile = "a.txt"\npublished = 2025-09-12\nsource = "Bloomberg"\nbasis = "wire"\n')
    articles, problems = read_articles([tmp_path], today=date(2026, 1, 1))
    a, b = articles
    assert (a.published, a.published_source, a.source, a.published_basis) == (date(2025, 9, 12), "manifest", "Bloomberg", "wire")
    assert (b.published, b.published_source) == (date(2025, 9, 3), "inferred")
    assert "latest full date" in b.published_basis
    (problem,) = problems   # the inferred date is worth a warning; the manifest's is not
    assert (problem.file, problem.severity) == ("b.txt", "warning") and "inferred" in problem.message


def test_stand_stamp_is_inferred_as_last_updated(tmp_path):
    _write(tmp_path, "a.txt", GERMAN + "Im Jahr 2018 war es anders.\nStand: 08.12.2025\nMehr Text hier.\n")
    (article,), problems = read_articles([tmp_path], today=date(2026, 1, 1))
    assert article.published == date(2025, 12, 8) and article.published_source == "inferred"
    assert "Stand: 08.12.2025" in article.published_basis and "last-updated" in article.published_basis
    assert "Stand:" not in article.text


def test_dateline_beats_later_dates():
    raw = "Hongkong, 12.09.2025 - Alibaba meldete Zahlen.\nDie Anleihe läuft bis 15.03.2030.\n"
    assert infer_published(raw, today=date(2026, 1, 1)) == (date(2025, 9, 12), 'dateline "12.09.2025"')


def test_future_dates_are_not_publication_dates():
    assert infer_published("Die Anleihe läuft bis 15.03.2030.", today=date(2026, 1, 1)) == (None, None)


def test_no_date_anywhere_is_a_warning(tmp_path):
    _write(tmp_path, "a.txt", GERMAN)
    (article,), problems = read_articles([tmp_path])
    assert article.published is None and article.published_source == "none"
    assert len(problems) == 1 and problems[0].severity == "warning" and problems[0].file == "a.txt"
    assert "manifest.toml" in problems[0].message


# --- encodings ---------------------------------------------------------------------------------

def test_cp1252_is_detected_and_reported(tmp_path):
    _write(tmp_path, "a.txt", ("Größter Börsengang für „Alibaba“ – " + GERMAN).encode("cp1252"))
    (article,), problems = read_articles([tmp_path])
    assert article.text.startswith('Größter Börsengang für "Alibaba" - Alibaba hat')
    assert article.encoding == "cp1252"
    assert problems[0].severity == "warning" and "cp1252" in problems[0].message and problems[0].file == "a.txt"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_bom_encodings(tmp_path, encoding):
    _write(tmp_path, "a.txt", ("Börse: " + GERMAN).encode(encoding))
    (article,), problems = read_articles([tmp_path])
    assert article.text.startswith("Börse: Alibaba") and not [p for p in problems if p.severity == "error"]


def test_unreadable_encoding_is_an_error(tmp_path):
    _write(tmp_path, "cn.txt", "阿里巴巴本周发行了32亿美元的可转换债券，用于人工智能基础设施。".encode("gbk") * 5)
    _write(tmp_path, "ok.txt", GERMAN)
    articles, problems = read_articles([tmp_path])
    assert [a.file for a in articles] == ["ok.txt"]
    problem = _by_file(problems)["cn.txt"]
    assert problem.severity == "error" and "UTF-8" in problem.message and "\n" not in problem.message


# --- bad input ---------------------------------------------------------------------------------

def test_bad_files_each_reported_others_processed(tmp_path):
    _write(tmp_path, "empty.txt", "")
    _write(tmp_path, "binary.txt", b"\x00\x01\x02binary\x00" * 100)
    _write(tmp_path, "doc.html", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    _write(tmp_path, "ok.txt", GERMAN)
    articles, problems = read_articles([tmp_path])
    assert [a.file for a in articles] == ["ok.txt"]
    problems = [p for p in problems if p.file != "ok.txt"]   # ok.txt only warns: no date
    by = _by_file(problems)
    assert "empty" in by["empty.txt"].message
    assert "binary" in by["binary.txt"].message
    assert "PDF" in by["doc.html"].message
    for p in problems:
        assert p.severity == "error" and "\n" not in p.message
        assert str(p).startswith(f"error: {p.file}: ")


def test_huge_file_refused_without_reading_it(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:   # sparse: 50 MB on paper, nothing on disk
        fh.truncate(50 * 1024 * 1024)
    _write(tmp_path, "ok.txt", GERMAN)
    real_read = Path.read_bytes

    def guarded(self):
        assert self.name != "big.txt", "the 50 MB file must not be read"
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", guarded)
    started = time.perf_counter()
    articles, problems = read_articles([tmp_path])
    assert time.perf_counter() - started < 1.0
    assert [a.file for a in articles] == ["ok.txt"]
    (problem,) = [p for p in problems if p.severity == "error"]
    assert problem.file == "big.txt" and "52 MB" in problem.message and "limit" in problem.message
    assert 50 * 1024 * 1024 > MAX_BYTES


def test_malformed_manifest_reported_articles_still_read(tmp_path):
    _write(tmp_path, "ok.txt", GERMAN)
    _write(tmp_path, "manifest.toml", '[[article]]\nfile = "ok.txt"\npublished = 2025-09-12\nbroken = \n')
    articles, problems = read_articles([tmp_path])
    assert [a.file for a in articles] == ["ok.txt"] and articles[0].published_source != "manifest"
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == 1 and errors[0].file == str(tmp_path / "manifest.toml") and "not valid TOML" in errors[0].message
    assert "\n" not in errors[0].message


def test_manifest_naming_missing_file(tmp_path):
    _write(tmp_path, "ok.txt", GERMAN)
    _write(tmp_path, "manifest.toml",
           '[[article]]\nfile = "gone.txt"\npublished = 2025-09-12\n\n[[article]]\nfile = "ok.txt"\npublished = 2025-09-11\n')
    articles, problems = read_articles([tmp_path])
    assert articles[0].published == date(2025, 9, 11)
    (problem,) = problems
    assert problem.file == "gone.txt" and "manifest.toml" in problem.message and problem.severity == "error"


def test_manifest_bad_date_value_warns_and_infers(tmp_path):
    _write(tmp_path, "ok.txt", GERMAN)
    _write(tmp_path, "manifest.toml", '[[article]]\nfile = "ok.txt"\npublished = "next friday"\n')
    articles, problems = read_articles([tmp_path])
    assert articles[0].published_source == "none"
    assert any("next friday" in p.message and p.severity == "warning" for p in problems)


def test_missing_path_and_unsupported_type(tmp_path):
    pdf = _write(tmp_path, "x.pdf", b"%PDF")
    articles, problems = read_articles([tmp_path / "nope", pdf])
    assert not articles
    assert {p.file for p in problems} == {str(tmp_path / "nope"), str(pdf)}


# --- formats -----------------------------------------------------------------------------------

HTML = """<!doctype html><html lang="de"><head><title>Alibaba | Seite</title>
<meta property="article:published_time" content="2025-09-12T08:15:00+02:00">
<script>var x = "Alibaba kauft alles";</script><style>p {color: red}</style></head>
<body><nav><a href="/">Startseite</a> <a href="/tech">Tech</a></nav>
<div class="cookie-banner"><p>Wir verwenden Cookies. Alle akzeptieren</p></div>
<article><h1>Alibaba sammelt Milliarden ein</h1>
<p>Alibaba hat diese Woche 3,2 Milliarden US-Dollar an Wandelanleihen aufgenommen, um das
größte KI-Budget des Landes zu finanzieren.</p><p>Die Aktie stieg in Hongkong um mehr als 7&nbsp;%.</p>
<div class="share-buttons"><a>Auf Facebook teilen</a></div>
<ul><li>Baidu legte zweistellig zu.</li></ul></article>
<aside><p>Lesen Sie auch: Tencent</p></aside><footer>Impressum</footer></body></html>"""


def test_html_main_text_title_and_meta_date(tmp_path):
    _write(tmp_path, "page.html", HTML)
    (article,), problems = read_articles([tmp_path])
    assert article.text == (
        "Alibaba sammelt Milliarden ein\nAlibaba hat diese Woche 3,2 Milliarden US-Dollar an Wandelanleihen "
        "aufgenommen, um das größte KI-Budget des Landes zu finanzieren.\nDie Aktie stieg in Hongkong um mehr "
        "als 7 %.\nBaidu legte zweistellig zu."
    )
    assert article.title == "Alibaba sammelt Milliarden ein"
    assert (article.published, article.published_source) == (date(2025, 9, 12), "inferred")
    assert "HTML metadata" in article.published_basis


def test_markdown_formatting_removed(tmp_path):
    _write(tmp_path, "a.md", "# Alibaba sammelt Geld\n\n**Alibaba** hat [Wandelanleihen](https://x.y) *platziert*.\n")
    (article,), _ = read_articles([tmp_path])
    assert article.text == "Alibaba sammelt Geld\n\nAlibaba hat Wandelanleihen platziert."


def test_language_detection():
    assert detect_language(GERMAN * 2) == "de"
    assert detect_language(ENGLISH * 2) == "en"
    assert detect_language("12345 67890") == "unknown"


def test_english_article_detected(tmp_path):
    _write(tmp_path, "en.txt", ENGLISH)
    (article,), _ = read_articles([tmp_path])
    assert article.language == "en"


# --- storing -----------------------------------------------------------------------------------

def test_store_articles_upserts(con, seeds_dir, tmp_path):
    articles, _ = read_articles([seeds_dir])
    assert store_articles(con, articles) == 5
    assert store_articles(con, articles) == 5
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
    articles[0].text = "replaced"
    store_articles(con, articles[:1])
    row = con.execute("SELECT text, published, published_source FROM articles WHERE file = ?", [articles[0].file]).fetchone()
    assert row == ("replaced", date(2021, 8, 30), "manifest")
