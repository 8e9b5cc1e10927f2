"""A one-line progress display for `iei-kg build` on a terminal: done / total, current file, rate, ETA.

Fed by the build's events (`start` with the total, `reading` with the path, then `built` / `unchanged` /
`skipped` per document). Messages that must stay on screen (skipped files, warnings, removals) are printed by
the caller as lines of their own: `handle` clears the progress line first and returns False for them.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Callable, TextIO

DONE_EVENTS = {"built", "unchanged", "skipped"}
QUIET_EVENTS = {"start", "reading"}  # never printed as lines of their own


class BuildProgress:
    def __init__(self, stream: TextIO, enabled: bool, clock: Callable[[], float] = time.monotonic,
                 width: int | None = None):
        self.stream = stream
        self.enabled = enabled
        self.clock = clock
        self.width = width
        self.total = 0
        self.done = 0
        self.current = ""
        self.started = clock()
        self.shown = False

    def handle(self, kind: str, message: str) -> bool:
        """Update the display; True when the event needs no line of its own."""
        if kind == "start":
            self.total = int(message)
            self.started = self.clock()
        elif kind == "reading":
            self.current = Path(message).name
        elif kind in DONE_EVENTS:
            self.done += 1
        if not self.enabled:
            return kind in QUIET_EVENTS
        if kind in ("built", "unchanged", *QUIET_EVENTS):
            self._draw()
            return True
        self.clear()
        return False

    def line(self) -> str:
        elapsed = max(self.clock() - self.started, 1e-9)
        rate = self.done / elapsed
        if self.done and self.total > self.done:
            remaining = (self.total - self.done) / rate
            eta = f"ETA {int(remaining // 60)}:{int(remaining % 60):02d}"
        elif self.total and self.done >= self.total:
            eta = "done"
        else:
            eta = "ETA --:--"
        share = f"{100 * self.done // self.total}%" if self.total else ""
        return f"[{self.done}/{self.total}] {share} {rate:.2f} docs/s {eta}  {self.current}"

    def _draw(self) -> None:
        width = self.width or shutil.get_terminal_size((100, 20)).columns
        text = self.line()
        if len(text) > width - 1:
            text = text[: width - 4] + "..."
        self.stream.write("\r" + text + "\x1b[K")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False

    def finish(self) -> None:
        self.clear()
