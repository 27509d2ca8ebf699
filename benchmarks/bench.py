#!/usr/bin/env python3
"""Runs campaign's benchmarks (decode, fetch, scale, ratelimit), prints one table and
writes the same as JSON. Called by benchmarks/run.sh, which builds first.

    bench.py --bin build/release/bin [--smoke] [--out results/latest.json]

Every server and client is a separate process on 127.0.0.1; each client is
measured as a child of this script (os.wait4: wall time, CPU time and peak
RSS of that process alone). Every run is bounded by a count and a timeout.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
API_KEY = "sk_bench_0123456789"
DISTINCT = 10_000          # record files / generated records
CONCURRENCY = (1, 8, 64)
RUN_TIMEOUT = 600          # seconds, any one client run


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Processes


class Run:
    """One finished child process."""

    def __init__(self, argv, rc, wall, cpu_user, cpu_sys, maxrss_kib, stdout_path, stderr_text,
                 timed_out):
        self.argv, self.rc, self.wall = argv, rc, wall
        self.cpu_user, self.cpu_sys, self.maxrss_kib = cpu_user, cpu_sys, maxrss_kib
        self.stdout_path, self.stderr_text, self.timed_out = stdout_path, stderr_text, timed_out

    @property
    def cpu(self) -> float:
        return self.cpu_user + self.cpu_sys

    def last_json(self):
        try:
            with open(self.stdout_path, "rb") as f:
                f.seek(0, 2)
                size = f.tell()
                f.seek(max(0, size - 4096))
                tail = f.read().decode("utf-8", "replace").strip().splitlines()
            return json.loads(tail[-1]) if tail else None
        except (OSError, ValueError, IndexError):
            return None


LAUNCHER: Path | None = None   # campaign-bench-run, set in main()


def run_child(argv, *, env=None, timeout=RUN_TIMEOUT, stdout_path=None, tmp=None) -> Run:
    """Runs argv to completion through campaign-bench-run, which measures
    that process alone (wait4: wall, user+system CPU, peak RSS)."""
    if stdout_path is None:
        fd, stdout_path = tempfile.mkstemp(prefix="out.", dir=tmp)
        os.close(fd)
    fd, result_path = tempfile.mkstemp(prefix="rusage.", dir=tmp)
    os.close(fd)
    with open(stdout_path, "wb") as out, tempfile.TemporaryFile(dir=tmp) as err:
        p = subprocess.Popen([str(LAUNCHER), result_path, str(int(timeout)), *map(str, argv)], stdout=out,
                             stderr=err, stdin=subprocess.DEVNULL, env=env)
        try:
            p.wait(timeout + 30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
        err.seek(0)
        stderr_text = err.read().decode("utf-8", "replace")
    try:
        m = json.loads(Path(result_path).read_text())
    except (OSError, ValueError):
        m = {"rc": p.returncode or 1, "wall_s": 0.0, "user_s": 0.0, "sys_s": 0.0, "maxrss_kib": 0,
             "timed_out": True}
    os.unlink(result_path)
    return Run(argv, m["rc"], m["wall_s"], m["user_s"], m["sys_s"], m["maxrss_kib"], stdout_path, stderr_text,
               m["timed_out"])


def die_with_parent() -> None:
    """preexec_fn for the servers: SIGTERM when this driver dies, even by
    SIGKILL, so that no server outlives a run."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen, timeout: float = 15) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def http_get(port: int, path: str, key: str | None):
    import http.client
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        c.request("GET", path, headers={"Authorization": f"Bearer {key}"} if key else {})
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


class Server:
    def __init__(self, name, proc, port, base_url, tmpdir):
        self.name, self.proc, self.port, self.base_url, self.tmpdir = name, proc, port, base_url, tmpdir

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


# CAMPAIGN_BENCH_SKIP_PEERS=nginx,wrk,curl,go,pyhttp,pybinding: act as if
# those peers were not installed (to check the skip paths).
SKIP_PEERS = set(filter(None, os.environ.get("CAMPAIGN_BENCH_SKIP_PEERS", "").split(",")))
PEER_KEY = {"wrk": "wrk", "libcurl multi": "curl", "go net/http": "go", "python http.client": "pyhttp",
            "python get_many": "pybinding"}


