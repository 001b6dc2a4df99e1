"""`tracker report` on the seeds and ../shared/prices: what the report may claim (issue 13, report side)."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.report import COUNT_LABELS

pytestmark = pytest.mark.slow


def _reject(token):
    raise ValueError(f"report.json is not strict JSON: {token}")


@pytest.fixture(scope="module")
def seeds_report(tmp_path_factory):
    shared = __import__("tests.conftest", fromlist=["SHARED_PRICES"]).SHARED_PRICES
    if not (shared / "BABA.csv").exists():
        pytest.skip("../shared/prices is not beside the repository")
    work = tmp_path_factory.mktemp("seeds")
    out = work / "report"
    result = CliRunner().invoke(app, ["--db", str(work / "t.duckdb"), "report", "--prices-dir", str(shared),
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output + repr(result.exception)
    html = (out / "index.html").read_text(encoding="utf-8")
    meta = json.loads((out / "report.json").read_text(encoding="utf-8"), parse_constant=_reject)
    return result, out, html, meta


def test_counts_agree_in_cli_html_and_report_json(seeds_report):
    result, _out, html, meta = seeds_report
    line = next(x for x in result.output.splitlines() if COUNT_LABELS["articles"] in x)
    cli = {key: int(re.search(rf"(\d+) {re.escape(label)}", line).group(1)) for key, label in COUNT_LABELS.items()}
    shown = {k: int(v) for k, v in re.findall(r'data-count="(\w+)"><b>(\d+)</b>', html)}
    assert cli == shown == meta["counts"]
    assert meta["counts"]["clusters"] <= meta["counts"]["studied_pairs"]


def test_every_chart_appears_once_and_exists(seeds_report):
    _result, out, html, meta = seeds_report
    sources = re.findall(r'<img src="([^"]+)"', html)
    assert sources and len(sources) == len(set(sources))
    assert all((out / s).is_file() for s in sources)
    assert set(sources) == set(meta["files"]["images"]) == {p.name for p in out.glob("*.png")}


def test_alibaba_12_september_is_one_section_with_both_listings(seeds_report):
    _result, _out, html, _meta = seeds_report
    assert html.count('id="cluster-alibaba-2025-09-12"') == 1
    section = html.split('id="cluster-alibaba-2025-09-12"')[1].split("</details>")[0]
    assert section.count("<img") == 1
    table = section.split('class="cars"')[1]
    assert ">BABA" in table and ">9988.HK" in table


def test_biggest_moves_hold_no_event_dated_coarser_than_a_day(seeds_report):
    _result, _out, html, _meta = seeds_report
    moves = html.split('id="moves-table"')[1].split("</table>")[0]
    assert "Oracle" not in moves  # its outlook is dated to the week of 8 Sep 2025
    assert "Alibaba" in moves
    # one row per cluster, with the CAR of each listing the news was studied on, not only the counted one
    alibaba = [row for row in moves.split("<tr")[1:] if "Alibaba" in row]
    assert len(alibaba) == 1 and "BABA" in alibaba[0] and "9988.HK" in alibaba[0]
