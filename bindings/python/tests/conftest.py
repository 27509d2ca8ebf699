"""Fixtures: a campaign-mock process on loopback, clients, and helpers.

The mock is ``build/bin/campaign-mock`` of this checkout, or the path in the
``CAMPAIGN_MOCK`` environment variable.  The package is imported from this
source tree (``bindings/python``) and loads ``build/lib/libcampaign.so.1``
unless ``CAMPAIGN_LIBRARY`` says otherwise.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest

HERE = Path(__file__).resolve().parent
PACKAGE_ROOT = HERE.parent  # bindings/python
REPO = PACKAGE_ROOT.parent.parent
sys.path.insert(0, str(PACKAGE_ROOT))

KEY = "sk_canary_py_9b1f"
FORBIDDEN_KEY = "sk_forbidden"
RECORDS = 2000


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

    def __init__(self, *extra: str, generate: int = RECORDS, api_key: str = KEY) -> None:
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
        line = self.proc.stdout.readline()  # blocks until the server listens
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
def start_mock() -> Iterator[Any]:
    """Start mocks with extra arguments (faults); all stopped after the test."""
    started: List[Mock] = []

    def start(*extra: str, generate: int = RECORDS, api_key: str = KEY) -> Mock:
        server = Mock(*extra, generate=generate, api_key=api_key)
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
