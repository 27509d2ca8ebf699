"""The campaign record as Python objects: :class:`Campaign`, :class:`Status`,
:class:`RetryConfig`, :class:`Result`, and :func:`parse`."""

from __future__ import annotations

import ctypes
import json
from ctypes import byref, c_double, c_int64, c_size_t, c_void_p, string_at
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, ClassVar, Dict, Optional, Tuple, Union

from . import _ffi, _rate_limit
from ._rate_limit import RateLimit
from ._errors import Error, from_c, from_code, invalid_argument

__all__ = ["Campaign", "Status", "RetryConfig", "Result", "parse"]

_lib = _ffi.lib
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


# --------------------------------------------------------------------------
# Status


class Status(str):
    """A campaign's lifecycle state: a ``str`` that equals its API text.

    ``Status.RUNNING == "running"``; an unknown state (say ``"archived"``) is a
    ``Status`` too, keeps its text, and has :attr:`known` false.
    """

    __slots__ = ()

    DRAFT: ClassVar["Status"]
    ACTIVE: ClassVar["Status"]
    RUNNING: ClassVar["Status"]
    PAUSED: ClassVar["Status"]
    COMPLETED: ClassVar["Status"]
    CANCELLED: ClassVar["Status"]

    _KNOWN: ClassVar[Dict[str, "Status"]]

    def __new__(cls, text: str) -> "Status":
        known = cls.__dict__.get("_KNOWN")
        if known is not None:
            found: Optional[Status] = known.get(text)
            if found is not None:
                return found
        return str.__new__(cls, text)

    @property
    def known(self) -> bool:
        """True for the six states of the API contract."""
        return str(self) in _STATUS_CODES

    @property
    def code(self) -> int:
        """The C ABI's ``campaign_status`` (0 for an unknown state)."""
        return _STATUS_CODES.get(str(self), _ffi.STATUS_UNKNOWN)

    @property
    def is_final(self) -> bool:
        """True once the campaign has ended (``completed`` or ``cancelled``)."""
        return str(self) in ("completed", "cancelled")

    def __repr__(self) -> str:
        return "Status(%s)" % str.__repr__(self)

    def __reduce__(self) -> Tuple[Any, Tuple[str]]:
        return (Status, (str(self),))


_STATUS_CODES: Dict[str, int] = {
    "draft": _ffi.STATUS_DRAFT,
    "active": _ffi.STATUS_ACTIVE,
    "running": _ffi.STATUS_RUNNING,
    "paused": _ffi.STATUS_PAUSED,
    "completed": _ffi.STATUS_COMPLETED,
    "cancelled": _ffi.STATUS_CANCELLED,
}
Status.DRAFT = str.__new__(Status, "draft")
Status.ACTIVE = str.__new__(Status, "active")
Status.RUNNING = str.__new__(Status, "running")
Status.PAUSED = str.__new__(Status, "paused")
Status.COMPLETED = str.__new__(Status, "completed")
Status.CANCELLED = str.__new__(Status, "cancelled")
Status._KNOWN = {
    str(s): s
    for s in (
        Status.DRAFT,
        Status.ACTIVE,
        Status.RUNNING,
        Status.PAUSED,
        Status.COMPLETED,
        Status.CANCELLED,
    )
}
_KNOWN_STATUS = Status._KNOWN


# --------------------------------------------------------------------------
# RetryConfig


@dataclass(frozen=True)
class RetryConfig:
    """The record's ``retry_config``; a member the API left out is ``None``."""

    max_retries: Optional[int]
    retry_interval_minutes: Optional[int]

    @property
    def retry_interval(self) -> Optional[timedelta]:
        """:attr:`retry_interval_minutes` as a ``timedelta``."""
        if self.retry_interval_minutes is None:
            return None
        return timedelta(minutes=self.retry_interval_minutes)


# Not yet decoded (a string field is decoded from the record on first use).
_PENDING: Any = object()

_RETRY_CACHE: Dict[Tuple[Optional[int], Optional[int]], "RetryConfig"] = {}


def _retry_config(max_retries: Optional[int], interval: Optional[int]) -> "RetryConfig":
    """A shared RetryConfig (immutable: equal values may be one object)."""
    key = (max_retries, interval)
    found = _RETRY_CACHE.get(key)
    if found is None:
        if len(_RETRY_CACHE) >= 4096:
            _RETRY_CACHE.clear()
        found = _RETRY_CACHE[key] = RetryConfig(max_retries, interval)
    return found


