"""What the daemon and the workers say to each other through Redis: key names and run orders.

A run order is a JSON object on the list `fundwatch:runs`; a worker that takes one keeps a lease
(`fundwatch:lease:<run_id>`, a short TTL it renews) while the crawl runs, and pushes the run's
status to `fundwatch:done:<run_id>` when the crawl_runs row is finished. Redis holds nothing
that cannot be rebuilt: the dispatcher re-sends an order whose lease is gone, and the database
(the run row, the single-flight lock) decides whether it still has to run.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

QUEUE_KEY = "fundwatch:runs"
LEASE_KEY = "fundwatch:lease:{run_id}"
DONE_KEY = "fundwatch:done:{run_id}"
WORKER_KEY = "fundwatch:worker:{name}"
DONE_TTL_SECONDS = 3600


@dataclass(frozen=True)
class RunOrder:
    run_id: int
    source: str
    deadline: float
    attempt: int = 1

    def encode(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def decode(cls, raw: str | bytes) -> RunOrder:
        data = json.loads(raw)
        return cls(
            run_id=int(data["run_id"]),
            source=str(data["source"]),
            deadline=float(data["deadline"]),
            attempt=int(data.get("attempt", 1)),
        )


def lease_key(run_id: int) -> str:
    return LEASE_KEY.format(run_id=run_id)


def done_key(run_id: int) -> str:
    return DONE_KEY.format(run_id=run_id)


def worker_key(name: str) -> str:
    return WORKER_KEY.format(name=name)
