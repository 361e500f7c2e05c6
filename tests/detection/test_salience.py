"""Salience stage: a raise is the story's news only when the title tells it, the lead tells
it, or its own sentence dates it as new; otherwise it is background to a feature."""

from __future__ import annotations

from fundwatch.detection import Detector
from fundwatch.detection.cues import title_tells_raise
from fundwatch.detection.event import find_event
from fundwatch.detection.passage import Trace, build_passage
from fundwatch.detection.salience import LEAD_SENTENCES, told_as_news

EN_FILLER = [
    "Creators have argued for years about what makes a clip feel handmade.",
    "Some editors still cut every frame by hand.",
    "Others have handed the dull parts of the job to software.",
    "The debate is unlikely to end soon.",
    "Studios are watching closely.",
]
ZH_FILLER = [
    "短视频创作者一直在讨论什么样的内容更打动人。",
    "有些剪辑师仍然坚持逐帧手工剪辑。",
    "也有人把重复劳动交给了软件。",
    "这场争论短期内不会结束。",
    "各大平台都在密切关注。",
]


def _told(detector: Detector, title: str, text: str) -> bool:
    kit = detector.kit
    p = build_passage(kit, title, text, None)
    title_raise = title_tells_raise(p)
    event, _ = find_event(kit, p, Trace(), title_raise)
    assert event is not None
    return told_as_news(p, event, title_raise)


def test_a_past_round_deep_in_a_feature_is_background_en(detector: Detector) -> None:
    assert len(EN_FILLER) >= LEAD_SENTENCES
    text = " ".join(EN_FILLER) + (
        " Framory, an AI video editing startup, raised $40 million in a Series B round."
    )
    assert not _told(detector, "The quiet craft of editing", text)
    assert not detector.detect("The quiet craft of editing", text).is_funding


def test_a_deep_raise_dated_as_new_is_news_en(detector: Detector) -> None:
    text = " ".join(EN_FILLER) + (
        " Framory, an AI video editing startup, announced on Tuesday that it raised $40 million "
        "in a Series B round."
    )
    assert _told(detector, "The quiet craft of editing", text)
    assert detector.detect("The quiet craft of editing", text).flag


def test_a_raise_in_the_lead_is_news_en(detector: Detector) -> None:
    text = (
        "Framory, an AI video editing startup, raised $40 million in a Series B round. "
        + " ".join(EN_FILLER)
    )
    assert _told(detector, "The quiet craft of editing", text)
    assert detector.detect("The quiet craft of editing", text).flag


def test_a_past_round_deep_in_a_feature_is_background_zh(detector: Detector) -> None:
    text = "".join(ZH_FILLER) + "AI视频剪辑公司帧语科技拿到了2亿元B轮融资。"
    assert not _told(detector, "剪辑这门手艺", text)
    assert not detector.detect("剪辑这门手艺", text).is_funding


def test_a_deep_raise_dated_as_new_is_news_zh(detector: Detector) -> None:
    text = "".join(ZH_FILLER) + "AI视频剪辑公司帧语科技近日宣布完成2亿元B轮融资。"
    assert _told(detector, "剪辑这门手艺", text)
    assert detector.detect("剪辑这门手艺", text).flag


def test_a_raise_dated_before_the_storys_own_is_background_zh(detector: Detector) -> None:
    text = (
        "晨光智能宣布完成天使轮融资,产品是一套智能体框架。"
        "就在这次融资前三天,数字人公司影界科技刚拿到10亿元的A+轮融资。"
    )
    d = detector.detect("智能体赛道又有新融资", text)
    assert d.company != "影界科技", d.matched
    assert not d.flag