def start_nginx(tmp: Path, records: Path) -> Server | None:
    if "nginx" in SKIP_PEERS:
        return None
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if not nginx:
        return None
    prefix = tmp / "nginx"
    (prefix / "temp").mkdir(parents=True, exist_ok=True)
    version = subprocess.run([nginx, "-V"], capture_output=True, text=True).stderr
    temps = ["client_body_temp_path {t}/body;"]
    for mod in ("proxy", "fastcgi", "uwsgi", "scgi"):
        if f"--without-http_{mod}_module" not in version:
            temps.append(f"{mod}_temp_path {{t}}/{mod};")
    user = ""
    if os.geteuid() == 0:
        import grp
        import pwd
        pw = pwd.getpwuid(os.geteuid())
        user = f"user {pw.pw_name} {grp.getgrgid(pw.pw_gid).gr_name};"
    port = free_port()
    conf = f"""
# Generated by benchmarks/bench.py: one worker, keep-alive, no access log,
# static record files behind a Bearer check; 127.0.0.1 only.
{user}
worker_processes 1;
daemon off;
master_process on;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  {' '.join(t.format(t=prefix / 'temp') for t in temps)}
  default_type application/json;
  sendfile on;
  tcp_nodelay on;
  etag off;
  server_tokens off;
  keepalive_requests 100000000;
  keepalive_timeout 75s;
  open_file_cache max=20000 inactive=60s;
  map $http_authorization $campaign_auth_ok {{
    default 0;
    "Bearer {API_KEY}" 1;
  }}
  server {{
    listen 127.0.0.1:{port} reuseport backlog=4096;
    location /v1/campaigns/ {{
      if ($campaign_auth_ok = 0) {{
        return 401 '{{"error":{{"type":"unauthorized","message":"missing or bad API key"}}}}';
      }}
      alias {records}/;
      try_files $uri =404;
    }}
    location / {{ return 404 '{{"error":"not found"}}'; }}
  }}
}}
"""
    (prefix / "nginx.conf").write_text(conf)
    errlog = open(prefix / "stderr.log", "wb")
    argv = [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")]
    proc = subprocess.Popen(argv, stdout=errlog, stderr=errlog, stdin=subprocess.DEVNULL,
                            start_new_session=True, preexec_fn=die_with_parent)
    srv = Server("nginx", proc, port, f"http://127.0.0.1:{port}/v1", prefix)
    try:
        wait_port(port, proc)
        st, body = http_get(port, "/v1/campaigns/cmp_000001", API_KEY)
        st_noauth, _ = http_get(port, "/v1/campaigns/cmp_000001", None)
        if st != 200 or b'"cmp_000001"' not in body or st_noauth != 401:
            raise RuntimeError(f"nginx self-check failed: {st} / {st_noauth}")
    except Exception as e:  # noqa: BLE001
        log(f"nginx: {e}; see {prefix}/error.log")
        log((prefix / "error.log").read_text(errors="replace")[-2000:] if (prefix / "error.log").exists() else "")
        srv.stop()
        return None
    return srv


def start_mock(bin_dir: Path, tmp: Path, generate: int, extra=(), out_name="mock.out",
               self_check=True) -> Server | None:
    """campaign-mock on a free port. extra: more options; self_check=False
    sends nothing (a rate-limited mock's window and request log start with
    the first request, which must be the client's)."""
    exe = bin_dir / "campaign-mock"
    if not exe.exists():
        return None
    out_path = tmp / out_name
    out = open(out_path, "wb")
    proc = subprocess.Popen([str(exe), "--port", "0", "--generate", str(generate), "--api-key", API_KEY,
                             "--threads", "1", *map(str, extra)], stdout=out, stderr=out, stdin=subprocess.DEVNULL,
                            start_new_session=True, preexec_fn=die_with_parent)
    end = time.monotonic() + 30
    url = None
    while time.monotonic() < end and proc.poll() is None:
        first = out_path.read_text(errors="replace").split("\n", 1)[0]
        m = re.match(r"listening on (http://127\.0\.0\.1:(\d+))\s*$", first)
        if m and out_path.read_text(errors="replace").count("\n") >= 1:
            url = m.group(1)
            break
        time.sleep(0.05)
    if not url:
        log(f"campaign-mock did not start: {out_path.read_text(errors='replace')[-1000:]}")
        if proc.poll() is None:
            proc.kill()
        return None
    port = int(url.rsplit(":", 1)[1])
    srv = Server("campaign-mock", proc, port, url + "/v1", tmp)
    if not self_check:
        return srv
    st, body = http_get(port, "/v1/campaigns/cmp_000001", API_KEY)
    if st != 200 or b'"cmp_000001"' not in body:
        log(f"campaign-mock self-check failed: {st}")
        srv.stop()
        return None
    return srv


# --------------------------------------------------------------------------
# Clients: each returns argv + env, or None with a reason when it cannot run.


class Clients:
    def __init__(self, bin_dir: Path, tmp: Path, smoke: bool):
        self.bin, self.tmp, self.smoke = bin_dir, tmp, smoke
        self.skipped: dict[str, str] = {}
        self.go_exe = self._build_go()
        self.py_binding_env = self._python_binding_env()

    def _build_go(self):
        go = None if "go" in SKIP_PEERS else shutil.which("go")
        if not go:
            self.skipped["go net/http"] = "go not installed (benchmarks/deps.sh installs golang-go)"
            return None
        gotmp = self.tmp / "go"
        for d in ("path", "cache", "tmp"):
            (gotmp / d).mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, GOPATH=str(gotmp / "path"), GOCACHE=str(gotmp / "cache"),
                   GOTMPDIR=str(gotmp / "tmp"), GOFLAGS="-mod=mod", GOPROXY="off", GO111MODULE="on",
                   GOTOOLCHAIN="local")
        exe = gotmp / "gohttp"
        t0 = time.monotonic()
        r = subprocess.run([go, "build", "-o", str(exe), "."], cwd=HERE / "peers" / "gohttp", env=env,
                           capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            self.skipped["go net/http"] = f"go build failed: {r.stderr.strip()[-300:]}"
            return None
        log(f"built peers/gohttp in {time.monotonic() - t0:.1f}s")
        return exe

    def _python_binding_env(self):
        env = dict(os.environ)
        pkg = REPO / "bindings" / "python"
        paths = [str(p) for p in (pkg / "src", pkg) if p.is_dir()]
        if paths:
            env["PYTHONPATH"] = os.pathsep.join(paths + [env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        lib_dir = self.bin.parent / "lib"
        libs = sorted(lib_dir.glob("libcampaign.so*")) if lib_dir.is_dir() else []
        if libs:
            env["CAMPAIGN_LIBRARY"] = str(libs[0] if len(libs) == 1 else min(libs, key=lambda p: len(p.name)))
        r = subprocess.run([sys.executable, "-c", "import campaign; campaign.Client"], env=env,
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            last = (r.stderr.strip().splitlines() or ["?"])[-1]
            self.skipped["python get_many"] = f"bindings/python does not import: {last[:200]}"
            return None
        return env

    def argv(self, client: str, server: Server, ids: Path, conc: int):
        b = self.bin
        if PEER_KEY.get(client) in SKIP_PEERS:
            return None
        if client == "campaign get_many":
            exe = b / "campaign-bench-fetch"
            return ([str(exe), "--base-url", server.base_url, "--api-key", API_KEY, "--ids", str(ids),
                     "--concurrency", str(conc)], None) if exe.exists() else None
        if client == "campaign CLI":
            exe = b / "campaign"
            return ([str(exe), "batch", str(ids), "--concurrency", str(conc), "--base-url",
                     server.base_url, "--api-key", API_KEY], None) if exe.exists() else None
        if client == "wrk":
            wrk = shutil.which("wrk")
            if not wrk:
                return None
            env = dict(os.environ, WRK_IDS=str(ids), WRK_KEY=API_KEY, WRK_PREFIX="/v1")
            return ([wrk, "-t1", f"-c{conc}", "-d600s", "--timeout", "30s", "-s",
                     str(HERE / "peers" / "wrk_ids.lua"), f"http://127.0.0.1:{server.port}"], env)
        if client == "libcurl multi":
            exe = b / "campaign-bench-curl"
            return ([str(exe), server.base_url, API_KEY, str(ids), str(conc)], None) if exe.exists() else None
        if client == "go net/http":
            if not self.go_exe:
                return None
            return ([str(self.go_exe), "-base", server.base_url, "-key", API_KEY, "-ids", str(ids),
                     "-c", str(conc)], None)
        if client == "python http.client":
            return ([sys.executable, str(HERE / "peers" / "pyhttp.py"), server.base_url, API_KEY, str(ids),
                     str(conc)], None)
        if client == "python get_many":
            if not self.py_binding_env:
                return None
            return ([sys.executable, str(HERE / "peers" / "pybinding.py"), server.base_url, API_KEY,
                     str(ids), str(conc)], self.py_binding_env)
        raise KeyError(client)


CLIENTS = ["campaign get_many", "campaign CLI", "wrk", "libcurl multi", "go net/http",
           "python http.client", "python get_many"]
OWN = {"campaign get_many", "campaign CLI"}


def check_cli_output(path: str, ids: list[str]) -> tuple[int, int, int]:
    ok = failed = mismatched = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for want, line in zip(ids, f):
            try:
                rec = json.loads(line)
            except ValueError:
                failed += 1
                continue
            if not rec.get("ok"):
                failed += 1
            elif rec.get("id") != want or (rec.get("campaign") or {}).get("id") != want:
                mismatched += 1
            else:
                ok += 1
    return ok, failed + max(0, len(ids) - ok - failed - mismatched), mismatched


def measure(clients: Clients, client: str, server: Server, ids_path: Path, ids: list[str], conc: int):
    spec = clients.argv(client, server, ids_path, conc)
    if spec is None:
        return None
    argv, env = spec
    r = run_child(argv, env=env, tmp=clients.tmp)
    res = {"wall_s": r.wall, "cpu_s": r.cpu, "cpu_user_s": r.cpu_user, "cpu_sys_s": r.cpu_sys,
           "maxrss_kib": r.maxrss_kib, "rc": r.rc, "timed_out": r.timed_out}
    if client == "campaign CLI":
        ok, failed, mism = check_cli_output(r.stdout_path, ids)
        res.update(requests=len(ids), ok=ok, failed=failed, id_mismatch=mism)
    else:
        j = r.last_json() or {}
        res.update(requests=j.get("requests", len(ids)), ok=j.get("ok", 0), failed=j.get("failed", len(ids)),
                   id_mismatch=j.get("id_mismatch", 0), client_seconds=j.get("seconds"))
        for k in ("connections_opened", "connections_reused", "retries"):
            if k in j:
                res[k] = j[k]
    if client == "python get_many" and r.rc == 3:
        clients.skipped["python get_many"] = r.stderr_text.strip()[-200:]
        return None
    os.unlink(r.stdout_path)
    n = res["requests"] or 1
    # Throughput over the client's own timer (the fetch itself, as wrk
    # reports it) where it has one; the CLI has none, so its process wall
    # time (start-up and reading the ID file included) is used.
    rate_s = res.get("client_seconds") or r.wall
    res["rate_seconds"] = rate_s
    res["rate_clock"] = "client" if res.get("client_seconds") else "process"
    res["req_per_s"] = n / rate_s if rate_s > 0 else 0
    res["cpu_s_per_10k"] = r.cpu / n * 10_000
    res["req_per_cpu_s"] = n / r.cpu if r.cpu > 0 else 0
    res["valid"] = (r.rc == 0 and not r.timed_out and res["ok"] == n)
    if not res["valid"]:
        res["stderr"] = r.stderr_text.strip()[-400:]
    return res


def med(runs, key):
    vals = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(vals) if vals else None


def summarize(runs):
    """Median of each figure over the repetitions, with the spread of req/s."""
    if not runs:
        return None
    out = {k: med(runs, k) for k in ("req_per_s", "cpu_s_per_10k", "req_per_cpu_s", "maxrss_kib", "wall_s",
                                     "cpu_s")}
    rates = [r["req_per_s"] for r in runs]
    out["reps"] = len(runs)
    out["req_per_s_min"], out["req_per_s_max"] = min(rates), max(rates)
    out["spread_pct"] = (max(rates) - min(rates)) / out["req_per_s"] * 100 if out["req_per_s"] else 0
    cpus = [r["cpu_s_per_10k"] for r in runs]
    out["cpu_spread_pct"] = (max(cpus) - min(cpus)) / out["cpu_s_per_10k"] * 100 if out["cpu_s_per_10k"] else 0
    out["valid"] = all(r["valid"] for r in runs)
    out["requests"] = runs[0]["requests"]
    for k in ("connections_opened", "connections_reused"):
        if k in runs[0]:
            out[k] = runs[-1][k]
    bad = [r for r in runs if not r["valid"]]
    if bad:
        out["error"] = f"rc={bad[0]['rc']} ok={bad[0]['ok']}/{bad[0]['requests']} " + bad[0].get("stderr", "")[-200:]
    return out


# --------------------------------------------------------------------------
# Sections


def machine_info(bin_dir: Path):
    info = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "kernel": platform.release(), "cores": os.cpu_count(), "python": platform.python_version()}
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        info["mem_gib"] = round(int(open("/proc/meminfo").readline().split()[1]) / 2**20, 1)
    except OSError:
        pass
    try:
        info["compiler"] = subprocess.run(["c++", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        pass
    cache = bin_dir.parent / "CMakeCache.txt"
    if cache.exists():
        txt = cache.read_text(errors="replace")
        bt = re.search(r"^CMAKE_BUILD_TYPE:\w+=(.*)$", txt, re.M)
        info["build_type"] = bt.group(1) if bt else "?"
        fl = re.search(r"^CMAKE_CXX_FLAGS_RELEASE:\w+=(.*)$", txt, re.M)
        info["cxx_flags"] = fl.group(1) if fl else "?"
    try:
        info["git"] = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                                     text=True).stdout.strip()
        info["git_dirty"] = bool(subprocess.run(["git", "-C", str(REPO), "status", "--porcelain"],
                                                capture_output=True, text=True).stdout.strip())
    except OSError:
        pass
    info["peers"] = {}
    try:
        info["peers"]["nginx"] = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()
    except OSError:
        pass
    try:
        info["peers"]["go"] = subprocess.run(["go", "version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        pass
    try:
        info["peers"]["libcurl"] = subprocess.run(["curl-config", "--version"], capture_output=True,
                                                  text=True).stdout.strip()
    except OSError:
        pass
    return info


def loadavg():
    try:
        return float(open("/proc/loadavg").read().split()[0])
    except OSError:
        return None


def cpu_has_avx2() -> bool:
    try:
        flags = next(line for line in open("/proc/cpuinfo") if line.startswith("flags")).split()
    except (OSError, StopIteration):
        return False
    return {"avx2", "bmi1", "bmi2", "pclmulqdq", "abm"} <= set(flags)


def run_decode(bin_dir: Path, smoke: bool, tmp: Path, variant: str = ""):
    exe = bin_dir / f"campaign-bench-decode{variant}"
    if not exe.exists():
        return {"error": f"{exe} not built"}
    records, reps = (20_000, 5) if smoke else (100_000, 9)
    log(f"decode{variant}: {records} records, {reps} repetitions ...")
    r = run_child([str(exe), "--records", str(records), "--reps", str(reps)], tmp=tmp)
    j = r.last_json()
    os.unlink(r.stdout_path)
    if r.rc != 0 or not j:
        return {"error": f"rc={r.rc}: {r.stderr_text[-500:]}", "raw": j}
    j["process"] = {"wall_s": r.wall, "cpu_s": r.cpu, "maxrss_kib": r.maxrss_kib}
    return j


def write_ids(path: Path, n: int, distinct: int) -> list[str]:
    ids = [f"cmp_{i % distinct:06d}" for i in range(n)]
    path.write_text("\n".join(ids) + "\n")
    return ids


def run_fetch(bin_dir: Path, smoke: bool, tmp: Path, servers, clients: Clients):
    n = 2_000 if smoke else 20_000
    reps = 1 if smoke else 3
    ids_path = tmp / f"ids_{n}.txt"
    ids = write_ids(ids_path, n, DISTINCT)
    results = {}   # (server, conc, client) -> list of runs
    for rep in range(reps):
        for server in servers:
            for conc in CONCURRENCY:
                order = CLIENTS[rep % len(CLIENTS):] + CLIENTS[:rep % len(CLIENTS)]
                for client in order:
                    if client in clients.skipped:
                        continue
                    res = measure(clients, client, server, ids_path, ids, conc)
                    if res is None:
                        clients.skipped.setdefault(client, "not installed or not built (benchmarks/deps.sh)")
                        continue
                    results.setdefault((server.name, conc, client), []).append(res)
                    flag = "" if res["valid"] else f"  INVALID: {res.get('stderr', '')[-160:]}"
                    log(f"fetch rep {rep + 1}/{reps} {server.name:13} c={conc:<3} {client:18} "
                        f"{res['req_per_s']:9.0f} req/s  {res['cpu_s_per_10k']:6.2f} cpu-s/10k  "
                        f"{res['maxrss_kib'] / 1024:6.1f} MiB{flag}")
    rows = []
    for (srv, conc, client), runs in results.items():
        s = summarize(runs)
        s.update(server=srv, concurrency=conc, client=client)
        rows.append(s)
    return {"ids": n, "distinct": DISTINCT, "reps": reps, "rows": rows}


def run_scale(bin_dir: Path, smoke: bool, tmp: Path, mock: Server):
    exe = bin_dir / "campaign-bench-fetch"
    sizes = (1_000, 4_000, 16_000) if smoke else (10_000, 100_000, 1_000_000)
    rows = []
    for n in sizes:
        ids_path = tmp / f"scale_{n}.txt"
        write_ids(ids_path, n, DISTINCT)
        log(f"scale: {n} IDs at concurrency 64 against campaign-mock ...")
        r = run_child([str(exe), "--base-url", mock.base_url, "--api-key", API_KEY, "--ids", str(ids_path),
                       "--concurrency", "64"], tmp=tmp, timeout=1800)
        j = r.last_json() or {}
        os.unlink(r.stdout_path)
        ids_path.unlink()
        rows.append({"ids": n, "wall_s": r.wall, "cpu_s": r.cpu, "maxrss_kib": r.maxrss_kib,
                     "req_per_s": n / r.wall, "us_per_id": r.wall / n * 1e6,
                     "valid": r.rc == 0 and j.get("ok") == n, "ok": j.get("ok"),
                     "connections_opened": j.get("connections_opened")})
        log(f"  {r.wall:.2f}s  {r.maxrss_kib / 1024:.1f} MiB  ok={j.get('ok')}")
    base = rows[0]
    for row in rows:
        row["n_ratio"] = row["ids"] / base["ids"]
        row["time_ratio"] = row["wall_s"] / base["wall_s"]
        row["per_id_ratio"] = row["time_ratio"] / row["n_ratio"]
        row["rss_ratio"] = row["maxrss_kib"] / base["maxrss_kib"]
    return {"rows": rows}


# Rate limits (issue 16): a fresh campaign-mock per configuration, limited
# per key with fixed 1 s windows (the Reset header has whole seconds, so a
# longer window would not be finer), every request logged by the mock.
RL_FULL = {"ids": 100_000, "limit": 5_000, "window": 1, "gets": 500}
RL_SMOKE = {"ids": 2_000, "limit": 1_000, "window": 1, "gets": 500}
RL_CLI_PROCESSES, RL_CLI_CONCURRENCY = 4, 16


def count_lines(path: Path) -> int:
    try:
        with open(path, "rb") as f:
            return sum(1 for _ in f)
    except OSError:
        return 0


def cli_summary(stderr_text: str):
    """The 429s and limit wait from `campaign batch`'s summary line."""
    out = {}
    m = re.search(r"waited ([\d.,]+) s, ([\d,]+) 429s", stderr_text)
    if m:
        out["rate_limit_wait_s"] = float(m.group(1).replace(",", ""))
        out["responses_429"] = int(m.group(2).replace(",", ""))
    return out


def run_ratelimit(bin_dir: Path, smoke: bool, tmp: Path):
    cfg = RL_SMOKE if smoke else RL_FULL
    n, limit, window = cfg["ids"], cfg["limit"], cfg["window"]
    floor_s = n / limit * window
    ids_path = tmp / f"rl_ids_{n}.txt"
    ids = write_ids(ids_path, n, n)   # every ID distinct, every ID exists
    rows, skipped = [], {}

    def mock_for(name, rate=f"{limit}/{window}"):
        name = re.sub(r"\W+", "_", name)
        req_log = tmp / f"rl_{len(rows)}_{name}.requests"
        srv = start_mock(bin_dir, tmp, n, extra=("--rate-limit", rate, "--request-log", req_log),
                         out_name=f"rl_{len(rows)}_{name}.out", self_check=False)
        return srv, req_log

    def finish(row, srv, req_log, ok):
        """Server-side counts: every line of the request log is one request
        the mock answered; each ID the client verified got exactly one 200
        (a 200 ends that ID's attempts; every ID exists and no fault is
        injected), so the rest are 429s."""
        srv.stop()
        total = count_lines(req_log)
        row["server_requests"] = total
        row["server_429"] = max(0, total - ok)
        row["server_429_pct"] = row["server_429"] / total * 100 if total else None
        if row.get("client_429") is not None:
            row["counts_agree"] = row["client_429"] == row["server_429"]
        req_log.unlink(missing_ok=True)
        rows.append(row)
        log(f"  {row['client']}: {row.get('seconds', 0):.2f}s  ok={ok}/{row['ids']}  server: {total} requests, "
            f"{row['server_429']} 429s (client saw {row.get('client_429')})")

    def single(name, argv, own, parse, rate=f"{limit}/{window}"):
        srv, req_log = mock_for(name, rate)
        if not srv:
            rows.append({"client": name, "own": own, "ran": False, "error": "campaign-mock did not start"})
            return rows[-1]
        log(f"ratelimit: {name} ...")
        a = [x.replace("{URL}", srv.base_url) for x in argv]
        r = run_child(a, tmp=tmp, timeout=600)
        j = r.last_json() or {}
        os.unlink(r.stdout_path)
        row = {"client": name, "own": own, "ids": j.get("requests", n), "rc": r.rc, "timed_out": r.timed_out,
               "ran": bool(j) and not r.timed_out, "wall_s": r.wall, "cpu_s": r.cpu, "maxrss_kib": r.maxrss_kib,
               "ok": j.get("ok", 0), "failed": j.get("failed"), "id_mismatch": j.get("id_mismatch"),
               "seconds": j.get("seconds", r.wall)}
        row.update(parse(j))
        if not row["ran"]:
            row["error"] = r.stderr_text.strip()[-300:]
        finish(row, srv, req_log, row["ok"])
        return row

    def fetch_parse(j):
        return {"client_429": j.get("responses_429"), "attempts": j.get("attempts"), "retries": j.get("retries"),
                "rate_limit_waits": j.get("rate_limit_waits"), "rate_limit_wait_ms": j.get("rate_limit_wait_ms"),
                "budget_denied": j.get("budget_denied"), "window_decreases": j.get("window_decreases"),
                "smallest_window": j.get("smallest_window"), "rate_limited_failures": j.get("rate_limited_failures")}

    fetch = str(bin_dir / "campaign-bench-fetch")
    base = [fetch, "--base-url", "{URL}", "--api-key", API_KEY, "--ids", str(ids_path), "--concurrency", "64"]
    single("campaign get_many, gate on", base, True, fetch_parse)
    single("campaign get_many, gate off", base + ["--no-rate-limit-gate"], False, fetch_parse)
    # Diagnostic, no target: the same rate in 2 s windows (the gate's
    # behaviour when the window is longer than a second).
    single(f"campaign get_many, gate on, {2 * limit}/{2 * window} windows", base, False, fetch_parse,
           rate=f"{2 * limit}/{2 * window}")

    curl = bin_dir / "campaign-bench-curl"
    if curl.exists() and "curl" not in SKIP_PEERS:
        single("libcurl multi, retry on Retry-After",
               [str(curl), "{URL}", API_KEY, str(ids_path), "64", "--retry-429"], False,
               lambda j: {"client_429": j.get("responses_429"), "attempts": j.get("sent"),
                          "retries": j.get("retries")})
    else:
        skipped["libcurl multi, retry on Retry-After"] = "campaign-bench-curl not built (libcurl missing)"

    # 4 CLI processes sharing the key, each on a quarter of the IDs, started
    # together; timed to the last one's end (from before the first start).
    name = f"{RL_CLI_PROCESSES} x campaign batch, c={RL_CLI_CONCURRENCY} each"
    cli = bin_dir / "campaign"
    srv, req_log = mock_for("cli")
    if srv and cli.exists():
        log(f"ratelimit: {name} ...")
        import threading
        parts = []
        q = (n + RL_CLI_PROCESSES - 1) // RL_CLI_PROCESSES
        for k in range(RL_CLI_PROCESSES):
            part = ids[k * q:(k + 1) * q]
            path = tmp / f"rl_cli_{k}.txt"
            path.write_text("\n".join(part) + "\n")
            parts.append((path, part))
        results = [None] * RL_CLI_PROCESSES
        ends = [0.0] * RL_CLI_PROCESSES

        def one(k):
            results[k] = run_child([str(cli), "batch", str(parts[k][0]), "--concurrency", str(RL_CLI_CONCURRENCY),
                                    "--base-url", srv.base_url, "--api-key", API_KEY], tmp=tmp, timeout=600)
            ends[k] = time.monotonic()

        threads = [threading.Thread(target=one, args=(k,)) for k in range(RL_CLI_PROCESSES)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        ok = failed = mism = c429 = 0
        ran, summaries = True, []
        for k, r in enumerate(results):
            o, f, m = check_cli_output(r.stdout_path, parts[k][1])
            ok, failed, mism = ok + o, failed + f, mism + m
            sm = cli_summary(r.stderr_text)
            summaries.append(sm)
            c429 += sm.get("responses_429", 0)
            ran &= (not r.timed_out) and bool(sm) and r.rc in (0, 9)
            os.unlink(r.stdout_path)
        row = {"client": name, "own": True, "ids": n, "processes": RL_CLI_PROCESSES, "ran": ran,
               "rc": [r.rc for r in results], "timed_out": any(r.timed_out for r in results),
               "seconds": max(ends) - t0, "process_wall_s": [r.wall for r in results],
               "cpu_s": sum(r.cpu for r in results), "maxrss_kib": max(r.maxrss_kib for r in results),
               "ok": ok, "failed": failed, "id_mismatch": mism,
               "client_429": c429 if all(summaries) else None,
               "rate_limit_wait_s": sum(sm.get("rate_limit_wait_s", 0) for sm in summaries)}
        if not ran:
            row["error"] = " | ".join(r.stderr_text.strip()[-150:] for r in results)
        finish(row, srv, req_log, ok)
    else:
        if srv:
            srv.stop()
        rows.append({"client": name, "own": True, "ran": False, "error": "campaign CLI or campaign-mock missing"})

    # Coalescing: N gets of one ID, all started before any I/O.
    co = str(bin_dir / "campaign-bench-coalesce")
    for flag, label, own in (([], "on", True), (["--no-coalesce"], "off", False)):
        cname = f"{cfg['gets']} gets of one ID, coalescing {label}"
        srv, req_log = mock_for(f"coalesce_{label}")
        if not srv:
            rows.append({"client": cname, "own": own, "ran": False, "error": "campaign-mock did not start"})
            continue
        log(f"ratelimit: {cname} ...")
        r = run_child([co, "--base-url", srv.base_url, "--api-key", API_KEY, "--gets", str(cfg["gets"]), *flag],
                      tmp=tmp, timeout=120)
        j = r.last_json() or {}
        os.unlink(r.stdout_path)
        row = {"client": cname, "own": own, "coalescing": label, "gets": cfg["gets"], "ids": 1,
               "ran": bool(j) and not r.timed_out, "rc": r.rc, "timed_out": r.timed_out,
               "seconds": j.get("seconds", r.wall), "ok": j.get("ok", 0), "failed": j.get("failed"),
               "id_mismatch": j.get("id_mismatch"), "client_requests": j.get("requests"),
               "coalesced": j.get("coalesced"), "client_429": j.get("responses_429")}
        if not row["ran"]:
            row["error"] = r.stderr_text.strip()[-300:]
        srv.stop()
        row["server_requests"] = count_lines(req_log)
        req_log.unlink(missing_ok=True)
        rows.append(row)
        log(f"  {cname}: {row['ok']}/{cfg['gets']} ok, server saw {row['server_requests']} request(s)")

    ids_path.unlink(missing_ok=True)
    for row in rows:
        if "seconds" in row and row.get("ids", 0) > 1:
            row["time_vs_floor"] = row["seconds"] / floor_s
    # The mock's windows are fixed, start at the whole second of the key's
    # first request (so the first is cut short by the part of that second
    # already gone) and the first window's requests go out at once: no
    # client can end before ceil(N / limit) - 1 windows, less up to 1 s.
    fixed_floor_s = (-(-n // limit) - 1) * window
    for row in rows:
        if "seconds" in row and row.get("ids", 0) > 1 and fixed_floor_s:
            row["time_vs_fixed_window_floor"] = row["seconds"] / fixed_floor_s
    return {"ids": n, "limit": limit, "window_s": window, "floor_s": floor_s, "fixed_window_floor_s": fixed_floor_s,
            "concurrency": 64,
            "cli_processes": RL_CLI_PROCESSES, "cli_concurrency": RL_CLI_CONCURRENCY, "rows": rows,
            "skipped": skipped}


LIST_FULL = {"campaigns": 10_000, "call_logs": 100_000}
LIST_SMOKE = {"campaigns": 1_000, "call_logs": 10_000}
LIST_BUSY_CAMPAIGN = "cmp_000049"  # campaign-mock's busy campaigns: index % 50 == 49


def check_listing_output(path: str) -> tuple[int, int]:
    """(items, distinct ids) of a listing's NDJSON output."""
    items, seen = 0, set()
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                seen.add(json.loads(line).get("id"))
            except ValueError:
                continue
            items += 1
    return items, len(seen)


def run_listing(bin_dir: Path, smoke: bool, tmp: Path):
    """Every campaign by listing (limit 100) beside the same campaigns by
    batch, and every call log of one campaign (limit 200), each against a
    fresh campaign-mock whose request log counts the requests."""
    cfg = LIST_SMOKE if smoke else LIST_FULL
    n, logs = cfg["campaigns"], cfg["call_logs"]
    cli = bin_dir / "campaign"
    if not cli.exists():
        return {"error": "campaign CLI not built"}
    rows = []

    def one(name, argv, expect, batch_ids=None):
        req_log = tmp / f"list_{len(rows)}.requests"
        srv = start_mock(bin_dir, tmp, n, extra=("--busy-call-logs", logs, "--request-log", req_log),
                         out_name=f"list_{len(rows)}.out", self_check=False)
        if not srv:
            rows.append({"client": name, "ran": False, "error": "campaign-mock did not start"})
            return
        log(f"listing: {name} ...")
        r = run_child([str(cli), *argv, "--base-url", srv.base_url, "--api-key", API_KEY], tmp=tmp, timeout=600)
        srv.stop()
        if batch_ids is not None:
            ok, failed, mism = check_cli_output(r.stdout_path, batch_ids)
            items, distinct = ok, ok
        else:
            items, distinct = check_listing_output(r.stdout_path)
        os.unlink(r.stdout_path)
        row = {"client": name, "ran": r.rc == 0 and not r.timed_out, "rc": r.rc, "timed_out": r.timed_out,
               "seconds": r.wall, "cpu_s": r.cpu, "maxrss_kib": r.maxrss_kib, "items": items,
               "distinct": distinct, "expected": expect, "complete": items == expect and distinct == expect,
               "server_requests": count_lines(req_log)}
        row["items_per_request"] = items / row["server_requests"] if row["server_requests"] else None
        row["items_per_s"] = items / r.wall if r.wall else None
        if not row["ran"]:
            row["error"] = r.stderr_text.strip()[-300:]
        req_log.unlink(missing_ok=True)
        rows.append(row)
        log(f"  {name}: {items:,} items ({distinct:,} distinct) in {r.wall:.2f}s, {row['server_requests']:,} requests")

    ids_path = tmp / f"list_ids_{n}.txt"
    ids = write_ids(ids_path, n, n)
    one("campaign list (limit 100)", ["list", "--limit", "100", "--format", "ndjson"], n)
    one("campaign batch of the same IDs (c=64)", ["batch", str(ids_path), "--concurrency", "64"], n, batch_ids=ids)
    one(f"campaign calls {LIST_BUSY_CAMPAIGN} (limit 200)",
        ["calls", LIST_BUSY_CAMPAIGN, "--limit", "200", "--format", "ndjson"], logs)
    ids_path.unlink(missing_ok=True)
    return {"campaigns": n, "call_logs": logs, "rows": rows}


# --------------------------------------------------------------------------
# Targets


def targets(res):
    out = []

    def add(name, value, need, op, detail, unit="x", failed_because=None, undecided_because=None):
        """op "within": |value - 1| <= need (a ratio within ±need of 1).
        failed_because: the run did not complete (IDs failed), so the
        target is not met whatever the value. undecided_because: the value
        is shown but cannot judge the target (met stays None)."""
        if value is None or undecided_because:
            met = None
            if undecided_because:
                detail = f"{detail}; {undecided_because}"
        elif failed_because:
            met = False
            detail = f"{detail}; {failed_because}"
        elif op == "within":
            met = abs(value - 1) <= need
        else:
            met = value <= need if op == "<=" else value >= need
        out.append({"target": name, "value": value, "need": need, "op": op, "met": met, "detail": detail,
                    "unit": unit})

    for key, suffix, row in (("decode", "", "campaign"), ("decode", " [owning copy]", "campaign (owning copy)"),
                             ("decode_haswell", " [-march=haswell]", "campaign")):
        dec = {r["name"]: r for r in res.get(key, {}).get("results", [])}
        c = dec.get(row)
        if not c:
            continue
        w = dec.get("simdjson walk (floor)")
        add("decode time/record vs simdjson walk" + suffix, c["ns_per_record"] / w["ns_per_record"] if w else None,
            1.2, "<=", "campaign ns/record ÷ simdjson walk ns/record")
        b = dec.get("boost.json")
        add("decode records/s vs Boost.JSON" + suffix, c["records_per_s"] / b["records_per_s"] if b else None, 2.5,
            ">=", "campaign records/s ÷ Boost.JSON records/s")
        n = dec.get("nlohmann/json")
        add("decode records/s vs nlohmann/json" + suffix, c["records_per_s"] / n["records_per_s"] if n else None,
            10, ">=", "campaign records/s ÷ nlohmann/json records/s")

    rows = {(r["server"], r["concurrency"], r["client"]): r for r in res.get("fetch", {}).get("rows", [])}

    def get(client, srv="nginx", conc=64):
        r = rows.get((srv, conc, client))
        return r if r and r.get("valid") else None

    for own in ("campaign get_many", "campaign CLI"):
        o = get(own)
        wrk, curl, go = get("wrk"), get("libcurl multi"), get("go net/http")
        add(f"{own}: req/s vs wrk (nginx, c=64)", o["req_per_s"] / wrk["req_per_s"] if o and wrk else None, 0.9,
            ">=", "requests/s ÷ wrk's")
        add(f"{own}: req per CPU-s vs libcurl multi (nginx, c=64)",
            o["req_per_cpu_s"] / curl["req_per_cpu_s"] if o and curl else None, 1.4, ">=",
            "requests per client CPU-second ÷ libcurl's")
        add(f"{own}: req/s vs Go net/http (nginx, c=64)", o["req_per_s"] / go["req_per_s"] if o and go else None, 2.0,
            ">=", "requests/s ÷ Go's")
        add(f"{own}: peak RSS vs libcurl multi (nginx, c=64)",
            o["maxrss_kib"] / curl["maxrss_kib"] if o and curl else None, 1.0, "<=", "peak RSS ÷ libcurl's")
    for srv in ("nginx", "campaign-mock"):
        py, cli = get("python get_many", srv), get("campaign CLI", srv)
        add(f"python get_many time vs CLI ({srv}, c=64)",
            (1 / py["req_per_s"]) / (1 / cli["req_per_s"]) if py and cli else None, 1.3, "<=",
            "get_many's own time ÷ the CLI's process wall time, same IDs"
            + (f"; whole processes (interpreter start-up and imports included): {py['wall_s'] / cli['wall_s']:.2f}x"
               if py and cli and cli.get("wall_s") else ""))

    sc = res.get("scale", {}).get("rows", [])
    if len(sc) >= 2:
        last = sc[-1]
        add(f"scale: peak RSS at {last['ids']:,} vs {sc[0]['ids']:,} IDs", last["rss_ratio"], 1.2, "<=",
            "O(1) memory")
        add(f"scale: time per ID at {last['ids']:,} vs {sc[0]['ids']:,} IDs", last["per_id_ratio"], 1.2, "<=",
            "O(N) time (time ratio ÷ N ratio)")

    rl = res.get("ratelimit") or {}
    rlrows = {r["client"]: r for r in rl.get("rows", [])}
    for label, row_name, max_pct, within in (
            ("gate on", "campaign get_many, gate on", 1, 0.05),
            (f"{RL_CLI_PROCESSES} CLI processes",
             f"{RL_CLI_PROCESSES} x campaign batch, c={RL_CLI_CONCURRENCY} each", 2, 0.10)):
        r = rlrows.get(row_name)
        ran = bool(r and r.get("ran"))
        why = None
        if ran and (r["ok"] != r["ids"] or r.get("id_mismatch")):
            why = f"{r['ids'] - r['ok']:,} of {r['ids']:,} IDs not fetched"
        smoke = ("smoke: 2 windows, not judged (the full run's 20 windows are)"
                 if res.get("mode") == "smoke" else None)
        add(f"ratelimit, {label}: 429s / requests", r.get("server_429_pct") if ran else None, max_pct, "<=",
            "429s ÷ requests, both counted by the server (its request log)", unit="%", failed_because=why,
            undecided_because=smoke)
        add(f"ratelimit, {label}: time vs N / limit", r.get("time_vs_floor") if ran else None, within, "within",
            f"batch seconds ÷ (IDs ÷ limit) = ÷ {rl.get('floor_s', 0):g} s", failed_because=why,
            undecided_because=smoke)
    r = rlrows.get(f"{(RL_SMOKE if res.get('mode') == 'smoke' else RL_FULL)['gets']} gets of one ID, coalescing on")
    ran = bool(r and r.get("ran"))
    add("ratelimit: concurrent gets of one ID, requests at the server", r.get("server_requests") if ran else None,
        1, "<=", "requests in the mock's log", unit=" req",
        failed_because=(f"{r['gets'] - r['ok']} gets failed" if ran and r["ok"] != r["gets"] else None))
    return out


# --------------------------------------------------------------------------
# Table


def fmt_met(t):
    if t is None:
        return ""
    if t["met"] is None:
        return "n/a"
    return "met" if t["met"] else "NOT MET"


def render(res) -> str:
    L = []
    m = res["machine"]
    L.append(f"campaign benchmarks ({res['mode']})  {m.get('date')}  git {m.get('git', '?')}"
             f"{' (dirty)' if m.get('git_dirty') else ''}")
    L.append(f"machine: {m.get('cpu', '?')}, {m.get('cores')} cores, {m.get('mem_gib', '?')} GiB, "
             f"Linux {m.get('kernel')}; {m.get('compiler', '?')} {m.get('build_type', '')} "
             f"{m.get('cxx_flags', '')}; load avg {res.get('load_start')} -> {res.get('load_end')}")
    tg = {t["target"]: t for t in res.get("targets", [])}

    for key, suffix, title in (("decode", "", "DECODE"),
                               ("decode_haswell", " [-march=haswell]",
                                "DECODE, -march=haswell build (the project's decode sources rebuilt by the benchmark)")):
        d = res.get(key)
        if d is None:
            continue
        L.append("")
        if "results" not in d:
            L.append(f"{title}  not run: {d.get('error', '?')}")
            continue
        L.append(f"{title}  {d['records']:,} records, {d['mean_record_bytes']:.0f} B mean, {d['json_bytes'] / 1e6:.1f} MB;"
                 f" simdjson kernel compiled in: {d.get('simdjson_builtin')} (CPU could run {d.get('simdjson_active')})")
        L.append(f"  median of {d['reps']} passes after a warm-up, thread CPU time; spread = (max-min)/median;"
                 " wall = median wall time")
        by = {r["name"]: r for r in d["results"]}
        camp = by.get("campaign")
        L.append(f"  {'implementation':24} {'ns/rec':>8} {'spread':>7} {'wall ns':>8} {'records/s':>11} {'MB/s':>8} "
                 f"{'allocs/rec':>10} {'campaign is':>13}  target")
        for r in d["results"]:
            ratio = target = ""
            if camp and r["name"] != "campaign":
                x = r["ns_per_record"] / camp["ns_per_record"]
                ratio = f"{x:.2f}x faster" if x >= 1 else f"{1 / x:.2f}x slower"
            t = None
            if r["name"] == "simdjson walk (floor)":
                t = tg.get("decode time/record vs simdjson walk" + suffix)
                label = "campaign time <= 1.2x this"
            elif r["name"] == "boost.json":
                t = tg.get("decode records/s vs Boost.JSON" + suffix)
                label = "campaign >= 2.5x this"
            elif r["name"] == "nlohmann/json":
                t = tg.get("decode records/s vs nlohmann/json" + suffix)
                label = "campaign >= 10x this"
            if t and t["value"] is not None:
                target = f"{label}: {t['value']:.2f}x {fmt_met(t)}"
            L.append(f"  {r['name']:24} {r['ns_per_record']:8.1f} {r['spread_pct']:6.1f}% {r.get('ns_wall', 0):8.0f} "
                     f"{r['records_per_s']:11,.0f} {r['mb_per_s']:8.1f} {r['allocs_per_record']:10.2f} {ratio:>13}  {target}")
        L.append(f"  equivalence check: {d['mismatches']} mismatches, {d['failures']} failures over the corpus")

    f = res.get("fetch", {})
    L.append("")
    if f.get("rows"):
        L.append(f"FETCH  {f['ids']:,} GETs of {f['distinct']:,} distinct records per run, median of {f['reps']} run(s)")
        L.append("  req/s = IDs / the client's own timer of the fetch (the CLI: its process wall time);"
                 " CPU and peak RSS of the client process alone; spread = (max-min)/median over the runs")
        L.append(f"  {'server':13} {'conc':>4}  {'client':18} {'req/s':>9} {'spread':>7} {'cpu-s/10k':>9} "
                 f"{'spread':>7} {'req/cpu-s':>9} {'RSS MiB':>8}  target")
        rows = sorted(f["rows"], key=lambda r: (r["server"] != "nginx", r["concurrency"], CLIENTS.index(r["client"])))
        last = None
        for r in rows:
            key = (r["server"], r["concurrency"])
            if last and key != last:
                L.append("")
            last = key
            notes = []
            if r["server"] == "nginx" and r["concurrency"] == 64 and r["client"] in OWN:
                for label, tname in (("wrk", "req/s vs wrk"), ("curl cpu", "req per CPU-s vs libcurl multi"),
                                     ("go", "req/s vs Go net/http"), ("rss", "peak RSS vs libcurl multi")):
                    t = tg.get(f"{r['client']}: {tname} (nginx, c=64)")
                    if t and t["value"] is not None:
                        notes.append(f"{label} {t['value']:.2f}x {t['op']}{t['need']} {fmt_met(t)}")
            if r["client"] == "python get_many" and r["concurrency"] == 64:
                t = tg.get(f"python get_many time vs CLI ({r['server']}, c=64)")
                if t and t["value"] is not None:
                    notes.append(f"time vs CLI {t['value']:.2f}x <=1.3 {fmt_met(t)}")
            if not r.get("valid"):
                notes.insert(0, f"INVALID: {r.get('error', '')[:100]}")
            L.append(f"  {r['server']:13} {r['concurrency']:4}  {r['client']:18} {r['req_per_s']:9,.0f} "
                     f"{r['spread_pct']:6.1f}% {r['cpu_s_per_10k']:9.2f} {r.get('cpu_spread_pct', 0):6.1f}% "
                     f"{r['req_per_cpu_s']:9,.0f} "
                     f"{r['maxrss_kib'] / 1024:8.1f}  {'; '.join(notes)}")
    else:
        L.append(f"FETCH  not run: {f.get('error', '?')}")
    sk = res.get("skipped") or {}
    for k, v in sk.items():
        L.append(f"  skipped {k}: {v}")

    s = res.get("scale", {})
    L.append("")
    if s.get("rows"):
        L.append("SCALE  campaign get_many (campaign-bench-fetch) at concurrency 64 against campaign-mock")
        L.append(f"  {'IDs':>10} {'seconds':>8} {'req/s':>9} {'RSS MiB':>8} {'N ratio':>8} {'time ratio':>10} "
                 f"{'per-ID ratio':>12} {'RSS ratio':>9}  target")
        for i, r in enumerate(s["rows"]):
            note = ""
            if i == len(s["rows"]) - 1:
                a = tg.get(f"scale: peak RSS at {r['ids']:,} vs {s['rows'][0]['ids']:,} IDs")
                b = tg.get(f"scale: time per ID at {r['ids']:,} vs {s['rows'][0]['ids']:,} IDs")
                note = f"RSS <=1.2x {fmt_met(a)}; per-ID time <=1.2x {fmt_met(b)}"
            if not r["valid"]:
                note = f"INVALID (ok={r['ok']}) " + note
            L.append(f"  {r['ids']:10,} {r['wall_s']:8.2f} {r['req_per_s']:9,.0f} {r['maxrss_kib'] / 1024:8.1f} "
                     f"{r['n_ratio']:8.0f} {r['time_ratio']:10.2f} {r['per_id_ratio']:12.2f} {r['rss_ratio']:9.2f}  {note}")
    else:
        L.append(f"SCALE  not run: {s.get('error', '?')}")

    rl = res.get("ratelimit")
    if rl is not None:
        L.append("")
        if rl.get("rows"):
            L.append(f"RATE LIMIT  {rl['ids']:,} distinct IDs against campaign-mock --rate-limit {rl['limit']}/{rl['window_s']}"
                     f" (a fresh mock per row); N / limit = {rl['floor_s']:g} s; concurrency {rl['concurrency']}"
                     f" unless said")
            L.append(f"  (fixed windows from the whole second of the key's first request: the first window's requests go"
                     f" out at once, so no client can finish before {rl.get('fixed_window_floor_s', 0):g} s less up to 1 s)")
            L.append("  requests and 429s counted by the server (its request log; 429s = requests - 200s), the client's"
                     " own 429 count beside them; time = the batch (4 CLI processes: start of the first to end of the last)")
            L.append(f"  {'client':42} {'seconds':>8} {'vs N/lim':>8} {'ok':>8} {'requests':>9} {'429s':>7} {'429 %':>6} "
                     f"{'client 429s':>11}  target")
            for r in rl["rows"]:
                notes = []
                if not r.get("ran"):
                    L.append(f"  {r['client']:42} not run: {str(r.get('error', ''))[:120]}")
                    continue
                for tname, t in tg.items():
                    if not tname.startswith("ratelimit") or t["value"] is None:
                        continue
                    if (r["client"].endswith("gate on") and "gate on" in tname) or \
                            (r["client"].startswith(f"{RL_CLI_PROCESSES} x") and "CLI processes" in tname) or \
                            (r["client"].endswith("coalescing on") and "one ID" in tname):
                        notes.append(f"{tname.split(': ', 1)[1]} {fmt_met(t)}")
                if "gets" in r:
                    L.append(f"  {r['client']:42} {r['seconds']:8.3f} {'':>8} {r['ok']:>4}/{r['gets']:<3} "
                             f"{r['server_requests']:9,} {'':>7} {'':>6} {str(r.get('client_requests')) + ' sent':>11}"
                             f"  {'; '.join(notes)}")
                    continue
                pct = r.get("server_429_pct")
                L.append(f"  {r['client']:42} {r['seconds']:8.2f} {r.get('time_vs_floor', 0):7.3f}x {r['ok']:8,} "
                         f"{r['server_requests']:9,} {r['server_429']:7,} {pct if pct is not None else 0:5.2f}% "
                         f"{r.get('client_429') if r.get('client_429') is not None else '?':>11}  {'; '.join(notes)}")
            for k, v in (rl.get("skipped") or {}).items():
                L.append(f"  skipped {k}: {v}")
        else:
            L.append(f"RATE LIMIT  not run: {rl.get('error', '?')}")

    ls = res.get("listing")
    if ls is not None:
        L.append("")
        if ls.get("rows"):
            L.append(f"LISTING  {ls['campaigns']:,} campaigns and {ls['call_logs']:,} call logs of one campaign,"
                     " campaign-mock (a fresh one per row), requests counted by the server")
            L.append(f"  {'client':42} {'seconds':>8} {'items':>9} {'distinct':>9} {'requests':>9} {'items/req':>9} "
                     f"{'items/s':>9} {'CPU s':>6} {'RSS MB':>6}")
            for r in ls["rows"]:
                if "seconds" not in r:
                    L.append(f"  {r['client']:42} not run: {str(r.get('error', ''))[:120]}")
                    continue
                note = "" if r["complete"] and r["ran"] else f"  INCOMPLETE (want {r['expected']:,}, rc {r['rc']})"
                L.append(f"  {r['client']:42} {r['seconds']:8.2f} {r['items']:9,} {r['distinct']:9,} "
                         f"{r['server_requests']:9,} {r['items_per_request'] or 0:9.1f} {r['items_per_s'] or 0:9,.0f} "
                         f"{r['cpu_s']:6.2f} {r['maxrss_kib'] / 1024:6.1f}{note}")
        else:
            L.append(f"LISTING  not run: {ls.get('error', '?')}")

    L.append("")
    L.append("TARGETS (every ratio from this run)")
    for t in res.get("targets", []):
        unit = t.get("unit", "x")
        v = "—" if t["value"] is None else (f"{t['value']:.0f}{unit}" if unit == " req" else f"{t['value']:.2f}{unit}")
        need = (f"within ±{t['need'] * 100:g}% of 1x" if t["op"] == "within"
                else f"{t['op']} {t['need']:g}{unit}")
        extra = t["detail"].split("; ", 1)[1] if (t["target"].startswith("python") or t["met"] is not True
                                                   and t["target"].startswith("ratelimit")) and "; " in t["detail"] else ""
        L.append(f"  {fmt_met(t):8} {t['target']:60} {v:>8} (need {need}){'  ' + extra if extra else ''}")
    return "\n".join(L)


# --------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(REPO / "build" / "release" / "bin"))
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--out", default=str(HERE / "results" / "latest.json"))
    ap.add_argument("--only", default="decode,fetch,scale,ratelimit,listing")
    a = ap.parse_args()
    bin_dir = Path(a.bin).resolve()
    global LAUNCHER
    LAUNCHER = bin_dir / "campaign-bench-run"
    if not LAUNCHER.exists():
        log(f"{LAUNCHER} is not built")
        return 1
    only = set(a.only.split(","))
    mode = "smoke" if a.smoke else "full"

    res = {"mode": mode, "machine": machine_info(bin_dir), "load_start": loadavg()}
    tmp = Path(tempfile.mkdtemp(prefix="campaign-bench."))
    servers = []
    own_ok = True

    def cleanup(*_):
        for s in servers:
            s.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    def on_signal(signum, _frame):
        cleanup()
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        if "decode" in only:
            res["decode"] = run_decode(bin_dir, a.smoke, tmp)
            own_ok &= "results" in res["decode"]
            if cpu_has_avx2() and (bin_dir / "campaign-bench-decode-haswell").exists():
                res["decode_haswell"] = run_decode(bin_dir, a.smoke, tmp, "-haswell")
        if only & {"fetch", "scale"}:
            mock = start_mock(bin_dir, tmp, DISTINCT)
            if mock:
                servers.append(mock)
            else:
                own_ok = False
            if "fetch" in only:
                records = tmp / "records"
                records.mkdir()
                gen = bin_dir / "campaign-bench-records"
                nginx = None
                if gen.exists() and subprocess.run([str(gen), str(records), str(DISTINCT)]).returncode == 0:
                    nginx = start_nginx(tmp, records)
                if nginx:
                    servers.insert(0, nginx)
                clients = Clients(bin_dir, tmp, a.smoke)
                if not nginx:
                    clients.skipped["nginx server"] = "nginx not installed or did not start (benchmarks/deps.sh)"
                if servers:
                    res["fetch"] = run_fetch(bin_dir, a.smoke, tmp, servers, clients)
                    res["skipped"] = clients.skipped
                    names = {r["client"] for r in res["fetch"]["rows"] if r["valid"]}
                    own_ok &= OWN <= names
                else:
                    res["fetch"] = {"error": "no server could be started"}
                    own_ok = False
            if "scale" in only:
                if mock:
                    res["scale"] = run_scale(bin_dir, a.smoke, tmp, mock)
                    own_ok &= all(r["valid"] for r in res["scale"]["rows"])
                else:
                    res["scale"] = {"error": "campaign-mock did not start"}
        if "ratelimit" in only:
            res["ratelimit"] = run_ratelimit(bin_dir, a.smoke, tmp)
            # The exit status says whether the project's programs ran (each
            # printed its result, nothing timed out), never what they measured.
            own_ok &= all(r.get("ran") for r in res["ratelimit"]["rows"] if r.get("own"))
        if "listing" in only:
            res["listing"] = run_listing(bin_dir, a.smoke, tmp)
            own_ok &= all(r.get("ran") and r.get("complete") for r in res["listing"].get("rows", [{}]))
    finally:
        cleanup()
    res["load_end"] = loadavg()
    res["targets"] = targets(res)
    res["own_benchmarks_ran"] = own_ok
    table = render(res)
    res["table"] = table.splitlines()
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(res, indent=1) + "\n")
    print(table)
    print(f"\n(written to {a.out})")
    if not own_ok:
        log("the project's own benchmarks did not all run (see above)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
