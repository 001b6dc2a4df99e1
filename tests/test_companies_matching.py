"""Company mentions: German morphology, guards for ambiguous names, and the seeds."""

from __future__ import annotations

import pytest

from tracker.companies.registry import Mention, load_registry


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def found(registry, text: str) -> list[tuple[str, str]]:
    return [(m.surface, m.company) for m in registry.match(text)]


def companies(registry, text: str) -> set[str]:
    return {m.company for m in registry.match(text)}


# -- German morphology -----------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, surface, company",
    [
        ("Alibabas Cloud-Umsatz wuchs", "Alibabas", "alibaba"),
        ("Nvidias H2O-Chips", "Nvidias", "nvidia"),
        ("Huaweis Roadmap", "Huaweis", "huawei"),
        ("AMDs neue GPU", "AMDs", "amd"),
        ("Alibaba's cloud unit", "Alibaba's", "alibaba"),
        ("Baidu’s chips", "Baidu’s", "baidu"),
    ],
)
def test_genitive_is_part_of_the_mention(registry, text, surface, company):
    mention = registry.match(text)[0]
    assert (mention.surface, mention.company) == (surface, company)
    assert text[mention.start:mention.end] == surface


@pytest.mark.parametrize(
    "text, surface, company",
    [
        ("Die Baidu-Aktie stieg", "Baidu", "baidu"),
        ("Kursanstieg der Alibaba-Aktien", "Alibaba", "alibaba"),
        ("Kontrollen bei Nvidia-Chips", "Nvidia", "nvidia"),
        ("der Nvidia-Chef Jensen Huang", "Nvidia", "nvidia"),
        ("viele weitere ‚DeepSeek-Momente‘", "DeepSeek", "deepseek"),
        ("Die Cambricon-Aktie verdoppelte sich", "Cambricon", "cambricon"),
        ("Ex-Intel-Manager", "Intel", "intel"),
    ],
)
def test_hyphen_compounds_name_the_company(registry, text, surface, company):
    assert found(registry, text) == [(surface, company)]


def test_quotes_around_names(registry):
    assert found(registry, "„Alibaba“, ‚Baidu‘ und \"Nvidia\"") == [
        ("Alibaba", "alibaba"), ("Baidu", "baidu"), ("Nvidia", "nvidia"),
    ]


def test_longest_alias_wins_and_mentions_do_not_overlap(registry):
    text = "Die Aktie der Alibaba Group Holding stieg; Semiconductor Manufacturing International Corp (SMIC) auch."
    mentions = registry.match(text)
    assert [(m.surface, m.alias, m.company) for m in mentions] == [
        ("Alibaba Group Holding", "Alibaba Group Holding", "alibaba"),
        ("Semiconductor Manufacturing International Corp", "Semiconductor Manufacturing International Corp", "smic"),
        ("SMIC", "SMIC", "smic"),
    ]
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:]))


def test_longer_alias_of_another_company_wins(registry):
    assert found(registry, "JD Health und JD, Kingsoft Cloud und Kingsoft") == [
        ("JD Health", "jd_health"), ("JD", "jd"), ("Kingsoft Cloud", "kingsoft_cloud"), ("Kingsoft", "kingsoft"),
    ]


def test_space_in_alias_matches_hyphen_and_line_break(registry):
    assert found(registry, "Li-Auto-Aktie, Hua\nHong") == [("Li-Auto", "li_auto"), ("Hua\nHong", "hua_hong")]


def test_case_insensitive_for_distinctive_names(registry):
    assert found(registry, "NVIDIA, nvidia, Sensetime, CloudWalk") == [
        ("NVIDIA", "nvidia"), ("nvidia", "nvidia"), ("Sensetime", "sensetime"), ("CloudWalk", "cloudwalk"),
    ]


def test_chinese_script_inside_running_text(registry):
    assert found(registry, "阿里巴巴集团宣布，华为的芯片") == [("阿里巴巴集团", "alibaba"), ("华为", "huawei")]


def test_offsets_survive_text_whose_lowercase_is_longer(registry):
    # "İ".lower() is two characters, so matching falls back from text.lower() to IGNORECASE.
    text = "İSTANBUL: NVIDIAs Chips, Alibabas Cloud"
    assert len(text.lower()) != len(text)
    mentions = registry.match(text)
    assert [(m.surface, m.company) for m in mentions] == [("NVIDIAs", "nvidia"), ("Alibabas", "alibaba")]
    assert all(text[m.start:m.end] == m.surface for m in mentions)


def test_mention_fields(registry):
    text = "Laut Financial Times testet SMIC inländische Anlagen."
    (mention,) = registry.match(text)
    assert mention == Mention(company="smic", start=text.index("SMIC"), end=text.index("SMIC") + 4, surface="SMIC", alias="SMIC")


