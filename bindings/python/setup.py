"""Build step of the ``campaign`` Python package.

The package is pure Python (ctypes) plus one native file, ``libcampaign.so.1``,
which is bundled inside the package directory.  When the source tree does not
carry one already, the build gets it:

* from ``CAMPAIGN_LIBRARY`` (a path to a built ``libcampaign.so``), if set;
* otherwise by running CMake on the repository this directory belongs to:
  ``cmake -S <repo> -B <build dir> -DCMAKE_BUILD_TYPE=Release
  -DCAMPAIGN_BUILD_TESTS=OFF -DCAMPAIGN_BUILD_TOOLS=OFF
  -DCAMPAIGN_BUILD_EXAMPLES=OFF`` and ``cmake --build <build dir> --target
  campaign_shared``.  The build directory is a temporary one, removed
  afterwards, unless ``CAMPAIGN_CMAKE_BUILD_DIR`` names one to keep (and reuse:
  later builds are then incremental).

Nothing is downloaded: ``pip install --no-build-isolation ./bindings/python``
works offline on a machine with the C++ build dependencies.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SONAME = "libcampaign.so.1"


def _log(message: str) -> None:
    print("campaign setup: " + message, file=sys.stderr, flush=True)


def find_repo() -> Optional[Path]:
    """The repository root above this directory (it has capi/include/campaign.h)."""
    for directory in (HERE, *HERE.parents):
        if (directory / "capi" / "include" / "campaign.h").is_file() and (
            directory / "CMakeLists.txt"
        ).is_file():
            return directory
    return None


def cmake_build(repo: Path, build_dir: Path) -> Path:
    """Configure and build the campaign_shared target; returns the library."""
    cmake = shutil.which("cmake")
    if cmake is None:
        raise SystemExit(
            "campaign setup: cmake is not on PATH; install the C++ build dependencies "
            "(see the repository README) or set CAMPAIGN_LIBRARY to a built " + SONAME
        )
    configure = [
        cmake,
        "-S", str(repo),
        "-B", str(build_dir),
        "-DCMAKE_BUILD_TYPE=Release",
        "-DCAMPAIGN_BUILD_TESTS=OFF",
        "-DCAMPAIGN_BUILD_TOOLS=OFF",
        "-DCAMPAIGN_BUILD_EXAMPLES=OFF",
        "-DCAMPAIGN_INSTALL=OFF",
        "-DCAMPAIGN_WERROR=OFF",
    ]
    jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL") or str(os.cpu_count() or 1)
    build = [cmake, "--build", str(build_dir), "--target", "campaign_shared", "--parallel", jobs]
    for command in (configure, build):
        _log(" ".join(command))
        subprocess.run(command, check=True)
    found = sorted(build_dir.rglob(SONAME))
    if not found:
        raise SystemExit("campaign setup: the build produced no %s under %s" % (SONAME, build_dir))
    return found[0]


def provide_library(destination: Path, scratch: Path) -> None:
    """Put libcampaign.so.1 at ``destination``."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    env = os.environ.get("CAMPAIGN_LIBRARY")
    if env:
        source = Path(env)
        if not source.is_file():
            raise SystemExit("campaign setup: CAMPAIGN_LIBRARY=%s is not a file" % env)
        _log("bundling %s (from CAMPAIGN_LIBRARY)" % source)
        shutil.copyfile(source, destination)
        return
    repo = find_repo()
    if repo is None:
        raise SystemExit(
            "campaign setup: no %s in the package, no CAMPAIGN_LIBRARY, and no campaign "
            "source repository above %s to build one from" % (SONAME, HERE)
        )
    keep = os.environ.get("CAMPAIGN_CMAKE_BUILD_DIR")
    if keep:
        build_dir = Path(keep).resolve()
        library = cmake_build(repo, build_dir)
        shutil.copyfile(library, destination)
    else:
        scratch.mkdir(parents=True, exist_ok=True)
        build_dir = Path(tempfile.mkdtemp(prefix="campaign-cmake-", dir=str(scratch)))
        try:
            library = cmake_build(repo, build_dir)
            shutil.copyfile(library, destination)
        finally:
            shutil.rmtree(build_dir, ignore_errors=True)
    _log("bundled %s" % destination)


class BuildPy(build_py):
    """build_py that also bundles libcampaign.so.1 into the package."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "campaign" / SONAME
        if (HERE / "campaign" / SONAME).is_file():
            return  # the source tree carries one: package_data copied it
        # Always provide afresh: a library left in build/ by an earlier
        # install may be stale.
        scratch = Path(self.get_finalized_command("build").build_temp)
        provide_library(target, scratch)
        os.chmod(target, 0o755)


cmdclass = {"build_py": BuildPy}

try:
    from wheel.bdist_wheel import bdist_wheel as _bdist_wheel
except ImportError:  # pragma: no cover - no wheel package: sdist / develop only
    pass
else:

    class BdistWheel(_bdist_wheel):
        """A platform wheel (it carries a native library) for any Python 3:
        the package uses ctypes only, so there is no CPython ABI tag."""

        def finalize_options(self) -> None:
            super().finalize_options()
            self.root_is_pure = False

        def get_tag(self):  # type: ignore[no-untyped-def]
            _, _, platform = super().get_tag()
            return "py3", "none", platform

    cmdclass["bdist_wheel"] = BdistWheel

setup(cmdclass=cmdclass)
