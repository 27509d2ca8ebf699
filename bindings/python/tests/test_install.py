"""A clean, offline ``pip install`` into a fresh venv, then import and fetch.

Slow (the install runs CMake to build libcampaign.so.1 from the repository
in Release mode) but part of the normal suite.  Set
``CAMPAIGN_CMAKE_BUILD_DIR`` to reuse a build directory between runs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import KEY, PACKAGE_ROOT, Mock, subprocess_env

SYSTEM_PYTHON = "/usr/bin/python3"


# A fresh clone builds the library from scratch here (minutes on two shared
# cores): its own bound, above the suite's 120 s and below the session's.
@pytest.mark.slow
@pytest.mark.timeout(600)
def test_pip_install_into_a_fresh_venv(tmp_path: Path, mock: Mock) -> None:
    python = SYSTEM_PYTHON if Path(SYSTEM_PYTHON).exists() else sys.executable
    venv = tmp_path / "venv"
    subprocess.run([python, "-m", "venv", "--system-site-packages", str(venv)], check=True,
                   timeout=120)
    env = subprocess_env(CAMPAIGN_LIBRARY=None, PYTHONPATH=None, PIP_NO_INDEX="1",
                         PIP_DISABLE_PIP_VERSION_CHECK="1")
    install = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--no-build-isolation", "--no-index",
         str(PACKAGE_ROOT)],
        env=env,
        cwd=str(tmp_path),
        capture_output=True,
        text=True,
        timeout=540,
    )
    assert install.returncode == 0, install.stdout[-4000:] + install.stderr[-4000:]

    check = (
        "import campaign, os, sys\n"
        "pkg = os.path.dirname(campaign.__file__)\n"
        "assert pkg.startswith(sys.prefix), (pkg, sys.prefix)\n"
        "assert campaign.library_path == os.path.join(pkg, 'libcampaign.so.1'), campaign.library_path\n"
        "assert os.path.exists(os.path.join(pkg, 'py.typed'))\n"
        "with campaign.Client(sys.argv[1], sys.argv[2]) as c:\n"
        "    rec = c.get('cmp_000042')\n"
        "print(rec.id, rec.status)\n"
    )
    run = subprocess.run(
        [str(venv / "bin" / "python"), "-c", check, mock.base_url, KEY],
        env=env,
        cwd=str(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split()[0] == "cmp_000042"
