#!/usr/bin/env python3
"""pybinding: the project's Python binding (bindings/python) as a client:
campaign.Client(...).get_many(ids, concurrency=N), checking each record's id.
Exit 3 (and a note on stderr) when the package does not import.

    pybinding.py BASE_URL API_KEY IDS_FILE CONCURRENCY
"""
import json
import sys
import time


def main() -> int:
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    base, key, ids_path, conc = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    try:
        import campaign  # noqa: PLC0415
        campaign.Client  # noqa: B018
    except Exception as e:  # noqa: BLE001  (any import problem means: skip)
        print(f"campaign Python package does not import: {e!r}", file=sys.stderr)
        return 3
    with open(ids_path, encoding="ascii") as f:
        ids = [line.strip() for line in f if line.strip()]
    ok = failed = mismatched = 0
    start = time.monotonic()
    client = campaign.Client(base_url=base, api_key=key)
    for r in client.get_many(ids, concurrency=conc):
        if not r.ok:
            failed += 1
            if failed <= 3:
                print(r.id, r.error, file=sys.stderr)
        elif r.campaign.id != r.id:
            mismatched += 1
        else:
            ok += 1
    elapsed = time.monotonic() - start
    close = getattr(client, "close", None)
    if close:
        close()
    print(json.dumps({"requests": len(ids), "ok": ok, "failed": failed,
                      "id_mismatch": mismatched, "seconds": round(elapsed, 6)}))
    return 0 if ok == len(ids) else 1


if __name__ == "__main__":
    sys.exit(main())
