"""Fixtures: a campaign-mock process on loopback, clients, and helpers.

The mock is ``build/bin/campaign-mock`` of this checkout, or the path in the
``CAMPAIGN_MOCK`` environment variable.  The package is imported from this
source tree (``bindings/python``) and loads ``build/lib/libcampaign.so.1``
unless ``CAMPAIGN_LIBRARY`` says otherwise.
"""

from __future__ import annotations

import faulthandler
import json
import os
import re
import select
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Union

import pytest

HERE = Path(__file__).resolve().parent
PACKAGE_ROOT = HERE.parent  # bindings/python
REPO = PACKAGE_ROOT.parent.parent
sys.path.insert(0, str(PACKAGE_ROOT))

KEY = "sk_canary_py_9b1f"
FORBIDDEN_KEY = "sk_forbidden"
RECORDS = 2000

# The whole session's bound, below ctest's 900 s for python_tests, so that a
# hang ends with every thread's traceback rather than a bare kill. Per-test
# bounds come from pytest-timeout (``timeout`` in pyproject.toml). 0 disables.
SESSION_TIMEOUT = float(os.environ.get("CAMPAIGN_PYTEST_SESSION_TIMEOUT", "840"))

_watchdog: Optional[threading.Timer] = None


def pytest_sessionstart(session: pytest.Session) -> None:
    global _watchdog
    if SESSION_TIMEOUT <= 0:
        return
    config = session.config

    def expire() -> None:
        capture = config.pluginmanager.getplugin("capturemanager")
        if capture is not None:
            capture.suspend_global_capture(in_=True)  # let the dump reach the terminal
        sys.stderr.write("\n+++ the pytest session passed its %.0f s bound "
                         "(CAMPAIGN_PYTEST_SESSION_TIMEOUT); every thread:\n" % SESSION_TIMEOUT)
        sys.stderr.flush()
        faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
        os._exit(1)

    _watchdog = threading.Timer(SESSION_TIMEOUT, expire)
    _watchdog.daemon = True
    _watchdog.start()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _watchdog is not None:
        _watchdog.cancel()


def wait_until(predicate: Callable[[], Any], what: Union[str, Callable[[], str]],
               timeout: float = 10.0) -> Any:
    """Poll ``predicate`` until it returns something true (returned), or fail
    after ``timeout`` seconds saying ``what`` (text, or a function giving it)
    did not happen. For state that has no event to wait on (another
    process's log file)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            pytest.fail("not within %.0f s: %s" % (timeout, what if isinstance(what, str) else what()))
        time.sleep(0.002)


class RequestLog:
    """The mock's ``--request-log`` file: one JSON object per request, each
    line flushed when written. Read incrementally (only whole lines)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._offset = 0
        self._partial = b""
        self._entries: List[Dict[str, Any]] = []

    def entries(self) -> List[Dict[str, Any]]:
        """Every request logged so far."""
        try:
            with open(self.path, "rb") as f:
                f.seek(self._offset)
                chunk = f.read()
        except FileNotFoundError:
            return list(self._entries)
        self._offset += len(chunk)
        data = self._partial + chunk
        lines = data.split(b"\n")
        self._partial = lines.pop()  # an unfinished last line, or b""
        self._entries.extend(json.loads(line) for line in lines if line.strip())
        return list(self._entries)

    def count(self, match: Optional[Callable[[Dict[str, Any]], bool]] = None) -> int:
        return len([e for e in self.entries() if match is None or match(e)])

    def wait_for(
        self,
        n: int,
        timeout: float = 10.0,
        match: Optional[Callable[[Dict[str, Any]], bool]] = None,
    ) -> List[Dict[str, Any]]:
        """Wait until at least ``n`` requests (those ``match`` accepts, if
        given) were logged; returns those."""

        def enough() -> Optional[List[Dict[str, Any]]]:
            got = [e for e in self.entries() if match is None or match(e)]
            return got if len(got) >= n else None

        return wait_until(enough, lambda: "the mock logged %d matching requests (has %d)"
                          % (n, self.count(match)), timeout)


