#!/usr/bin/env python3
"""pyhttp: Python's http.client as a benchmark peer.

N threads, one keep-alive HTTPConnection each, take the next ID from a shared
iterator, GET it, decode the body with json.loads and check its id.
Standard library only. Prints one JSON line.

    pyhttp.py BASE_URL API_KEY IDS_FILE CONCURRENCY
"""
import http.client
import itertools
import json
import sys
import threading
import time
import urllib.parse


def main() -> int:
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    base, key, ids_path, conc = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    with open(ids_path, encoding="ascii") as f:
        ids = [line.strip() for line in f if line.strip()]
    url = urllib.parse.urlsplit(base)
    prefix = url.path.rstrip("/") + "/campaigns/"
    headers = {"Authorization": "Bearer " + key, "Accept": "application/json"}
    work = iter(enumerate(ids))
    lock = threading.Lock()
    counts = {"ok": 0, "failed": 0, "id_mismatch": 0}

    def worker() -> None:
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        ok = failed = mismatched = 0
        while True:
            with lock:
                item = next(work, None)
            if item is None:
                break
            _, cid = item
            try:
                conn.request("GET", prefix + cid, headers=headers)
                resp = conn.getresponse()
                body = resp.read()
                if resp.status != 200:
                    failed += 1
                elif json.loads(body).get("id") != cid:
                    mismatched += 1
                else:
                    ok += 1
            except (OSError, http.client.HTTPException, ValueError) as e:
                failed += 1
                if failed <= 3:
                    print(cid, e, file=sys.stderr)
                conn.close()
                conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        conn.close()
        with lock:
            counts["ok"] += ok
            counts["failed"] += failed
            counts["id_mismatch"] += mismatched

    start = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(conc)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    print(json.dumps({"requests": len(ids), **counts, "seconds": round(elapsed, 6)}))
    return 0 if counts["ok"] == len(ids) else 1


if __name__ == "__main__":
    sys.exit(main())
