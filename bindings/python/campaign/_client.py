"""The blocking :class:`Client`, and what it shares with the asyncio one:
option handling, ID checks, queue draining, and the client handle's life."""

from __future__ import annotations

import itertools
import logging
import os
import threading
import weakref
from ctypes import byref, c_char_p, c_uint64
from queue import Empty, SimpleQueue
from types import TracebackType
from typing import (
    Any,
    Callable,
    Dict,
    Iterable,
    Iterator,
    List,
    Optional,
    Tuple,
    Type,
    Union,
)

from . import _ffi, _rate_limit
from ._rate_limit import RateLimit
from ._errors import CancelledError, Error, from_c, from_code, invalid_argument
from ._model import Campaign, Result, campaign_from_record

__all__ = ["Client", "Stats", "LogSink"]

_lib = _ffi.lib

#: A log destination: a ``logging.Logger``, or ``fn(level, message)`` where
#: ``level`` is a ``logging`` level (``logging.DEBUG`` .. ``logging.ERROR``).
LogSink = Union[logging.Logger, Callable[[int, str], Any]]

_LOG_LEVELS = {
    _ffi.LOG_DEBUG: logging.DEBUG,
    _ffi.LOG_INFO: logging.INFO,
    _ffi.LOG_WARNING: logging.WARNING,
    _ffi.LOG_ERROR: logging.ERROR,
}

# Tags of queued requests, unique in the process: a result that arrives for a
# request nobody waits for any more (an interrupted get) is recognised as stale.
_tags = itertools.count(1)

# How long one blocking wait on a queue lasts before Python gets a chance to
# run signal handlers (Ctrl-C) and check again, in milliseconds.
_WAIT_SLICE_MS = 200

# While closing, how often cancel_all is repeated until every call has left
# the library (see _Core.close), in seconds.
_CANCEL_RETRY_S = 0.01


class Stats:
    """Connection and retry counters of a client since its creation."""

    __slots__ = (
        "requests",
        "attempts",
        "retries",
        "budget_denied",
        "connections_opened",
        "connections_reused",
        "stale_resends",
        "responses_429",
        "rate_limit_waits",
        "rate_limit_wait",
        "rate_limit",
        "coalesced",
    )

    def __init__(self, raw: _ffi.campaign_stats) -> None:
        self.requests: int = raw.requests
        self.attempts: int = raw.attempts
        self.retries: int = raw.retries
        self.budget_denied: int = raw.budget_denied
        self.connections_opened: int = raw.connections_opened
        self.connections_reused: int = raw.connections_reused
        self.stale_resends: int = raw.stale_resends
        #: HTTP 429 answers received.
        self.responses_429: int = raw.responses_429
        #: Requests held back because the key's window had nothing left.
        self.rate_limit_waits: int = raw.rate_limit_waits
        #: The time they were held back, in total, in seconds.
        self.rate_limit_wait: float = raw.rate_limit_wait_ms / 1000.0
        #: The key's rate limit as last seen, or ``None``.
        self.rate_limit: Optional[RateLimit] = _rate_limit.from_stats(raw)
        #: Gets served by a request already in flight for their ID (see
        #: ``coalesce``): 500 concurrent gets of one ID give ``requests`` 1,
        #: ``coalesced`` 499.
        self.coalesced: int = raw.coalesced

    def as_dict(self) -> Dict[str, Any]:
        """The counters (and the last seen rate limit) by name."""
        return {name: getattr(self, name) for name in self.__slots__}

    def __repr__(self) -> str:
        return "Stats(%s)" % ", ".join("%s=%r" % kv for kv in self.as_dict().items())


# --------------------------------------------------------------------------
# IDs


def encode_id(campaign_id: Any) -> bytes:
    """The UTF-8 bytes of an ID for C, or raise :class:`InvalidArgumentError`.

    The library checks the ID's shape itself; this only refuses what C could
    not see faithfully (a non-str, a NUL that would cut the string short, a
    lone surrogate).
    """
    if not isinstance(campaign_id, str):
        raise invalid_argument(
            "campaign ID must be a str, not %s" % type(campaign_id).__name__
        )
    # The messages do not quote the ID: it could contain anything (the key).
    if "\0" in campaign_id:
        raise invalid_argument("invalid campaign ID: contains a NUL character")
    try:
        return campaign_id.encode("utf-8")
    except UnicodeEncodeError:
        raise invalid_argument("invalid campaign ID: not encodable as UTF-8") from None