def _ms_to_datetime(ms: Optional[int]) -> Optional[datetime]:
    if ms is None:
        return None
    try:
        return _EPOCH + timedelta(milliseconds=ms)
    except OverflowError:
        raise OverflowError(
            "timestamp %d ms is outside the years datetime supports (1..9999); "
            "the *_ms attribute and to_dict() still have it" % ms
        ) from None


# Bits of campaign_fields.present.
_B_ORG_ID = 1 << _ffi.FIELD_ORG_ID
_B_NAME = 1 << _ffi.FIELD_NAME
_B_AGENT_ID = 1 << _ffi.FIELD_AGENT_ID
_B_FROM = 1 << _ffi.FIELD_FROM_PHONE_NUMBER
_B_STATUS = 1 << _ffi.FIELD_STATUS
_B_MCC = 1 << _ffi.FIELD_MAX_CONCURRENT_CALLS
_B_SCHED = 1 << _ffi.FIELD_SCHEDULED_AT
_B_RETRY = 1 << _ffi.FIELD_RETRY_CONFIG
_B_TOTAL = 1 << _ffi.FIELD_TOTAL_LEADS
_B_DONE = 1 << _ffi.FIELD_COMPLETED_CALLS
_B_PENDING = 1 << _ffi.FIELD_PENDING_CALLS
_B_CREATED = 1 << _ffi.FIELD_CREATED_AT
_B_RMAX = 1 << _ffi.FIELD_RETRY_MAX_RETRIES
_B_RINT = 1 << _ffi.FIELD_RETRY_INTERVAL_MINUTES


# --------------------------------------------------------------------------
# Campaign


