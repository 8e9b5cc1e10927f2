"""Shared test helpers (browser_support.py) live beside this file; make them importable from every folder."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
