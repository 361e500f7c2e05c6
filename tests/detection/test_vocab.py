from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fundwatch.detection import DEFAULT_VOCAB_DIR, VocabError, load_detector


def copy_vocab(tmp_path: Path) -> Path:
    target = tmp_path / "detection"
    shutil.copytree(DEFAULT_VOCAB_DIR, target)
    return target


def test_missing_file_is_named(tmp_path: Path) -> None:
    vocab = copy_vocab(tmp_path)
    (vocab / "fx.yaml").unlink()
    with pytest.raises(VocabError, match=r"fx\.yaml.*not found"):
        load_detector(vocab)


def test_bad_sector_names_file_and_field(tmp_path: Path) -> None:
    vocab = copy_vocab(tmp_path)
    path = vocab / "companies.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("sector: ai_video", "sector: video", 1),
        encoding="utf-8",
    )
    with pytest.raises(VocabError, match=r"companies\.yaml.*companies\[0\]\.sector"):
        load_detector(vocab)


def test_currency_without_rate(tmp_path: Path) -> None:
    vocab = copy_vocab(tmp_path)
    path = vocab / "fx.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  GBP: 1.2645\n", ""), encoding="utf-8"
    )
    with pytest.raises(VocabError, match=r"GBP.*usd_per_unit"):
        load_detector(vocab)


def test_user_can_add_a_company(tmp_path: Path) -> None:
    vocab = copy_vocab(tmp_path)
    path = vocab / "companies.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "companies:\n", "companies:\n  - {key: quillo, sector: ai_video, names: [Quillo]}\n", 1
    )
    path.write_text(text, encoding="utf-8")
    detector = load_detector(vocab)
    result = detector.detect(
        "Quillo raises $8 million", "Quillo raised $8 million in seed funding."
    )
    assert result.flag and detector.company_key("Quillo") == "quillo"
