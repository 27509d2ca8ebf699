"""campaign: fetch and decode calling-campaign records from the Campaigns API.

A thin, typed binding of ``libcampaign.so.1`` (the ``campaign.h`` C ABI)
through :mod:`ctypes`::

    import campaign

    with campaign.Client("https://api.example.com/v1", "sk_...") as client:
        rec = client.get("cmp_xyz789")
        print(rec.name, rec.status, rec.progress)
        for r in client.get_many(ids, concurrency=32):   # input order
            print(r.id, r.campaign if r.ok else r.error)

    async with campaign.AsyncClient(...) as ac:
        rec = await ac.get("cmp_xyz789")

    rec = campaign.parse(json_text)      # decode without the network

``CAMPAIGN_BASE_URL`` / ``CAMPAIGN_API_KEY`` are the defaults of the base URL
and key; ``CAMPAIGN_LIBRARY`` overrides the shared library loaded.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from . import _ffi
from ._aio import AsyncClient
from ._client import Client, LogSink, Stats
from ._errors import (
    AuthenticationError,
    CancelledError,
    ConnectionError,
    DecodeError,
    Error,
    HTTPError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    ServerError,
    TimeoutError,
    TLSError,
)
from ._model import Campaign, Result, RetryConfig, Status, parse
from ._rate_limit import RateLimit

__version__ = "0.1.0"

#: The version of the loaded libcampaign (``campaign_version()``).
library_version: str = _ffi.version()
#: The path of the loaded libcampaign.
library_path: str = _ffi.LIBRARY_PATH
#: The loaded libcampaign's features: ``{"tls": bool, "threads": bool}``.
features = _ffi.features()

__all__ = [
    "AsyncClient",
    "AuthenticationError",
    "Campaign",
    "CancelledError",
    "Client",
    "ConnectionError",
    "DecodeError",
    "Error",
    "HTTPError",
    "InternalError",
    "InvalidArgumentError",
    "LogSink",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitError",
    "ResponseTooLargeError",
    "Result",
    "RetryConfig",
    "ServerError",
    "Stats",
    "Status",
    "TLSError",
    "TimeoutError",
    "get_many",
    "library_path",
    "library_version",
    "parse",
]


def get_many(ids: Iterable[Any], concurrency: int = 32, **client_options: Any) -> Iterator[Result]:
    """Fetch many campaigns with a client made for the purpose (its options
    as keyword arguments, base URL and key from the environment by default);
    yields one :class:`Result` per ID, in input order, and closes the client
    when the iteration ends."""
    client = Client(**client_options)
    try:
        yield from client.get_many(ids, concurrency=concurrency)
    finally:
        client.close()
