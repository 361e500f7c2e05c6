"""Detection reads a bounded prefix of a page, so a huge page costs what a long article does."""

from __future__ import annotations

from fundwatch.detection import Detector
from fundwatch.detection.passage import BODY_LIMIT

RAISE = "Lumaframe, an AI video generation startup, raised $8 million in a seed round. "
FILLER = "The weather in the city stayed mild for most of the week. "


def test_a_raise_past_the_read_limit_is_not_read(detector: Detector) -> None:
    body = FILLER * (BODY_LIMIT // len(FILLER) + 10) + RAISE
    assert not detector.detect("City notes", body).is_funding
    assert detector.detect("City notes", RAISE + body).flag


def test_a_huge_page_reads_as_its_prefix(detector: Detector) -> None:
    body = RAISE * (5_000_000 // len(RAISE))
    prefix = body[:BODY_LIMIT]
    assert detector.detect("Lumaframe raises $8M", body) == detector.detect(
        "Lumaframe raises $8M", prefix
    )
    result = detector.detect("Lumaframe raises $8M", body)
    assert (result.flag, result.amount, result.round) == (True, 8_000_000, "seed")
