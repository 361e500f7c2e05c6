"""An article's language from its text and the funding detector's verdict on it.

Run by the writer (crawler.store_worker), just before the article is stored: detection is CPU
work, and with the default child-process writer it runs on another core than the crawl.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fundwatch.detection import Detector
    from fundwatch.records import Detection


@dataclass(frozen=True)
class Verdict:
    language: str | None
    language_from_text: bool  # the text's language differs from the source's setting
    detection: Detection


def judge(detector: Detector, title: str, body: str, language: str | None) -> Verdict:
    """The language of the text (the source's language when the text is unclear) and the
    detector's verdict (which carries the company's canonical key)."""
    found = detector.detect_language(f"{title}\n{body}")
    changed = bool(found and found != language)
    if changed:
        language = found
    return Verdict(language, changed, detector.detect(title, body, lang=language))
