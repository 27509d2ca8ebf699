"""What a record should decode to, computed from its JSON independently of the
library (the json module and a small RFC 3339 reader)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, Optional

FIELDS = [
    "id",
    "org_id",
    "name",
    "agent_id",
    "from_phone_number",
    "status",
    "max_concurrent_calls",
    "scheduled_at",
    "retry_config",
    "total_leads",
    "completed_calls",
    "pending_calls",
    "created_at",
]

SAMPLE = """{
  "id": "cmp_xyz789",
  "org_id": "org_xyz",
  "name": "Q2 Lead Re-engagement",
  "agent_id": "agt_abc123",
  "from_phone_number": "+912234567890",
  "status": "running",
  "max_concurrent_calls": 5,
  "scheduled_at": null,
  "retry_config": {"max_retries": 3, "retry_interval_minutes": 120},
  "total_leads": 1200,
  "completed_calls": 450,
  "pending_calls": 750,
  "created_at": "2024-03-01T09:00:00.000Z"
}"""

_RFC3339 = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(\.\d+)?([Zz]|[+-]\d\d:\d\d)\Z"
)


def timestamp(text: Optional[str]) -> Optional[datetime]:
    """An RFC 3339 timestamp as an aware UTC datetime, to the millisecond."""
    if text is None:
        return None
    m = _RFC3339.match(text)
    assert m, text
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    frac = m.group(7)
    ms = int((frac[1:] + "000")[:3]) if frac else 0
    dt = datetime(y, mo, d, h, mi, s, ms * 1000, tzinfo=timezone.utc)
    zone = m.group(8)
    if zone not in ("Z", "z"):
        sign = 1 if zone[0] == "+" else -1
        dt -= sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
    return dt


def canonical_time(text: Optional[str]) -> Optional[str]:
    dt = timestamp(text)
    if dt is None:
        return None
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (dt.microsecond // 1000)


def canonical(raw: Dict[str, Any]) -> Dict[str, Any]:
    """The canonical record (CLI output) of a raw record."""
    out: Dict[str, Any] = {}
    for name in FIELDS:
        value = raw.get(name)
        if name in ("scheduled_at", "created_at"):
            value = canonical_time(value)
        elif name == "retry_config" and value is not None:
            value = {
                "max_retries": value.get("max_retries"),
                "retry_interval_minutes": value.get("retry_interval_minutes"),
            }
        out[name] = value
    return out


def check_campaign(rec: Any, raw: Dict[str, Any]) -> None:
    """Every attribute of ``rec`` against the raw record it came from."""
    import campaign

    for name in ("id", "org_id", "name", "agent_id", "from_phone_number",
                 "max_concurrent_calls", "total_leads", "completed_calls", "pending_calls"):
        assert getattr(rec, name) == raw.get(name), name
        if raw.get(name) is not None:
            assert type(getattr(rec, name)) is type(raw[name]), name
    if raw.get("status") is None:
        assert rec.status is None
    else:
        assert isinstance(rec.status, campaign.Status)
        assert isinstance(rec.status, str)
        assert rec.status == raw["status"]
    for name in ("scheduled_at", "created_at"):
        want = timestamp(raw.get(name))
        got = getattr(rec, name)
        assert got == want, name
        if got is not None:
            assert got.tzinfo is not None and got.utcoffset() == timedelta(0)
    rc = raw.get("retry_config")
    if rc is None:
        assert rec.retry_config is None
    else:
        assert rec.retry_config == campaign.RetryConfig(
            rc.get("max_retries"), rc.get("retry_interval_minutes")
        )
    assert rec.to_dict() == canonical(raw)
    assert list(rec.to_dict()) == FIELDS
    total, done = raw.get("total_leads"), raw.get("completed_calls")
    if total and done is not None:
        assert rec.progress is not None
        assert abs(rec.progress - min(max(done / total, 0.0), 1.0)) < 1e-12