class Campaign:
    """One campaign record (``GET /campaigns/{id}``), decoded.

    Attributes are the fields of the API contract; a field the response left
    out (or sent as ``null``) is ``None``.  Instances are immutable, hashable,
    compare equal when their decoded fields are equal, and pickle as their raw
    JSON text.  Get them from :meth:`Client.get`, :meth:`Client.get_many` or
    :func:`campaign.parse`.
    """

    __slots__ = (
        "_ptr",
        "_fields",
        "_present",
        "_id",
        "_org_id",
        "_name",
        "_agent_id",
        "_from_phone_number",
        "_status",
        "_max_concurrent_calls",
        "_scheduled_at_ms",
        "_retry_config",
        "_total_leads",
        "_completed_calls",
        "_pending_calls",
        "_created_at_ms",
        "_raw",
        "_rate_limit",
    )

    # The record, owned: freed exactly once, by __del__.
    _ptr: "Optional[ctypes._Pointer[_ffi.campaign_record]]"
    # Its fields as read by the one campaign_record_fields call; the strings
    # in it are borrowed from the record and decoded on first use.
    _fields: _ffi.campaign_fields
    _present: int
    _id: str
    _org_id: Optional[str]
    _name: Optional[str]
    _agent_id: Optional[str]
    _from_phone_number: Optional[str]
    _status: Optional[Status]
    _max_concurrent_calls: Optional[int]
    _scheduled_at_ms: Optional[int]
    _retry_config: Optional[RetryConfig]
    _total_leads: Optional[int]
    _completed_calls: Optional[int]
    _pending_calls: Optional[int]
    _created_at_ms: Optional[int]
    _raw: Optional[str]
    _rate_limit: Optional[RateLimit]

    def __init__(self) -> None:
        raise TypeError(
            "Campaign objects come from campaign.parse(), Campaign.from_dict() or a Client"
        )

    def __del__(self, _free: Any = _lib.campaign_record_free) -> None:
        ptr = getattr(self, "_ptr", None)
        if ptr:
            self._ptr = None
            _free(ptr)

    # -- the fields of docs/api.md ------------------------------------------------

    @property
    def id(self) -> str:
        """The campaign ID (always present)."""
        value = self._id
        if value is _PENDING:
            f = self._fields
            value = self._id = _str(f.id_ptr, f.id_len)
        return value

    @property
    def org_id(self) -> Optional[str]:
        """The owning organization / workspace."""
        value = self._org_id
        if value is _PENDING:
            f = self._fields
            value = self._org_id = (
                _str(f.org_id_ptr, f.org_id_len) if self._present & _B_ORG_ID else None
            )
        return value

    @property
    def name(self) -> Optional[str]:
        """The display name."""
        value = self._name
        if value is _PENDING:
            f = self._fields
            value = self._name = _str(f.name_ptr, f.name_len) if self._present & _B_NAME else None
        return value

    @property
    def agent_id(self) -> Optional[str]:
        """The assigned voice agent."""
        value = self._agent_id
        if value is _PENDING:
            f = self._fields
            value = self._agent_id = (
                _str(f.agent_id_ptr, f.agent_id_len) if self._present & _B_AGENT_ID else None
            )
        return value

    @property
    def from_phone_number(self) -> Optional[str]:
        """The outbound caller ID (E.164)."""
        value = self._from_phone_number
        if value is _PENDING:
            f = self._fields
            value = self._from_phone_number = (
                _str(f.from_phone_number_ptr, f.from_phone_number_len)
                if self._present & _B_FROM
                else None
            )
        return value

    @property
    def status(self) -> Optional[Status]:
        """The lifecycle state; compares equal to its text, unknown ones too."""
        value = self._status
        if value is _PENDING:
            if self._present & _B_STATUS:
                f = self._fields
                text = _str(f.status_text_ptr, f.status_text_len)
                value = _KNOWN_STATUS.get(text)
                if value is None:
                    value = str.__new__(Status, text)
            else:
                value = None
            self._status = value
        return value

    @property
    def max_concurrent_calls(self) -> Optional[int]:
        """Calls in flight at once."""
        return self._max_concurrent_calls

    @property
    def scheduled_at(self) -> Optional[datetime]:
        """The planned start, a timezone-aware UTC ``datetime``."""
        return _ms_to_datetime(self._scheduled_at_ms)

    @property
    def retry_config(self) -> Optional[RetryConfig]:
        """The retry settings."""
        return self._retry_config

    @property
    def total_leads(self) -> Optional[int]:
        """Enrolled leads."""
        return self._total_leads

    @property
    def completed_calls(self) -> Optional[int]:
        """Calls finished so far."""
        return self._completed_calls

    @property
    def pending_calls(self) -> Optional[int]:
        """Calls still to place."""
        return self._pending_calls

    @property
    def created_at(self) -> Optional[datetime]:
        """The creation time, a timezone-aware UTC ``datetime``."""
        return _ms_to_datetime(self._created_at_ms)

    # -- extras ----------------------------------------------------------------

    @property
    def scheduled_at_ms(self) -> Optional[int]:
        """:attr:`scheduled_at` in milliseconds since the Unix epoch."""
        return self._scheduled_at_ms

    @property
    def created_at_ms(self) -> Optional[int]:
        """:attr:`created_at` in milliseconds since the Unix epoch."""
        return self._created_at_ms

    @property
    def raw(self) -> str:
        """The JSON text of the record exactly as received."""
        raw = self._raw
        if raw is None:
            n = c_size_t(0)
            ptr = _lib.campaign_record_raw_json(self._ptr, byref(n))
            raw = string_at(ptr, n.value).decode("utf-8", "replace") if ptr else ""
            self._raw = raw
        return raw

    @property
    def rate_limit(self) -> Optional[RateLimit]:
        """The API key's :class:`RateLimit` as last seen when this record
        arrived; ``None`` for a parsed record or a server without the headers.
        Not part of equality or pickling (it describes the response)."""
        rl = self._rate_limit
        if rl is _PENDING:
            rl = self._rate_limit = _rate_limit.read(_lib.campaign_record_rate_limit, self._ptr)
        return rl

    @property
    def progress(self) -> Optional[float]:
        """``completed_calls / total_leads`` in [0, 1]; ``None`` when undefined."""
        out = c_double()
        rc = _lib.campaign_record_progress(self._ptr, byref(out))
        if rc == _ffi.OK:
            return out.value
        if rc == _ffi.E_ABSENT:
            return None
        raise from_code(rc, "progress")

    def eta(self, avg_call_seconds: Union[float, timedelta]) -> Optional[timedelta]:
        """Time to place the pending calls at ``max_concurrent_calls`` at once,
        given an average call length: ``ceil(pending / concurrency) * avg``.

        ``None`` when undefined (a count absent, concurrency <= 0, or a negative
        average).
        """
        if isinstance(avg_call_seconds, timedelta):
            avg_ms = round(avg_call_seconds.total_seconds() * 1000)
        else:
            avg_ms = round(float(avg_call_seconds) * 1000)
        out = c_int64()
        rc = _lib.campaign_record_eta_ms(self._ptr, avg_ms, byref(out))
        if rc == _ffi.OK:
            return timedelta(milliseconds=out.value)
        if rc == _ffi.E_ABSENT:
            return None
        raise from_code(rc, "eta")

    def to_json(self) -> str:
        """The canonical JSON text, byte for byte as the CLI prints it."""
        out = c_void_p()
        n = c_size_t(0)
        rc = _lib.campaign_record_to_json(self._ptr, byref(out), byref(n))
        if rc != _ffi.OK:
            raise from_code(rc, "to_json")
        try:
            return string_at(out, n.value).decode("utf-8", "replace")
        finally:
            _lib.campaign_free(out)

    def to_dict(self) -> Dict[str, Any]:
        """The canonical record as the CLI prints it: exactly the fields of the
        API contract, in order, absent ones ``None``, timestamps as UTC
        ``YYYY-MM-DDTHH:MM:SS.mmmZ`` strings, the status as its raw text."""
        result: Dict[str, Any] = json.loads(self.to_json())
        return result

    def at_pointer(self, pointer: str) -> Any:
        """The decoded JSON value at an RFC 6901 pointer into the raw record
        (``"/retry_config/max_retries"``, ``""`` for the whole object), any
        member, known to this package or not.

        Raises ``KeyError`` when nothing is there, ``ValueError``
        (:class:`InvalidArgumentError`) for a malformed pointer.
        """
        if not isinstance(pointer, str):
            raise TypeError("pointer must be a str, not %s" % type(pointer).__name__)
        if "\0" in pointer:
            raise invalid_argument("JSON pointer contains a NUL character")
        data = pointer.encode("utf-8", "surrogatepass")
        out = c_void_p()
        n = c_size_t(0)
        rc = _lib.campaign_record_at_pointer(self._ptr, data, byref(out), byref(n))
        if rc == _ffi.E_ABSENT:
            raise KeyError(pointer)
        if rc == _ffi.E_INVALID_ARGUMENT:
            raise invalid_argument("malformed JSON pointer %r" % pointer)
        if rc != _ffi.OK:
            raise from_code(rc, "at_pointer")
        try:
            text = string_at(out, n.value).decode("utf-8", "replace")
        finally:
            _lib.campaign_free(out)
        return json.loads(text)

    def get(self, member: str, default: Any = None) -> Any:
        """The decoded JSON value of a top-level member of the raw record (any
        member, including ones this package does not know), else ``default``."""
        escaped = member.replace("~", "~0").replace("/", "~1")
        try:
            return self.at_pointer("/" + escaped)
        except KeyError:
            return default

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "Campaign":
        """Decode a record given as a dict (as ``json.loads`` would give it)."""
        return parse(json.dumps(data))

    # -- identity ----------------------------------------------------------------

    def _key(self) -> Tuple[Any, ...]:
        status = self.status
        return (
            self.id,
            self.org_id,
            self.name,
            self.agent_id,
            self.from_phone_number,
            None if status is None else str(status),
            self._max_concurrent_calls,
            self._scheduled_at_ms,
            self._retry_config,
            self._total_leads,
            self._completed_calls,
            self._pending_calls,
            self._created_at_ms,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Campaign):
            return NotImplemented
        return self._key() == other._key()

    def __ne__(self, other: object) -> bool:
        if not isinstance(other, Campaign):
            return NotImplemented
        return self._key() != other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        status = self.status
        return "Campaign(id=%r, name=%r, status=%r, completed_calls=%r, total_leads=%r)" % (
            self.id,
            self.name,
            None if status is None else str(status),
            self._completed_calls,
            self._total_leads,
        )

    def __reduce__(self) -> Tuple[Any, Tuple[str]]:
        return (parse, (self.raw,))

    def __copy__(self) -> "Campaign":
        return self

    def __deepcopy__(self, memo: Dict[int, Any]) -> "Campaign":
        return self