def header(entry: Dict[str, Any], name: str) -> Optional[str]:
    """A header's value in a request-log entry (names compare caselessly)."""
    for key, value in entry["headers"]:
        if key.lower() == name.lower():
            return value
    return None


def run_bounded(fn: Callable[[], Any], timeout: float, what: str) -> Any:
    """``fn()`` on a daemon thread: its result, or its exception re-raised;
    fails the test if it has not returned within ``timeout`` seconds (a hang
    inside a C call cannot be interrupted, so it is left behind, reported)."""
    outcome: List[Any] = []

    def run() -> None:
        try:
            outcome.append((True, fn()))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            outcome.append((False, exc))

    thread = threading.Thread(target=run, name="bounded: " + what, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        pytest.fail("%s: still running after %.0f s" % (what, timeout))
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


def mock_executable() -> Path:
    path = Path(os.environ.get("CAMPAIGN_MOCK") or REPO / "build" / "bin" / "campaign-mock")
    if not path.is_file():
        pytest.fail(
            "campaign-mock not found at %s: build it (cmake --build build --target "
            "campaign-mock) or set CAMPAIGN_MOCK" % path
        )
    return path


class Mock:
    """One campaign-mock process."""

    def __init__(
        self,
        *extra: str,
        generate: int = RECORDS,
        api_key: str = KEY,
        request_log: Optional[Path] = None,
    ) -> None:
        if request_log is not None:
            extra = extra + ("--request-log", str(request_log))
        self.log: Optional[RequestLog] = RequestLog(request_log) if request_log else None
        args = [
            str(mock_executable()),
            "--port", "0",
            "--generate", str(generate),
            "--api-key", api_key,
            "--forbidden-key", FORBIDDEN_KEY,
            *extra,
        ]
        self.proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.proc.stdout is not None
        # The first line says where it listens; bounded, so a mock that
        # never starts fails here instead of hanging the session.
        ready, _, _ = select.select([self.proc.stdout], [], [], 30)
        line = self.proc.stdout.readline() if ready else "(nothing within 30 s)"
        match = re.match(r"listening on (https?://\S+)", line)
        if not match:
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError("campaign-mock did not start: %r" % line)
        self.origin = match.group(1)
        self.base_url = self.origin + "/v1"
        self.port = int(self.origin.rsplit(":", 1)[1])
        # Keep reading stdout so the mock can never block on a full pipe.
        self._drain = threading.Thread(target=self.proc.stdout.read, daemon=True)
        self._drain.start()

    def raw(self, campaign_id: str, key: str = KEY) -> Dict[str, Any]:
        """A record fetched with urllib (not with the library under test)."""
        return json.loads(self.raw_text(campaign_id, key))

    def raw_text(self, campaign_id: str, key: str = KEY) -> str:
        request = urllib.request.Request(
            "%s/campaigns/%s" % (self.base_url, campaign_id),
            headers={"Authorization": "Bearer " + key, "Accept": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.read().decode("utf-8")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._drain.join(timeout=5)


@pytest.fixture(scope="session")
def mock() -> Iterator[Mock]:
    """A healthy mock with 2000 generated records, for the whole session."""
    server = Mock()
    yield server
    server.stop()


@pytest.fixture
def start_mock(tmp_path: Path) -> Iterator[Any]:
    """Start mocks with extra arguments (faults); all stopped after the test.
    ``log=True`` gives the mock a request log, read through ``server.log``."""
    started: List[Mock] = []

    def start(*extra: str, generate: int = RECORDS, api_key: str = KEY,
              log: bool = False) -> Mock:
        path = tmp_path / ("requests-%d.ndjson" % len(started)) if log else None
        server = Mock(*extra, generate=generate, api_key=api_key, request_log=path)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def client(mock: Mock) -> Iterator[Any]:
    import campaign

    with campaign.Client(mock.base_url, KEY, timeout=10.0) as c:
        yield c


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then closed)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def library_path() -> Path:
    import campaign._ffi

    return Path(campaign._ffi.LIBRARY_PATH)


def subprocess_env(**changes: Optional[str]) -> Dict[str, str]:
    env = dict(os.environ)
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env
