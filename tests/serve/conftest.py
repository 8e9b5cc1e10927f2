"""Fixtures of the endpoint tests: `iei-kg serve` on 127.0.0.1 (a free port, in a thread) over a hand-built graph."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "graph"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import iei_sample  # noqa: E402
from iei_kg.serve import ServeConfig, SparqlServer  # noqa: E402


@pytest.fixture(scope="session")
def kg_dir(tmp_path_factory) -> Path:
    return iei_sample.make_kg(tmp_path_factory.mktemp("kg"))


@pytest.fixture(scope="module")
def server(kg_dir):
    """Read-only, default limits (generous time limit: CI machines can be slow)."""
    with SparqlServer(ServeConfig(kg_dir=kg_dir, port=0, timeout=20), quiet=True).start() as srv:
        yield srv


@pytest.fixture
def make_server(kg_dir):
    """A server with other settings, closed after the test."""
    servers = []

    def make(folder=None, **settings):
        srv = SparqlServer(ServeConfig(kg_dir=folder or kg_dir, port=0, **settings), quiet=True).start()
        servers.append(srv)
        return srv

    yield make
    for srv in servers:
        srv.close()
