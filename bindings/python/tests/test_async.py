"""AsyncClient: many awaits on one loop, async get_many, cancellation, close."""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any, AsyncIterator, Callable, Dict, List

import pytest

import campaign
from conftest import KEY, Mock, header, run_bounded


async def _next_tick() -> None:
    """Let every task that is ready run one step (no timed sleep)."""
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_soon(fut.set_result, None)
    await fut


async def _until(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    """Let the loop run (one step at a time, I/O included) until
    ``condition()`` holds; fail after ``timeout`` seconds saying ``what``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            pytest.fail("not within %.0f s: %s" % (timeout, what))
        await _next_tick()


async def _within(awaitable: Any, seconds: float, what: str) -> Any:
    """``await awaitable``, failing the test (not hanging) after ``seconds``."""
    try:
        return await asyncio.wait_for(awaitable, seconds)
    except asyncio.TimeoutError:
        pytest.fail("not within %.0f s: %s" % (seconds, what))


def _native_threads() -> int:
    return len(os.listdir("/proc/self/task"))


def test_hundred_concurrent_gets_on_one_loop(mock: Mock) -> None:
    async def main() -> None:
        async with campaign.AsyncClient(mock.base_url, KEY) as ac:
            await ac.get("cmp_000000")  # warm: the I/O thread exists now
            threads = _native_threads()
            ids = ["cmp_%06d" % (i * 13 % 2000) for i in range(100)]
            tasks = [asyncio.ensure_future(ac.get(cid)) for cid in ids]
            await _next_tick()  # let every task submit
            assert ac.in_flight >= 1
            assert _native_threads() <= threads + 1  # no thread per request
            recs = await asyncio.gather(*tasks)
            assert [r.id for r in recs] == ids
            assert all(isinstance(r, campaign.Campaign) for r in recs)
            assert ac.in_flight == 0

    asyncio.run(main())


def test_async_errors_are_the_same_classes(mock: Mock) -> None:
    async def main() -> None:
        async with campaign.AsyncClient(mock.base_url, KEY) as ac:
            with pytest.raises(campaign.NotFoundError) as info:
                await ac.get("cmp_nope")
            assert info.value.http_status == 404
            with pytest.raises(campaign.InvalidArgumentError):
                await ac.get("bad/id")
            with pytest.raises(ValueError):
                await ac.get("")
        async with campaign.AsyncClient(mock.base_url, "sk_other") as ac:
            with pytest.raises(campaign.AuthenticationError) as auth:
                await ac.get("cmp_000001")
            assert KEY not in str(auth.value)

    asyncio.run(main())


def test_async_get_many_order_bounded_and_async_input(mock: Mock) -> None:
    advanced = 0

    async def ids() -> AsyncIterator[Any]:
        nonlocal advanced
        for i in range(600):
            advanced += 1
            yield "cmp_%06d" % i
            if i % 50 == 7:
                advanced += 2
                yield "cmp_missing_%d" % i
                yield "bad id"

    async def main() -> None:
        async with campaign.AsyncClient(mock.base_url, KEY) as ac:
            agen = ac.get_many(ids(), concurrency=16)
            first = await agen.__anext__()
            assert first.ok and first.id == "cmp_000000"
            # At most the read-ahead window, max(4 * concurrency, 256), plus
            # the two extra IDs yielded with one step of the input.
            assert advanced <= 256 + 3
            rest = [r async for r in agen]
            results = [first] + rest
            want: List[Any] = []
            for i in range(600):
                want.append("cmp_%06d" % i)
                if i % 50 == 7:
                    want += ["cmp_missing_%d" % i, "bad id"]
            assert [r.id for r in results] == want
            for r in results:
                if r.id.startswith("cmp_0"):
                    assert r.ok and r.campaign is not None and r.campaign.id == r.id
                elif r.id.startswith("cmp_missing"):
                    assert isinstance(r.error, campaign.NotFoundError)
                else:
                    assert isinstance(r.error, campaign.InvalidArgumentError)
            # a plain iterable works too
            plain = [r.id async for r in ac.get_many(["cmp_000002", "cmp_000001"])]
            assert plain == ["cmp_000002", "cmp_000001"]
            assert ac.in_flight == 0

    asyncio.run(main())


def test_cancelling_the_task_cancels_the_request(start_mock: Any) -> None:
    server = start_mock("--fault", "hang")

    async def main() -> None:
        async with campaign.AsyncClient(server.base_url, KEY, timeout=60, max_retries=0) as ac:
            task = asyncio.ensure_future(ac.get("cmp_000001"))
            await _until(lambda: ac.in_flight == 1, "the get submitted")
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            # The library confirms the cancellation long before the 60 s
            # timeout: the request really was cancelled, not just forgotten.
            await asyncio.wait_for(ac.wait_idle(), 10)
            assert ac.in_flight == 0

            # asyncio.wait_for timing out cancels the same way.
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(ac.get("cmp_000002"), 0.05)
            await asyncio.wait_for(ac.wait_idle(), 10)

    asyncio.run(main())


def test_cancelling_async_get_many(start_mock: Any) -> None:
    server = start_mock("--fault", "hang")

    async def consume(ac: campaign.AsyncClient) -> None:
        async for _ in ac.get_many(["cmp_%06d" % i for i in range(100)], concurrency=10):
            pass

    async def main() -> None:
        async with campaign.AsyncClient(server.base_url, KEY, timeout=60, max_retries=0) as ac:
            task = asyncio.ensure_future(consume(ac))
            await _until(lambda: ac.in_flight == 10, "get_many submitted 10")
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            await asyncio.wait_for(ac.wait_idle(), 10)

    asyncio.run(main())


def test_aclose_fails_what_is_in_flight(start_mock: Any) -> None:
    server = start_mock("--fault", "hang")

    async def main() -> None:
        ac = campaign.AsyncClient(server.base_url, KEY, timeout=60, max_retries=0)
        tasks = [asyncio.ensure_future(ac.get("cmp_%06d" % i)) for i in range(5)]
        await _until(lambda: ac.in_flight == 5, "the five gets submitted")
        await ac.aclose()
        results = await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 10)
        assert all(isinstance(r, campaign.CancelledError) for r in results), results
        assert ac.closed
        with pytest.raises(campaign.CancelledError):
            await ac.get("cmp_000001")
        await ac.aclose()  # idempotent

    asyncio.run(main())


def test_one_client_across_two_loops(mock: Mock) -> None:
    ac = campaign.AsyncClient(mock.base_url, KEY)
    try:
        assert asyncio.run(ac.get("cmp_000001")).id == "cmp_000001"
        assert asyncio.run(ac.get("cmp_000002")).id == "cmp_000002"
    finally:
        ac.close()


def test_async_stats_and_repr(mock: Mock) -> None:
    async def main() -> None:
        async with campaign.AsyncClient(mock.base_url, KEY) as ac:
            await ac.get("cmp_000001")
            assert ac.stats().requests == 1
            assert KEY not in repr(ac)

    asyncio.run(main())


def test_async_timeout_covers_a_trickled_body(start_mock: Any) -> None:
    """As for Client: one attempt's `timeout` runs to the last body byte."""
    server = start_mock("--fault", "slow", "--slow-ms", "200", log=True)

    async def main() -> float:
        async with campaign.AsyncClient(server.base_url, KEY, timeout=1.0, total_timeout=30,
                                        max_retries=0) as ac:
            start = time.monotonic()
            with pytest.raises(campaign.TimeoutError) as info:
                await asyncio.wait_for(ac.get("cmp_000001"), 20)
            assert info.value.kind == "timeout" and info.value.attempts == 1
            return time.monotonic() - start

    elapsed = asyncio.run(main())
    assert 0.9 <= elapsed < 5, "timed out after %.2f s, not about 1 s" % elapsed
    assert [e["target"] for e in server.log.entries()] == ["/v1/campaigns/cmp_000001"]


def test_aclose_with_requests_in_flight_never_hangs(start_mock: Any) -> None:
    """100 AsyncClients in a row, each with five gets and a get_many waiting
    on a server that never answers, ended four ways in turn: aclose() before
    the tasks ran; aclose() once all 13 requests are submitted; close() from
    another thread once the server has seen them (the loop keeps running and
    must be told); and cancelling the tasks, then wait_idle(), then aclose().
    Each iteration is bounded (20 s); every get ends cancelled, the get_many
    raises CancelledError, and nothing stays in flight."""
    server = start_mock("--fault", "hang", log=True)
    assert server.log is not None
    ids = ["cmp_%06d" % i for i in range(40)]

    async def one(iteration: int) -> None:
        mark = "aclose-%d" % iteration
        mode = iteration % 4
        ac = campaign.AsyncClient(server.base_url, KEY, timeout=60, max_retries=0,
                                  user_agent_suffix=mark)
        seen: List[campaign.Result] = []

        async def consume() -> None:
            async for r in ac.get_many(ids, concurrency=8):
                seen.append(r)

        gets = [asyncio.ensure_future(ac.get("cmp_%06d" % (100 + k))) for k in range(5)]
        batch = asyncio.ensure_future(consume())
        if mode >= 1:
            await _until(lambda: ac.in_flight == 5 + 8, "13 requests submitted")
        if mode >= 2:
            def ours(entry: Dict[str, Any]) -> bool:
                return (header(entry, "User-Agent") or "").endswith(mark)

            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, lambda: server.log.wait_for(13, match=ours))
        if mode == 3:
            for task in gets + [batch]:
                task.cancel()
            done = await _within(asyncio.gather(*gets, batch, return_exceptions=True), 10,
                                 "iteration %d: the cancelled tasks end" % iteration)
            assert all(isinstance(r, asyncio.CancelledError) for r in done), done
            # The library confirmed each cancellation (not just forgotten).
            await _within(ac.wait_idle(), 10, "iteration %d: wait_idle() after cancelling"
                          % iteration)
            assert ac.in_flight == 0
            await ac.aclose()
            return
        if mode == 2:
            await asyncio.get_running_loop().run_in_executor(None, ac.close)
        else:
            await ac.aclose()
        done = await _within(asyncio.gather(*gets, batch, return_exceptions=True), 10,
                             "iteration %d (mode %d): the tasks end after the close"
                             % (iteration, mode))
        for r in done:
            assert isinstance(r, campaign.CancelledError), (iteration, done)
        assert all(isinstance(r.error, campaign.CancelledError) for r in seen), seen
        assert ac.in_flight == 0
        await _within(ac.wait_idle(), 10, "iteration %d: wait_idle() after the close" % iteration)

    for iteration in range(100):
        run_bounded(lambda: asyncio.run(one(iteration)), 20,
                    "iteration %d (mode %d)" % (iteration, iteration % 4))
    # Modes 2 and 3 waited for the server to see 13 requests each: they did.
    assert server.log.count() >= 50 * 13


