"""Per-document work on several processes: each worker loads the models once, then reads and extracts whole files.

Reading, extraction and making the document's graph are a pure function of (file, catalogue, configuration), so
the same code runs on an existing distributed engine: map `process_one` over files there and load each result's
N-Triples into the store (`Store.replace_document`) or any SPARQL store.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from iei_kg import __version__
from iei_kg.config import ExtractorConfig
from iei_kg.errors import DocumentError
from iei_kg.graph.rdf import document_ntriples
from iei_kg.ingest import read_document
from iei_kg.ingest.catalogue import Catalogue
from iei_kg.procguard import die_with_parent
from iei_kg.records import SourceDocument, Statement


@dataclass
class Result:
    path: Path
    source: SourceDocument | None = None  # None when the file could not be read
    statements: list[Statement] | None = None  # None when reading or extraction failed
    error: str | None = None  # why (one line)
    ntriples: str | None = None  # the document's named graph, made where it was extracted (off the main process)


_extractor = None  # one per worker process
_catalogue: Catalogue | None = None


def process_one(path: Path, extractor, catalogue: Catalogue | None = None) -> Result:
    """Read and extract one file and make its graph; a failure is returned as its message, so that one bad file
    stops nothing."""
    try:
        source = read_document(path, catalogue=catalogue)
    except DocumentError as exc:
        return Result(path, error=exc.reason)
    try:
        statements = extractor.extract(source)
        return Result(path, source, statements, ntriples=document_ntriples(source, statements, __version__))
    except Exception as exc:  # a bug or a pathological text must not break the whole build
        return Result(path, source, error=f"extraction failed ({type(exc).__name__}: {exc})")
    finally:
        _trim_heap()


@functools.cache
def _libc():
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc (macOS, musl): nothing to trim
        return None


def _trim_heap() -> None:
    """Give the memory freed by a document back to the system: glibc keeps the heap that the variable-sized
    tensors of the sentence encoder leave behind, and a worker grew from 0.65 to 1.3 GB over 100 documents."""
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


def _init_worker(config: ExtractorConfig, catalogue: Catalogue | None, parent_pid: int) -> None:
    global _extractor, _catalogue
    # A build killed hard (kill -9, the OOM killer) cannot stop its workers: each ends itself when the build goes.
    die_with_parent(parent_pid)
    try:  # several processes on few cores: one thread each, or they fight over the cores
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass
    from iei_kg.extract.document import Extractor

    _extractor, _catalogue = Extractor(config), catalogue


def _process_in_worker(path: Path) -> Result:
    return process_one(path, _extractor, _catalogue)


def process_all(paths: Iterable[Path], config: ExtractorConfig, workers: int = 1,
                catalogue: Catalogue | None = None) -> Iterator[Result]:
    """Results in completion order. Paths are consumed lazily, at most 2 per worker in flight (flat memory)."""
    paths = iter(paths)
    first = next(paths, None)
    if first is None:  # nothing changed: no models, no processes
        return
    paths = itertools.chain([first], paths)
    if workers <= 1:
        from iei_kg.extract.document import Extractor

        extractor = Extractor(config)  # models load on the first document that needs them (cached properties)
        for path in paths:
            yield process_one(path, extractor, catalogue)
        return
    # "spawn": a fork of a process that has loaded torch can hang.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                             initargs=(config, catalogue, os.getpid())) as pool:
        in_flight: deque[Future] = deque()
        for path in paths:
            in_flight.append(pool.submit(_process_in_worker, path))
            if len(in_flight) >= 2 * workers:
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()
