"""Sentence vectors kept on disk by (model, text): a forced rebuild, or one after the concept scheme was edited,
encodes no sentence it has encoded before, and a sentence repeated within a build (an abstract restated in the
conclusion, policy boilerplate) is encoded once.

SQLite (standard library) in WAL mode, so that several worker processes can read and add at the same time.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np

from iei_kg.extract.embeddings import encoder_key

_SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (model TEXT, key BLOB, vector BLOB, PRIMARY KEY (model, key)) WITHOUT ROWID"
_CHUNK = 500  # keys per SELECT (SQLite limits the number of parameters)


def _key(text: str) -> bytes:
    return hashlib.sha1(text.encode("utf-8")).digest()


class CachingEncoder:
    """Wraps an encoder (`encode(texts) -> unit vectors`) with the cache in `path`; same interface."""

    def __init__(self, embedder, path: str | Path):
        self.embedder = embedder
        self.model = self.cache_key = encoder_key(embedder)  # what decides a text's vector
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(self.path), timeout=60)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")  # a lost cache entry is only encoded again
        self.db.execute(_SCHEMA)
        self.db.commit()
        self.hits = self.misses = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return self.embedder.encode(texts)
        keys = [_key(text) for text in texts]
        found = self._lookup(set(keys))
        missing = list(dict.fromkeys(text for text, key in zip(texts, keys) if key not in found))
        self.hits += len(texts) - len(missing)
        self.misses += len(missing)
        if missing:
            vectors = self.embedder.encode(missing)
            new = {_key(text): vector for text, vector in zip(missing, vectors)}
            with self.db:
                self.db.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?, ?)",
                                    [(self.model, key, vector.tobytes()) for key, vector in new.items()])
            found.update(new)
        return np.stack([found[key] for key in keys])

    def _lookup(self, keys: set[bytes]) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        keys = list(keys)
        for i in range(0, len(keys), _CHUNK):
            chunk = keys[i:i + _CHUNK]
            rows = self.db.execute(
                f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({','.join('?' * len(chunk))})",
                [self.model, *chunk])
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def close(self) -> None:
        self.db.close()
