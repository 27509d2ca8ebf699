"""A careless caller and a hostile server, through the binding: close()
stops a running get_many, and server text reaches exceptions masked and on
one line."""

from __future__ import annotations

import json
import socket
import threading
import time
from typing import Any, Iterator, List

import pytest

import campaign
from conftest import KEY, run_bounded


def test_close_stops_a_get_many_that_is_still_submitting(start_mock: Any) -> None:
    # Every request hangs, timeouts are long: only close() can end them. A
    # get_many of 20000 IDs must neither keep submitting after close() nor
    # make it wait.
    server = start_mock("--fault", "hang", log=True)
    assert server.log is not None
    c = campaign.Client(server.base_url, KEY, timeout=600, total_timeout=600, max_retries=0)
    results: List[Any] = []

    def many() -> None:
        try:
            results.extend(c.get_many(("cmp_%06d" % (i % 2000) for i in range(20000)), concurrency=8))
        except campaign.CancelledError as exc:
            results.append(exc)

    t = threading.Thread(target=many)
    t.start()
    server.log.wait_for(8, timeout=30)
    t0 = time.monotonic()
    run_bounded(c.close, 10, "close() during get_many")
    took = time.monotonic() - t0
    t.join(timeout=10)
    assert not t.is_alive()
    print("close() during get_many: %.3f s" % took)
    assert took < 5
    # The window only (8 requests), whatever the iterator still held.
    assert server.log.count() == 8
    assert results
    for r in results:
        err = r if isinstance(r, BaseException) else r.error
        assert isinstance(err, campaign.CancelledError)


class _EchoServer:
    """A raw HTTP server on loopback that answers every request with one
    fixed response (for headers and bodies campaign-mock will not send)."""

    def __init__(self, response: bytes) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(30)
        self.response = response
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return "http://127.0.0.1:%d/v1" % self.sock.getsockname()[1]

    def _serve(self) -> None:
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(30)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            conn.sendall(self.response)

    def close(self) -> None:
        self.sock.close()
        self.thread.join(timeout=10)


@pytest.fixture
def echo() -> Iterator[Any]:
    made: List[_EchoServer] = []

    def start(request_id: str, message: str) -> _EchoServer:
        body = json.dumps({"error": {"message": message}}).encode()
        head = ("HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
                "X-Request-Id: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                % (request_id, len(body))).encode()
        server = _EchoServer(head + body)
        made.append(server)
        return server

    yield start
    for s in made:
        s.close()


def test_server_text_in_exceptions_is_one_line_and_masked(echo: Any) -> None:
    server = echo("req_" + KEY, "line one\r\nFAKE log line\x1b[2J " + KEY)
    with campaign.Client(server.base_url, KEY, max_retries=0, timeout=10) as c:
        with pytest.raises(campaign.ServerError) as info:
            c.get("cmp_1")
    err = info.value
    for text in (str(err), err.message, repr(err)):
        assert "\n" not in text and "\r" not in text and "\x1b" not in text, text
        assert KEY not in text
    assert err.message == "line one FAKE log line [2J ***"
    assert err.request_id == "req_***"
    assert KEY not in err.body.decode()
