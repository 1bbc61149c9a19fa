"""The order worker: each JSON order in $SPOOL_DIR/in becomes an invoice in $SPOOL_DIR/out.

`python3 worker.py --once` processes what is there and exits; without it, it polls.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from shop_runtime import log

PRICES = {"coffee beans": 12.5, "grinder": 89.0}


def invoice(order: dict[str, object]) -> dict[str, object]:
    lines = order.get("lines", [])
    assert isinstance(lines, list)
    total = sum(PRICES.get(line["item"], 0.0) * int(line["quantity"]) for line in lines)
    return {"order": order.get("id"), "total": round(total, 2)}


def process(spool: Path) -> int:
    inbox, outbox = spool / "in", spool / "out"
    inbox.mkdir(parents=True, exist_ok=True)
    outbox.mkdir(parents=True, exist_ok=True)
    done = 0
    for path in sorted(inbox.glob("*.json")):
        result = invoice(json.loads(path.read_text()))
        (outbox / path.name).write_text(json.dumps(result))
        path.unlink()
        log("invoiced", order=result["order"], total=result["total"])
        done += 1
    return done


def main() -> int:
    spool = Path(os.environ.get("SPOOL_DIR", "/app/spool"))
    log("started", spool=str(spool))
    while True:
        process(spool)
        if "--once" in sys.argv[1:]:
            return 0
        time.sleep(2)


if __name__ == "__main__":
    sys.exit(main())
