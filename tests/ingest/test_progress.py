"""`iei-kg build` progress: one updating line on a terminal, one line per document elsewhere, nothing with -q."""

from __future__ import annotations

import io

import pytest

import iei_kg.api
from iei_kg.build import BuildReport
from iei_kg.cli import main
from iei_kg.ingest.progress import BuildProgress


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_line_counts_rate_and_eta():
    out, clock = io.StringIO(), FakeClock()
    progress = BuildProgress(out, enabled=True, clock=clock, width=200)
    assert progress.handle("start", "4")
    assert progress.handle("reading", "corpus/sub/a-paper.pdf")
    clock.now += 10
    assert progress.handle("built", "a-paper: 12 statements")
    assert progress.line() == "[1/4] 25% 0.10 docs/s ETA 0:30  a-paper.pdf"
    progress.handle("reading", "corpus/b.txt")
    clock.now += 10
    progress.handle("unchanged", "b")
    assert progress.line() == "[2/4] 50% 0.10 docs/s ETA 0:20  b.txt"
    assert out.getvalue().count("\r") == 5 and "\n" not in out.getvalue()
    # A skipped file gets a line of its own: the progress line is cleared first and the event is not consumed.
    assert not progress.handle("skipped", "corpus/c.pdf: encrypted PDF (a password is needed)")
    assert out.getvalue().endswith("\r\x1b[K")
    assert not progress.handle("warning", "refs.bib: unreadable metadata file (x)")
    progress.handle("built", "d: 3 statements")
    assert progress.line().startswith("[4/4] 100%") and " done " in progress.line()
    progress.finish()
    assert out.getvalue().endswith("\r\x1b[K")


def test_long_line_is_cut_to_the_terminal_width():
    out = io.StringIO()
    progress = BuildProgress(out, enabled=True, clock=FakeClock(), width=40)
    progress.handle("start", "3")
    progress.handle("reading", "a-very-long-file-name-" * 5 + ".pdf")
    drawn = out.getvalue().split("\r")[-1].replace("\x1b[K", "")
    assert len(drawn) <= 39 and drawn.endswith("...")


def test_disabled_progress_draws_nothing():
    out = io.StringIO()
    progress = BuildProgress(out, enabled=False)
    assert progress.handle("start", "2") and progress.handle("reading", "x.txt")
    assert not progress.handle("built", "x: 1 statements")
    progress.finish()
    assert out.getvalue() == ""


def _fake_build(corpus, kg, config=None, force=False, on_event=None, workers=1):
    report = BuildReport()
    on_event("start", "3")
    for name, kind, message in [("a.txt", "built", "a: 5 statements"), ("b.txt", "unchanged", "b"),
                                ("c.pdf", "skipped", "c.pdf: corrupt PDF (Unexpected EOF)")]:
        on_event("reading", f"{corpus}/{name}")
        on_event(kind, message)
    on_event("removed", "old-doc")
    report.built, report.unchanged, report.skipped = ["a"], ["b"], [("c.pdf", "corrupt PDF (Unexpected EOF)")]
    return report


@pytest.fixture
def fake_build(monkeypatch):
    monkeypatch.setattr(iei_kg.api, "build", _fake_build)


def test_cli_not_a_terminal_prints_one_line_per_document(fake_build, monkeypatch, capsys):
    assert main(["build", "corpus", "--kg", "kg"]) == 3
    err = capsys.readouterr().err
    assert err.splitlines() == ["built: a: 5 statements", "unchanged: b", "skipped: c.pdf: corrupt PDF (Unexpected EOF)",
                                "removed: old-doc"]


def test_cli_quiet_prints_only_skipped_files(fake_build, capsys):
    main(["build", "corpus", "--kg", "kg", "--quiet"])
    assert capsys.readouterr().err.splitlines() == ["skipped: c.pdf: corrupt PDF (Unexpected EOF)"]


def test_cli_on_a_terminal_shows_one_progress_line(fake_build, monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    main(["build", "corpus", "--kg", "kg"])
    err = terminal.getvalue()
    lines = err.split("\n")
    assert "built: a" not in err and "unchanged: b" not in err  # shown in the progress line instead
    assert "[1/3] 33%" in err and "a.txt" in err and "docs/s" in err and "ETA" in err
    assert "\r\x1b[Kskipped: c.pdf: corrupt PDF (Unexpected EOF)" in err
    assert "removed: old-doc" in err
    assert err.endswith("\n") or err.endswith("\r\x1b[K")
    assert len([line for line in lines if line.strip()]) == 2  # progress cleared + skipped, then removed


def test_cli_on_a_terminal_with_quiet_shows_no_progress(fake_build, monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    main(["build", "corpus", "--kg", "kg", "-q"])
    assert terminal.getvalue() == "skipped: c.pdf: corrupt PDF (Unexpected EOF)\n"
