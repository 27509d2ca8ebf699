"""The ctypes layer: every exported symbol declared, struct layouts, library
selection (CAMPAIGN_LIBRARY, a bad path, an ABI mismatch)."""

from __future__ import annotations

import ctypes
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import campaign
import campaign._ffi as ffi
from conftest import PACKAGE_ROOT, library_path, subprocess_env


def _exported(lib: Path) -> set:
    out = subprocess.run(
        ["nm", "-D", "--defined-only", str(lib)], capture_output=True, text=True, check=True,
        timeout=60,
    ).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] in "TtWi":
            names.add(parts[2].split("@")[0])
    return names


def test_every_exported_function_is_declared() -> None:
    exported = _exported(library_path())
    campaign_symbols = {n for n in exported if n.startswith("campaign_")}
    assert campaign_symbols == set(ffi.DECLARED_FUNCTIONS)
    # and nothing else leaks from the library
    assert exported - campaign_symbols <= {"_init", "_fini"}


_SCALARS = {
    "int": ctypes.c_int,
    "unsigned": ctypes.c_uint,
    "size_t": ctypes.c_size_t,
    "int64_t": ctypes.c_int64,
    "uint64_t": ctypes.c_uint64,
    "double": ctypes.c_double,
}


def _is_pointer_type(t: object) -> bool:
    return t in (ctypes.c_void_p, ctypes.c_char_p) or (
        isinstance(t, type) and issubclass(t, ctypes._Pointer)  # type: ignore[attr-defined]
    )


def test_constants_match_the_header() -> None:
    """Every numeric CAMPAIGN_* constant of campaign.h (codes, fields,
    statuses, options, log levels, features) has its twin in _ffi with the
    same value, and _ffi has no constant the header lacks."""
    header = (PACKAGE_ROOT.parent.parent / "capi" / "include" / "campaign.h").read_text()
    header = re.sub(r"/\*.*?\*/", " ", header, flags=re.S)
    found = dict(re.findall(r"\bCAMPAIGN_(\w+)\s*=\s*(\d+)", header))
    found.update(re.findall(r"#define\s+CAMPAIGN_(FEATURE_\w+)\s+(\d+)", header))
    assert len(found) >= 60, "the header's constants were not found"
    for name, value in found.items():
        assert hasattr(ffi, name), "_ffi lacks CAMPAIGN_%s" % name
        assert getattr(ffi, name) == int(value), "_ffi.%s is %r, campaign.h says %s" % (
            name, getattr(ffi, name), value)
    prefixes = ("OK", "E_", "FIELD_", "STATUS_", "OPT_", "LOG_", "FEATURE_")
    extra = [n for n, v in vars(ffi).items()
             if n.startswith(prefixes) and n.isupper() and isinstance(v, int) and n not in found]
    assert not extra, "_ffi constants the header does not have: %s" % extra


def test_declarations_match_the_header() -> None:
    """Each prototype of campaign.h against its ctypes declaration: the same
    functions, the same number of arguments, pointers where the header has
    pointers (never a truncating int), scalars of the right type."""
    header = (PACKAGE_ROOT.parent.parent / "capi" / "include" / "campaign.h").read_text()
    header = re.sub(r"/\*.*?\*/", " ", header, flags=re.S)
    protos = re.findall(
        r"CAMPAIGN_API\s+([^;(]*?)\b(campaign_\w+)\s*\(([^)]*)\)\s*(?:[A-Z_]+\s*)?;", header
    )
    assert len(protos) == len(ffi.DECLARED_FUNCTIONS)
    assert [p[1] for p in protos] == list(ffi.DECLARED_FUNCTIONS)
    for ret, name, params in protos:
        fn = getattr(ffi.lib, name)
        ret = " ".join(ret.split())
        if ret == "void":
            assert fn.restype is None, name
        elif "*" in ret:
            assert fn.restype in (ctypes.c_char_p, ctypes.c_void_p), name
        else:
            assert fn.restype is _SCALARS[ret.replace("const ", "")], name
        plist = [] if params.strip() in ("", "void") else [p.strip() for p in params.split(",")]
        assert len(fn.argtypes) == len(plist), name
        for param, argtype in zip(plist, fn.argtypes):
            ptype = " ".join(param.split()[:-1]).replace("const ", "").strip()
            if "*" in param:
                assert _is_pointer_type(argtype), (name, param)
            elif ptype in ("campaign_log_fn", "campaign_done_fn"):
                assert issubclass(argtype, ctypes._CFuncPtr), (name, param)  # type: ignore[attr-defined]
            else:
                assert argtype is _SCALARS[ptype], (name, param)


