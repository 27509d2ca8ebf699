"""The blocking Client against campaign-mock: records, errors, get_many, threads."""

from __future__ import annotations

import builtins
import json
import logging
import os
import subprocess
import threading
import time
from typing import Any, Dict, Iterator, List

import pytest

import campaign
from conftest import FORBIDDEN_KEY, KEY, REPO, Mock, closed_port, header, run_bounded
from expected import check_campaign


# -- records -------------------------------------------------------------------


def test_get_every_attribute_matches_the_raw_record(client: campaign.Client, mock: Mock) -> None:
    # The generator varies shapes by index (sparse every 17th, reversed every
    # 13th, spaced every 19th, offsets, escapes): cover a spread of them.
    for i in list(range(0, 60)) + [101, 152, 203, 662, 1999]:
        cid = "cmp_%06d" % i
        text = mock.raw_text(cid)
        rec = client.get(cid)
        check_campaign(rec, json.loads(text))
        assert rec.raw == text
        assert rec == campaign.parse(text)


def test_to_dict_matches_the_cli(client: campaign.Client, mock: Mock) -> None:
    cli = REPO / "build" / "bin" / "campaign"
    if not cli.is_file():
        pytest.skip("build/bin/campaign not built")
    ids = ["cmp_%06d" % i for i in (0, 3, 6, 16, 17, 33, 271)]
    out = subprocess.run(
        [str(cli), "get", *ids, "--format", "json", "--base-url", mock.base_url],
        env={**os.environ, "CAMPAIGN_API_KEY": KEY},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.splitlines()
    assert len(out) == len(ids)
    for cid, line in zip(ids, out):
        rec = client.get(cid)
        assert rec.to_json() == line
        assert rec.to_dict() == json.loads(line)


def test_environment_supplies_base_url_and_key(mock: Mock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAMPAIGN_BASE_URL", mock.base_url)
    monkeypatch.setenv("CAMPAIGN_API_KEY", KEY)
    with campaign.Client() as c:
        assert c.get("cmp_000007").id == "cmp_000007"
        assert c.base_url == mock.base_url


def test_missing_configuration_is_invalid_argument(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CAMPAIGN_BASE_URL", raising=False)
    monkeypatch.delenv("CAMPAIGN_API_KEY", raising=False)
    with pytest.raises(campaign.InvalidArgumentError):
        campaign.Client()
    with pytest.raises(campaign.InvalidArgumentError):
        campaign.Client("http://127.0.0.1:9/v1")
    with pytest.raises(campaign.InvalidArgumentError) as info:
        campaign.Client("not a url", KEY)
    assert KEY not in str(info.value)
    with pytest.raises(ValueError):
        campaign.Client("http://127.0.0.1:9/v1", KEY, timeout=-1)
    with pytest.raises(TypeError):
        campaign.Client("http://127.0.0.1:9/v1", KEY, max_retries="2")  # type: ignore[arg-type]


def test_every_option_is_accepted(mock: Mock, tmp_path: Any) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("")
    with campaign.Client(
        mock.base_url,
        KEY,
        timeout=5,
        max_retries=1,
        connect_timeout=2.5,
        total_timeout=20,
        backoff_initial=0.01,
        backoff_max=0.1,
        max_retry_after=1,
        retry_budget_ratio=0.5,
        retry_budget_burst=10,
        max_body_bytes=1 << 20,
        max_header_bytes=32 << 10,
        max_connections=8,
        idle_timeout=5,
        io_threads=2,
        user_agent_suffix="pytest/1",
        ca_dir=str(tmp_path),
        insecure_skip_tls_verify=False,
        logger=logging.getLogger("campaign.test"),
    ) as c:
        assert c.get("cmp_000001").id == "cmp_000001"
    with campaign.Client(mock.base_url, KEY, fail_fast=True) as c:
        assert c.get("cmp_000002").id == "cmp_000002"


def test_options_beside_fail_fast_override_the_preset(mock: Mock) -> None:
    # A record is larger than 100 bytes: the limit given beside the preset holds.
    with campaign.Client(mock.base_url, KEY, fail_fast=True, max_body_bytes=100) as c:
        with pytest.raises(campaign.ResponseTooLargeError):
            c.get("cmp_000003")


def test_context_manager_and_close(mock: Mock) -> None:
    c = campaign.Client(mock.base_url, KEY)
    assert not c.closed
    assert KEY not in repr(c)
    c.close()
    c.close()  # idempotent
    assert c.closed
    with pytest.raises(campaign.CancelledError):
        c.get("cmp_000001")
    with pytest.raises(campaign.CancelledError):
        list(c.get_many(["cmp_000001"]))


def test_stats_count_requests(client: campaign.Client) -> None:
    before = client.stats()
    client.get("cmp_000010")
    after = client.stats()
    assert after.requests == before.requests + 1
    assert after.attempts >= before.attempts + 1
    assert set(after.as_dict()) >= {"requests", "attempts", "retries", "connections_opened"}


# -- errors, each from a real server response ------------------------------------


def _fail(c: campaign.Client, cid: str = "cmp_000001") -> campaign.Error:
    with pytest.raises(campaign.Error) as info:
        c.get(cid)
    return info.value


def _no_key(err: campaign.Error) -> None:
    for text in (str(err), repr(err), err.message, err.body.decode("utf-8", "replace")):
        assert KEY not in text


def test_not_found(client: campaign.Client) -> None:
    err = _fail(client, "cmp_nope")
    assert type(err) is campaign.NotFoundError
    assert err.kind == "not_found" and err.http_status == 404
    assert err.message and err.request_id and err.request_id.startswith("req_")
    assert err.attempts == 1 and err.retry_after is None
    assert "404" in str(err)
    _no_key(err)


def test_unauthorized(mock: Mock) -> None:
    with campaign.Client(mock.base_url, "sk_wrong_key") as c:
        err = _fail(c)
    assert type(err) is campaign.AuthenticationError
    assert err.kind == "unauthorized" and err.http_status == 401


def test_forbidden(mock: Mock) -> None:
    with campaign.Client(mock.base_url, FORBIDDEN_KEY) as c:
        err = _fail(c)
    assert type(err) is campaign.PermissionDeniedError
    assert err.kind == "forbidden" and err.http_status == 403


def test_rate_limited_after_retries(start_mock: Any) -> None:
    server = start_mock("--fault", "429", "--retry-after", "0.1")
    with campaign.Client(server.base_url, KEY, max_retries=1) as c:
        err = _fail(c)
    assert type(err) is campaign.RateLimitError
    assert err.kind == "rate_limited" and err.http_status == 429
    assert err.attempts == 2
    assert err.retry_after == pytest.approx(0.1)
    _no_key(err)


def test_server_error(start_mock: Any) -> None:
    server = start_mock("--fault", "503")
    with campaign.Client(server.base_url, KEY, max_retries=1, backoff_initial=0.01) as c:
        err = _fail(c)
    assert type(err) is campaign.ServerError
    assert err.kind == "server_error" and err.http_status == 503 and err.attempts == 2


def test_http_error_for_a_redirect(start_mock: Any) -> None:
    server = start_mock("--fault", "redirect")
    with campaign.Client(server.base_url, KEY) as c:
        err = _fail(c)
    assert type(err) is campaign.HTTPError
    assert err.kind == "http_error" and 300 <= (err.http_status or 0) < 400


def test_timeout(start_mock: Any) -> None:
    server = start_mock("--fault", "hang")
    with campaign.Client(server.base_url, KEY, timeout=0.2, max_retries=0) as c:
        err = _fail(c)
    assert type(err) is campaign.TimeoutError
    assert isinstance(err, builtins.TimeoutError) and isinstance(err, OSError)
    assert err.kind == "timeout" and err.http_status is None
    # The builtin name catches it (pytest.raises fails if nothing is raised).
    with campaign.Client(server.base_url, KEY, timeout=0.2, max_retries=0) as c:
        with pytest.raises(builtins.TimeoutError):
            c.get("cmp_000001")


def test_timeout_covers_a_trickled_body(start_mock: Any) -> None:
    """`timeout` is one attempt from connect to the last body byte: a server
    that answers at once but sends the body a byte per 200 ms (~100 s for a
    record) is cut off after 1 s, not when the far larger total timeout ends."""
    server = start_mock("--fault", "slow", "--slow-ms", "200", log=True)
    with campaign.Client(server.base_url, KEY, timeout=1.0, total_timeout=30,
                         max_retries=0) as c:
        start = time.monotonic()
        with pytest.raises(campaign.TimeoutError) as info:
            c.get("cmp_000001")
        elapsed = time.monotonic() - start
    assert 0.9 <= elapsed < 5, "timed out after %.2f s, not about 1 s" % elapsed
    assert info.value.kind == "timeout" and info.value.attempts == 1
    # The request reached the server (the deadline did not strike in connect).
    assert [e["target"] for e in server.log.entries()] == ["/v1/campaigns/cmp_000001"]


def test_connection_refused() -> None:
    with campaign.Client("http://127.0.0.1:%d/v1" % closed_port(), KEY, max_retries=0) as c:
        err = _fail(c)
    assert type(err) is campaign.ConnectionError
    assert isinstance(err, builtins.ConnectionError)
    assert err.kind == "network" and err.http_status is None
    _no_key(err)


def test_garbage_is_a_decode_error(start_mock: Any) -> None:
    server = start_mock("--fault", "garbage")
    with campaign.Client(server.base_url, KEY, max_retries=0) as c:
        err = _fail(c)
    assert isinstance(err, campaign.DecodeError)
    assert err.kind == "invalid_response"


def test_oversized_is_a_decode_error(start_mock: Any) -> None:
    server = start_mock("--fault", "oversized", "--oversized-bytes", "200000")
    with campaign.Client(server.base_url, KEY, max_retries=0, max_body_bytes=10000) as c:
        err = _fail(c)
    assert type(err) is campaign.ResponseTooLargeError
    assert isinstance(err, campaign.DecodeError)
    assert err.kind == "too_large"


@pytest.mark.parametrize("bad", ["", "bad/id", "..", "cmp 1", "cmp\r\nX: y", "caf\u00e9",
                                 "x" * 129, "cmp_1\x00../x", "\udcff", 42, None])
def test_invalid_id(client: campaign.Client, bad: Any) -> None:
    with pytest.raises(campaign.InvalidArgumentError) as info:
        client.get(bad)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.kind == "invalid_argument" and err.http_status is None
    assert err.attempts == 0


def test_valid_id_shapes(client: campaign.Client) -> None:
    for odd in ("A-b_9", "x" * 128):
        with pytest.raises(campaign.NotFoundError):
            client.get(odd)


def test_errors_pickle() -> None:
    import pickle

    err = campaign.NotFoundError("gone", kind="not_found", http_status=404, request_id="req_1")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is campaign.NotFoundError
    assert (back.kind, back.http_status, back.message, back.request_id) == (
        "not_found", 404, "gone", "req_1")


# -- get_many ----------------------------------------------------------------------


def test_get_many_order_and_mixed_failures(client: campaign.Client) -> None:
    ids: List[Any] = []
    for i in range(300):
        ids.append("cmp_%06d" % (i * 7 % 2000))
        if i % 10 == 3:
            ids.append("cmp_unknown_%d" % i)
        if i % 25 == 5:
            ids.append("bad/id%d" % i)
    ids += ["", 17, "cmp_000001"]
    results = list(client.get_many(ids, concurrency=16))
    assert len(results) == len(ids)
    for cid, r in zip(ids, results):
        assert r.id == cid
        if isinstance(cid, str) and cid.startswith("cmp_0"):
            assert r.ok and r.error is None
            assert r.campaign is not None and r.campaign.id == cid
            assert r.unwrap() is r.campaign
        elif isinstance(cid, str) and cid.startswith("cmp_unknown"):
            assert not r.ok and r.campaign is None
            assert isinstance(r.error, campaign.NotFoundError)
        else:
            assert not r.ok
            assert isinstance(r.error, campaign.InvalidArgumentError)
            with pytest.raises(campaign.InvalidArgumentError):
                r.unwrap()


def test_get_many_is_lazy_over_a_generator(client: campaign.Client) -> None:
    advanced = 0

    def ids() -> Iterator[str]:
        nonlocal advanced
        for i in range(1_000_000):
            advanced += 1
            yield "cmp_%06d" % (i % 2000)

    it = client.get_many(ids(), concurrency=8)
    first = next(it)
    assert first.ok and first.id == "cmp_000000"
    # At most two chunks of max(16 * concurrency, 256) IDs ahead, not the input.
    assert advanced <= 2 * 256
    for _ in range(2000):
        next(it)
    assert advanced <= 2001 + 2 * 256
    it.close()
    # The client is still fine after an abandoned iteration.
    assert client.get("cmp_000003").id == "cmp_000003"


def test_get_many_edge_inputs(client: campaign.Client) -> None:
    assert list(client.get_many([])) == []
    assert [r.id for r in client.get_many(iter(["cmp_000005"]), concurrency=1)] == ["cmp_000005"]
    assert [r.ok for r in client.get_many(("cmp_000005",) * 50, concurrency=3)] == [True] * 50
    with pytest.raises(TypeError):
        client.get_many("cmp_000001")
    with pytest.raises(ValueError):
        client.get_many(["cmp_000001"], concurrency=0)


def test_get_many_with_faults_gives_one_result_each(start_mock: Any) -> None:
    server = start_mock("--fault", "503:0.3", "--fault", "reset:0.1", "--seed", "3")
    ids = ["cmp_%06d" % i for i in range(400)]
    with campaign.Client(server.base_url, KEY, max_retries=0) as c:
        results = list(c.get_many(ids, concurrency=32))
    assert [r.id for r in results] == ids
    kinds = {type(r.error) for r in results if not r.ok}
    assert any(r.ok for r in results)
    assert kinds <= {campaign.ServerError, campaign.ConnectionError}
    assert campaign.ServerError in kinds


def test_module_level_get_many(mock: Mock) -> None:
    got = [r.campaign.id for r in campaign.get_many(
        ["cmp_000001", "cmp_000002"], base_url=mock.base_url, api_key=KEY) if r.campaign]
    assert got == ["cmp_000001", "cmp_000002"]


# -- threads, close, logging ------------------------------------------------------


def test_eight_threads_share_a_client(client: campaign.Client) -> None:
    errors: List[BaseException] = []
    per_thread = 150

    def work(t: int) -> None:
        try:
            for i in range(per_thread):
                cid = "cmp_%06d" % ((t * per_thread + i) % 2000)
                assert client.get(cid).id == cid
            results = list(client.get_many(["cmp_%06d" % (t * 10 + k) for k in range(40)], 8))
            assert [r.campaign.id for r in results if r.campaign] == [
                "cmp_%06d" % (t * 10 + k) for k in range(40)]
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
        assert not t.is_alive(), "a thread still runs after 60 s"
    assert errors == []


def test_close_from_another_thread_cancels_a_blocked_get(start_mock: Any) -> None:
    server = start_mock("--fault", "hang")
    c = campaign.Client(server.base_url, KEY, timeout=60, max_retries=0)
    outcome: List[BaseException] = []

    def blocked() -> None:
        try:
            c.get("cmp_000001")
        except BaseException as exc:  # noqa: BLE001
            outcome.append(exc)

    t = threading.Thread(target=blocked)
    t.start()
    c.close()  # before or during the get: either way it ends now, cancelled
    t.join(timeout=20)
    assert not t.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], campaign.CancelledError)
    assert outcome[0].kind == "cancelled"


def test_dropping_an_unclosed_client_closes_it(mock: Mock) -> None:
    import gc
    import weakref

    c = campaign.Client(mock.base_url, KEY)
    c.get("cmp_000001")
    core = c._core
    ref = weakref.ref(c)
    del c
    gc.collect()
    assert ref() is None
    assert core.closed and core.ptr is None


def test_logger_receives_messages_without_the_key(start_mock: Any) -> None:
    server = start_mock("--fault", "503:0.5", "--fault", "reset:0.2", "--seed", "5")
    messages: List[str] = []
    lock = threading.Lock()

    def sink(level: int, message: str) -> None:
        with lock:
            messages.append("%d %s" % (level, message))

    with campaign.Client(server.base_url, KEY, max_retries=2, backoff_initial=0.001,
                         backoff_max=0.01, logger=sink) as c:
        results = list(c.get_many(["cmp_%06d" % i for i in range(200)], concurrency=16))
        err = _fail(c, "cmp_nope_x")
    assert len(results) == 200
    for text in messages + [str(err), repr(err)] + [
        str(r.error) + repr(r.error) for r in results if r.error is not None
    ]:
        assert KEY not in text


def test_a_raising_logger_does_not_break_anything(mock: Mock) -> None:
    def sink(level: int, message: str) -> None:
        raise RuntimeError("boom")

    with campaign.Client(mock.base_url, KEY, logger=sink) as c:
        assert c.get("cmp_000001").id == "cmp_000001"
        with pytest.raises(campaign.NotFoundError):
            c.get("cmp_nope")


def test_the_key_never_appears_in_errors_or_logs(mock: Mock, start_mock: Any) -> None:
    """The canary key, sent where it is refused, used as an ID, put in IDs that
    are refused before sending, and through faults: no exception text and no
    log message ever contains it."""
    messages: List[str] = []
    texts: List[str] = []

    def sink(level: int, message: str) -> None:
        messages.append(message)

    def collect(err: BaseException) -> None:
        assert isinstance(err, campaign.Error)
        texts.extend([str(err), repr(err), err.message, err.body.decode("utf-8", "replace"),
                      str(err.args)])

    other = start_mock(api_key="sk_someone_else")
    faulty = start_mock("--fault", "503:0.4", "--fault", "garbage:0.2", "--fault", "reset:0.2")
    for base in (other.base_url, mock.base_url, faulty.base_url):
        with campaign.Client(base, KEY, max_retries=1, backoff_initial=0.001, logger=sink) as c:
            for cid in (KEY, "cmp_000001", "cmp_nope", KEY + "/x", KEY + "\x00", KEY + " "):
                try:
                    c.get(cid)
                except campaign.Error as err:
                    collect(err)
            for r in c.get_many([KEY, KEY + "!", "cmp_000002"] * 20, concurrency=8):
                if r.error is not None:
                    collect(r.error)
    with campaign.Client("http://127.0.0.1:%d/v1" % closed_port(), KEY, max_retries=0,
                         logger=sink) as c:
        with pytest.raises(campaign.ConnectionError) as refused:
            c.get(KEY)
        collect(refused.value)
    assert texts
    assert any("401" in t or "unauthorized" in t for t in texts)
    for text in texts + messages:
        assert KEY not in text, text


def test_close_cancels_a_blocked_get_many(start_mock: Any) -> None:
    server = start_mock("--fault", "hang")
    c = campaign.Client(server.base_url, KEY, timeout=60, max_retries=0)
    outcome: List[Any] = []

    def blocked() -> None:
        try:
            outcome.extend(c.get_many(["cmp_%06d" % i for i in range(600)], concurrency=8))
        except BaseException as exc:  # noqa: BLE001
            outcome.append(exc)

    t = threading.Thread(target=blocked)
    t.start()
    c.close()
    t.join(timeout=20)
    assert not t.is_alive()
    # Either the iteration saw the client closed, or its results were cancelled.
    assert outcome
    for item in outcome:
        if isinstance(item, campaign.Result):
            assert isinstance(item.error, campaign.CancelledError)
        else:
            assert isinstance(item, campaign.CancelledError)


def test_close_with_requests_in_flight_never_hangs(start_mock: Any) -> None:
    """100 clients in a row, each closed while three gets and a get_many wait
    on a server that never answers: close() returns within 10 s each time,
    every get raises CancelledError and the get_many ends cancelled.

    Every other close comes once the server has seen the three gets and the
    batch's first 8 requests. A get_batch submits its next IDs as cancelled
    ones complete, so a close() that cancels once and then waits would wait
    for those (60 s each, here); the others close at once, racing the calls'
    start."""
    server = start_mock("--fault", "hang", log=True)
    ids = ["cmp_%06d" % i for i in range(40)]  # more than the concurrency, 8
    assert server.log is not None
    for iteration in range(100):
        mark = "close-%d" % iteration  # tells this client's requests in the log

        def ours(entry: Dict[str, Any], mark: str = mark) -> bool:
            return (header(entry, "User-Agent") or "").endswith(mark)

        c = campaign.Client(server.base_url, KEY, timeout=60, max_retries=0,
                            user_agent_suffix=mark)
        outcomes: Dict[str, Any] = {}

        def get(name: str, cid: str) -> None:
            try:
                outcomes[name] = c.get(cid)
            except BaseException as exc:  # noqa: BLE001
                outcomes[name] = exc

        def many() -> None:
            try:
                outcomes["many"] = list(c.get_many(ids, concurrency=8))
            except BaseException as exc:  # noqa: BLE001
                outcomes["many"] = exc

        threads = [threading.Thread(target=get, args=("get%d" % k, "cmp_%06d" % (100 + k)))
                   for k in range(3)]
        threads.append(threading.Thread(target=many))
        for t in threads:
            t.start()
        if iteration % 2:
            server.log.wait_for(3 + 8, match=ours)
        run_bounded(c.close, 10, "iteration %d: close() with requests in flight" % iteration)
        for t in threads:
            t.join(timeout=10)
            assert not t.is_alive(), "iteration %d: a call still blocked after close()" % iteration
        for k in range(3):
            got = outcomes["get%d" % k]
            assert isinstance(got, campaign.CancelledError), (iteration, got)
        got = outcomes["many"]
        if isinstance(got, list):
            assert len(got) == len(ids), iteration
            assert all(isinstance(r.error, campaign.CancelledError) for r in got), iteration
        else:
            assert isinstance(got, campaign.CancelledError), (iteration, got)
    # The odd iterations waited for the server to see 11 requests each: they did.
    assert server.log.count() >= 50 * 11


# -- rate limits (docs/api.md, "Rate limits") ----------------------------------


def test_rate_limit_on_records_errors_and_stats(start_mock: Any) -> None:
    server = start_mock("--rate-limit", "100/60")
    with campaign.Client(server.base_url, KEY, timeout=10.0) as c:
        rec = c.get("cmp_000042")
        rl = rec.rate_limit
        assert isinstance(rl, campaign.RateLimit)
        assert (rl.limit, rl.remaining) == (100, 99)
        assert rl.reset is not None and rl.reset.tzinfo is not None
        now = time.time()
        assert now < rl.reset.timestamp() <= now + 62
        with pytest.raises(campaign.NotFoundError) as info:
            c.get("cmp_999999")
        assert info.value.rate_limit is not None
        assert info.value.rate_limit.remaining == 98
        st = c.stats()
        assert st.rate_limit is not None and st.rate_limit.remaining == 98
        assert st.responses_429 == 0 and st.rate_limit_waits == 0
        assert st.rate_limit_wait == 0.0
        assert "rate_limit" in st.as_dict()
        repr(st)


def test_rate_limit_is_none_without_headers(client: Any) -> None:
    rec = client.get("cmp_000042")
    assert rec.rate_limit is None
    assert client.stats().rate_limit is None
    assert campaign.parse(rec.raw).rate_limit is None


def test_a_held_back_request_fails_at_once_past_its_deadline(start_mock: Any) -> None:
    server = start_mock("--rate-limit", "1/30")
    with campaign.Client(server.base_url, KEY, timeout=2.0, total_timeout=2.0) as c:
        c.get("cmp_000001")
        start = time.monotonic()
        with pytest.raises(campaign.RateLimitError) as info:
            c.get("cmp_000002")
        assert time.monotonic() - start < 1.5
        assert info.value.attempts == 0
        assert info.value.retry_after is not None and info.value.retry_after > 2.0
        assert info.value.rate_limit is not None and info.value.rate_limit.remaining == 0


# -- coalescing and the rate-limit gate (docs/decisions.md, "Coalescing") -------


def _targeting(campaign_id: str) -> Any:
    return lambda e: e["target"] == "/v1/campaigns/" + campaign_id


def _concurrent_gets(c: campaign.Client, n: int, campaign_id: str) -> List[Any]:
    barrier = threading.Barrier(n)
    results: List[Any] = [None] * n

    def one(i: int) -> None:
        barrier.wait()
        results[i] = c.get(campaign_id)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    return results


def test_concurrent_gets_of_one_id_share_a_request(start_mock: Any) -> None:
    server = start_mock("--latency-ms", "400", log=True)
    with campaign.Client(server.base_url, KEY, timeout=10.0) as c:
        results = _concurrent_gets(c, 8, "cmp_000042")
        assert all(r is not None and r.id == "cmp_000042" for r in results)
        assert len({id(r) for r in results}) == 8  # each caller its own object
        assert server.log.count(_targeting("cmp_000042")) == 1
        st = c.stats()
        assert (st.requests, st.coalesced) == (1, 7)
        assert st.as_dict()["coalesced"] == 7
        # Nothing is cached: the next get is a request of its own.
        c.get("cmp_000042")
        assert server.log.count(_targeting("cmp_000042")) == 2


def test_coalesce_off_sends_one_request_per_get(start_mock: Any) -> None:
    server = start_mock("--latency-ms", "400", log=True)
    with campaign.Client(server.base_url, KEY, timeout=10.0, coalesce=False) as c:
        results = _concurrent_gets(c, 8, "cmp_000042")
        assert all(r.id == "cmp_000042" for r in results)
        assert server.log.count(_targeting("cmp_000042")) == 8
        st = c.stats()
        assert (st.requests, st.coalesced) == (8, 0)
    # fail_fast's preset does not undo it
    with campaign.Client(server.base_url, KEY, coalesce=False, fail_fast=True) as c:
        _concurrent_gets(c, 3, "cmp_000043")
        assert c.stats().coalesced == 0
        assert server.log.count(_targeting("cmp_000043")) == 3


def test_get_many_with_duplicate_ids_fills_every_position(client: campaign.Client) -> None:
    ids = ["cmp_000001", "cmp_000002", "cmp_000001", "cmp_missing", "cmp_000001", "cmp_missing"]
    results = list(client.get_many(ids, concurrency=8))
    assert [r.id for r in results] == ids
    for r in results:
        if r.id == "cmp_missing":
            assert isinstance(r.error, campaign.NotFoundError)
        else:
            assert r.ok and r.campaign.id == r.id


# 12 gets one after the other against 5 per 2 s: well under 2 s without the
# gate, so at most one window boundary falls among them and at least two meet
# a 429; with the gate, none does.
def _sequential_gets(c: campaign.Client, n: int = 12) -> int:
    limited = 0
    for _ in range(n):
        try:
            c.get("cmp_000042")
        except campaign.RateLimitError:
            limited += 1
    return limited


def test_rate_limit_gate_off_meets_the_429s(start_mock: Any) -> None:
    server = start_mock("--rate-limit", "5/2")
    with campaign.Client(server.base_url, KEY, timeout=10.0, max_retries=0,
                         rate_limit_gate=False) as c:
        start = time.monotonic()
        limited = _sequential_gets(c)
        assert time.monotonic() - start < 1.5
        assert limited >= 2
        st = c.stats()
        assert st.responses_429 == limited
        assert st.rate_limit_waits == 0 and st.rate_limit_wait == 0.0


def test_rate_limit_gate_on_holds_requests_back(start_mock: Any) -> None:
    server = start_mock("--rate-limit", "5/2")
    with campaign.Client(server.base_url, KEY, timeout=10.0, max_retries=0,
                         rate_limit_gate=True) as c:
        assert _sequential_gets(c) == 0
        st = c.stats()
        assert st.responses_429 == 0
        assert st.rate_limit_waits >= 1 and st.rate_limit_wait > 0
