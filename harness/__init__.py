"""Local HTTP servers for the tests and the benchmarks (never installed, never imported by
fundwatch itself): the fixture site server with fault injection, run as a subprocess."""
