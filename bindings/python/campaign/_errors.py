"""The exception hierarchy, and its construction from C error objects.

Every error of the library is a :class:`Error` carrying the API contract's
kind (``"not_found"``), the HTTP status when a response came, the message
(never containing the API key), the ``X-Request-Id``, the number of attempts
made and the wait the server asked for.  The subclass says what happened:

==========================  =====================================================
kind                        class
==========================  =====================================================
``invalid_argument``        :class:`InvalidArgumentError` (also a ``ValueError``)
``not_found``               :class:`NotFoundError`
``unauthorized`` (401)      :class:`AuthenticationError`
``forbidden`` (403)         :class:`PermissionDeniedError`
``rate_limited``            :class:`RateLimitError`
``server_error``            :class:`ServerError`
``http_error``              :class:`HTTPError`
``timeout``                 :class:`TimeoutError` (also the builtin ``TimeoutError``)
``network``                 :class:`ConnectionError` (also the builtin ``ConnectionError``)
``tls``                     :class:`TLSError`, a :class:`ConnectionError`
``invalid_response``        :class:`DecodeError`
``too_large``               :class:`ResponseTooLargeError`, a :class:`DecodeError`
``cancelled``               :class:`CancelledError` (the client was closed, or the
                            request cancelled, while it was in flight)
``internal``                :class:`InternalError`
==========================  =====================================================
"""

from __future__ import annotations

import builtins
import ctypes
from typing import Dict, Optional, Type

from . import _ffi, _rate_limit
from ._rate_limit import RateLimit

__all__ = [
    "Error",
    "InvalidArgumentError",
    "NotFoundError",
    "AuthenticationError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "HTTPError",
    "TimeoutError",
    "ConnectionError",
    "TLSError",
    "DecodeError",
    "ResponseTooLargeError",
    "CancelledError",
    "InternalError",
]


class Error(Exception):
    """Base class of every error raised (or reported) by this package.

    Attributes:
        kind: the API contract's name of the error kind (``"not_found"``,
            ``"timeout"``, ...).
        code: the C ABI's ``campaign_code`` for that kind.
        http_status: the status line's code when a response came, else ``None``.
        message: a one-line description; never contains the API key.
        request_id: the response's ``X-Request-Id``, else ``None``.
        attempts: how many attempts were made (0 when nothing was sent).
        retry_after: the wait the server asked for, in seconds, else ``None``.
        body: the raw error response body (``b""`` when none).
        rate_limit: the key's :class:`RateLimit` as last seen, else ``None``.
    """

    kind: str
    code: int
    http_status: Optional[int]
    message: str
    request_id: Optional[str]
    attempts: int
    retry_after: Optional[float]
    body: bytes
    rate_limit: Optional[RateLimit]

    def __init__(
        self,
        message: str,
        *,
        kind: Optional[str] = None,
        code: Optional[int] = None,
        http_status: Optional[int] = None,
        request_id: Optional[str] = None,
        attempts: int = 0,
        retry_after: Optional[float] = None,
        body: bytes = b"",
        rate_limit: Optional[RateLimit] = None,
    ) -> None:
        if code is None:
            code = _CODE_OF_CLASS.get(type(self), _ffi.E_INTERNAL)
        if kind is None:
            kind = _ffi.kind_name(code)
        # One positional argument only: the OSError bases of TimeoutError and
        # ConnectionError would otherwise read (errno, strerror) from args.
        super().__init__(message)
        self.kind = kind
        self.code = code
        self.http_status = http_status
        self.message = message
        self.request_id = request_id
        self.attempts = attempts
        self.retry_after = retry_after
        self.body = body
        self.rate_limit = rate_limit

    def __str__(self) -> str:
        where = " (HTTP %d)" % self.http_status if self.http_status else ""
        return "%s%s: %s" % (self.kind, where, self.message)

    def __repr__(self) -> str:
        return "%s(kind=%r, http_status=%r, message=%r, request_id=%r)" % (
            type(self).__name__,
            self.kind,
            self.http_status,
            self.message,
            self.request_id,
        )

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (
            _rebuild,
            (
                type(self),
                self.message,
                self.kind,
                self.code,
                self.http_status,
                self.request_id,
                self.attempts,
                self.retry_after,
                self.body,
                self.rate_limit,
            ),
        )


def _rebuild(
    cls: Type[Error],
    message: str,
    kind: str,
    code: int,
    http_status: Optional[int],
    request_id: Optional[str],
    attempts: int,
    retry_after: Optional[float],
    body: bytes,
    rate_limit: Optional[RateLimit] = None,
) -> Error:
    return cls(
        message,
        kind=kind,
        code=code,
        http_status=http_status,
        request_id=request_id,
        attempts=attempts,
        retry_after=retry_after,
        body=body,
        rate_limit=rate_limit,
    )


class InvalidArgumentError(Error, ValueError):
    """A bad ID, option or argument: nothing was sent."""


