"""Fixtures of the map tests: graph folders from tests/graph/iei_sample.py (no NLP model), and synthetic
statement records (e.g. a 1,000-concept network) for the renderers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "graph"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import iei_sample  # noqa: E402



@pytest.fixture(scope="session")
def kg_dir(tmp_path_factory) -> Path:
    """Two documents (paper-a, paper-b) saying the same things: C-incentives addresses P-enterprise-motivation."""
    return iei_sample.make_kg(tmp_path_factory.mktemp("kg"), docs=("paper-a", "paper-b"))


@pytest.fixture(scope="session")
def inputs(kg_dir) -> tuple[list[dict], dict, dict]:
    """(statements, scheme labels, document metadata) as make_map loads them."""
    from iei_kg.api import open_graph
    from iei_kg.maps import load_inputs

    with open_graph(kg_dir) as kg:
        return load_inputs(kg)


@pytest.fixture(scope="session")
def statements(inputs) -> list[dict]:
    return inputs[0]


@pytest.fixture(scope="session")
def labels(inputs) -> dict:
    return inputs[1]
