"""The exceptions iei-kg raises; the CLI turns each into a one-line message and an exit code."""

from __future__ import annotations

import os
from pathlib import Path


class IEIKGError(Exception):
    """Base class of every error iei-kg raises on purpose."""


class DocumentError(IEIKGError):
    """A document could not be read (unreadable PDF, empty file, undecodable text ...).

    The build reports it, skips the document and goes on with the rest.
    """

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ConfigError(IEIKGError):
    """A setting names something that does not exist (model, scheme file, query ...)."""


class MissingDependencyError(IEIKGError):
    """An optional package is needed for this feature."""

    def __init__(self, package: str, feature: str, extra: str | None = None):
        hint = f"pip install 'iei-kg[{extra}]'" if extra else f"pip install {package}"
        super().__init__(f"{feature} needs the package '{package}': {hint}")


class QueryError(IEIKGError):
    """A named query is unknown, a parameter is missing or malformed, or SPARQL failed."""


class StoreError(IEIKGError):
    """The knowledge-graph folder is missing, locked or not an iei-kg store."""


class MapError(IEIKGError):
    """A map cannot be made as asked (unknown filter value, metadata the graph does not have ...)."""


class PushError(IEIKGError):
    """The triple store refused a graph or could not be reached."""


class OutputError(IEIKGError):
    """A result cannot be written where asked: its folder is missing, a folder is in the way, no permission."""

    @classmethod
    def check(cls, path: str | Path) -> Path:
        """`path` when a file can be created or replaced there, before any work is done; else this error, naming it."""
        path = Path(path)
        folder = path.parent
        if not folder.is_dir():
            raise cls(f"cannot write {path}: the folder {folder} does not exist")
        if path.is_dir():
            raise cls(f"cannot write {path}: it is a folder")
        if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
            raise cls(f"cannot write {path}: permission denied")
        return path


class ServeError(IEIKGError):
    """The endpoint cannot listen where asked (a port in use, an address this machine does not have)."""
