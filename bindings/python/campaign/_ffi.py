"""ctypes declarations of the whole ``campaign.h`` C ABI, and the library loader.

Every function of the header is declared here with its ``argtypes`` and
``restype`` (a test compares this list with ``nm -D`` of the loaded library),
so no pointer is ever truncated to a C ``int``.  Handles are distinct opaque
``POINTER`` types, so passing a record where a client belongs is a
``ctypes.ArgumentError`` rather than a crash.

The library is looked up in this order:

1. the ``CAMPAIGN_LIBRARY`` environment variable (a path to a
   ``libcampaign.so``);
2. ``libcampaign.so.1`` bundled inside this package directory (what
   ``pip install`` puts there);
3. ``build/lib/libcampaign.so.1`` of the source checkout this package lives
   in (when running straight from ``bindings/python``).

``campaign_abi_version()`` must answer :data:`ABI_VERSION`; anything else is an
``ImportError`` naming the file that was loaded.

All foreign calls go through :class:`ctypes.CDLL`, which releases the GIL for
the duration of every call.
"""

from __future__ import annotations

import ctypes
import os
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    c_char_p,
    c_double,
    c_int,
    c_int32,
    c_int64,
    c_size_t,
    c_uint,
    c_uint32,
    c_uint64,
    c_void_p,
)
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

__all__ = ["lib", "LIBRARY_PATH", "ABI_VERSION", "DECLARED_FUNCTIONS"]

#: The ABI generation this binding is written for (the N of libcampaign.so.N).
ABI_VERSION = 1
_SONAME = "libcampaign.so.%d" % ABI_VERSION

# --------------------------------------------------------------------------
# Codes (campaign_code), fields, statuses, options, log levels

OK = 0
E_INVALID_ARGUMENT = 1
E_NOT_FOUND = 2
E_UNAUTHORIZED = 3
E_FORBIDDEN = 4
E_RATE_LIMITED = 5
E_SERVER_ERROR = 6
E_HTTP_ERROR = 7
E_TIMEOUT = 8
E_NETWORK = 9
E_TLS = 10
E_TOO_LARGE = 11
E_INVALID_RESPONSE = 12
E_CANCELLED = 13
E_INTERNAL = 14
E_UNKNOWN_OPTION = 100
E_AGAIN = 101
E_ABSENT = 102
E_NULL_ARGUMENT = 103

FIELD_ID = 0
FIELD_ORG_ID = 1
FIELD_NAME = 2
FIELD_AGENT_ID = 3
FIELD_FROM_PHONE_NUMBER = 4
FIELD_STATUS = 5
FIELD_MAX_CONCURRENT_CALLS = 6
FIELD_SCHEDULED_AT = 7
FIELD_RETRY_CONFIG = 8
FIELD_TOTAL_LEADS = 9
FIELD_COMPLETED_CALLS = 10
FIELD_PENDING_CALLS = 11
FIELD_CREATED_AT = 12
FIELD_RETRY_MAX_RETRIES = 13
FIELD_RETRY_INTERVAL_MINUTES = 14

STATUS_UNKNOWN = 0
STATUS_DRAFT = 1
STATUS_ACTIVE = 2
STATUS_RUNNING = 3
STATUS_PAUSED = 4
STATUS_COMPLETED = 5
STATUS_CANCELLED = 6

OPT_BASE_URL = 1
OPT_API_KEY = 2
OPT_TIMEOUT_MS = 3
OPT_CONNECT_TIMEOUT_MS = 4
OPT_TOTAL_TIMEOUT_MS = 5
OPT_MAX_RETRIES = 6
OPT_BACKOFF_INITIAL_MS = 7
OPT_BACKOFF_MAX_MS = 8
OPT_MAX_RETRY_AFTER_MS = 9
OPT_RETRY_BUDGET_RATIO = 10
OPT_RETRY_BUDGET_BURST = 11
OPT_MAX_BODY_BYTES = 12
OPT_MAX_HEADER_BYTES = 13
OPT_MAX_CONNECTIONS = 14
OPT_IDLE_TIMEOUT_MS = 15
OPT_IO_THREADS = 16
OPT_USER_AGENT_SUFFIX = 17
OPT_CA_FILE = 18
OPT_CA_DIR = 19
OPT_INSECURE_SKIP_TLS_VERIFY = 20
OPT_RATE_LIMIT_GATE = 21
OPT_COALESCE = 22

