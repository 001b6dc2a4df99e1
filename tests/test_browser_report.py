"""Load the report in a real headless Chromium (raw DevTools protocol, no extra package):
no failed request, no console error or warning, every image (a file beside the page) decoded,
collapsed sections open, sorting and filtering work; a full-page screenshot is saved under the
test's tmp dir."""

from __future__ import annotations

import base64
import itertools
import json
import shutil
import subprocess
import time
import urllib.request

import pytest

from report_fixture import PROVENANCE, build_report_db
from tracker.report import write_report

pytestmark = pytest.mark.browser

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"),
                             shutil.which("google-chrome")) if p), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
         "--disable-default-apps", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
         "--window-size=1366,900"]


class Page:
    """A minimal DevTools client: one page target, commands in order, events collected."""

    def __init__(self, ws):
        self.ws = ws
        self.ids = itertools.count(1)
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, timeout: float = 30) -> dict:
        msg_id = next(self.ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params or {}}))
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if message.get("id") == msg_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        for seen in self.events:
            if seen.get("method") == method:
                return seen
        while True:
            message = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            self.events.append(message)
            if message.get("method") == method:
                return message

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        return result["result"].get("value")


@pytest.fixture
def chromium(tmp_path):
    if not CHROMIUM:
        pytest.skip("no chromium installed (apt-get install chromium)")
    profile = tmp_path / "profile"
    proc = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
                             "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.monotonic() > deadline or proc.poll() is not None:
                pytest.fail("chromium did not start its DevTools endpoint")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as resp:
            targets = json.load(resp)
        from websockets.sync.client import connect

        url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
        with connect(url, max_size=None, open_timeout=10) as ws:
            yield Page(ws)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_report_in_headless_chromium(chromium, tmp_path):
    con = build_report_db()
    index = write_report(con, tmp_path / "report", PROVENANCE).index_html
    page = chromium
    for domain in ("Page", "Network", "Runtime", "Log"):
        page.send(f"{domain}.enable")
    page.send("Page.navigate", {"url": index.as_uri()})
    page.wait_for("Page.loadEventFired")
    # Open every collapsed section, then let the decoder finish every image.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.evaluate("Promise.all(Array.from(document.images).map(i => i.decode().catch(() => null)))")

    requests = [e["params"]["request"]["url"] for e in page.events if e.get("method") == "Network.requestWillBeSent"]
    failed = [e["params"] for e in page.events if e.get("method") == "Network.loadingFailed"]
    console_errors = [e["params"] for e in page.events
                      if (e.get("method") == "Runtime.consoleAPICalled"
                          and e["params"]["type"] in ("error", "assert", "warning"))
                      or e.get("method") == "Runtime.exceptionThrown"
                      or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] in ("error", "warning"))]
    assert not failed, failed
    assert not console_errors, console_errors
    assert all(url.startswith(("file:", "data:")) for url in requests), requests

    images = page.evaluate("Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight])")
    assert len(images) >= 4
    assert all(done and w > 0 and h > 0 for done, w, h in images), images
    sources = page.evaluate("Array.from(document.images).map(i => i.src)")
    assert len(set(sources)) == len(sources) and all(s.startswith("file:") for s in sources)

    # Filtering the events table by a company keeps only its rows.
    rows = "Array.from(document.querySelectorAll('#events-table tbody tr')).filter(r => !r.hidden)"
    total = page.evaluate(rows + ".length")
    page.evaluate("var f = document.querySelector('input.filter'); f.value = 'cambricon'; "
                  "f.dispatchEvent(new Event('input'))")
    kept = page.evaluate(rows + ".map(r => r.cells[1].textContent.trim())")
    assert kept and set(kept) == {"Cambricon"} and len(kept) < total
    page.evaluate("var f = document.querySelector('input.filter'); f.value = ''; f.dispatchEvent(new Event('input'))")
    assert page.evaluate(rows + ".length") == total

    # Sorting the events table by date, descending then ascending, changes the first row.
    first_date = "document.querySelector('#events-table tbody tr td').dataset.sort"
    page.evaluate("document.querySelector('#events-table thead th').click()")
    ascending = page.evaluate(first_date)
    page.evaluate("document.querySelector('#events-table thead th').click()")
    descending = page.evaluate(first_date)
    assert ascending < descending, (ascending, descending)
    all_dates = page.evaluate("Array.from(document.querySelectorAll('#events-table tbody tr')).map(r => r.cells[0].dataset.sort)")
    assert all_dates == sorted(all_dates, reverse=True)

    metrics = page.send("Page.getLayoutMetrics")
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    shot = page.send("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}}, timeout=60)
    path = tmp_path / "report_full_page.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert size["height"] > 2000  # the whole report, not just the first screen