# --------------------------------------------------------------------------
# Options


def _ms(name: str, seconds: Optional[float], allow_zero: bool = False) -> Optional[int]:
    if seconds is None:
        return None
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError("%s must be a number of seconds, not %s" % (name, type(seconds).__name__))
    if seconds != seconds or seconds < 0 or (seconds == 0 and not allow_zero):
        raise invalid_argument("%s must be a positive number of seconds" % name)
    ms = int(round(seconds * 1000))
    if ms == 0 and seconds > 0:
        ms = 1
    return ms


def _int(name: str, value: Optional[int], minimum: int = 0) -> Optional[int]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s must be an int, not %s" % (name, type(value).__name__))
    if value < minimum:
        raise invalid_argument("%s must be at least %d" % (name, minimum))
    return value


def _text_option(name: str, value: Any) -> Optional[bytes]:
    if value is None:
        return None
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if isinstance(value, bytes):
        value = os.fsdecode(value)
    if not isinstance(value, str):
        raise TypeError("%s must be a str, not %s" % (name, type(value).__name__))
    if "\0" in value:
        raise invalid_argument("%s contains a NUL character" % name)
    return value.encode("utf-8", "surrogateescape")


def _make_log_callback(sink: LogSink, api_key: str) -> Any:
    """A ``campaign_log_fn`` forwarding to ``sink``; runs on the library's I/O
    threads, so it swallows whatever the sink raises.  Masks the API key as
    "***" (defence in depth: a message that quotes an ID equal to the key
    would otherwise carry it)."""
    emit: Callable[[int, str], Any]
    if isinstance(sink, logging.Logger):
        logger = sink

        def log_to_logger(level: int, message: str) -> None:
            if logger.isEnabledFor(level):
                logger.log(level, "%s", message)

        emit = log_to_logger
    elif callable(sink):
        emit = sink
    else:
        raise TypeError("logger must be a logging.Logger or a callable(level, message)")

    def trampoline(user_data: Optional[int], level: int, message: Optional[bytes]) -> None:
        try:
            text = (message or b"").decode("utf-8", "replace")
            if api_key and api_key in text:
                text = text.replace(api_key, "***")
            emit(_LOG_LEVELS.get(level, logging.ERROR), text)
        except BaseException:  # noqa: BLE001 - never let anything unwind into C
            pass

    return _ffi.LOG_FN(trampoline)


