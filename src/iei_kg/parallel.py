"""Per-document extraction on several processes: each worker loads the models once and extracts whole documents.

Extraction is a pure function of (document, configuration), so the same code runs on an existing distributed
engine: map `extract_one` over documents there and write the results with `iei_kg.build`'s store code.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Iterable, Iterator

from iei_kg.config import ExtractorConfig
from iei_kg.records import SourceDocument, Statement

Result = tuple[SourceDocument, list[Statement] | None, str | None]  # (document, statements, error)
_extractor = None  # one per worker process


def extract_one(source: SourceDocument, extractor) -> Result:
    """Extract one document; a failure is returned as its message, so that one bad document stops nothing."""
    try:
        return source, extractor.extract(source), None
    except Exception as exc:  # a bug or a pathological text must not break the whole build
        return source, None, f"extraction failed ({type(exc).__name__}: {exc})"


def _init_worker(config: ExtractorConfig) -> None:
    global _extractor
    try:  # several processes on few cores: one thread each, or they fight over the cores
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass
    from iei_kg.extract.document import Extractor

    _extractor = Extractor(config)


def _extract_in_worker(source: SourceDocument) -> Result:
    return extract_one(source, _extractor)


def extract_all(sources: Iterable[SourceDocument], config: ExtractorConfig, workers: int = 1) -> Iterator[Result]:
    """Results in completion order. Sources are consumed lazily, at most 2 per worker in flight (flat memory)."""
    if workers <= 1:
        from iei_kg.extract.document import Extractor

        extractor = None
        for source in sources:
            extractor = extractor or Extractor(config)  # models load on the first document that needs them
            yield extract_one(source, extractor)
        return
    # "spawn": a fork of a process that has loaded torch can hang.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(config,)) as pool:
        in_flight: deque[Future] = deque()
        for source in sources:
            in_flight.append(pool.submit(_extract_in_worker, source))
            if len(in_flight) >= 2 * workers:
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()
