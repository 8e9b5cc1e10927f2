"""Fixtures of the query tests: a graph folder made from the hand-built records of tests/graph/iei_sample.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "graph"))

import iei_sample  # noqa: E402


@pytest.fixture(scope="module")
def kg_dir(tmp_path_factory) -> Path:
    """A graph folder with one document (paper-a); closed, so a test may open it as Store or KnowledgeGraph."""
    return iei_sample.make_kg(tmp_path_factory.mktemp("kg"))


@pytest.fixture
def store(kg_dir):
    from iei_kg.graph.store import Store

    return Store(kg_dir, read_only=True)  # read-only: holds no lock, so a KnowledgeGraph may open the folder too