def test_struct_layouts_match_the_header() -> None:
    # campaign_fields: 4 x 4 bytes, 6 string views of 16, 8 int64.
    assert ctypes.sizeof(ffi.campaign_fields) == 16 + 6 * 16 + 8 * 8
    assert ffi.campaign_fields.id_ptr.offset == 16
    assert ffi.campaign_fields.max_concurrent_calls.offset == 16 + 6 * 16
    assert ctypes.sizeof(ffi.campaign_stats) == 8 + 10 * 8 + 8 + 3 * 8 + 8
    assert ffi.campaign_stats.responses_429.offset == 8 + 7 * 8
    assert ffi.campaign_stats.rate_limit_reset_ms.offset == 8 + 10 * 8 + 8 + 2 * 8
    assert ffi.campaign_stats.coalesced.offset == 8 + 10 * 8 + 8 + 3 * 8
    assert ctypes.sizeof(ffi.campaign_rate_limit) == 8 + 3 * 8
    assert ctypes.sizeof(ffi.campaign_strview) == 16


def test_version_and_abi() -> None:
    assert ffi.lib.campaign_abi_version() == ffi.ABI_VERSION == 1
    assert campaign.library_version == "%d.%d.%d" % (
        ffi.lib.campaign_version_number() // 10000,
        ffi.lib.campaign_version_number() // 100 % 100,
        ffi.lib.campaign_version_number() % 100,
    )
    assert campaign.features["threads"] is True
    assert ffi.kind_name(2) == "not_found"
    assert ffi.strerror(2)


def _import_in_subprocess(**env: str) -> subprocess.CompletedProcess:
    code = "import campaign, campaign._ffi; print(campaign._ffi.LIBRARY_PATH)"
    return subprocess.run(
        [sys.executable, "-c", code],
        env=subprocess_env(PYTHONPATH=str(PACKAGE_ROOT), **env),
        capture_output=True,
        text=True,
        cwd="/",
        timeout=60,
    )


def test_campaign_library_override(tmp_path: Path) -> None:
    copy = tmp_path / "custom" / "libcampaign-copy.so"
    copy.parent.mkdir()
    shutil.copyfile(library_path(), copy)
    done = _import_in_subprocess(CAMPAIGN_LIBRARY=str(copy))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(copy)


def test_bad_campaign_library_is_an_import_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.so"
    done = _import_in_subprocess(CAMPAIGN_LIBRARY=str(missing))
    assert done.returncode != 0
    assert "ImportError" in done.stderr and "CAMPAIGN_LIBRARY" in done.stderr
    assert str(missing) in done.stderr


def test_abi_mismatch_is_an_import_error(tmp_path: Path) -> None:
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler to build a stand-in library")
    stubs = "".join(
        "void %s(void) {}\n" % name
        for name in ffi.DECLARED_FUNCTIONS
        if name != "campaign_abi_version"
    )
    source = tmp_path / "fake.c"
    source.write_text(stubs + "int campaign_abi_version(void) { return 2; }\n")
    fake = tmp_path / "libcampaign.so.2"
    subprocess.run([cc, "-shared", "-fPIC", "-o", str(fake), str(source)], check=True, timeout=60)
    done = _import_in_subprocess(CAMPAIGN_LIBRARY=str(fake))
    assert done.returncode != 0
    assert "ImportError" in done.stderr
    assert "ABI version 2" in done.stderr and "needs ABI version 1" in done.stderr


def test_missing_symbol_is_an_import_error(tmp_path: Path) -> None:
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler to build a stand-in library")
    source = tmp_path / "partial.c"
    source.write_text("int campaign_abi_version(void) { return 1; }\n")
    partial = tmp_path / "libpartial.so"
    subprocess.run([cc, "-shared", "-fPIC", "-o", str(partial), str(source)], check=True, timeout=60)
    done = _import_in_subprocess(CAMPAIGN_LIBRARY=str(partial))
    assert done.returncode != 0
    assert "ImportError" in done.stderr and "does not export" in done.stderr


def test_handles_are_typed() -> None:
    rec = campaign.parse('{"id": "cmp_a"}')
    # A record handle where a client belongs is refused by ctypes, not passed.
    with pytest.raises(ctypes.ArgumentError):
        ffi.lib.campaign_client_cancel_all(rec._ptr)
