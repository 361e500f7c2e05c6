"""Executors the daemon hands due crawl runs to.

- `scheduler.runner.CrawlRunner` ("process"): one `fundwatch crawl` process per run; best
  isolation, ~2 s of CPU per poll.
- `dispatch.RedisDispatcher` ("workers"): runs go through Redis to long-lived `fundwatch
  worker` processes on any number of machines (scheduler.worker); tens of ms per poll.
"""
