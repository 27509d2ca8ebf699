"""RateLimit: the API key's rate limit as last seen (docs/api.md, "Rate limits")."""

from __future__ import annotations

import ctypes
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, NamedTuple, Optional

from . import _ffi

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class RateLimit(NamedTuple):
    """What the server's ``X-RateLimit-*`` headers said, as last seen for the
    client's key; a header the server did not send is ``None``.

    ``reset`` is when the window resets, on this machine's clock (UTC).
    """

    limit: Optional[int]
    remaining: Optional[int]
    reset: Optional[datetime]


def _from_parts(present: int, limit: int, remaining: int, reset_ms: int) -> Optional[RateLimit]:
    if not present:
        return None
    reset = None
    if present & _ffi.RATE_LIMIT_HAS_RESET:
        try:
            reset = _EPOCH + timedelta(milliseconds=reset_ms)
        except OverflowError:
            reset = None  # outside datetime's years: as good as unknown
    return RateLimit(
        limit if present & _ffi.RATE_LIMIT_HAS_LIMIT else None,
        remaining if present & _ffi.RATE_LIMIT_HAS_REMAINING else None,
        reset,
    )


def read(getter: Callable[[Any, Any], int], handle: Any) -> Optional[RateLimit]:
    """The RateLimit of a record or error handle through its C getter."""
    raw = _ffi.campaign_rate_limit(_ffi.RATE_LIMIT_SIZE)
    if getter(handle, ctypes.byref(raw)) != _ffi.OK:
        return None
    return _from_parts(raw.present, raw.limit, raw.remaining, raw.reset_ms)


def from_stats(raw: Any) -> Optional[RateLimit]:
    """The RateLimit of a ``campaign_stats``."""
    return _from_parts(raw.rate_limit_present, raw.rate_limit_limit, raw.rate_limit_remaining,
                       raw.rate_limit_reset_ms)
