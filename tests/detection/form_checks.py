"""Assertions shared by the form tests (test_*_forms.py)."""

from __future__ import annotations

from fundwatch.detection import Detector


def check_raise(
    detector: Detector,
    title: str,
    text: str,
    company: str,
    amount: int | None,
    currency: str | None,
    round_: str,
) -> None:
    """Flagged, with the company (through its key), amount, currency and round."""
    d = detector.detect(title, text)
    assert d.flag, d.matched
    assert detector.company_key(d.company or "") == detector.company_key(company), d.company
    assert (d.amount, d.currency, d.round) == (amount, currency, round_), d.matched


def check_not_raise(detector: Detector, title: str, text: str) -> None:
    d = detector.detect(title, text)
    assert not d.flag, (d.company, d.matched)
