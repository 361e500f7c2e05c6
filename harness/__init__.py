"""Shared by the tests and the benchmarks (never installed, never imported by fundwatch
itself): local HTTP servers (the fixture site server with fault injection, run as a
subprocess; feed farms, receivers) and measures both run, such as extraction on the real
publisher pages (real_pages.py)."""