class _Settings:
    """The options of a client, checked, in C units."""

    def __init__(
        self,
        base_url: Optional[str],
        api_key: Optional[str],
        timeout: Optional[float],
        max_retries: Optional[int],
        connect_timeout: Optional[float],
        total_timeout: Optional[float],
        backoff_initial: Optional[float],
        backoff_max: Optional[float],
        max_retry_after: Optional[float],
        retry_budget_ratio: Optional[float],
        retry_budget_burst: Optional[float],
        max_body_bytes: Optional[int],
        max_header_bytes: Optional[int],
        max_connections: Optional[int],
        idle_timeout: Optional[float],
        io_threads: Optional[int],
        user_agent_suffix: Optional[str],
        ca_file: Optional[Union[str, "os.PathLike[str]"]],
        ca_dir: Optional[Union[str, "os.PathLike[str]"]],
        insecure_skip_tls_verify: bool,
        fail_fast: bool,
        logger: Optional[LogSink],
        rate_limit_gate: bool = True,
        coalesce: bool = True,
    ) -> None:
        if base_url is None:
            base_url = os.environ.get("CAMPAIGN_BASE_URL") or None
        if api_key is None:
            api_key = os.environ.get("CAMPAIGN_API_KEY") or None
        if base_url is None:
            raise invalid_argument("no base URL: pass base_url= or set CAMPAIGN_BASE_URL")
        if api_key is None:
            raise invalid_argument("no API key: pass api_key= or set CAMPAIGN_API_KEY")
        if not isinstance(api_key, str):
            raise TypeError("api_key must be a str")
        if "\0" in api_key:
            raise invalid_argument("api_key contains a NUL character")
        self.base_url: str = base_url
        self.strs: List[Tuple[int, str, Optional[bytes]]] = [
            (_ffi.OPT_BASE_URL, "base_url", _text_option("base_url", base_url)),
            (_ffi.OPT_API_KEY, "api_key", api_key.encode("utf-8", "surrogateescape")),
            (_ffi.OPT_USER_AGENT_SUFFIX, "user_agent_suffix",
             _text_option("user_agent_suffix", user_agent_suffix)),
            (_ffi.OPT_CA_FILE, "ca_file", _text_option("ca_file", ca_file)),
            (_ffi.OPT_CA_DIR, "ca_dir", _text_option("ca_dir", ca_dir)),
        ]
        self.ints: List[Tuple[int, str, Optional[int]]] = [
            (_ffi.OPT_TIMEOUT_MS, "timeout", _ms("timeout", timeout)),
            (_ffi.OPT_CONNECT_TIMEOUT_MS, "connect_timeout", _ms("connect_timeout", connect_timeout)),
            (_ffi.OPT_TOTAL_TIMEOUT_MS, "total_timeout", _ms("total_timeout", total_timeout)),
            (_ffi.OPT_MAX_RETRIES, "max_retries", _int("max_retries", max_retries)),
            (_ffi.OPT_BACKOFF_INITIAL_MS, "backoff_initial",
             _ms("backoff_initial", backoff_initial, allow_zero=True)),
            (_ffi.OPT_BACKOFF_MAX_MS, "backoff_max", _ms("backoff_max", backoff_max, allow_zero=True)),
            (_ffi.OPT_MAX_RETRY_AFTER_MS, "max_retry_after",
             _ms("max_retry_after", max_retry_after, allow_zero=True)),
            (_ffi.OPT_MAX_BODY_BYTES, "max_body_bytes", _int("max_body_bytes", max_body_bytes, 1)),
            (_ffi.OPT_MAX_HEADER_BYTES, "max_header_bytes",
             _int("max_header_bytes", max_header_bytes, 1)),
            (_ffi.OPT_MAX_CONNECTIONS, "max_connections", _int("max_connections", max_connections, 1)),
            (_ffi.OPT_IDLE_TIMEOUT_MS, "idle_timeout", _ms("idle_timeout", idle_timeout, allow_zero=True)),
            (_ffi.OPT_IO_THREADS, "io_threads", _int("io_threads", io_threads, 1)),
            (_ffi.OPT_INSECURE_SKIP_TLS_VERIFY, "insecure_skip_tls_verify",
             1 if insecure_skip_tls_verify else None),
        ]
        self.doubles: List[Tuple[int, str, Optional[float]]] = []
        for key, name, value in (
            (_ffi.OPT_RETRY_BUDGET_RATIO, "retry_budget_ratio", retry_budget_ratio),
            (_ffi.OPT_RETRY_BUDGET_BURST, "retry_budget_burst", retry_budget_burst),
        ):
            if value is not None:
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise TypeError("%s must be a number" % name)
                if value != value or value < 0:
                    raise invalid_argument("%s must be a number >= 0" % name)
                self.doubles.append((key, name, float(value)))
        # Set only when off, so the library's default stays the default.
        self.flags: List[Tuple[int, str, int]] = [
            (key, name, 0)
            for key, name, value in (
                (_ffi.OPT_RATE_LIMIT_GATE, "rate_limit_gate", rate_limit_gate),
                (_ffi.OPT_COALESCE, "coalesce", coalesce),
            )
            if not value
        ]
        self.fail_fast = bool(fail_fast)
        self.log_callback = (
            _make_log_callback(logger, api_key) if logger is not None else None
        )

    def create(self) -> Any:
        """Create the C client; returns the ``campaign_client *``."""
        opts = _ffi.OptionsP()
        rc = _lib.campaign_options_create(byref(opts))
        if rc != _ffi.OK:
            raise from_code(rc, "campaign_options_create")
        try:
            # The preset first: every option given beside it overrides it.
            if self.fail_fast:
                self._check(_lib.campaign_options_preset_fail_fast(opts), "fail_fast")
            for key, name, text in self.strs:
                if text is not None:
                    self._check(_lib.campaign_options_set_str(opts, key, text), name)
            for key, name, number in self.ints:
                if number is not None:
                    self._check(_lib.campaign_options_set_int(opts, key, number), name)
            for key, name, real in self.doubles:
                self._check(_lib.campaign_options_set_double(opts, key, real), name)
            for key, name, flag in self.flags:
                self._check(_lib.campaign_options_set_int(opts, key, flag), name)
            if self.log_callback is not None:
                self._check(_lib.campaign_options_set_log(opts, self.log_callback, None), "logger")
            client = _ffi.ClientP()
            err = _ffi.ErrorP()
            rc = _lib.campaign_client_create(opts, byref(client), byref(err))
            if rc != _ffi.OK:
                if err:
                    raise from_c(err)
                raise from_code(rc, "campaign_client_create")
            return client
        finally:
            _lib.campaign_options_free(opts)

    @staticmethod
    def _check(rc: int, name: str) -> None:
        # The value is never part of the message: it may be the API key.
        if rc != _ffi.OK:
            raise from_code(rc, "option %s" % name)