_new_campaign = object.__new__
_FIELDS = _ffi.campaign_fields
_FIELDS_SIZE = _ffi.FIELDS_SIZE
_record_fields = _lib.campaign_record_fields


_c_char = ctypes.c_char


def _str(ptr: Optional[int], n: int) -> str:
    # A char array over the borrowed bytes: cheaper than string_at (which is
    # itself a foreign call); the array type per length is cached by ctypes.
    if not n or not ptr:
        return ""
    return (_c_char * n).from_address(ptr).raw.decode("utf-8", "replace")


def campaign_from_record(ptr: "ctypes._Pointer[_ffi.campaign_record]") -> Campaign:
    """Wrap a ``campaign_record`` the caller owns (ownership moves to the
    returned :class:`Campaign`), reading every field in one foreign call.

    The integers are taken at once; the strings stay in the record (which the
    Campaign owns) and are decoded on first access.
    """
    c = _new_campaign(Campaign)
    c._ptr = ptr  # owned from here on, whatever happens
    f = _FIELDS(_FIELDS_SIZE)
    rc = _record_fields(ptr, byref(f))
    if rc != _ffi.OK:
        raise from_code(rc, "campaign_record_fields")
    c._fields = f
    c._present = present = f.present
    c._raw = None
    c._rate_limit = _PENDING
    c._id = c._org_id = c._name = c._agent_id = c._from_phone_number = c._status = _PENDING
    c._max_concurrent_calls = f.max_concurrent_calls if present & _B_MCC else None
    c._scheduled_at_ms = f.scheduled_at_ms if present & _B_SCHED else None
    c._retry_config = (
        _retry_config(
            f.retry_max_retries if present & _B_RMAX else None,
            f.retry_interval_minutes if present & _B_RINT else None,
        )
        if present & _B_RETRY
        else None
    )
    c._total_leads = f.total_leads if present & _B_TOTAL else None
    c._completed_calls = f.completed_calls if present & _B_DONE else None
    c._pending_calls = f.pending_calls if present & _B_PENDING else None
    c._created_at_ms = f.created_at_ms if present & _B_CREATED else None
    return c


