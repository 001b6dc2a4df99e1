"""The German-aware sentence splitter: every hard case from the research note §2.4/§5."""

from __future__ import annotations

import pytest

from tracker.articles.ingest import read_articles
from tracker.articles.sentences import sentences, split_sentences


@pytest.mark.parametrize("sentence", [
    "Am 18. September gab Huawei erstmals seinen Dreijahresplan bekannt.",
    "Im 2. Quartal stieg der Umsatz um 3,5 Mrd. Euro.",
    "Der Gewinn lag bei 1,2 Mio. Dollar und damit 2,88 % höher.",
    "Werbepartner wie z. B. LinkedIn, z.B. Google und u. a. Meta erhalten Daten.",
    "Dr. Wang von der Nr. 1 im Markt sprach.",
    "Semiconductor Manufacturing International Corp. (SMIC) testet Anlagen.",
    "Alibaba (9988.HK) und Cambricon (688256.SS) stiegen, JD.com fiel.",
    "Die Vogel GmbH & Co. KG, Max-Planckstr. 7-9, 97082 Würzburg ist gemeint.",
    "U.S. regulators acted against Nvidia Inc. on Tuesday.",
    "Am 1. Januar 2025 trat die Regel in Kraft.",
])
def test_kept_in_one_sentence(sentence):
    text = f"Vorher ein Satz. {sentence} Danach noch einer."
    assert sentences(text) == ["Vorher ein Satz.", sentence, "Danach noch einer."]


def test_ordinary_boundaries():
    text = 'Die Aktie hat sich 2025 verdoppelt. Der Gründer hält 29 %. "Ist das gut?" Ja! Es stieg um 13. Die Zahl.'
    assert sentences(text) == ["Die Aktie hat sich 2025 verdoppelt.", "Der Gründer hält 29 %.", '"Ist das gut?"',
                               "Ja!", "Es stieg um 13.", "Die Zahl."]


def test_quote_then_attribution_then_new_quote():
    text = '"Huawei hat eine Roadmap angekündigt", sagte Dai, Analyst bei Forrester. "Obwohl Huawei zurückliegt, holt es auf."'
    assert sentences(text) == ['"Huawei hat eine Roadmap angekündigt", sagte Dai, Analyst bei Forrester.',
                               '"Obwohl Huawei zurückliegt, holt es auf."']


def test_lines_bullets_and_headings_are_boundaries():
    text = ("Cloudwalk Technologies könnte es noch vor SenseTime schaffen\n"
            "- Nvidia stellte die Produktion ein; Peking riet ab. DeepSeek hat sein Modell aktualisiert.\n"
            "📌 Cambricon ist ein Symbol geworden\n"
            "\n"
            "* Zweiter Punkt ohne Punkt")
    assert sentences(text) == [
        "Cloudwalk Technologies könnte es noch vor SenseTime schaffen",
        "Nvidia stellte die Produktion ein; Peking riet ab.",
        "DeepSeek hat sein Modell aktualisiert.",
        "Cambricon ist ein Symbol geworden",
        "Zweiter Punkt ohne Punkt",
    ]


def test_numbered_line_starting_with_ordinal_is_not_a_bullet():
    assert sentences("2. Quartal: Umsatz stieg.\n3. Alibaba legte zu.") == ["2. Quartal: Umsatz stieg.", "Alibaba legte zu."]


def test_offsets_are_exact_and_cover_every_character_of_words(seeds_dir):
    articles, _ = read_articles([seeds_dir])
    for article in articles:
        text = article.text
        spans = split_sentences(text)
        assert spans == sorted(spans)
        covered = set()
        for start, end in spans:
            chunk = text[start:end]
            assert chunk == chunk.strip() and chunk
            covered.update(range(start, end))
        # Every letter of the article is inside some sentence except bullet markers.
        missed = [i for i, ch in enumerate(text) if ch.isalnum() and i not in covered]
        assert missed == []


def test_seed_002_date_stays_with_event(seeds_dir):
    articles, _ = read_articles([seeds_dir / "002_b840a97efe982abf.txt"])
    found = [s for s in sentences(articles[0].text) if s.startswith("Am 18. September")]
    assert found == ["Am 18. September gab Huawei erstmals seinen Dreijahresplan für die Chipentwicklung bekannt "
                     "und betonte dabei die Pläne zum Aufbau von \"Supercomputer-Clustern\" mit Hochgeschwindigkeits-"
                     "KI-Chips, um die in China begrenzte Produktlinie von Nvidia für Prozessorbeschleuniger zu ersetzen."]