# --------------------------------------------------------------------------
# The client handle's life


class _Core:
    """Owns a ``campaign_client *`` and serialises its destruction against
    calls in progress: :meth:`close` waits until no thread is inside a call
    (waking blocked ones with ``cancel_all``), then destroys it once."""

    def __init__(self, ptr: Any, log_callback: Any) -> None:
        self.ptr = ptr
        self.log_callback = log_callback  # referenced while C may call it
        self.cond = threading.Condition(threading.Lock())
        self.active = 0
        self.closed = False
        self.destroyed = False
        self.queues: List[Any] = []  # idle queues for blocking gets

    def acquire(self) -> Any:
        with self.cond:
            if self.closed:
                raise CancelledError("the client is closed", kind="cancelled", code=_ffi.E_CANCELLED)
            self.active += 1
        return self.ptr

    def release(self) -> None:
        with self.cond:
            self.active -= 1
            if self.active == 0 and self.closed:
                self.cond.notify_all()

    def take_queue(self) -> Any:
        try:
            return self.queues.pop()
        except IndexError:
            return new_queue()

    def give_queue(self, queue: Any) -> None:
        self.queues.append(queue)

    def close(self) -> None:
        if on_foreign_thread():
            # A finalizer run by the garbage collector inside a library
            # callback, on an I/O thread: destroying from there would join
            # that very thread. Do it from a thread of our own.
            threading.Thread(target=self.close, name="campaign-close").start()
            return
        with self.cond:
            if self.closed:
                while not self.destroyed:
                    self.cond.wait()
                return
            self.closed = True
        # Wake the calls inside the library: they see their requests
        # cancelled, and a running get_batch stops submitting. One
        # cancel_all is not enough: a call that acquired the handle before
        # `closed` was set may reach the library only after it (a get_batch
        # that starts then is a new batch). So: cancel, then re-check
        # `active`, and again until no call is left; never decide from a
        # stale look.
        # (A get re-checks `closed` after its submit, so it needs one round.)
        while True:
            with self.cond:
                if not self.active:
                    break
            _lib.campaign_client_cancel_all(self.ptr)
            with self.cond:
                if self.active:
                    self.cond.wait(_CANCEL_RETRY_S)
        _lib.campaign_client_destroy(self.ptr)
        self.ptr = None
        queues, self.queues = self.queues, []
        for q in queues:
            _lib.campaign_queue_free(q)
        self.log_callback = None
        with self.cond:
            self.destroyed = True
            self.cond.notify_all()


_DummyThread: Any = getattr(threading, "_DummyThread", None)


def on_foreign_thread() -> bool:
    """True on a thread Python did not start (a library I/O thread running a
    callback)."""
    return _DummyThread is not None and isinstance(threading.current_thread(), _DummyThread)


def new_queue() -> Any:
    """A new ``campaign_queue *`` (the caller frees it)."""
    queue = _ffi.QueueP()
    rc = _lib.campaign_queue_create(byref(queue))
    if rc != _ffi.OK:
        raise from_code(rc, "campaign_queue_create")
    return queue


def take_result(record: Any, error: Any) -> Tuple[Optional[Campaign], Optional[Error]]:
    """Python objects for a (record, error) pair the caller owns."""
    if record:
        return campaign_from_record(record), None
    if error:
        return None, from_c(error)
    return None, from_code(_ffi.E_INTERNAL, "a result with neither record nor error")


