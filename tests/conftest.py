"""Shared test fixtures. No test touches the network."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_PRICES = REPO.parent / "shared" / "prices"


@pytest.fixture
def shared_prices() -> Path:
    """The real Yahoo-format price CSVs beside the repository (never copied into it)."""
    if not (SHARED_PRICES / "BABA.csv").exists():
        pytest.skip("../shared/prices is not beside the repository")
    return SHARED_PRICES


@pytest.fixture
def seeds_dir() -> Path:
    return REPO / "seeds"


@pytest.fixture
def con():
    from tracker.db import connect

    connection = connect(":memory:")
    yield connection
    connection.close()


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Any attempt to open a socket to a non-local address fails the test loudly."""
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and (host.startswith("127.") or host in ("localhost", "::1") or host.startswith("/")):
            return real_connect(self, address)
        raise RuntimeError(f"test tried to reach the network: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded)
    # Yahoo's reachability probe would look the host name up: in tests Yahoo is unreachable.
    monkeypatch.setattr("tracker.prices.yahoo.reachable", lambda *a, **k: False)