class NotFoundError(Error):
    """HTTP 404: the campaign does not exist."""


class AuthenticationError(Error):
    """HTTP 401: missing or bad API key."""


class PermissionDeniedError(Error):
    """HTTP 403: the key cannot read campaigns of this workspace."""


class RateLimitError(Error):
    """HTTP 429, still after the retries; see :attr:`Error.retry_after`."""


class ServerError(Error):
    """HTTP 5xx, still after the retries."""


class HTTPError(Error):
    """Any other non-2xx status (408, other 4xx, redirects)."""


class TimeoutError(Error, builtins.TimeoutError):
    """A deadline passed (per attempt, connect, or total)."""


class ConnectionError(Error, builtins.ConnectionError):
    """Connecting failed, or the connection was reset or closed early.

    TLS failures are the subclass :class:`TLSError`.
    """


class TLSError(ConnectionError):
    """The TLS handshake or the certificate verification failed."""


class DecodeError(Error):
    """The response was not a valid campaign record (not HTTP, bad JSON, wrong
    field types); :class:`ResponseTooLargeError` when it was over the size limit."""


class ResponseTooLargeError(DecodeError):
    """The response body was over the configured ``max_body_bytes``."""


class CancelledError(Error):
    """The request was cancelled while in flight: its client was closed.

    (A cancelled ``asyncio`` task sees ``asyncio.CancelledError`` instead.)
    """


class InternalError(Error):
    """A bug in the library, or out of memory."""


_CLASS_OF_CODE: Dict[int, Type[Error]] = {
    _ffi.E_INVALID_ARGUMENT: InvalidArgumentError,
    _ffi.E_NOT_FOUND: NotFoundError,
    _ffi.E_UNAUTHORIZED: AuthenticationError,
    _ffi.E_FORBIDDEN: PermissionDeniedError,
    _ffi.E_RATE_LIMITED: RateLimitError,
    _ffi.E_SERVER_ERROR: ServerError,
    _ffi.E_HTTP_ERROR: HTTPError,
    _ffi.E_TIMEOUT: TimeoutError,
    _ffi.E_NETWORK: ConnectionError,
    _ffi.E_TLS: TLSError,
    _ffi.E_TOO_LARGE: ResponseTooLargeError,
    _ffi.E_INVALID_RESPONSE: DecodeError,
    _ffi.E_CANCELLED: CancelledError,
    _ffi.E_INTERNAL: InternalError,
}
_CODE_OF_CLASS: Dict[type, int] = {cls: code for code, cls in _CLASS_OF_CODE.items()}
_CODE_OF_CLASS[Error] = _ffi.E_INTERNAL


def class_of(code: int) -> Type[Error]:
    """The exception class for a ``campaign_code`` (``Error`` when unknown)."""
    return _CLASS_OF_CODE.get(code, Error)


def _text(raw: Optional[bytes]) -> str:
    return raw.decode("utf-8", "replace") if raw else ""


def from_c(err: "ctypes._Pointer[_ffi.campaign_error]") -> Error:
    """Build the exception for a C ``campaign_error`` and free the C object."""
    lib = _ffi.lib
    try:
        code = lib.campaign_error_kind(err)
        status = lib.campaign_error_http_status(err)
        message = _text(lib.campaign_error_message(err))
        request_id = _text(lib.campaign_error_request_id(err))
        attempts = lib.campaign_error_attempts(err)
        retry_ms = lib.campaign_error_retry_after_ms(err)
        n = ctypes.c_size_t(0)
        ptr = lib.campaign_error_body(err, ctypes.byref(n))
        body = ctypes.string_at(ptr, n.value) if ptr and n.value else b""
        rate_limit = _rate_limit.read(lib.campaign_error_rate_limit, err)
    finally:
        lib.campaign_error_free(err)
    return class_of(code)(
        message,
        kind=_ffi.kind_name(code),
        code=code,
        http_status=status or None,
        request_id=request_id or None,
        attempts=attempts,
        retry_after=retry_ms / 1000.0 if retry_ms >= 0 else None,
        body=body,
        rate_limit=rate_limit,
    )


def from_code(code: int, what: str = "") -> Error:
    """An exception for a bare return code (no error object came with it)."""
    message = _ffi.strerror(code)
    if what:
        message = "%s: %s" % (what, message)
    if code == _ffi.E_UNKNOWN_OPTION or code == _ffi.E_NULL_ARGUMENT:
        return InvalidArgumentError(message, kind="invalid_argument", code=_ffi.E_INVALID_ARGUMENT)
    return class_of(code)(message, kind=_ffi.kind_name(code), code=code)


def invalid_argument(message: str) -> InvalidArgumentError:
    """An :class:`InvalidArgumentError` raised on the Python side."""
    return InvalidArgumentError(message, kind="invalid_argument", code=_ffi.E_INVALID_ARGUMENT)