# --------------------------------------------------------------------------
# parse


def parse(json_text: Union[str, bytes, bytearray, memoryview]) -> Campaign:
    """Decode one campaign record from its JSON text, without the network.

    Raises :class:`DecodeError` (naming the field) when the text is not a valid
    record.
    """
    if isinstance(json_text, str):
        data = json_text.encode("utf-8", "surrogatepass")
    elif isinstance(json_text, (bytes, bytearray, memoryview)):
        data = bytes(json_text)
    else:
        raise TypeError("parse() takes str or bytes, not %s" % type(json_text).__name__)
    rec = _ffi.RecordP()
    err = _ffi.ErrorP()
    rc = _lib.campaign_record_parse(data, len(data), byref(rec), byref(err))
    if rc != _ffi.OK:
        if err:
            raise from_c(err)
        raise from_code(rc, "parse")
    return campaign_from_record(rec)


# --------------------------------------------------------------------------
# Result


class Result:
    """The outcome for one ID of :meth:`Client.get_many`.

    Exactly one of :attr:`campaign` and :attr:`error` is set; :attr:`ok` says
    which.  A failed ID (even an invalid one) is a ``Result``, never an
    exception raised by the iterator.
    """

    __slots__ = ("id", "campaign", "error")

    id: Any
    campaign: Optional[Campaign]
    error: Optional[Error]

    def __init__(self, id: Any, campaign: Optional[Campaign], error: Optional[Error]) -> None:
        self.id = id
        self.campaign = campaign
        self.error = error

    @property
    def ok(self) -> bool:
        """True when the campaign was fetched."""
        return self.error is None

    def unwrap(self) -> Campaign:
        """The campaign, or raise the error."""
        if self.error is not None:
            raise self.error
        assert self.campaign is not None
        return self.campaign

    def __repr__(self) -> str:
        if self.error is None:
            return "Result(id=%r, ok=True, campaign=%r)" % (self.id, self.campaign)
        return "Result(id=%r, ok=False, error=%r)" % (self.id, self.error)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Result):
            return NotImplemented
        return (self.id, self.campaign, self.error) == (other.id, other.campaign, other.error)

    __hash__ = None  # type: ignore[assignment]
