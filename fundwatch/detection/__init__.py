"""Funding-story detection: does a news text report an AI-video company raising money?

Pure code: text in, ``Detection`` out. The only I/O is reading the vocabulary files once,
in ``load_detector``. Imports nothing else of fundwatch's but the ground-floor value types
(fundwatch.records, where ``Detection`` lives).

    >>> from fundwatch.detection import DEFAULT_VOCAB_DIR, load_detector
    >>> detector = load_detector(DEFAULT_VOCAB_DIR)
    >>> detector.detect("HeyGen raises $60 million", "...").flag
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fundwatch.records import Detection

from .detector import Detector
from .vocab import VocabError, load_vocabulary

# The shipped keyword lists are data (the package fundwatch.seeds holds no code).
DEFAULT_VOCAB_DIR = Path(str(resources.files("fundwatch.seeds"))) / "detection"

__all__ = ["DEFAULT_VOCAB_DIR", "Detection", "Detector", "VocabError", "load_detector"]


def load_detector(vocab_dir: Path) -> Detector:
    """Build a detector from the YAML vocabulary files in ``vocab_dir``.

    Raises ``VocabError`` naming the file and field when a file is missing or malformed.
    """
    return Detector(load_vocabulary(Path(vocab_dir)))
