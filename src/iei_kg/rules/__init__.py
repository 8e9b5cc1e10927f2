"""Rules kept as data (YAML): layout, statement cues, question intents. Users may point to their own copies."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from iei_kg.errors import ConfigError


@lru_cache(maxsize=None)
def load_rules(name: str, path: str | None = None) -> dict:
    """Load a rule file shipped with the package (`name`.yaml) or the user's replacement at `path`."""
    source = Path(path) if path else resources.files("iei_kg.rules") / f"{name}.yaml"
    try:
        return yaml.safe_load(source.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"rule file not found: {source}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"rule file {source} is not valid YAML: {exc}") from exc
