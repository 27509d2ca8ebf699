"""No memory growth over many requests: Python objects (tracemalloc) and the
process (RSS, which includes the C library's allocations)."""

from __future__ import annotations

import gc
import tracemalloc

import campaign
from conftest import KEY, Mock


def _rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _round(client: campaign.Client, n: int) -> None:
    for i in range(n):
        rec = client.get("cmp_%06d" % (i % 2000))
        rec.to_dict()
        rec.raw
        if i % 10 == 0:
            try:
                client.get("cmp_missing")
            except campaign.NotFoundError:
                pass  # the error path is part of the round
            else:
                raise AssertionError("cmp_missing was found")
    for r in client.get_many(("cmp_%06d" % (i % 2100) for i in range(n // 4)), concurrency=32):
        r.campaign.to_dict() if r.campaign else str(r.error)


def test_no_growth_over_20000_gets(mock: Mock) -> None:
    with campaign.Client(mock.base_url, KEY) as client:
        _round(client, 3000)  # warm-up: pools, caches, allocator arenas
        gc.collect()
        rss_before = _rss_kib()
        tracemalloc.start()
        try:
            _round(client, 2000)
            gc.collect()
            traced_before, _ = tracemalloc.get_traced_memory()
            _round(client, 20000)
            gc.collect()
            traced_after, _ = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        rss_after = _rss_kib()
    # Python side: nothing per request survives (noise: a few KiB).
    assert traced_after - traced_before < 256 * 1024, (traced_before, traced_after)
    # Process side: a leaked record (~1 KiB) per request would be 20+ MiB.
    assert rss_after - rss_before < 8 * 1024, (rss_before, rss_after)


def test_async_no_growth(mock: Mock) -> None:
    import asyncio

    async def batch(ac: campaign.AsyncClient, n: int) -> None:
        async for r in ac.get_many(("cmp_%06d" % (i % 2000) for i in range(n)), concurrency=32):
            assert r.ok

    async def main() -> None:
        async with campaign.AsyncClient(mock.base_url, KEY) as ac:
            await batch(ac, 3000)
            gc.collect()
            rss_before = _rss_kib()
            await batch(ac, 15000)
            gc.collect()
            assert _rss_kib() - rss_before < 8 * 1024

    asyncio.run(main())
