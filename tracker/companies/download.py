"""Downloading the reference lists for `tracker companies update` (network adapters).

The SEC asks automated clients to send a User-Agent naming the requester (a name and an e-mail
address); FinanceDatabase's per-exchange equity files are fetched from its repository. ``get`` is
injectable so tests drive these adapters with recorded responses; any failure to reach a source
becomes one TrackerError that says how to load a folder instead.
"""

from __future__ import annotations

import csv
import io
import json
import os
import urllib.request
from typing import Callable

from tracker.companies.exchanges import EXCHANGES
from tracker.companies.securities import Loaded, parse_financedatabase, parse_sec
from tracker.errors import TrackerError

SEC_URL = "https://www.sec.gov/files/company_tickers_exchange.json"
FD_URL = "https://raw.githubusercontent.com/JerBouma/FinanceDatabase/main/database/equities/{code}.csv"
FD_CODES = tuple(code for code, e in EXCHANGES.items() if code not in ("Nasdaq", "NYSE", "CBOE"))
USER_AGENT_ENV = "TRACKER_SEC_USER_AGENT"

Get = Callable[[str, dict], bytes]


def http_get(url: str, headers: dict) -> bytes:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def sec_user_agent(given: str | None) -> str:
    agent = (given or os.environ.get(USER_AGENT_ENV) or "").strip()
    if "@" not in agent:
        raise TrackerError(
            "the SEC asks for a User-Agent naming you: pass --user-agent \"Your Name you@example.org\" "
            f"(or set {USER_AGENT_ENV}), or load a folder with --companies-dir DIR")
    return agent


def download_sec(user_agent: str, get: Get | None = None) -> Loaded:
    get = get or http_get
    try:
        body = get(SEC_URL, {"User-Agent": user_agent, "Accept-Encoding": "identity"})
    except Exception as exc:
        raise _unreachable("the SEC", exc) from None
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise TrackerError(f"{SEC_URL} did not return JSON (blocked without a proper User-Agent?); "
                           "check --user-agent or load a folder with --companies-dir DIR") from None
    return parse_sec(data, SEC_URL)


def download_financedatabase(get: Get | None = None, codes: tuple[str, ...] = FD_CODES) -> Loaded:
    get = get or http_get
    total, out = 0, []
    for code in codes:
        url = FD_URL.format(code=code)
        try:
            body = get(url, {"User-Agent": "tracker"})
        except Exception as exc:
            raise _unreachable("FinanceDatabase", exc) from None
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
        loaded = parse_financedatabase(rows, code, url)
        total += loaded.rows
        out.extend(loaded.securities)
    return Loaded("financedatabase", FD_URL.format(code="*"), total, out)


def _unreachable(what: str, exc: Exception) -> TrackerError:
    reason = getattr(exc, "reason", None) or exc
    return TrackerError(f"cannot reach {what} ({reason}); no network? Load the lists from a folder instead: "
                        "tracker companies update --companies-dir DIR (a folder with "
                        "sec_company_tickers_exchange.json and financedatabase/*.csv)")
