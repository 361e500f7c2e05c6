"""The per-source single-flight lock of the worker executor, on SQLite and PostgreSQL: one
holder at a time per source, released explicitly or when its holder's connection dies."""

from __future__ import annotations

import subprocess
import sys
import time

from fundwatch.scheduler.executors.singleflight import SourceLock, advisory_key
from fundwatch.storage import create_db_engine


def test_one_holder_per_source(database_url: str) -> None:
    engine = create_db_engine(database_url)
    try:
        first = SourceLock.try_take(engine, "alpha")
        assert first is not None
        assert SourceLock.try_take(engine, "alpha") is None  # held, even in the same process
        other = SourceLock.try_take(engine, "beta")
        assert other is not None
        first.release()
        again = SourceLock.try_take(engine, "alpha")
        assert again is not None
        again.release()
        other.release()
    finally:
        engine.dispose()


HOLD_AND_DIE = """
import os, sys
from fundwatch.scheduler.executors.singleflight import SourceLock
from fundwatch.storage import create_db_engine
lock = SourceLock.try_take(create_db_engine(sys.argv[1]), "alpha")
print("held" if lock else "busy", flush=True)
sys.stdin.readline()
os._exit(0)  # no release: the process just ends, as a killed worker would
"""


def test_a_dead_holder_releases_the_lock(database_url: str) -> None:
    engine = create_db_engine(database_url)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_AND_DIE, database_url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "held"
        assert SourceLock.try_take(engine, "alpha") is None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=30)
        lock = None
        for _ in range(50):  # PostgreSQL notices the closed connection almost at once
            lock = SourceLock.try_take(engine, "alpha")
            if lock is not None:
                break
            time.sleep(0.1)
        assert lock is not None
        lock.release()
    finally:
        if holder.poll() is None:
            holder.kill()
        engine.dispose()


def test_advisory_keys_are_signed_64_bit_and_differ() -> None:
    keys = {advisory_key(f"source_{i}") for i in range(1000)}
    assert len(keys) == 1000
    assert all(-(2**63) <= key < 2**63 for key in keys)
