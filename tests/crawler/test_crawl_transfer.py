"""Transfer faults in one real crawl (FAULTS.md F-8, F-9, F-11, F-12, F-13, F-14, F-15): each
fixture_transfer link fails in one way; the crawl ends normally, every failure is an error of
the run, nothing partial is stored, and the pages that can be fetched are."""

from __future__ import annotations

import re
from collections import Counter

from tests.support.crawl_world import FixtureWorld


def test_transfer_faults_end_at_their_limits_and_are_recorded(world: FixtureWorld) -> None:
    result = world.crawl("fixture_transfer", DOWNLOAD_TIMEOUT=2)
    assert result.returncode == 0, result.stderr[-3000:]
    log = result.stderr
    hits = Counter(entry["path"].split("?")[0] for entry in world.server.requests())

    # F-8: a drip of one byte every 0.25 s (10 s in all) is cut at the 2 s total deadline,
    # although no single read ever waits 2 s; F-9: headers, then a hanging body
    # (article URLs are requested in canonical form: query parameters sorted)
    assert re.search(r"/_fault/drip\?\S*interval=0\.25\S* took longer than 2\.0 seconds", log)
    assert re.search(r"/_fault/delay-body\?\S*s=60\S* took longer than 2\.0 seconds", log)
    assert hits["/_fault/drip"] == 3 and hits["/_fault/delay-body"] == 3  # retried twice
    # F-11: broken chunked encoding is data loss: retried, never stored
    assert hits["/_fault/chunked-broken"] == 3
    # F-13: 200 MB without a Content-Length, cancelled once past DOWNLOAD_MAXSIZE (10 MiB)
    assert "larger than download warn size (2097152)" in log
    assert "larger than download max size (10485760)" in log
    # F-14: gzip and brotli bombs (under 1 MB, 200 MB inflated) dropped while inflating
    for encoding in ("gzip", "br"):
        assert re.search(rf"/_fault/bomb\?\S*encoding={encoding}", log)
    assert log.count("exceeded DOWNLOAD_MAXSIZE (10485760 B) during decompression") >= 2
    # F-15: a chain of 25 stops at REDIRECT_MAX_TIMES (10); a loop is an error too
    assert hits["/_fault/chain"] == 3 + 11
    assert "max redirections reached" in log
    assert "redirect loop: " in log and "/_fault/loop?at=a" in log

    stored = {a.url.rsplit("/", 1)[-1]: a for a in world.articles("fixture_transfer")}
    # F-12: no Content-Length, the connection closed: accepted; a short chain is followed
    assert set(stored) == {
        "good.html",
        "short-chain.html",
        "no-length?file=sites%2Ftransfer%2Funbounded.html",
    }
    assert stored["short-chain.html"].title == "Behind three redirects"
    run = next(run for run in world.runs() if run.source == "fixture_transfer")
    # the failed pages make the run partial (they wait in the frontier for the next run)
    assert run.status == "partial" and run.new == 3
    # drip, delay-body, chunked, 200 MB, two bombs, the long chain, the loop
    assert run.errors == 8