def discard(record: Any, error: Any) -> None:
    """Free a (record, error) pair nobody wants."""
    if record:
        _lib.campaign_record_free(record)
    if error:
        _lib.campaign_error_free(error)


# --------------------------------------------------------------------------
# Client


class Client:
    """A blocking client of the Campaigns API, safe to share between threads.

    Args:
        base_url: the API's base URL with its version prefix
            (``"https://api.example.com/v1"``); default ``CAMPAIGN_BASE_URL``.
        api_key: the bearer key; default ``CAMPAIGN_API_KEY``.  It never appears
            in an exception, a log message or ``repr()``.
        timeout: seconds for one attempt, connect to last body byte.
        max_retries: retries after the first attempt (0 disables them).
        connect_timeout: seconds for DNS + TCP + TLS (library default 10).
        total_timeout: seconds for all attempts and waits (library default 120).
        backoff_initial, backoff_max: the retry backoff's first ceiling and cap,
            in seconds (library defaults 0.5 and 8).
        max_retry_after: the longest server-requested wait honoured, seconds.
        retry_budget_ratio, retry_budget_burst: the retry token bucket.
        max_body_bytes: response body limit (library default 8 MiB).
        max_header_bytes: response header limit (library default 64 KiB).
        max_connections: connections per I/O thread (library default 64).
        idle_timeout: seconds an idle keep-alive connection is kept.
        io_threads: the library's I/O threads (default 1).
        ca_file, ca_dir: CA bundle / hashed directory to trust instead of the
            system's.
        insecure_skip_tls_verify: turn TLS verification OFF (never do this).
        user_agent_suffix: a product token appended to the User-Agent.
        fail_fast: start from the library's fail-fast preset (answer within
            about 2 s, one retry); every option given beside it overrides
            the preset's value.
        rate_limit_gate: wait for the API key's rate-limit window (shared by
            every client of that key in the process) instead of sending
            requests that would meet a 429 (default ``True``).  ``False``
            sends every attempt at once; a 429 is then retried like any other.
        coalesce: concurrent gets of one ID share one request, each caller
            keeping its own cancellation and deadline (default ``True``);
            counted in :attr:`Stats.coalesced`.  ``False``: one request per
            get.
        logger: where the library's log messages go: a ``logging.Logger`` or a
            ``fn(level, message)`` callable (called on the library's I/O
            threads: keep it quick, and do not call the client from it).
            Default: nowhere.

    Use it as a context manager, or call :meth:`close`; a client that is
    garbage-collected unclosed is closed then.
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
        self._core = _Core(settings.create(), settings.log_callback)
        self._finalizer = weakref.finalize(self, self._core.close)

    # -- life -------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The configured base URL."""
        return self._base_url

    @property
    def closed(self) -> bool:
        """True once :meth:`close` was called."""
        return self._core.closed

    def close(self) -> None:
        """Cancel what is in flight, stop the I/O threads, close connections.
        Idempotent; blocking calls in other threads raise
        :class:`CancelledError`."""
        self._finalizer()

    def __enter__(self) -> "Client":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return "<campaign.Client base_url=%r%s>" % (
            self._base_url,
            " closed" if self._core.closed else "",
        )

    def __reduce__(self) -> Any:
        raise TypeError("a campaign.Client cannot be pickled")

    # -- fetching ---------------------------------------------------------------

    def get(self, campaign_id: str) -> Campaign:
        """Fetch one campaign.

        Raises the :class:`Error` subclass of what went wrong
        (:class:`NotFoundError`, :class:`TimeoutError`, ...).  Blocks with the
        GIL released; Ctrl-C cancels the request.
        """
        data = encode_id(campaign_id)
        core = self._core
        ptr = core.acquire()
        try:
            queue = core.take_queue()
            try:
                record, error = _fetch_one(core, ptr, queue, data)
            finally:
                core.give_queue(queue)
        finally:
            core.release()
        if record:
            return campaign_from_record(record)
        raise error_from(error)

    def get_many(self, ids: Iterable[Any], concurrency: int = 32) -> Iterator[Result]:
        """Fetch many campaigns, at most ``concurrency`` at once; yield one
        :class:`Result` per ID, in input order.

        ``ids`` may be any iterable (a generator, a file's lines stripped, ...);
        it is read lazily, in chunks of ``max(16 * concurrency, 256)`` IDs at
        most two chunks ahead of the results, so memory stays bounded by
        ``concurrency`` whatever the input's length.  A failed ID (not found,
        invalid, timed out, ...) is a ``Result`` with ``ok`` false and the
        exception in ``error``.

        Each chunk is fetched by one ``campaign_client_get_batch`` call (GIL
        released) on a helper thread while the previous chunk's results are
        consumed.  Closing the iterator early (or dropping it) drops the chunks
        not started; the chunk being fetched, if any, completes in the
        background and is freed (:meth:`close` on the client cancels it).
        """
        if isinstance(concurrency, bool) or not isinstance(concurrency, int):
            raise TypeError("concurrency must be an int")
        if concurrency < 1:
            raise invalid_argument("concurrency must be at least 1")
        if isinstance(ids, (str, bytes)):
            raise TypeError("get_many() takes an iterable of IDs, not a single %s" % type(ids).__name__)
        return _get_many(self, iter(ids), concurrency)

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


