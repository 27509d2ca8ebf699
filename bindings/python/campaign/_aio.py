"""The asyncio client: one completion queue per client, polled by the event
loop (``loop.add_reader`` on the queue's descriptor); no thread per request."""

from __future__ import annotations

import asyncio
import collections
import os
import threading
import weakref
from ctypes import byref, c_uint64
from types import TracebackType
from typing import (
    Any,
    AsyncIterable,
    AsyncIterator,
    Deque,
    Dict,
    Iterable,
    List,
    Optional,
    Tuple,
    Type,
    Union,
)

from . import _ffi
from ._client import (
    LogSink,
    Stats,
    _Core,
    _Settings,
    _tags,
    discard,
    encode_id,
    new_queue,
    on_foreign_thread,
    take_result,
)
from ._errors import CancelledError, Error, from_code, invalid_argument
from ._model import Campaign, Result

__all__ = ["AsyncClient"]

_lib = _ffi.lib


def _closed_error() -> CancelledError:
    return CancelledError("the client is closed", kind="cancelled", code=_ffi.E_CANCELLED)


class _Group:
    """The requests of one async get_many still in flight."""

    __slots__ = ("in_flight",)

    def __init__(self) -> None:
        self.in_flight = 0


class _Waiters:
    """The queue of an :class:`AsyncClient` and the futures waiting on it.

    Lives on one event loop at a time: the descriptor is registered with
    ``add_reader`` while at least one request is outstanding, and the loop may
    change whenever none is (so ``asyncio.run()`` twice with one client works).
    """

    def __init__(self) -> None:
        self.queue = new_queue()
        self.fd: int = _lib.campaign_queue_fd(self.queue)
        self.futures: Dict[int, "asyncio.Future[Campaign]"] = {}
        # Tags submitted by an async get_many, to count its requests in flight.
        self.groups: Dict[int, _Group] = {}
        # Futures of get_many iterators waiting for any result to arrive.
        self.watchers: List["asyncio.Future[None]"] = []
        self.loop: Optional[asyncio.AbstractEventLoop] = None
        self.reading = False
        self.idle: Optional["asyncio.Future[None]"] = None  # resolved when futures empties
        self.freed = False

    def bind(self) -> asyncio.AbstractEventLoop:
        loop = asyncio.get_running_loop()
        old = self.loop
        if loop is not old:
            if self.futures:
                # A loop that ended (asyncio.run returned) leaves at most the
                # futures of cancelled requests: their late results will be
                # discarded as unknown tags.
                if (
                    old is not None
                    and not old.is_running()
                    and all(f.done() for f in self.futures.values())
                ):
                    self.futures.clear()
                    self.groups.clear()
                else:
                    raise RuntimeError(
                        "this AsyncClient has requests in flight on another event loop"
                    )
            if self.reading and old is not None and not old.is_closed():
                old.remove_reader(self.fd)
            self.reading = False
            self.watchers = []
            self.idle = None
            self.loop = loop
        return loop

    def add(
        self, tag: int, loop: asyncio.AbstractEventLoop, group: "Optional[_Group]" = None
    ) -> "asyncio.Future[Campaign]":
        fut: "asyncio.Future[Campaign]" = loop.create_future()
        self.futures[tag] = fut
        if group is not None:
            self.groups[tag] = group
            group.in_flight += 1
        if not self.reading:
            loop.add_reader(self.fd, self.drain)
            self.reading = True
        return fut

    def forget(self, tag: int) -> None:
        """A submission was refused: no result will come for ``tag``."""
        self.futures.pop(tag, None)
        self._settled(tag)
        self._maybe_idle()

    def progress(self, loop: asyncio.AbstractEventLoop) -> "asyncio.Future[None]":
        """A future resolved when the next result arrives (any tag)."""
        fut: "asyncio.Future[None]" = loop.create_future()
        self.watchers.append(fut)
        return fut

    def _wake_watchers(self) -> None:
        watchers, self.watchers = self.watchers, []
        for fut in watchers:
            if not fut.done():
                fut.set_result(None)

    def _settled(self, tag: int) -> None:
        if self.groups:
            group = self.groups.pop(tag, None)
            if group is not None:
                group.in_flight -= 1

    def drain(self) -> None:
        """The reader callback: resolve the futures of every result waiting.

        Drains until next() reports empty, and only then looks at what
        depends on it (watchers, idle, whether to keep reading): a decision
        taken on a look before the drain could miss what the drain brought.
        A result pushed after the final next() makes the descriptor readable
        again, and the (level-triggered) reader runs this once more."""
        queue = self.queue
        futures = self.futures
        got_tag = c_uint64(0)
        queue_next = _lib.campaign_queue_next
        RecordP = _ffi.RecordP
        ErrorP = _ffi.ErrorP
        while not self.freed:
            record = RecordP()
            error = ErrorP()
            rc = queue_next(queue, byref(got_tag), byref(record), byref(error))
            if rc != _ffi.OK:
                break  # E_AGAIN: empty (and the wakeup, if any, consumed)
            tag = got_tag.value
            fut = futures.pop(tag, None)
            if self.groups:
                self._settled(tag)
            if fut is None or fut.done():  # cancelled meanwhile
                discard(record, error)
                continue
            campaign, exc = take_result(record, error)
            if exc is None:
                fut.set_result(campaign)  # type: ignore[arg-type]
            else:
                fut.set_exception(exc)
        if self.watchers:
            self._wake_watchers()
        self._maybe_idle()

    def _maybe_idle(self) -> None:
        if self.futures:
            return
        if self.reading and self.loop is not None:
            self.loop.remove_reader(self.fd)
            self.reading = False
        if self.idle is not None and not self.idle.done():
            self.idle.set_result(None)

    async def wait_idle(self) -> None:
        """Wait until no result is outstanding (cancelled ones included)."""
        if not self.futures:
            return
        loop = self.bind()
        if self.idle is None or self.idle.done():
            self.idle = loop.create_future()
        await self.idle

    def close(self) -> None:
        """After the client was destroyed (every result delivered): fail the
        remaining futures, stop reading, and free the queue."""
        if self.freed:
            return
        loop = self.loop
        on_loop = False
        if loop is not None:
            try:
                on_loop = asyncio.get_running_loop() is loop
            except RuntimeError:
                on_loop = False
        if loop is not None and not on_loop and loop.is_running() and not loop.is_closed():
            # Another thread (a finalizer): finish on the loop's own thread.
            try:
                loop.call_soon_threadsafe(self._finish_close)
                return
            except RuntimeError:
                pass  # closed meanwhile
        self._finish_close()

    def _finish_close(self) -> None:
        if self.freed:
            return
        # Collect every result still in the queue (the destroyed client
        # delivered all of them), then fail whoever still waits, and wake
        # the get_many iterators waiting for progress (they then see the
        # client closed): nobody may be left waiting on a queue now freed.
        self.drain_all()
        waiting, self.futures = list(self.futures.values()), {}
        self.groups.clear()
        if self.reading and self.loop is not None and not self.loop.is_closed():
            try:
                self.loop.remove_reader(self.fd)
            except Exception:  # noqa: BLE001 - the loop is going away
                pass
        self.reading = False
        self.freed = True
        _lib.campaign_queue_free(self.queue)
        for fut in waiting:
            if not fut.done():
                try:
                    fut.set_exception(_closed_error())
                except RuntimeError:  # its loop is closed
                    pass
        try:
            self._wake_watchers()
        except RuntimeError:
            pass
        if self.idle is not None and not self.idle.done():
            try:
                self.idle.set_result(None)
            except RuntimeError:
                pass

    def drain_all(self) -> None:
        got_tag = c_uint64(0)
        while True:
            record = _ffi.RecordP()
            error = _ffi.ErrorP()
            rc = _lib.campaign_queue_next(self.queue, byref(got_tag), byref(record), byref(error))
            if rc != _ffi.OK:
                return
            fut = self.futures.pop(got_tag.value, None)
            self._settled(got_tag.value)
            if fut is None or fut.done():
                discard(record, error)
                continue
            campaign, exc = take_result(record, error)
            try:
                if exc is None:
                    fut.set_result(campaign)  # type: ignore[arg-type]
                else:
                    fut.set_exception(exc)
            except RuntimeError:  # its loop is closed
                pass