LOG_DEBUG = 0
LOG_INFO = 1
LOG_WARNING = 2
LOG_ERROR = 3

RATE_LIMIT_HAS_LIMIT = 1
RATE_LIMIT_HAS_REMAINING = 2
RATE_LIMIT_HAS_RESET = 4

FEATURE_TLS = 1
FEATURE_THREADS = 2

# --------------------------------------------------------------------------
# Types


class campaign_error(Structure):
    """Opaque ``campaign_error``."""


class campaign_record(Structure):
    """Opaque ``campaign_record``."""


class campaign_options(Structure):
    """Opaque ``campaign_options``."""


class campaign_client(Structure):
    """Opaque ``campaign_client``."""


class campaign_queue(Structure):
    """Opaque ``campaign_queue``."""


ErrorP = POINTER(campaign_error)
RecordP = POINTER(campaign_record)
OptionsP = POINTER(campaign_options)
ClientP = POINTER(campaign_client)
QueueP = POINTER(campaign_queue)


class campaign_strview(Structure):
    """``campaign_strview``: a borrowed, non-NUL-terminated string."""

    _fields_ = [("ptr", c_void_p), ("len", c_size_t)]


class campaign_fields(Structure):
    """``campaign_fields``: every field of a record, from one call."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("present", c_uint32),
        ("status", c_int32),
        ("reserved0", c_int32),
        # The six campaign_strview members, flattened to (ptr, len) pairs: the
        # same layout, one attribute access less per string when reading.
        ("id_ptr", c_void_p),
        ("id_len", c_size_t),
        ("org_id_ptr", c_void_p),
        ("org_id_len", c_size_t),
        ("name_ptr", c_void_p),
        ("name_len", c_size_t),
        ("agent_id_ptr", c_void_p),
        ("agent_id_len", c_size_t),
        ("from_phone_number_ptr", c_void_p),
        ("from_phone_number_len", c_size_t),
        ("status_text_ptr", c_void_p),
        ("status_text_len", c_size_t),
        ("max_concurrent_calls", c_int64),
        ("scheduled_at_ms", c_int64),
        ("total_leads", c_int64),
        ("completed_calls", c_int64),
        ("pending_calls", c_int64),
        ("created_at_ms", c_int64),
        ("retry_max_retries", c_int64),
        ("retry_interval_minutes", c_int64),
    ]


class campaign_stats(Structure):
    """``campaign_stats``: connection and retry counters of a client."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("reserved0", c_uint32),
        ("requests", c_uint64),
        ("attempts", c_uint64),
        ("retries", c_uint64),
        ("budget_denied", c_uint64),
        ("connections_opened", c_uint64),
        ("connections_reused", c_uint64),
        ("stale_resends", c_uint64),
        ("responses_429", c_uint64),
        ("rate_limit_waits", c_uint64),
        ("rate_limit_wait_ms", c_uint64),
        ("rate_limit_present", c_uint32),
        ("reserved1", c_uint32),
        ("rate_limit_limit", c_int64),
        ("rate_limit_remaining", c_int64),
        ("rate_limit_reset_ms", c_int64),
        ("coalesced", c_uint64),
    ]


