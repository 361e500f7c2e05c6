"""The fundwatch daemon: APScheduler 3.x jobs, one per catalog source, each crawl in a child
process with a hard deadline; plus the alert relay in a thread.

Modules: `daemon` (the Daemon), `jobs` (triggers and first run times), `runner` (child crawl with
deadline), `lock` (one daemon per database), `backoff` (failing sources), `logs` (JSON lines).
"""
