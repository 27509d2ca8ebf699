"""HTTPS end to end: a CA and leaf certificates made with the openssl command,
campaign-mock serving them, and the client trusting the CA through ``ca_file``
or ``ca_dir``; verification failures (wrong host, unknown CA) and SNI as the
server saw it (the mock's request log)."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from pathlib import Path
from typing import Any, Dict, List

import pytest

import campaign
from conftest import KEY

CURVE = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]


def _openssl(*args: str, cwd: Path) -> str:
    done = subprocess.run(["openssl", *args], cwd=str(cwd), capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, "openssl %s: %s" % (" ".join(args), done.stderr)
    return done.stdout


def _ca(d: Path, name: str) -> None:
    _openssl("req", "-x509", *CURVE, "-keyout", name + ".key", "-out", name + ".pem",
             "-days", "3", "-subj", "/CN=campaign python test " + name,
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=d)


def _leaf(d: Path, name: str, ca: str, san: str, serial: int) -> None:
    _openssl("req", "-new", *CURVE, "-keyout", name + ".key", "-out", name + ".csr",
             "-subj", "/CN=" + name, cwd=d)
    (d / (name + ".ext")).write_text(
        "subjectAltName=%s\nbasicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n" % san)
    _openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
             "-set_serial", str(serial), "-days", "3",
             "-extfile", name + ".ext", "-out", name + ".pem", cwd=d)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Path]:
    """ca: the trusted CA; good: a leaf for localhost and 127.0.0.1; other:
    a leaf of the same CA for another name only; rogue: a leaf for localhost
    from a CA nobody trusts; cadir: the CA under its OpenSSL hash name."""
    if shutil.which("openssl") is None:
        pytest.fail("the openssl command is needed (Debian: openssl; scripts/deps.sh has it)")
    d = tmp_path_factory.mktemp("pki")
    _ca(d, "ca")
    _ca(d, "rogue-ca")
    _leaf(d, "good", "ca", "DNS:localhost,IP:127.0.0.1", 2)
    _leaf(d, "other", "ca", "DNS:other.invalid", 3)
    _leaf(d, "rogue", "rogue-ca", "DNS:localhost,IP:127.0.0.1", 2)
    cadir = d / "cadir"
    cadir.mkdir()
    subject_hash = _openssl("x509", "-hash", "-noout", "-in", "ca.pem", cwd=d).strip()
    shutil.copy(d / "ca.pem", cadir / (subject_hash + ".0"))
    paths = {name: d / (name + ".pem") for name in ("ca", "good", "other", "rogue")}
    paths.update({name + "_key": d / (name + ".key") for name in ("good", "other", "rogue")})
    paths["cadir"] = cadir
    return paths


def _https_mock(start_mock: Any, pki: Dict[str, Path], leaf: str) -> Any:
    server = start_mock("--tls-cert", str(pki[leaf]), "--tls-key", str(pki[leaf + "_key"]),
                        log=True)
    assert server.origin.startswith("https://"), server.origin
    return server


def _localhost(server: Any) -> str:
    return "https://localhost:%d/v1" % server.port


def _server_names(server: Any) -> List[str]:
    return [e["server_name"] for e in server.log.entries()]


def test_https_with_ca_file_and_sni(start_mock: Any, pki: Dict[str, Path]) -> None:
    server = _https_mock(start_mock, pki, "good")
    with campaign.Client(_localhost(server), KEY, ca_file=pki["ca"], max_retries=0) as c:
        rec = c.get("cmp_000001")
    assert rec.id == "cmp_000001"
    # The request went over TLS with the host name as SNI.
    assert _server_names(server) == ["localhost"]
    # An IP address is verified against the IP SAN and sent no SNI (RFC 6066).
    with campaign.Client("https://127.0.0.1:%d/v1" % server.port, KEY, ca_file=str(pki["ca"]),
                         max_retries=0) as c:
        assert c.get("cmp_000002").id == "cmp_000002"
    assert _server_names(server) == ["localhost", ""]


def test_https_with_ca_dir(start_mock: Any, pki: Dict[str, Path]) -> None:
    server = _https_mock(start_mock, pki, "good")
    with campaign.Client(_localhost(server), KEY, ca_dir=pki["cadir"], max_retries=0) as c:
        assert c.get("cmp_000003").id == "cmp_000003"
    assert _server_names(server) == ["localhost"]


def test_https_async_with_ca_file(start_mock: Any, pki: Dict[str, Path]) -> None:
    server = _https_mock(start_mock, pki, "good")

    async def main() -> str:
        async with campaign.AsyncClient(_localhost(server), KEY, ca_file=pki["ca"],
                                        max_retries=0) as ac:
            return (await asyncio.wait_for(ac.get("cmp_000004"), 20)).id

    assert asyncio.run(main()) == "cmp_000004"
    assert _server_names(server) == ["localhost"]


def _tls_failure(base_url: str, **options: Any) -> campaign.Error:
    with campaign.Client(base_url, KEY, max_retries=0, **options) as c:
        with pytest.raises(campaign.ConnectionError) as info:
            c.get("cmp_000001")
    return info.value


def test_https_wrong_host_is_a_tls_error(start_mock: Any, pki: Dict[str, Path]) -> None:
    # A certificate of the trusted CA, but for other.invalid only.
    server = _https_mock(start_mock, pki, "other")
    err = _tls_failure(_localhost(server), ca_file=pki["ca"])
    assert type(err) is campaign.TLSError and err.kind == "tls", err
    assert err.http_status is None and KEY not in str(err)
    assert server.log.entries() == []  # no request was sent over it


def test_https_unknown_ca_is_a_tls_error(start_mock: Any, pki: Dict[str, Path]) -> None:
    # Right name, but signed by a CA that is not the one trusted.
    server = _https_mock(start_mock, pki, "rogue")
    for options in ({"ca_file": pki["ca"]}, {"ca_dir": pki["cadir"]}, {}):
        err = _tls_failure(_localhost(server), **options)
        assert type(err) is campaign.TLSError and err.kind == "tls", (options, err)
    assert server.log.entries() == []
