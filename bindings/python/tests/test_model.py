"""Campaign, Status, RetryConfig and parse(), without the network."""

from __future__ import annotations

import copy
import json
import math
import pickle
from datetime import datetime, timedelta, timezone

import pytest

import campaign
from expected import FIELDS, SAMPLE, canonical, check_campaign


def test_sample_every_attribute() -> None:
    rec = campaign.parse(SAMPLE)
    assert isinstance(rec, campaign.Campaign)
    assert rec.id == "cmp_xyz789"
    assert rec.org_id == "org_xyz"
    assert rec.name == "Q2 Lead Re-engagement"
    assert rec.agent_id == "agt_abc123"
    assert rec.from_phone_number == "+912234567890"
    assert rec.status == "running"
    assert rec.status == campaign.Status.RUNNING
    assert rec.status is campaign.Status.RUNNING
    assert rec.max_concurrent_calls == 5
    assert rec.scheduled_at is None
    assert rec.retry_config == campaign.RetryConfig(max_retries=3, retry_interval_minutes=120)
    assert rec.retry_config.retry_interval == timedelta(hours=2)
    assert rec.total_leads == 1200
    assert rec.completed_calls == 450
    assert rec.pending_calls == 750
    assert rec.created_at == datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)
    assert rec.created_at.utcoffset() == timedelta(0)
    assert rec.created_at_ms == 1709283600000
    assert rec.progress == pytest.approx(450 / 1200)
    # ceil(750 / 5) calls of 60 s each
    assert rec.eta(60) == timedelta(seconds=150 * 60)
    assert rec.eta(timedelta(seconds=30)) == timedelta(seconds=150 * 30)
    assert rec.raw == SAMPLE
    check_campaign(rec, json.loads(SAMPLE))


def test_to_dict_is_the_canonical_record() -> None:
    rec = campaign.parse(SAMPLE)
    d = rec.to_dict()
    assert list(d) == FIELDS
    assert d == {
        "id": "cmp_xyz789",
        "org_id": "org_xyz",
        "name": "Q2 Lead Re-engagement",
        "agent_id": "agt_abc123",
        "from_phone_number": "+912234567890",
        "status": "running",
        "max_concurrent_calls": 5,
        "scheduled_at": None,
        "retry_config": {"max_retries": 3, "retry_interval_minutes": 120},
        "total_leads": 1200,
        "completed_calls": 450,
        "pending_calls": 750,
        "created_at": "2024-03-01T09:00:00.000Z",
    }
    assert json.loads(rec.to_json()) == d


def test_absent_and_null_fields_are_none() -> None:
    rec = campaign.parse('{"id": "cmp_a", "org_id": null, "retry_config": {"max_retries": 0}}')
    assert rec.id == "cmp_a"
    for name in ("org_id", "name", "agent_id", "from_phone_number", "status",
                 "max_concurrent_calls", "scheduled_at", "total_leads",
                 "completed_calls", "pending_calls", "created_at"):
        assert getattr(rec, name) is None, name
    assert rec.retry_config == campaign.RetryConfig(0, None)
    assert rec.progress is None
    assert rec.eta(10) is None
    d = rec.to_dict()
    assert d["retry_config"] == {"max_retries": 0, "retry_interval_minutes": None}
    assert d["status"] is None and d["created_at"] is None


def test_unknown_status_keeps_its_text() -> None:
    rec = campaign.parse('{"id": "cmp_a", "status": "archived"}')
    assert isinstance(rec.status, campaign.Status)
    assert rec.status == "archived"
    assert not rec.status.known
    assert rec.status.code == 0
    assert rec.to_dict()["status"] == "archived"
    assert campaign.Status.COMPLETED.known and campaign.Status.COMPLETED.is_final
    assert campaign.Status("running") is campaign.Status.RUNNING
    assert repr(campaign.Status.DRAFT) == "Status('draft')"
    assert {campaign.Status.PAUSED: 1}["paused"] == 1


def test_timestamps_keep_their_instant() -> None:
    rec = campaign.parse(
        '{"id": "cmp_a", "created_at": "2024-03-01T14:30:00+05:30",'
        ' "scheduled_at": "2024-03-02T00:00:00.250-03:30"}'
    )
    assert rec.created_at == datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)
    assert rec.scheduled_at == datetime(2024, 3, 2, 3, 30, 0, 250000, tzinfo=timezone.utc)
    assert rec.to_dict()["created_at"] == "2024-03-01T09:00:00.000Z"
    assert rec.to_dict()["scheduled_at"] == "2024-03-02T03:30:00.250Z"


def test_strings_are_full_json_strings() -> None:
    text = '{"id": "cmp_a", "name": "Caf\\u00e9 \\ud83d\\ude80 \\"q\\" \\\\ \\n \u6771\u4eac"}'
    rec = campaign.parse(text)
    assert rec.name == json.loads(text)["name"]
    assert rec.raw == text
    assert campaign.parse(text.encode("utf-8")) == rec


