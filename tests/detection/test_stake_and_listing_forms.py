"""Stakes, unnamed objects, listings and sector edges: one invented case per fix prompted by
blind batch 10 (real news reworded; no corpus text here).

A minority stake bought in a start-up is an investment (a majority stake is a takeover); an
investor backing "a new studio" that the next sentence names by apposition; a raise dated
"weeks ago" inside a story about something else; deepfake detection over a list of media;
a health company's "digital twin"; the bare word IPO (a pre-IPO round still counts); and
share-price rallies told with "have jumped" or "rally in stock".
"""

from __future__ import annotations

import pytest

from fundwatch.detection import Detector
from tests.detection.form_checks import check_not_raise, check_raise

RAISES = [
    # buying a minority stake from a start-up invests in it
    (
        "Sonara Media takes a stake in an avatar maker",
        "Sonara Media has bought a minority stake in Glintwave, a start-up whose software "
        "turns a presenter's photo into talking-head videos.",
        "Glintwave",
        None,
        None,
        "undisclosed",
    ),
    # the investing verb's object is a description; the next sentence names it
    (
        "Two producers back a generative AI studio",
        "Two veteran film producers are backing a new studio that plans to make whole series "
        "with generative AI video tools. The studio, Kinoreel, was set up by former "
        "animators in Lisbon.",
        "Kinoreel",
        None,
        None,
        "undisclosed",
    ),
    # a round named for the listing it comes before is still a private round
    (
        "Lumaframe raises $80 million pre-IPO round",
        "Lumaframe, which generates marketing videos from text, has raised $80 million in a "
        "pre-IPO round led by Harbor Growth.",
        "Lumaframe",
        80_000_000,
        "USD",
        "pre-IPO",
    ),
]


@pytest.mark.parametrize(("title", "text", "company", "amount", "currency", "round_"), RAISES)
def test_stake_and_unnamed_object_raises(
    detector: Detector,
    title: str,
    text: str,
    company: str,
    amount: int | None,
    currency: str | None,
    round_: str,
) -> None:
    check_raise(detector, title, text, company, amount, currency, round_)


NOT_RAISES = [
    # a majority stake is a takeover
    (
        "Orbis Group takes control of Glintwave",
        "Orbis Group has bought a majority stake in Glintwave, the AI avatar video start-up, "
        "for an undisclosed sum.",
    ),
    # a round dated weeks back, inside a story about an office opening
    (
        "Vidlume opens a Berlin office",
        "Vidlume, which closed a $40 million Series B just three weeks ago, will hire 80 "
        "people in Berlin, the AI video company said.",
    ),
]


@pytest.mark.parametrize(("title", "text"), NOT_RAISES)
def test_takeovers_and_dated_rounds_are_not_raises(
    detector: Detector, title: str, text: str
) -> None:
    check_not_raise(detector, title, text)


OUTSIDE_VIDEO = [
    # detecting deepfakes across several media is security, not video generation
    (
        "Veritrace raises $9M to spot audio, video and image deepfakes",
        "Veritrace, whose software warns banks when a caller's face or voice is synthetic, "
        "raised $9 million in a seed round.",
    ),
    # a metabolic "digital twin" is a health model, not a digital human
    (
        "Metabright raises $30M Series C to grow its digital twin",
        "Metabright, whose digital twin models a member's metabolism to help reverse type 2 "
        "diabetes, raised $30 million in a Series C round.",
    ),
]


@pytest.mark.parametrize(("title", "text"), OUTSIDE_VIDEO)
def test_raises_outside_ai_video(detector: Detector, title: str, text: str) -> None:
    d = detector.detect(title, text)
    assert d.is_funding, d.matched
    assert not d.is_ai_video and not d.flag, d.matched


def test_a_listing_is_not_a_funding_round(detector: Detector) -> None:
    d = detector.detect(
        "Avatar maker Facetide prices its Hong Kong IPO",
        "Facetide, whose AI presenters read the news on video, will raise up to $300 million "
        "in its Hong Kong IPO, with cornerstone investors taking part.",
    )
    assert not d.is_funding and not d.flag, d.matched


def test_a_share_rally_story_is_not_about_ai_video(detector: Detector) -> None:
    d = detector.detect(
        "AI video buzz sparks a rally in stock of a printer maker",
        "Qinghe Printing shares have jumped 18% this week after traders linked it to an AI "
        "video generator start-up. The printer maker said it has no ties with the start-up.",
    )
    assert not d.is_ai_video, d.matched
