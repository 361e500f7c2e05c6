from __future__ import annotations

import pytest

from fundwatch.detection import Detector


@pytest.mark.parametrize("name", ["爱诗科技", "愛詩科技", "AIsphere", "PixVerse", "pixverse"])
def test_aliases_share_a_key(detector: Detector, name: str) -> None:
    assert detector.company_key(name) == "aisphere"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Pika", "Pika Labs"),
        ("生数科技", "Shengshu"),
        ("Vidu", "生數科技"),
        ("MiniMax", "海螺AI"),
        ("HeyGen", "heygen"),
        ("階躍星辰", "StepFun"),
    ],
)
def test_known_spellings(detector: Detector, a: str, b: str) -> None:
    assert detector.company_key(a) == detector.company_key(b)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Framewell Inc.", "framewell"),
        ("Framewell Labs", "framewell"),
        ("Framewell AI", "framewell"),
        ("FRAMEWELL", "framewell"),
        ("光影跃动科技", "光影跃动"),
        ("光影躍動科技有限公司", "光影跃动"),
        ("Ｆｒａｍｅｗｅｌｌ", "framewell"),
    ],
)
def test_unknown_names_are_folded(detector: Detector, name: str, key: str) -> None:
    assert detector.company_key(name) == key


def test_names_ending_in_ai_letters_keep_them(detector: Detector) -> None:
    assert detector.company_key("Haiper") == "haiper"
    assert detector.company_key("Kai") == "kai"


def test_company_reported_as_written(detector: Detector) -> None:
    result = detector.detect("生數科技完成數億元融資", "視頻大模型公司生數科技完成數億元融資。")
    assert result.company == "生數科技"
    assert detector.company_key(result.company) == "shengshu"


def test_case_sensitive_alias(detector: Detector) -> None:
    runway = detector.detect(
        "Runway raises $50 million", "Runway, the AI video company, raised $50 million."
    )
    assert runway.company == "Runway"
    word = detector.detect("Short runway", "The startup has a short runway and raised $5 million.")
    assert word.company != "runway"