def test_at_pointer_and_get_reach_any_member() -> None:
    text = json.dumps({
        "id": "cmp_a",
        "retry_config": {"max_retries": 3},
        "metadata": {"tags": ["q2", "vip"], "a/b": 1, "m~n": 2, "none": None},
    })
    rec = campaign.parse(text)
    assert rec.at_pointer("/retry_config") == {"max_retries": 3}
    assert rec.at_pointer("/metadata/tags/1") == "vip"
    assert rec.at_pointer("/metadata/a~1b") == 1
    assert rec.at_pointer("/metadata/m~0n") == 2
    assert rec.at_pointer("/metadata/none") is None
    assert rec.at_pointer("") == json.loads(text)
    with pytest.raises(KeyError):
        rec.at_pointer("/nope")
    with pytest.raises(KeyError):
        rec.at_pointer("/metadata/tags/7")
    with pytest.raises(ValueError):
        rec.at_pointer("no-leading-slash")
    with pytest.raises(campaign.InvalidArgumentError):
        rec.at_pointer("/metadata/~2")
    assert rec.get("metadata")["tags"] == ["q2", "vip"]
    assert rec.get("missing", 42) == 42


def test_equality_hash_pickle_repr() -> None:
    a = campaign.parse(SAMPLE)
    b = campaign.parse(json.dumps(json.loads(SAMPLE)))  # other spacing, same record
    c = campaign.parse(SAMPLE.replace("450", "451").replace("750", "749"))
    assert a == b and hash(a) == hash(b)
    assert a != c
    assert a != "cmp_xyz789"
    assert len({a, b, c}) == 2
    restored = pickle.loads(pickle.dumps(a))
    assert restored == a and restored.raw == a.raw
    assert copy.copy(a) is a and copy.deepcopy(a) is a
    r = repr(a)
    assert r.startswith("Campaign(") and "cmp_xyz789" in r and "'running'" in r
    with pytest.raises(AttributeError):
        a.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        campaign.Campaign()


def test_from_dict_round_trip() -> None:
    d = campaign.parse(SAMPLE).to_dict()
    assert campaign.Campaign.from_dict(d) == campaign.parse(SAMPLE)
    assert campaign.Campaign.from_dict(d).to_dict() == d


@pytest.mark.parametrize(
    "text, field",
    [
        ('{"id": "cmp_a", "max_concurrent_calls": "5"}', "max_concurrent_calls"),
        ('{"id": "cmp_a", "total_leads": 5.0}', "total_leads"),
        ('{"id": "cmp_a", "pending_calls": 1e0}', "pending_calls"),
        ('{"id": "cmp_a", "completed_calls": 99999999999999999999}', "completed_calls"),
        ('{"id": "cmp_a", "created_at": "yesterday"}', "created_at"),
        ('{"name": "no id"}', "id"),
    ],
)
def test_invalid_records_raise_decode_error_naming_the_field(text: str, field: str) -> None:
    with pytest.raises(campaign.DecodeError) as info:
        campaign.parse(text)
    err = info.value
    assert err.kind == "invalid_response"
    assert isinstance(err, campaign.Error)
    assert field in err.message


@pytest.mark.parametrize("text", ["", "{", "[1]", "null", '{"id": "a"} x', b'{"id": "\xff"}'])
def test_malformed_json_raises_decode_error(text: object) -> None:
    with pytest.raises(campaign.DecodeError):
        campaign.parse(text)  # type: ignore[arg-type]


def test_parse_rejects_other_types() -> None:
    with pytest.raises(TypeError):
        campaign.parse(123)  # type: ignore[arg-type]


def test_datetime_range() -> None:
    rec = campaign.parse('{"id": "cmp_a", "created_at": "0000-01-01T00:00:00Z"}')
    assert rec.to_dict()["created_at"] == "0000-01-01T00:00:00.000Z"
    with pytest.raises(OverflowError):
        rec.created_at
    assert rec.created_at_ms is not None and rec.created_at_ms < 0


def test_eta_rounds_up_the_waves() -> None:
    rec = campaign.parse('{"id": "a", "max_concurrent_calls": 4, "pending_calls": 9}')
    assert rec.eta(10) == timedelta(seconds=30)  # ceil(9/4) = 3 waves
    assert rec.eta(-1) is None
    rec0 = campaign.parse('{"id": "a", "max_concurrent_calls": 0, "pending_calls": 9}')
    assert rec0.eta(10) is None


def test_progress_bounds() -> None:
    assert campaign.parse('{"id": "a", "total_leads": 0, "completed_calls": 0}').progress is None
    p = campaign.parse('{"id": "a", "total_leads": 4, "completed_calls": 4}').progress
    assert p == 1.0
    assert math.isclose(
        campaign.parse('{"id": "a", "total_leads": 3, "completed_calls": 1}').progress or 0, 1 / 3
    )


def test_canonical_helper_agrees_on_sample() -> None:
    assert canonical(json.loads(SAMPLE)) == campaign.parse(SAMPLE).to_dict()