def _close(core: _Core, waiters: _Waiters) -> None:
    if on_foreign_thread():  # see _Core.close
        threading.Thread(target=_close, args=(core, waiters), name="campaign-close").start()
        return
    # Destroy first: it delivers CANCELLED for everything in flight into the
    # queue, and only then may the queue be freed.
    core.close()
    waiters.close()


class AsyncClient:
    """An asyncio client of the Campaigns API.

    Takes the same arguments as :class:`Client`.  Any number of
    ``await client.get(id)`` may run at once on one event loop; the results
    arrive through one completion queue whose descriptor the loop watches
    (``loop.add_reader``), so no thread is used per request.  Cancelling the
    awaiting task cancels the request in the library.

    Use ``async with``, or ``await client.aclose()``.
    """

    def __init__(
        self,
        base_url: Optional[str] = None,
        api_key: Optional[str] = None,
        *,
        timeout: float = 30.0,
        max_retries: int = 2,
        connect_timeout: Optional[float] = None,
        total_timeout: Optional[float] = None,
        backoff_initial: Optional[float] = None,
        backoff_max: Optional[float] = None,
        max_retry_after: Optional[float] = None,
        retry_budget_ratio: Optional[float] = None,
        retry_budget_burst: Optional[float] = None,
        max_body_bytes: Optional[int] = None,
        max_header_bytes: Optional[int] = None,
        max_connections: Optional[int] = None,
        idle_timeout: Optional[float] = None,
        io_threads: Optional[int] = None,
        ca_file: Optional[Union[str, "os.PathLike[str]"]] = None,
        ca_dir: Optional[Union[str, "os.PathLike[str]"]] = None,
        insecure_skip_tls_verify: bool = False,
        user_agent_suffix: Optional[str] = None,
        fail_fast: bool = False,
        logger: Optional[LogSink] = None,
        rate_limit_gate: bool = True,
        coalesce: bool = True,
    ) -> None:
        settings = _Settings(
            base_url, api_key, timeout, max_retries, connect_timeout, total_timeout,
            backoff_initial, backoff_max, max_retry_after, retry_budget_ratio,
            retry_budget_burst, max_body_bytes, max_header_bytes, max_connections,
            idle_timeout, io_threads, user_agent_suffix, ca_file, ca_dir,
            insecure_skip_tls_verify, fail_fast, logger, rate_limit_gate, coalesce,
        )
        self._base_url = settings.base_url
        waiters = _Waiters()
        try:
            core = _Core(settings.create(), settings.log_callback)
        except BaseException:
            waiters.freed = True
            _lib.campaign_queue_free(waiters.queue)
            raise
        self._core = core
        self._waiters = waiters
        self._finalizer = weakref.finalize(self, _close, core, waiters)

    # -- life -------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The configured base URL."""
        return self._base_url

    @property
    def closed(self) -> bool:
        """True once closed."""
        return self._core.closed

    def close(self) -> None:
        """Close now: requests in flight fail with :class:`CancelledError`."""
        self._finalizer()

    async def aclose(self) -> None:
        """Close: requests in flight fail with :class:`CancelledError`."""
        self._finalizer()

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return "<campaign.AsyncClient base_url=%r%s>" % (
            self._base_url,
            " closed" if self._core.closed else "",
        )

    def __reduce__(self) -> Any:
        raise TypeError("a campaign.AsyncClient cannot be pickled")

    @property
    def in_flight(self) -> int:
        """Requests submitted whose results have not arrived yet (including
        cancelled ones, until the library confirms them)."""
        return len(self._waiters.futures)

    async def wait_idle(self) -> None:
        """Wait until :attr:`in_flight` is 0."""
        await self._waiters.wait_idle()

    # -- fetching ---------------------------------------------------------------

    def _submit(
        self, data: bytes, loop: asyncio.AbstractEventLoop, group: Optional[_Group] = None
    ) -> Tuple["asyncio.Future[Campaign]", int]:
        waiters = self._waiters
        request = c_uint64(0)
        ptr = self._core.acquire()  # raises CancelledError once closed
        try:
            if waiters.freed:
                raise _closed_error()
            tag = next(_tags)
            fut = waiters.add(tag, loop, group)
            rc = _lib.campaign_client_submit_to_queue(ptr, data, waiters.queue, tag, byref(request))
        finally:
            self._core.release()
        if rc != _ffi.OK:
            waiters.forget(tag)
            fut.cancel()
            raise from_code(rc, "submit")
        return fut, request.value

    def _cancel(self, request: int) -> None:
        try:
            ptr = self._core.acquire()
        except CancelledError:
            return
        try:
            _lib.campaign_client_cancel(ptr, request)
        finally:
            self._core.release()

    async def get(self, campaign_id: str) -> Campaign:
        """Fetch one campaign; raises the :class:`Error` subclass of what went
        wrong.  Cancelling the awaiting task cancels the request."""
        data = encode_id(campaign_id)
        loop = self._waiters.bind()
        fut, request = self._submit(data, loop)
        try:
            return await fut
        except asyncio.CancelledError:
            if fut.cancelled():
                self._cancel(request)
            raise

    def get_many(
        self,
        ids: Union[Iterable[Any], AsyncIterable[Any]],
        concurrency: int = 32,
    ) -> AsyncIterator[Result]:
        """Fetch many campaigns, at most ``concurrency`` at once; an async
        iterator of one :class:`Result` per ID, in input order.

        ``ids`` may be an iterable or an async iterable, read lazily (memory
        stays bounded by ``concurrency``).  A failed ID is a ``Result`` with
        ``ok`` false.  Closing the iterator (or cancelling its task) cancels
        what it has in flight.
        """
        if isinstance(concurrency, bool) or not isinstance(concurrency, int):
            raise TypeError("concurrency must be an int")
        if concurrency < 1:
            raise invalid_argument("concurrency must be at least 1")
        if isinstance(ids, (str, bytes)):
            raise TypeError("get_many() takes an iterable of IDs, not a single %s" % type(ids).__name__)
        return _aget_many(self, ids, concurrency)

    def stats(self) -> Stats:
        """The client's connection and retry counters."""
        raw = _ffi.campaign_stats(_ffi.STATS_SIZE)
        ptr = self._core.acquire()
        try:
            rc = _lib.campaign_client_stats(ptr, byref(raw))
        finally:
            self._core.release()
        if rc != _ffi.OK:
            raise from_code(rc, "stats")
        return Stats(raw)