class campaign_rate_limit(Structure):
    """``campaign_rate_limit``: the API key's rate limit as last seen."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("present", c_uint32),
        ("limit", c_int64),
        ("remaining", c_int64),
        ("reset_ms", c_int64),
    ]


#: ``void (*)(void *user_data, int level, const char *message)``
LOG_FN = CFUNCTYPE(None, c_void_p, c_int, c_char_p)
#: ``void (*)(void *user_data, uint64_t request, campaign_record *, campaign_error *)``
DONE_FN = CFUNCTYPE(None, c_void_p, c_uint64, RecordP, ErrorP)

# --------------------------------------------------------------------------
# Function table: name -> (restype, argtypes). One entry per function of
# campaign.h, in header order.

_P = POINTER
_SIGNATURES: List[Tuple[str, Any, List[Any]]] = [
    # Versions
    ("campaign_version_number", c_uint, []),
    ("campaign_version", c_char_p, []),
    ("campaign_abi_version", c_int, []),
    ("campaign_features", c_uint, []),
    # Codes
    ("campaign_strerror", c_char_p, [c_int]),
    ("campaign_error_kind_name", c_char_p, [c_int]),
    # Errors
    ("campaign_error_kind", c_int, [ErrorP]),
    ("campaign_error_http_status", c_int, [ErrorP]),
    ("campaign_error_message", c_char_p, [ErrorP]),
    ("campaign_error_request_id", c_char_p, [ErrorP]),
    ("campaign_error_attempts", c_int, [ErrorP]),
    ("campaign_error_retry_after_ms", c_int64, [ErrorP]),
    ("campaign_error_body", c_void_p, [ErrorP, _P(c_size_t)]),
    ("campaign_error_free", None, [ErrorP]),
    ("campaign_error_rate_limit", c_int, [ErrorP, _P(campaign_rate_limit)]),
    # Records
    ("campaign_record_parse", c_int, [c_char_p, c_size_t, _P(RecordP), _P(ErrorP)]),
    ("campaign_record_free", None, [RecordP]),
    ("campaign_record_has", c_int, [RecordP, c_int]),
    ("campaign_record_get_str", c_int, [RecordP, c_int, _P(c_void_p), _P(c_size_t)]),
    ("campaign_record_get_int", c_int, [RecordP, c_int, _P(c_int64)]),
    ("campaign_record_status", c_int, [RecordP, _P(c_int)]),
    ("campaign_record_fields", c_int, [RecordP, _P(campaign_fields)]),
    ("campaign_record_progress", c_int, [RecordP, _P(c_double)]),
    ("campaign_record_eta_ms", c_int, [RecordP, c_int64, _P(c_int64)]),
    ("campaign_record_to_json", c_int, [RecordP, _P(c_void_p), _P(c_size_t)]),
    ("campaign_record_raw_json", c_void_p, [RecordP, _P(c_size_t)]),
    ("campaign_record_at_pointer", c_int, [RecordP, c_char_p, _P(c_void_p), _P(c_size_t)]),
    ("campaign_record_rate_limit", c_int, [RecordP, _P(campaign_rate_limit)]),
    ("campaign_free", None, [c_void_p]),
    # Options
    ("campaign_options_create", c_int, [_P(OptionsP)]),
    ("campaign_options_free", None, [OptionsP]),
    ("campaign_options_set_str", c_int, [OptionsP, c_int, c_char_p]),
    ("campaign_options_set_int", c_int, [OptionsP, c_int, c_int64]),
    ("campaign_options_set_double", c_int, [OptionsP, c_int, c_double]),
    ("campaign_options_preset_fail_fast", c_int, [OptionsP]),
    ("campaign_options_set_log", c_int, [OptionsP, LOG_FN, c_void_p]),
    # Clients
    ("campaign_client_create", c_int, [OptionsP, _P(ClientP), _P(ErrorP)]),
    ("campaign_client_destroy", None, [ClientP]),
    ("campaign_client_get", c_int, [ClientP, c_char_p, _P(RecordP), _P(ErrorP)]),
    ("campaign_client_submit", c_int, [ClientP, c_char_p, DONE_FN, c_void_p, _P(c_uint64)]),
    ("campaign_client_cancel", c_int, [ClientP, c_uint64]),
    ("campaign_client_cancel_all", c_int, [ClientP]),
    (
        "campaign_client_get_batch",
        c_int,
        [ClientP, _P(c_char_p), c_size_t, c_size_t, _P(RecordP), _P(ErrorP)],
    ),
    ("campaign_client_stats", c_int, [ClientP, _P(campaign_stats)]),
    # Completion queues
    ("campaign_queue_create", c_int, [_P(QueueP)]),
    ("campaign_queue_free", None, [QueueP]),
    ("campaign_queue_fd", c_int, [QueueP]),
    (
        "campaign_client_submit_to_queue",
        c_int,
        [ClientP, c_char_p, QueueP, c_uint64, _P(c_uint64)],
    ),
    ("campaign_queue_next", c_int, [QueueP, _P(c_uint64), _P(RecordP), _P(ErrorP)]),
    ("campaign_queue_wait", c_int, [QueueP, c_int]),
    ("campaign_queue_wakeup", c_int, [QueueP]),
]

#: Every ``campaign_*`` function this module declares.
DECLARED_FUNCTIONS: Tuple[str, ...] = tuple(name for name, _, _ in _SIGNATURES)


def _source_checkout_library() -> Optional[Path]:
    """``<repo>/build/lib/libcampaign.so.1`` when this file sits in a checkout."""
    here = Path(__file__).resolve().parent  # <repo>/bindings/python/campaign
    try:
        repo = here.parents[2]
    except IndexError:  # pragma: no cover - installed at a shallow path
        return None
    if not (repo / "capi" / "include" / "campaign.h").is_file():
        return None
    return repo / "build" / "lib" / _SONAME


def _candidates() -> List[Tuple[str, Path]]:
    """Where to look, in order, each with a word saying why."""
    env = os.environ.get("CAMPAIGN_LIBRARY")
    if env:
        # An explicit override is the only candidate: never fall back silently.
        return [("CAMPAIGN_LIBRARY", Path(env))]
    found: List[Tuple[str, Path]] = [("bundled", Path(__file__).resolve().parent / _SONAME)]
    checkout = _source_checkout_library()
    if checkout is not None:
        found.append(("source checkout", checkout))
    return found


def _load() -> Tuple[ctypes.CDLL, str]:
    candidates = _candidates()
    tried: List[str] = []
    for origin, path in candidates:
        if origin != "CAMPAIGN_LIBRARY" and not path.exists():
            tried.append("%s (%s: not found)" % (path, origin))
            continue
        try:
            handle = ctypes.CDLL(str(path))
        except OSError as exc:
            if origin == "CAMPAIGN_LIBRARY":
                raise ImportError(
                    "campaign: cannot load the library named by CAMPAIGN_LIBRARY (%s): %s"
                    % (path, exc)
                ) from None
            tried.append("%s (%s: %s)" % (path, origin, exc))
            continue
        return handle, str(path)
    raise ImportError(
        "campaign: cannot find %s; tried %s. Install the package with pip (which builds "
        "and bundles the library), build the repository's campaign_shared target, or set "
        "CAMPAIGN_LIBRARY to the library's path." % (_SONAME, "; ".join(tried))
    )


def _declare(handle: ctypes.CDLL, path: str) -> None:
    missing = []
    for name, restype, argtypes in _SIGNATURES:
        try:
            fn = getattr(handle, name)
        except AttributeError:
            missing.append(name)
            continue
        fn.restype = restype
        fn.argtypes = argtypes
    if missing:
        raise ImportError(
            "campaign: %s does not export %s: not a compatible libcampaign"
            % (path, ", ".join(missing))
        )


def _check_abi(handle: ctypes.CDLL, path: str) -> None:
    abi = handle.campaign_abi_version()
    if abi != ABI_VERSION:
        raise ImportError(
            "campaign: %s has ABI version %d, but this package needs ABI version %d "
            "(libcampaign.so.%d); rebuild or reinstall the matching library, or point "
            "CAMPAIGN_LIBRARY at one" % (path, abi, ABI_VERSION, ABI_VERSION)
        )


lib, LIBRARY_PATH = _load()
_declare(lib, LIBRARY_PATH)
_check_abi(lib, LIBRARY_PATH)

#: ``sizeof(campaign_fields)`` / ``sizeof(campaign_stats)`` as this binding knows them.
FIELDS_SIZE = ctypes.sizeof(campaign_fields)
STATS_SIZE = ctypes.sizeof(campaign_stats)
RATE_LIMIT_SIZE = ctypes.sizeof(campaign_rate_limit)


def strerror(code: int) -> str:
    """``campaign_strerror(code)`` as text."""
    raw: bytes = lib.campaign_strerror(code)
    return raw.decode("utf-8", "replace")


def kind_name(code: int) -> str:
    """``campaign_error_kind_name(code)`` as text (``"not_found"``)."""
    raw: bytes = lib.campaign_error_kind_name(code)
    return raw.decode("utf-8", "replace")


def version() -> str:
    """The loaded library's version string."""
    raw: bytes = lib.campaign_version()
    return raw.decode("ascii", "replace")


def features() -> Dict[str, bool]:
    """The loaded library's feature bits, by name."""
    bits = lib.campaign_features()
    return {"tls": bool(bits & FEATURE_TLS), "threads": bool(bits & FEATURE_THREADS)}
