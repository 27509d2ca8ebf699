"""Time a 100,000-ID batch: ``campaign batch`` (the C++ CLI) vs
``Client.get_many`` (and ``AsyncClient.get_many``) against one campaign-mock.

    /usr/bin/python3 bindings/python/tests/bench_get_many.py [N] [CONCURRENCY]

Prints one line per run and the Python/CLI ratios.  Not a test (pytest does
not collect it): a timing comparison on shared CI cores would be flaky.
"""

from __future__ import annotations

import asyncio
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import KEY, REPO, Mock  # noqa: E402

import campaign  # noqa: E402


def ids_file(n: int, records: int) -> str:
    fd, path = tempfile.mkstemp(prefix="campaign-ids-", suffix=".txt")
    with os.fdopen(fd, "w") as f:
        for i in range(n):
            f.write("cmp_%06d\n" % (i % records))
    return path


#: CPU seconds (user + system) the last timed run used on the client side.
last_cpu = 0.0


def time_cli(mock: Mock, path: str, concurrency: int) -> float:
    global last_cpu
    cli = REPO / "build" / "bin" / "campaign"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [str(cli), "batch", path, "--base-url", mock.base_url, "--concurrency", str(concurrency),
         "--format", "ndjson"],
        env={**os.environ, "CAMPAIGN_API_KEY": KEY},
        stdout=subprocess.DEVNULL,
        check=False,
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    last_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed


def time_python(mock: Mock, path: str, concurrency: int) -> float:
    global last_cpu
    cpu = time.process_time()
    start = time.perf_counter()
    ok = 0
    with campaign.Client(mock.base_url, KEY) as client, open(path) as f:
        for r in client.get_many((line.rstrip("\n") for line in f), concurrency=concurrency):
            if r.campaign is not None and r.campaign.status is not None:  # use the record
                ok += 1
    elapsed = time.perf_counter() - start
    last_cpu = time.process_time() - cpu
    assert ok > 0
    return elapsed


def time_async(mock: Mock, path: str, concurrency: int) -> float:
    async def main() -> int:
        ok = 0
        async with campaign.AsyncClient(mock.base_url, KEY) as ac:
            with open(path) as f:
                async for r in ac.get_many((line.rstrip("\n") for line in f), concurrency):
                    if r.campaign is not None and r.campaign.status is not None:
                        ok += 1
        return ok

    global last_cpu
    cpu = time.process_time()
    start = time.perf_counter()
    ok = asyncio.run(main())
    elapsed = time.perf_counter() - start
    last_cpu = time.process_time() - cpu
    assert ok > 0
    return elapsed


def run(n: int = 100_000, concurrency: int = 64, rounds: int = 2, records: int = 100_000,
        with_async: bool = True) -> Dict[str, float]:
    mock = Mock(generate=records)
    path = ids_file(n, records)
    best: Dict[str, float] = {}
    try:
        time_python(mock, path, concurrency)  # warm the mock's connections and caches
        for _ in range(rounds):
            kinds = [("cli", time_cli), ("python", time_python)]
            if with_async:
                kinds.append(("async", time_async))
            for name, fn in kinds:
                t = fn(mock, path, concurrency)
                print("%-7s %7d IDs  concurrency %3d  %.2f s  (%.0f IDs/s)  client CPU %.2f s" % (
                    name, n, concurrency, t, n / t, last_cpu), flush=True)
                best[name] = min(best.get(name, t), t)
    finally:
        os.unlink(path)
        mock.stop()
    return best


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    c = int(sys.argv[2]) if len(sys.argv) > 2 else 64
    best = run(n, c)
    print("best: " + ", ".join("%s %.2f s" % kv for kv in best.items()))
    print("python/cli %.2f, async/cli %.2f" % (best["python"] / best["cli"], best["async"] / best["cli"]))
