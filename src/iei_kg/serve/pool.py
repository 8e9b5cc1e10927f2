"""A pool of query worker processes (`worker.py`) with a hard time limit per request.

A request goes to an idle worker; if the answer has not come when the time limit is up, the worker is killed
(its query stops with it) and a fresh one is started in the background. POSIX only (select on pipes).
"""

from __future__ import annotations

import json
import os
import queue
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

WORKER = Path(__file__).resolve().parent / "worker.py"
TEXT = {"Content-Type": "text/plain; charset=utf-8"}


class WorkerError(Exception):
    """A worker could not be started or died."""


class Timeout(Exception):
    """The request ran past its time limit (the worker has been killed)."""


class Worker:
    def __init__(self, store_path: str, read_only: bool, start_timeout: float = 60.0):
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER), store_path, "read-only" if read_only else "read-write"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)  # stderr: the server's, for tracebacks
        self.buffer = b""
        header, _ = self._read(time.monotonic() + start_timeout)
        if not header.get("ready"):
            self.kill()
            raise WorkerError(header.get("error", "the query worker did not start"))
        # None when the worker cannot create sockets (procguard.deny_network), else why it can
        self.network: str | None = header.get("network", "the query worker did not say")

    def request(self, request: dict, timeout: float) -> tuple[int, dict, bytes]:
        deadline = time.monotonic() + timeout
        try:
            self.proc.stdin.write(json.dumps(request).encode() + b"\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise WorkerError(f"the query worker is gone: {exc}") from exc
        header, body = self._read(deadline)
        return header["status"], header["headers"], body

    def _read(self, deadline: float) -> tuple[dict, bytes]:
        """One answer: a JSON header line and `length` bytes; Timeout when the deadline passes first."""
        fd = self.proc.stdout.fileno()
        header = None
        while True:
            if header is None and b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                header = json.loads(line)
            if header is not None and len(self.buffer) >= header.get("length", 0):
                n = header.get("length", 0)
                body, self.buffer = self.buffer[:n], self.buffer[n:]
                return header, body
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Timeout()
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                raise Timeout()
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise WorkerError("the query worker exited")
            self.buffer += chunk

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass


class WorkerPool:
    """`size` workers over one store; `request` blocks for an idle worker, then for its answer, within `timeout`."""

    def __init__(self, store_path: str | Path, read_only: bool = True, size: int = 2):
        self.store_path = str(store_path)
        self.read_only = read_only
        self.size = size
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.closed = False
        self.lock = threading.Lock()
        self.workers: set[Worker] = set()
        first = Worker(self.store_path, read_only)  # fail now, in the caller, if the store cannot be opened
        self.network = first.network  # None: the workers cannot reach the network (same machine, same answer)
        self._add(first)
        for _ in range(size - 1):
            self._replace()

    def _add(self, worker: Worker) -> None:
        with self.lock:
            if self.closed:
                worker.kill()
                return
            self.workers.add(worker)
        self.idle.put(worker)

    def _replace(self) -> None:
        """Start a worker in the background (a start takes a fraction of a second)."""
        def start():
            for attempt in range(3):
                try:
                    self._add(Worker(self.store_path, self.read_only))
                    return
                except WorkerError:
                    time.sleep(0.5 * (attempt + 1))
        threading.Thread(target=start, daemon=True).start()

    def _discard(self, worker: Worker) -> None:
        with self.lock:
            self.workers.discard(worker)
        worker.kill()
        if not self.closed:
            self._replace()

    def request(self, request: dict, timeout: float) -> tuple[int, dict, bytes]:
        start = time.monotonic()
        try:
            worker = self.idle.get(timeout=timeout)
        except queue.Empty:
            return 503, dict(TEXT, **{"Retry-After": "5"}), b"server busy: every query worker is taken, try again\n"
        remaining = max(0.001, timeout - (time.monotonic() - start))
        try:
            answer = worker.request(request, remaining)
        except Timeout:
            self._discard(worker)
            return 503, dict(TEXT), (f"query stopped: it ran past the time limit of {timeout:g} s "
                                     f"(simplify it, add LIMIT, or ask the operator for a longer --timeout)\n").encode()
        except WorkerError as exc:
            self._discard(worker)
            return 500, dict(TEXT), f"query worker failed: {exc}\n".encode()
        self.idle.put(worker)
        return answer

    def close(self) -> None:
        with self.lock:
            self.closed = True
            workers = list(self.workers)
            self.workers.clear()
        for worker in workers:
            worker.kill()