def _fetch_one(core: _Core, ptr: Any, queue: Any, data: bytes) -> Tuple[Any, Any]:
    """Submit one fetch to ``queue`` and wait for its result; returns the C
    (record, error) pair, exactly one set, owned by the caller."""
    tag = next(_tags)
    request = c_uint64(0)
    rc = _lib.campaign_client_submit_to_queue(ptr, data, queue, tag, byref(request))
    if rc != _ffi.OK:
        return None, _CodeOnly(rc)
    # Read `closed` only after the submit: close() sets it before cancelling,
    # so either we see it here or its cancel_all comes after our submit.
    if core.closed:
        _lib.campaign_client_cancel(ptr, request.value)
    got_tag = c_uint64(0)
    try:
        # Drain with next() until it reports empty, and only then wait: the
        # wait returns as soon as a result is pushed after that next(), so no
        # result (the cancellation close() causes included) is missed. There
        # is no flag to look at: the awaited result itself ends the loop.
        while True:
            record = _ffi.RecordP()
            error = _ffi.ErrorP()
            rc = _lib.campaign_queue_next(queue, byref(got_tag), byref(record), byref(error))
            if rc == _ffi.OK:
                if got_tag.value == tag:
                    return record, error
                discard(record, error)  # a stale result of an interrupted get
            elif rc == _ffi.E_AGAIN:
                _lib.campaign_queue_wait(queue, _WAIT_SLICE_MS)
            else:
                raise from_code(rc, "campaign_queue_next")
    except BaseException:
        # Ctrl-C (or anything else) while waiting: cancel; the late result
        # is recognised as stale and freed by whoever uses the queue next.
        _lib.campaign_client_cancel(ptr, request.value)
        raise


class _CodeOnly:
    """A refused submission's code, where a ``campaign_error *`` would be."""

    __slots__ = ("code",)

    def __init__(self, code: int) -> None:
        self.code = code


def error_from(error: Any) -> Error:
    """The exception for what :func:`_fetch_one` returned as its error."""
    if isinstance(error, _CodeOnly):
        return from_code(error.code, "submit")
    return from_c(error)


# --------------------------------------------------------------------------
# get_many over campaign_client_get_batch, one chunk ahead on a worker thread


class _Chunk:
    """One chunk of IDs and, once fetched, its results (C arrays we own)."""

    __slots__ = ("items", "invalid", "n", "ids", "records", "errors", "rc", "taken")

    def __init__(self, items: List[Any]) -> None:
        self.items = items
        self.invalid: Dict[int, Error] = {}
        encoded: List[bytes] = []
        for i, item in enumerate(items):
            try:
                encoded.append(encode_id(item))
            except Error as exc:
                self.invalid[i] = exc
                encoded.append(b"")  # the library reports it as invalid; ours wins
        self.n = n = len(items)
        self.ids = (c_char_p * n)(*encoded)  # keeps the bytes alive
        self.records = (_ffi.RecordP * n)()
        self.errors = (_ffi.ErrorP * n)()
        self.rc = -1
        self.taken = 0  # positions handed out (owned by Python objects) so far

    def free_rest(self) -> None:
        """Free every result not handed out yet."""
        records, errors = self.records, self.errors
        for i in range(self.taken, self.n):
            discard(records[i], errors[i])
        self.taken = self.n


