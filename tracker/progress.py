"""How the CLI shows progress on stderr (library functions only call a `progress(str)` callback)."""

from __future__ import annotations

import re
import sys

_STEP = re.compile(r"^(?P<label>.*?)\s*\[(?P<done>\d+)/(?P<total>\d+)\]\s*(?P<rest>.*)$|^(?P<label2>charts) (?P<done2>\d+)/(?P<total2>\d+)$")


class ProgressLine:
    """Progress on stderr: a redrawn bar for counted steps ("prices [3/20] ...", "charts 3/34") on a
    terminal, one line per message elsewhere (logs, CI, pipes)."""

    def __init__(self, stream=None, width: int = 24):
        self.stream = stream or sys.stderr
        self.width = width
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.open = False

    def __call__(self, message: str) -> None:
        match = _STEP.match(message)
        if not (self.tty and match):
            self._end_line()
            print(f"\u00b7 {message}", file=self.stream, flush=True)
            return
        done = int(match["done"] or match["done2"])
        total = max(1, int(match["total"] or match["total2"]))
        label = match["label"] or match["label2"]
        filled = round(self.width * done / total)
        bar = "\u2588" * filled + "\u2591" * (self.width - filled)
        print(f"\r\u00b7 {label:<8} {bar} {done}/{total} {(match['rest'] or '')[:60]:<60}", end="", file=self.stream, flush=True)
        self.open = done < total
        if not self.open:
            print(file=self.stream, flush=True)

    def _end_line(self) -> None:
        if self.open:
            print(file=self.stream, flush=True)
            self.open = False
