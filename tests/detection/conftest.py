from __future__ import annotations

import pytest

from fundwatch.detection import DEFAULT_VOCAB_DIR, Detector, load_detector


@pytest.fixture(scope="session")
def detector() -> Detector:
    return load_detector(DEFAULT_VOCAB_DIR)