class _Batcher:
    """Feeds chunks to a worker thread that runs campaign_client_get_batch on
    each (GIL released for the whole chunk), one chunk ahead of the consumer."""

    def __init__(self, core: _Core, concurrency: int) -> None:
        self.core = core
        self.concurrency = concurrency
        self.lock = threading.Lock()
        self.abandoned = False
        self.jobs: "SimpleQueue[Optional[_Chunk]]" = SimpleQueue()
        self.done: "SimpleQueue[_Chunk]" = SimpleQueue()
        self.thread = threading.Thread(target=self._work, name="campaign-get-many", daemon=True)
        self.thread.start()

    def _work(self) -> None:
        get_batch = _lib.campaign_client_get_batch
        while True:
            chunk = self.jobs.get()
            if chunk is None:
                return
            if self.abandoned:
                continue  # queued before the consumer left: not fetched at all
            try:
                ptr = self.core.acquire()
            except CancelledError:
                chunk.rc = _ffi.E_CANCELLED
            else:
                try:
                    chunk.rc = get_batch(ptr, chunk.ids, chunk.n, self.concurrency,
                                         chunk.records, chunk.errors)
                except BaseException:  # noqa: BLE001 - the consumer must still get the chunk
                    chunk.rc = _ffi.E_INTERNAL
                finally:
                    self.core.release()
            with self.lock:
                if self.abandoned:
                    chunk.free_rest()
                    continue
                self.done.put(chunk)

    def submit(self, chunk: _Chunk) -> None:
        self.jobs.put(chunk)

    def next_done(self) -> _Chunk:
        return self.done.get()

    def abandon(self, current: Optional[_Chunk]) -> None:
        """Stop: free what the consumer holds and what is done; the chunk in
        progress (if any) is freed by the worker when get_batch returns."""
        with self.lock:
            self.abandoned = True
            if current is not None:
                current.free_rest()
            while True:
                try:
                    self.done.get_nowait().free_rest()
                except Empty:
                    break
        self.jobs.put(None)


def _get_many(client: Client, it: Iterator[Any], concurrency: int) -> Iterator[Result]:
    """The generator behind :meth:`Client.get_many` (holds ``client`` alive).

    Reads the input in chunks of ``max(16 * concurrency, 256)`` IDs; a worker
    thread fetches chunk k+1 with one campaign_client_get_batch call (which
    keeps ``concurrency`` requests in flight) while the consumer turns chunk
    k into Results.  At most two chunks are held at a time.
    """
    core = client._core
    if core.closed:
        raise CancelledError("the client is closed", kind="cancelled", code=_ffi.E_CANCELLED)
    size = max(16 * concurrency, 256)
    batcher = _Batcher(core, concurrency)
    current: Optional[_Chunk] = None
    in_flight = 0
    exhausted = False
    OK = _ffi.OK
    try:
        while True:
            # Keep one chunk queued behind the one being fetched.
            while in_flight < 2 and not exhausted:
                items = list(itertools.islice(it, size))
                if len(items) < size:
                    exhausted = True
                if items:
                    batcher.submit(_Chunk(items))
                    in_flight += 1
            if in_flight == 0:
                return
            current = batcher.next_done()
            in_flight -= 1
            rc = current.rc
            if rc == _ffi.E_CANCELLED and not current.taken and core.closed:
                raise CancelledError("the client is closed", kind="cancelled",
                                     code=_ffi.E_CANCELLED)
            items, invalid = current.items, current.invalid
            records, errors = current.records, current.errors
            for i in range(current.n):
                record = records[i]
                error = errors[i]
                current.taken = i + 1  # owned by the objects made below
                if rc != OK:
                    discard(record, error)
                    yield Result(items[i], None, from_code(rc, "get_batch"))
                elif i in invalid:
                    discard(record, error)
                    yield Result(items[i], None, invalid[i])
                elif record:
                    yield Result(items[i], campaign_from_record(record), None)
                else:
                    yield Result(items[i], None, error_from(error) if error else
                                 from_code(_ffi.E_INTERNAL, "no result"))
            current = None
    finally:
        batcher.abandon(current)