# -- guards for short and ambiguous names ------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        "künstliche Intelligenz", "ein intelligenter Assistent", "der Bloomberg-Intelligence-Experte",
        "intelligent systems", "Intelligence", "intel on the deal",
        "schränkt arme Kommunen ein", "Er ist arm", "mit dem Arm", "ARMs are mortgages",
        "Metadaten", "Metall", "meta", "eine Meta-Analyse zeigt",
        "Anteil", "Antwort", "Ant", "Anthropologie",
        "Li Xiang", "Li", "Nio", "nio", "jd", "Jd", "amd", "smic", "Smic",
        "Montage der Anlage", "der Horizon", "the alphabet", "das Alphabet", "google it",
        "open AI models", "black sesame seeds", "the Oracle of Omaha", "Minimax-Algorithmus",
    ],
)
def test_ambiguous_words_are_not_companies(registry, text):
    assert registry.match(text) == []


@pytest.mark.parametrize(
    "text, company",
    [
        ("Arm Holdings", "arm"), ("ARM-Chips", "arm"), ("AMD", "amd"), ("JD.com", "jd"), ("jd.com", "jd"),
        ("JD", "jd"), ("NIO", "nio"), ("SMIC", "smic"), ("Meta", "meta"), ("Metas KI-Modell", "meta"),
        ("Intel", "intel"), ("INTEL", "intel"), ("Apple", "apple"), ("Ant Group", "ant_group"),
        ("Li Auto", "li_auto"), ("Meituan", "meituan"), ("Google-Mutter Alphabet", "alphabet"),
        ("MetaX", "metax"), ("MiniMax", "minimax"), ("Horizon Robotics", "horizon_robotics"),
        ("Montage Technology", "montage"),
    ],
)
def test_guarded_names_still_match_when_meant(registry, text, company):
    assert company in companies(registry, text)


def test_meta_does_not_match_inside_metax(registry):
    assert found(registry, "MetaX") == [("MetaX", "metax")]


# -- tickers written in text ----------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, company",
    [
        ("9988.HK", "alibaba"), ("BABA", "alibaba"), ("NVDA", "nvidia"), ("688256.SS", "cambricon"),
        ("0020.HK", "sensetime"), ("2330.TW", "tsmc"), ("Nasdaq: LI", "li_auto"), ("NASDAQ:MU", "micron"),
        ("NYSE: BABA", "alibaba"),
    ],
)
def test_tickers_in_text_match_their_company(registry, text, company):
    assert companies(registry, f"Die Aktie ({text}) stieg") == {company}


def test_short_tickers_need_an_exchange_prefix(registry):
    assert registry.match("LI und MU und ZK") == []
    assert registry.match("nvda baba") == []


# -- the seeds ---------------------------------------------------------------------------------------

def test_seeds_name_the_expected_companies(registry, seeds_dir):
    seen = set()
    for path in sorted(seeds_dir.glob("*.txt")):
        seen |= companies(registry, path.read_text(encoding="utf-8"))
    expected = {
        "sensetime", "cloudwalk", "yitu", "megvii", "huawei", "alibaba", "nvidia", "baidu", "cambricon",
        "amd", "intel", "asml", "tsmc", "smic", "deepseek", "oracle", "tencent", "jd", "meituan",
        "qualcomm", "softbank",
    }
    assert expected <= seen


def test_seed_false_friends_are_not_matched(registry, seeds_dir):
    texts = {p.name[:3]: p.read_text(encoding="utf-8") for p in seeds_dir.glob("*.txt")}
    for text in texts.values():
        for m in registry.match(text):
            assert text[m.start:m.end] == m.surface
            # Each mention must be the whole word it sits in, apart from a genitive ending.
            assert not text[m.end:m.end + 1].isalnum(), (m, text[m.start:m.end + 10])
            assert m.start == 0 or not text[m.start - 1].isalnum()
    seed_002, seed_003 = texts["002"], texts["003"]
    assert "Bloomberg-Intelligence" in seed_002 and "arme Kommunen" in seed_003
    intel_surfaces = [m.surface for m in registry.match(seed_002) if m.company == "intel"]
    assert intel_surfaces == ["Intel"]  # "Intel sind überholt", not Bloomberg-Intelligence
    assert "arm" not in companies(registry, seed_003)
    assert "künstliche Intelligenz" in texts["000"] and "intel" not in companies(registry, texts["000"])
    assert "ant_group" not in set().union(*(companies(registry, t) for t in texts.values()))


def test_seed_surfaces_of_morphology(registry, seeds_dir):
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt")))
    surfaces = {(m.surface, m.company) for m in registry.match(text)}
    assert ("Nvidias", "nvidia") in surfaces  # "Nvidias H2O-Chips"
    assert ("Cloudwalk Technologies", "cloudwalk") in surfaces
    assert ("Alibaba Group Holding", "alibaba") in surfaces
    assert ("Cambricon Technologies", "cambricon") in surfaces
    assert ("Yitu Technologies", "yitu") in surfaces
    assert ("JD.com", "jd") in surfaces
