"""Where the shipped ontology and named queries are: inside the wheel, or at the root of a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """`ontology` or `queries`: the folder shipped in the wheel, else the checkout's top-level folder."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parents[1] / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the '{name}' folder of iei-kg is missing (looked in {_PACKAGE / '_data'} and the checkout)")