# -- coalescing (docs/decisions.md, "Coalescing") -------------------------------


def _targeting(campaign_id: str) -> Any:
    return lambda e: e["target"] == "/v1/campaigns/" + campaign_id


def test_async_concurrent_gets_share_a_request(start_mock: Any) -> None:
    server = start_mock("--latency-ms", "400", log=True)

    async def main() -> None:
        async with campaign.AsyncClient(server.base_url, KEY, timeout=10) as ac:
            recs = await asyncio.gather(*(ac.get("cmp_000042") for _ in range(8)))
            assert all(r.id == "cmp_000042" for r in recs)
            assert server.log.count(_targeting("cmp_000042")) == 1
            st = ac.stats()
            assert (st.requests, st.coalesced) == (1, 7)
        async with campaign.AsyncClient(server.base_url, KEY, timeout=10, coalesce=False) as ac:
            await asyncio.gather(*(ac.get("cmp_000043") for _ in range(8)))
            assert server.log.count(_targeting("cmp_000043")) == 8
            assert ac.stats().coalesced == 0

    asyncio.run(main())


def test_async_cancelling_one_caller_leaves_the_others_served(start_mock: Any) -> None:
    server = start_mock("--latency-ms", "500", log=True)

    async def main() -> None:
        async with campaign.AsyncClient(server.base_url, KEY, timeout=10) as ac:
            tasks = [asyncio.ensure_future(ac.get("cmp_000042")) for _ in range(3)]
            await asyncio.sleep(0.1)
            tasks[1].cancel()
            done = await asyncio.gather(*tasks, return_exceptions=True)
            assert isinstance(done[1], asyncio.CancelledError)
            assert done[0].id == done[2].id == "cmp_000042"
            assert server.log.count(_targeting("cmp_000042")) == 1
            assert ac.stats().coalesced == 2

    asyncio.run(main())


def test_async_get_many_with_duplicate_ids(start_mock: Any) -> None:
    """Duplicates in one batch join the request in flight for their ID (the
    batch is made of single gets), and every position still gets its result."""
    server = start_mock("--latency-ms", "300", log=True)
    ids = ["cmp_000001", "cmp_000002", "cmp_000001", "cmp_missing", "cmp_000001",
           "cmp_missing", "cmp_000002"]

    async def main() -> None:
        async with campaign.AsyncClient(server.base_url, KEY, timeout=10) as ac:
            results = [r async for r in ac.get_many(ids, concurrency=8)]
            assert [r.id for r in results] == ids
            for r in results:
                if r.id == "cmp_missing":
                    assert isinstance(r.error, campaign.NotFoundError)
                else:
                    assert r.ok and r.campaign is not None and r.campaign.id == r.id
            assert server.log.count(_targeting("cmp_000001")) == 1
            assert server.log.count(_targeting("cmp_000002")) == 1
            assert server.log.count(_targeting("cmp_missing")) == 1
            st = ac.stats()
            assert (st.requests, st.coalesced) == (3, 4)

    asyncio.run(main())