async def _aget_many(
    client: AsyncClient,
    ids: Union[Iterable[Any], AsyncIterable[Any]],
    concurrency: int,
) -> AsyncIterator[Result]:
    loop = client._waiters.bind()
    if hasattr(ids, "__aiter__"):
        ait: Optional[AsyncIterator[Any]] = ids.__aiter__()
        it = None
    else:
        ait = None
        it = iter(ids)
    # At most `concurrency` requests in flight, at most `window` IDs read and
    # not yet yielded (results that wait for a slower one ahead of them).
    window_size = max(4 * concurrency, 256)
    group = _Group()
    # Entries in input order: [id, future or None, error or None, request].
    window: Deque[List[Any]] = collections.deque()
    exhausted = False
    try:
        while True:
            while not exhausted and group.in_flight < concurrency and len(window) < window_size:
                try:
                    if ait is not None:
                        item = await ait.__anext__()
                    else:
                        item = next(it)  # type: ignore[arg-type]
                except (StopIteration, StopAsyncIteration):
                    exhausted = True
                    break
                try:
                    fut, request = client._submit(encode_id(item), loop, group)
                except CancelledError:
                    raise  # the client is closed: not a per-ID failure
                except Error as exc:
                    window.append([item, None, exc, 0])
                    continue
                window.append([item, fut, None, request])
            if not window:
                return
            entry = window[0]  # stays in the window (cancellable) until resolved
            fut = entry[1]
            result: Result
            if fut is None:
                result = Result(entry[0], None, entry[2])
            elif fut.done() or exhausted or len(window) >= window_size:
                try:
                    result = Result(entry[0], await fut, None)
                except Error as exc:
                    result = Result(entry[0], None, exc)
            else:
                # Every slot busy but room in the window: wait for any
                # completion, then top up (don't let a slow head idle slots).
                await client._waiters.progress(loop)
                continue
            window.popleft()
            yield result
    finally:
        for entry in window:
            fut = entry[1]
            if fut is None:
                continue
            if not fut.done():
                fut.cancel()
            if fut.cancelled():  # by us, or by the task's cancellation
                client._cancel(entry[3])
            else:
                fut.exception()  # mark an error result as seen: nobody will ask
