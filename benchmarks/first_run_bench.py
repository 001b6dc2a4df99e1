"""The first `tracker report` on the bundled seeds without network, and the re-run after it.

Runs the command a user types (`tracker report`, no arguments) in a fresh temporary folder with a
new database, twice, and prints wall-clock seconds for each. Without network the first run spends
at most the reachability probe's few seconds on Yahoo and takes the bundled snapshot; the second
asks nobody. With network both runs download what is missing (the second nothing).

    .venv/bin/python benchmarks/first_run_bench.py [--runs 2]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="consecutive runs on the same database")
    args = parser.parse_args()
    tracker = shutil.which("tracker", path=str(Path(sys.executable).parent)) or "tracker"
    with tempfile.TemporaryDirectory() as folder:
        for run in range(1, args.runs + 1):
            started = time.perf_counter()
            done = subprocess.run([tracker, "report", "--out", "report"], cwd=folder, capture_output=True, text=True)
            seconds = time.perf_counter() - started
            notes = [line for line in done.stderr.splitlines() if line.startswith(("note:", "warning: no prices"))]
            print(f"run {run}: {seconds:6.1f} s  exit {done.returncode}  charts "
                  f"{len(list(Path(folder, 'report').glob('*.png')))}")
            for line in notes:
                print(f"        {line[:150]}")


if __name__ == "__main__":
    main()
