"""Load test of `iei-kg serve` (not a test): concurrent clients run named queries over loopback.

    .venv/bin/python bench/load_sparql.py                 # over a small hand-built graph (tests/graph/iei_sample.py)
    .venv/bin/python bench/load_sparql.py kg --workers 4  # over an existing graph folder

Starts `iei-kg serve` as a separate process on a free 127.0.0.1 port (so the clients do not share its GIL), waits
for it, then runs CLIENTS threads x REQUESTS named queries each (keep-alive connections), and prints throughput,
p50/p95/p99 latency and the errors. Bounded: stops sending after --max-seconds.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
# (named query, parameters): concepts of the shipped scheme, so a real graph has rows for them
QUERIES = [
    ("countermeasures-for-problem", {"problem": "P-enterprise-motivation"}),
    ("problems-for-stakeholder", {"stakeholder": "S-enterprise"}),
    ("causes-of-problem", {"problem": "P-enterprise-motivation"}),
    ("actors-of-countermeasure", {"countermeasure": "C-incentives"}),
    ("documents-for-concept", {"concept": "P-enterprise-motivation"}),
    ("evidence-for-concept", {"concept": "C-incentives"}),
    ("concept-cooccurrence", {}),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(kg_dir: Path, port: int, workers: int, timeout: float) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "iei_kg.cli", "serve", "--kg", str(kg_dir), "--port", str(port),
           "--workers", str(workers), "--timeout", str(timeout), "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited: {proc.stderr.read()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start within 120 s")


def client(port: int, requests: int, offset: int, stop_at: float, latencies: list, errors: dict, lock) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for i in range(requests):
        if time.monotonic() > stop_at:
            break
        name, params = QUERIES[(offset + i) % len(QUERIES)]
        path = f"/queries/{name}" + (f"?{urlencode(params)}" if params else "")
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            status = type(exc).__name__
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        elapsed = time.perf_counter() - started
        with lock:
            if status == 200:
                latencies.append(elapsed)
            else:
                errors[status] = errors.get(status, 0) + 1
    conn.close()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("kg", nargs="?", help="graph folder (default: a small hand-built graph in a temporary folder)")
    p.add_argument("--clients", type=int, default=20)
    p.add_argument("--requests", type=int, default=50, help="named queries per client")
    p.add_argument("--workers", type=int, default=2, help="query worker processes of the server")
    p.add_argument("--timeout", type=float, default=30, help="the server's per-query time limit")
    p.add_argument("--max-seconds", type=float, default=120, help="stop sending after this long")
    p.add_argument("--exclude", action="append", default=[], metavar="NAME", help="leave a named query out of the mix")
    args = p.parse_args()
    QUERIES[:] = [q for q in QUERIES if q[0] not in args.exclude]

    with tempfile.TemporaryDirectory() as tmp:
        if args.kg:
            kg_dir = Path(args.kg)
        else:
            sys.path.insert(0, str(ROOT / "tests" / "graph"))
            import iei_sample

            kg_dir = iei_sample.make_kg(Path(tmp) / "kg", docs=tuple(f"paper-{i}" for i in range(20)))
        port = free_port()
        server = start_server(kg_dir, port, args.workers, args.timeout)
        try:
            latencies: list[float] = []
            errors: dict = {}
            lock = threading.Lock()
            started = time.perf_counter()
            stop_at = time.monotonic() + args.max_seconds
            threads = [threading.Thread(target=client, args=(port, args.requests, i, stop_at, latencies, errors, lock))
                       for i in range(args.clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=10)
    done = len(latencies) + sum(errors.values())
    print(f"graph: {kg_dir if args.kg else 'hand-built sample, 20 documents'}; server workers: {args.workers}; "
          f"CPUs: {os.cpu_count()}; queries: {', '.join(q[0] for q in QUERIES)}")
    print(f"{args.clients} clients x {args.requests} named queries: {done} requests in {wall:.2f} s "
          f"-> {len(latencies) / wall:.1f} successful requests/s")
    if latencies:
        print(f"latency ms: p50 {percentile(latencies, 50) * 1000:.1f}, p95 {percentile(latencies, 95) * 1000:.1f}, "
              f"p99 {percentile(latencies, 99) * 1000:.1f}, max {max(latencies) * 1000:.1f}, "
              f"mean {statistics.mean(latencies) * 1000:.1f}")
    print(f"errors: {sum(errors.values())}" + (f" {errors}" if errors else ""))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
