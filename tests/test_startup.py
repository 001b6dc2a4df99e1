"""Start-up: the CLI module and the light commands load none of the heavy libraries.

`tracker --help` and `tracker sql "select 1"` must start fast; the heavy imports (pandas, matplotlib, scipy,
yfinance, exchange_calendars, jinja2) belong inside the commands that use them. Each check runs in a fresh
interpreter, because this test process has long imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ["pandas", "matplotlib", "scipy", "yfinance", "exchange_calendars", "jinja2", "pyarrow"]

_PROBE = r"""
import json, sys
from typer.testing import CliRunner
from tracker.cli import app
args = json.loads(sys.argv[1])
result = CliRunner().invoke(app, args) if args else None
print(json.dumps({"exit": result.exit_code if result else 0, "output": result.output if result else "",
                  "loaded": sorted(m for m in json.loads(sys.argv[2]) if m in sys.modules)}))
"""


def _probe(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(args), json.dumps(HEAVY)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_importing_the_cli_loads_no_heavy_library():
    assert _probe([])["loaded"] == []


def test_help_loads_no_heavy_library():
    probe = _probe(["--help"])
    assert probe["exit"] == 0 and "study" in probe["output"]
    assert probe["loaded"] == []


def test_sql_select_loads_no_heavy_library(tmp_path):
    probe = _probe(["--db", str(tmp_path / "t.duckdb"), "sql", "select 41 + 1 AS answer", "--format", "csv"])
    assert probe["exit"] == 0 and probe["output"].splitlines() == ["answer", "42"]
    assert probe["loaded"] == []
